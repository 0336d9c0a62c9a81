"""The summary: one row per figure with its target, then the figures as JSON."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reliability.access import measure_access
from reliability.crash import measure_crash
from reliability.data import measure_your_data
from reliability.drops import measure_drops
from reliability.files import measure_atheris, measure_big_files, measure_deck_fuzz, measure_file_names
from reliability.server import sqlite_url
from reliability.supply import measure_pip_audit, measure_repo_secrets, measure_secrets
from reliability.text import measure_hostile_text
from reliability.writes import measure_writes


@dataclass
class Row:
    """One line of the table: the figure, its target, and whether it is met."""

    name: str
    value: Any
    target: str
    ok: bool | None


def _rows(figures: dict[str, Any]) -> list[Row]:
    """The headline figures and their targets (the other figures are in the JSON line)."""
    zero = (
        'crash_confirmed_lost',
        'crash_duplicates',
        'crash_participants_gave_up',
        'crash_places_lost_on_reload',
        'writes_sqlite_database_locked',
        'writes_sqlite_other_errors',
        'writes_postgresql_database_locked',
        'writes_postgresql_other_errors',
        'drop_notes_lost',
        'access_guesses_found_session',
        'access_closed_session_admitted',
        'access_closed_code_admitted_ui',
        'access_direct_urls_opened',
        'access_forged_events_that_changed_the_session',
        'access_keys_in_participant_pages',
        'access_console_client_id_in_phone_page',
        'text_scripts_executed',
        'text_injected_elements',
        'text_exports_failed',
        'text_long_accepted',
        'files_fuzz_unhandled_exceptions',
        'files_export_paths_outside_folder',
        'files_atheris_crashes',
        'files_upload_names_shown_with_path',
        'files_upload_files_written_outside',
        'data_sqlite_rows_left_of_deleted_session',
        'data_postgresql_rows_left_of_deleted_session',
        'data_sqlite_erased_traces_left',
        'data_postgresql_erased_traces_left',
        'data_sqlite_rows_left_after_purge',
        'data_postgresql_rows_left_after_purge',
        'secrets_files_not_0600',
        'repo_secret_files_tracked',
        'repo_random_literals',
    )
    one = (
        'drop_2s_reconnected',
        'drop_10s_reconnected',
        'drop_60s_reconnected',
        'drop_2s_during_kept_or_told',
        'drop_10s_during_kept_or_told',
        'drop_60s_during_kept_or_told',
        'drop_reload_same_place',
        *(
            f'drop_{n}s_{what}'
            for n in (2, 10, 60)
            for what in ('box_empty_at_start', 'before_listed_at_once', 'box_empty_at_end')
        ),
        'drop_2s_during_stored',
        'drop_10s_during_stored',
        'drop_60s_during_stored',
        *(
            f'drop_unnoticed_{how}_{what}'
            for how in ('enter', 'button', 'reload')
            for what in ('kept_in_box', 'sent_on_retry', 'copies', 'box_empty_at_end')
        ),
        'files_alias_bomb_refused',
        'files_10mb_file_refused',
        'secrets_differ_per_installation',
        'access_genuine_code_other_address_ok',
    )
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
        elif name.startswith(
            ('writes_', 'crash_', 'drop_', 'text_', 'audit_', 'data_', 'files_', 'access_')
        ) and not isinstance(value, (list, dict)):
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
    parser = argparse.ArgumentParser(
        prog='python -m reliability', description='Reliability and security figures: one row per figure, then JSON.'
    )
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
    parser.add_argument(
        '--postgres-url',
        default=os.environ.get('CARDKIT_TEST_POSTGRES_URL', ''),
        help='a PostgreSQL database the run may fill (default: CARDKIT_TEST_POSTGRES_URL)',
    )
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
                figures |= measure_writes(
                    url,
                    threads=args.writers - processes * per_process,
                    processes=processes,
                    threads_per_process=per_process,
                    seconds=args.seconds,
                    label=label,
                )
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
