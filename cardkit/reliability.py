"""Reliability and security figures: `python -m cardkit.reliability` prints one row per figure, then a JSON line.

Each measurement is a function returning a dict of figures; the tests in tests/reliability/ call the same functions
with smaller sizes and assert each figure is at its target. What every row means is in docs/reliability.md.

Simulated participants speak NiceGUI's own browser protocol (a page load over HTTP, then Socket.IO events to the
elements of that page), so they go through the same pages, handlers and use cases as a phone does.
"""
from __future__ import annotations

import argparse
import asyncio
import html
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
                      suppress_health_check=list(HealthCheck))
    given(st.binary(max_size=2000))(common(attempt))()
    given(fragments)(common(attempt))()
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
        outside = [p for p in Path(folder).rglob('*') if 'evil' in p.name or p.name == 'passwd']
    return {'files_hostile_deck_ids_refused': refused_ids, 'files_hostile_deck_ids': len(hostile),
            'files_export_paths_outside_folder': escaped + len(outside)}


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
    return {'files_atheris_runs': int(runs[-1]) if runs else 0,
            'files_atheris_crashes': int(completed.returncode != 0)}


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
        f'data_{label}_rows_left_after_purge': sum(v for k, v in after_purge.items()
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
