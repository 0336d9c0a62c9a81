"""Who may open the facilitator pages: a browser on this machine, or one that gave the installation's code.

"This machine" is decided strictly: the request came straight from a loopback address (or a configured proxy said
so), it names a loopback host, and it carries no forwarding headers from anyone unlisted. A local reverse proxy that
forwards other people's requests names the public host, so it never counts; a page of another site whose name was
made to resolve here (DNS rebinding) never even reaches the page (`cardkit.web.hosts`).
"""

from __future__ import annotations

import functools
import inspect
import secrets
from collections.abc import Callable
from typing import Any

from nicegui import app, ui

from cardkit import config
from cardkit.ui.design import frame
from cardkit.web.hosts import is_loopback, split_host
from cardkit.workshop import WrongCodes

_STORAGE_KEY = 'cardkit_facilitator'
_throttle = WrongCodes(burst=5, refill=12.0)  # five wrong codes, then one more every 12 seconds


def _client_host() -> str:
    request = ui.context.client.request
    return request.client.host if request is not None and request.client is not None else ''


def from_this_machine() -> bool:
    """The page was asked for by a browser on the server's own machine, by a loopback name."""
    request = ui.context.client.request
    if request is None or request.client is None or request.scope.get('state', {}).get('cardkit.untrusted_forwarding'):
        return False
    host = split_host(request.headers.get('host'))
    return host is not None and is_loopback(host[0]) and is_loopback(request.client.host)


def is_facilitator() -> bool:
    """This browser is on the server's own machine, or signed in with the facilitator code."""
    if config.trust_loopback() and from_this_machine():
        return True
    stored = app.storage.user.get(_STORAGE_KEY, '')
    return isinstance(stored, str) and bool(stored) and secrets.compare_digest(stored, config.facilitator_token())


def facilitator_only(page: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the page to facilitators; everyone else gets the sign-in form (and nothing of the page)."""

    @functools.wraps(page)
    async def guarded(*args: Any, **kwargs: Any) -> None:
        if not is_facilitator():
            _sign_in()
            return
        built = page(*args, **kwargs)
        if inspect.isawaitable(built):
            await built

    return guarded


def _sign_in() -> None:
    with frame('Facilitator sign-in'):
        ui.label('Facilitators only').classes('text-2xl font-bold')
        ui.label(
            'This page is for the facilitator. Enter the facilitator code that the Cardkit server printed '
            'when it started. Participants join with the code shown on the projector at /join.'
        )
        code = ui.input('Facilitator code', password=True).props('autocomplete=off').mark('facilitator-code')
        message = ui.label('').classes('text-red-800').props('role=alert').mark('sign-in-message')

        def check() -> None:
            host = _client_host()
            if _throttle.blocked(host):
                message.text = f'Too many attempts; try again in {_throttle.wait_seconds(host)} seconds.'
                return
            if secrets.compare_digest((code.value or '').strip(), config.facilitator_code()):
                app.storage.user[_STORAGE_KEY] = config.facilitator_token()
                ui.navigate.reload()
            else:
                _throttle.wrong(host)
                message.text = 'That is not the facilitator code.'

        code.on('keydown.enter', check)
        ui.button('Sign in', on_click=check).mark('sign-in')
        ui.link('Join a session as a participant', '/join')
