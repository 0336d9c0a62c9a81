"""A simulated browser speaking NiceGUI 3.18's own protocol: a page load over HTTP, then Socket.IO events."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
import uuid
from collections.abc import Callable
from typing import Any


class Disconnected(Exception):
    """The page's socket went away (server killed, network cut)."""


_ELEMENTS = re.compile(r'parseElements\(String\.raw`(.*?)`\)', re.S)
_CLIENT_ID = re.compile(r"'client_id': '([0-9a-f-]+)'")


def parse_page(text: str) -> tuple[str, dict[str, dict]]:
    """The client id and the elements of a NiceGUI page's HTML."""
    found = _ELEMENTS.search(text)
    client = _CLIENT_ID.search(text)
    if not found or not client:
        raise ValueError('not a NiceGUI page')
    raw = found.group(1)
    for escaped, plain in (('&#36;', '$'), ('&#96;', '`'), ('&gt;', '>'), ('&lt;', '<'), ('&amp;', '&')):
        raw = raw.replace(escaped, plain)
    return client.group(1), json.loads(raw)


class SimBrowser:
    """One simulated browser: its own cookies (so its own NiceGUI user storage) and one tab."""

    def __init__(self, base_url: str) -> None:
        import aiohttp

        self.base_url = base_url
        self.http = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), timeout=aiohttp.ClientTimeout(total=180)
        )
        self.tab_id = str(uuid.uuid4())
        self.old_tab_id: str | None = None

    async def get(self, path: str) -> tuple[int, str]:
        async with self.http.get(self.base_url + path) as response:
            return response.status, await response.text()

    async def open(self, path: str, *, connect: bool = True) -> SimPage:
        """Load a page (and connect its socket, as the browser does)."""
        status, text = await self.get(path)
        if status != 200:
            raise Disconnected(f'{path} answered {status}')
        client_id, elements = parse_page(text)
        page = SimPage(self, path, text, client_id, elements)
        if connect:
            await page.connect()
        return page

    async def close(self) -> None:
        await self.http.close()


