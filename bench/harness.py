"""Simulated browsers speaking NiceGUI 3.18's own protocol, for the room benchmark (`bench/room.py`).

A `SimClient` does what a browser tab does: GET the page (keeping cookies, so `app.storage.user` works), read the
`client_id` and the elements from the HTML, open its own Socket.IO v5 websocket on a fresh connection (implicit
handshake), answer engine.io pings, ack every 3 s, and send `event` messages exactly as nicegui.js does
(`{id, client_id, listener_id, args: [JSON strings]}`). It watches `update` frames for a text without decoding them
(the text is searched in its JSON-encoded forms), so hundreds of clients fit on one core.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from yarl import URL

_ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
_QUERY = re.compile(r"query: (\{'client_id'.*?\})")
_MESSAGE_ID = re.compile(r'"_id":(\d+)')
_UNESCAPE = (('&#96;', '`'), ('&#36;', '$'), ('&lt;', '<'), ('&gt;', '>'), ('&amp;', '&'))


def parse_page(html: str) -> tuple[str, dict[str, Any]]:
    """The client id and the elements (id -> element dict) of a NiceGUI page."""
    query = _QUERY.search(html)
    elements = _ELEMENTS.search(html)
    if query is None or elements is None:
        raise ValueError('not a NiceGUI page (no client id or elements)')
    client_id = re.search(r"'client_id': '([0-9a-f-]+)'", query.group(1)).group(1)
    raw = elements.group(1)
    for escaped, plain in _UNESCAPE:
        raw = raw.replace(escaped, plain)
    return client_id, json.loads(raw)


def encodings(text: str) -> tuple[str, ...]:
    """The forms a text can take inside a JSON frame (ASCII-escaped or not), directly or inside a property that is
    itself a JSON string (a card's face)."""
    once = (json.dumps(text, ensure_ascii=False)[1:-1], json.dumps(text)[1:-1])
    twice = tuple(json.dumps(form, ensure_ascii=ascii)[1:-1] for form in once for ascii in (False, True))
    return tuple(dict.fromkeys(once + twice))


def shows(element: dict, text: str) -> bool:
    """Whether an element of a page (as the page's JSON gives it) shows the text, as its text or on a card face."""
    if element.get('text') == text:
        return True
    face = (element.get('props') or {}).get('face')
    once = {json.dumps(text, ensure_ascii=False)[1:-1], json.dumps(text)[1:-1]}
    return isinstance(face, str) and any(form in face for form in once)


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: list[float]) -> dict[str, float | int | None]:
    """p50, p95, max and count of latencies in ms."""
    return {
        'n': len(values),
        'p50': _r(percentile(values, 50)),
        'p95': _r(percentile(values, 95)),
        'max': _r(max(values) if values else None),
        'mean': _r(statistics.fmean(values) if values else None),
    }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class Watch:
    """A text a client waits for in its `update` frames, and when the wait started."""

    needles: tuple[str, ...]
    t0: float
    found: asyncio.Future
    name: str = ''


@dataclass
class Stats:
    """What went wrong across all clients of a run."""

    errors: list[str] = field(default_factory=list)
    disconnects: int = 0
    reused_connections: int = 0
    frames: int = 0
    update_frames: int = 0
    bytes: int = 0

    def error(self, message: str) -> None:
        message = f'{time.strftime("%H:%M:%S")} {message}'
        if len(self.errors) < 200:
            self.errors.append(message)
        else:
            self.errors[-1] = f'... and more ({message})'


