"""Session commands for `python -m cardkit`: list sessions, export one (docx, csv, md, json), import a session file."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from cardkit import sessions
from cardkit.cli import _EXTENSIONS, command
from cardkit.export.formats import FORMATS, import_session_json, write_export

MAX_IMPORT_BYTES = 50_000_000


def _add_parsers(sub: argparse._SubParsersAction) -> None:
    sub.add_parser('sessions', help='list the sessions: id, date, title, deck, notes, actions')

    export = sub.add_parser('export', help='export a session: the Word report, or the actions as CSV/Markdown, '
                                           'or the whole session as JSON')
    export.add_argument('session', metavar='SESSION', help='the session id (see `cardkit sessions`)')
    export.add_argument('--format', choices=FORMATS, default='docx', help='the file format (default: docx)')
    export.add_argument('--out', type=Path, default=None, metavar='PATH',
                        help='the file (or folder) to write (default: the exports folder)')

    imported = sub.add_parser('import', help='import a session JSON file (from `cardkit export --format json`)')
    imported.add_argument('file', type=Path, metavar='FILE', help='the session .json file')


_EXTENSIONS.append(_add_parsers)


def _fail(message: str) -> int:
    print(f'cardkit: {message}', file=sys.stderr)
    return 1


@command('sessions')
def _sessions(args: argparse.Namespace) -> int:
    rows = [('ID', 'DATE', 'TITLE', 'DECK', 'NOTES', 'ACTIONS')]
    for summary in sorted(sessions.list_sessions(), key=lambda s: s.session.id):
        session = summary.session
        rows.append((str(session.id), session.held_on.isoformat(), _cell(session.title), _cell(summary.deck_title),
                     str(summary.notes), str(summary.actions)))
    if len(rows) == 1:
        print('no sessions yet', file=sys.stderr)
        return 0
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print('  '.join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def _cell(text: str, limit: int = 50) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + '…'


class _ProgressLine:
    """Progress on stderr: one line rewritten with \\r on a terminal, otherwise a line at each quarter."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self.next_step = 0.0

    def __call__(self, fraction: float, label: str) -> None:
        percent = round(fraction * 100)
        if self.tty:
            self.stream.write(f'\r{percent:3d}% {label[:60]:<60}')
            if fraction >= 1:
                self.stream.write('\n')
        elif fraction >= self.next_step:
            self.stream.write(f'{percent:3d}% {label}\n')
            self.next_step = (int(fraction * 4) + 1) / 4
        self.stream.flush()


def _session_id(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


@command('export')
def _export(args: argparse.Namespace) -> int:
    session_id = _session_id(args.session)
    if session_id is None:
        return _fail(f"'{args.session}' is not a session id; give the number shown by `cardkit sessions`")
    try:
        session = sessions.get_session(session_id)
    except sessions.NotFound:
        return _fail(f'no session {session_id}; `cardkit sessions` lists them')
    out = args.out
    if out is not None and out.is_dir():
        from cardkit.export.report import safe_file_stem
        out = out / f'{safe_file_stem(session.title, session.id, session.held_on)}.{args.format}'
    if out is not None and not out.parent.is_dir():
        return _fail(f'cannot write {out}: the folder {out.parent} does not exist')
    progress = _ProgressLine(sys.stderr) if args.format == 'docx' else None
    try:
        path = write_export(session_id, args.format, out, progress=progress)
    except OSError as error:
        return _fail(f'cannot write {out or "the export"}: {error.strerror or error}')
    print(path)
    return 0


@command('import')
def _import(args: argparse.Namespace) -> int:
    path: Path = args.file
    suffix = path.suffix.lower()
    if suffix in ('.yaml', '.yml'):
        return _fail(f'{path} is a deck file, not a session: check it with `cardkit validate {path}` and put it in '
                     f'the decks folder to use it')
    if suffix == '.docx':
        return _fail(f'{path} is a Word file: for a filled-in card template use `cardkit import-template {path}`')
    try:
        with path.open('rb') as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    except IsADirectoryError:
        return _fail(f'cannot read {path}: it is a folder')
    except OSError as error:
        return _fail(f'cannot read {path}: {error.strerror or error}')
    if data.startswith(b'PK\x03\x04'):
        return _fail(f'{path} is a Word (zip) file: for a filled-in card template use `cardkit import-template`')
    if data.lstrip().startswith(b'cardkit:'):
        return _fail(f'{path} is a deck file, not a session: check it with `cardkit validate {path}`')
    try:
        session = import_session_json(data)
    except ValueError as error:
        return _fail(f'{path}: {error}')
    print(session.id)
    return 0
