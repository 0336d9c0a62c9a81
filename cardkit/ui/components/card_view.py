"""A card, front or back, in the theme colour: used by the card viewer, and later the console, projector and solo mode.

Deck text is user-authored, so it is only ever shown as element text (labels, links); the one deck value that
reaches a style is the theme colour, re-checked against #RRGGBB first.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from nicegui import ui

from cardkit.deck import Card, ChecklistGroup, Deck, Link, Point
from cardkit.ui import theme
from cardkit.ui.theme import Text

Size = Literal['normal', 'projector']
Numbering = Literal['letters', 'numbers', 'bullets']


def marker(numbering: Numbering, index: int) -> str:
    """The label of the index-th (0-based) item of a list: 'a)', '1.' or a bullet."""
    if numbering == 'numbers':
        return f'{index + 1}.'
    if numbering == 'letters':
        letters = ''
        n = index
        while True:
            letters = chr(ord('a') + n % 26) + letters
            n = n // 26 - 1
            if n < 0:
                return f'{letters})'
    return '•'


def progress_text(position: int, total: int) -> str:
    return f'Card {position} of {total}'


class CardView(ui.element):
    """One card of a deck, showing its front or its back; `show()` draws a card, `flip()` turns it over."""

    def __init__(self, size: Size = 'normal', *, on_flip: Callable[[bool], None] | None = None) -> None:
        super().__init__('article')
        self.size: Size = size
        self.deck: Deck | None = None
        self.card: Card | None = None
        self.flipped = False
        self.position = 0
        self.total = 0
        self._on_flip = on_flip
        self._turns = 0
        self._band_key: tuple[str, int, str, str] | None = None
        self._progress: ui.label | None = None
        self._front: tuple[tuple[bool, bool], ui.label, Text] | None = None  # the front shown, to reuse its elements
        self.classes(f'ck-card ck-size-{size}').mark('card')
        self.on('click', self._clicked)
        with self:
            self._band = ui.element('div').classes('ck-band')
            self._face = ui.element('div').classes('ck-face')
            self._status = ui.label().classes('ck-sr-only').props('aria-live=polite role=status')

    @property
    def has_back(self) -> bool:
        return self.card is not None and self.card.has_back

    def show(self, deck: Deck, card: Card, *, flipped: bool = False,
             position: int | None = None, total: int | None = None) -> None:
        """Draw a card of a deck; position (1-based) and total default to the card's place in the deck."""
        self.deck, self.card = deck, card
        self.flipped = flipped and card.has_back
        cards = deck.cards
        self.position = position if position is not None else next(
            (i for i, c in enumerate(cards, 1) if c.id == card.id), 1)
        self.total = total if total is not None else len(cards)
        self._draw()

    def flip(self) -> None:
        """Turn the card over (a card without a back stays as it is)."""
        if not self.has_back:
            return
        self.flipped = not self.flipped
        self._turns += 1
        self.classes(remove='ck-turn-a ck-turn-b', add='ck-turn-a' if self._turns % 2 else 'ck-turn-b')
        self._draw()
        if self._on_flip:
            self._on_flip(self.flipped)

    def set_size(self, size: Size) -> None:
        self.classes(remove=f'ck-size-{self.size}', add=f'ck-size-{size}')
        self.size = size

    def _clicked(self) -> None:
        self.flip()

    def _draw(self) -> None:
        assert self.deck is not None and self.card is not None
        deck, card = self.deck, self.card
        card_theme = deck.theme_of(card.id)
        colour = theme.safe_colour(deck.colour_of(card_theme))
        band_key = (deck.theme_label, card_theme.number, card_theme.title, colour)
        if band_key != self._band_key:  # a new strategic issue: redraw the band; otherwise only the progress changes
            self._band_key = band_key
            self._band.clear()
            self._band.style(f'background:{colour};color:{theme.ink_on(colour)}')
            with self._band:
                ui.label(f'{deck.theme_label} {card_theme.number}').classes('ck-band-number')
                ui.label(card_theme.title).classes('ck-band-title')
                self._progress = ui.label().classes('ck-band-progress').mark('progress')
        self._progress.set_text(progress_text(self.position, self.total))
        shape = self._front_shape(card)
        if not self.flipped and self._front is not None and self._front[0] == shape:
            _, card_id_label, lead = self._front  # same layout as the card shown: change its words only
            card_id_label.set_text(f'{card.id} {"Lead question" if card.kind == "question" else "Checklist"}')
            lead.set_text(card.lead)
        else:
            self._face.clear()
            self._front = None
            with self._face:
                if self.flipped:
                    self._draw_back(card)
                else:
                    self._draw_front(card)
        side = 'back' if self.flipped else 'front'
        self._status.set_text(f'{progress_text(self.position, self.total)}, {card.id}, {side}')
        self.props['aria-label'] = f'Card {card.id}, {side}'

    @staticmethod
    def _front_shape(card: Card) -> tuple[bool, bool]:
        """Fronts of the same shape differ only in their words: no lead points, and a back or not."""
        return (not card.lead_points, card.has_back)

    def _draw_front(self, card: Card) -> None:
        kind = 'Lead question' if card.kind == 'question' else 'Checklist'
        card_id_label = ui.label(f'{card.id} {kind}').classes('ck-card-id').mark('card-id')
        with ui.column().classes('gap-2 w-full').style('margin:auto 0'):
            lead = Text('h2', card.lead).classes('ck-lead').mark('lead-question')
            if card.lead_points:
                point_list(card.lead_points, 'bullets').classes('ck-lead-points').mark('lead-points')
        if card.has_back:
            ui.label('SEE OVER ↻').classes('ck-see-over').mark('see-over')
        if not card.lead_points:
            self._front = (self._front_shape(card), card_id_label, lead)

    def _draw_back(self, card: Card) -> None:
        if card.kind == 'checklist':
            ui.label(f'{card.id} Checklist: {card.lead}').classes('ck-card-id').mark('card-id')
            if card.task:
                Text('p', card.task).classes('ck-intro').mark('task')
            if card.context:
                Text('p', card.context).classes('ck-context').mark('context')
            with ui.column().classes('gap-2 w-full').mark('prompts'):
                for group in card.groups:
                    checklist_group(group)
        else:
            ui.label(f'Discussion prompts {card.id}').classes('ck-card-id').mark('card-id')
            if card.intro:
                Text('p', card.intro).classes('ck-intro').mark('intro')
            if card.prompts:
                point_list(card.prompts, 'bullets').mark('prompts')
        if card.footnotes:
            with ui.column().classes('ck-small gap-1 w-full').mark('footnotes'):
                for note in card.footnotes:
                    point_block(note)
        if card.links:
            with ui.element('div').classes('ck-links').mark('links'):
                for link in card.links:
                    link_to(link)


