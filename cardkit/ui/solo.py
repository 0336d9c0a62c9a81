"""Solo mode at `/session/{id}/solo?key=…`: one person works through the cards at their own pace and takes notes.

The card and its controls sit beside the capture panel on wide screens and above it on a phone.
"""

from __future__ import annotations

from nicegui import ui

from cardkit import live, sessions
from cardkit.ui import design
from cardkit.ui.components.session_driver import CSS, SessionDriver
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.components.workspace import Stage, stages
from cardkit.ui.design import Text


async def content(session_id: int, key: str = '') -> None:
    """Solo mode of a session (opened with the session's own key)."""
    session = await open_with_key(sessions.session_for_key, session_id, key)
    if session is None:
        refused()
        return
    deck = await live.look(sessions.deck_of, session=session)
    await Solo(session, deck, key).build()


class Solo(SessionDriver):
    """The card with previous, next, turn over and jump, and the capture panel for it."""

    async def build(self) -> None:
        session = self.session
        ui.add_css(CSS)
        with design.frame(session.title, wide=True):
            stages(session, Stage.CARDS)
            grid = ui.element('div').classes('ck-session-grid')
        with grid:
            with ui.element('div').classes('ck-session-card'):
                self.card_controls()
                self.card_view()
                Text('p', 'Tap the card or press Space to turn it over; ← and → move between cards.').classes(
                    'ck-hint ck-wide-only'
                )
            self.capture_panel()
        self.keys()
        self.follow()
        await self.draw()
