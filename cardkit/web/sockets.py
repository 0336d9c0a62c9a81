"""Which socket messages from a browser are taken: NiceGUI's own handlers, behind a check of each message's shape and
of the socket that sent it.

A browser's page has a client id; its socket joins that client's room at the handshake. A message naming another
client, or an element or listener its page does not have, or shaped unlike what nicegui.js sends, is dropped without
a traceback (a count and one line a minute say how many). Log messages from browsers are cut to one short line of
plain text, and only a few a minute are written, so a page cannot fill the server's disk.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cardkit.allowance import Allowance

log = logging.getLogger('cardkit.browser')

LOG_LINE_MAX = 300
LOG_PER_CLIENT = 5  # a page's burst of log lines; one more every 12 s
LOG_CLIENT_REFILL_S = 12.0
LOG_ALL = 60  # all pages together: a burst of 60 lines, then one a second
LOG_ALL_REFILL_S = 1.0
ARGS_MAX = 64 * 1024  # an event's arguments (the longest a text box sends is a note of 4,000 characters)
REPORT_EVERY_S = 60.0
LEVELS = {'debug': logging.DEBUG, 'info': logging.INFO, 'warning': logging.WARNING, 'error': logging.ERROR}
_CONTROL = re.compile(r'[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]')
_ESCAPE = re.compile(r'\x1b\[[0-9;?]*[ -/]*[@-~]')


def one_line(text: str, limit: int = LOG_LINE_MAX) -> str:
    """A browser's text as one line for the log: the first line, no escape sequences or control characters."""
    first = _ESCAPE.sub('', text).replace('\r', '\n').split('\n', 1)[0]
    first = _CONTROL.sub('', first).strip()
    return first if len(first) <= limit else first[: limit - 1] + '…'


@dataclass
class SocketGuard:
    """The checks and counts of browser messages for one running app (owned by the app's composition root)."""

    clock: Callable[[], float] = time.monotonic
    dropped: dict[str, int] = field(default_factory=dict)
    logged: int = 0
    _pages: Allowance | None = None
    _all: Allowance | None = None
    _reported_at: float = 0.0

    def __post_init__(self) -> None:
        self._pages = Allowance(LOG_PER_CLIENT, LOG_CLIENT_REFILL_S, self.clock)
        self._all = Allowance(LOG_ALL, LOG_ALL_REFILL_S, self.clock)

    def drop(self, reason: str) -> None:
        self.dropped[reason] = self.dropped.get(reason, 0) + 1
        now = self.clock()
        if now - self._reported_at >= REPORT_EVERY_S:
            self._reported_at = now
            log.warning(
                'dropped browser messages so far: %s', ', '.join(f'{k} {v}' for k, v in sorted(self.dropped.items()))
            )

    def may_log(self, client_id: str) -> bool:
        return self._pages.take(client_id) and self._all.take('all pages')


def _text(value: Any, limit: int = 100) -> bool:
    return isinstance(value, str) and 0 < len(value) <= limit


def valid_event(msg: Any) -> bool:
    """The shape nicegui.js gives an `event` message: {id, client_id, listener_id, args: [JSON texts]}."""
    if not isinstance(msg, dict) or not _text(msg.get('client_id')) or not _text(msg.get('listener_id')):
        return False
    if not isinstance(msg.get('id'), int) or isinstance(msg.get('id'), bool):
        return False
    args = msg.get('args', [])
    if not isinstance(args, list) or sum(len(a) if isinstance(a, str) else 0 for a in args) > ARGS_MAX:
        return False
    for arg in args:
        if arg is None:
            continue
        if not isinstance(arg, str):
            return False
        try:
            json.loads(arg)
        except ValueError:
            return False
    return True


def install(sio: Any, guard: SocketGuard) -> None:
    """Put the checks in front of NiceGUI's socket handlers (python-socketio keeps one handler per event name)."""
    from nicegui import Client, nicegui

    def owns(sid: str, client_id: str) -> Any:
        """The client, if this socket joined its room at the handshake."""
        client = Client.instances.get(client_id)
        if client is None or client_id not in sio.rooms(sid):
            return None
        return client

    async def on_connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        query = environ.get('QUERY_STRING', '') if isinstance(environ, dict) else ''
        from urllib.parse import parse_qs

        fields = {k: v[0] for k, v in parse_qs(query).items()}
        if fields.get('implicit_handshake') == 'true' and not all(
            _text(fields.get(name)) for name in ('client_id', 'tab_id', 'document_id')
        ):
            guard.drop('connect')
            from socketio.exceptions import ConnectionRefusedError

            raise ConnectionRefusedError('handshake refused')
        await nicegui._on_connect(sid, environ, auth)

    async def on_handshake(sid: str, data: Any) -> bool:
        if not isinstance(data, dict) or not all(_text(data.get(n)) for n in ('client_id', 'tab_id', 'document_id')):
            guard.drop('handshake')
            return False
        return await nicegui._on_handshake(sid, data)

    def on_event(sid: str, msg: Any) -> None:
        if not valid_event(msg):
            guard.drop('event shape')
            return
        client = owns(sid, msg['client_id'])
        if client is None or not client.has_socket_connection:
            guard.drop('event for another page')
            return
        element = client.elements.get(msg['id'])
        if element is None or msg['listener_id'] not in getattr(element, '_event_listeners', {}):
            guard.drop('event for an element the page lacks')
            return
        try:
            client.handle_event(msg)
        except Exception as error:  # a forged message must not leave a traceback per try
            guard.drop(f'event failed ({type(error).__name__})')

    def on_javascript_response(sid: str, msg: Any) -> None:
        if not isinstance(msg, dict) or not _text(msg.get('client_id')) or not _text(msg.get('request_id')):
            guard.drop('javascript response shape')
            return
        if owns(sid, msg['client_id']) is None:
            guard.drop('javascript response for another page')
            return
        try:
            client_message = {'request_id': msg['request_id'], 'result': msg.get('result')}
            Client.instances[msg['client_id']].handle_javascript_response(client_message)
        except Exception as error:
            guard.drop(f'javascript response failed ({type(error).__name__})')

    def on_ack(sid: str, msg: Any) -> None:
        if (
            not isinstance(msg, dict)
            or not _text(msg.get('client_id'))
            or not isinstance(msg.get('next_message_id'), int)
        ):
            guard.drop('ack shape')
            return
        client = owns(sid, msg['client_id'])
        if client is None:
            guard.drop('ack for another page')
            return
        client.outbox.prune_history(msg['next_message_id'])

    def on_log(sid: str, msg: Any) -> None:
        if (
            not isinstance(msg, dict)
            or not _text(msg.get('client_id'))
            or msg.get('level') not in LEVELS
            or not isinstance(msg.get('message'), str)
        ):
            guard.drop('log shape')
            return
        if owns(sid, msg['client_id']) is None:
            guard.drop('log for another page')
            return
        if not guard.may_log(msg['client_id']):
            guard.drop('log over the limit')
            return
        guard.logged += 1
        log.log(LEVELS[msg['level']], 'browser %s: %s', msg['client_id'][:8], one_line(msg['message']))

    for name, handler in (
        ('connect', on_connect),
        ('handshake', on_handshake),
        ('event', on_event),
        ('javascript_response', on_javascript_response),
        ('ack', on_ack),
        ('log', on_log),
    ):
        sio.on(name, handler)
