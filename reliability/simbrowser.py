"""A simulated browser that reads what it is shown: the benchmark's tab (`bench/harness.py`'s `SimClient`, NiceGUI
3.18's protocol on a raw websocket) with the page's elements kept up to date from its `update` messages, its
notifications and the pages it is sent to, for runs that check what a user would see rather than time it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from collections.abc import Callable
from typing import Any

import aiohttp

from bench.harness import SimClient, Stats, parse_page


class Disconnected(Exception):
    """The page's socket went away (server killed, network cut)."""


class SimBrowser:
    """One simulated browser: its own cookies (so its own NiceGUI user storage) and one tab."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = aiohttp.CookieJar(unsafe=True)  # unsafe: keep cookies for an IP address like 127.0.0.1
        self.http = aiohttp.ClientSession(cookie_jar=self.jar, timeout=aiohttp.ClientTimeout(total=180))
        self.tab_id = str(uuid.uuid4())

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
        self.gone = asyncio.Event()
        self.changed = asyncio.Event()
        # What goes wrong on the socket shows here as `gone` (and as Disconnected from the next call), not as the
        # benchmark's error counts.
        self.tab = SimClient(browser.base_url, Stats(), name=path, jar=browser.jar, page_session=browser.http)
        self.tab.tab_id = browser.tab_id
        self.tab.client_id, self.tab.elements = client_id, elements
        self.tab.on_frame = self._on_frame
        self.tab.on_close = self._on_close

    async def connect(self) -> None:
        try:
            await self.tab.connect(timeout=15)
        except (aiohttp.ClientError, OSError, TimeoutError) as error:  # a refusal is an OSError too
            raise Disconnected(f'socket did not connect: {error}') from error

    def _on_frame(self, data: str) -> None:
        if not data.startswith('42'):
            return
        name, message, *_ = [*json.loads(data[2:]), None]
        if name == 'update' and isinstance(message, dict):
            self.received += len(json.dumps(message, separators=(',', ':'), ensure_ascii=False).encode())
            for element_id, element in message.items():
                if element_id == '_id':
                    continue
                if element is None:
                    self.elements.pop(element_id, None)
                else:
                    self.elements[element_id] = element
        elif name == 'notify' and isinstance(message, dict):
            self.notifications.append(str(message.get('message', '')))
        elif name == 'open':
            self.opened.append(message.get('path', '') if isinstance(message, dict) else str(message))
        else:
            return
        self.changed.set()

    def _on_close(self) -> None:
        self.gone.set()
        self.changed.set()

    async def close(self) -> None:
        with contextlib.suppress(Exception):  # a dead server is fine here
            await self.tab.close()

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

    def shown_texts(self, check: Callable[[dict], bool]) -> list[str]:
        """The texts of the elements that pass the check, as the page shows them."""
        return [str(self.elements[i].get('text', '')) for i in self.find(check)]

    # --- acting ----------------------------------------------------------------------------------------------------

    def listener(self, element_id: str, event_type: str) -> str:
        for event in self.elements[element_id].get('events', []):
            if event.get('type') == event_type:
                return event['listener_id']
        raise LookupError(f'element {element_id} has no {event_type} listener')

    async def emit(self, element_id: str | int, listener_id: str, *args: Any, client_id: str | None = None) -> None:
        """Send an `event` message, exactly as nicegui.js does (or a forged one, with other ids)."""
        await self.send_raw(
            'event',
            {
                'id': int(element_id),
                'client_id': client_id or self.client_id,
                'listener_id': listener_id,
                'args': [json.dumps(a) for a in args],
            },
        )

    async def send_raw(self, event: str, data: Any) -> None:
        """Any socket message at all, as a hostile page could send it."""
        if self.gone.is_set() or not self.tab.connected:
            raise Disconnected('the socket is closed')
        try:
            await self.tab.emit(event, data)
        except Exception as error:
            raise Disconnected(str(error)) from error

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
    """The participant's text box for a new note (labelled 'Your note'; sent notes are listed as text)."""
    props = element.get('props') or {}
    return is_field(element) and props.get('label') == 'Your note' and not props.get('dense')


def is_sent_note(element: dict) -> bool:
    """A note the participant sent, as the page lists it (its text, under "What you sent about this card")."""
    return 'ck-note-text' in (element.get('class') or [])
