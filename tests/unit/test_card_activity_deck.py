"""The strategic card activity deck keeps the source document's words, and the blank template is a valid deck.

The card activity document (seed 001) is parsed here: its Introduction and 'The card activity' text, each
'Strategic issue N' title, each 'N.N Lead question' (the question and its bullets) and each 'Discussion prompts
N.N' (the sentence before the prompts, the prompts, their a) b) c) points, the footnotes with their bullets and
the reference links). decks/card-activity.yaml must hold all of it, in the document's order and structure, word
for word once whitespace and the text file's markup (bullet marks, italics asterisks, angle brackets round web
addresses, 'a)' labels) are set aside. decks/blank-template.yaml must be the document's blank template: one
strategic issue with three lead questions and their discussion prompts.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cardkit.deck import Card, Deck, Point
from cardkit.deckfile import load_deck
from cardkit.text import blocks

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / 'decks'
SEEDS = Path(os.environ.get('CARDKIT_SEEDS_DIR') or Path(__file__).resolve().parents[2] / 'decks' / 'sources')

ISSUE = re.compile(r'Strategic issue (\d+)')
LEAD = re.compile(r'(\d+\.\d+) Lead question')
PROMPTS = re.compile(r'Discussion prompts (\d+\.\d+)')
LINK = re.compile(r'(?P<label>.+?)\s+(?:–|-|at)\s+<?(?P<url>(?:https?://|www\.)[^\s<>]+)>?')


# ---------------------------------------------------------------- reading the document


@dataclass
class Note:
    text: str
    points: list[str] = field(default_factory=list)


@dataclass
class SeedCard:
    id: str
    lead_lines: list[str] = field(default_factory=list)
    lead_points: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    prompts: list[tuple[str, list[str]]] = field(default_factory=list)
    labels: list[list[str]] = field(default_factory=list)  # the a) b) c) labels of each prompt's points
    notes: list[Note] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def lead(self) -> str:
        return ' '.join(self.lead_lines)


@dataclass
class SeedTheme:
    number: int
    title_lines: list[str] = field(default_factory=list)
    cards: list[SeedCard] = field(default_factory=list)

    @property
    def title(self) -> str:
        return ' '.join(self.title_lines)


@dataclass
class Seed:
    introduction: list[tuple[str, str]]  # ('para' | 'bullet', text), as cardkit.text.blocks gives them
    activity: list[str]  # the lines of 'The card activity'
    themes: list[SeedTheme]
    template: list[str]  # the blank template's lines


def squash(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space."""
    return re.sub(r'\s+', ' ', text).strip()


def is_bullet(line: str) -> bool:
    return line.lstrip().startswith('- ')


def is_nested(line: str) -> bool:
    return line.startswith((' ', '\t')) and is_bullet(line)


def is_footnote(line: str) -> bool:
    """A footnote line: the footnote asterisk followed by italic text ('* *Leitch ...*', '** Further ...:*')."""
    return bool(re.match(r'\*\s?\*', line.strip()))


def unitalic(text: str) -> str:
    """Text without surrounding *italics* markup; asterisks inside or at one end are the document's own."""
    match = re.fullmatch(r'\*(\S(?:.*\S)?)\*', text)
    return match.group(1) if match else text


def bullet_text(line: str) -> str:
    """A bullet's words: no '- ' mark, no 'a) ' label, no italics markup."""
    text = squash(line)[2:].strip()
    text = re.sub(r'^[a-z]\)\s+', '', text)
    return squash(unitalic(text))


def footnote_text(line: str) -> str:
    match = re.fullmatch(r'\*\s?\*(.*)\*', line.strip())
    assert match, f'not a footnote line: {line!r}'
    return squash(match.group(1))


def seed_path() -> Path:
    if not SEEDS.is_dir():
        pytest.fail(f'seed folder {SEEDS} is missing: the card activity deck is checked against the document in it')
    found = sorted(SEEDS.glob('001_*.txt'))
    if not found:
        pytest.fail(f'the card activity document (001_*.txt) is missing from {SEEDS}')
    return found[0]


