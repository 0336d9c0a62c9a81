"""The summary: one row per figure with its target, then the figures as JSON."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cardkit.workshop import SENT_PER_MINUTE, WrongCodes
from reliability.access import measure_access
from reliability.crash import measure_crash
from reliability.data import measure_your_data
from reliability.drops import measure_drops
from reliability.edge import measure_log_flood, measure_rebinding, measure_slow_connections
from reliability.files import measure_atheris, measure_big_files, measure_deck_fuzz, measure_file_names
from reliability.floods import measure_hall, measure_note_flood, measure_resend
from reliability.server import sqlite_url
from reliability.supply import measure_pip_audit, measure_repo_secrets, measure_secrets
from reliability.text import measure_hostile_text
from reliability.votes import measure_vote_races
from reliability.writes import measure_writes

BURST = WrongCodes().burst


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
        'text_csp_violations',
        'edge_files_not_0600',
        'edge_upload_oversize_stored',
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
        'edge_keys_to_foreign_host',
        'edge_keys_via_unconfigured_proxy',
        'edge_rebinding_tracebacks',
        'edge_flood_tracebacks',
        'edge_slow_held_after_12s',
        'edge_slow_tracebacks',
        'flood_tracebacks',
        'resend_duplicates',
        'hall_told_too_many_attempts',
        'hall_failed_otherwise',
        'hall_tracebacks',
        'votes_sqlite_races_over_the_limit',
        'votes_postgresql_races_over_the_limit',
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
        'drop_lost_answer_copies',
        'drop_lost_answer_box_empty_at_end',
        'edge_keys_with_own_host',
        'edge_pages_still_connected',
        'edge_server_answers_after_flood',
        'edge_slow_other_address_answered',
        'edge_slow_same_address_answered_after',
        'flood_refusal_shown_on_the_phone',
        'flood_screens_still_connected',
    )
    kb10 = 10 * 1024
    limits: dict[str, tuple[str, Callable[[Any], bool]]] = {
        'edge_log_bytes_written': ('< 64 KB', lambda v: v < 64 * 1024),
        'edge_foreign_origin_socket_status': ('= 403', lambda v: v == 403),
        'edge_upload_oversize_status': ('= 413', lambda v: v == 413),
        'flood_console_bytes_per_note': ('< 10 KB', lambda v: v < kb10),
        'flood_room_bytes_per_note': ('< 10 KB', lambda v: v < kb10),
        'flood_stored_of_one_phone': (f'<= {SENT_PER_MINUTE}', lambda v: v <= SENT_PER_MINUTE),
        'access_throttled_from_try': (f'<= {BURST + 1}', lambda v: v is not None and v <= BURST + 1),
        'access_join_page_throttled_at_try': (f'<= {BURST + 1}', lambda v: v is not None and v <= BURST + 1),
        'access_guesses_admitted_per_hour': ('<= 300', lambda v: v <= 300),
        'hall_admitted': (f'= {figures.get("hall_phones")}', lambda v: v == figures.get('hall_phones')),
        'edge_foreign_host_refused': (
            f'= {figures.get("edge_foreign_host_requests")}',
            lambda v: v == figures.get('edge_foreign_host_requests'),
        ),
    }
    for name in figures:
        if name.startswith('votes_') and '_most_stored_limit_' in name:
            allowed = int(name.rsplit('_', 1)[1])
            limits[name] = (f'<= {allowed}', lambda v, a=allowed: v <= a)
    rows: list[Row] = []
    for name, value in figures.items():
        if name in zero:
            rows.append(Row(name, value, '= 0', value == 0))
        elif name in one:
            rows.append(Row(name, value, '= 1', value == 1))
        elif name.startswith('drop_') and name.endswith('_during_copies'):
            rows.append(Row(name, value, '<= 1', value <= 1))
        elif name in limits:
            target, met = limits[name]
            rows.append(Row(name, value, target, met(value)))
        elif name.endswith('_seconds') and name.startswith('files_'):
            rows.append(Row(name, value, '< 1 s', value < 1))
        elif name.startswith(
            (
                'writes_',
                'crash_',
                'drop_',
                'text_',
                'audit_',
                'data_',
                'files_',
                'access_',
                'edge_',
                'flood_',
                'resend_',
                'hall_',
                'votes_',
            )
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
        print(f'{row.name:<{width}}  {value!s:>12}  {row.target:<7}  {met}')
    print(json.dumps(figures, default=str))
    return all(r.ok is not False for r in rows)


SECTIONS = ('crash', 'writes', 'drops', 'access', 'text', 'files', 'data', 'supply', 'edge', 'floods', 'votes')


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
    parser.add_argument('--slow-connections', type=int, default=1100)
    parser.add_argument('--hall', type=int, default=300, help='phones behind one address joining within 10 s')
    parser.add_argument('--races', type=int, default=1000, help='vote races per database')
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
                figures |= measure_your_data(url, label)
        if 'supply' in chosen:
            figures |= measure_secrets()
            figures |= measure_repo_secrets()
            figures |= measure_pip_audit()
        if 'edge' in chosen:
            figures |= measure_rebinding()
            figures |= measure_log_flood()
            figures |= measure_slow_connections(args.slow_connections)
        if 'floods' in chosen:
            figures |= measure_note_flood()
            figures |= measure_resend()
            figures |= measure_hall(args.hall)
        if 'votes' in chosen:
            for label, url in databases.items():
                figures |= measure_vote_races(url, label, races=args.races)
    return 0 if print_table(figures) else 1
