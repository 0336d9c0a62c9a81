"""Benchmark a full room: the real Cardkit server, simulated phones speaking NiceGUI's protocol, and a bare floor.

    python bench/room.py --participants 300 --sessions 1 --json
    python bench/room.py --participants 15 --sessions 20
    python bench/room.py --find-limit      # N = 50, 100, 150, 200, 300, 500, 800 in one session until p95 > 1 s

Per run: the sessions are started through the use cases in a fresh temporary data folder (SQLite), then `main.py`
runs as a subprocess on 127.0.0.1. Every participant joins through the real join form (GET /join/CODE, the name typed
and Join clicked as socket `event` messages, the `open` followed to /take-part with the same cookies) and stays on the
participant page. A simulated console (Next/Previous clicked as socket events), projector and plenary screen
(contributions shown on the big screen) watch each session. Measured: (a) card change, from the console click until
each participant's `update` carries the new lead question; (b) a note, from sending until its row is in the database
and the console and the plenary screen show it; (c) server RSS and CPU; (d) a newcomer's join while cards change;
(e) errors and disconnects; and a few real Chromium participants measured the same way (DOM text change). The same
harness then measures `bench/floor_app.py` (one label per client, one Event per room) as the baseline. Finally the
deck, CLI validation and Word export figures. Prints a table and, last, one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent))
import contextlib

from harness import LoopLag, ProcessMeter, SimClient, Stats, ack_loop, shows, summary

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DECK_ID = 'card-activity'
WATCH_TIMEOUT = 15.0
TARGETS = {'card_p95_ms': 250, 'note_p95_ms': 300, 'rss_kb_per_participant': 1536, 'card_ratio_to_floor': 1.5}


# --- servers -------------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


class Server:
    """A server subprocess on the loopback, stopped on exit; its log is kept for errors."""

    def __init__(self, args: list[str], folder: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.base = f'http://127.0.0.1:{self.port}'
        self.log_path = folder / f'server-{self.port}.log'
        self.args = [PYTHON, *args, '--port', str(self.port)]
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(('PYTEST', 'NICEGUI_SCREEN'))}
        self.env = {**inherited, **(env or {})}  # under pytest NiceGUI would otherwise start in its test mode
        self.folder = folder
        self.process: subprocess.Popen | None = None

    async def start(self, probe: str = '/') -> None:
        with open(self.log_path, 'w', encoding='utf-8') as log:  # the server keeps writing to its own copy
            self.process = subprocess.Popen(
                self.args, cwd=self.folder, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + 90
        async with aiohttp.ClientSession() as http:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f'server exited: {self.log_path.read_text()[-2000:]}')
                try:
                    async with http.get(self.base + probe) as response:
                        if response.status < 500:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.3)
        raise RuntimeError('server did not start within 90 s')

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log_problems(self) -> list[str]:
        """Tracebacks and error lines in the server's output."""
        lines = self.log_path.read_text(encoding='utf-8', errors='replace').splitlines()
        problems = []
        for number, line in enumerate(lines):
            if line.startswith('Traceback'):  # the exception line closes the block: the first unindented line after
                end = next((i for i in range(number + 1, len(lines)) if lines[i][:1] not in (' ', '')), number)
                where = [x.strip() for x in lines[number + 1 : end] if x.strip().startswith('File')][-1:]
                problems.append(f'{lines[end][:200]} at {where[0][:200] if where else "?"}')
            elif 'ERROR' in line or line.startswith(('Error', 'WARNING')):
                problems.append(line[:300])
        return problems[:50]


def cardkit_server(folder: Path, heap_keeper: bool) -> Server:
    """The app as shipped; without the heap keeper (CARDKIT_GC_FREEZE=0) if asked, to see what it saves."""
    env = {
        'CARDKIT_DATA_DIR': str(folder),
        'NICEGUI_STORAGE_PATH': str(folder / '.nicegui'),
        'CARDKIT_EXPORTS_DIR': str(folder / 'exports'),
        'DATABASE_URL': '',
        'CARDKIT_GC_FREEZE': '1' if heap_keeper else '0',
    }
    return Server([str(ROOT / 'main.py'), '--host', '127.0.0.1'], folder, env)


def floor_server(folder: Path, gc_freeze: bool) -> Server:
    env = {'NICEGUI_STORAGE_PATH': str(folder / '.nicegui-floor'), 'FLOOR_GC_FREEZE': '1' if gc_freeze else '0'}
    return Server([str(ROOT / 'bench' / 'floor_app.py')], folder, env)


# --- the rooms -----------------------------------------------------------------------------------------------------


@dataclass
class Room:
    """One session (or one floor room) and the simulated screens in it."""

    index: int
    session_id: int = 0
    code: str = ''
    key: str = ''
    projector_key: str = ''
    leads: list[str] = field(default_factory=list)
    current: int = 0
    direction: int = 1
    bumps: int = 0
    console: SimClient | None = None
    projector: SimClient | None = None
    plenary: SimClient | None = None
    participants: list[SimClient] = field(default_factory=list)
    newcomers: list[SimClient] = field(default_factory=list)