def parse_card_back(card: SeedCard, lines: list[str]) -> None:
    """Sort the lines of a 'Discussion prompts' block into intro, prompts and points, footnotes and links."""
    in_notes = False
    for line in lines:
        if not line.strip():
            continue
        if is_footnote(line):
            in_notes = True
            card.notes.append(Note(footnote_text(line)))
        elif in_notes:
            if is_bullet(line):
                text = bullet_text(line)
                link = LINK.fullmatch(text)
                if link:
                    card.links.append((link['label'], link['url']))
                else:
                    card.notes[-1].points.append(text)
            else:
                card.notes.append(Note(squash(unitalic(line.strip()))))
        elif is_nested(line):
            assert card.prompts, f'{card.id}: a nested point before any prompt: {line!r}'
            card.prompts[-1][1].append(bullet_text(line))
            card.labels[-1].append(re.match(r'\s*-\s+([a-z])\)', line).group(1))
        elif is_bullet(line):
            card.prompts.append((bullet_text(line), []))
            card.labels.append([])
        else:
            assert not card.prompts, f'{card.id}: text after the prompts that is not a footnote: {line!r}'
            card.intro.append(squash(line))


def parse_seed(text: str) -> Seed:
    lines = text.splitlines()
    stripped = [line.strip() for line in lines]
    intro_at = stripped.index('Introduction')
    activity_at = stripped.index('The card activity')
    first_issue = next(i for i, line in enumerate(stripped) if ISSUE.fullmatch(line))

    introduction = []
    for line in lines[intro_at + 1 : activity_at]:
        if not line.strip():
            continue
        if is_bullet(line):
            introduction.append(('bullet', bullet_text(line)))
        elif is_footnote(line):
            # In running text the note keeps its asterisk, which ties it to 'teachers*' above.
            introduction.append(('para', '* ' + footnote_text(line)))
        else:
            introduction.append(('para', squash(line)))

    themes: list[SeedTheme] = []
    template: list[str] = []
    card: SeedCard | None = None
    part = ''  # 'title', 'lead' or 'back'
    back: list[str] = []
    for index, line in enumerate(lines[first_issue:], first_issue):
        key = line.strip()
        if key == 'Strategic issue':  # the blank template on the last page
            template = [line.strip() for line in lines[index:] if line.strip()]
            break
        if match := ISSUE.fullmatch(key):
            themes.append(SeedTheme(int(match.group(1))))
            part = 'title'
        elif match := LEAD.fullmatch(key):
            if card is not None and back:
                parse_card_back(card, back)
            card, back, part = SeedCard(match.group(1)), [], 'lead'
            themes[-1].cards.append(card)
        elif match := PROMPTS.fullmatch(key):
            assert card is not None and match.group(1) == card.id, f'prompts {match.group(1)} out of place'
            part = 'back'
        elif key == 'SEE OVER' or not key:
            continue
        elif part == 'title':
            themes[-1].title_lines.append(key)
        elif part == 'lead':
            if is_bullet(line):
                card.lead_points.append(bullet_text(line))
            else:
                assert not card.lead_points, f'{card.id}: lead question text after its bullets: {line!r}'
                card.lead_lines.append(key)
        else:
            back.append(line)
    if card is not None and back:
        parse_card_back(card, back)
    return Seed(
        introduction, [squash(line) for line in lines[activity_at + 1 : first_issue] if line.strip()], themes, template
    )


@pytest.fixture(scope='module')
def seed() -> Seed:
    return parse_seed(seed_path().read_text(encoding='utf-8'))


@pytest.fixture(scope='module')
def deck() -> Deck:
    return load('card-activity.yaml')


def load(name: str) -> Deck:
    path = DECKS / name
    assert path.is_file(), f'deck file {path} is missing'
    return load_deck(path)


