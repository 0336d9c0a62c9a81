"""What a committed change to a session was, as the screens following it need to know.

A use case records each change it makes in its transaction (`record`); once the transaction commits, the changes
go to the live hub, which tells every screen of that session (`cardkit.live`). So a change reaches the open screens
whoever made it: a page, the command line, a retention purge, a participant's erasure.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel import Session


class What(StrEnum):
    """The part of a session a change touched."""

    STATE = 'state'  # the card shown and its side
    TIMER = 'timer'
    NOTES = 'notes'
    ACTIONS = 'actions'
    PEOPLE = 'people'  # participants joined, moved, removed or erased
    SETUP = 'setup'  # title, date, way of working, people involved
    ROOM = 'room'  # joining, the room's options, the phase
    GROUPS = 'groups'
    PROGRESS = 'progress'  # a group moved its card
    VOTES = 'votes'
    GONE = 'gone'  # the session was deleted


class How(StrEnum):
    """With a note: what happened to it, so a screen redraws only its row."""

    ANY = ''
    ADDED = 'added'
    CHANGED = 'changed'
    REMOVED = 'removed'


@dataclass(frozen=True)
class Change:
    """One committed change of a session, and who made it (`origin`: a page's client id, `participant:ID`, `cli`,
    `retention`…)."""

    session_id: int
    what: What
    card_id: str = ''
    index: int | None = None  # STATE: the card now shown and its side, so followers need not read the session
    flipped: bool | None = None
    participant_id: int | None = None  # NOTES, ACTIONS, PEOPLE: whose change it is
    note_id: int | None = None  # NOTES: the one note added, changed or removed
    how: How = How.ANY
    origin: str = ''

    @property
    def position(self) -> tuple[int, bool] | None:
        """The card index and side a STATE change announced, if it carries them."""
        return (self.index, bool(self.flipped)) if self.what == What.STATE and self.index is not None else None


CHANGES = 'cardkit.changes'  # where a transaction keeps what it changed (Session.info)
ORIGIN = 'cardkit.origin'


def record(db: Session, session_id: int, what: What, **details: object) -> None:
    """Note a change made in this transaction; it is announced once the transaction commits (and never if it is
    rolled back)."""
    change = Change(session_id, what, origin=str(db.info.get(ORIGIN, '')), **details)  # type: ignore[arg-type]
    changes: list[Change] = db.info.setdefault(CHANGES, [])
    if change not in changes:
        changes.append(change)