def set_up_sessions(folder: Path, count: int) -> list[Room]:
    """Start the sessions through the use cases in the run's own database, open for joining, notes on the screen."""
    os.environ['CARDKIT_DATA_DIR'] = str(folder)
    os.environ.pop('DATABASE_URL', None)
    from cardkit import db, library, sessions, workshop

    db.reset()
    deck = library.shipped().get(DECK_ID)
    rooms = []
    for index in range(count):
        session = db.run(sessions.start_session, deck=deck, title=f'Bench room {index + 1}')
        session = db.run(workshop.open_joining, session_id=session.id)
        db.run(workshop.set_options, session_id=session.id, show_on_projector=True)
        rooms.append(
            Room(
                index,
                session.id,
                session.join_code,
                session.facilitator_key,
                sessions.projector_key(session),
                [deck.card(c).lead for c in session.card_ids],
            )
        )
    db.reset()
    return rooms


class DbWatcher(threading.Thread):
    """Polls the run's SQLite file (read-only, WAL) for new notes; resolves the texts being waited for."""

    def __init__(self, path: Path, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__(daemon=True)
        self.path, self.loop = path, loop
        self.pending: dict[str, tuple[float, asyncio.Future]] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.last_id = 0

    def expect(self, text: str, t0: float) -> asyncio.Future:
        future = self.loop.create_future()
        with self.lock:
            self.pending[text] = (t0, future)
        return future

    def run(self) -> None:
        connection = sqlite3.connect(f'file:{self.path}?mode=ro', uri=True, check_same_thread=False)
        try:
            row = connection.execute('SELECT max(id) FROM note').fetchone()
            self.last_id = row[0] or 0
            while not self.stopped.is_set():
                if not self.pending:
                    time.sleep(0.02)
                    continue
                rows = connection.execute(
                    'SELECT id, text FROM note WHERE id > ? ORDER BY id', (self.last_id,)
                ).fetchall()
                now = time.perf_counter()
                for note_id, text in rows:
                    self.last_id = max(self.last_id, note_id)
                    with self.lock:
                        found = self.pending.pop(text, None)
                    if found:
                        t0, future = found
                        self.loop.call_soon_threadsafe(_resolve, future, (now - t0) * 1000)
                time.sleep(0.002)
        finally:
            connection.close()


def _resolve(future: asyncio.Future, value: float) -> None:
    if not future.done():
        future.set_result(value)


# --- real browsers -------------------------------------------------------------------------------------------------

OBSERVER_JS = """
window.__ckTarget = null; window.__ckSeen = null;
const check = () => {
  if (window.__ckTarget === null || window.__ckSeen !== null) return;
  if (document.body.textContent.includes(window.__ckTarget)) {
    window.__ckSeen = performance.timeOrigin + performance.now();
  }
};
new MutationObserver(check).observe(document.body, {childList: true, subtree: true, characterData: true});
"""


class Browser:
    """A real headless Chromium participant, joined through the join form; DOM text change seen by an observer."""

    def __init__(self) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        options = webdriver.ChromeOptions()
        for flag in (
            '--headless=new',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
            '--window-size=420,900',
            '--disable-dev-shm-usage',
        ):
            options.add_argument(flag)
        options.binary_location = '/usr/bin/chromium'
        self.driver = webdriver.Chrome(options=options, service=Service('/usr/bin/chromedriver'))
        self.driver.set_page_load_timeout(60)

    def join(self, base: str, code: str, name: str) -> float:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec
        from selenium.webdriver.support.ui import WebDriverWait

        start = time.perf_counter()
        self.driver.get(f'{base}/join/{code}')
        wait = WebDriverWait(self.driver, 30)
        field_ = wait.until(ec.element_to_be_clickable((By.XPATH, "//label[.//*[text()='Your name']]//input")))
        field_.send_keys(name)
        self.driver.find_element(By.XPATH, "//button[.//*[text()='Join']]").click()
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, '.ck-card .ck-lead')))
        elapsed = (time.perf_counter() - start) * 1000
        self.driver.execute_script(OBSERVER_JS)
        return elapsed

    def arm(self, text: str) -> None:
        self.driver.execute_script('window.__ckSeen = null; window.__ckTarget = arguments[0];', text)

    def seen_epoch_ms(self) -> float | None:
        return self.driver.execute_script('return window.__ckSeen;')

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.driver.quit()


# --- one run against one app ---------------------------------------------------------------------------------------


