"""`python -m cardkit ...`: validate and list decks (and, where installed, sessions and exports)."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from cardkit.deckfile import validate_files
from cardkit.library import deck_files, load_library

Command = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Command] = {}


def command(name: str) -> Callable[[Command], Command]:
    """Register a sub-command handler."""
    def register(function: Command) -> Command:
        _COMMANDS[name] = function
        return function
    return register


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog='cardkit', description='Cardkit: the strategic card activity.')
    sub = parser.add_subparsers(dest='command', required=True, metavar='COMMAND')

    validate = sub.add_parser('validate', help='check deck files; one line per problem; exit 1 if any')
    validate.add_argument('paths', nargs='+', type=Path, metavar='PATH', help='deck files or folders of decks')

    decks = sub.add_parser('decks', help='list the decks in a folder (default: the shipped decks)')
    decks.add_argument('--folder', type=Path, default=None)

    for extend in _EXTENSIONS:
        extend(sub)
    return parser


_EXTENSIONS: list[Callable[[argparse._SubParsersAction], None]] = []


@command('validate')
def _validate(args: argparse.Namespace) -> int:
    paths: list[Path] = []
    for path in args.paths:
        paths.extend(deck_files(path) if path.is_dir() else [path])
    if not paths:
        print('no deck files found', file=sys.stderr)
        return 1
    problems = validate_files(paths)
    for problem in problems:
        print(problem)
    bad = len({p.file for p in problems})
    print(f'{len(paths) - bad} of {len(paths)} deck file(s) valid', file=sys.stderr)
    return 1 if problems else 0


@command('decks')
def _decks(args: argparse.Namespace) -> int:
    library = load_library(args.folder)
    rows = [('ID', 'TITLE', 'THEMES', 'CARDS', 'FILE')]
    for deck_id, deck in library.decks.items():
        rows.append((deck_id, deck.title, str(len(deck.themes)), str(len(deck.cards)), str(library.files[deck_id])))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print('  '.join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    for problem in library.problems:
        print(problem, file=sys.stderr)
    return 1 if library.problems else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return 130


from cardkit.export import cli_ext  # noqa: E402,F401  registers export commands
from cardkit.export import cli_sessions  # noqa: E402,F401  registers session commands
