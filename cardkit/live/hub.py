"""One hub per running session: its live position, the door for its changes, and the screens that follow it."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from nicegui import Client, Event, app, background_tasks, run

from cardkit import db, sessions
from cardkit.changes import Change, What
from cardkit.models import CardSession

T = TypeVar('T')
HUB_SAVES = 'hub'  # the origin of the hub's own saves of a position it has already announced
# A move's save starts this much after its announcement, once the screens have been sent it: a write in a worker
# thread while hundreds of updates go out slows them down.
SAVE_AFTER_S = 0.02


class Hub:
    """A running session's live state (the card shown and its side) and the one door for its changes.

    Positions are announced at once, in the click's own handler, and saved right after in order (the newest wins);
    every page takes the position from the hub, never from a row read meanwhile, so what a page shows and what the
    hub holds always agree. A change that needs the database goes through `do`: the use case commits, then its
    changes are announced.
    """

    def __init__(self, session_id: int) -> None:
        self.session_id = session_id
        self._position: tuple[int, bool] | None = None
        self._card_ids: list[str] = []
        self._saved: tuple[int, bool] | None = None
        self._saving: asyncio.Lock | None = None
        self._phones = Event[Change]()  # participants' phones, the many, hear first
        self._screens = Event[Change]()

    # --- following -------------------------------------------------------------------------------------------------

    def follow(
        self,
        *,
        origin: str = '',
        on_position: Callable[[int, bool], Any] | None = None,
        on_change: Callable[[Change], Coroutine[Any, Any, None] | None] | None = None,
        first: bool = False,
        own: bool = False,
    ) -> None:
        """Follow the session from a page: `on_position(index, flipped)` when the card shown moves, `on_change` for
        anything else (it may return the redraw to await). A page's own changes (its `origin`) are left out unless
        `own`; phones pass `first` so that a card change is on its way to every phone before the big screens."""

        def heard(change: Change) -> Coroutine[Any, Any, None] | None:
            if not own and origin and change.origin == origin:
                return None
            if (position := change.position) is not None:
                return on_position(*position) if on_position is not None else None
            return on_change(change) if on_change is not None else None

        (self._phones if first else self._screens).subscribe(heard)

    def overlay(self, session: CardSession) -> CardSession:
        """A session row just read, with the position the hub holds (the hub learns it from the row the first
        time)."""
        if self._position is None:
            self._position = self._saved = (session.current_index, bool(session.flipped))
        self._card_ids = list(session.card_ids)
        session.current_index, session.flipped = self._position
        return session

    async def session(self) -> CardSession:
        """The session as it is now: its row, read off the event loop, with the live position."""
        return self.overlay(await off_loop(db.look, sessions.get_session, session_id=self.session_id))

    @property
    def position(self) -> tuple[int, bool] | None:
        return self._position

    # --- changing --------------------------------------------------------------------------------------------------

    async def do(self, use_case: Callable[..., T], /, *, origin: str = '', **arguments: Any) -> T:
        """Run a use case of this session (see `do`)."""
        return await do(use_case, origin=origin, **arguments)

    def move(self, index: int, flipped: bool, *, origin: str = '') -> None:
        """Show another card or side: announced now, saved right after (a stopped server resumes at most one move
        back)."""
        self._position = (index, bool(flipped))
        card_id = self._card_ids[index] if 0 <= index < len(self._card_ids) else ''
        self.announce(Change(self.session_id, What.STATE, card_id, index, bool(flipped), origin=origin))
        background_tasks.create(self._save(), name=f'save the position of session {self.session_id}')

    async def _save(self) -> None:
        """Save the position the hub holds; saves run one at a time, each saving the newest position."""
        await asyncio.sleep(SAVE_AFTER_S)
        self._saving = self._saving or asyncio.Lock()
        async with self._saving:
            position = self._position
            if position is None or position == self._saved:
                return
            await off_loop(
                db.run,
                sessions.go_to,
                origin=HUB_SAVES,
                session_id=self.session_id,
                index=position[0],
                flipped=position[1],
            )
            self._saved = position

    def announce(self, change: Change) -> None:
        """Tell every page following the session (phones first)."""
        hubs.last_activity = time.monotonic()
        self._phones.emit(change)
        self._screens.emit(change)

    def committed(self, change: Change) -> None:
        """A change committed in this process: the hub's own live state first, then the pages."""
        if change.what == What.STATE:
            if change.origin == HUB_SAVES:
                return  # the hub announced it before saving it
            if change.position is not None:
                self._position = self._saved = change.position
        self.announce(change)


