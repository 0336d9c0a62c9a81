"""A deck's overview at `/deck/{id}` and its card viewer at `/deck/{id}/card/{card_id}`."""

from __future__ import annotations

from urllib.parse import quote

from nicegui import ui
from nicegui.events import KeyEventArguments

from cardkit import library
from cardkit.deck import Card, Deck, Theme
from cardkit.text import blocks, sentence
from cardkit.ui import design
from cardkit.ui.components.card_view import CardView
from cardkit.ui.components.controls import ARROWS_IGNORED_IN, SPACE_IGNORED_IN, control
from cardkit.ui.components.words import counts, plural, shorten
from cardkit.ui.design import Text

# Space turns the card only when no control has focus: on a focused button or link Space keeps its usual meaning.


def deck_page(deck_id: str) -> None:
    """The deck overview: introduction, ways of working, coaching stems, sections and its themes with their cards."""
    deck = library.shipped().decks.get(deck_id)
    if deck is None:
        deck_not_found(deck_id)
        return
    with design.frame(deck.title):
        with ui.element('div').classes('flex flex-col gap-2'):
            Text('h1', deck.title).mark('deck-title')
            if deck.subtitle:
                Text('p', deck.subtitle).classes('ck-muted')
            Text('p', counts(deck)).classes('ck-muted')
            if deck.cards:
                first = deck.cards[0]
                ui.link(f'Open the cards at {first.id}', card_url(deck, first)).classes('ck-button').mark('start')
        if deck.introduction:
            with ui.element('section').classes('ck-panel').mark('introduction'):
                Text('h2', 'Introduction')
                light_text(deck.introduction)
        with ui.element('section').classes('flex flex-col gap-3').mark('themes'):
            Text('h2', plural_label(deck))
            for deck_theme in deck.themes:
                theme_panel(deck, deck_theme)
        if deck.think_about or deck.ways_of_working or deck.coaching_stems:
            with ui.element('section').classes('ck-panel').mark('ways-of-working'):
                Text('h2', 'Planning the activity')
                if deck.think_about:
                    Text('h3', 'Before you start, think about')
                    text_list(deck.think_about)
                if deck.ways_of_working:
                    Text('h3', 'Ways of working')
                    text_list(deck.ways_of_working)
                if deck.coaching_stems:
                    Text('h3', 'Coaching questions')
                    Text('p', 'Formulate coaching style questions: ' + ', '.join(deck.coaching_stems) + '?').mark(
                        'coaching-stems'
                    )
        for section in deck.sections:
            with ui.element('section').classes('ck-panel').mark('section'):
                Text('h2', section.title)
                light_text(section.text)
        if deck.source:
            with ui.element('section').classes('ck-panel').mark('source'):
                Text('h2', 'Source')
                Text('p', deck.source.title)
                for detail in (deck.source.publisher, deck.source.note):
                    if detail:
                        Text('p', detail).classes('ck-muted')
                if deck.source.url.lower().startswith(('http://', 'https://')):
                    ui.link(deck.source.url, deck.source.url, new_tab=True).props('rel="noopener noreferrer"')


def card_page(deck_id: str, card_id: str) -> None:
    """The card viewer: one card at a time, turned over and moved through in place."""
    deck = library.shipped().decks.get(deck_id)
    if deck is None:
        deck_not_found(deck_id)
        return
    index = next((i for i, card in enumerate(deck.cards) if card.id == card_id), None)
    if index is None:
        with design.frame(deck.title):
            design.not_found(f'No card called “{card_id}” in {deck.title}', 'Back to the deck', f'/deck/{deck.id}')
        return
    CardViewer(deck, index).build()


