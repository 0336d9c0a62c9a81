"""One tab's hold on a live session: the card it shows, moving through the cards through the session's hub, and
following what the hub announces from elsewhere (the console and solo mode are both drivers)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from nicegui import context, ui
from nicegui.events import KeyEventArguments

from cardkit import live, sessions
from cardkit.changes import Change, What
from cardkit.deck import Card, Deck
from cardkit.errors import InputError
from cardkit.models import CardSession
from cardkit.ui import design
from cardkit.ui.components.capture import CapturePanel
from cardkit.ui.components.card_view import CardView
from cardkit.ui.components.controls import ARROWS_IGNORED_IN, SPACE_IGNORED_IN, control
from cardkit.ui.components.words import shorten
from cardkit.ui.design import Text

CSS = """
.ck-session-grid { display: grid; grid-template-columns: minmax(0, 7fr) minmax(0, 5fr); gap: 1.25rem;
                   align-items: start; }
@media (max-width: 1000px) { .ck-session-grid { grid-template-columns: minmax(0, 1fr); } }
/* a checklist card is rated item by item beside it: each item and its rating get the room to share one line */
.ck-session-grid:has(.ck-ratings-panel) { grid-template-columns: minmax(0, 4fr) minmax(0, 8fr); }
@media (max-width: 1000px) { .ck-session-grid:has(.ck-ratings-panel) { grid-template-columns: minmax(0, 1fr); } }
/* the card grows to hold its whole side (never a scroll box of its own, never cut); the page scrolls instead */
.ck-session-card { display: flex; flex-direction: column; gap: 0.75rem; min-width: 0; }
.ck-session-card .ck-card { flex: none; }
@media (min-width: 1001px) {
  /* the card stays in view while the notes beside it scroll, when the card and its controls fit the screen */
  .ck-session-card.ck-stick { position: sticky; top: 4.25rem; }
}
@media (min-width: 1001px) and (max-height: 950px) {
  /* a laptop: prompts a little smaller, so a long back (card 2.3's eight) is read in fewer scrolls */
  .ck-session-card .ck-card.ck-size-normal { --ck-prompt: clamp(1.05rem, 0.9rem + 0.3vw, 1.2rem); }
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


# Sticks the card column beside the notes only while it fits the window, so no part of a long card is ever out of
# reach. Constant code: it reads sizes only.
STICK_JS = """<script>
(() => {
  const TOP = 68;  // 4.25rem: below the page header
  const watched = new WeakSet();
  let queued = false;
  const check = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      document.querySelectorAll('.ck-session-card').forEach((column) => {
        if (!watched.has(column)) { watched.add(column); sizes.observe(column); }
        column.classList.toggle('ck-stick', column.offsetHeight + TOP <= window.innerHeight);
      });
    });
  };
  const sizes = new ResizeObserver(check);
  window.addEventListener('resize', check);
  window.addEventListener('load', () => {
    new MutationObserver(check).observe(document.body, {childList: true, subtree: true});
    check();
  });
})();
</script>"""


# A move is announced at once; this tab's own redraw starts this much later, once the screens that follow have been
# sent it (the console's redraw would otherwise be sent first, and its capture panel reads the database).
SCREENS_FIRST_S = 0.02


class SessionDriver:
    """Which card of a session one tab shows; every move goes through the session's hub, which announces it to every
    other screen and saves it, and the tab follows what the hub announces from elsewhere."""

    def __init__(self, session: CardSession, deck: Deck, key: str) -> None:
        self.hub = live.hub(session.id)
        self.session = self.hub.overlay(session)
        self.deck = deck
        self.key = key
        self.client = context.client
        self.origin = self.client.id  # this tab's changes come back marked with it, and are not followed again
        self.view: CardView | None = None
        self.capture: CapturePanel | None = None
        self.jump: ui.select | None = None
        self.prev_button: ui.button | None = None
        self.next_button: ui.button | None = None
        self.flip_button: ui.button | None = None
        self.on_state: list[Callable[[], None]] = []
        self._quiet_flip = False

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
            design.aria(nav, label='Move through the cards')
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
        ui.add_head_html(STICK_JS)
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
        ui.add_head_html(design.SPACE_DOES_NOT_SCROLL_JS)

    def follow(self) -> None:
        self.hub.follow(origin=self.origin, on_position=self._followed, on_change=self._on_change)

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
        """Move to a card: announced at once; returns this tab's redraw and panel reload to await."""
        if not 0 <= index < self.total or index == self.session.current_index:
            return None
        self._move(index, flipped=False)
        return self._moved()

    async def _moved(self) -> None:
        await asyncio.sleep(SCREENS_FIRST_S)
        self._show_card()
        if self.capture is not None:
            await self.capture.show(self.deck, self.card)

    def flip(self) -> None:
        """Turn the card over here and everywhere."""
        if not self.card.has_back:
            return
        self._turn_view()
        assert self.view is not None
        self._move(self.session.current_index, flipped=self.view.flipped)

    def _move(self, index: int, *, flipped: bool) -> None:
        self.session.current_index, self.session.flipped = index, flipped
        self.hub.move(index, flipped, origin=self.origin)

    async def set_timer(self, seconds: int) -> None:
        try:
            await self.hub.do(sessions.set_timer, origin=self.origin, session_id=self.session.id, seconds=seconds)
        except InputError as e:
            design.notify(self.client, str(e), type='negative')
            return
        await self._reload()

    async def _jumped(self) -> None:
        if self.jump is not None and isinstance(self.jump.value, int) and (moved := self.go(self.jump.value)):
            await moved

    def _card_clicked(self, flipped: bool) -> None:
        """The card itself was clicked and has turned over: show the side everywhere."""
        if not self._quiet_flip:
            self._move(self.session.current_index, flipped=flipped)

    def _turn_view(self) -> None:
        assert self.view is not None
        self._quiet_flip = True
        try:
            self.view.flip()
        finally:
            self._quiet_flip = False

    # --- following -------------------------------------------------------------------------------------------------

    def _followed(self, index: int, flipped: bool) -> Coroutine[Any, Any, None] | None:
        """Another screen moved the session: taken at once, in order; returns the redraw to await."""
        before = self.session.current_index
        self.session.current_index, self.session.flipped = index, flipped
        return self._show_position(before)

    def _on_change(self, change: Change) -> Coroutine[Any, Any, None] | None:
        if change.what == What.GONE:
            self._gone()
            return None
        return self._reload() if change.what in (What.TIMER, What.SETUP) else None

    def _gone(self) -> None:
        """The session was deleted (by hand, or its retention period ended): say so instead of its cards."""
        if self.view is None or self.view.is_deleted:
            return
        self.view.clear()
        with self.view, ui.element('div').classes('ck-panel').mark('session-gone'):
            Text('h2', 'This session has been deleted')
            Text('p', 'Its cards, notes and actions are no longer kept. The list of sessions shows the others.')
            ui.link('All sessions', '/sessions')
        for control_ in (self.prev_button, self.next_button, self.flip_button, self.jump):
            if control_ is not None:
                control_.set_enabled(False)
        if self.capture is not None:
            self.capture.set_visibility(False)

    async def _reload(self) -> None:
        """The session as it is now (its set-up or timer changed), shown."""
        before = self.session.current_index
        self.session = await self.hub.session()
        await self._show_position(before)

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
