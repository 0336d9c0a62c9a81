"""The deck library at `/`: a tile per shipped deck, and the problems of deck files that could not be loaded."""

from __future__ import annotations

from nicegui import ui

from cardkit import authoring, library
from cardkit.deck import Deck
from cardkit.ui import theme
from cardkit.ui.theme import Text

FIRST_DECK = 'card-activity'


def content() -> None:
    """The page: every deck as a tile linking to its overview."""
    shelf = library.shipped()
    with theme.frame():
        Text('h1', 'Deck library')
        Text('p', f'{theme.TAGLINE}. Choose a deck to read its introduction and open its cards.').classes('ck-muted')
        with ui.element('div').classes('ck-tiles').mark('deck-tiles'):
            for deck in ordered(shelf.decks.values()):
                deck_tile(deck)
            for entry in authoring.all_decks():
                if entry.version is not None:
                    deck_tile(entry.deck, 'Your organisation', f'/decks/yours/{entry.version.org_deck_id}')
        ui.link("Your organisation's decks: write your own or tailor a copy", '/decks/yours').mark('your-decks')
        if not shelf.decks:
            Text('p', 'No decks are available yet.').mark('no-decks')
        if shelf.problems:
            with ui.element('section').classes('ck-panel').mark('deck-problems'):
                Text('h2', 'Deck files that could not be loaded')
                Text('p', 'Fix these files and restart Cardkit; the other decks work as usual.').classes('ck-muted')
                with ui.element('ul').classes('ck-text-list'):
                    for problem in shelf.problems:
                        Text('li', str(problem)).classes('ck-problem')


def ordered(decks) -> list[Deck]:
    """The card activity first, then the others by title."""
    return sorted(decks, key=lambda deck: (deck.id != FIRST_DECK, deck.title.casefold()))


def plural(label: str, count: int) -> str:
    """'1 strategic issue', '6 strategic issues', '2 target groups', '3 activities' (label lower-cased)."""
    word = label if label[1:2].isupper() else label[:1].lower() + label[1:]
    if count != 1:
        lower = word.lower()
        if lower.endswith('y') and lower[-2:-1] not in 'aeiou':
            word = word[:-1] + 'ies'
        elif lower.endswith(('s', 'x', 'z', 'ch', 'sh')):
            word += 'es'
        else:
            word += 's'
    return f'{count} {word}'


def counts(deck: Deck) -> str:
    """'6 strategic issues · 18 cards'."""
    return f'{plural(deck.theme_label, len(deck.themes))} · {plural("card", len(deck.cards))}'


def deck_tile(deck: Deck, origin: str = 'Shipped', target: str | None = None) -> None:
    with ui.link(target=target or f'/deck/{deck.id}').classes('ck-tile').mark('deck-tile'):
        Text('span', origin).classes('ck-muted text-sm font-bold uppercase tracking-wide').mark('deck-origin')
        Text('h2', deck.title).classes('ck-tile-title')
        if deck.subtitle:
            Text('p', deck.subtitle)
        if deck.source and deck.source.title and deck.source.title != deck.title:
            Text('p', f'Source: {deck.source.title}').classes('ck-muted')
        Text('p', counts(deck)).classes('ck-muted').mark('deck-counts')
        Text('span', 'Open deck →').classes('ck-tile-open')
