"""Who may open the facilitator pages: a browser on this machine, or one that gave the installation's code."""
from __future__ import annotations

import functools
import ipaddress
import secrets
from collections.abc import Callable
from typing import Any

from nicegui import app, ui

from cardkit import config
from cardkit.ui.theme import frame
from cardkit.workshop import JoinThrottle

_STORAGE_KEY = 'cardkit_facilitator'
_throttle = JoinThrottle(limit=5, window=60)


def _client_host() -> str:
    request = ui.context.client.request
    return request.client.host if request is not None and request.client is not None else ''


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == 'localhost'


def is_facilitator() -> bool:
    """This browser is on the server's own machine, or signed in with the facilitator code."""
    if config.trust_loopback() and _is_loopback(_client_host()):
        return True
    stored = app.storage.user.get(_STORAGE_KEY, '')
    return bool(stored) and secrets.compare_digest(stored, config.facilitator_code())


def facilitator_only(page: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the page to facilitators; everyone else gets the sign-in form (and nothing of the page)."""
    @functools.wraps(page)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if is_facilitator():
            return page(*args, **kwargs)
        _sign_in()
        return None
    return guarded


def _sign_in() -> None:
    with frame('Facilitator sign-in'):
        ui.label('Facilitators only').classes('text-2xl font-bold')
        ui.label('This page is for the facilitator. Enter the facilitator code that the Cardkit server printed '
                 'when it started. Participants join with the code shown on the projector at /join.')
        code = ui.input('Facilitator code', password=True).props('autocomplete=off').mark('facilitator-code')
        message = ui.label('').classes('text-red-800').props('role=alert').mark('sign-in-message')

        def check() -> None:
            host = _client_host()
            if not _throttle.allow(host):
                message.text = f'Too many attempts; try again in {_throttle.wait_seconds(host)} seconds.'
                return
            if secrets.compare_digest((code.value or '').strip(), config.facilitator_code()):
                app.storage.user[_STORAGE_KEY] = config.facilitator_code()
                ui.navigate.reload()
            else:
                message.text = 'That is not the facilitator code.'

        code.on('keydown.enter', check)
        ui.button('Sign in', on_click=check).mark('sign-in')
        ui.link('Join a session as a participant', '/join')
