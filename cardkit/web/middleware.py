"""The ASGI layer every request and socket passes first: the host check, the origin check, who the client is behind a
trusted proxy, the request-size limit, and the headers that keep pages out of other sites' frames and caches."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from cardkit.web.hosts import FORWARDING_HEADERS, HostPolicy, Proxies, same_origin

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

BODY_MAX = 1_000_000  # any request body but an upload: NiceGUI's pages send their events over the socket
UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file
UPLOAD_PATH = re.compile(r'^/_nicegui/client/([0-9a-f-]{1,64})/upload/(\d{1,12})$')

# NiceGUI builds its pages in the browser: Vue compiles templates at run time and NiceGUI evaluates its own handlers,
# hence 'unsafe-eval' and inline scripts. What this still stops: scripts, styles, frames and connections from any
# other origin, plugins, a changed <base>, forms posting elsewhere, and every framing of these pages.
CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; media-src 'self'; "
    "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b'content-security-policy', CSP.encode()),
    (b'x-frame-options', b'DENY'),
    (b'x-content-type-options', b'nosniff'),
    (b'referrer-policy', b'same-origin'),  # facilitator links carry their key: never send them to another site
    (b'cross-origin-opener-policy', b'same-origin'),
    (b'cross-origin-resource-policy', b'same-origin'),
    (b'permissions-policy', b'camera=(), microphone=(), geolocation=(), payment=(), usb=()'),
)
NO_STORE = (b'cache-control', b'no-store')  # pages hold keys and people's words; static files keep their caching


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get('headers', ()):
        if key == name:
            return value.decode('latin-1')
    return None


class EdgeMiddleware:
    """Refuses requests for foreign hosts and sockets from foreign origins before the app sees them, resolves the
    client behind trusted proxies, limits request bodies and adds the security headers to every response.

    `policy`, `proxies` and `upload_limit` are asked on each request (they are cheap), so settings read from the
    environment stay in one place.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        policy: Callable[[], HostPolicy],
        proxies: Callable[[], Proxies],
        upload_limit: Callable[[str, str], int | None],
    ) -> None:
        self.app = app
        self.policy = policy
        self.proxies = proxies
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope['type'] not in ('http', 'websocket'):
            await self.app(scope, receive, send)
            return
        policy = self.policy()
        host = _header(scope, b'host')
        if not policy.allows(host):
            await _refuse(
                scope,
                send,
                400,
                'This Cardkit server does not answer to that name. If it is the name '
                'people use for this server, add it to CARDKIT_ALLOWED_HOSTS.',
            )
            return
        self._resolve_client(scope)
        scheme = scope.get('scheme', 'http')
        origin = _header(scope, b'origin')
        path = scope.get('path', '')
        checks_origin = (
            scope['type'] == 'websocket'
            or path.startswith('/_nicegui_ws')
            or scope.get('method', 'GET') not in ('GET', 'HEAD', 'OPTIONS')
        )
        if checks_origin and not same_origin(origin, host, scheme, policy):
            await _refuse(scope, send, 403, 'Requests from pages of other sites are not accepted.')
            return
        if scope['type'] == 'websocket':
            await self.app(scope, receive, send)
            return
        await self._http(scope, receive, send)

    def _resolve_client(self, scope: Scope) -> None:
        """The client's address and scheme as the trusted proxy saw them; `cardkit.forwarded` says whether forwarding
        headers came from someone who is not a trusted proxy (such a request is never one from this machine)."""
        peer = scope.get('client') or ('', 0)
        proxies = self.proxies()
        state = scope.setdefault('state', {})
        trusted = proxies.trusts(peer[0])
        if trusted:
            address = proxies.client_of(peer[0], _header(scope, b'x-forwarded-for'))
            scope['client'] = (address, 0)
            proto = (_header(scope, b'x-forwarded-proto') or '').split(',')[0].strip().lower()
            if proto in ('http', 'https'):
                scope['scheme'] = proto if scope['type'] == 'http' else {'http': 'ws', 'https': 'wss'}[proto]
        state['cardkit.untrusted_forwarding'] = not trusted and any(
            _header(scope, name.encode()) is not None for name in FORWARDING_HEADERS
        )

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get('path', '')
        found = UPLOAD_PATH.match(path)
        limit = BODY_MAX
        if found:
            limit = (self.upload_limit(found.group(1), found.group(2)) or BODY_MAX) + UPLOAD_OVERHEAD
        length = _header(scope, b'content-length')
        if length is not None and (not length.strip().isdigit() or int(length) > limit):
            allowed = limit - UPLOAD_OVERHEAD if found else limit
            await _refuse(scope, send, 413, f'The upload is larger than {allowed:,} bytes; nothing was stored.')
            return
        received = 0
        too_large = False
        started = False
        page = not path.startswith('/_nicegui')

        async def limited_receive() -> MutableMapping[str, Any]:
            nonlocal received, too_large
            message = await receive()
            if message['type'] == 'http.request':
                received += len(message.get('body', b''))
                if received > limit:
                    too_large = True
                    return {'type': 'http.disconnect'}  # the app stops reading; the answer is ours
            return message

        async def guarded_send(message: MutableMapping[str, Any]) -> None:
            nonlocal started
            if too_large and not started:
                return
            if message['type'] == 'http.response.start':
                started = True
                headers = list(message.get('headers', []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if page and b'cache-control' not in present:
                    headers.append(NO_STORE)
                message = {**message, 'headers': headers}
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await _refuse(scope, send, 413, 'The upload is too large; nothing was stored.')


async def _refuse(scope: Scope, send: Send, status: int, text: str) -> None:
    if scope['type'] == 'websocket':
        await send({'type': 'websocket.close', 'code': 1008})
        return
    body = text.encode()
    await send(
        {
            'type': 'http.response.start',
            'status': status,
            'headers': [
                (b'content-type', b'text/plain; charset=utf-8'),
                (b'content-length', str(len(body)).encode()),
                (b'connection', b'close'),
                *SECURITY_HEADERS,
            ],
        }
    )
    await send({'type': 'http.response.body', 'body': body})
