"""The app's edge without a server: which hosts and origins are answered, who the client is behind a proxy, the size
limit of a request, the headers on every response, and the checks of browser socket messages."""

from __future__ import annotations

import json

import httpx
import pytest

from cardkit.web import sockets
from cardkit.web.hosts import HostPolicy, Proxies, same_origin, split_host
from cardkit.web.middleware import CSP, EdgeMiddleware

KEY = 'facilitator-key-that-must-not-leak'


def test_hosts_are_split_as_a_browser_sends_them() -> None:
    assert split_host('Example.ORG:8080') == ('example.org', 8080)
    assert split_host('[::1]:80') == ('::1', 80)
    assert split_host('192.168.1.20') == ('192.168.1.20', None)
    assert split_host('cardkit.example.') == ('cardkit.example', None)
    for bad in ('', 'a b', 'evil.com/path', 'user@host', 'host:port', 'host:70000', '[not-an-ip]:80', 'a:1:2'):
        assert split_host(bad) is None, bad


def test_addresses_loopback_and_listed_names_are_answered_other_names_are_not() -> None:
    policy = HostPolicy.of(['cardkit.college.ac.uk', '*.rooms.example.org'])
    for host in (
        '127.0.0.1:8080',
        '[::1]:8080',
        '192.168.1.20:8080',
        'localhost:8080',
        'app.localhost',
        'cardkit.college.ac.uk',
        'CARDKIT.college.ac.uk:443',
        'hall-2.rooms.example.org',
    ):
        assert policy.allows(host), host
    for host in (
        'evil.example:8080',
        'college.ac.uk',
        'rooms.example.org.evil.com',
        'localhost.evil.com',
        None,
        'rooms.example.org',
    ):
        assert not policy.allows(host), host


def test_an_origin_is_ours_when_it_names_the_host_and_port_asked_for() -> None:
    policy = HostPolicy.of(['cardkit.college.ac.uk'])
    assert same_origin(None, '127.0.0.1:8080', 'http', policy)  # a program, not a page
    assert same_origin('http://127.0.0.1:8080', '127.0.0.1:8080', 'http', policy)
    assert same_origin('https://cardkit.college.ac.uk', 'cardkit.college.ac.uk', 'https', policy)
    assert same_origin('https://cardkit.college.ac.uk', '10.0.0.5:8080', 'http', policy)  # a proxy changed Host
    assert not same_origin('http://evil.example:8080', '127.0.0.1:8080', 'http', policy)
    assert not same_origin('http://127.0.0.1:9999', '127.0.0.1:8080', 'http', policy)
    assert not same_origin('null', '127.0.0.1:8080', 'http', policy)
    assert not same_origin('file://', '127.0.0.1:8080', 'http', policy)


def test_forwarded_for_is_believed_only_from_a_listed_proxy() -> None:
    proxies = Proxies.of(['127.0.0.1', '10.0.0.0/8'])
    assert proxies.client_of('127.0.0.1', '203.0.113.7') == '203.0.113.7'
    assert proxies.client_of('127.0.0.1', '198.51.100.1, 203.0.113.7, 10.1.2.3') == '203.0.113.7'
    assert proxies.client_of('192.0.2.9', '127.0.0.1') == '192.0.2.9'  # not a proxy: its header is ignored
    assert proxies.client_of('127.0.0.1', 'not-an-address') == '127.0.0.1'
    assert Proxies.of([]).client_of('127.0.0.1', '203.0.113.7') == '127.0.0.1'


async def _page(scope, receive, send) -> None:
    """A stand-in for the app: a page holding a key, and an upload route that reads the whole body."""
    if scope['type'] == 'websocket':
        await send({'type': 'websocket.accept'})
        await send({'type': 'websocket.close', 'code': 1000})
        return
    body = b''
    while True:
        message = await receive()
        if message['type'] == 'http.disconnect':
            raise RuntimeError('client went away')
        body += message.get('body', b'')
        if not message.get('more_body'):
            break
    text = json.dumps(
        {
            'key': KEY,
            'client': scope['client'][0],
            'scheme': scope['scheme'],
            'read': len(body),
            'forwarded': scope['state']['cardkit.untrusted_forwarding'],
        }
    ).encode()
    await send({'type': 'http.response.start', 'status': 200, 'headers': [(b'content-type', b'application/json')]})
    await send({'type': 'http.response.body', 'body': text})


def _edge(proxies: tuple[str, ...] = (), upload: int | None = 1000) -> EdgeMiddleware:
    return EdgeMiddleware(
        _page,
        policy=lambda: HostPolicy.of(['cardkit.college.ac.uk']),
        proxies=lambda: Proxies.of(proxies),
        upload_limit=lambda _client, _element: upload,
    )


def _client(edge: EdgeMiddleware, peer: str = '127.0.0.1') -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(edge, client=(peer, 5000)), base_url='http://127.0.0.1:8080')


async def test_a_request_naming_another_site_gets_nothing_of_the_page() -> None:
    async with _client(_edge()) as client:
        refused = await client.get('/sessions', headers={'Host': 'rebound.evil.example:8080'})
        served = await client.get('/sessions')
    assert refused.status_code == 400
    assert KEY not in refused.text and 'CARDKIT_ALLOWED_HOSTS' in refused.text
    assert served.status_code == 200 and KEY in served.text


