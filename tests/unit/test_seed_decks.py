"""The decks transcribed from the seed documents keep the documents' words.

For each of the four seed decks (progress and progression, progress reviews, individual learning plans and
personal learning planning) the seed document is parsed here and every bullet, key idea, question,
objective and prose line of it (with bullet glyphs, leading numbering and whitespace normalised away) must
occur verbatim in the deck's text. The structure is checked too: the key ideas and reflection prompts as
question cards, the four progress-review stages as checklist cards with all their bullets, the
self-assessment questions with their follow-up line, and the six PLP target groups with their key worker,
Careers Adviser objectives and closing remark.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from cardkit.deck import Card, Deck
from cardkit.text import blocks

ROOT = Path(__file__).resolve().parents[2]
DECKS = ROOT / 'decks'
SEEDS = Path(os.environ.get('CARDKIT_SEEDS_DIR') or Path(__file__).resolve().parents[2] / 'decks' / 'sources')

GLYPHS = '∠√✓☐•'
LIGHT_TEXT_FIELDS = {'introduction', 'text'}  # fields holding light text (paragraphs and '- ' bullets)
NOT_TEXT_FIELDS = {'id', 'kind', 'numbering', 'colour', 'language', 'version'}


# ---------------------------------------------------------------- helpers


def load(name: str) -> Deck:
    path = DECKS / name
    assert path.is_file(), f'deck file {path} is missing'
    try:
        from cardkit.deckfile import load_deck
    except ImportError:
        from ruamel.yaml import YAML

        with path.open(encoding='utf-8') as handle:
            return Deck.model_validate(YAML(typ='safe').load(handle))
    return load_deck(path)


def seed_lines(name: str) -> list[str]:
    if not SEEDS.is_dir():
        pytest.fail(f'seed folder {SEEDS} is missing: the seed decks are checked against the documents in it')
    path = SEEDS / name
    if not path.is_file():
        pytest.fail(f'seed document {path} is missing')
    return path.read_text(encoding='utf-8').splitlines()


def squash(text: str) -> str:
    """Collapse runs of whitespace (including no-break spaces) to one space."""
    return re.sub(r'\s+', ' ', text).strip()


def is_bullet(line: str) -> bool:
    return bool(re.match(rf'\s*(?:[-{GLYPHS}]\s|\d+\.\s)', line))


def norm(line: str) -> str:
    """A document line without layout: bullet marks and glyphs, leading numbering, italics asterisks, spacing."""
    line = squash(line.replace('*', ''))
    line = re.sub(rf'^(?:[-•]\s*)?(?:[{GLYPHS}]\s*)?', '', line)
    line = re.sub(r'^\d+\.\s+', '', line)
    return line


def content_lines(lines: list[str], skip: tuple[str, ...] = ()) -> list[str]:
    """Bullet lines, sentences and long prose lines; headings and address lines are short with no final stop."""
    found = []
    for raw in lines:
        line = norm(raw)
        if line and line not in skip and (is_bullet(raw) or line[-1] in '.?:;)!' or len(line.split()) >= 12):
            found.append(line)
    return found


def segments(deck: Deck) -> list[str]:
    """Every piece of text the deck shows (source metadata aside), light text split into its blocks."""
    found: list[str] = []

    def walk(value: object, key: str = '') -> None:
        if isinstance(value, str):
            if key in NOT_TEXT_FIELDS:
                return
            if key in LIGHT_TEXT_FIELDS:
                found.extend(squash(text) for _kind, text in blocks(value))
            else:
                found.append(squash(value))
        elif isinstance(value, dict):
            for child_key, child in value.items():
                walk(child, child_key)
        elif isinstance(value, list):
            for child in value:
                walk(child, key)

    walk(deck.model_dump(exclude={'source'}))
    return found


def assert_all_present(lines: list[str], deck: Deck) -> None:
    texts = segments(deck)
    missing = [line for line in lines if not any(line in text for text in texts)]
    assert not missing, 'document lines missing from the deck:\n' + '\n'.join(missing)


def between(lines: list[str], start: str, end: str | None) -> list[str]:
    """The lines after the first line equal to start, up to the next line equal to end."""
    stripped = [line.strip() for line in lines]
    first = stripped.index(start) + 1
    last = stripped.index(end, first) if end is not None else len(lines)
    return lines[first:last]


def item_texts(card: Card) -> list[str]:
    return [item.text for group in card.groups for item in group.items]


def assert_source(deck: Deck, document: str) -> None:
    assert deck.source is not None and deck.source.title
    assert deck.source.document == document
    assert 'word for word' in deck.source.note


def assert_colours_readable(deck: Deck) -> None:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for theme in deck.themes:
        assert theme.colour, f'theme {theme.number} has no colour'
        assert 1.05 / (luminance(theme.colour) + 0.05) >= 4.5, f'theme {theme.number} colour is too light'


# ---------------------------------------------------------------- 000: individual progress and progression

PROGRESSION_SEED = '000_cb5202d7ec9bfb64.txt'


def test_progress_and_progression_keeps_every_key_idea_and_prompt():
    lines = seed_lines(PROGRESSION_SEED)
    deck = load('progress-and-progression.yaml')
    assert deck.id == 'progress-and-progression'
    assert len({card.id for card in deck.cards}) == len(deck.cards)
    assert_source(deck, PROGRESSION_SEED)
    assert_colours_readable(deck)

    summary = [norm(line) for line in between(lines, 'SUMMARY', 'Key Ideas') if norm(line)]
    ideas = [
        norm(line) for line in between(lines, 'Key Ideas', 'PROMPTS FOR REFLECTION AND DISCUSSION') if is_bullet(line)
    ]
    prompts = [norm(line) for line in between(lines, 'PROMPTS FOR REFLECTION AND DISCUSSION', None) if is_bullet(line)]
    assert len(ideas) == 16 and len(prompts) == 3

    assert [block for _kind, block in blocks(deck.introduction)] == summary
    key_ideas, reflection = deck.themes
    assert [card.lead for card in key_ideas.cards] == ideas
    assert [card.lead for card in reflection.cards] == prompts
    assert len(reflection.cards) == 3
    assert all(card.kind == 'question' for card in deck.cards)
    assert_all_present(content_lines(lines), deck)


# ---------------------------------------------------------------- 002: progress reviews

REVIEWS_SEED = '002_e1b75f135e5b4e5a.txt'
STAGES = {
    'Learners': ('learners', 11),
    'Teachers': ('teachers', 13),
    'IAG and tutorial': ('iag-tutorial', 12),
    'Employers': ('employers', 10),
}


def review_stages(lines: list[str]) -> dict[str, list[str]]:
    """The infographic's bullets under each stage heading."""
    stages: dict[str, list[str]] = {}
    current = None
    for line in between(lines, 'progress reviews', None):
        if line.strip() in STAGES:
            current = stages.setdefault(line.strip(), [])
        elif current is not None and is_bullet(line):
            current.append(norm(line))
    return stages