class SimClient:
    """One simulated browser tab (its cookie jar is shared with later tabs of the same 'browser')."""

    def __init__(
        self,
        base: str,
        stats: Stats,
        *,
        name: str = '',
        jar: aiohttp.CookieJar | None = None,
        page_session: aiohttp.ClientSession | None = None,
    ) -> None:
        self.base = base
        self.stats = stats
        self.name = name
        self.jar = jar or aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies for an IP address like 127.0.0.1
        self._page_session = page_session
        self._own_page_session = page_session is None
        self.client_id = ''
        self.elements: dict[str, Any] = {}
        self.tab_id = str(uuid.uuid4())
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._ws_session: aiohttp.ClientSession | None = None
        self._reader: asyncio.Task | None = None
        self._connected = asyncio.Event()
        self.watches: list[Watch] = []
        self.opened: asyncio.Future | None = None
        self.next_message_id = 0
        self._acked = 0
        self.closing = False
        self.load_ms = 0.0
        self.connect_ms = 0.0
        self.page_port = 0
        self.on_frame: Callable[[str], None] | None = None  # every Socket.IO event frame, as it arrived
        self.on_close: Callable[[], None] | None = None  # the socket has gone (closed here or by the server)
        self.refused = ''  # the server's answer if it refused to connect the namespace
        self.textarea = ''  # the participant page's note field and Send button (element ids)
        self.send = ''

    # --- page and socket -------------------------------------------------------------------------------------------

    async def load(self, path: str) -> None:
        """GET the page as a browser would, keeping its cookies."""
        if self._page_session is None:
            self._page_session = aiohttp.ClientSession(cookie_jar=self.jar, timeout=aiohttp.ClientTimeout(total=60))
        start = time.perf_counter()
        async with self._page_session.get(self.base + path) as response:
            html = await response.text()
            if response.status != 200:
                raise RuntimeError(f'GET {path}: HTTP {response.status}')
            transport = response.connection.transport if response.connection else None
            sockname = transport.get_extra_info('sockname') if transport else None
            self.page_port = sockname[1] if sockname else 0
        self.load_ms = (time.perf_counter() - start) * 1000
        self.client_id, self.elements = parse_page(html)
        self.next_message_id = 0
        self._acked = 0

    async def connect(self, timeout: float = 30) -> None:
        """Open the page's websocket on a connection of its own (as Chromium does), with the implicit handshake."""
        start = time.perf_counter()
        query = (
            f'client_id={self.client_id}&next_message_id=0&implicit_handshake=true&document_id={uuid.uuid4()}'
            f'&tab_id={self.tab_id}&old_tab_id=null&EIO=4&transport=websocket'
        )
        cookies = self.jar.filter_cookies(URL(self.base))
        headers = {'Cookie': '; '.join(f'{k}={v.value}' for k, v in cookies.items())} if cookies else {}
        self._ws_session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None))
        self.ws = await self._ws_session.ws_connect(
            f'{self.base.replace("http", "ws", 1)}/_nicegui_ws/socket.io/?{query}',
            headers=headers,
            autoping=True,
            max_msg_size=64 * 1024 * 1024,
        )
        sockname = self.ws.get_extra_info('sockname')
        if sockname and self.page_port and sockname[1] == self.page_port:
            self.stats.reused_connections += 1
        self._connected.clear()
        self.refused = ''
        self._reader = asyncio.create_task(self._read())
        await asyncio.wait_for(self._connected.wait(), timeout)
        if self.refused:
            raise ConnectionRefusedError(f'{self.name}: connect refused {self.refused[:200]}')
        self.connect_ms = (time.perf_counter() - start) * 1000

    @property
    def connected(self) -> bool:
        return self.ws is not None and not self.ws.closed and self._connected.is_set() and not self.refused

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None and not self.ws.closed:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
        if self._ws_session is not None:
            await self._ws_session.close()
            self._ws_session = None

    async def close_all(self) -> None:
        await self.close()
        if self._own_page_session and self._page_session is not None:
            await self._page_session.close()

    async def _read(self) -> None:
        ws = self.ws
        assert ws is not None
        try:
            async for message in ws:
                if message.type != aiohttp.WSMsgType.TEXT:
                    continue
                data: str = message.data
                kind = data[:1]
                if kind == '2':  # engine.io ping
                    await ws.send_str('3')
                elif kind == '0':  # engine.io open: connect the default namespace
                    await ws.send_str('40')
                elif data.startswith('40'):
                    self._connected.set()
                elif data.startswith('44'):
                    self.stats.error(f'{self.name}: connect refused {data[:200]}')
                    self.refused = data
                    self._connected.set()
                elif data.startswith('42'):
                    self._on_event(data)
        except asyncio.CancelledError:
            raise
        except Exception as e:
            self.stats.error(f'{self.name}: socket {type(e).__name__}: {e}')
        if not self.closing:
            self.stats.disconnects += 1
            self.stats.error(f'{self.name}: disconnected (close code {ws.close_code})')
        if self.on_close is not None:
            self.on_close()

    def _on_event(self, data: str) -> None:
        now = time.perf_counter()
        stats = self.stats
        stats.frames += 1
        stats.bytes += len(data)
        tail = _MESSAGE_ID.findall(data[-40:])
        if tail:
            self.next_message_id = max(self.next_message_id, int(tail[-1]) + 1)
        if data.startswith('42["update"'):
            stats.update_frames += 1
            if self.watches:
                for watch in list(self.watches):
                    if any(n in data for n in watch.needles):
                        self.watches.remove(watch)
                        if not watch.found.done():
                            watch.found.set_result((now - watch.t0) * 1000)
        elif data.startswith('42["open"') and self.opened is not None and not self.opened.done():
            self.opened.set_result(json.loads(data[2:])[1].get('path'))
        if self.on_frame is not None:
            self.on_frame(data)

    # --- talking to the server -------------------------------------------------------------------------------------

    async def ack(self) -> None:
        """What nicegui.js sends every 3 s when something new arrived: it lets the server prune its history."""
        if self.ws is None or self.ws.closed or self.next_message_id <= self._acked:
            return
        self._acked = self.next_message_id
        await self.emit('ack', {'client_id': self.client_id, 'next_message_id': self.next_message_id})

    async def emit(self, name: str, payload: Any) -> None:
        """A Socket.IO event message (`42[name, payload]`), as nicegui.js sends it, or any other a page could send."""
        assert self.ws is not None
        await self.ws.send_str('42' + json.dumps([name, payload], separators=(',', ':')))

    def find(self, predicate: Callable[[dict], bool]) -> str:
        """The id of the one element matching, from the page's elements."""
        found = [i for i, e in self.elements.items() if predicate(e)]
        if not found:
            raise LookupError(f'{self.name}: no such element on the page')
        return found[0]

    def find_by_label(self, label: str, tag: str = '') -> str:
        return self.find(lambda e: e.get('props', {}).get('label') == label and (not tag or e.get('tag') == tag))

    async def event(self, element_id: str, event_type: str, *args: Any) -> None:
        """Send a DOM event of an element as nicegui.js does (its args stringified one by one)."""
        element = self.elements[element_id]
        listener = next((ev for ev in element.get('events', []) if ev['type'] == event_type), None)
        if listener is None:
            raise LookupError(f'{self.name}: element {element_id} has no {event_type} listener')
        await self.emit(
            'event',
            {
                'id': int(element_id),
                'client_id': self.client_id,
                'listener_id': listener['listener_id'],
                'args': [json.dumps(a) for a in args],
            },
        )

    async def set_value(self, element_id: str, value: Any) -> None:
        """Type into an input: the `update:value` (nicegui-input) or `update:modelValue` (Quasar) event."""
        types = {ev['type'] for ev in self.elements[element_id].get('events', [])}
        await self.event(element_id, 'update:value' if 'update:value' in types else 'update:modelValue', value)

    async def click(self, element_id: str) -> None:
        await self.event(element_id, 'click')

    def watch(self, text: str, t0: float, name: str = '') -> asyncio.Future:
        """A future resolved with the latency (ms) when an `update` frame carrying the text arrives."""
        future = asyncio.get_running_loop().create_future()
        self.watches.append(Watch(encodings(text), t0, future, name))
        return future

    def unwatch(self) -> None:
        for watch in self.watches:
            if not watch.found.done():
                watch.found.cancel()
        self.watches.clear()