async def test_every_response_forbids_framing_and_other_origins() -> None:
    async with _client(_edge()) as client:
        page = await client.get('/sessions')
        asset = await client.get('/_nicegui/3.18.0/static/nicegui.js')
    assert page.headers['content-security-policy'] == CSP and "frame-ancestors 'none'" in CSP
    assert page.headers['x-frame-options'] == 'DENY'
    assert page.headers['referrer-policy'] == 'same-origin'
    assert page.headers['cache-control'] == 'no-store'
    assert 'cache-control' not in asset.headers  # static files keep NiceGUI's own caching


async def test_posts_and_sockets_from_pages_of_other_sites_are_refused() -> None:
    async with _client(_edge()) as client:
        foreign = await client.post(
            '/_nicegui/client/abc/upload/7', content=b'x', headers={'Origin': 'http://evil.example'}
        )
        polling = await client.get(
            '/_nicegui_ws/socket.io/?EIO=4&transport=polling', headers={'Origin': 'http://evil.example'}
        )
        own = await client.post(
            '/_nicegui/client/abc/upload/7', content=b'x', headers={'Origin': 'http://127.0.0.1:8080'}
        )
    assert foreign.status_code == 403 and polling.status_code == 403 and own.status_code == 200
    sent: list[dict] = []

    async def receive() -> dict:
        return {'type': 'websocket.connect'}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        'type': 'websocket',
        'path': '/_nicegui_ws/socket.io/',
        'client': ('127.0.0.1', 5000),
        'scheme': 'ws',
        'headers': [(b'host', b'127.0.0.1:8080'), (b'origin', b'http://evil.example')],
    }
    await _edge()(scope, receive, send)
    assert sent == [{'type': 'websocket.close', 'code': 1008}]


async def test_an_upload_over_its_limit_is_refused_whether_or_not_it_says_its_size() -> None:
    async def chunks():
        for _ in range(200):
            yield b'y' * 1000

    async with _client(_edge(upload=10_000)) as client:
        declared = await client.post('/_nicegui/client/abc/upload/7', content=b'x' * 200_000)
        streamed = await client.post('/_nicegui/client/abc/upload/7', content=chunks())
        small = await client.post('/_nicegui/client/abc/upload/7', content=b'x' * 5_000)
        other = await client.post('/anything', content=b'x' * 2_000_000)
    assert declared.status_code == 413 and 'larger than 10,000 bytes' in declared.text
    assert streamed.status_code == 413 and 'nothing was stored' in streamed.text
    assert small.status_code == 200 and small.json()['read'] == 5_000
    assert other.status_code == 413


async def test_the_client_is_the_one_a_listed_proxy_names() -> None:
    headers = {'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https'}
    async with _client(_edge(proxies=('127.0.0.1',))) as client:
        via_proxy = (await client.get('/', headers=headers)).json()
    async with _client(_edge()) as client:
        unlisted = (await client.get('/', headers=headers)).json()
        direct = (await client.get('/')).json()
    assert (via_proxy['client'], via_proxy['scheme'], via_proxy['forwarded']) == ('203.0.113.7', 'https', False)
    assert (unlisted['client'], unlisted['scheme'], unlisted['forwarded']) == ('127.0.0.1', 'http', True)
    assert direct['forwarded'] is False


def test_a_browser_log_line_is_one_short_line_of_plain_text() -> None:
    text = 'first line \x1b[31mred\x1b[0m\u202eevil\x00 ' + 'x' * 1000 + '\nsecond line\nthird'
    line = sockets.one_line(text)
    assert line.startswith('first line redevil ')
    assert '\n' not in line and '\x1b' not in line and '\u202e' not in line and '\x00' not in line
    assert len(line) == sockets.LOG_LINE_MAX and line.endswith('…')


def test_a_page_may_log_a_few_lines_then_one_every_few_seconds() -> None:
    now = [0.0]
    guard = sockets.SocketGuard(clock=lambda: now[0])
    taken = [guard.may_log('page-a') for _ in range(100)]
    assert taken.count(True) == sockets.LOG_PER_CLIENT
    now[0] += sockets.LOG_CLIENT_REFILL_S
    assert guard.may_log('page-a') and not guard.may_log('page-a')
    assert guard.may_log('page-b')  # another page has its own few


@pytest.mark.parametrize(
    'message',
    [
        None,
        [],
        'text',
        {'id': 1, 'client_id': 'c', 'listener_id': 'l', 'args': ['{']},
        {'id': '1', 'client_id': 'c', 'listener_id': 'l', 'args': []},
        {'id': True, 'client_id': 'c', 'listener_id': 'l', 'args': []},
        {'id': 1, 'client_id': '', 'listener_id': 'l', 'args': []},
        {'id': 1, 'client_id': 'c', 'listener_id': 'l', 'args': [1]},
        {'id': 1, 'client_id': 'c', 'listener_id': 'l', 'args': ['"' + 'x' * 70_000 + '"']},
        {'id': 1, 'client_id': 'c' * 200, 'listener_id': 'l', 'args': []},
    ],
)
def test_socket_events_shaped_unlike_a_page_s_are_dropped(message) -> None:
    assert not sockets.valid_event(message)


def test_socket_events_shaped_like_a_page_s_are_taken() -> None:
    assert sockets.valid_event({'id': 12, 'client_id': 'c-1', 'listener_id': 'l-1', 'args': ['"text"', None, '{}']})
    assert sockets.valid_event({'id': 12, 'client_id': 'c-1', 'listener_id': 'l-1'})
