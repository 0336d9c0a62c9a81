"""Export commands for `python -m cardkit`: printable card sets, the blank template, and importing a template."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cardkit import config, deckfile
from cardkit.cli import _EXTENSIONS, command
from cardkit.deck import Deck
from cardkit.deckfile import DeckError, load_deck, parse_deck
from cardkit.library import shipped


def _add_parsers(sub: argparse._SubParsersAction) -> None:
    cards = sub.add_parser('cards', help='a printable card set (.docx) for double-sided printing')
    cards.add_argument('deck', metavar='DECK', help='a shipped deck id or a path to a deck YAML file')
    cards.add_argument('--themes', default=None, metavar='N,N',
                       help='theme numbers to print, in this order (e.g. 1,6); default: all')
    cards.add_argument('--out', type=Path, default=None, metavar='PATH',
                       help='the .docx to write (default: the exports folder)')

    template = sub.add_parser('template', help='a blank card template (.docx) to write your own cards in')
    template.add_argument('--cards', type=int, default=3, metavar='N', help='card blocks in the template (1-50)')
    template.add_argument('--out', type=Path, default=None, metavar='PATH',
                          help='the .docx to write (default: the exports folder)')

    imported = sub.add_parser('import-template', help='read a filled-in card template and write it as a deck YAML')
    imported.add_argument('file', type=Path, metavar='FILE', help='the filled-in template (.docx)')
    imported.add_argument('--out', type=Path, default=None, metavar='PATH',
                          help='the deck file to write, e.g. decks/my-deck.yaml (default: print it)')
    imported.add_argument('--force', action='store_true', help='overwrite --out if it exists')


_EXTENSIONS.append(_add_parsers)


def _fail(message: str) -> int:
    print(f'cardkit: {message}', file=sys.stderr)
    return 1


def _load(ref: str) -> Deck:
    """A deck by shipped id or file path; DeckError or LookupError (with a one-line message) otherwise."""
    path = Path(ref)
    if path.suffix.lower() in ('.yaml', '.yml') or path.is_file() or '/' in ref or '\\' in ref:
        return load_deck(path)
    library = shipped()
    if ref in library.decks:
        return library.decks[ref]
    known = ', '.join(sorted(library.decks)) or 'none'
    raise LookupError(f"unknown deck '{ref}'; known decks: {known} (or give the path of a deck YAML file)")


def _theme_numbers(text: str | None, deck: Deck) -> list[int] | None:
    if text is None:
        return None
    parts = [part.strip() for part in text.split(',') if part.strip()]
    if not parts or not all(part.isdigit() for part in parts):
        raise LookupError(f"--themes must be theme numbers separated by commas, e.g. 1,6 (got '{text}')")
    numbers = [int(part) for part in parts]
    known = [theme.number for theme in deck.themes]
    missing = [n for n in numbers if n not in known]
    if missing:
        names = ', '.join(map(str, missing))
        verb = 'themes {} are' if len(missing) > 1 else 'theme {} is'
        raise LookupError(f"{verb.format(names)} not in deck '{deck.id}' "
                          f"(its themes: {', '.join(map(str, known))})")
    return numbers


def _save(document: Any, out: Path) -> str | None:
    """Save a document; a one-line reason when it cannot be written."""
    if out.is_dir():
        return f'cannot write {out}: it is a folder; give a file name such as {out / "cards.docx"}'
    try:
        document.save(str(out))
    except OSError as error:
        return f'cannot write {out}: {error.strerror or error}'
    return None


@command('cards')
def _cards(args: argparse.Namespace) -> int:
    from cardkit.export.cards import card_set
    try:
        deck = _load(args.deck)
        themes = _theme_numbers(args.themes, deck)
        document = card_set(deck, themes)
    except DeckError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except (LookupError, ValueError) as error:
        return _fail(str(error))
    suffix = '' if themes is None else '-themes-' + '-'.join(map(str, themes))
    out = args.out or config.exports_dir() / f'{deck.id}-cards{suffix}.docx'
    if reason := _save(document, out):
        return _fail(reason)
    print(f'wrote {out}')
    return 0


@command('template')
def _template(args: argparse.Namespace) -> int:
    from cardkit.export.template import blank_template
    try:
        document = blank_template(args.cards)
    except ValueError as error:
        return _fail(f'--cards: {error}')
    out = args.out or config.exports_dir() / 'card-template.docx'
    if reason := _save(document, out):
        return _fail(reason)
    print(f'wrote {out}')
    return 0


@command('import-template')
def _import_template(args: argparse.Namespace) -> int:
    from cardkit.export.template import import_template
    try:
        deck = import_template(args.file, str(args.file))
    except DeckError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    text = deck_yaml(deck, source=args.file.name)
    parse_deck(text, str(args.out or '<output>'))  # what we write must load again
    if args.out is None:
        sys.stdout.write(text)
        return 0
    if args.out.exists() and not args.force:
        return _fail(f'{args.out} already exists; choose another --out or add --force to replace it')
    try:
        args.out.write_text(text, encoding='utf-8')
    except OSError as error:
        return _fail(f'cannot write {args.out}: {error.strerror or error}')
    print(f'wrote {args.out} (deck {deck.id}: {len(deck.themes)} theme(s), {len(deck.cards)} card(s))')
    return 0


def deck_yaml(deck: Deck, *, source: str = '') -> str:
    """The deck as YAML that loads back as an equal deck, with a note of the template it came from."""
    header = f'# Imported from the card template {source}.\n' if source else ''
    return header + deckfile.deck_yaml(deck)

