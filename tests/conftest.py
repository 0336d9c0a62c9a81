"""Shared fixtures: every test gets its own data folder and exports folder."""

from __future__ import annotations

import functools
import importlib
import os
from pathlib import Path

import httpx
import pytest
from nicegui.testing import User, user_plugin

ROOT = Path(__file__).resolve().parent.parent
# The app in this process is the test runner's too: its objects stay visible to the collector (gc.get_referrers,
# which some plugins rely on). tests/unit/test_heap.py covers the freezing in a process of its own.
os.environ.setdefault('CARDKIT_GC_FREEZE', '0')


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fresh data folder, exports folder and database for each test."""
    monkeypatch.setenv('CARDKIT_DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.setenv('CARDKIT_EXPORTS_DIR', str(tmp_path / 'exports'))
    monkeypatch.setenv('CARDKIT_SECRET', 'test-secret')
    from cardkit import db, live, workshop

    db.reset()
    live.reset()
    workshop.reset()
    yield
    db.reset()
    live.reset()


# Pages read the database in a worker thread, so what a user sees arrives a round trip after the click or the keystroke;
# on a loaded machine that takes longer than NiceGUI's default three tries 0.1 s apart. A story waits up to 3 s.
PATIENT = 30


def _patient(check):
    @functools.wraps(check)
    async def waiting(self: User, *args, retries: int = PATIENT, **kwargs) -> None:
        await check(self, *args, retries=retries, **kwargs)

    return waiting


@pytest.fixture(autouse=True)
def _stories_wait_for_the_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(User, 'should_see', _patient(User.should_see))
    monkeypatch.setattr(User, 'should_not_see', _patient(User.should_not_see))


BASE_URL = 'http://127.0.0.1:8080'


class _HttpxAsTheFacilitatorsBrowser:
    """httpx as NiceGUI's simulated browsers use it, addressing the app as a browser on the server's machine does
    (its own `http://test` is a name the app does not answer to)."""

    def __getattr__(self, name: str):
        return getattr(httpx, name)

    @staticmethod
    def AsyncClient(*args, **kwargs) -> httpx.AsyncClient:
        return httpx.AsyncClient(*args, **{**kwargs, 'base_url': BASE_URL})


@pytest.fixture(autouse=True)
def _simulated_browsers_use_a_loopback_address(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (user_plugin, importlib.import_module('nicegui.testing.user_simulation')):
        monkeypatch.setattr(module, 'httpx', _HttpxAsTheFacilitatorsBrowser())


@pytest.fixture(scope='session')
def nicegui_chrome_options(nicegui_chrome_options):
    """Debian's Chromium, headless and offline."""
    for flag in (
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--window-size=1920,1080',
    ):
        nicegui_chrome_options.add_argument(flag)
    return nicegui_chrome_options


@pytest.fixture(params=['sqlite', 'postgresql'])
def database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The same test on embedded SQLite and on the PostgreSQL server named by CARDKIT_TEST_POSTGRES_URL."""
    from sqlalchemy import create_engine, text

    from cardkit import db

    if request.param == 'postgresql':
        url = os.environ.get('CARDKIT_TEST_POSTGRES_URL')
        if not url:
            pytest.fail('CARDKIT_TEST_POSTGRES_URL is not set; scripts/test starts PostgreSQL and sets it')
        engine = create_engine(url, isolation_level='AUTOCOMMIT')
        with engine.connect() as connection:
            connection.execute(text('DROP SCHEMA IF EXISTS public CASCADE'))
            connection.execute(text('CREATE SCHEMA public'))
        engine.dispose()
        monkeypatch.setenv('DATABASE_URL', url)
    else:
        monkeypatch.setenv('DATABASE_URL', f'sqlite:///{tmp_path / "cardkit.db"}')
    db.reset()
    yield request.param
    db.reset()