def test_progress_reviews_stages_are_checklists_with_every_bullet():
    lines = seed_lines(REVIEWS_SEED)
    deck = load('progress-reviews.yaml')
    assert deck.id == 'progress-reviews'
    assert len({card.id for card in deck.cards}) == len(deck.cards)
    assert_source(deck, REVIEWS_SEED)
    assert_colours_readable(deck)

    stages = review_stages(lines)
    assert {name: len(items) for name, items in stages.items()} == {
        name: count for name, (_card_id, count) in STAGES.items()
    }
    checklists = [card for card in deck.cards if card.kind == 'checklist']
    assert len(checklists) == 4
    task = next(norm(line) for line in lines if 'Your task is to discuss' in line)
    for name, (card_id, count) in STAGES.items():
        card = deck.card(card_id)
        assert card.kind == 'checklist' and card.lead == name
        assert item_texts(card) == stages[name]
        assert len(item_texts(card)) == count
        assert card.task and card.task[0].lower() + card.task[1:] in task
        assert 'what real evidence we have' in card.task

    assert len(deck.evidence_scale) == 4
    assert any('superficial' in label.lower() for label in deck.evidence_scale)
    assert [section.title for section in deck.sections] == [
        'Suggestions on how to use this resource',
        'Intended impact',
    ]
    # The running header repeats the document title; the deck's title carries it.
    assert_all_present(content_lines(lines, skip=("Monitoring learners' progress reviews.",)), deck)


# ---------------------------------------------------------------- 003: individual learning plans

PLANS_SEED = '003_5b35c28cc9cf0913.txt'
FOLLOW_UP = 'List any amendments that are necessary.'