def point_list(points: list[Point], numbering: Numbering) -> ui.element:
    """Points as a list labelled a) b) c), 1. 2. 3. or bullets; nested points use their parent's numbering."""
    with ui.element('ul').classes('ck-list') as element:
        for index, point in enumerate(points):
            with ui.element('li').classes('ck-item'):
                label = ui.label(marker(numbering, index)).classes('ck-marker')
                if numbering == 'bullets':
                    label.classes('ck-bullet')
                with ui.element('div').classes('ck-item-body'):
                    if point.text:
                        ui.label(point.text)
                    if point.points:
                        point_list(point.points, point.numbering)
    return element


def point_block(point: Point) -> None:
    """A point shown as a paragraph (footnotes), with any nested points as a list."""
    if point.text:
        Text('p', point.text)
    if point.points:
        point_list(point.points, point.numbering)


def checklist_group(group: ChecklistGroup) -> None:
    if group.heading:
        Text('h3', group.heading).classes('ck-group-heading')
    point_list(group.items, group.numbering)


def link_to(link: Link) -> None:
    """An external link from a deck; the address was validated as http(s) or www. when the deck was loaded."""
    href = link.href
    if not href.lower().startswith(('http://', 'https://')):
        return
    element = ui.link(link.label or href, href, new_tab=True).props('rel="noopener noreferrer"')
    element.on('click', js_handler='(e) => e.stopPropagation()')  # following a link does not turn the card