class SimPage:
    """A loaded page: its elements (kept up to date from `update` messages) and its socket."""

    def __init__(
        self, browser: SimBrowser, path: str, html_text: str, client_id: str, elements: dict[str, dict]
    ) -> None:
        self.browser = browser
        self.path = path
        self.html = html_text
        self.client_id = client_id
        self.elements = elements
        self.notifications: list[str] = []
        self.opened: list[str] = []
        self.received = 0  # bytes of the `update` messages received (as JSON), to see what a change costs a page
        self.sio: Any = None
        self._ws_http: Any = None
        self.gone = asyncio.Event()
        self.changed = asyncio.Event()

    async def connect(self) -> None:
        import aiohttp
        import socketio

        self._ws_http = aiohttp.ClientSession()  # its own connection, as a browser opens for a WebSocket
        self.sio = socketio.AsyncClient(reconnection=False, http_session=self._ws_http)
        self.sio.on('update', self._on_update)
        self.sio.on('notify', self._on_notify)
        self.sio.on('open', self._on_open)
        self.sio.on('disconnect', self._on_disconnect)
        query = (
            f'client_id={self.client_id}&next_message_id=0&implicit_handshake=true'
            f'&document_id={uuid.uuid4()}&tab_id={self.browser.tab_id}&old_tab_id=null'
        )
        try:
            await self.sio.connect(
                f'{self.browser.base_url}/?{query}',
                transports=['websocket'],
                socketio_path='/_nicegui_ws/socket.io',
                wait_timeout=15,
            )
        except Exception as error:  # socketio wraps every failure in its own ConnectionError
            raise Disconnected(f'socket did not connect: {error}') from error

    async def _on_update(self, message: dict) -> None:
        self.received += len(json.dumps(message, separators=(',', ':'), ensure_ascii=False).encode())
        for element_id, element in message.items():
            if element_id == '_id':
                continue
            if element is None:
                self.elements.pop(element_id, None)
            else:
                self.elements[element_id] = element
        self.changed.set()

    async def _on_notify(self, message: dict) -> None:
        self.notifications.append(str(message.get('message', '')))
        self.changed.set()

    async def _on_open(self, message: Any) -> None:
        self.opened.append(message.get('path', '') if isinstance(message, dict) else str(message))
        self.changed.set()

    async def _on_disconnect(self, *_: Any) -> None:
        self.gone.set()
        self.changed.set()

    async def close(self) -> None:
        if self.sio is not None:
            with contextlib.suppress(Exception):  # a dead server is fine here
                await self.sio.disconnect()
        if self._ws_http is not None:
            await self._ws_http.close()

    # --- reading ---------------------------------------------------------------------------------------------------

    def find(self, check: Callable[[dict], bool]) -> list[str]:
        return [element_id for element_id, element in self.elements.items() if check(element)]

    def texts(self) -> str:
        """Every text and prop value the page holds (what a screen reader could reach)."""
        parts: list[str] = []
        for element in self.elements.values():
            parts.append(str(element.get('text', '')))
            for value in (element.get('props') or {}).values():
                if isinstance(value, str):
                    parts.append(value)
        return '\n'.join(parts)

    def input_labelled(self, label: str) -> str:
        found = self.find(lambda e: is_field(e) and (e.get('props') or {}).get('label') == label)
        if not found:
            raise LookupError(f'no field labelled {label!r}')
        return found[0]

    def button(self, text: str) -> str:
        found = self.find(
            lambda e: e.get('tag') == 'q-btn' and text in (e.get('text'), (e.get('props') or {}).get('label'))
        )
        if not found:
            raise LookupError(f'no button {text!r}')
        return found[0]

    def value(self, element_id: str) -> Any:
        props = self.elements[element_id].get('props') or {}
        return props.get('value', props.get('model-value'))

    def values(self, check: Callable[[dict], bool]) -> list[Any]:
        return [self.value(i) for i in self.find(check)]

    # --- acting ----------------------------------------------------------------------------------------------------

    def listener(self, element_id: str, event_type: str) -> str:
        for event in self.elements[element_id].get('events', []):
            if event.get('type') == event_type:
                return event['listener_id']
        raise LookupError(f'element {element_id} has no {event_type} listener')

    async def emit(self, element_id: str | int, listener_id: str, *args: Any, client_id: str | None = None) -> None:
        """Send an `event` message, exactly as nicegui.js does (or a forged one, with other ids)."""
        if self.gone.is_set() or self.sio is None or not self.sio.connected:
            raise Disconnected('the socket is closed')
        try:
            await self.sio.emit(
                'event',
                {
                    'id': int(element_id),
                    'client_id': client_id or self.client_id,
                    'listener_id': listener_id,
                    'args': [json.dumps(a) for a in args],
                },
            )
        except Exception as error:
            raise Disconnected(str(error)) from error

    async def send_raw(self, event: str, data: Any) -> None:
        """Any socket message at all, as a hostile page could send it."""
        if self.gone.is_set() or self.sio is None or not self.sio.connected:
            raise Disconnected('the socket is closed')
        await self.sio.emit(event, data)

    async def type(self, element_id: str, text: str) -> None:
        props = self.elements[element_id].setdefault('props', {})
        kind = 'update:value' if 'value' in props else 'update:modelValue'
        await self.emit(element_id, self.listener(element_id, kind), text)
        props['value' if 'value' in props else 'model-value'] = text

    async def click(self, element_id: str) -> None:
        await self.emit(element_id, self.listener(element_id, 'click'), {})

    async def wait_for(self, check: Callable[[], bool], timeout: float) -> bool:
        """Wait until the check holds; raises Disconnected if the socket goes first."""
        deadline = time.monotonic() + timeout
        while True:
            if check():
                return True
            if self.gone.is_set():
                raise Disconnected('the socket closed while waiting')
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))


async def join_as(browser: SimBrowser, code: str, name: str, timeout: float = 30.0) -> str:
    """Join through the join page as a phone does; returns the participant page's path."""
    page = await browser.open(f'/join/{code}')
    try:
        await page.type(page.input_labelled('Your name'), name)
        await page.click(page.button('Join'))
        if not await page.wait_for(lambda: bool(page.opened), timeout):
            raise RuntimeError(f'joining as {name} did not lead anywhere: {page.texts()[-500:]}')
        return page.opened[-1]
    finally:
        await page.close()


def is_field(element: dict) -> bool:
    return element.get('tag') in ('nicegui-input', 'q-input')


def is_compose_box(element: dict) -> bool:
    """The participant's text box for a new note (labelled 'Your note'; the boxes of sent notes are dense)."""
    props = element.get('props') or {}
    return is_field(element) and props.get('label') == 'Your note' and not props.get('dense')


def is_sent_note(element: dict) -> bool:
    props = element.get('props') or {}
    return is_field(element) and props.get('type') == 'textarea' and bool(props.get('dense'))
