"""Reliability and security figures: `python -m cardkit.reliability` prints one row per figure, then a JSON line.

Each measurement is a function returning a dict of figures; the tests in tests/reliability/ call the same functions
with smaller sizes and assert each figure is at its target. What every row means is in docs/reliability.md.

Simulated participants speak NiceGUI's own browser protocol (a page load over HTTP, then Socket.IO events to the
elements of that page), so they go through the same pages, handlers and use cases as a phone does.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DECK = 'card-activity'


# --- a real server process -----------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class ServerProcess:
    """`python main.py --port N` on its own data folder, started, killed (SIGKILL) and restarted like a deployment."""

    def __init__(self, data_dir: Path, *, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.url = f'http://127.0.0.1:{self.port}'
        self.log = self.data_dir / 'server.log'
        self.starts = 0

    def environment(self) -> dict[str, str]:
        env = {name: value for name, value in os.environ.items()
               if not name.startswith(('PYTEST', 'NICEGUI')) and name != 'DATABASE_URL'}
        env |= {'CARDKIT_DATA_DIR': str(self.data_dir), 'CARDKIT_EXPORTS_DIR': str(self.data_dir / 'exports'),
                'NICEGUI_STORAGE_PATH': str(self.data_dir / 'nicegui-storage'),
                'CARDKIT_SECRET': 'reliability-secret', 'PYTHONUNBUFFERED': '1'}
        return env | self.extra_env

    def start(self, timeout: float = 90.0) -> float:
        """Start the server and wait until it answers; returns the seconds it took."""
        started = time.monotonic()
        with self.log.open('ab') as log:
            self.process = subprocess.Popen([sys.executable, 'main.py', '--port', str(self.port)], cwd=ROOT,
                                            env=self.environment(), stdout=log, stderr=subprocess.STDOUT)
        self.starts += 1
        while time.monotonic() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f'the server stopped: {self.log.read_text(errors="replace")[-3000:]}')
            try:
                with urllib.request.urlopen(f'{self.url}/join', timeout=5) as response:
                    if response.status == 200:
                        return time.monotonic() - started
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f'the server did not start within {timeout:.0f} seconds')

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flushing, as when the power goes."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
        self.process = None

    def errors_logged(self) -> list[str]:
        """Tracebacks the server printed (a refused forged event must not even raise)."""
        text = self.log.read_text(errors='replace') if self.log.exists() else ''
        return [line for line in text.splitlines() if line.startswith('Traceback')]


@contextmanager
def running_server(data_dir: Path, **kwargs: Any) -> Iterator[ServerProcess]:
    server = ServerProcess(data_dir, **kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextmanager
def database_at(url: str) -> Iterator[None]:
    """Point this process's use cases at a database (DATABASE_URL) for the duration."""
    from cardkit import db
    before = os.environ.get('DATABASE_URL')
    os.environ['DATABASE_URL'] = url
    db.reset()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop('DATABASE_URL', None)
        else:
            os.environ['DATABASE_URL'] = before
        db.reset()


def sqlite_url(data_dir: Path) -> str:
    return f'sqlite:///{Path(data_dir) / "cardkit.db"}'


def start_workshop(title: str = 'Reliability workshop', *, themes: list[int] | None = None) -> Any:
    """A session of the shipped card activity deck, open for joining."""
    from cardkit import library, sessions, workshop
    session = sessions.start_session(deck=library.shipped().get(DECK), title=title, theme_numbers=themes or [1],
                                     way_of_working='in a mixed group with representation from partner organisations')
    return workshop.open_joining(session.id)


# --- a simulated browser (NiceGUI 3.18's protocol) -----------------------------------------------------------------

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
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                          timeout=aiohttp.ClientTimeout(total=180))
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

    def __init__(self, browser: SimBrowser, path: str, html_text: str, client_id: str,
                 elements: dict[str, dict]) -> None:
        self.browser = browser
        self.path = path
        self.html = html_text
        self.client_id = client_id
        self.elements = elements
        self.notifications: list[str] = []
        self.opened: list[str] = []
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
        query = (f'client_id={self.client_id}&next_message_id=0&implicit_handshake=true'
                 f'&document_id={uuid.uuid4()}&tab_id={self.browser.tab_id}&old_tab_id=null')
        try:
            await self.sio.connect(f'{self.browser.base_url}/?{query}', transports=['websocket'],
                                   socketio_path='/_nicegui_ws/socket.io', wait_timeout=15)
        except Exception as error:  # socketio wraps every failure in its own ConnectionError
            raise Disconnected(f'socket did not connect: {error}') from error

    async def _on_update(self, message: dict) -> None:
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
            try:
                await self.sio.disconnect()
            except Exception:  # a dead server is fine here
                pass
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
        found = self.find(lambda e: _is_field(e) and (e.get('props') or {}).get('label') == label)
        if not found:
            raise LookupError(f'no field labelled {label!r}')
        return found[0]

    def button(self, text: str) -> str:
        found = self.find(lambda e: e.get('tag') == 'q-btn' and text in (e.get('text'), (e.get('props') or {})
                                                                               .get('label')))
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
            await self.sio.emit('event', {'id': int(element_id), 'client_id': client_id or self.client_id,
                                          'listener_id': listener_id, 'args': [json.dumps(a) for a in args]})
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
            try:
                await asyncio.wait_for(self.changed.wait(), min(left, 0.5))
            except asyncio.TimeoutError:
                pass


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


def _is_field(element: dict) -> bool:
    return element.get('tag') in ('nicegui-input', 'q-input')


def _is_compose_box(element: dict) -> bool:
    """The participant's text box for a new note (labelled 'Your note'; the boxes of sent notes are dense)."""
    props = element.get('props') or {}
    return _is_field(element) and props.get('label') == 'Your note' and not props.get('dense')


def _is_sent_note(element: dict) -> bool:
    props = element.get('props') or {}
    return _is_field(element) and props.get('type') == 'textarea' and bool(props.get('dense'))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


# --- 1. crash: the server killed while participants send notes -----------------------------------------------------

@dataclass
class _CrashState:
    confirmed: set[str] = field(default_factory=set)
    typed_over_stale_draft: set[str] = field(default_factory=set)
    resent_after_reconnect: int = 0
    reconnects: int = 0
    places_lost: int = 0
    gave_up: int = 0
    kills: int = 0
    restart_seconds: list[float] = field(default_factory=list)
    server_up: asyncio.Event = field(default_factory=asyncio.Event)
    done: int = 0


async def _wait_until_up(server: ServerProcess, state: _CrashState, deadline: float) -> None:
    while time.monotonic() < deadline:
        await state.server_up.wait()
        try:
            status, _ = await asyncio.to_thread(_http_status, f'{server.url}/join')
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.3)
    raise TimeoutError('the server did not come back')


