"""Pydantic models of decks, themes and cards. No UI or database imports."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cardkit.models import WayOfWorking
from cardkit.text import clean_text

FORMAT_VERSION = 1
DEFAULT_EVIDENCE_SCALE = ['No evidence', 'Weak evidence', 'Some evidence', 'Strong evidence']
DEFAULT_COACHING_STEMS = ['what', 'who', 'which', 'where', 'how']
THEME_COLOURS = ['#1F5F8B', '#2E6B30', '#8A3B12', '#5B3F8C', '#8C1D40', '#35535E', '#6B5200', '#0F6E6E']

CardId = Annotated[str, Field(min_length=1, max_length=20, pattern=r'^[A-Za-z0-9][A-Za-z0-9._-]*$')]
ShortText = Annotated[str, Field(max_length=300)]
LongText = Annotated[str, Field(max_length=20_000)]


class _Model(BaseModel):
    model_config = ConfigDict(extra='forbid', frozen=True)

    @field_validator('*', mode='before')
    @classmethod
    def _clean_strings(cls, value: Any) -> Any:
        """Remove characters that cannot be stored or exported (control characters, lone surrogates)."""
        return clean_text(value) if isinstance(value, str) else value


def _required_text(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError('must not be empty')
    return value


class Point(_Model):
    """A line of text with optional nested points; written in YAML as a plain string when it has none."""

    text: LongText = ''
    points: list[Point] = []
    numbering: Literal['letters', 'numbers', 'bullets'] = 'letters'

    @model_validator(mode='before')
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {'text': value} if isinstance(value, str) else value

    @model_validator(mode='after')
    def _not_blank(self) -> Point:
        if not self.text.strip() and not self.points:
            raise ValueError('a point needs text or nested points')
        return self


class Link(_Model):
    label: ShortText
    url: Annotated[str, Field(min_length=1, max_length=2000)]

    @field_validator('url')
    @classmethod
    def _safe_url(cls, value: str) -> str:
        value = value.strip()
        if not re.match(r'^(https?://|www\.)[^\s<>"]+$', value, re.IGNORECASE):
            raise ValueError('must be a web address starting with http://, https:// or www.')
        return value

    @property
    def href(self) -> str:
        return self.url if self.url.lower().startswith('http') else f'https://{self.url}'


class ChecklistGroup(_Model):
    """Items a group rates for evidence, under one heading."""

    heading: ShortText = ''
    items: Annotated[list[Point], Field(min_length=1)]
    numbering: Literal['letters', 'numbers', 'bullets'] = 'bullets'


class Card(_Model):
    """A card: a question card (lead question on the front, prompts on the back) or a checklist card."""

    id: CardId
    kind: Literal['question', 'checklist'] = 'question'
    lead: LongText
    lead_points: list[Point] = []
    intro: LongText = ''
    prompts: list[Point] = []
    footnotes: list[Point] = []
    links: list[Link] = []
    # checklist cards
    task: LongText = ''
    context: LongText = ''
    groups: list[ChecklistGroup] = []
    scale: list[ShortText] = []

    _lead_required = field_validator('lead')(lambda cls, v: _required_text(v))

    @model_validator(mode='after')
    def _checklist_has_items(self) -> Card:
        if self.kind == 'checklist' and not self.groups:
            raise ValueError("a checklist card needs at least one group of items ('groups')")
        if self.kind == 'question' and self.groups:
            raise ValueError("only checklist cards have 'groups' (set kind: checklist)")
        return self

    @property
    def has_back(self) -> bool:
        return bool(self.intro or self.prompts or self.footnotes or self.links or self.groups or self.task)

    def item_labels(self) -> list[tuple[str, str]]:
        """(item key, item text) for each rateable checklist item; keys are stable within a deck version."""
        return [
            (f'{g}.{i}', item.text) for g, group in enumerate(self.groups, 1) for i, item in enumerate(group.items, 1)
        ]


class Theme(_Model):
    """A theme; the card activity calls these strategic issues."""

    number: Annotated[int, Field(ge=1, le=999)]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    summary: LongText = ''
    colour: Annotated[str, Field(pattern=r'^#[0-9A-Fa-f]{6}$')] | None = None
    cards: list[Card] = []

    _title_required = field_validator('title')(lambda cls, v: _required_text(v))


class Source(_Model):
    title: Annotated[str, Field(min_length=1, max_length=500)]
    publisher: ShortText = ''
    document: ShortText = ''
    url: Annotated[str, Field(max_length=2000)] = ''
    note: LongText = ''


class Section(_Model):
    """A titled block of context text (paragraphs, and lines starting '- ' as bullets)."""

    title: Annotated[str, Field(min_length=1, max_length=300)]
    text: LongText


class Deck(_Model):
    """A titled set of themes, each holding cards."""

    cardkit: Literal[1] = FORMAT_VERSION
    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r'^[a-z0-9][a-z0-9-]*$')]
    title: Annotated[str, Field(min_length=1, max_length=300)]
    subtitle: ShortText = ''
    version: Annotated[str, Field(min_length=1, max_length=40)] = '1'
    language: Annotated[str, Field(max_length=20)] = 'en-GB'
    theme_label: Annotated[str, Field(min_length=1, max_length=60)] = 'Strategic issue'
    source: Source | None = None
    introduction: LongText = ''
    sections: list[Section] = []
    ways_of_working: list[ShortText] = []
    think_about: list[ShortText] = []
    coaching_stems: list[Annotated[str, Field(min_length=1, max_length=40)]] = []
    evidence_scale: list[ShortText] = []
    themes: Annotated[list[Theme], Field(min_length=1)]

    _title_required = field_validator('title')(lambda cls, v: _required_text(v))

    @property
    def cards(self) -> list[Card]:
        return list(self._cards)

    def card(self, card_id: str) -> Card:
        return self._cards_by_id[card_id]

    def theme_of(self, card_id: str) -> Theme:
        return self._themes_by_card[card_id]

    # A deck is frozen, so these are worked out once: every screen following a session looks cards up by id.
    @cached_property
    def _cards(self) -> tuple[Card, ...]:
        return tuple(card for theme in self.themes for card in theme.cards)

    @cached_property
    def _cards_by_id(self) -> dict[str, Card]:
        found: dict[str, Card] = {}
        for card in self._cards:
            found.setdefault(card.id, card)  # the first of a repeated id, as a search would find it
        return found

    @cached_property
    def _themes_by_card(self) -> dict[str, Theme]:
        found: dict[str, Theme] = {}
        for theme in self.themes:
            for card in theme.cards:
                found.setdefault(card.id, theme)
        return found

    def theme(self, number: int) -> Theme:
        for theme in self.themes:
            if theme.number == number:
                return theme
        raise KeyError(number)

    def colour_of(self, theme: Theme) -> str:
        return theme.colour or THEME_COLOURS[(theme.number - 1) % len(THEME_COLOURS)]

    def scale_of(self, card: Card) -> list[str]:
        return card.scale or self.evidence_scale or DEFAULT_EVIDENCE_SCALE

    def stems(self) -> list[str]:
        return self.coaching_stems or DEFAULT_COACHING_STEMS

    def ways(self) -> list[str]:
        """The ways of working the deck offers: its own, or the card activity's five when it names none.

        A deck lists them as the end of "How will you carry out the activity? ...", so a closing full stop is
        dropped: the card activity's own list then reads exactly as its five."""
        ways: list[str] = []
        for way in self.ways_of_working:
            way = way.strip().removesuffix('.').strip()
            if way and way not in ways:
                ways.append(way)
        return ways or [w.value for w in WayOfWorking]
