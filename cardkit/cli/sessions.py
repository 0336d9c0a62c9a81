"""Session commands: list the sessions, export one (Word, CSV, Markdown, JSON), import a session file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

import click

from cardkit import db, sessions
from cardkit.cli.decks import OUT, print_table
from cardkit.export.formats import FORMATS, import_session_json, write_export

MAX_IMPORT_BYTES = 50_000_000


def _fail(message: str) -> int:
    print(f'cardkit: {message}', file=sys.stderr)
    return 1


@click.command('sessions', short_help='List the sessions: id, date, title, deck, notes, actions.')
def list_sessions() -> int:
    """List the sessions: id, date, title, deck, notes and actions.

    \b
    Example:
      cardkit sessions
    """
    rows = [('ID', 'DATE', 'TITLE', 'DECK', 'NOTES', 'ACTIONS')]
    for summary in sorted(db.run(sessions.list_sessions), key=lambda s: s.session.id):
        session = summary.session
        rows.append(
            (
                str(session.id),
                session.held_on.isoformat(),
                _cell(session.title),
                _cell(summary.deck_title),
                str(summary.notes),
                str(summary.actions),
            )
        )
    if len(rows) == 1:
        print('no sessions yet', file=sys.stderr)
        return 0
    print_table(rows)
    return 0


def _cell(text: str, limit: int = 50) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + '…'


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


@click.command('export', short_help='Export a session: Word report, CSV, Markdown or JSON.')
@click.argument('session')
@click.option(
    '--format',
    'fmt',
    type=click.Choice(FORMATS),
    default='docx',
    show_default=True,
    help='the Word report, the actions as CSV or Markdown, or the whole session as JSON',
)
@click.option('--out', type=OUT, default=None, help='the file (or folder) to write (default: the exports folder)')
def export(session: str, fmt: str, out: Path | None) -> int:
    """Export SESSION (its id, as `cardkit sessions` shows it); the Word report shows its progress.

    \b
    Example:
      cardkit export 3 --format docx --out report.docx
      cardkit export 3 --format json --out backups/
    """
    session_id = _session_id(session)
    if session_id is None:
        return _fail(f"'{session}' is not a session id; give the number shown by `cardkit sessions`")
    try:
        found = db.run(sessions.get_session, session_id=session_id)
    except sessions.NotFound:
        return _fail(f'no session {session_id}; `cardkit sessions` lists them')
    if out is not None and out.is_dir():
        from cardkit.export.report import safe_file_stem

        out = out / f'{safe_file_stem(found.title, found.id, found.held_on)}.{fmt}'
    if out is not None and not out.parent.is_dir():
        return _fail(f'cannot write {out}: the folder {out.parent} does not exist')
    progress = _ProgressLine(sys.stderr) if fmt == 'docx' else None
    try:
        path = db.run(write_export, session_id=session_id, fmt=fmt, out=out, progress=progress)
    except OSError as error:
        return _fail(f'cannot write {out or "the export"}: {error.strerror or error}')
    print(path)
    return 0


@click.command('import', short_help='Import a session JSON file into this installation.')
@click.argument('file', type=click.Path(path_type=Path))
def import_session(file: Path) -> int:
    """Import a session file (from `cardkit export --format json`) into this installation; prints its new id.

    \b
    Example:
      cardkit import session.json
    """
    path = file
    suffix = path.suffix.lower()
    if suffix in ('.yaml', '.yml'):
        return _fail(
            f'{path} is a deck file, not a session: check it with `cardkit validate {path}` and put it in '
            f'the decks folder to use it'
        )
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
        session = db.run(import_session_json, data=data)
    except ValueError as error:
        return _fail(f'{path}: {error}')
    print(session.id)
    return 0
