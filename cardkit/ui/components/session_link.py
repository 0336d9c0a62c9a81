"""Opening a session by the key in its link, and the one page for a link that does not open it."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from cardkit import live
from cardkit.errors import NotFound
from cardkit.models import CardSession
from cardkit.ui.design import Text, frame

INVALID_LINK = 'This session link is not valid'


async def open_with_key(finder: Callable[..., CardSession], session_id: int, key: str) -> CardSession | None:
    """The session if the key opens it (a facilitator's or the projector's finder), else None: an unknown session
    and a wrong key look the same."""
    if not key:
        return None
    try:
        return await live.look(finder, session_id=session_id, key=key)
    except NotFound:
        return None


def refused(page_title: str = 'Session link not valid', message: str = INVALID_LINK) -> None:
    """The page for a session link whose key is missing or wrong: says so, reveals nothing, and leads back."""
    with frame(page_title), ui.element('div').classes('ck-panel').mark('not-valid'):
        Text('h1', message)
        Text(
            'p',
            'Check that you copied the whole link, or ask the person running the session for it again. '
            'Facilitators open their sessions from the list of sessions.',
        ).classes('ck-muted')
        with ui.element('div').classes('flex gap-4'):
            ui.link('All sessions', '/sessions')
            ui.link('The deck library', '/')
