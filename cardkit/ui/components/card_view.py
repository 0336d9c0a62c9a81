"""A card, front or back, in the theme colour: used by the card viewer, the console, projector, phones and solo mode.

The card is one element drawn in the browser by `card_view.js` from a `face`: the words of one side of one card as a
JSON string, made once per card and side and shared by every screen showing it. Changing the card shown is a single
property update, which is what lets one server follow a hall of phones.

Deck text is user-authored, so it only ever reaches the page as text (`{{ }}` in the template); the one deck value
that reaches a style is the theme colour, re-checked against #RRGGBB first, and links are re-checked as http(s).
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, Literal

from nicegui import ui

from cardkit.deck import Card, Deck, Point
from cardkit.ui import design

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


def announcement(card: Card, flipped: bool, position: int, total: int, before: tuple[str, bool] | None) -> str | None:
    """What a screen reader is told when the card shown changes (`before`: the card id and side shown until now), or
    None when it is the card and side already shown (a redraw says nothing). The first card of a page is read with
    the page, so it is not announced either."""
    if before is None or before == (card.id, flipped):
        return None
    if before[0] != card.id:
        side = ' (turned over)' if flipped else ''
        return f'Card {card.id}{side}, {position} of {total}: {card.lead}'
    return f'Card {card.id} turned over' if flipped else f'Card {card.id} turned back to the front: {card.lead}'


class Face:
    """One side of one card as the browser draws it (`json`), and the words it shows (for search and tests)."""

    def __init__(self, deck: Deck, card: Card, flipped: bool) -> None:
        self.words: list[str] = []
        card_theme = deck.theme_of(card.id)
        colour = design.safe_colour(deck.colour_of(card_theme))
        side = 'back' if flipped else 'front'
        data: dict[str, Any] = {
            'id': card.id,
            'side': side,
            'aria': f'Card {card.id}, {side}',
            'number': self._word(f'{deck.theme_label} {card_theme.number}'),
            'title': self._word(card_theme.title),
            'colour': colour,
            'ink': design.ink_on(colour),
        }
        if not flipped:
            kind = 'Lead question' if card.kind == 'question' else 'Checklist'
            data |= {
                'heading': self._word(f'{card.id} {kind}'),
                'lead': self._word(card.lead),
                'lead_points': self._points(card.lead_points, 'bullets'),
                'see_over': card.has_back,
            }
            if card.has_back:
                self._word('SEE OVER ↻')
        else:
            paragraphs = []
            if card.kind == 'checklist':
                data['heading'] = self._word(f'{card.id} Checklist: {card.lead}')
                paragraphs += [{'kind': 'ck-intro', 'text': self._word(card.task)}] if card.task else []
                paragraphs += [{'kind': 'ck-context', 'text': self._word(card.context)}] if card.context else []
            else:
                data['heading'] = self._word(f'Discussion prompts {card.id}')
                paragraphs += [{'kind': 'ck-intro', 'text': self._word(card.intro)}] if card.intro else []
            data |= {
                'paragraphs': paragraphs,
                'groups': [
                    {'heading': self._word(group.heading), 'items': self._points(group.items, group.numbering)}
                    for group in card.groups
                ],
                'prompts': self._points(card.prompts, 'bullets'),
                'footnotes': [
                    {'text': self._word(note.text), 'points': self._points(note.points, note.numbering)}
                    for note in card.footnotes
                ],
                'links': [
                    {'label': self._word(link.label or link.href), 'href': link.href}
                    for link in card.links
                    if link.href.lower().startswith(('http://', 'https://'))
                ],
            }
        self.json = json.dumps(data, ensure_ascii=False, separators=(',', ':'))

    def _word(self, text: str) -> str:
        if text:
            self.words.append(text)
        return text

    def _points(self, points: list[Point], numbering: Numbering) -> list[dict[str, Any]]:
        """Points labelled a) b) c), 1. 2. 3. or bullets; nested points use their own parent's numbering."""
        return [
            {
                'marker': self._word(marker(numbering, index)),
                'bullet': numbering == 'bullets',
                'text': self._word(point.text),
                'points': self._points(point.points, point.numbering),
            }
            for index, point in enumerate(points)
        ]


_faces: OrderedDict[tuple[int, int, bool], tuple[Deck, Card, Face]] = OrderedDict()
_FACES_KEPT = 512