class Run:
    """Connect the rooms, drive the cards, send notes, and collect the figures of one app (Cardkit or the floor)."""

    def __init__(
        self,
        app: str,
        base: str,
        rooms: list[Room],
        per_room: int,
        opts: argparse.Namespace,
        meter: ProcessMeter,
        db_path: Path | None = None,
    ) -> None:
        self.app, self.base, self.rooms, self.per_room, self.opts = app, base, rooms, per_room, opts
        self.meter, self.db_path = meter, db_path
        self.stats = Stats()
        self.card_ms: list[float] = []
        self.projector_ms: list[float] = []
        self.all_updated_ms: list[float] = []
        self.missing = 0
        self.browser_ms: list[float] = []
        self.browser_sim_ms: list[float] = []
        self.browser_missing = 0
        self.browsers: list[Browser] = []
        self.browser_join_ms: list[float] = []
        self.join_ms: list[float] = []
        self.join_page_ms: list[float] = []
        self.newcomer: dict[str, list[float]] = {'page_ms': [], 'socket_ms': [], 'joined_ms': []}
        self.note: dict[str, list[float]] = {'db_ms': [], 'console_ms': [], 'screen_ms': [], 'all_ms': []}
        self.note_missing = 0
        self.figures: dict[str, Any] = {}
        if app == 'floor':  # imported before measuring: it imports NiceGUI
            from floor_app import next_text

            self.floor_text = next_text

    def clients(self) -> list[SimClient]:
        result = []
        for room in self.rooms:
            result += [c for c in (room.console, room.projector, room.plenary) if c is not None]
            result += room.participants + room.newcomers
        return result

    # --- joining ---------------------------------------------------------------------------------------------------

    async def join(self, room: Room, name: str) -> tuple[SimClient, dict[str, float]]:
        """A participant's phone: the join form through the socket, then the participant page."""
        if self.app == 'floor':
            client = SimClient(self.base, self.stats, name=name)
            start = time.perf_counter()
            await client.load(f'/room/{room.index}')
            await client.connect()
            return client, {
                'page_ms': client.load_ms,
                'socket_ms': client.connect_ms,
                'joined_ms': (time.perf_counter() - start) * 1000,
            }
        start = time.perf_counter()
        form = SimClient(self.base, self.stats, name=f'{name}/join')
        client = SimClient(self.base, self.stats, name=name, jar=form.jar)
        try:
            await form.load(f'/join/{room.code}')
            page_ms = form.load_ms
            await form.connect()
            socket_ms = form.connect_ms
            form.opened = asyncio.get_running_loop().create_future()
            await form.set_value(form.find_by_label('Your name'), name)
            await form.click(form.find_by_label('Join', 'q-btn'))
            path = await asyncio.wait_for(form.opened, 60)
            await form.close()
            client._page_session = form._page_session  # the same browser: its cookies and connection
            await client.load(path)
            await client.connect()
        except BaseException:
            await client.close()
            raise
        finally:
            await form.close_all()  # the page session; the participant's socket has its own
        if not any(shows(e, lead) for e in client.elements.values() for lead in room.leads):  # (a change may be on)
            self.stats.error(f'{name}: the participant page shows no card of the session')
        client.textarea = client.find_by_label('Your note')
        client.send = client.find_by_label('Send', 'q-btn')
        return client, {'page_ms': page_ms, 'socket_ms': socket_ms, 'joined_ms': (time.perf_counter() - start) * 1000}

    async def connect_screens(self) -> None:
        for room in self.rooms:
            if self.app == 'floor':
                room.console = SimClient(self.base, self.stats, name=f'drive{room.index}')
                await room.console.load(f'/drive/{room.index}')
                await room.console.connect()
                continue
            for attr, path in (
                ('console', f'/session/{room.session_id}/console?key={room.key}'),
                ('projector', f'/session/{room.session_id}/projector?key={room.projector_key}'),
                ('plenary', f'/session/{room.session_id}/plenary?key={room.projector_key}'),
            ):
                client = SimClient(self.base, self.stats, name=f'{attr}{room.index}')
                await client.load(path)
                await client.connect()
                setattr(room, attr, client)

    async def join_all(self) -> None:
        semaphore = asyncio.Semaphore(self.opts.join_concurrency)

        async def one(room: Room, number: int) -> None:
            async with semaphore:
                for attempt in range(3):
                    try:
                        client, times = await self.join(room, f'P{room.index}-{number}')
                        break
                    except Exception as e:
                        self.stats.error(f'join P{room.index}-{number} attempt {attempt + 1}: {type(e).__name__}: {e}')
                else:
                    return
                room.participants.append(client)
                self.join_ms.append(times['joined_ms'])
                self.join_page_ms.append(times['page_ms'])

        await asyncio.gather(*(one(room, n) for n in range(self.per_room) for room in self.rooms))

    async def start_browsers(self) -> None:
        if self.app != 'cardkit' or self.opts.browsers <= 0:
            return
        room = self.rooms[0]
        for number in range(self.opts.browsers):
            try:
                browser = await asyncio.to_thread(Browser)
                self.browser_join_ms.append(
                    await asyncio.to_thread(browser.join, self.base, room.code, f'Chromium {number + 1}')
                )
                self.browsers.append(browser)
            except Exception as e:
                self.stats.error(f'browser {number + 1}: {type(e).__name__}: {str(e)[:200]}')

    # --- card changes ----------------------------------------------------------------------------------------------

    def _next_move(self, room: Room) -> tuple[str, int, str]:
        """The button to click, the card it shows and that card's lead (bouncing between the ends of the deck)."""
        if self.app == 'floor':
            return 'Next', room.bumps + 1, self.floor_text(room.index, room.bumps + 1)
        if not 0 <= room.current + room.direction < len(room.leads):
            room.direction = -room.direction
        target = room.current + room.direction
        return ('Next' if room.direction > 0 else 'Previous'), target, room.leads[target]

    async def change_cards(self, room: Room, offset: float = 0.0, *, chromium: bool = False) -> None:
        """One session's card changes, one per interval: the measured ones, or with chromium=True the Chromium
        phones' own (`--browser-changes`, one a second)."""
        count, interval = (self.opts.browser_changes, 1.0) if chromium else (self.opts.changes, self.opts.interval)
        await asyncio.sleep(offset)
        loop = asyncio.get_running_loop()
        for _ in range(count):
            slot = loop.time() + interval
            if not await self.change_card(room, chromium=chromium):
                return
            await asyncio.sleep(max(0.0, slot - loop.time()))

    async def chromium_check(self) -> None:
        """The real Chromium phones of the first session, and its simulated phones, on the same changes. This runs
        after the measured changes, so that Chromium's rendering does not share the cores with them: the floor has no
        Chromium, and the ratios compare like with like."""
        if self.browsers:
            await self.change_cards(self.rooms[0], chromium=True)

    async def change_card(self, room: Room, *, chromium: bool = False) -> bool:
        """Click Next (or Previous) on the session's console and wait for every phone to show the new card; False if
        the console is dead. With chromium=True the latencies go to the Chromium comparison instead."""
        button, target, text = self._next_move(room)
        if chromium:
            await asyncio.gather(*(asyncio.to_thread(b.arm, text) for b in self.browsers))
        t0, epoch0 = time.perf_counter(), time.time() * 1000
        futures = [c.watch(text, t0) for c in room.participants]
        projector = room.projector.watch(text, t0) if room.projector else None
        try:
            await room.console.click(room.console.find_by_label(button, 'q-btn'))
        except Exception as e:
            self.stats.error(f'console {room.index}: click failed: {type(e).__name__}: {e}')
            for client in room.participants:
                client.unwatch()
            return False
        results = await asyncio.gather(*(asyncio.wait_for(f, WATCH_TIMEOUT) for f in futures), return_exceptions=True)
        got = [r for r in results if isinstance(r, float)]
        self.missing += len(results) - len(got)
        if chromium:
            self.browser_sim_ms += got
        else:
            self.card_ms += got
            if got and len(got) == len(results):
                self.all_updated_ms.append(max(got))
        if self.opts.per_change:
            print(
                f'{self.app} room {room.index}: change to card {target + 1}: first phone '
                f'{min(got, default=0):.0f} ms, last {max(got, default=0):.0f} ms',
                flush=True,
            )
        if projector is not None:
            try:
                elapsed = await asyncio.wait_for(projector, WATCH_TIMEOUT)
                if not chromium:
                    self.projector_ms.append(elapsed)
            except TimeoutError:
                self.missing += 1
        for client in room.participants:
            client.unwatch()
        if chromium:
            for browser in self.browsers:
                seen = await asyncio.to_thread(browser.seen_epoch_ms)
                if seen is None:
                    self.browser_missing += 1
                else:
                    self.browser_ms.append(seen - epoch0)
        room.current, room.bumps = target, room.bumps + 1
        return True

    async def newcomers(self, duration: float) -> None:
        """Newcomers join (one room after another) while the cards change."""
        count = self.opts.newcomers
        for number in range(count):
            await asyncio.sleep(duration / (count + 1))
            room = self.rooms[number % len(self.rooms)]
            try:
                client, times = await self.join(room, f'New{number}')
            except Exception as e:
                self.stats.error(f'newcomer {number}: {type(e).__name__}: {e}')
                continue
            room.newcomers.append(client)
            for key, value in times.items():
                self.newcomer[key].append(value)

    # --- notes -----------------------------------------------------------------------------------------------------

    async def send_notes(self) -> None:
        if self.app != 'cardkit' or self.opts.notes <= 0:
            return
        loop = asyncio.get_running_loop()
        watcher = DbWatcher(self.db_path, loop)
        watcher.start()
        try:
            for number in range(self.opts.notes):
                slot = loop.time() + self.opts.note_interval
                room = self.rooms[number % len(self.rooms)]
                if not room.participants:
                    continue
                sender = room.participants[(number // len(self.rooms)) % len(room.participants)]
                text = f'Bench note {number}: we track progression with {uuid.uuid4().hex[:8]}'
                t0 = time.perf_counter()
                db_future = watcher.expect(text, t0)
                console = room.console.watch(text, t0)
                screen = room.plenary.watch(text, t0)
                try:
                    await sender.set_value(sender.textarea, text)
                    await sender.click(sender.send)
                except Exception as e:
                    self.note_missing += 1
                    self.stats.error(f'note {number}: {sender.name} could not send: {type(e).__name__}: {e}')
                    for future in (db_future, console, screen):
                        future.cancel()
                    continue
                results = await asyncio.gather(
                    *(asyncio.wait_for(f, WATCH_TIMEOUT) for f in (db_future, console, screen)), return_exceptions=True
                )
                for key, value in zip(('db_ms', 'console_ms', 'screen_ms'), results, strict=False):
                    if isinstance(value, float):
                        self.note[key].append(value)
                if all(isinstance(r, float) for r in results):
                    self.note['all_ms'].append(max(results))
                else:
                    self.note_missing += 1
                    self.stats.error(f'note {number}: not seen everywhere ({[type(r).__name__ for r in results]})')
                await asyncio.sleep(max(0.0, slot - loop.time()))
        finally:
            watcher.stopped.set()

    # --- the whole run ---------------------------------------------------------------------------------------------

    async def execute(self) -> dict[str, Any]:
        stop = asyncio.Event()
        acks = asyncio.create_task(ack_loop(self.clients, stop))
        lag = LoopLag()
        meter = self.meter
        try:
            warm = SimClient(self.base, self.stats, name='warm-up')  # first page render, imports, caches
            await warm.load(f'/join/{self.rooms[0].code}' if self.app == 'cardkit' else '/room/999')
            await warm.connect()
            await warm.close_all()
            await self.connect_screens()
            await asyncio.sleep(self.opts.settle)  # the warm-up client is deleted 3 s after its socket closed
            rss_idle = meter.rss_mb()
            start = time.perf_counter()
            cpu0 = meter.cpu_s()
            await self.join_all()
            join_wall = time.perf_counter() - start
            join_cpu = meter.cpu_s() - cpu0
            await self.start_browsers()
            await asyncio.sleep(self.opts.settle)  # join-form clients are deleted 3 s after they navigated away
            connected = sum(len(r.participants) for r in self.rooms)
            rss_connected = meter.rss_mb()
            cpu0, t0 = meter.cpu_s(), time.perf_counter()
            await asyncio.sleep(min(3.0, self.opts.settle))
            idle_cpu_pct = (meter.cpu_s() - cpu0) / (time.perf_counter() - t0) * 100

            lag.start()
            harness0, cpu0 = time.process_time(), meter.cpu_s()
            duration = self.opts.changes * self.opts.interval
            stagger = self.opts.interval / len(self.rooms)
            tasks = [self.change_cards(room, i * stagger) for i, room in enumerate(self.rooms)]
            profiler = None
            if self.opts.profile:  # py-spy on the server while the cards change (FILE, and FILE.floor)
                output = self.opts.profile + ('' if self.app == 'cardkit' else f'.{self.app}')
                profiler = subprocess.Popen(
                    [
                        str(Path(PYTHON).parent / 'py-spy'),
                        'record',
                        '--pid',
                        str(meter.pid),
                        '--duration',
                        str(int(duration)),
                        '--rate',
                        '200',
                        '--format',
                        'raw',
                        '--output',
                        output,
                        '--nonblocking',
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            if self.app == 'cardkit':
                tasks.append(self.newcomers(duration))
            await asyncio.gather(*tasks)
            changes = self.opts.changes * len(self.rooms)
            if profiler is not None:
                await asyncio.to_thread(profiler.wait, 60)
            cpu_per_change = (meter.cpu_s() - cpu0) / changes * 1000
            harness_cpu_per_update = (time.process_time() - harness0) / max(1, len(self.card_ms)) * 1e6
            await self.chromium_check()
            cpu0 = meter.cpu_s()
            await self.send_notes()
            cpu_per_note = (meter.cpu_s() - cpu0) / max(1, self.opts.notes) * 1000 if self.app == 'cardkit' else None
            harness_lag = lag.stop()
            await asyncio.sleep(1)
            still = sum(1 for c in self.clients() if c.ws is not None and not c.ws.closed)
            rss_end = meter.rss_mb()
        finally:
            stop.set()
            await acks
            for browser in self.browsers:
                await asyncio.to_thread(browser.close)
            await asyncio.gather(*(c.close_all() for c in self.clients()), return_exceptions=True)
        total_clients = len(self.clients())
        self.figures = {
            'app': self.app,
            'sessions': len(self.rooms),
            'participants_per_session': self.per_room,
            'participants_connected': connected,
            'browsers': len(self.browsers),
            'card_change_ms': summary(self.card_ms),
            'card_all_updated_p50_ms': summary(self.all_updated_ms)['p50'],
            'card_changes': changes,
            'card_missing': self.missing,
            'projector_card_ms': summary(self.projector_ms),
            'note_ms': summary(self.note['all_ms']),
            'note_db_ms': summary(self.note['db_ms']),
            'note_console_ms': summary(self.note['console_ms']),
            'note_screen_ms': summary(self.note['screen_ms']),
            'note_missing': self.note_missing,
            'join_ms': summary(self.join_ms),
            'join_page_ms': summary(self.join_page_ms),
            'join_wall_s': round(join_wall, 1),
            'server_cpu_ms_per_join': round(join_cpu / max(1, connected) * 1000, 1),
            'newcomer_page_ms': summary(self.newcomer['page_ms']),
            'newcomer_socket_ms': summary(self.newcomer['socket_ms']),
            'newcomer_joined_ms': summary(self.newcomer['joined_ms']),
            'browser_card_ms': summary(self.browser_ms),
            'browser_sim_same_session_ms': summary(self.browser_sim_ms),
            'browser_missing': self.browser_missing,
            'browser_join_ms': summary(self.browser_join_ms),
            'rss_idle_mb': round(rss_idle, 1),
            'rss_connected_mb': round(rss_connected, 1),
            'rss_end_mb': round(rss_end, 1),
            'rss_kb_per_participant': round((rss_connected - rss_idle) * 1024 / max(1, connected), 1),
            'server_idle_cpu_pct': round(idle_cpu_pct, 1),
            'server_cpu_ms_per_card_change': round(cpu_per_change, 1),
            'server_cpu_ms_per_note': None if cpu_per_note is None else round(cpu_per_note, 1),
            'errors': len(self.stats.errors),
            'error_samples': self.stats.errors[:8],
            'disconnects': self.stats.disconnects,
            'ws_on_reused_page_connection': self.stats.reused_connections,
            'clients_still_connected': f'{still}/{total_clients}',
            'harness_loop_lag_ms': harness_lag,
            'harness_cpu_us_per_client_update': round(harness_cpu_per_update, 1),
            'update_frames': self.stats.update_frames,
            'update_mb': round(self.stats.bytes / 1e6, 1),
        }
        return self.figures


async def run_app(app: str, per_room: int, room_count: int, opts: argparse.Namespace) -> dict[str, Any]:
    """Start a fresh server (Cardkit with its own data folder, or the floor), run, stop it."""
    folder = Path(tempfile.mkdtemp(prefix=f'cardkit-room-{app}-'))
    server = None
    try:
        if app == 'cardkit':
            rooms = set_up_sessions(folder, room_count)
            server = cardkit_server(folder, not opts.no_heap_keeper)
            await server.start('/join')
        else:
            rooms = [Room(index) for index in range(room_count)]
            server = floor_server(folder, opts.gc_freeze)
            await server.start('/room/0')
        run = Run(app, server.base, rooms, per_room, opts, ProcessMeter(server.process.pid), folder / 'cardkit.db')
        figures = await run.execute()
        problems = server.log_problems()
        figures['server_log_problems'] = len(problems)
        figures['server_log_samples'] = problems[:5]
        return figures
    finally:
        if server is not None:
            server.stop()
        if not opts.keep:
            shutil.rmtree(folder, ignore_errors=True)


# --- decks, CLI, export --------------------------------------------------------------------------------------------


def extras(opts: argparse.Namespace) -> dict[str, Any]:
    """Shipped decks loaded and validated (per deck), the CLI on a folder of copies, the large Word export."""
    from cardkit import library
    from cardkit.deckfile import load_deck

    per_deck = {}
    for path in library.deck_files(ROOT / 'decks'):
        start = time.perf_counter()
        load_deck(path)
        per_deck[path.name] = round((time.perf_counter() - start) * 1000, 1)
    with tempfile.TemporaryDirectory(prefix='cardkit-validate-') as folder:
        source = ROOT / 'decks' / f'{DECK_ID}.yaml'
        for number in range(opts.validate_copies):
            (Path(folder) / f'deck-{number:03d}.yaml').write_text(
                source.read_text(encoding='utf-8').replace(f'id: {DECK_ID}', f'id: {DECK_ID}-{number}', 1),
                encoding='utf-8',
            )
        start = time.perf_counter()
        done = subprocess.run(
            [PYTHON, '-m', 'cardkit', 'validate', folder], cwd=ROOT, capture_output=True, text=True, timeout=600
        )
        validate_s = time.perf_counter() - start
    start = time.perf_counter()
    export = subprocess.run(
        [PYTHON, str(ROOT / 'bench' / 'export.py'), '--notes', str(opts.export_notes)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    export_wall = time.perf_counter() - start
    try:
        export_figures = json.loads(export.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        export_figures = {'error': export.stderr[-500:]}
    return {
        'deck_load_validate_ms': per_deck,
        'cli_validate': {
            'decks': opts.validate_copies,
            'seconds': round(validate_s, 2),
            'ms_per_deck': round(validate_s * 1000 / max(1, opts.validate_copies), 1),
            'exit_code': done.returncode,
        },
        'export': {**export_figures, 'wall_seconds': round(export_wall, 2)},
    }


# --- output --------------------------------------------------------------------------------------------------------


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 2) if a is not None and b else None


def judge(app: dict[str, Any], floor: dict[str, Any] | None) -> dict[str, Any]:
    card_p95 = app['card_change_ms']['p95']
    note_p95 = app['note_ms']['p95']
    floor_p95 = floor['card_change_ms']['p95'] if floor else None
    result = {
        'card_p95_ratio_to_floor': ratio(card_p95, floor_p95),
        'card_p50_ratio_to_floor': ratio(
            app['card_change_ms']['p50'], floor['card_change_ms']['p50'] if floor else None
        ),
        'rss_ratio_to_floor': ratio(app['rss_kb_per_participant'], floor['rss_kb_per_participant'] if floor else None),
        'cpu_per_change_ratio_to_floor': ratio(
            app['server_cpu_ms_per_card_change'], floor['server_cpu_ms_per_card_change'] if floor else None
        ),
    }
    problems = (
        app['errors'] + app['disconnects'] + app['card_missing'] + app['note_missing'] + app['server_log_problems']
    )
    result['targets'] = {
        'card_p95_le_250ms': card_p95 is not None and card_p95 <= TARGETS['card_p95_ms'],
        'note_p95_le_300ms': note_p95 is not None and note_p95 <= TARGETS['note_p95_ms'],
        'no_errors_or_disconnects': problems == 0,
        'rss_le_1_5mb_per_participant': app['rss_kb_per_participant'] <= TARGETS['rss_kb_per_participant'],
        'card_le_1_5x_floor': (
            result['card_p95_ratio_to_floor'] is not None
            and result['card_p95_ratio_to_floor'] <= TARGETS['card_ratio_to_floor']
        ),
    }
    return result


def fmt(summary_: dict[str, Any]) -> str:
    if not summary_ or not summary_.get('n'):
        return '-'
    return f'{summary_["p50"]} / {summary_["p95"]} / {summary_["max"]}'


def print_table(app: dict[str, Any], floor: dict[str, Any] | None, verdict: dict[str, Any] | None) -> None:
    rows = [
        ('card change p50/p95/max ms', fmt(app['card_change_ms']), fmt(floor['card_change_ms']) if floor else ''),
        (
            '  samples, missing',
            f'{app["card_change_ms"]["n"]}, {app["card_missing"]}',
            f'{floor["card_change_ms"]["n"]}, {floor["card_missing"]}' if floor else '',
        ),
        (
            '  slowest client per change p50 ms',
            app['card_all_updated_p50_ms'],
            floor['card_all_updated_p50_ms'] if floor else '',
        ),
        ('  projector p50/p95/max ms', fmt(app['projector_card_ms']), ''),
        ('  Chromium (DOM) p50/p95/max ms', fmt(app['browser_card_ms']), ''),
        ('  simulated, same changes', fmt(app['browser_sim_same_session_ms']), ''),
        ('note p50/p95/max ms (all three)', fmt(app['note_ms']), ''),
        ('  committed (DB row)', fmt(app['note_db_ms']), ''),
        ('  on the console', fmt(app['note_console_ms']), ''),
        ('  on the big screen', fmt(app['note_screen_ms']), ''),
        ('join via form p50/p95/max ms', fmt(app['join_ms']), fmt(floor['join_ms']) if floor else ''),
        ('newcomer page GET p50/p95/max ms', fmt(app['newcomer_page_ms']), ''),
        ('newcomer socket p50/p95/max ms', fmt(app['newcomer_socket_ms']), ''),
        ('newcomer joined p50/p95/max ms', fmt(app['newcomer_joined_ms']), ''),
        ('participants connected', app['participants_connected'], floor['participants_connected'] if floor else ''),
        (
            'RSS idle / connected MB',
            f'{app["rss_idle_mb"]} / {app["rss_connected_mb"]}',
            f'{floor["rss_idle_mb"]} / {floor["rss_connected_mb"]}' if floor else '',
        ),
        ('RSS per participant KB', app['rss_kb_per_participant'], floor['rss_kb_per_participant'] if floor else ''),
        (
            'server CPU ms per card change',
            app['server_cpu_ms_per_card_change'],
            floor['server_cpu_ms_per_card_change'] if floor else '',
        ),
        ('server CPU ms per note', app['server_cpu_ms_per_note'], ''),
        ('server CPU ms per join', app['server_cpu_ms_per_join'], ''),
        ('server idle CPU %', app['server_idle_cpu_pct'], floor['server_idle_cpu_pct'] if floor else ''),
        (
            'errors / disconnects / log problems',
            f'{app["errors"]} / {app["disconnects"]} / {app["server_log_problems"]}',
            f'{floor["errors"]} / {floor["disconnects"]} / {floor["server_log_problems"]}' if floor else '',
        ),
        (
            'harness loop lag p95 ms',
            app['harness_loop_lag_ms']['p95'],
            floor['harness_loop_lag_ms']['p95'] if floor else '',
        ),
    ]
    print(
        f'\n{app["sessions"]} session(s) x {app["participants_per_session"]} participants (+{app["browsers"]} Chromium)'
    )
    print(f'{"":38}{"Cardkit":>24}{"floor":>24}')
    for label, value, base in rows:
        print(f'{label:38}{value!s:>24}{base!s:>24}')
    if verdict:
        print('ratios to the floor: ' + ', '.join(f'{k} {v}' for k, v in verdict.items() if k != 'targets'))
        print('targets: ' + ', '.join(f'{k} {"PASS" if v else "FAIL"}' for k, v in verdict['targets'].items()))
    if app['error_samples']:
        print('error samples:', *app['error_samples'][:5], sep='\n  ')
    if app['server_log_samples']:
        print('server log:', *app['server_log_samples'], sep='\n  ')


def print_extras(figures: dict[str, Any]) -> None:
    print('\nShipped decks (load + validate):')
    for name, ms in figures['deck_load_validate_ms'].items():
        print(f'  {name:40}{ms:>10} ms')
    cli = figures['cli_validate']
    print(
        f'CLI validate, {cli["decks"]} decks: {cli["seconds"]} s ({cli["ms_per_deck"]} ms per deck), '
        f'exit {cli["exit_code"]}'
    )
    export = figures['export']
    print(
        f'Word export, {export.get("notes")} notes + {export.get("actions")} actions: '
        f'{export.get("report_seconds")} s (plain python-docx baseline {export.get("baseline_seconds")} s, '
        f'ratio {export.get("ratio")})'
    )


# --- entry point ---------------------------------------------------------------------------------------------------


async def measure(per_room: int, room_count: int, opts: argparse.Namespace) -> dict[str, Any]:
    app = await run_app('cardkit', per_room, room_count, opts)
    floor = None if opts.no_baseline else await run_app('floor', per_room, room_count, opts)
    verdict = judge(app, floor)
    print_table(app, floor, verdict)
    return {'cardkit': app, 'floor': floor, 'comparison': verdict}


async def find_limit(opts: argparse.Namespace) -> dict[str, Any]:
    """Raise N in one session until the card change p95 passes 1 s (or something fails)."""
    steps = []
    limit = None
    for n in opts.limit_steps:
        app = await run_app('cardkit', n, 1, opts)
        print_table(app, None, None)
        steps.append(
            {
                'n': n,
                'card_p95_ms': app['card_change_ms']['p95'],
                'card_p50_ms': app['card_change_ms']['p50'],
                'note_p95_ms': app['note_ms']['p95'],
                'errors': app['errors'],
                'disconnects': app['disconnects'],
                'missing': app['card_missing'],
                'rss_kb_per_participant': app['rss_kb_per_participant'],
                'join_wall_s': app['join_wall_s'],
            }
        )
        p95 = app['card_change_ms']['p95']
        if p95 is None or p95 > 1000 or app['card_missing']:
            limit = n
            break
    return {'limit_steps': steps, 'first_n_with_card_p95_over_1s': limit}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--participants', type=int, default=300, help='participants per session')
    parser.add_argument('--sessions', type=int, default=1)
    parser.add_argument('--changes', type=int, default=20, help='card changes per session')
    parser.add_argument(
        '--interval',
        type=float,
        default=None,
        help='seconds between card changes in a session (default 1, or 0.25 x sessions if more: '
        'the facilitators change cards 4 times a second in all)',
    )
    parser.add_argument('--notes', type=int, default=20, help='notes sent (one at a time)')
    parser.add_argument('--note-interval', type=float, default=0.75)
    parser.add_argument('--newcomers', type=int, default=5, help='people joining while the cards change')
    parser.add_argument('--browsers', type=int, default=2, help='real Chromium participants in the first session')
    parser.add_argument(
        '--browser-changes',
        type=int,
        default=10,
        help='card changes of the first session measured by Chromium, after the measured changes',
    )
    parser.add_argument('--join-concurrency', type=int, default=4)
    parser.add_argument('--gc-freeze', action='store_true', help='run the floor with gc.freeze() at startup')
    parser.add_argument(
        '--no-heap-keeper',
        action='store_true',
        help='run Cardkit without its heap keeper (CARDKIT_GC_FREEZE=0): full collections walk every connected page',
    )
    parser.add_argument('--no-baseline', action='store_true')
    parser.add_argument('--no-extras', action='store_true', help='skip the deck, CLI and export figures')
    parser.add_argument('--validate-copies', type=int, default=100)
    parser.add_argument('--export-notes', type=int, default=200, help='notes per card in the export benchmark')
    parser.add_argument('--find-limit', action='store_true')
    parser.add_argument('--limit-steps', type=int, nargs='+', default=[50, 100, 150, 200, 300, 500, 800])
    parser.add_argument(
        '--settle',
        type=float,
        default=4.0,
        help='seconds to let closed clients be deleted before RSS is read (3 s reconnect timeout)',
    )
    parser.add_argument('--json', action='store_true', help='(the JSON line is always printed last)')
    parser.add_argument(
        '--profile',
        metavar='FILE',
        help='py-spy the server while the cards change (raw stacks; the floor in FILE.floor)',
    )
    parser.add_argument('--keep', action='store_true', help='keep the temporary data folders')
    parser.add_argument(
        '--per-change',
        action='store_true',
        help='print the first and last phone of every card change (a pause shows as a late first)',
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    opts = parse_args(argv)
    if opts.interval is None:
        opts.interval = max(1.0, 0.25 * opts.sessions)
    started = time.strftime('%Y-%m-%d %H:%M:%S')
    if opts.find_limit:
        result = asyncio.run(find_limit(opts))
    else:
        result = asyncio.run(measure(opts.participants, opts.sessions, opts))
    if not opts.no_extras:
        result['extras'] = extras(opts)
        print_extras(result['extras'])
    result['run'] = {
        'started': started,
        'nproc': os.cpu_count(),
        'argv': argv if argv is not None else sys.argv[1:],
        'gc_freeze': opts.gc_freeze,
        'heap_keeper': not opts.no_heap_keeper,
        'interval_s': opts.interval,
        'changes_per_session': opts.changes,
    }
    print(json.dumps(result, default=str))
    return result


if __name__ == '__main__':
    main()