class Hubs:
    """Every hub of this process, by session; committed changes come in here from any thread."""

    def __init__(self) -> None:
        self._hubs: dict[int, Hub] = {}
        self._lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.last_activity = 0.0

    def hub(self, session_id: int) -> Hub:
        with self._lock:
            found = self._hubs.get(session_id)
            if found is None:
                found = self._hubs[session_id] = Hub(session_id)
        with contextlib.suppress(RuntimeError):  # asked outside the event loop (a script): no page to tell
            self.loop = asyncio.get_running_loop()
        return found

    def committed(self, changes: list[Change]) -> None:
        """The changes one transaction made, delivered on the event loop (a use case may commit in a worker thread
        or another task); without a running loop (a script) there is no page to tell."""
        loop = self.loop
        if loop is None or loop.is_closed():
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            self._deliver(changes)
        else:
            loop.call_soon_threadsafe(self._deliver, changes)

    def _deliver(self, changes: list[Change]) -> None:
        for change in changes:
            with self._lock:
                found = self._hubs.get(change.session_id)
                if change.what == What.GONE:
                    self._hubs.pop(change.session_id, None)
            if found is not None:
                found.committed(change)

    def reset(self) -> None:
        with self._lock:
            self._hubs.clear()
        self.loop = None


async def off_loop(work: Callable[..., T], /, *args: Any, **arguments: Any) -> T:
    """Work that blocks (the database, a file), run in a worker thread so the event loop keeps serving every page.
    When the server is stopping there is no answer to wait for: the page's handler is cancelled rather than handed
    a None it did not ask for."""
    if app.is_stopping:
        raise asyncio.CancelledError
    result = await run.io_bound(work, *args, **arguments)
    if result is None and app.is_stopping:
        raise asyncio.CancelledError
    return result  # type: ignore[return-value]


async def do(use_case: Callable[..., T], /, *, origin: str = '', **arguments: Any) -> T:
    """The one door for a change from a page: the use case runs off the event loop in one transaction; once it
    commits, its changes are announced (marked with `origin`) to every page of the sessions it touched. Its refusals
    (InputError, NotFound) reach the caller, and nothing is announced."""
    return await off_loop(db.run, use_case, origin=origin, **arguments)


async def look(use_case: Callable[..., T], /, **arguments: Any) -> T:
    """A use case that only reads, off the event loop, in a read transaction."""
    return await off_loop(db.look, use_case, **arguments)


hubs = Hubs()  # the process's hubs: the database delivers every commit's changes here
db.deliver_to(hubs.committed)


def hub(session_id: int) -> Hub:
    """The hub of a session (made when first asked for)."""
    return hubs.hub(session_id)


def last_activity() -> float:
    """When a change was last announced (`time.monotonic()`; 0 before the first)."""
    return hubs.last_activity


def sending() -> bool:
    """Whether some connected page still has updates waiting to be sent (the last announcement is still going
    out). A page whose socket is gone holds its updates until it reconnects or is deleted, so it does not count."""
    return any(
        (client.outbox.updates or client.outbox.messages) and client.has_socket_connection
        for client in list(Client.instances.values())
    )


def reset() -> None:
    """Forget every hub (tests start from none)."""
    hubs.reset()
