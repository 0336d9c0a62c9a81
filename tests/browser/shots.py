"""Screenshot helpers shared by the real-browser tests: exact viewports and saved PNGs under screenshots/."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nicegui.testing import Screen

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / 'screenshots'


@contextmanager
def viewport(screen: Screen, width: int, height: int, *, mobile: bool = False) -> Iterator[None]:
    """An exact viewport (the window size would include browser chrome); the shared driver is reset afterwards."""
    screen.selenium.execute_cdp_cmd(
        'Emulation.setDeviceMetricsOverride',
        {'width': width, 'height': height, 'deviceScaleFactor': 1, 'mobile': mobile},
    )
    try:
        yield
    finally:
        screen.selenium.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})


def save(screen: Screen, name: str, *, settle: float = 0.8) -> Path:
    """Save a screenshot once animations have settled; the path is returned for copying into docs/."""
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f'{name}.png'
    screen.wait(settle)
    assert screen.selenium.save_screenshot(str(path))
    return path


def keep_for_docs(path: Path, name: str) -> None:
    """Copy a screenshot over the one in docs/ when asked to (CARDKIT_UPDATE_DOCS=1): a test run leaves the
    repository's files as they are."""
    if os.environ.get('CARDKIT_UPDATE_DOCS') == '1':
        shutil.copyfile(path, ROOT / 'docs' / name)
