"""The projector screen at `/session/{id}/projector?key=…`: only the card, big, following the console live.

It opens with the view-only projector key, has no controls and no capture; H switches to high contrast (or
`?contrast=high`), F to full screen. While the room is open for joining, the code, its QR code and the link stand
beside the card, large enough to read from the back of a hall; they go when joining closes.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from fastapi import Request
from nicegui import ui
from nicegui.events import KeyEventArguments

from cardkit import live, sessions
from cardkit.changes import Change, What
from cardkit.deck import Deck
from cardkit.models import CardSession
from cardkit.ui import design
from cardkit.ui.components.card_view import CardView
from cardkit.ui.components.qr import JoinPanel, asked_from
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.components.words import clock
from cardkit.ui.design import Text

CSS = """
body.ck-projector { background: #E9EBEE; }
.nicegui-content:has(> .ck-stage) { padding: 0; }
.ck-stage { width: 100%; min-height: 100vh; box-sizing: border-box; padding: 1.2vw 1.6vw 0.8vw; display: flex;
            flex-direction: column; gap: 0.8vw; }
.ck-stage .ck-card { cursor: default; flex: 1; }
.ck-stage .ck-band-progress { display: none; }
.ck-stage .ck-card.ck-size-projector { --ck-lead: calc(4.5vw * var(--ck-fit, 1));
                                       --ck-prompt: calc(2vw * var(--ck-fit, 1));
                                       --ck-small: calc(1.45vw * var(--ck-fit, 1)); }
.ck-stage .ck-size-projector .ck-face { min-height: 0; flex: 1; }
.ck-stage-foot { display: flex; justify-content: space-between; align-items: baseline; gap: 2vw;
                 font-size: max(1.6vw, 1.1rem); font-weight: 800; color: #000; font-variant-numeric: tabular-nums; }
.ck-stage-timer { display: flex; align-items: center; gap: 0.4em; }
.ck-stage-timer .q-icon { font-size: 1.1em; }
.ck-stage-timer.ck-time-up { color: #A4262C; }
.ck-stage-body { flex: 1; display: flex; gap: 1.2vw; min-height: 0; }
.ck-stage-body > .ck-card-frame, .ck-stage-body > .ck-card { flex: 1; }
.ck-stage-card { flex: 1; display: flex; min-width: 0; }
.ck-stage-join { flex: 0 0 24vw; background: #FFFFFF; color: #000; border: 2px solid #000; border-radius: 14px;
                 padding: 1.2vw; display: flex; flex-direction: column; gap: 0.6vw; align-items: center;
                 text-align: center; }
.ck-stage-join h2 { margin: 0; font-size: 2vw; font-weight: 800; line-height: 1.15; }
.ck-stage-join .ck-join-box { flex-direction: column; gap: 0.8vw; align-items: center; }
.ck-stage-join .ck-join-links { align-items: center; }
.ck-stage-join .ck-join-code { font-size: 4.6vw; letter-spacing: 0.08em; }
.ck-stage-join .ck-join-qr { width: 17vw; height: 17vw; }
.ck-stage-join .ck-join-links a { font-size: 1.1vw; font-weight: 700; }
.ck-stage-join .ck-join-links p { font-size: 1.3vw; color: #000; }
.ck-stage-join .ck-hint { display: none; }
@media (max-width: 700px) {
  .ck-stage-body { flex-direction: column; }
  .ck-stage-join { flex: none; }
  .ck-stage-join h2 { font-size: 1.2rem; }
  .ck-stage-join .ck-join-code { font-size: 2.4rem; }
  .ck-stage-join .ck-join-qr { width: 10rem; height: 10rem; }
  .ck-stage-join .ck-join-links a, .ck-stage-join .ck-join-links p { font-size: 1rem; }
  .ck-stage .ck-card.ck-size-projector { --ck-lead: clamp(1.45rem, 0.9rem + 2.1vw, 2.9rem);
                                         --ck-prompt: 1.05rem; --ck-small: 0.9rem; }
}
body.ck-high-contrast { background: #000; }
.ck-high-contrast .ck-stage .ck-card { --ck-ink: #FFFFFF; --ck-muted: #FFFFFF; --ck-paper: #000000;
                                       background: #000; color: #fff; border: 3px solid #fff; box-shadow: none; }
.ck-high-contrast .ck-stage .ck-card .ck-lead { color: #FFDD00; }
.ck-high-contrast .ck-stage .ck-card .ck-marker, .ck-high-contrast .ck-stage .ck-card .ck-card-id,
.ck-high-contrast .ck-stage .ck-card .ck-see-over, .ck-high-contrast .ck-stage .ck-card h3 { color: #FFDD00; }
.ck-high-contrast .ck-stage .ck-card .ck-links a { color: #8FD3FF; }
.ck-high-contrast .ck-stage .ck-band { border-bottom: 3px solid #fff; }
.ck-high-contrast .ck-stage-foot { color: #fff; }
.ck-high-contrast .ck-stage-join { background: #000; color: #fff; border-color: #fff; }
.ck-high-contrast .ck-stage-join .ck-join-links a, .ck-high-contrast .ck-stage-join .ck-join-links p { color: #fff; }
.ck-high-contrast .ck-stage-timer.ck-time-up { color: #FFDD00; }
"""

# Shrink the card's text until the whole card fits the screen (long backs, small screens); constant code only.
FIT_JS = """<script>
(() => {
  let busy = false;
  const fit = () => {
    const card = document.querySelector('.ck-stage .ck-card');
    if (!card || busy) return;
    busy = true;
    let scale = 1;
    card.style.setProperty('--ck-fit', scale);
    const over = () => document.documentElement.scrollHeight > window.innerHeight + 1;
    while (over() && scale > 0.5) { scale -= 0.04; card.style.setProperty('--ck-fit', scale.toFixed(2)); }
    busy = false;
  };
  const observer = new MutationObserver(() => requestAnimationFrame(fit));
  window.addEventListener('load', () => {
    observer.observe(document.body, {childList: true, subtree: true, characterData: true});
    fit();
  });
  window.addEventListener('resize', () => requestAnimationFrame(fit));
})();
</script>"""


async def content(request: Request, session_id: int, key: str = '', contrast: str = '') -> None:
    """The projector screen of a session."""
    session = await open_with_key(sessions.session_for_projector, session_id, key)
    if session is None:
        refused()
        return
    deck = await live.look(sessions.deck_of, session=session)
    Projector(session, deck, *asked_from(request), high_contrast=contrast == 'high').build()


class Projector:
    """The card, its place in the session and the timer, redrawn in place whenever the session moves."""

    def __init__(self, session: CardSession, deck: Deck, host: str | None, scheme: str, *, high_contrast: bool) -> None:
        self.hub = live.hub(session.id)
        self.host = host
        self.scheme = scheme
        self.session = self.hub.overlay(session)
        self.deck = deck
        self.high_contrast = high_contrast
        self.join_shown: str | None = ''  # the code the screen shows; '' until the first draw

    def build(self) -> None:
        ui.add_css(design.CSS)
        ui.add_css(CSS)
        ui.add_head_html(FIT_JS)
        ui.colors(primary=design.ACCENT, negative=design.DANGER)
        ui.page_title(f'{self.session.title} · Projector · {design.APP_NAME}')
        ui.query('body').classes('ck-body ck-projector')
        self._apply_contrast()
        self.fullscreen = ui.fullscreen()
        with ui.element('main').classes('ck-stage').mark('projector') as self.stage:
            with ui.element('div').classes('ck-stage-body'):
                with ui.element('div').classes('ck-stage-card'):
                    self.view = CardView('projector', clickable=False)  # it turns when the console says so
                with ui.element('aside').classes('ck-stage-join').mark('projector-joining') as self.join_box:
                    design.aria(self.join_box, label='How to join')
                    Text('h2', 'Join from your phone')
                    self.join_panel = JoinPanel(self.host, scheme=self.scheme, size='projector')
            with ui.element('div').classes('ck-stage-foot'):
                self.progress = ui.label().mark('projector-progress')
                with ui.element('div').classes('ck-stage-timer') as self.timer_box:
                    ui.icon('timer').props('aria-hidden=true')
                    self.timer_label = ui.label().mark('projector-timer')
                self.timer_box.set_visibility(False)
        ui.keyboard(self._key, ignore=[])
        ui.timer(1.0, self._show_timer)
        self.hub.follow(on_position=self._followed, on_change=self._on_change)
        self._draw()

    def _draw(self) -> None:
        session = self.session
        card = self.deck.card(session.card_ids[session.current_index])
        self.view.show(
            self.deck, card, flipped=session.flipped, position=session.current_index + 1, total=len(session.card_ids)
        )
        self.progress.set_text(f'{session.current_index + 1} / {len(session.card_ids)}')
        self._show_timer()
        self._show_joining()

    def _show_joining(self) -> None:
        code = self.session.join_code
        if self.join_box.is_deleted or (code or None) == self.join_shown:
            return
        self.join_shown = code or None
        self.join_box.set_visibility(bool(code))
        if code:
            self.join_panel.show(code)

    def _show_timer(self) -> None:
        if self.timer_label.is_deleted:
            return
        left = sessions.timer_remaining(self.session)
        text = '' if left is None else ('Time is up' if left == 0 else f'{clock(left)} left')
        if self.timer_label.text != text:
            self.timer_label.set_text(text)
            self.timer_box.set_visibility(bool(text))
            self.timer_box.classes(add='ck-time-up' if left == 0 else '', remove='' if left == 0 else 'ck-time-up')

    def _followed(self, index: int, flipped: bool) -> None:
        """A position comes with its announcement and is shown at once."""
        before = self.session.current_index
        self.session.current_index, self.session.flipped = index, flipped
        self._show_position(before)

    def _on_change(self, change: Change) -> Coroutine[Any, Any, None] | None:
        """A new timer or set-up is read; a deleted session says so."""
        if change.what == What.GONE:
            self._gone()
            return None
        return self._reload() if change.what in (What.TIMER, What.SETUP, What.ROOM) else None

    async def _reload(self) -> None:
        before = self.session.current_index
        self.session = await self.hub.session()
        self._show_position(before)
        self._show_joining()

    def _gone(self) -> None:
        """The session was deleted (by hand, or its retention period ended): the screen says so, and shows no card."""
        if self.stage.is_deleted:
            return
        self.stage.clear()
        with self.stage, ui.element('div').classes('ck-panel').mark('projector-gone'):
            Text('h1', 'This session has ended')
            Text('p', 'It was deleted, so there is nothing more to show on this screen.')

    def _show_position(self, index_before: int) -> None:
        if self.view.is_deleted:
            return
        if self.session.current_index == index_before and self.session.flipped != self.view.flipped:
            self.view.flip()  # same card turned over: animate it
            self._show_timer()
        else:
            self._draw()

    def _key(self, e: KeyEventArguments) -> None:
        if not e.action.keydown or e.action.repeat or e.modifiers.ctrl or e.modifiers.alt or e.modifiers.meta:
            return
        if e.key.name in {'h', 'H'}:
            self.high_contrast = not self.high_contrast
            self._apply_contrast()
        elif e.key.name in {'f', 'F'}:
            self.fullscreen.toggle()

    def _apply_contrast(self) -> None:
        if self.high_contrast:
            ui.query('body').classes(add='ck-high-contrast')
        else:
            ui.query('body').classes(remove='ck-high-contrast')
