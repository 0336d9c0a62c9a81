"""The deck library: shipped deck files found on disk, loaded once and kept by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cardkit import config
from cardkit.deck import Deck
from cardkit.deckfile import DeckError, Problem, load_deck


@dataclass
class Library:
    """Decks by id, with the problems of any file that could not be loaded."""

    decks: dict[str, Deck] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def get(self, deck_id: str) -> Deck:
        return self.decks[deck_id]


def deck_files(folder: Path | None = None) -> list[Path]:
    """Every deck file in a folder, sorted by name."""
    folder = folder or config.decks_dir()
    return sorted(p for p in folder.glob('*.y*ml') if p.suffix in ('.yaml', '.yml'))


def load_library(folder: Path | None = None) -> Library:
    """Load every deck file of a folder; files with problems are reported, not fatal."""
    library = Library()
    for path in deck_files(folder):
        try:
            deck = load_deck(path)
        except DeckError as error:
            library.problems.extend(error.problems)
            continue
        if deck.id in library.decks:
            library.problems.append(
                Problem(
                    str(path), None, None, 'id', f"deck id '{deck.id}' is also used by {library.files[deck.id].name}"
                )
            )
            continue
        library.decks[deck.id] = deck
        library.files[deck.id] = path
    return library


_shipped: Library | None = None


def shipped() -> Library:
    """The shipped decks, loaded on first use."""
    global _shipped
    if _shipped is None:
        _shipped = load_library()
    return _shipped
