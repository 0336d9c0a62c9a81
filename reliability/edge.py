"""The app's edge under attack: a page of another site reaching the facilitator's pages (DNS rebinding), a page
filling the server's log, forged socket messages, and a thousand slow connections."""

from __future__ import annotations

import asyncio
import contextlib
import resource
import socket
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from reliability.server import ServerProcess, running_server, server_data, start_workshop
from reliability.simbrowser import SimBrowser

FOREIGN = 'rebound.attacker.example'


async def _raw_get(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    """A GET with exactly these headers (a browser on this machine asked by a page of another site)."""
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    lines = [f'GET {path} HTTP/1.1', *(f'{k}: {v}' for k, v in headers.items()), 'Connection: close', '', '']
    writer.write('\r\n'.join(lines).encode())
    await writer.drain()
    data = await asyncio.wait_for(reader.read(), 30)
    writer.close()
    head, _, body = data.partition(b'\r\n\r\n')
    status = int(head.split(b' ', 2)[1]) if head.startswith(b'HTTP/') else 0
    return status, body.decode('utf-8', errors='replace')


async def _socket_status(port: int, origin: str) -> int:
    """The status a WebSocket upgrade of NiceGUI's socket gets with this Origin (101 is accepted)."""
    reader, writer = await asyncio.open_connection('127.0.0.1', port)
    request = (
        f'GET /_nicegui_ws/socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n'
        f'Origin: {origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n'
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'
    )
    writer.write(request.encode())
    await writer.drain()
    line = await asyncio.wait_for(reader.readline(), 15)
    writer.close()
    return int(line.split(b' ', 2)[1]) if line.startswith(b'HTTP/') else 0


async def _rebinding(server: ServerProcess, session: Any, projector_key: str) -> dict[str, Any]:
    port = server.port
    secrets_of = (session.facilitator_key, projector_key)
    paths = (
        '/sessions',
        '/sessions/new',
        '/decks/yours',
        f'/session/{session.id}/console?key={session.facilitator_key}',
        f'/session/{session.id}/room?key={session.facilitator_key}',
        '/',
    )
    foreign = {'Host': f'{FOREIGN}:{port}', 'Origin': f'http://{FOREIGN}:{port}'}
    refused = leaked = 0
    for path in paths:
        status, body = await _raw_get(port, path, foreign)
        refused += status == 400
        leaked += sum(secret in body for secret in secrets_of)
    own_status, own_body = await _raw_get(port, '/sessions', {'Host': f'127.0.0.1:{port}'})
    proxied_status, proxied_body = await _raw_get(port, '/sessions', {'Host': 'cardkit.college.example'})
    forwarded_status, forwarded_body = await _raw_get(
        port, '/sessions', {'Host': f'127.0.0.1:{port}', 'X-Forwarded-For': '203.0.113.50'}
    )
    upload = await _oversized_upload(server)
    return {
        **upload,
        'edge_foreign_host_requests': len(paths),
        'edge_foreign_host_refused': refused,
        'edge_keys_to_foreign_host': leaked,
        'edge_keys_with_own_host': int(own_status == 200 and session.facilitator_key in own_body),
        'edge_keys_via_unconfigured_proxy': sum(
            secret in body for body in (proxied_body, forwarded_body) for secret in secrets_of
        ),
        'edge_unconfigured_proxy_statuses': [proxied_status, forwarded_status],
        'edge_foreign_origin_socket_status': await _socket_status(port, f'http://{FOREIGN}:{port}'),
        'edge_own_origin_socket_status': await _socket_status(port, f'http://127.0.0.1:{port}'),
    }


async def _oversized_upload(server: ServerProcess) -> dict[str, Any]:
    """An upload of 20 MB posted straight to the deck upload of the authoring page (its limit is 1 MB)."""
    import aiohttp

    browser = SimBrowser(server.url)
    page = await browser.open('/decks/yours')
    url = next(
        e['props']['url']
        for e in page.elements.values()
        if (e.get('props') or {}).get('url', '').startswith('/_nicegui/client/')
        and e['props'].get('accept') == '.yaml,.yml'
    )
    form = aiohttp.FormData()
    form.add_field('file', b'id: big\ntitle: ' + b'x' * 20_000_000, filename='big.yaml')
    async with browser.http.post(server.url + url, data=form) as response:
        status = response.status
    await page.close()
    await browser.close()
    return {'edge_upload_oversize_status': status}


def _files_not_private(*folders: Path) -> list[str]:
    return [
        str(p.relative_to(folder))
        for folder in folders
        for p in folder.rglob('*')
        if p.is_file() and p.stat().st_mode & 0o077
    ]


def measure_rebinding() -> dict[str, Any]:
    """A browser on the server's own machine, asked by a page of another site whose name now resolves to 127.0.0.1:
    every facilitator page, with the facilitator trusted on this machine (the default). Then a local proxy that
    passes on the public Host or adds X-Forwarded-For without being listed. Count the keys that reach it."""
    from cardkit import sessions

    with server_data() as data:
        session = start_workshop(f'Rebinding target {uuid.uuid4().hex[:6]}')
        projector_key = sessions.projector_key(session)
        env = {'CARDKIT_ALLOWED_HOSTS': 'cardkit.college.example'}
        with running_server(data, env=env) as server:
            figures = asyncio.run(_rebinding(server, session, projector_key))
            figures['edge_rebinding_tracebacks'] = len(server.errors_logged())
            figures['edge_upload_oversize_stored'] = int(any(d.deck_id == 'big' for d in _org_decks()))
            shared = [name for name in _files_not_private(data) if name != 'server.log']
            figures['edge_files_not_0600'] = len(shared)
            figures['edge_files_not_0600_list'] = shared[:5]
    return figures


def _org_decks() -> list[Any]:
    from sqlmodel import select

    from cardkit import db
    from cardkit.models import OrgDeck

    with db.read() as s:
        return list(s.exec(select(OrgDeck)).all())


# --- a page filling the log, and forged socket messages ------------------------------------------------------------

LOG_TEXT = ('\x1b[31mERROR\x1b[0m disk full?\n' + 'Traceback (most recent call last):\n  File "x"\n' * 200)[:20_000]


async def _flood(server: ServerProcess, log_events: int, forged: int) -> dict[str, Any]:
    browser, stranger = SimBrowser(server.url), SimBrowser(server.url)
    page = await browser.open('/join')
    other = await stranger.open('/join')
    before = server.log.stat().st_size
    started = time.monotonic()
    for n in range(log_events):
        await page.send_raw('log', {'client_id': page.client_id, 'level': 'error', 'message': f'{n} {LOG_TEXT}'})
        if n % 200 == 0:
            await asyncio.sleep(0)
    button = page.button('Join')
    listener = page.listener(button, 'click')
    shapes = (
        {'client_id': page.client_id},
        {'id': 'x', 'client_id': page.client_id, 'listener_id': listener, 'args': ['{']},
        {'id': int(button), 'client_id': other.client_id, 'listener_id': listener, 'args': []},  # another page's
        {'id': 99999, 'client_id': page.client_id, 'listener_id': listener, 'args': []},  # an element it lacks
        {'id': int(button), 'client_id': page.client_id, 'listener_id': 'nope', 'args': []},
        ['not', 'a', 'dict'],
        {'id': int(button), 'client_id': page.client_id, 'listener_id': listener, 'args': [7]},
    )
    for n in range(forged):
        await page.send_raw('event', shapes[n % len(shapes)])
        await page.send_raw('log', {'client_id': other.client_id, 'level': 'nope', 'message': 1})
        await page.send_raw('javascript_response', {'request_id': None})
        await page.send_raw('ack', {'client_id': page.client_id, 'next_message_id': 'x'})
        if n % 100 == 0:
            await asyncio.sleep(0)
    await asyncio.sleep(2.0)
    seconds = time.monotonic() - started
    status, _ = await browser.get('/join')
    connected = int(not page.gone.is_set() and not other.gone.is_set())
    await page.close()
    await other.close()
    await browser.close()
    await stranger.close()
    grown = server.log.stat().st_size - before
    return {
        'edge_log_events_sent': log_events,
        'edge_log_bytes_sent': log_events * len(LOG_TEXT),
        'edge_log_bytes_written': grown,
        'edge_log_flood_seconds': round(seconds, 1),
        'edge_forged_messages_sent': forged * 4,
        'edge_pages_still_connected': connected,
        'edge_server_answers_after_flood': int(status == 200),
    }


def measure_log_flood(log_events: int = 5000, forged: int = 2000) -> dict[str, Any]:
    """A page that only loaded /join sends `log_events` log messages of 20 KB over its socket, then `forged`
    rounds of four malformed or misdirected messages: what reaches the server's log, and its tracebacks."""
    with server_data() as data, running_server(data) as server:
        figures = asyncio.run(_flood(server, log_events, forged))
        figures['edge_flood_tracebacks'] = len(server.errors_logged())
    return figures


# --- slow connections ----------------------------------------------------------------------------------------------


def _answers(url: str, source: str, timeout: float = 10.0) -> float | None:
    """Seconds until GET url answers 200 from this source address, or None."""
    started = time.monotonic()
    opener = urllib.request.build_opener(_SourceHandler(source))
    try:
        with opener.open(url, timeout=timeout) as response:
            return time.monotonic() - started if response.status == 200 else None
    except OSError:
        return None


class _SourceHandler(urllib.request.HTTPHandler):
    """Connections from a given loopback address (127.0.0.2 is another machine as far as limits per address go)."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source

    def http_open(self, req: Any) -> Any:
        import http.client

        source = self.source

        class Connection(http.client.HTTPConnection):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, source_address=(source, 0), **kwargs)

        return self.do_open(Connection, req)


def _open_slowly(port: int, count: int) -> list[socket.socket]:
    """`count` connections that send half a request and then nothing more (a 'slowloris')."""
    held: list[socket.socket] = []
    for _ in range(count):
        connection = socket.socket()
        connection.setblocking(False)
        try:
            connection.connect_ex(('127.0.0.1', port))
        except OSError:
            connection.close()
            continue
        held.append(connection)
    time.sleep(0.5)
    for connection in held:
        with contextlib.suppress(OSError):
            connection.send(b'GET /join HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ')
    return held


def _still_open(held: list[socket.socket]) -> int:
    """How many of the slow connections the server has not closed."""
    open_now = 0
    for connection in held:
        try:
            data = connection.recv(1)
            open_now += data != b''  # b'': closed by the server
        except BlockingIOError:
            open_now += 1
        except OSError:
            pass
    return open_now


def measure_slow_connections(count: int = 1100, open_files: int = 1024) -> dict[str, Any]:
    """A server started with Debian's usual open-file limit; `count` slow-header connections from one address.
    Does it answer another address meanwhile (and the same address once they time out), and does it let them go?"""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 256:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 1024), hard))
    with server_data() as data:
        server = ServerProcess(data, open_files=open_files)
        server.start()
        try:
            held = _open_slowly(server.port, count)
            time.sleep(1.0)
            kept_at_first = _still_open(held)
            other = _answers(f'{server.url}/join', '127.0.0.2')
            time.sleep(12.0)  # past the time a request's headers have
            kept_later = _still_open(held)
            same = _answers(f'{server.url}/join', '127.0.0.1')
            for connection in held:
                connection.close()
            tracebacks = len(server.errors_logged())
        finally:
            server.stop()
    return {
        'edge_slow_connections': count,
        'edge_slow_open_file_limit_at_start': open_files,
        'edge_slow_held_by_server_at_first': kept_at_first,
        'edge_slow_held_after_12s': kept_later,
        'edge_slow_other_address_answered': int(other is not None),
        'edge_slow_other_address_seconds': None if other is None else round(other, 2),
        'edge_slow_same_address_answered_after': int(same is not None),
        'edge_slow_tracebacks': tracebacks,
    }
