"""The addresses of the app's pages, in one place (the routes themselves are named in main.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from cardkit.models import CardSession, Mode


def page_url(session_id: int, page: str, key: str) -> str:
    """A page of a session (console, room, actions, report, projector, plenary, …) opened with its key."""
    return f'/session/{session_id}/{page}?{urlencode({"key": key})}'


def session_link(session: CardSession) -> str:
    """Where the session is run: the facilitator's console or the solo page, with the key."""
    page = 'solo' if session.mode == Mode.SOLO else 'console'
    return page_url(session.id, page, session.facilitator_key)


def take_part_url(session_id: int) -> str:
    """A participant's page of a session (their token stays in the browser's storage)."""
    return f'/take-part?s={session_id}'
