"""A real Cardkit server process (started, killed with SIGKILL, restarted) and the database it uses."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DECK = 'card-activity'


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class ServerProcess:
    """`python main.py --port N` on its own data folder, started, killed (SIGKILL) and restarted like a deployment."""

    def __init__(self, data_dir: Path, *, env: dict[str, str] | None = None, open_files: int | None = None) -> None:
        self.open_files = open_files  # the open-file limit it starts with (Debian's usual 1,024, say)
        self.port = free_port()
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.extra_env = env or {}
        self.process: subprocess.Popen | None = None
        self.url = f'http://127.0.0.1:{self.port}'
        self.log = self.data_dir / 'server.log'
        self.starts = 0

    def environment(self) -> dict[str, str]:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(('PYTEST', 'NICEGUI')) and name != 'DATABASE_URL'
        }
        env |= {
            'CARDKIT_DATA_DIR': str(self.data_dir),
            'CARDKIT_EXPORTS_DIR': str(self.data_dir / 'exports'),
            'NICEGUI_STORAGE_PATH': str(self.data_dir / 'nicegui-storage'),
            'CARDKIT_SECRET': 'reliability-secret',
            'PYTHONUNBUFFERED': '1',
        }
        return env | self.extra_env

    def start(self, timeout: float = 90.0) -> float:
        """Start the server and wait until it answers; returns the seconds it took."""
        started = time.monotonic()
        with self.log.open('ab') as log:
            self.process = subprocess.Popen(
                [sys.executable, 'main.py', '--port', str(self.port)],
                cwd=ROOT,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=self._limit_open_files if self.open_files else None,
            )
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

    def _limit_open_files(self) -> None:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, hard))

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
    from cardkit import db, library, sessions, workshop

    session = db.run(
        sessions.start_session,
        deck=library.shipped().get(DECK),
        title=title,
        theme_numbers=themes or [1],
        way_of_working='in a mixed group with representation from partner organisations',
    )
    return db.run(workshop.open_joining, session_id=session.id)


@contextmanager
def server_data() -> Iterator[Path]:
    """A fresh data folder for a server process, with this process's use cases pointed at its database."""
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / 'server'
        data.mkdir()
        with database_at(sqlite_url(data)):
            yield data
