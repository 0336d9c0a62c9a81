"""The facilitator console at `/session/{id}/console?key=…`: drive the cards, run a timer, capture notes and actions.

`SessionDriver` (one browser tab's hold on a session: the card shown, moving through the cards, following other
screens) is shared with solo mode.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlencode

from nicegui import background_tasks, run, ui
from nicegui.events import KeyEventArguments

from cardkit import live, sessions
from cardkit.deck import Card, Deck
from cardkit.models import CardSession
from cardkit.ui import theme
from cardkit.ui.components.capture import CapturePanel
from cardkit.ui.components.card_view import CardView
from cardkit.ui.deck_view import ARROWS_IGNORED_IN, SPACE_IGNORED_IN, control, shorten
from cardkit.ui.theme import Text

INVALID_LINK = 'This session link is not valid'
TIMER_CHOICES = (5, 10, 15)

CSS = """
.ck-session-grid { display: grid; grid-template-columns: minmax(0, 7fr) minmax(0, 5fr); gap: 1.25rem;
                   align-items: start; }
@media (max-width: 1000px) { .ck-session-grid { grid-template-columns: minmax(0, 1fr); } }
.ck-session-card { display: flex; flex-direction: column; gap: 0.75rem; min-width: 0; }
@media (min-width: 1001px) {
  /* the card stays in view while the notes beside it scroll */
  .ck-session-card { position: sticky; top: 4.25rem; max-height: calc(100vh - 4.75rem); overflow-y: auto;
                     padding: 4px; margin: -4px; }
}
.ck-session-tools { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.ck-session-tools .q-btn { min-height: 2.75rem; font-size: 1rem; }
.ck-main a.ck-button.ck-button-quiet { background: var(--ck-paper); color: var(--ck-accent);
                                       border: 1px solid var(--ck-accent); }
.ck-jump-select { min-width: min(100%, 22rem); flex: 1 1 16rem; }
.ck-timer { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.ck-timer .q-btn { min-height: 2.75rem; }
.ck-timer .q-field { width: 8.5rem; }
.ck-timer-left { font-size: 1.4rem; font-weight: 800; font-variant-numeric: tabular-nums; min-width: 6ch; }
.ck-timer-left.ck-time-up { color: var(--ck-danger); }
"""


def link_not_valid() -> None:
    """The page for a wrong or missing key or an unknown session: it says nothing about what exists."""
    with theme.frame('Session link not valid'), ui.element('div').classes('ck-panel').mark('not-valid'):
        Text('h1', INVALID_LINK)
        Text('p', 'Check that you copied the whole link, or ask the person running the session for it again.')
        ui.link('Go to the deck library', '/')


async def open_session(finder: Callable[[int, str], CardSession], session_id: int, key: str) -> CardSession | None:
    """The session if the key opens it, else None (unknown session and wrong key look the same)."""
    if not key:
        return None
    try:
        return await run.io_bound(finder, session_id, key)
    except sessions.NotFound:
        return None


def page_url(session_id: int, page: str, key: str) -> str:
    return f'/session/{session_id}/{page}?{urlencode({"key": key})}'


def clock(seconds: int) -> str:
    """Seconds as m:ss (or h:mm:ss)."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f'{hours}:{minutes:02d}:{secs:02d}' if hours else f'{minutes}:{secs:02d}'


async def content(session_id: int, key: str = '') -> None:
    """The facilitator console of a session."""
    session = await open_session(sessions.session_for_key, session_id, key)
    if session is None:
        link_not_valid()
        return
    deck = await run.io_bound(sessions.deck_of, session)
    await Console(session, deck, key).build()


# A move is announced at once; this tab's own redraw and the database work start this much later, once the screens
# that follow have been sent it (a database call in a worker thread takes Python's interpreter lock in turns with the
# event loop that sends them, and the console's redraw would be sent first).
SCREENS_FIRST_S = 0.02


class SessionDriver:
    """Which card of a session one tab shows; every move is announced, saved, and followed from elsewhere."""

    def __init__(self, session: CardSession, deck: Deck, key: str) -> None:
        self.session = session
        self.deck = deck
        self.key = key
        self.view: CardView | None = None
        self.capture: CapturePanel | None = None
        self.jump: ui.select | None = None
        self.prev_button: ui.button | None = None
        self.next_button: ui.button | None = None
        self.flip_button: ui.button | None = None
        self.on_state: list[Callable[[], None]] = []
        self._own_change = False
        self._quiet_flip = False
        self._saving = asyncio.Lock()
        self._saved = (session.current_index, session.flipped)

    @property
    def card(self) -> Card:
        return self.deck.card(self.session.card_ids[self.session.current_index])

    @property
    def total(self) -> int:
        return len(self.session.card_ids)

    # --- building blocks -------------------------------------------------------------------------------------------

    def card_controls(self) -> None:
        """Previous, turn over, next and a jump to any card."""
        with ui.element('nav').classes('ck-toolbar') as nav:
            theme.aria(nav, label='Move through the cards')
            self.prev_button = control('Previous', 'Previous card', self.previous, icon='chevron_left').mark('prev')
            self.flip_button = control('Turn over', 'Turn the card over', self.flip, icon='flip').mark('flip')
            self.next_button = control('Next', 'Next card', self.next, icon='chevron_right', right=True).mark('next')
            options = {
                index: f'{card_id} – {shorten(self.deck.card(card_id).lead, 70)}'
                for index, card_id in enumerate(self.session.card_ids)
            }
            self.jump = (
                ui.select(options, value=self.session.current_index, label='Go to card', on_change=self._jumped)
                .props('outlined dense options-dense')
                .classes('ck-jump-select')
                .mark('jump')
            )

    def card_view(self) -> CardView:
        self.view = CardView('normal', on_flip=self._card_clicked)
        return self.view

    def capture_panel(self) -> CapturePanel:
        self.capture = CapturePanel(self.session.id)
        return self.capture

    def keys(self, extra: Callable[[KeyEventArguments], None] | None = None) -> None:
        """← and → move, Space turns the card over (unless a control has focus); `extra` sees other keys."""

        def arrows(e: KeyEventArguments) -> Coroutine[Any, Any, None] | None:
            if not e.action.keydown or e.action.repeat or e.modifiers.alt or e.modifiers.ctrl or e.modifiers.meta:
                return None
            if e.key.arrow_right:
                return self.next()
            if e.key.arrow_left:
                return self.previous()
            if extra is not None:
                extra(e)
            return None

        def space(e: KeyEventArguments) -> Coroutine[Any, Any, None] | None:
            if e.action.keydown and e.key.space and not (e.modifiers.alt or e.modifiers.ctrl or e.modifiers.meta):
                return self.flip()
            return None

        ui.keyboard(arrows, ignore=ARROWS_IGNORED_IN)
        ui.keyboard(space, ignore=SPACE_IGNORED_IN, repeating=False)
        ui.add_head_html(theme.SPACE_DOES_NOT_SCROLL_JS)

    def follow(self) -> None:
        live.channel(self.session.id).subscribe(self._on_change)

    async def draw(self) -> None:
        """Show the current card, its side and its capture panel."""
        self._show_card()
        if self.capture is not None:
            await self.capture.show(self.deck, self.card)

    def _show_card(self) -> None:
        """The card, its side and the controls (no database work)."""
        assert self.view is not None
        card = self.card
        self._quiet_flip = True
        try:
            self.view.show(
                self.deck, card, flipped=self.session.flipped, position=self.session.current_index + 1, total=self.total
            )
        finally:
            self._quiet_flip = False
        if self.prev_button and self.next_button and self.flip_button:
            self.prev_button.set_enabled(self.session.current_index > 0)
            self.next_button.set_enabled(self.session.current_index < self.total - 1)
            self.flip_button.set_enabled(card.has_back)
        if self.jump is not None and self.jump.value != self.session.current_index:
            self.jump.set_value(self.session.current_index)
        for callback in self.on_state:
            callback()

    # --- moving ----------------------------------------------------------------------------------------------------

    # A move is announced synchronously, in the click's own handler, and the rest is returned to be awaited: the
    # screens that follow hear of it without waiting for a task of its own to be scheduled.

    def next(self) -> Coroutine[Any, Any, None] | None:
        return self.go(self.session.current_index + 1)

    def previous(self) -> Coroutine[Any, Any, None] | None:
        return self.go(self.session.current_index - 1)

    def go(self, index: int) -> Coroutine[Any, Any, None] | None:
        """Move to a card: announced at once; returns the redraw, save and panel reload to await."""
        if not 0 <= index < self.total or index == self.session.current_index:
            return None
        self._move(index, flipped=False)
        return self._moved()

    async def _moved(self) -> None:
        await asyncio.sleep(SCREENS_FIRST_S)
        self._show_card()
        await self._save_position()
        if self.capture is not None:
            await self.capture.show(self.deck, self.card)

    def flip(self) -> Coroutine[Any, Any, None] | None:
        """Turn the card over here at once, then everywhere; returns the save of the side to await."""
        if not self.card.has_back:
            return None
        self._turn_view()
        assert self.view is not None
        self._move(self.session.current_index, flipped=self.view.flipped)
        return self._save_soon()

    async def set_timer(self, seconds: int) -> None:
        try:
            saved = await run.io_bound(sessions.set_timer, self.session.id, seconds)
        except sessions.InputError as e:
            ui.notify(str(e), type='negative')
            return
        self.session = live.keep_position(saved, self.session)
        self._publish('timer')
        for callback in self.on_state:
            callback()

    async def _jumped(self) -> None:
        if self.jump is not None and isinstance(self.jump.value, int) and (moved := self.go(self.jump.value)):
            await moved

    def _card_clicked(self, flipped: bool) -> None:
        """The card itself was clicked and has turned over: show the side everywhere and save it."""
        if not self._quiet_flip:
            self._move(self.session.current_index, flipped=flipped)
            background_tasks.create(self._save_soon(), name='save card side')

    def _turn_view(self) -> None:
        assert self.view is not None
        self._quiet_flip = True
        try:
            self.view.flip()
        finally:
            self._quiet_flip = False

    def _move(self, index: int, *, flipped: bool) -> None:
        """Announce the new position at once: phones, projector and other tabs follow without waiting for the disk.
        The position is saved right after (`_save_position`); if the server stopped in between, the session would
        resume one move back, and no note is ever held this way."""
        self.session.current_index, self.session.flipped = index, flipped
        self._publish('state')

    async def _save_soon(self) -> None:
        """Save the position once the screens that follow have been sent it."""
        await asyncio.sleep(SCREENS_FIRST_S)
        await self._save_position()

    async def _save_position(self) -> None:
        """Save where the session is now. Saves run one at a time, each saving the latest position, so quick moves
        cannot be stored out of order."""
        async with self._saving:
            position = (self.session.current_index, self.session.flipped)
            if position == self._saved:
                return
            saved = await run.io_bound(lambda: sessions.go_to(self.session.id, position[0], flipped=position[1]))
            self._saved = position
        self.session = live.keep_position(saved, self.session)  # moves made meanwhile

    def _publish(self, what: str) -> None:
        self._own_change = True
        try:
            live.publish(
                self.session.id, what, self.card.id, index=self.session.current_index, flipped=self.session.flipped
            )
        finally:
            self._own_change = False

    def _on_change(self, change: live.Change) -> Coroutine[Any, Any, None] | None:
        """Synchronous so that this tab's own announcements are recognised, and so that a position announced by
        another tab is taken at once, in order; returns the redraw to await."""
        if self._own_change or change.what not in {'state', 'timer', 'setup'}:
            return None
        if (position := change.position) is not None:
            before = self.session.current_index
            self.session.current_index, self.session.flipped = position
            self._saved = position  # the tab that moved saves it
            return self._show_position(before)
        return self._reload(keep_position=change.what == 'timer')

    async def _reload(self, *, keep_position: bool = False) -> None:
        """Re-read the session (its set-up or timer changed elsewhere) and show it."""
        before = self.session
        self.session = await run.io_bound(sessions.get_session, before.id)
        if keep_position:
            live.keep_position(self.session, before)
        await self._show_position(before.current_index)

    async def _show_position(self, index_before: int) -> None:
        """Show the session's position: a new card is drawn, the same card is turned over in place."""
        if self.view is None or self.view.is_deleted:
            return
        if self.session.current_index != index_before or self.view.card is None:
            await self.draw()
        else:
            if self.session.flipped != self.view.flipped:
                self._turn_view()
            for callback in self.on_state:
                callback()


class Console(SessionDriver):
    """The facilitator's screen: the card and its controls, the timer, the projector, and the capture panel."""

    async def build(self) -> None:
        session = self.session
        ui.add_css(CSS)
        self.fullscreen = ui.fullscreen()
        with theme.frame(f'Console · {session.title}', wide=True):
            with ui.element('div').classes('ck-session-tools').mark('session-tools'):
                control(
                    'Open projector', 'Open the projector screen in a new window', self.open_projector, icon='cast'
                ).mark('open-projector')
                control('Full screen', 'Full screen (F)', self.fullscreen.toggle, icon='fullscreen').props(
                    'outline'
                ).mark('fullscreen')
                ui.link('Action plan', page_url(session.id, 'actions', self.key)).classes(
                    'ck-button ck-button-quiet'
                ).mark('action-plan-link')
                ui.link('Report', page_url(session.id, 'report', self.key)).classes('ck-button ck-button-quiet').mark(
                    'report-link'
                )
            with ui.element('div').classes('ck-session-grid'):
                with ui.element('div').classes('ck-session-card'):
                    self.card_controls()
                    self.card_view()
                    Text(
                        'p',
                        'Click the card or press Space to turn it over; ← and → move between cards; '
                        'F toggles full screen.',
                    ).classes('ck-hint ck-wide-only')
                    self.timer_controls()
                self.capture_panel()
        self.keys(self._other_key)
        self.follow()
        self.on_state.append(self._show_timer)
        ui.timer(1.0, self._show_timer)
        await self.draw()

    def timer_controls(self) -> None:
        with ui.element('div').classes('ck-panel'):
            Text('h2', 'Timer').style('margin:0')
            with ui.element('div').classes('ck-timer').mark('timer'):
                for minutes in TIMER_CHOICES:
                    control(
                        f'{minutes} min', f'Start a {minutes} minute timer', lambda m=minutes: self.set_timer(m * 60)
                    ).props('outline').mark(f'timer-{minutes}')
                self.custom_minutes = (
                    ui.number('Minutes', min=1, max=sessions.TIMER_MAX // 60, step=1, precision=0)
                    .props('outlined dense')
                    .mark('timer-minutes')
                )
                control('Start', 'Start a timer for the minutes entered', self._start_custom).props('outline').mark(
                    'timer-start'
                )
                control('Stop', 'Stop the timer', lambda: self.set_timer(0), icon='stop').props('outline').mark(
                    'timer-stop'
                )
                self.timer_label = ui.label('No timer').classes('ck-timer-left').mark('timer-left')
                theme.aria(self.timer_label, live='off')

    async def _start_custom(self) -> None:
        minutes = self.custom_minutes.value
        if not minutes or minutes <= 0:
            ui.notify('Enter the number of minutes first', type='negative')
            return
        await self.set_timer(int(minutes * 60))

    def _show_timer(self) -> None:
        if self.timer_label.is_deleted:
            return
        left = sessions.timer_remaining(self.session)
        text = 'No timer' if left is None else ('Time is up' if left == 0 else f'{clock(left)} left')
        if self.timer_label.text != text:
            self.timer_label.set_text(text)
            self.timer_label.classes(add='ck-time-up' if left == 0 else '', remove='' if left == 0 else 'ck-time-up')

    def open_projector(self) -> None:
        ui.navigate.to(page_url(self.session.id, 'projector', sessions.projector_key(self.session)), new_tab=True)

    def _other_key(self, e: KeyEventArguments) -> None:
        if e.key.name in {'f', 'F'} and not e.modifiers.shift:
            self.fullscreen.toggle()
