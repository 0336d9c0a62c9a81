"""The room benchmark runs end to end on a tiny room: every figure is produced and nothing fails (no timings asserted).

It starts the real server and the floor app as subprocesses on 127.0.0.1, so it takes about 30 seconds.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_room_benchmark_produces_every_figure_without_errors(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / 'bench' / 'room.py'),
            '--participants',
            '5',
            '--sessions',
            '1',
            '--changes',
            '3',
            '--interval',
            '0.4',
            '--notes',
            '2',
            '--note-interval',
            '0.3',
            '--newcomers',
            '1',
            '--browsers',
            '0',
            '--settle',
            '1',
            '--validate-copies',
            '3',
            '--export-notes',
            '3',
            '--json',
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    app, floor = result['cardkit'], result['floor']
    assert app['participants_connected'] == 5
    for figures in (app, floor):
        assert figures['errors'] == 0, figures['error_samples']
        assert figures['disconnects'] == 0
        assert figures['card_missing'] == 0
        assert figures['server_log_problems'] == 0, figures['server_log_samples']
        assert figures['ws_on_reused_page_connection'] == 0
        assert figures['card_change_ms']['n'] == 15 and figures['card_change_ms']['p95'] is not None
        assert figures['rss_connected_mb'] > 0 and figures['server_cpu_ms_per_card_change'] is not None
    assert app['note_missing'] == 0
    for key in ('note_ms', 'note_db_ms', 'note_console_ms', 'note_screen_ms'):
        assert app[key]['n'] == 2, key
    assert app['projector_card_ms']['n'] == 3
    assert app['newcomer_page_ms']['n'] == 1 and app['newcomer_joined_ms']['n'] == 1
    assert result['comparison']['card_p95_ratio_to_floor'] is not None
    assert set(result['comparison']['targets']) == {
        'card_p95_le_250ms',
        'note_p95_le_300ms',
        'no_errors_or_disconnects',
        'rss_le_1_5mb_per_participant',
        'card_le_1_5x_floor',
    }
    extras = result['extras']
    assert extras['deck_load_validate_ms'] and extras['cli_validate']['exit_code'] == 0
    assert extras['export'].get('report_seconds') is not None
