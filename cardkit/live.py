"""Who listens to which session: one NiceGUI Event per session, fired after each committed change (a new card
position is announced first and saved right after, see `ui.console.SessionDriver._move`)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from nicegui import Client, Event


@dataclass(frozen=True)
class Change:
    """What changed: 'state' (card and side), 'timer', 'notes', 'actions', 'people', 'setup', 'room' (joining, options,
    phase), 'groups', 'progress' (a group moved its card) or 'votes'."""

    session_id: int
    what: str
    card_id: str = ''
    index: int | None = None  # 'state': the card now shown and its side, so followers need not re-read the session
    flipped: bool | None = None
    participant_id: int | None = None  # 'notes'/'people': whose change it is
    note_id: int | None = None  # 'notes': the one note added, changed or removed, so a screen redraws only its row
    how: str = ''  # with note_id: 'added', 'changed' or 'removed'

    @property
    def position(self) -> tuple[int, bool] | None:
        """The card index and side a 'state' change announced, if it carries them."""
        return (self.index, bool(self.flipped)) if self.what == 'state' and self.index is not None else None


_channels: dict[tuple[int, bool], Event[Change]] = {}
_last_publish = 0.0


def channel(session_id: int, *, first: bool = False) -> Event[Change]:
    """The event for one session; subscribe from a page to follow it. Participants' phones, the many, subscribe
    with first=True: they hear of a change before the big screens and the facilitator's tabs, so a card change is on
    its way to every phone before the projector is redrawn (the projector follows within a few milliseconds)."""
    key = (session_id, first)
    if key not in _channels:
        _channels[key] = Event[Change]()
    return _channels[key]


def publish(
    session_id: int,
    what: str,
    card_id: str = '',
    *,
    index: int | None = None,
    flipped: bool | None = None,
    participant_id: int | None = None,
    note_id: int | None = None,
    how: str = '',
) -> None:
    """Tell every screen following the session what changed (phones first)."""
    global _last_publish
    _last_publish = time.monotonic()
    change = Change(session_id, what, card_id, index, flipped, participant_id, note_id, how)
    for first in (True, False):
        event = _channels.get((session_id, first))
        if event is not None:
            event.emit(change)


def keep_position(fresh: Any, shown: Any) -> Any:
    """A session just read or saved (`fresh`), given the position a screen shows now (`shown`): positions are
    announced before they are saved, so the disk may not have the latest one yet."""
    fresh.current_index, fresh.flipped = shown.current_index, shown.flipped
    return fresh


def last_activity() -> float:
    """When a change was last announced (`time.monotonic()`; 0 before the first)."""
    return _last_publish


def sending() -> bool:
    """Whether some connected page still has updates waiting to be sent (the last announcement is still going
    out). A page whose socket is gone holds its updates until it reconnects or is deleted, so it does not count."""
    return any(
        (client.outbox.updates or client.outbox.messages) and client.has_socket_connection
        for client in list(Client.instances.values())
    )


def reset() -> None:
    """Forget every channel (tests start from none)."""
    _channels.clear()