def points_of(points: list[Point]) -> list[tuple[str, list[str]]]:
    return [(squash(point.text), [squash(child.text) for child in point.points]) for point in points]


def deck_texts(deck: Deck) -> list[str]:
    """Every piece of text the deck shows, light text split into its paragraphs and bullets."""
    found: list[str] = []
    for light in [deck.introduction] + [section.text for section in deck.sections]:
        found += [squash(text) for _kind, text in blocks(light)]
    found += deck.ways_of_working + deck.think_about
    for theme in deck.themes:
        found += [squash(theme.title), squash(theme.summary)]
        for card in theme.cards:
            found += [squash(card.lead)] + [squash(text) for _kind, text in blocks(card.intro)]
            for point in card.lead_points + card.prompts + card.footnotes:
                found += [squash(point.text)] + [squash(child.text) for child in point.points]
            found += [squash(f'{link.label} {link.url}') for link in card.links]
    return found


# ---------------------------------------------------------------- the card activity deck


def test_seed_is_parsed_completely(seed: Seed):
    """Guard the parser itself, so the comparisons below compare against the whole document."""
    assert [theme.number for theme in seed.themes] == [1, 2, 3, 4, 5, 6]
    assert all(len(theme.cards) == 3 for theme in seed.themes)
    assert all(card.lead and card.prompts for theme in seed.themes for card in theme.cards)
    assert sum(len(card.notes) for theme in seed.themes for card in theme.cards) == 6
    assert sum(len(card.links) for theme in seed.themes for card in theme.cards) == 3


def test_deck_metadata(deck: Deck):
    assert deck.id == 'card-activity'
    assert deck.theme_label == 'Strategic issue'
    assert deck.language == 'en-GB'
    assert deck.source is not None and deck.source.title
    assert deck.source.document == seed_path().name
    assert 'word for word' in deck.source.note.lower()

    colours = [theme.colour for theme in deck.themes]
    assert all(colours) and len(set(c.lower() for c in colours)) == 6, 'each strategic issue needs its own colour'
    for theme in deck.themes:
        assert contrast_with_white(theme.colour) >= 4.5, f'theme {theme.number}: white text on it is hard to read'


