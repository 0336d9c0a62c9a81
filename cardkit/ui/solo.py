"""Solo mode at `/session/{id}/solo?key=…`: one person works through the cards at their own pace and takes notes.

The card and its controls sit beside the capture panel on wide screens and above it on a phone.
"""

from __future__ import annotations

from nicegui import run, ui

from cardkit import sessions
from cardkit.ui import theme
from cardkit.ui.console import CSS, SessionDriver, link_not_valid, open_session, page_url
from cardkit.ui.theme import Text


async def content(session_id: int, key: str = '') -> None:
    """Solo mode of a session (opened with the session's own key)."""
    session = await open_session(sessions.session_for_key, session_id, key)
    if session is None:
        link_not_valid()
        return
    deck = await run.io_bound(sessions.deck_of, session)
    await Solo(session, deck, key).build()


class Solo(SessionDriver):
    """The card with previous, next, turn over and jump, and the capture panel for it."""

    async def build(self) -> None:
        session = self.session
        ui.add_css(CSS)
        with theme.frame(session.title, wide=True), ui.element('div').classes('ck-session-grid'):
            with ui.element('div').classes('ck-session-card'):
                self.card_controls()
                self.card_view()
                Text('p', 'Tap the card or press Space to turn it over; ← and → move between cards.').classes(
                    'ck-hint ck-wide-only'
                )
                with ui.element('div').classes('ck-session-tools'):
                    ui.link('Action plan', page_url(session.id, 'actions', self.key)).classes(
                        'ck-button ck-button-quiet'
                    ).mark('action-plan-link')
                    ui.link('Report', page_url(session.id, 'report', self.key)).classes(
                        'ck-button ck-button-quiet'
                    ).mark('report-link')
            self.capture_panel()
        self.keys()
        self.follow()
        await self.draw()
