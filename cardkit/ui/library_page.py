"""The deck library at `/`: a tile per shipped deck, and the problems of deck files that could not be loaded."""

from __future__ import annotations

from nicegui import ui

from cardkit import authoring, library, live
from cardkit.deck import Deck
from cardkit.ui import design
from cardkit.ui.components.words import counts, ordered
from cardkit.ui.design import Text


async def content() -> None:
    """The page: every deck as a tile linking to its overview."""
    shelf = library.shipped()
    yours = await live.look(authoring.all_decks)
    with design.frame():
        Text('h1', 'Deck library')
        Text('p', f'{design.TAGLINE}. Choose a deck to read its introduction and open its cards.').classes('ck-muted')
        with ui.element('div').classes('ck-tiles').mark('deck-tiles'):
            for deck in ordered(shelf.decks.values()):
                deck_tile(deck)
            for entry in yours:
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