def contrast_with_white(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return 1.05 / (luminance + 0.05)


def test_introduction_is_the_documents(deck: Deck, seed: Seed):
    assert [(kind, squash(text)) for kind, text in blocks(deck.introduction)] == seed.introduction


def test_card_activity_section_lists_and_coaching_stems(deck: Deck, seed: Seed):
    paragraphs: list[str] = []
    lists: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in seed.activity:
        if is_bullet(line):
            assert current is not None, f'a bullet with no lead-in: {line!r}'
            current.append(bullet_text(line))
            continue
        current = None
        if line.endswith(':'):
            # A list's lead-in: the app heads the list itself, and any sentence before the lead-in is prose.
            *before, lead_in = re.split(r'(?<=[.?!])\s+', line)
            paragraphs += before
            current = lists.setdefault(lead_in, [])
        else:
            paragraphs.append(line)
    think_about = next(items for lead_in, items in lists.items() if 'think about' in lead_in)
    ways = next(items for lead_in, items in lists.items() if 'carry out the activity' in lead_in)
    assert len(think_about) == 3 and len(ways) == 5 and len(lists) == 2

    assert [section.title for section in deck.sections] == ['The card activity']
    assert [squash(text) for _kind, text in blocks(deck.sections[0].text)] == paragraphs
    assert deck.think_about == think_about
    assert deck.ways_of_working == ways

    stems = re.search(r'coaching style questions – (.+)\?', paragraphs[0]).group(1)
    assert deck.coaching_stems == re.split(r', | and ', stems)


def test_six_strategic_issues_and_eighteen_cards(deck: Deck, seed: Seed):
    assert [theme.number for theme in deck.themes] == [1, 2, 3, 4, 5, 6]
    assert [theme.title for theme in deck.themes] == [theme.title for theme in seed.themes]
    expected_ids = [f'{issue}.{card}' for issue in range(1, 7) for card in range(1, 4)]
    assert [card.id for card in deck.cards] == expected_ids
    assert [card.id for theme in seed.themes for card in theme.cards] == expected_ids
    for theme in deck.themes:
        assert all(card.id.startswith(f'{theme.number}.') for card in theme.cards)
    assert all(card.kind == 'question' for card in deck.cards)


@pytest.mark.parametrize('card_id', [f'{issue}.{card}' for issue in range(1, 7) for card in range(1, 4)])
def test_card_matches_the_document(deck: Deck, seed: Seed, card_id: str):
    expected = next(card for theme in seed.themes for card in theme.cards if card.id == card_id)
    card: Card = deck.card(card_id)

    assert card.lead == expected.lead
    assert [squash(point.text) for point in card.lead_points] == expected.lead_points
    assert not any(point.points for point in card.lead_points)
    assert [squash(text) for _kind, text in blocks(card.intro)] == expected.intro
    assert points_of(card.prompts) == expected.prompts

    for prompt, labels in zip(card.prompts, expected.labels, strict=False):
        if labels:
            assert labels == [chr(ord('a') + i) for i in range(len(labels))], f'{card_id}: labels {labels}'
            assert prompt.numbering == 'letters', f'{card_id}: {prompt.text!r} has a) b) c) points'

    assert [(squash(note.text), [squash(p.text) for p in note.points]) for note in card.footnotes] == [
        (note.text, note.points) for note in expected.notes
    ]
    assert all(note.numbering == 'bullets' for note in card.footnotes if note.points)
    assert [(link.label, link.url) for link in card.links] == expected.links
    assert card.has_back


def test_every_line_of_the_cards_appears_verbatim(deck: Deck, seed: Seed):
    """Whatever the structure, each lead question, bullet, point, intro sentence and note is in the deck's text."""
    texts = deck_texts(deck)
    wanted: list[str] = [theme.title for theme in seed.themes]
    for theme in seed.themes:
        for card in theme.cards:
            wanted += [card.lead, *card.lead_points, *card.intro]
            for prompt, points in card.prompts:
                wanted += [prompt, *points]
            for note in card.notes:
                wanted += [note.text, *note.points]
            wanted += [f'{label} {url}' for label, url in card.links]
    wanted += [text for _kind, text in seed.introduction]
    missing = [line for line in wanted if not any(line in text for text in texts)]
    assert not missing, 'document text missing from the deck:\n' + '\n'.join(missing)


def test_quotes_apostrophes_and_asterisks_survive(deck: Deck):
    assert deck.card('1.1').lead == "What does the term 'progression' mean to you?"
    assert deck.card('1.2').prompts[-1].text.endswith('Leitch report.*')
    assert deck.card('4.1').prompts[0].text.endswith('work-based learning *')
    assert "'Prosperity for all in the Global Economy: World Class Skills'" in deck.card('1.2').footnotes[0].text
    assert 'teachers* to enhance progression' in deck.introduction


# ---------------------------------------------------------------- the blank template


def test_blank_template_is_a_starter_deck(seed: Seed):
    template = load('blank-template.yaml')
    assert template.id == 'blank-template'
    assert template.theme_label == 'Strategic issue'
    assert seed.template[0] == 'Strategic issue'
    expected_cards = seed.template.count('Lead question')
    assert expected_cards == seed.template.count('Discussion prompts') == 3

    [theme] = template.themes
    assert theme.number == 1 and theme.title.strip()
    assert [card.id for card in theme.cards] == [f'1.{i}' for i in range(1, expected_cards + 1)]
    for card in theme.cards:
        assert card.kind == 'question'
        assert card.lead.strip()
        assert len(card.prompts) == 1 and card.prompts[0].text.strip()