def _http_status(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, ''


async def _crash_join(server: ServerProcess, code: str, number: int, state: _CrashState,
                      deadline: float) -> tuple[SimBrowser, str]:
    import aiohttp
    browser = SimBrowser(server.url)
    while True:
        try:
            return browser, await join_as(browser, code, f'Participant {number:02d}')
        except (Disconnected, aiohttp.ClientError, OSError, LookupError, RuntimeError, asyncio.TimeoutError):
            await _wait_until_up(server, state, deadline)


async def _crash_participant(server: ServerProcess, code: str, browser: SimBrowser, path: str, number: int,
                             notes: int, pace: float, state: _CrashState, rng: random.Random,
                             deadline: float) -> None:
    import aiohttp
    page: SimPage | None = None
    try:
        for i in range(notes):
            text = f'crash note {number:02d}-{i:02d} {uuid.uuid4().hex[:6]}'
            await asyncio.sleep(rng.uniform(0, 2 * pace))
            attempts = 0
            while text not in state.confirmed:
                if time.monotonic() > deadline:
                    state.gave_up += 1
                    return
                try:
                    if page is None:
                        page = await browser.open(path)
                        if not page.find(_is_compose_box):
                            state.places_lost += 1  # the reload did not bring them back: join again
                            await page.close()
                            page, path = None, await join_as(browser, code, f'Participant {number:02d}')
                            continue
                        if text in page.values(_is_sent_note):
                            state.confirmed.add(text)  # shown in "What you sent" after the reload
                            break
                    box = page.find(_is_compose_box)[0]
                    if page.value(box) != text:
                        if page.value(box) in state.confirmed:  # a reload brought back a note already sent
                            state.typed_over_stale_draft.add(text)
                        await page.type(box, text)
                    elif attempts:
                        state.resent_after_reconnect += 1  # the draft (and its client key) came back
                    attempts += 1
                    before = len(page.notifications)
                    await page.click(page.button('Send'))
                    if await page.wait_for(lambda: 'Sent' in page.notifications[before:], 30):
                        state.confirmed.add(text)
                    else:  # no answer: reload, as a person would, and look again
                        await page.close()
                        page = None
                except (Disconnected, aiohttp.ClientError, OSError, LookupError, asyncio.TimeoutError, ValueError):
                    if page is not None:
                        await page.close()
                    page = None
                    state.reconnects += 1
                    await _wait_until_up(server, state, deadline)
    finally:
        state.done += 1
        if page is not None:
            await page.close()
        await browser.close()


async def _killer(server: ServerProcess, kills: int, participants: int, state: _CrashState,
                  rng: random.Random, gap: tuple[float, float]) -> None:
    while state.kills < kills and state.done < participants:
        await asyncio.sleep(rng.uniform(*gap))
        if state.done >= participants:
            break
        state.server_up.clear()
        await asyncio.to_thread(server.kill)
        state.kills += 1
        await asyncio.sleep(rng.uniform(0.0, 0.5))
        state.restart_seconds.append(await asyncio.to_thread(server.start))
        state.server_up.set()


def _breakout(session_id: int, group_size: int) -> None:
    """Breakout groups, each on a card of its own."""
    from cardkit import sessions, workshop
    session = sessions.get_session(session_id)
    for index, group in enumerate(workshop.split_room(session_id, group_size)):
        workshop.assign_cards(group.id, [session.card_ids[index % len(session.card_ids)]])


def measure_crash(*, participants: int = 50, notes: int = 20, kills: int = 10, group_size: int = 5, seed: int = 1,
                  work_dir: Path | None = None, timeout: float = 900.0) -> dict[str, Any]:
    """Participants (simulated browsers) send notes through /take-part while the server is SIGKILLed and restarted.

    They join through /join first, then work in breakout groups of `group_size`, each group on its own card (every
    participant page reloads its card's notes when anyone sends one to that card, so one whole room on one card
    makes the run measure fan-out rather than crashes).
    A note counts as confirmed when its sender's page showed "Sent", or listed it under "What you sent" after a
    reload. At the end the database is read: confirmed notes missing = lost, the same text stored twice = duplicate.
    """
    from sqlmodel import select

    from cardkit import db
    from cardkit.models import Note
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(dir=work_dir) as folder:
        data = Path(folder) / 'server'
        with database_at(sqlite_url(data)):
            data.mkdir()
            session = start_workshop('Crash test', themes=[1, 2, 3, 4, 5, 6])
            server = ServerProcess(data)
            server.start()
            state = _CrashState()
            started = time.monotonic()

            async def run() -> None:
                state.server_up.set()
                deadline = time.monotonic() + timeout
                pace = max(0.2, kills * 5.0 / max(1, notes))
                joined = await asyncio.gather(*[_crash_join(server, session.join_code, n, state, deadline)
                                                for n in range(participants)])
                await asyncio.to_thread(_breakout, session.id, group_size)
                await asyncio.sleep(1.5)  # let the server write the browsers' storage (their tokens) to disk
                tasks = [_crash_participant(server, session.join_code, browser, path, n, notes, pace, state,
                                            random.Random(seed * 1000 + n), deadline)
                         for n, (browser, path) in enumerate(joined)]
                await asyncio.gather(*tasks, _killer(server, kills, participants, state, rng, (1.0, 3.0)))

            try:
                asyncio.run(run())
            finally:
                server.stop()
            seconds = time.monotonic() - started
            with db.read() as s:
                stored = [n.text for n in s.exec(select(Note).where(Note.session_id == session.id)).all()]
    counts: dict[str, int] = {}
    for text in stored:
        counts[text] = counts.get(text, 0) + 1
    return {
        'crash_participants': participants, 'crash_notes_each': notes, 'crash_kills': state.kills,
        'crash_notes_confirmed': len(state.confirmed), 'crash_notes_stored': len(counts),
        'crash_confirmed_lost': len(state.confirmed - set(counts)),
        'crash_typed_over_stale_draft': len(state.typed_over_stale_draft),
        'crash_lost_after_stale_draft': len((state.confirmed - set(counts)) & state.typed_over_stale_draft),
        'crash_duplicates': sum(c - 1 for c in counts.values()),
        'crash_resent_after_reconnect': state.resent_after_reconnect, 'crash_reconnects': state.reconnects,
        'crash_places_lost_on_reload': state.places_lost, 'crash_participants_gave_up': state.gave_up,
        'crash_restart_s_max': round(max(state.restart_seconds, default=0.0), 2),
        'crash_seconds': round(seconds, 1),
    }


# --- 2. concurrent writes ------------------------------------------------------------------------------------------

def _writer_threads(url: str, tokens: list[str], card_id: str, seconds: float, prefix: str) -> dict[str, Any]:
    """Writers in threads of this process, one per participant token, each sending notes until the time is up."""
    from sqlalchemy.exc import OperationalError

    from cardkit import workshop
    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(len(tokens))

    def writer(number: int, token: str) -> None:
        mine: list[float] = []
        barrier.wait()
        i = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                workshop.participant_note(token, card_id=card_id, text=f'{prefix} writer {number} note {i}',
                                          client_key=f'{prefix}-{number}-{i}')
                mine.append(time.perf_counter() - started)
            except OperationalError as error:
                kind = 'database is locked' if 'locked' in str(error) else type(error).__name__
                with lock:
                    errors[kind] = errors.get(kind, 0) + 1
            except Exception as error:  # every other failure is counted too
                with lock:
                    errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
            i += 1
        with lock:
            latencies.extend(mine)

    with database_at(url):
        threads = [threading.Thread(target=writer, args=(n, token)) for n, token in enumerate(tokens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return {'latencies': latencies, 'errors': errors}


def _writer_process(url: str, tokens: list[str], card_id: str, seconds: float, prefix: str, out: str) -> None:
    """A separate process of writer threads (as a second server or worker would be); results go to a file."""
    Path(out).write_text(json.dumps(_writer_threads(url, tokens, card_id, seconds, prefix)), encoding='utf-8')


def measure_writes(url: str, *, threads: int = 70, processes: int = 3, threads_per_process: int = 10,
                   seconds: float = 60.0, label: str = 'sqlite') -> dict[str, Any]:
    """`threads` writers in this process and `processes` × `threads_per_process` in others, all sending notes at
    once for `seconds` through workshop.participant_note (two short write transactions per note)."""
    import multiprocessing

    from sqlalchemy import func
    from sqlmodel import select

    from cardkit import db, workshop
    from cardkit.models import Note
    writers = threads + processes * threads_per_process
    with database_at(url):
        session = start_workshop(f'Write test {label}')
        card_id = session.card_ids[0]
        tokens = [workshop.join(session.join_code, name=f'Writer {n}').token for n in range(writers)]
        with db.read() as s:
            before = s.exec(select(func.count()).select_from(Note).where(Note.session_id == session.id)).one()
    context = multiprocessing.get_context('spawn')
    with tempfile.TemporaryDirectory() as folder:
        children = []
        for p in range(processes):
            share = tokens[threads + p * threads_per_process: threads + (p + 1) * threads_per_process]
            out = str(Path(folder) / f'writer-{p}.json')
            child = context.Process(target=_writer_process, args=(url, share, card_id, seconds, f'{label}-p{p}', out))
            child.start()
            children.append((child, out))
        here = _writer_threads(url, tokens[:threads], card_id, seconds, f'{label}-t')
        results = [here]
        for child, out in children:
            child.join(timeout=seconds + 120)
            results.append(json.loads(Path(out).read_text(encoding='utf-8')) if Path(out).exists()
                           else {'latencies': [], 'errors': {'writer process failed': 1}})
    latencies = [x for r in results for x in r['latencies']]
    errors: dict[str, int] = {}
    for r in results:
        for kind, count in r['errors'].items():
            errors[kind] = errors.get(kind, 0) + count
    with database_at(url):
        with db.read() as s:
            stored = s.exec(select(func.count()).select_from(Note).where(Note.session_id == session.id)).one() - before
    return {
        f'writes_{label}_writers': writers, f'writes_{label}_seconds': seconds,
        f'writes_{label}_notes_committed': len(latencies), f'writes_{label}_notes_stored': stored,
        f'writes_{label}_database_locked': errors.get('database is locked', 0),
        f'writes_{label}_other_errors': sum(c for k, c in errors.items() if k != 'database is locked'),
        f'writes_{label}_error_kinds': errors,
        f'writes_{label}_p50_ms': round(statistics.median(latencies) * 1000, 1) if latencies else None,
        f'writes_{label}_p95_ms': round(percentile(latencies, 0.95) * 1000, 1),
        f'writes_{label}_max_ms': round(max(latencies, default=0) * 1000, 1),
        f'writes_{label}_notes_per_s': round(len(latencies) / seconds, 1),
    }


# --- 4. access -----------------------------------------------------------------------------------------------------

FACILITATOR_PAGES = ('console', 'room', 'actions', 'report', 'setup', 'solo')
VIEW_PAGES = ('projector', 'plenary')


def measure_guessing(guesses: int = 10_000) -> dict[str, Any]:
    """Join-code guesses from one address through the join page's own look-up (real database, one open session)."""
    from cardkit import workshop
    from cardkit.ui import join_page
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder, database_at(sqlite_url(Path(folder))):
        session = start_workshop('Guessing target')
        saved = workshop.join_throttle
        workshop.join_throttle = workshop.JoinThrottle()
        found = admitted = 0
        first_refused = None
        try:
            for n in range(guesses):
                code = ''.join(rng.choice(workshop.CODE_ALPHABET) for _ in range(workshop.CODE_LENGTH))
                if code == session.join_code:
                    continue
                try:
                    result = join_page.look_up(code, '203.0.113.9')
                except join_page.Throttled:
                    first_refused = first_refused or n + 1
                    continue
                admitted += 1
                found += result.session is not None
            # the genuine code still works from another address, and from this one once the window has passed
            other = join_page.look_up(session.join_code, '198.51.100.7').session is not None
        finally:
            workshop.join_throttle = saved
        closed_code = session.join_code
        workshop.close_session(session.id)
        try:
            workshop.join(closed_code, name='Latecomer')
            closed_admitted = 1
        except Exception:  # NotFound: the code of a closed session opens nothing
            closed_admitted = 0
    throttle = workshop.JoinThrottle()
    per_hour = sum(throttle.allow('203.0.113.9', now=t * 0.36) for t in range(guesses))  # 10,000 tries in an hour
    return {'access_guesses': guesses, 'access_guesses_found_session': found,
            'access_guesses_admitted': admitted, 'access_throttled_from_try': first_refused,
            'access_guesses_admitted_per_hour': per_hour, 'access_genuine_code_other_address_ok': int(other),
            'access_closed_session_admitted': closed_admitted}


async def _access_checks(server: ServerProcess, session: Any, projector_key: str, facilitator_code: str,
                         results: dict[str, Any]) -> None:
    from cardkit import sessions, workshop
    wrong = 'x' * 32
    refused: list[str] = []
    opened: list[str] = []
    stranger = SimBrowser(server.url)
    for page in (*FACILITATOR_PAGES, *VIEW_PAGES):
        keys = {'no key': '', 'wrong key': wrong}
        if page in FACILITATOR_PAGES:
            keys['projector key'] = projector_key
        for what, key in keys.items():
            status, text = await stranger.get(f'/session/{session.id}/{page}' + (f'?key={key}' if key else ''))
            leaked = session.title in text or session.facilitator_key in text
            (opened if leaked else refused).append(f'{page} ({what})')
    for path in ('/sessions', '/sessions/new?deck=card-activity'):
        status, text = await stranger.get(path)
        (opened if session.title in text or 'Facilitators only' not in text else refused).append(path)
    results['access_direct_urls_refused'] = len(refused)
    results['access_direct_urls_opened'] = len(opened)
    results['access_direct_urls_opened_list'] = opened

    # a participant, and the facilitator's console open at the same time
    phone = SimBrowser(server.url)
    path = await join_as(phone, session.join_code, 'Curious participant')
    participant_page = await phone.open(path)
    facilitator = SimBrowser(server.url)
    console = await facilitator.open(f'/session/{session.id}/console?key={session.facilitator_key}')
    before = await asyncio.to_thread(sessions.get_session, session.id)
    console_buttons = console.find(lambda e: e.get('tag') == 'q-btn' and e.get('events'))
    forged = 0
    for element_id in console_buttons:
        listener = console.listener(element_id, 'click') if any(
            ev.get('type') == 'click' for ev in console.elements[element_id]['events']) else None
        if listener is None:
            continue
        for target in (element_id, participant_page.button('Send')):  # the console's id, and a real id of the phone
            await participant_page.emit(target, listener)
            forged += 1
    # the phone's own group buttons (it is in no group) and a made-up client id
    await participant_page.emit(participant_page.button('Next'), participant_page.listener(
        participant_page.button('Next'), 'click'))
    await participant_page.emit(console_buttons[0] if console_buttons else 1, str(uuid.uuid4()),
                                client_id=str(uuid.uuid4()))
    forged += 2
    await asyncio.sleep(2.0)
    after = await asyncio.to_thread(sessions.get_session, session.id)
    changed = [name for name in ('current_index', 'flipped', 'timer_seconds', 'input_locked', 'status', 'phase',
                                 'join_code', 'show_names') if getattr(before, name) != getattr(after, name)]
    results['access_forged_events_sent'] = forged
    results['access_forged_events_that_changed_the_session'] = len(changed)
    results['access_console_client_id_in_phone_page'] = int(console.client_id in participant_page.html)
    results['access_console_still_connected'] = int(not console.gone.is_set())

    # what a participant's browser receives never holds a key
    _, join_html = await phone.get(f'/join/{session.join_code}')
    secrets_seen = 0
    for text in (join_html, participant_page.html, json.dumps(participant_page.elements)):
        secrets_seen += sum(secret in text for secret in (session.facilitator_key, projector_key, facilitator_code))
    results['access_keys_in_participant_pages'] = secrets_seen
    await participant_page.close()
    await console.close()

    # a closed session's code, typed on the join page, admits no one
    await asyncio.to_thread(workshop.close_session, session.id)
    late = SimBrowser(server.url)
    try:
        await join_as(late, session.join_code, 'Latecomer', timeout=8)
        results['access_closed_code_admitted_ui'] = 1
    except (RuntimeError, LookupError):
        results['access_closed_code_admitted_ui'] = 0
    # the join page itself throttles guessing after a few tries
    guesser = SimBrowser(server.url)
    page = await guesser.open('/join')
    throttled_at = None
    for tries in range(1, 11):
        await page.type(page.input_labelled('Code'), 'ZZZZ22')
        await page.click(page.button('Join'))
        await page.wait_for(lambda: 'Too many attempts' in page.texts(), 1.0)  # each answer is in within a second
        if 'Too many attempts' in page.texts():
            throttled_at = tries
            break
    results['access_join_page_throttled_at_try'] = throttled_at
    await page.close()
    for browser in (stranger, phone, facilitator, guesser, late):
        await browser.close()


def measure_access(guesses: int = 10_000) -> dict[str, Any]:
    """Guessing, closed codes, facilitator pages and forged socket events against a real server, and key leaks."""
    from cardkit import sessions
    results = measure_guessing(guesses)
    facilitator_code = uuid.uuid4().hex
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / 'server'
        data.mkdir()
        with database_at(sqlite_url(data)):
            session = start_workshop(f'Secret strategy {uuid.uuid4().hex[:8]}')
            projector_key = sessions.projector_key(session)
            with running_server(data, env={'CARDKIT_TRUST_LOOPBACK': '0',
                                           'CARDKIT_FACILITATOR_CODE': facilitator_code}) as server:
                asyncio.run(_access_checks(server, session, projector_key, facilitator_code, results))
                results['access_server_tracebacks'] = len(server.errors_logged())
    return results


# --- 6. hostile files ----------------------------------------------------------------------------------------------

YAML_FRAGMENTS = ('id: ', 'title: ', 'themes:', '- ', '  ', '    ', 'cards:', 'lead: ', 'prompts:', '&a ', '*a', '<<: ',
                  '{', '}', '[', ']', ', ', ': ', '"', "'", '|', '>', '!!python/object:os.system', '!!binary', '---',
                  '...', '#', '\n', '\t', '%YAML 1.1\n', '%TAG ! tag:x:\n', '? ', 'number: 1', 'kind: checklist',
                  'version: 1', '~', 'null', '1e999', '0x1F', '\ufeff', '\x00', '\u202e', '☃', 'é', '\\u0000')


def alias_bomb(levels: int = 12) -> str:
    """The 'billion laughs' YAML: each level repeats the one before ten times."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, levels):
        previous = f'*a{n - 1}'
        lines.append(f'a{n}: &a{n} [{", ".join([previous] * 10)}]')
    return '\n'.join(lines) + f'\nid: bomb\ntitle: *a{levels - 1}\n'


def measure_deck_fuzz(examples: int = 2000, seed: int = 0) -> dict[str, Any]:
    """Hypothesis-generated bytes and YAML-ish text through the deck loader: anything but DeckError is a failure."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from cardkit.deckfile import DeckError, parse_deck
    unhandled: list[str] = []
    tried = [0]

    def attempt(data: bytes | str) -> None:
        tried[0] += 1
        try:
            parse_deck(data, 'fuzz.yaml')
        except DeckError:
            pass
        except Exception as error:  # counted, not raised: the figure is how many
            unhandled.append(f'{type(error).__name__}: {str(error)[:120]}')

    fragments = st.lists(st.sampled_from(YAML_FRAGMENTS) | st.text(max_size=8), max_size=60).map(''.join)
    common = settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    for strategy in (st.binary(max_size=2000), fragments):
        given(strategy)(common(lambda data: attempt(data)))()
    return {'files_fuzz_inputs': tried[0], 'files_fuzz_unhandled_exceptions': len(unhandled),
            'files_fuzz_unhandled_examples': unhandled[:5]}


def measure_big_files() -> dict[str, Any]:
    """An alias bomb and a 10 MB file, each refused (DeckError) within a second."""
    from cardkit.deckfile import DeckError, load_deck, parse_deck
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        big = Path(folder) / 'big.yaml'
        big.write_bytes(b'id: big\ntitle: "' + b'x' * 10_000_000 + b'"\n')
        for name, load in (('alias_bomb', lambda: parse_deck(alias_bomb(), 'bomb.yaml')),
                           ('10mb_file', lambda: load_deck(big)), ('10mb_bytes', lambda: parse_deck(big.read_bytes()))):
            started = time.perf_counter()
            try:
                load()
                refused = False
            except DeckError:
                refused = True
            results[f'files_{name}_refused'] = int(refused)
            results[f'files_{name}_seconds'] = round(time.perf_counter() - started, 3)
    return results


def measure_file_names() -> dict[str, Any]:
    """Names that come from files (deck ids, session titles) never lead a write outside its folder."""
    from cardkit import library, sessions
    from cardkit.deckfile import DeckError, parse_deck
    from cardkit.export import report
    escaped = 0
    refused_ids = 0
    hostile = ('../../evil', '..\\..\\evil', '/etc/passwd', 'C:\\Windows\\evil', 'a/../../b', '..', '.')
    base = library.shipped().get(DECK).model_dump(mode='json')
    for name in hostile:
        try:
            parse_deck(json.dumps({**base, 'id': name}), 'hostile.yaml')
        except DeckError:
            refused_ids += 1
    with tempfile.TemporaryDirectory() as folder:
        exports = Path(folder) / 'exports'
        saved = os.environ.get('CARDKIT_EXPORTS_DIR')
        os.environ['CARDKIT_EXPORTS_DIR'] = str(exports)
        try:
            with database_at(sqlite_url(Path(folder))):
                for title in hostile:
                    session = sessions.start_session(deck=library.shipped().get(DECK), title=title)
                    for extension in ('docx', 'csv', 'md', 'json'):
                        path = report.default_path(session, extension).resolve()
                        if exports.resolve() not in path.parents:
                            escaped += 1
        finally:
            if saved is None:
                os.environ.pop('CARDKIT_EXPORTS_DIR', None)
            else:
                os.environ['CARDKIT_EXPORTS_DIR'] = saved
            uploads = _hostile_uploads(Path(folder), hostile)
        outside = [p for p in Path(folder).rglob('*') if 'evil' in p.name or p.name == 'passwd']
    return {'files_hostile_deck_ids_refused': refused_ids, 'files_hostile_deck_ids': len(hostile),
            'files_export_paths_outside_folder': escaped + len(outside), **uploads}


def _hostile_uploads(folder: Path, names: tuple[str, ...]) -> dict[str, Any]:
    """Deck uploads (cardkit.authoring) named like paths: nothing is written, the names shown hold no path."""
    from cardkit import authoring, library
    from cardkit.export.cli_ext import deck_yaml
    base = library.shipped().get(DECK).model_dump(mode='json')
    before = {p for p in ROOT.rglob('*evil*')} | {p for p in folder.parent.rglob('*evil*')}
    unsafe_shown = 0
    stored = 0
    with database_at(sqlite_url(folder / 'uploads')):
        (folder / 'uploads').mkdir(exist_ok=True)
        for n, name in enumerate(names):
            shown = authoring.safe_name(f'{name}.yaml')
            unsafe_shown += any(part in shown for part in ('/', '\\', '..', ':'))
            deck = library.shipped().get(DECK).model_validate({**base, 'id': f'upload-{n}'})
            try:
                authoring.upload_yaml(f'{name}.yaml', deck_yaml(deck).encode())
                stored += 1
            except Exception:  # noqa: BLE001 - a refusal is fine; what matters is where files land
                pass
    after = {p for p in ROOT.rglob('*evil*')} | {p for p in folder.parent.rglob('*evil*')}
    return {'files_upload_names_tried': len(names), 'files_upload_decks_stored': stored,
            'files_upload_names_shown_with_path': unsafe_shown,
            'files_upload_files_written_outside': len(after - before)}


def measure_atheris(seconds: int = 30) -> dict[str, Any]:
    """A short coverage-guided run of the deck loader with atheris, when it is installed."""
    try:
        import atheris  # noqa: F401
    except ImportError:
        return {'files_atheris': 'not installed'}
    script = ('import sys, atheris\n'
              'with atheris.instrument_imports():\n'
              '    from cardkit.deckfile import DeckError, parse_deck\n'
              'def one(data):\n'
              '    try:\n'
              '        parse_deck(data, "fuzz.yaml")\n'
              '    except DeckError:\n'
              '        pass\n'
              'atheris.Setup(sys.argv, one)\n'
              'atheris.Fuzz()\n')
    with tempfile.TemporaryDirectory() as folder:
        completed = subprocess.run([sys.executable, '-c', script, f'-max_total_time={seconds}', '-rss_limit_mb=2048'],
                                   cwd=folder, capture_output=True, text=True, timeout=seconds + 120)
    runs = re.findall(r'#(\d+)\s', completed.stderr)
    errors = re.findall(r'(\w+(?:Error|Exception): [^\n]*)', completed.stderr)
    crasher = re.search(r'\n0x[0-9a-fx,]+\n([^\n]*)\n', completed.stderr)
    return {'files_atheris_runs': int(runs[-1]) if runs else 0,
            'files_atheris_crashes': int(completed.returncode != 0),
            'files_atheris_crash': ' '.join([errors[-1][:120] if errors else '',
                                             f'on input {crasher.group(1)!r}' if crasher else '']).strip()}


# --- 7. your data --------------------------------------------------------------------------------------------------

SHARED_TABLES = ('stored_deck', 'org_deck', 'org_deck_version')  # decks, not anyone's session data


def table_counts() -> dict[str, int]:
    """Rows in every table of the database (alembic's bookkeeping left out)."""
    from sqlalchemy import inspect, text

    from cardkit import db
    engine = db.engine()
    names = [n for n in inspect(engine).get_table_names() if n != 'alembic_version']
    with engine.connect() as connection:
        return {n: connection.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names}


def populate(title: str, *, follow_up: bool = True) -> tuple[Any, list[Any]]:
    """A session with a bit of everything: people, participants, groups, notes, ratings, actions, votes."""
    from cardkit import library, sessions, workshop
    from cardkit.sessions import PersonIn
    session = sessions.start_session(deck=library.shipped().get(DECK), title=title, theme_numbers=[1, 2],
                                     people=[PersonIn('Ann Facilitator', 'Head of learning'), PersonIn('Bo')])
    session = workshop.open_joining(session.id)
    people = [workshop.join(session.join_code, name=f'{title} person {n}', role='Tutor') for n in range(4)]
    workshop.split_room(session.id, 2)
    people = [workshop.participant_for_token(p.token) for p in people]
    for n, p in enumerate(people):
        group = workshop.group_by_id(p.group_id)
        note = workshop.participant_note(p.token, card_id=group.card_ids[0], text=f'{title} note {n}',
                                         client_key=f'{title}-{n}')
        action = workshop.participant_action(p.token, what=f'{title} action {n}', card_id=group.card_ids[0])
        if n == 0:
            workshop.promote_note(note.id)
        workshop.set_options(session.id, votes_per_person=3)
        workshop.vote(p.token, action.id)
    deck = library.shipped().get(DECK)
    checklist = next((c for c in deck.cards if c.kind == 'checklist' and c.id in session.card_ids), None)
    if checklist is not None:
        key = dict(checklist.item_labels())
        sessions.rate_item(session_id=session.id, card_id=checklist.id, item_key=next(iter(key)), rating=1,
                           evidence='We have a policy', author=people[0].name)
    sessions.add_note(session_id=session.id, card_id=session.card_ids[0], text=f'{title} facilitator note')
    sessions.add_action(session_id=session.id, what=f'{title} facilitator action', who='Ann')
    follow = sessions.start_session(deck=library.shipped().get(DECK), title=f'{title} follow-up',
                                    follow_up_of=session.id) if follow_up else None
    return sessions.get_session(session.id), [people, follow]


def measure_your_data(url: str, label: str) -> dict[str, Any]:
    """Delete a session and count every table's rows; export and erase a participant; expire a session."""
    from datetime import timedelta

    from sqlmodel import select

    from cardkit import db, privacy, sessions, workshop
    from cardkit.models import Note, Participant
    with database_at(url):
        baseline = table_counts()
        keep, _ = populate('Kept workshop', follow_up=False)
        gone, (people, follow) = populate('Deleted workshop')
        before = table_counts()
        sessions.delete_session(gone.id)
        sessions.delete_session(follow.id)
        after = table_counts()
        # rows still there beyond the kept session's own (stored_deck is deck content, shared by sessions)
        left_over = {name: count - _rows_of_kept(name, keep.id, baseline.get(name, 0)) for name, count in after.items()
                     if name not in SHARED_TABLES}
        left_over = {name: extra for name, extra in left_over.items() if extra}
        # export and erase one participant of the kept session
        someone = workshop.participants(keep.id)[0]
        exported = privacy.export_participant(keep.id, someone.id)
        erased = privacy.erase_participant(keep.id, someone.id)
        with db.read() as s:
            traces = len(s.exec(select(Note).where(Note.participant_id == someone.id)).all())
            blank = s.get(Participant, someone.id)
            name_left = int(bool(blank.name or blank.role or blank.organisation))
            name_in_notes = len(s.exec(select(Note).where(Note.author == someone.name)).all())
        try:
            workshop.participant_for_token(someone.token)
            token_works = 1
        except sessions.NotFound:
            token_works = 0
        # retention
        privacy.set_retention(keep.id, 30)
        not_yet = privacy.purge_expired()
        later = privacy.purge_expired(now=sessions.get_session(keep.id).updated_at + timedelta(days=31))
        after_purge = table_counts()
    return {
        f'data_{label}_tables_counted': len(before),
        f'data_{label}_rows_before_delete': sum(before.values()),
        f'data_{label}_rows_left_of_deleted_session': sum(left_over.values()),
        f'data_{label}_tables_with_leftovers': sorted(left_over),
        f'data_{label}_export_notes': len(exported['notes']), f'data_{label}_export_actions': len(exported['actions']),
        f'data_{label}_export_votes': len(exported['votes']),
        f'data_{label}_erased': erased, f'data_{label}_erased_traces_left': traces + name_left + name_in_notes,
        f'data_{label}_erased_token_works': token_works,
        f'data_{label}_purged_before_expiry': not_yet, f'data_{label}_purged_after_expiry': later,
        f'data_{label}_rows_left_after_purge': sum(v - baseline.get(k, 0) for k, v in after_purge.items()
                                                   if k not in SHARED_TABLES),
    }


def _rows_of_kept(table: str, session_id: int, baseline: int) -> int:
    """How many rows of a table belong to the kept session (what must be left after deleting the other one)."""
    from sqlalchemy import text

    from cardkit import db
    queries = {
        'card_session': 'SELECT COUNT(*) FROM card_session WHERE id = :s',
        'vote': 'SELECT COUNT(*) FROM vote JOIN action ON action.id = vote.action_id WHERE action.session_id = :s',
    }
    query = queries.get(table, f'SELECT COUNT(*) FROM "{table}" WHERE session_id = :s')
    with db.engine().connect() as connection:
        return baseline + connection.execute(text(query), {'s': session_id}).scalar_one()


# --- 3. network drops (real Chromium) ------------------------------------------------------------------------------

CHROME_FLAGS = ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--no-first-run', '--window-size=1280,1000')


@contextmanager
def chromium() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path='/usr/bin/chromedriver'), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(check: Callable[[], Any], timeout: float, step: float = 0.1) -> Any:
    from selenium.common.exceptions import WebDriverException
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except WebDriverException:
            pass
        time.sleep(step)
    return None


def _xpath_text(text: str) -> str:
    return f"//button[.//span[normalize-space(text())='{text}']]"


def browser_join(driver: Any, base_url: str, code: str, name: str) -> None:
    from selenium.webdriver.common.by import By
    driver.get(f'{base_url}/join/{code}')
    field = _wait(lambda: driver.find_element(By.XPATH, "//input[@aria-label='Your name']"), 30)
    field.send_keys(name)
    driver.find_element(By.XPATH, _xpath_text('Join')).click()
    if not _wait(lambda: '/take-part' in driver.current_url and _compose(driver), 30):
        raise RuntimeError(f'joining in Chromium failed: {driver.find_element(By.TAG_NAME, "body").text[:300]}')


def _compose(driver: Any) -> Any:
    from selenium.webdriver.common.by import By
    areas = driver.find_elements(By.XPATH, "//textarea[@aria-label='Your note']")
    return areas[0] if areas else None


def _sent(driver: Any) -> list[str]:
    """The texts listed under "What you sent about this card"."""
    from selenium.webdriver.common.by import By
    return [a.get_attribute('value') for a in driver.find_elements(By.XPATH, "//textarea[@aria-label='Your note']")[1:]]


def _box_text(driver: Any) -> str | None:
    """What the note box shows; None if the page has no note box."""
    box = _compose(driver)
    return None if box is None else (box.get_attribute('value') or '')


def _popup_shown(driver: Any) -> bool:
    return bool(driver.execute_script(
        "const p = document.getElementById('popup'); return p && p.getAttribute('aria-hidden') === 'false';"))


def _send_in_browser(driver: Any, text: str) -> None:
    from selenium.webdriver.common.keys import Keys
    box = _compose(driver)
    box.click()
    box.send_keys(text)
    box.send_keys(Keys.ENTER)


def _offline(driver: Any, offline: bool) -> None:
    driver.execute_cdp_cmd('Network.enable', {})
    driver.execute_cdp_cmd('Network.emulateNetworkConditions', {'offline': offline, 'latency': 0,
                                                                'downloadThroughput': -1, 'uploadThroughput': -1})


def drop_once(driver: Any, base_url: str, seconds: float, tag: str) -> dict[str, Any]:
    """Send a note, cut the network, type (and press Enter on) a second note, restore, and look at the page.

    A note whose Enter was lost with the network is still in the box afterwards; the participant presses Enter again,
    as anyone would, and the figures say whether that sent it (and once only)."""
    before = f'{tag} sent before the drop'
    during = f'{tag} typed during the drop'
    leftover = _box_text(driver) or ''
    _send_in_browser(driver, before)
    before_listed = bool(_wait(lambda: before in _sent(driver), 20))
    _offline(driver, True)
    started = time.monotonic()
    _send_in_browser(driver, during)
    told_during = bool(_wait(lambda: _popup_shown(driver) or None, min(seconds, 8)))
    time.sleep(max(0.0, seconds - (time.monotonic() - started)))
    _offline(driver, False)
    back = _wait(lambda: _compose(driver) is not None and not _popup_shown(driver) and
                 (before in _sent(driver)), 60)
    time.sleep(2.0)  # anything queued while offline arrives now
    sent = _sent(driver)
    kept_in_box = during in (_box_text(driver) or '')
    reloaded = driver.execute_script('return performance.getEntriesByType("navigation")[0].type') == 'reload'
    sent_on_retry = False
    if kept_in_box:
        from selenium.webdriver.common.keys import Keys
        _compose(driver).send_keys(Keys.ENTER)
        sent_on_retry = bool(_wait(lambda: during in _sent(driver), 20))
    time.sleep(1.0)  # a late copy of the note sent while offline would show by now
    finally_sent = _sent(driver)
    result = {'seconds': seconds, 'box_empty_at_start': int(not leftover), 'before_listed_at_once': int(before_listed),
              'reconnected': int(bool(back)), 'before_present': int(before in sent),
              'during_sent': int(during in sent), 'during_kept_in_box': int(kept_in_box),
              'during_sent_on_retry': int(sent_on_retry), 'during_stored': int(during in finally_sent),
              'during_copies': finally_sent.count(during),
              'box_empty_at_end': int(_box_text(driver) == ''),
              'told_during_drop': int(told_during), 'page_reloaded': int(reloaded),
              }
    result['during_kept_or_told'] = int(result['during_sent'] or kept_in_box or told_during)
    return result


# Outgoing packets vanish (the socket has not noticed the network is gone), then flow again.
LOSE_OUTGOING_JS = 'const e = window.socket.io.engine; e.write = e.send = () => e;'
RESTORE_OUTGOING_JS = 'const e = window.socket.io.engine; delete e.write; delete e.send;'


def unnoticed_drop(driver: Any) -> dict[str, Any]:
    """A drop the page has not noticed: what is typed and the Enter never reach the server. Afterwards the text is
    still in the box; Enter, and in a second round the Send button, send what the box shows (not the server's stale
    copy of it). In a third round the page reloads before anything got through, as it does when the network comes
    back after the server gave the page up: the browser's own copy of the text is back in the box."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    results: dict[str, Any] = {}
    for how in ('enter', 'button', 'reload'):
        text = f'typed while the network silently dropped it, then sent with {how}'
        driver.execute_script(LOSE_OUTGOING_JS)
        _send_in_browser(driver, text)
        time.sleep(1.0)
        if how == 'reload':
            driver.refresh()
            _wait(lambda: _compose(driver), 30)
        else:
            driver.execute_script(RESTORE_OUTGOING_JS)
        time.sleep(1.0)
        kept = text in (_box_text(driver) or '')
        if kept and how in ('enter', 'reload'):
            _compose(driver).send_keys(Keys.ENTER)
        elif kept:
            driver.find_element(By.XPATH, _xpath_text('Send')).click()
        sent_on_retry = bool(_wait(lambda t=text: t in _sent(driver), 20))
        time.sleep(1.0)
        results.update({f'{how}_kept_in_box': int(kept), f'{how}_sent_on_retry': int(sent_on_retry),
                        f'{how}_copies': _sent(driver).count(text),
                        f'{how}_box_empty_at_end': int(_box_text(driver) == '')})
    return results


def measure_drops(durations: tuple[float, ...] = (2, 10, 60)) -> dict[str, Any]:
    """Network drops in real Chromium on a participant's page (Chrome DevTools offline emulation)."""
    from selenium.webdriver.common.by import By
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / 'server'
        data.mkdir()
        with database_at(sqlite_url(data)):
            session = start_workshop('Drop test')
            with running_server(data) as server, chromium() as driver:
                browser_join(driver, server.url, session.join_code, 'Dee Dropout')
                for seconds in durations:
                    tag = f'drop{int(seconds)}s'
                    outcome = drop_once(driver, server.url, seconds, tag)
                    for key, value in outcome.items():
                        results[f'drop_{int(seconds)}s_{key}'] = value
                for key, value in unnoticed_drop(driver).items():
                    results[f'drop_unnoticed_{key}'] = value
                # a reload brings the participant back to the same place (their token is in the browser's storage)
                driver.refresh()
                _wait(lambda: _compose(driver), 30)
                body = driver.find_element(By.TAG_NAME, 'body').text
                results['drop_reload_same_place'] = int('You: Dee Dropout' in body)
                results['drop_notes_lost'] = sum(
                    1 for seconds in durations if f'drop{int(seconds)}s sent before the drop' not in _sent(driver))
    return results


# --- 5. hostile text -----------------------------------------------------------------------------------------------

HOSTILE = (
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<img src=x onerror="window.__pwned=1">',
    '<a href="javascript:alert(1)">click me</a> javascript:alert(1)',
    "{{ constructor.constructor('alert(1)')() }}",
    '${alert(1)} `backtick` </textarea><svg onload=alert(1)>',
    'RTL \u202eevil.exe\u202c override',
    'zero\u200dwidth\u200bjoiners\ufeff',
    'emoji 👩🏽‍🏫🃏✅ family 👨‍👩‍👧',
    'control \x00\x01\x07\x1b[31m characters\x7f',
)
LONG_TEXT = 'x' * 100_000
TRAP_JS = ('window.__alerts = 0; window.__pwned = 0;'
           'window.alert = window.confirm = window.prompt = function () { window.__alerts += 1; };')
CHECK_JS = '''
return {alerts: window.__alerts || 0, pwned: window.__pwned || 0,
        images: document.querySelectorAll('img[src="x"]').length,
        svgs: document.querySelectorAll('svg[onload]').length,
        scripts: [...document.scripts].filter(s => /^\\s*alert\\(1\\)\\s*$/.test(s.textContent)).length,
        links: [...document.querySelectorAll('a[href^="javascript:"]')].length,
        shown: document.body.innerText.includes('<script>alert(1)</script>')};
'''


def hostile_deck() -> Any:
    """The shipped deck with payloads in its title, theme, card leads, prompts and footnotes."""
    from cardkit import library
    from cardkit.deck import Deck
    data = library.shipped().get(DECK).model_dump(mode='json')
    data['title'] = f'{HOSTILE[0]} {data["title"]}'
    data['themes'][0]['title'] = f'{HOSTILE[1]} {data["themes"][0]["title"]}'
    for n, card in enumerate(data['themes'][0]['cards']):
        card['lead'] = f'{HOSTILE[n % len(HOSTILE)]} {HOSTILE[0]} {HOSTILE[4]} {card["lead"]}'
        if card.get('prompts'):
            first = card['prompts'][0]
            if isinstance(first, str):
                card['prompts'][0] = f'{HOSTILE[2]} {HOSTILE[6]} {first}'
            elif isinstance(first, dict) and 'text' in first:
                first['text'] = f'{HOSTILE[2]} {HOSTILE[6]} {first["text"]}'
    data['id'] = 'hostile-deck'
    return Deck.model_validate(data)


def _fill_hostile(deck: Any) -> tuple[Any, dict[str, int]]:
    """A session whose title, people, participants, notes and actions hold every payload."""
    from cardkit import sessions, workshop
    from cardkit.sessions import InputError, PersonIn
    refused = {'long_refused': 0, 'long_accepted': 0}
    session = sessions.start_session(deck=deck, title=f'{HOSTILE[1]} {HOSTILE[4]}', theme_numbers=[1, 2],
                                     people=[PersonIn(p[:200], p[:200], p[:200], p) for p in HOSTILE[:4]])
    session = workshop.open_joining(session.id)
    card = session.card_ids[0]
    for n, payload in enumerate(HOSTILE):
        someone = workshop.join(session.join_code, name=payload[:200], role=payload[:200])
        workshop.participant_note(someone.token, card_id=card, text=payload, client_key=f'hostile-{n}')
        workshop.participant_action(someone.token, what=payload, who=payload[:200], resources=payload, card_id=card)
        sessions.add_note(session_id=session.id, card_id=card, text=payload, author=payload[:200])
    for call in (lambda: sessions.add_note(session_id=session.id, card_id=card, text=LONG_TEXT),
                 lambda: sessions.add_action(session_id=session.id, what=LONG_TEXT),
                 lambda: workshop.join(session.join_code, name=LONG_TEXT),
                 lambda: sessions.rename_session(session.id, LONG_TEXT)):
        try:
            call()
            refused['long_accepted'] += 1
        except InputError:
            refused['long_refused'] += 1
    workshop.set_options(session.id, show_on_projector=True)
    return sessions.get_session(session.id), refused


def _exports(session: Any, deck: Any, folder: Path) -> dict[str, Any]:
    from docx import Document

    from cardkit.export import cards, formats, report
    failed: list[str] = []
    found = 0
    outputs = {}
    jobs = {
        'docx': lambda: report.write_report(session.id, folder / 'report.docx'),
        'csv': lambda: formats.write_export(session.id, 'csv', folder / 'actions.csv'),
        'md': lambda: formats.write_export(session.id, 'md', folder / 'actions.md'),
        'json': lambda: formats.write_export(session.id, 'json', folder / 'session.json'),
        'cards': lambda: (cards.card_set(deck).save(str(folder / 'cards.docx')), folder / 'cards.docx')[1],
    }
    for name, job in jobs.items():
        try:
            outputs[name] = Path(job())
        except Exception as error:  # the figure is how many exports failed
            failed.append(f'{name}: {type(error).__name__}: {str(error)[:100]}')
    for name, path in outputs.items():
        if path.suffix == '.docx':
            document = Document(str(path))
            text = '\n'.join(p.text for p in document.paragraphs)
            text += '\n'.join(c.text for t in document.tables for r in t.rows for c in r.cells)
        else:
            text = path.read_text(encoding='utf-8')
        found += '<script>alert(1)</script>' in text or '&lt;script&gt;alert(1)' in text or '\\u003c' in text
    try:
        formats.import_session_json((folder / 'session.json').read_text(encoding='utf-8'))
        round_trip = 1
    except Exception as error:  # noqa: BLE001 - counted
        failed.append(f'json import: {type(error).__name__}: {str(error)[:100]}')
        round_trip = 0
    return {'text_exports': len(jobs), 'text_exports_failed': len(failed), 'text_exports_failed_list': failed,
            'text_exports_holding_payload': found, 'text_json_round_trip': round_trip}


def measure_hostile_text() -> dict[str, Any]:
    """Payloads in deck fields, titles, names, notes and actions: shown in real Chromium on every screen, exported."""
    from cardkit import sessions
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / 'server'
        data.mkdir()
        with database_at(sqlite_url(data)):
            deck = hostile_deck()
            session, refused = _fill_hostile(deck)
            results.update({f'text_{k}': v for k, v in refused.items()})
            key, projector = session.facilitator_key, sessions.projector_key(session)
            with running_server(data) as server, chromium() as driver:
                driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': TRAP_JS})
                from cardkit import workshop
                screens = {
                    'console': f'/session/{session.id}/console?key={key}',
                    'projector': f'/session/{session.id}/projector?key={projector}',
                    'room': f'/session/{session.id}/room?key={key}',
                    'plenary': f'/session/{session.id}/plenary?key={projector}',
                    'actions': f'/session/{session.id}/actions?key={key}',
                    'report': f'/session/{session.id}/report?key={key}',
                    'setup': f'/session/{session.id}/setup?key={key}',
                    'sessions': '/sessions',
                }
                browser_join(driver, server.url, session.join_code, HOSTILE[1])
                screens_checked: dict[str, dict] = {'participant': driver.execute_script(CHECK_JS)}
                mine = next(p for p in workshop.participants(session.id) if p.name == HOSTILE[1] and
                            p.role == '')
                workshop.participant_note(mine.token, card_id=session.card_ids[0], text=HOSTILE[0])
                time.sleep(1.5)
                screens_checked['participant'] = driver.execute_script(CHECK_JS)
                for name, path in screens.items():
                    driver.get(server.url + path)
                    time.sleep(2.5)
                    screens_checked[name] = driver.execute_script(CHECK_JS)
            results['text_screens'] = len(screens_checked)
            results['text_scripts_executed'] = sum(c['alerts'] + c['pwned'] for c in screens_checked.values())
            results['text_injected_elements'] = sum(c['images'] + c['svgs'] + c['scripts'] + c['links']
                                                    for c in screens_checked.values())
            results['text_screens_showing_payload_as_text'] = sum(bool(c['shown']) for c in screens_checked.values())
            results['text_screens_not_showing'] = sorted(n for n, c in screens_checked.items() if not c['shown'])
            results.update(_exports(session, deck, Path(folder)))
    return results


# --- 8. supply chain and secrets -----------------------------------------------------------------------------------

SECRET_FILES = ('secret.key', 'facilitator.code')
_RANDOM_LITERAL = re.compile(r'(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{32,64}(?![A-Za-z0-9_\-])')


def _entropy(text: str) -> float:
    import math
    counts = {c: text.count(c) for c in set(text)}
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def measure_secrets() -> dict[str, Any]:
    """Two data folders get two different storage secrets and facilitator codes, each file readable by its owner."""
    from cardkit import config
    saved = {name: os.environ.get(name) for name in ('CARDKIT_DATA_DIR', 'CARDKIT_SECRET', 'CARDKIT_FACILITATOR_CODE')}
    values: dict[str, list[str]] = {name: [] for name in SECRET_FILES}
    modes: list[int] = []
    try:
        os.environ.pop('CARDKIT_SECRET', None)
        os.environ.pop('CARDKIT_FACILITATOR_CODE', None)
        with tempfile.TemporaryDirectory() as folder:
            for n in range(2):
                os.environ['CARDKIT_DATA_DIR'] = str(Path(folder) / f'installation-{n}')
                values['secret.key'].append(config.storage_secret())
                values['facilitator.code'].append(config.facilitator_code())
                assert config.storage_secret() == values['secret.key'][-1]  # kept, not made anew each start
                modes += [(config.data_dir() / name).stat().st_mode & 0o777 for name in SECRET_FILES]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return {'secrets_differ_per_installation': int(all(len(set(v)) == 2 for v in values.values())),
            'secrets_min_length': min(len(x) for v in values.values() for x in v),
            'secrets_files_not_0600': sum(mode != 0o600 for mode in modes)}


def measure_repo_secrets(root: Path = ROOT) -> dict[str, Any]:
    """Tracked files: none is a generated secret or database, and no code or configuration file holds a long
    random-looking literal (32–64 characters of mixed case and digits, high entropy, as secrets.token_urlsafe makes).
    Decks and documents are prose and are not scanned for literals."""
    listed = subprocess.run(['git', 'ls-files', '-z'], cwd=root, capture_output=True, check=True).stdout
    files = [root / name for name in listed.decode().split('\0') if name]
    named = [str(f.relative_to(root)) for f in files
             if f.name in SECRET_FILES or f.suffix in ('.db', '.key', '.pem') or f.name.startswith('.env')]
    literals: list[str] = []
    for path in files:
        if path.suffix not in ('.py', '.toml', '.cfg', '.ini', '.json', '.sh', '.env', '') or not path.is_file():
            continue
        text = path.read_text(encoding='utf-8', errors='replace')
        for match in _RANDOM_LITERAL.finditer(text):
            word = match.group(0)
            mixed = sum(any(test(c) for c in word) for test in (str.islower, str.isupper, str.isdigit)) == 3
            if mixed and _entropy(word) > 4.2:
                literals.append(f'{path.relative_to(root)}: {word[:6]}…')
    return {'repo_files_checked': len(files), 'repo_secret_files_tracked': len(named),
            'repo_random_literals': len(literals), 'repo_random_literals_list': literals[:10]}


def measure_pip_audit(timeout: float = 180.0) -> dict[str, Any]:
    """Whether pip-audit can reach an advisory service from here, and if so the real count."""
    results: dict[str, Any] = {}
    for service in ('pypi', 'osv'):
        try:
            done = subprocess.run([sys.executable, '-m', 'pip_audit', '--progress-spinner', 'off', '-s', service,
                                   '--format', 'json'], capture_output=True, text=True, timeout=timeout)
        except (subprocess.TimeoutExpired, OSError) as error:
            results[f'audit_{service}'] = f'not run: {type(error).__name__}'
            continue
        try:
            report = json.loads(done.stdout)
        except ValueError:
            last = (done.stderr.strip().splitlines() or ['no output'])[-1]
            results[f'audit_{service}'] = f'unreachable: {last[:160]}'
            continue
        dependencies = report.get('dependencies', [])
        skipped = [d for d in dependencies if d.get('skip_reason')]
        if dependencies and len(skipped) == len(dependencies):
            reason = skipped[0]['skip_reason'][:60]
            results[f'audit_{service}'] = f'unreachable: all {len(skipped)} dependencies skipped ({reason})'
        else:
            results[f'audit_{service}_vulnerabilities'] = sum(len(d.get('vulns', [])) for d in dependencies)
            results[f'audit_{service}_audited'] = len(dependencies) - len(skipped)
    return results


# --- the summary ---------------------------------------------------------------------------------------------------

@dataclass
class Row:
    """One line of the table: the figure, its target, and whether it is met."""
    name: str
    value: Any
    target: str
    ok: bool | None


def _rows(figures: dict[str, Any]) -> list[Row]:
    """The headline figures and their targets (the other figures are in the JSON line)."""
    zero = ('crash_confirmed_lost', 'crash_duplicates', 'crash_participants_gave_up', 'crash_places_lost_on_reload',
            'writes_sqlite_database_locked', 'writes_sqlite_other_errors', 'writes_postgresql_database_locked',
            'writes_postgresql_other_errors', 'drop_notes_lost', 'access_guesses_found_session',
            'access_closed_session_admitted', 'access_closed_code_admitted_ui', 'access_direct_urls_opened',
            'access_forged_events_that_changed_the_session', 'access_keys_in_participant_pages',
            'access_console_client_id_in_phone_page', 'text_scripts_executed', 'text_injected_elements',
            'text_exports_failed', 'text_long_accepted', 'files_fuzz_unhandled_exceptions',
            'files_export_paths_outside_folder', 'files_atheris_crashes', 'files_upload_names_shown_with_path',
            'files_upload_files_written_outside', 'data_sqlite_rows_left_of_deleted_session',
            'data_postgresql_rows_left_of_deleted_session', 'data_sqlite_erased_traces_left',
            'data_postgresql_erased_traces_left', 'data_sqlite_rows_left_after_purge',
            'data_postgresql_rows_left_after_purge', 'secrets_files_not_0600', 'repo_secret_files_tracked',
            'repo_random_literals')
    one = ('drop_2s_reconnected', 'drop_10s_reconnected', 'drop_60s_reconnected', 'drop_2s_during_kept_or_told',
           'drop_10s_during_kept_or_told', 'drop_60s_during_kept_or_told', 'drop_reload_same_place',
           *(f'drop_{n}s_{what}' for n in (2, 10, 60) for what in ('box_empty_at_start', 'before_listed_at_once',
                                                                  'box_empty_at_end')),
           'drop_2s_during_stored', 'drop_10s_during_stored', 'drop_60s_during_stored',
           *(f'drop_unnoticed_{how}_{what}' for how in ('enter', 'button', 'reload')
             for what in ('kept_in_box', 'sent_on_retry', 'copies', 'box_empty_at_end')),
           'files_alias_bomb_refused', 'files_10mb_file_refused', 'secrets_differ_per_installation',
           'access_genuine_code_other_address_ok')
    rows: list[Row] = []
    for name, value in figures.items():
        if name in zero:
            rows.append(Row(name, value, '= 0', value == 0))
        elif name in one:
            rows.append(Row(name, value, '= 1', value == 1))
        elif name.startswith('drop_') and name.endswith('_during_copies'):
            rows.append(Row(name, value, '<= 1', value <= 1))
        elif name in ('access_throttled_from_try', 'access_join_page_throttled_at_try'):
            rows.append(Row(name, value, '<= 6', value is not None and value <= 6))
        elif name.endswith('_seconds') and name.startswith('files_'):
            rows.append(Row(name, value, '< 1 s', value < 1))
        elif name.startswith(('writes_', 'crash_', 'drop_', 'text_', 'audit_', 'data_', 'files_', 'access_')) \
                and not isinstance(value, (list, dict)):
            rows.append(Row(name, value, '', None))
    return rows


def print_table(figures: dict[str, Any]) -> bool:
    rows = _rows(figures)
    width = max(len(r.name) for r in rows) if rows else 10
    print(f'{"figure":<{width}}  {"value":>12}  {"target":<7}  met')
    for row in rows:
        value = row.value if not isinstance(row.value, float) else f'{row.value:g}'
        met = '' if row.ok is None else ('yes' if row.ok else 'NO')
        print(f'{row.name:<{width}}  {str(value):>12}  {row.target:<7}  {met}')
    print(json.dumps(figures, default=str))
    return all(r.ok is not False for r in rows)


SECTIONS = ('crash', 'writes', 'drops', 'access', 'text', 'files', 'data', 'supply')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m cardkit.reliability', description=__doc__.splitlines()[0])
    parser.add_argument('--only', nargs='*', choices=SECTIONS, help='run only these sections')
    parser.add_argument('--participants', type=int, default=50)
    parser.add_argument('--notes', type=int, default=20, help='notes each participant sends in the crash test')
    parser.add_argument('--kills', type=int, default=10)
    parser.add_argument('--seconds', type=float, default=60.0, help='length of each concurrent-write run')
    parser.add_argument('--writers', type=int, default=100, help='concurrent writers (a quarter in 3 processes)')
    parser.add_argument('--drops', type=float, nargs='*', default=[2, 10, 60], help='network drop lengths (s)')
    parser.add_argument('--guesses', type=int, default=10_000)
    parser.add_argument('--fuzz-examples', type=int, default=3000)
    parser.add_argument('--atheris-seconds', type=int, default=60)
    parser.add_argument('--postgres-url', default=os.environ.get('CARDKIT_TEST_POSTGRES_URL', ''),
                        help='a PostgreSQL database the run may fill (default: CARDKIT_TEST_POSTGRES_URL)')
    args = parser.parse_args(argv)
    chosen = set(args.only or SECTIONS)
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        databases = {'sqlite': sqlite_url(Path(folder))}
        if args.postgres_url:
            databases['postgresql'] = args.postgres_url
        if 'crash' in chosen:
            figures |= measure_crash(participants=args.participants, notes=args.notes, kills=args.kills)
        if 'writes' in chosen:
            processes, per_process = 3, max(1, args.writers // 12)
            for label, url in databases.items():
                figures |= measure_writes(url, threads=args.writers - processes * per_process, processes=processes,
                                          threads_per_process=per_process, seconds=args.seconds, label=label)
        if 'drops' in chosen:
            figures |= measure_drops(tuple(args.drops))
        if 'access' in chosen:
            figures |= measure_access(args.guesses)
        if 'text' in chosen:
            figures |= measure_hostile_text()
        if 'files' in chosen:
            figures |= measure_deck_fuzz(args.fuzz_examples)
            figures |= measure_big_files()
            figures |= measure_file_names()
            figures |= measure_atheris(args.atheris_seconds)
        if 'data' in chosen:
            for label, url in databases.items():
                figures |= measure_your_data(url if label == 'sqlite' else url, label)
        if 'supply' in chosen:
            figures |= measure_secrets()
            figures |= measure_repo_secrets()
            figures |= measure_pip_audit()
    return 0 if print_table(figures) else 1


if __name__ == '__main__':
    sys.exit(main())