def test_individual_learning_plans_has_a_card_per_question():
    lines = seed_lines(PLANS_SEED)
    deck = load('individual-learning-plans.yaml')
    assert deck.id == 'individual-learning-plans'
    assert len({card.id for card in deck.cards}) == len(deck.cards)
    assert_source(deck, PLANS_SEED)
    assert_colours_readable(deck)

    start = next(i for i, line in enumerate(lines) if 'consider what inspectors judge to be key' in line) + 1
    body = [norm(line) for line in lines[start:] if norm(line) and not line.startswith('You can find this page')]
    questions = [line for line in body if line != FOLLOW_UP]
    assert len(questions) == 9 and all(line.endswith('?') for line in questions)
    assert body[body.index(FOLLOW_UP) - 1] == questions[0]

    cards = deck.cards
    assert [card.lead for card in cards] == questions
    assert all(card.kind == 'question' for card in cards)
    assert [prompt.text for prompt in cards[0].prompts] == [FOLLOW_UP]
    assert not any(card.has_back for card in cards[1:])

    link = re.search(r'https?://\S+?(?=\.?$)', lines[-1].strip()).group(0)
    assert deck.source.url == link
    assert 'Excellence Gateway' in deck.source.publisher
    assert_all_present(content_lines(lines), deck)


# ---------------------------------------------------------------- 004: personal learning planning

PLP_SEED = '004_c7b1ae399f797c09.txt'
# The document's Key worker/objectives blocks in order, with a word that places each block in its group
# (two groups share a page, so the headings do not sit above their blocks).
PLP_GROUPS = [
    ('year-9', 'Year 9'),
    ('key-stage-4', 'KS4'),
    ('post-16', 'school/college'),
    ('work-based', 'training provider'),
    ('unemployed', 'New Deal'),
    ('employed', 'Employer'),
]


def plp_blocks(lines: list[str]) -> list[dict]:
    """Each 'Key worker' block: its line, its objectives with their sub-bullets, and a closing remark."""
    found: list[dict] = []
    block = None
    for raw in lines:
        line = raw.strip()
        if line.startswith('Key worker:'):
            block = {'context': squash(line), 'objectives': [], 'remark': []}
            found.append(block)
        elif block is None or not line or line == 'Careers Adviser objectives:':
            continue
        elif re.match(r'\d+\.\s', line):
            block['objectives'].append((norm(line), []))
        elif line.startswith('- ') and block['objectives']:
            block['objectives'][-1][1].append(norm(line))
        elif line.isupper():
            block = None
        else:
            block['remark'].append(squash(line))
    return found


def test_personal_learning_planning_has_six_target_group_checklists():
    lines = seed_lines(PLP_SEED)
    deck = load('personal-learning-planning.yaml')
    assert deck.id == 'personal-learning-planning'
    assert len({card.id for card in deck.cards}) == len(deck.cards)
    assert_source(deck, PLP_SEED)
    assert_colours_readable(deck)

    found = plp_blocks(lines)
    assert len(found) == len(PLP_GROUPS) == 6
    checklists = [card for card in deck.cards if card.kind == 'checklist']
    assert len(checklists) == 6
    for block, (card_id, marker) in zip(found, PLP_GROUPS, strict=False):
        assert marker in block['context'] + ' '.join(text for text, _ in block['objectives'])
        card = deck.card(card_id)
        assert card.context == block['context']
        [group] = card.groups
        assert group.heading == 'Careers Adviser objectives'
        assert group.numbering == 'numbers'
        assert [(item.text, [point.text for point in item.points]) for item in group.items] == block['objectives']
        assert all(item.numbering == 'bullets' for item in group.items if item.points)
        assert [note.text for note in card.footnotes] == block['remark']
    assert deck.card('year-9').footnotes[0].text.startswith('Group-work in Year 9 is not a requirement')

    titles = [section.title for section in deck.sections]
    for title in ('Rationale', 'Key features', 'Implementation', 'Transparency', 'Evaluation'):
        assert title in titles
    assert_all_present(content_lines(lines, skip=('Careers Adviser objectives:',)), deck)


def test_every_shipped_deck_names_a_source_document_that_travels_with_the_project():
    from cardkit.library import shipped

    for deck in shipped().decks.values():
        assert deck.source is not None and deck.source.document, deck.id
        assert (SEEDS / deck.source.document).is_file(), f'{deck.id}: decks/sources/{deck.source.document}'
