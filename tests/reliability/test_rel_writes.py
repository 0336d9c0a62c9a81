"""Concurrent writes: 100 writers at once (70 threads here and 3 processes of 10 threads), each a participant sending
notes through workshop.participant_note, on SQLite (WAL, BEGIN IMMEDIATE) and on PostgreSQL.

Figures: "database is locked" errors (target 0), any other error (target 0), every committed note stored, and the
p50/p95 time of one participant_note call (two short write transactions), printed. CI runs 15 s per database;
`python -m reliability --only writes` runs 60 s (`--seconds`).
"""

from __future__ import annotations

import os

from reliability.writes import measure_writes


def test_a_hundred_writers_never_see_database_is_locked(database: str) -> None:
    figures = measure_writes(
        os.environ['DATABASE_URL'], threads=70, processes=3, threads_per_process=10, seconds=15, label=database
    )
    print({k: v for k, v in figures.items()})
    assert figures[f'writes_{database}_writers'] == 100
    assert figures[f'writes_{database}_database_locked'] == 0
    assert figures[f'writes_{database}_other_errors'] == 0, figures[f'writes_{database}_error_kinds']
    assert figures[f'writes_{database}_notes_committed'] > 100
    assert figures[f'writes_{database}_notes_stored'] == figures[f'writes_{database}_notes_committed']
    assert figures[f'writes_{database}_p95_ms'] > 0
