"""Shared fixtures: every test gets its own data folder and exports folder."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh data folder, exports folder and database for each test."""
    monkeypatch.setenv('CARDKIT_DATA_DIR', str(tmp_path / 'data'))
    monkeypatch.setenv('CARDKIT_EXPORTS_DIR', str(tmp_path / 'exports'))
    monkeypatch.setenv('CARDKIT_SECRET', 'test-secret')


@pytest.fixture(scope='session')
def nicegui_chrome_options(nicegui_chrome_options):
    """Debian's Chromium, headless and offline."""
    for flag in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
                 '--disable-component-update', '--disable-sync', '--no-first-run', '--window-size=1920,1080'):
        nicegui_chrome_options.add_argument(flag)
    return nicegui_chrome_options
