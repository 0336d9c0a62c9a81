"""How the screens put things into words: shortened leads, counted things, clock times, decks in order."""

from __future__ import annotations

from collections.abc import Iterable

from cardkit.deck import Deck

FIRST_DECK = 'card-activity'


def shorten(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + '…'


def in_sentence(label: str) -> str:
    """A deck's label inside a sentence: 'Strategic issue' -> 'strategic issue'; 'IAG topic' stays as written."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def plural(label: str, count: int) -> str:
    """'1 strategic issue', '6 strategic issues', '2 target groups', '3 activities' (label lower-cased)."""
    word = in_sentence(label)
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


def ordered(decks: Iterable[Deck]) -> list[Deck]:
    """The card activity first, then the others by title."""
    return sorted(decks, key=lambda deck: (deck.id != FIRST_DECK, deck.title.casefold()))


def clock(seconds: int) -> str:
    """Seconds as m:ss (or h:mm:ss)."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f'{hours}:{minutes:02d}:{secs:02d}' if hours else f'{minutes}:{secs:02d}'
