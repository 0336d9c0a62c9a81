"""Deck commands: check deck files, list decks, print a double-sided card set, the blank card template, and read a
filled-in template as a deck."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from cardkit import config
from cardkit.deck import Deck
from cardkit.deckfile import DeckError, deck_yaml, load_deck, parse_deck, validate_files
from cardkit.library import deck_files, load_library, shipped

OUT = click.Path(path_type=Path, dir_okay=True)


@click.command('validate', short_help='Check deck files; one line per problem, exit 1 if any.')
@click.argument('paths', nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> int:
    """Check deck files (or folders of them): one line per problem, FILE:LINE:COL: where: what; exit 1 if any.

    \b
    Example:
      cardkit validate decks/*.yaml
      cardkit validate decks
    """
    files: list[Path] = []
    for path in paths:
        files.extend(deck_files(path) if path.is_dir() else [path])
    if not files:
        print('no deck files found', file=sys.stderr)
        return 1
    problems = validate_files(files)
    for problem in problems:
        print(problem)
    bad = len({p.file for p in problems})
    print(f'{len(files) - bad} of {len(files)} deck file(s) valid', file=sys.stderr)
    return 1 if problems else 0


@click.command('decks', short_help='List the decks: id, title, strategic issues, cards, file.')
@click.option(
    '--folder',
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help='a folder of deck files (default: the shipped decks)',
)
def list_decks(folder: Path | None) -> int:
    """List the decks: id, title, strategic issues, cards and file.

    \b
    Example:
      cardkit decks
      cardkit decks --folder ../our-decks
    """
    library = load_library(folder)
    rows = [('ID', 'TITLE', 'THEMES', 'CARDS', 'FILE')]
    for deck_id, deck in library.decks.items():
        rows.append((deck_id, deck.title, str(len(deck.themes)), str(len(deck.cards)), str(library.files[deck_id])))
    print_table(rows)
    for problem in library.problems:
        print(problem, file=sys.stderr)
    return 1 if library.problems else 0


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Rows as columns, each as wide as its widest cell."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print('  '.join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


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
        raise LookupError(f"{verb.format(names)} not in deck '{deck.id}' (its themes: {', '.join(map(str, known))})")
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


@click.command('cards', short_help='A printable double-sided card set (.docx) of a deck.')
@click.argument('deck')
@click.option('--themes', default=None, metavar='N,N', help='strategic issues to print, in this order (default: all)')
@click.option('--out', type=OUT, default=None, help='the .docx to write (default: the exports folder)')
def cards(deck: str, themes: str | None, out: Path | None) -> int:
    """Write a printable card set (.docx) of DECK, a shipped deck id or a deck file, for double-sided printing.

    \b
    Example:
      cardkit cards card-activity --themes 1,6 --out cards.docx
      cardkit cards decks/ours.yaml
    """
    from cardkit.export.cards import card_set

    try:
        loaded = _load(deck)
        numbers = _theme_numbers(themes, loaded)
        document = card_set(loaded, numbers)
    except DeckError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    except (LookupError, ValueError) as error:
        return _fail(str(error))
    suffix = '' if numbers is None else '-themes-' + '-'.join(map(str, numbers))
    out = out or config.exports_dir() / f'{loaded.id}-cards{suffix}.docx'
    if reason := _save(document, out):
        return _fail(reason)
    print(f'wrote {out}')
    return 0


@click.command('template', short_help='The blank card template (.docx), to fill in in Word.')
@click.option('--cards', 'count', type=int, default=3, show_default=True, help='card blocks in the template (1-50)')
@click.option('--out', type=OUT, default=None, help='the .docx to write (default: the exports folder)')
def template(count: int, out: Path | None) -> int:
    """Write the blank card template (Strategic issue / Lead question / Discussion prompts) to fill in in Word.

    \b
    Example:
      cardkit template --cards 6 --out template.docx
    """
    from cardkit.export.template import blank_template

    try:
        document = blank_template(count)
    except ValueError as error:
        return _fail(f'--cards: {error}')
    out = out or config.exports_dir() / 'card-template.docx'
    if reason := _save(document, out):
        return _fail(reason)
    print(f'wrote {out}')
    return 0


@click.command('import-template', short_help='Read a filled-in card template (.docx) as a deck.')
@click.argument('file', type=click.Path(path_type=Path))
@click.option('--out', type=OUT, default=None, help='the deck file to write, e.g. decks/ours.yaml (default: print it)')
@click.option('--force', is_flag=True, help='replace --out if it exists')
def import_template(file: Path, out: Path | None, force: bool) -> int:
    """Read a filled-in card template (.docx) as a deck YAML file; every problem is listed with where it is.

    \b
    Example:
      cardkit import-template filled.docx --out decks/ours.yaml
    """
    from cardkit.export.template import import_template as read_template

    try:
        deck = read_template(file, str(file))
    except DeckError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    text = deck_yaml(deck, source=file.name)
    parse_deck(text, str(out or '<output>'))  # what we write must load again
    if out is None:
        sys.stdout.write(text)
        return 0
    if out.exists() and not force:
        return _fail(f'{out} already exists; choose another --out or add --force to replace it')
    try:
        out.write_text(text, encoding='utf-8')
    except OSError as error:
        return _fail(f'cannot write {out}: {error.strerror or error}')
    print(f'wrote {out} (deck {deck.id}: {len(deck.themes)} theme(s), {len(deck.cards)} card(s))')
    return 0