async def ack_loop(clients: Callable[[], list[SimClient]], stop: asyncio.Event) -> None:
    """Ack every 3 s, as each browser does."""
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 3.0)
        for client in clients():
            with contextlib.suppress(Exception):
                await client.ack()


class LoopLag:
    """How late the harness's own event loop wakes up (if large, the harness limits the figures, not the server)."""

    def __init__(self) -> None:
        self.samples: list[float] = []
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        while True:
            start = time.perf_counter()
            await asyncio.sleep(0.05)
            self.samples.append((time.perf_counter() - start - 0.05) * 1000)

    def stop(self) -> dict:
        if self._task:
            self._task.cancel()
        return summary(self.samples)


class ProcessMeter:
    """RSS and CPU time of a process, from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.ticks = 100.0
        try:
            import os

            self.ticks = float(os.sysconf('SC_CLK_TCK'))
        except (ValueError, OSError, AttributeError):
            pass

    def rss_mb(self) -> float:
        with open(f'/proc/{self.pid}/status', encoding='ascii') as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1]) / 1024
        return 0.0

    def cpu_s(self) -> float:
        with open(f'/proc/{self.pid}/stat', encoding='ascii') as f:
            fields = f.read().rsplit(')', 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.ticks


def harness_cpu_s() -> float:
    return time.process_time()