def face_of(deck: Deck, card: Card, flipped: bool) -> Face:
    """The face of a card's side, made once and shared by every screen showing it (the deck and card are kept with
    it, so their ids are not reused while it is cached)."""
    key = (id(deck), id(card), flipped)
    hit = _faces.get(key)
    if hit is not None:
        _faces.move_to_end(key)
        return hit[2]
    face = Face(deck, card, flipped)
    _faces[key] = (deck, card, face)
    if len(_faces) > _FACES_KEPT:
        _faces.popitem(last=False)
    return face


class CardFace(ui.element, component='card_view.js'):
    """The drawn card (`card_view.js`): the one part of a card view that changes when another card is shown."""

    def __init__(self, size: Size) -> None:
        super().__init__()
        self.classes(f'ck-card ck-size-{size}')
        self.shown: Face | None = None

    def draw(self, face: Face, progress: str, announce: str | None = None) -> None:
        """Show a face and the progress line as one update, and (when given) a new announcement for the polite live
        region. All are plain strings, so they are written straight into the props: the change tracking of
        `props.update()` (which looks into and wraps every value) would cost more than the update itself, and this
        runs for every phone in a room."""
        dict.update(self.props, face=face.json, progress=progress)
        if announce is not None:
            self.props['announce'] = announce
        self.shown = face
        self.update()

    @property
    def words(self) -> list[str]:
        """Every piece of text the card shows now, band and progress included."""
        return [*(self.shown.words if self.shown else []), self.props.get('progress', '')]

    def _displayed_contents(self, *, only_visible: bool) -> list:
        return self.words


class CardView(ui.element):
    """One card of a deck, showing its front or its back; `show()` draws a card, `flip()` turns it over. A polite live
    region inside the card tells screen-reader users when another card is shown or the card is turned over.

    The view is a frame that takes the clicks (`display: contents`: it adds no box to the layout) around the face
    it draws. A card change updates only the face, so what goes to each browser is the card's words, not the click
    listener as well. `clickable=False` (the projector, previews) takes no clicks at all.
    """

    def __init__(
        self, size: Size = 'normal', *, on_flip: Callable[[bool], None] | None = None, clickable: bool = True
    ) -> None:
        super().__init__('div')
        self.size: Size = size
        self.deck: Deck | None = None
        self.card: Card | None = None
        self.flipped = False
        self.position = 0
        self.total = 0
        self._on_flip = on_flip
        self._turns = 0
        self._shown: tuple[str, bool] | None = None  # the card id and side last drawn, for the live region
        self.classes('ck-card-frame').mark('card')
        with self:
            self.face = CardFace(size)
        if clickable:
            self.on('click', self._clicked)

    @property
    def has_back(self) -> bool:
        return self.card is not None and self.card.has_back

    def show(
        self, deck: Deck, card: Card, *, flipped: bool = False, position: int | None = None, total: int | None = None
    ) -> None:
        """Draw a card of a deck; position (1-based) and total default to the card's place in the deck."""
        self.deck, self.card = deck, card
        self.flipped = flipped and card.has_back
        cards = deck.cards
        self.position = (
            position if position is not None else next((i for i, c in enumerate(cards, 1) if c.id == card.id), 1)
        )
        self.total = total if total is not None else len(cards)
        self._draw()

    def flip(self) -> None:
        """Turn the card over (a card without a back stays as it is)."""
        if not self.has_back:
            return
        self.flipped = not self.flipped
        self._turns += 1
        self.face.classes(remove='ck-turn-a ck-turn-b', add='ck-turn-a' if self._turns % 2 else 'ck-turn-b')
        self._draw()
        if self._on_flip:
            self._on_flip(self.flipped)

    def set_size(self, size: Size) -> None:
        self.face.classes(remove=f'ck-size-{self.size}', add=f'ck-size-{size}')
        self.size = size

    def _clicked(self) -> None:
        self.flip()

    def _draw(self) -> None:
        assert self.deck is not None and self.card is not None
        said = announcement(self.card, self.flipped, self.position, self.total, self._shown)
        self._shown = (self.card.id, self.flipped)
        self.face.draw(face_of(self.deck, self.card, self.flipped), progress_text(self.position, self.total), said)