class CardViewer:
    """Which card of a deck one browser tab is showing; draws it through a CardView and keeps the URL in step."""

    def __init__(self, deck: Deck, index: int) -> None:
        self.deck = deck
        self.cards = deck.cards
        self.index = index
        self.jump_buttons: dict[str, ui.button] = {}

    @property
    def card(self) -> Card:
        return self.cards[self.index]

    def build(self) -> None:
        deck = self.deck
        with design.frame(deck.title) as self.main:
            ui.link(f'← {deck.title}', f'/deck/{deck.id}').mark('back-to-deck')
            with ui.element('div').classes('ck-toolbar'):
                self.prev_button = control('Previous', 'Previous card', self.previous, icon='chevron_left').mark('prev')
                self.flip_button = control('Turn over', 'Turn the card over', self.flip, icon='flip').mark('flip')
                self.next_button = control('Next', 'Next card', self.next, icon='chevron_right', right=True).mark(
                    'next'
                )
                self.size_button = control('Projector text', 'Projector text size', self.toggle_size, icon='fit_screen')
                self.size_button.props('flat').classes('ck-wide-only').mark('projector-size')
                design.aria(self.size_button, pressed='false')
            self.view = CardView()
            Text('p', 'Click the card or press Space to turn it over; ← and → move between cards.').classes(
                'ck-hint'
            ).mark('keys-hint')
            with ui.element('nav').classes('flex flex-col gap-2').mark('jump-list') as nav:
                design.aria(nav, label='All cards')
                Text('h2', 'All cards')
                for deck_theme in deck.themes:
                    self._jump_row(deck_theme)
        ui.keyboard(self._arrow_key, ignore=ARROWS_IGNORED_IN)
        ui.keyboard(self._space_key, ignore=SPACE_IGNORED_IN, repeating=False)
        ui.add_head_html(design.SPACE_DOES_NOT_SCROLL_JS)
        self._show(update_url=False)

    def go(self, index: int) -> None:
        if 0 <= index < len(self.cards) and index != self.index:
            self.index = index
            self._show()

    def next(self) -> None:
        self.go(self.index + 1)

    def previous(self) -> None:
        self.go(self.index - 1)

    def flip(self) -> None:
        self.view.flip()

    def toggle_size(self) -> None:
        projector = self.view.size != 'projector'
        self.view.set_size('projector' if projector else 'normal')
        self.main.classes(add='ck-wide' if projector else '', remove='' if projector else 'ck-wide')
        design.aria(self.size_button, pressed='true' if projector else 'false')
        self.size_button.props(remove='flat' if projector else 'unelevated', add='unelevated' if projector else 'flat')

    def _show(self, *, update_url: bool = True) -> None:
        card = self.card
        self.view.show(self.deck, card, position=self.index + 1, total=len(self.cards))
        self.prev_button.set_enabled(self.index > 0)
        self.next_button.set_enabled(self.index < len(self.cards) - 1)
        self.flip_button.set_enabled(card.has_back)
        for card_id, button in self.jump_buttons.items():
            current = card_id == card.id
            design.aria(button, current='true' if current else 'false')
            button.props(remove='outline' if current else 'unelevated', add='unelevated' if current else 'outline')
        if update_url:
            ui.navigate.history.replace(card_url(self.deck, card))

    def _jump_row(self, deck_theme: Theme) -> None:
        colour = design.safe_colour(self.deck.colour_of(deck_theme))
        with ui.element('div').classes('ck-jump'):
            ui.element('span').classes('ck-swatch').style(f'background:{colour}')
            ui.label(f'{self.deck.theme_label} {deck_theme.number}').classes('font-bold')
            for card in deck_theme.cards:
                index = self.cards.index(card)
                button = (
                    control(card.id, f'{card.id}: {shorten(card.lead)}', lambda i=index: self.go(i))
                    .props('outline')
                    .mark('jump')
                )
                self.jump_buttons[card.id] = button

    def _arrow_key(self, e: KeyEventArguments) -> None:
        if not e.action.keydown or e.modifiers.alt or e.modifiers.ctrl or e.modifiers.meta:
            return
        if e.key.arrow_right:
            self.next()
        elif e.key.arrow_left:
            self.previous()

    def _space_key(self, e: KeyEventArguments) -> None:
        if e.action.keydown and e.key.space and not (e.modifiers.alt or e.modifiers.ctrl or e.modifiers.meta):
            self.flip()


def deck_not_found(deck_id: str) -> None:
    with design.frame('Deck not found'):
        design.not_found(f'No deck called “{deck_id}”', 'Back to the deck library', '/')


def theme_panel(deck: Deck, deck_theme: Theme) -> None:
    """A theme: its number and title in its colour, its summary, and its cards linking to the viewer."""
    colour = design.safe_colour(deck.colour_of(deck_theme))
    with ui.element('div').classes('ck-theme').mark('theme'):
        with ui.element('div').classes('ck-theme-band').style(f'background:{colour};color:{design.ink_on(colour)}'):
            Text('h3', f'{deck.theme_label} {deck_theme.number}: {deck_theme.title}').style('font-size:inherit')
        with ui.element('div').classes('ck-theme-body'):
            if deck_theme.summary:
                Text('p', deck_theme.summary).classes('ck-muted')
            with ui.element('ul').classes('ck-card-links'):
                for card in deck_theme.cards:
                    with ui.element('li'):
                        ui.label(card.id).classes('ck-num')
                        ui.link(card.lead, card_url(deck, card)).mark('card-link')


def light_text(text: str) -> None:
    """Paragraphs and '- ' bullets of light text, as plain text."""
    bullets: list[str] = []
    for kind, value in [*blocks(text), ('end', '')]:
        if kind == 'bullet':
            bullets.append(value)
            continue
        if bullets:
            text_list(bullets)
            bullets = []
        if kind == 'para':
            Text('p', value)


def text_list(items: list[str]) -> None:
    with ui.element('ul').classes('ck-text-list'):
        for item in items:
            Text('li', item)


def plural_label(deck: Deck) -> str:
    """The theme label as a heading: 'Strategic issues', 'Themes', 'Target groups'."""
    words = plural(deck.theme_label, len(deck.themes)).split(' ', 1)[1]
    return sentence(words)


def card_url(deck: Deck, card: Card) -> str:
    return f'/deck/{deck.id}/card/{quote(card.id)}'
