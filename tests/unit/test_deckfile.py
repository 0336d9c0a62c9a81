"""The deck loader: every shipped deck loads; every kind of bad file is refused with its exact message."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cardkit.cli import main
from cardkit.deckfile import MAX_BYTES, DeckError, load_deck, parse_deck
from cardkit.library import deck_files

ROOT = Path(__file__).resolve().parents[2]
GOOD = """\
id: mini
title: Mini deck
themes:
  - number: 1
    title: Exploring
    cards:
      - id: '1.1'
        lead: What does progression mean?
"""


def problems_of(text: str | bytes) -> list[str]:
    with pytest.raises(DeckError) as caught:
        parse_deck(text, 'deck.yaml')
    return [str(p) for p in caught.value.problems]


def test_every_shipped_deck_loads():
    files = deck_files(ROOT / 'decks')
    assert len(files) >= 5
    ids = [load_deck(path).id for path in files]
    assert len(set(ids)) == len(ids)


def test_minimal_deck_loads_with_defaults():
    deck = parse_deck(GOOD)
    assert deck.cards[0].lead == 'What does progression mean?'
    assert deck.stems() == ['what', 'who', 'which', 'where', 'how']
    assert not deck.cards[0].has_back


def test_yaml_1_2_scalars_stay_text():
    deck = parse_deck(GOOD.replace('lead: What does progression mean?', 'lead: no') + 'version: 1.10\n')
    assert deck.cards[0].lead == 'no'
    assert deck.version == '1.10'


@pytest.mark.parametrize(
    ('text', 'expected'),
    [
        pytest.param(
            'id: x\ntitle: [unclosed\n',
            ["deck.yaml:3:1: yaml: syntax error: did not find expected ',' or ']' (while parsing a flow sequence)"],
            id='syntax-error',
        ),
        pytest.param(
            'a: &a [x, x]\nb: *a\n',
            ["deck.yaml:1:4: yaml: anchor '&a' is not allowed; write the content out in full"],
            id='anchor',
        ),
        pytest.param(
            'id: *a\n', ["deck.yaml:1:5: yaml: alias '*a' is not allowed; write the content out in full"], id='alias'
        ),
        pytest.param(
            'id: !!python/object/apply:os.system ["touch /tmp/cardkit-pwned"]\n',
            [
                "deck.yaml:1:5: yaml: tag '!!python/object/apply:os.system' is not allowed; "
                'a deck holds only text, numbers and lists'
            ],
            id='python-tag',
        ),
        pytest.param(
            'id: !custom x\n',
            ["deck.yaml:1:5: yaml: tag '!custom' is not allowed; a deck holds only text, numbers and lists"],
            id='custom-tag',
        ),
        pytest.param(
            'a:' + ' [' * 20 + ']' * 20 + '\n',
            ['deck.yaml:1:34: yaml: nesting is deeper than 16 levels; a deck is never this deep'],
            id='deep-nesting',
        ),
        pytest.param(
            '- id: x\n- title: y\n',
            [
                'deck.yaml:1:1: deck: the top level must be a mapping of deck fields (id, title, themes, ...), '
                'not a list'
            ],
            id='list-at-top',
        ),
        pytest.param(
            'just some words\n',
            [
                'deck.yaml:1:1: deck: the top level must be a mapping of deck fields (id, title, themes, ...), '
                'not a single value'
            ],
            id='scalar-at-top',
        ),
        pytest.param('', ['deck.yaml: file: is empty; a deck needs at least id, title and themes'], id='empty'),
        pytest.param(
            '# nothing but a comment\n',
            ['deck.yaml: file: holds no content; a deck needs at least id, title and themes'],
            id='only-comment',
        ),
        pytest.param(
            b'id: caf\xe9\n', ['deck.yaml:1:8: file: is not UTF-8 text (byte 0xe9); save it as UTF-8'], id='latin-1'
        ),
        pytest.param(
            b'id: x\n\x00\x01\x02\xff',
            ['deck.yaml:2:4: file: is not UTF-8 text (byte 0xff); save it as UTF-8'],
            id='binary-bytes',
        ),
        pytest.param(
            b'id: x\n\x00\x01\x02',
            ['deck.yaml:2:1: file: contains binary data (a NUL byte); a deck is text'],
            id='nul-byte',
        ),
        pytest.param(
            'id: a\nid: b\n',
            [
                'deck.yaml:1:1: title: is required but missing',
                'deck.yaml:1:1: themes: is required but missing',
                "deck.yaml:2:1: id: duplicate key 'id' (first given on line 1)",
            ],
            id='duplicate-key',
        ),
        pytest.param(
            GOOD.replace('title: Mini deck', 'titel: Mini deck'),
            [
                'deck.yaml:1:1: title: is required but missing',
                "deck.yaml:2:1: titel: unknown field 'titel' (did you mean 'title'?)",
            ],
            id='unknown-field-suggestion',
        ),
        pytest.param(
            GOOD.replace('        lead:', '        promts: [a]\n        lead:'),
            ["deck.yaml:8:9: theme 1 > card 1.1 > promts: unknown field 'promts' (did you mean 'prompts'?)"],
            id='unknown-card-field',
        ),
        pytest.param(
            GOOD.replace('What does progression mean?', "'   '"),
            ['deck.yaml:8:15: theme 1 > card 1.1 > lead: must not be empty'],
            id='empty-lead',
        ),
        pytest.param(
            GOOD.replace('        lead: What does progression mean?\n', ''),
            ['deck.yaml:7:9: theme 1 > card 1.1 > lead: is required but missing'],
            id='missing-lead',
        ),
        pytest.param(
            GOOD + "      - id: '1.1'\n        lead: Again?\n",
            ["deck.yaml:9:13: theme 1 > card 1.1 > id: card id '1.1' is used twice (first in theme 1)"],
            id='duplicate-card-id',
        ),
        pytest.param(
            GOOD + '  - number: 1\n    title: Again\n',
            ['deck.yaml:9:13: theme 1 > number: theme number 1 is used twice'],
            id='duplicate-theme-number',
        ),
        pytest.param(
            GOOD.replace('number: 1', 'number: one'),
            ['deck.yaml:4:13: theme one > number: must be a whole number'],
            id='theme-number-not-a-number',
        ),
        pytest.param(
            GOOD.replace('id: mini', 'id: Mini Deck'),
            ['deck.yaml:1:5: id: must be lowercase letters, digits and dashes (e.g. my-deck)'],
            id='bad-deck-id',
        ),
        pytest.param(
            GOOD.replace("id: '1.1'", "id: '1 1'"),
            [
                'deck.yaml:7:13: theme 1 > card 1 1 > id: must be letters, digits, dots, dashes or underscores '
                '(e.g. 1.1)'
            ],
            id='bad-card-id',
        ),
        pytest.param(
            GOOD.replace('    title: Exploring', '    title: Exploring\n    colour: red'),
            ["deck.yaml:6:13: theme 1 > colour: must be a colour like '#1F5F8B'"],
            id='bad-colour',
        ),
        pytest.param(
            GOOD.replace(
                '        lead: What does progression mean?',
                "        lead: Q?\n        links: [{label: x, url: 'javascript:alert(1)'}]",
            ),
            [
                'deck.yaml:9:33: theme 1 > card 1.1 > links #1 > url: '
                'must be a web address starting with http://, https:// or www.'
            ],
            id='javascript-link',
        ),
        pytest.param(
            GOOD.replace('        lead: What does progression mean?', '        lead: Q?\n        kind: checklist'),
            ["deck.yaml:7:9: theme 1 > card 1.1: a checklist card needs at least one group of items ('groups')"],
            id='checklist-without-items',
        ),
        pytest.param(
            'id: x\ntitle: T\nthemes:\n  - number: 1\n    title: A\n    cards: none\n',
            ['deck.yaml:6:12: theme 1 > cards: must be a list (lines starting with "- ")'],
            id='cards-not-a-list',
        ),
        pytest.param(
            'id: x\ntitle: T\nthemes: []\n', ['deck.yaml:3:9: themes: needs at least 1 entry'], id='no-themes'
        ),
        pytest.param(
            '{id: x, title: T, themes: [{number: 1, title: A}]}\n---\nid: y\n',
            ['deck.yaml:2:1: yaml: holds more than one document; a deck file holds one'],
            id='two-documents',
        ),
    ],
)
def test_bad_deck_is_refused_with_exact_message(text, expected):
    assert problems_of(text) == expected
    assert not Path('/tmp/cardkit-pwned').exists()


def test_all_problems_of_a_file_are_reported_at_once():
    text = (
        GOOD.replace('title: Mini deck', 'titel: Mini deck').replace('number: 1', 'number: x')
        + "      - id: '1.1'\n        lead: ''\n"
    )
    assert problems_of(text) == [
        'deck.yaml:1:1: title: is required but missing',
        "deck.yaml:2:1: titel: unknown field 'titel' (did you mean 'title'?)",
        'deck.yaml:4:13: theme x > number: must be a whole number',
        "deck.yaml:9:13: theme x > card 1.1 > id: card id '1.1' is used twice (first in theme x)",
        'deck.yaml:10:15: theme x > card 1.1 > lead: must not be empty',
    ]


def test_oversized_file_is_refused_quickly(tmp_path: Path):
    path = tmp_path / 'huge.yaml'
    path.write_bytes(b'id: x\n' + b'# padding\n' * (10 * 1024 * 1024 // 10))
    started = time.perf_counter()
    with pytest.raises(DeckError) as caught:
        load_deck(path)
    assert time.perf_counter() - started < 1.0
    assert str(caught.value) == f'{path}: file: is larger than {MAX_BYTES:,} bytes; a deck must be smaller'


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        lines.append(f'{chr(97 + i)}: &{chr(97 + i)} [' + ','.join([f'*{chr(96 + i)}'] * 9) + ']')
    started = time.perf_counter()
    messages = problems_of('\n'.join(lines))
    assert time.perf_counter() - started < 1.0
    assert messages == ["deck.yaml:1:4: yaml: anchor '&a' is not allowed; write the content out in full"]


def test_control_characters_are_removed_from_deck_text():
    deck = parse_deck(GOOD.replace('What does progression mean?', '"What\\x07 does progression mean?"'))
    assert deck.cards[0].lead == 'What does progression mean?'


def test_missing_file_and_folder(tmp_path: Path):
    with pytest.raises(DeckError, match='no such file'):
        load_deck(tmp_path / 'nope.yaml')
    with pytest.raises(DeckError, match='is a folder, not a deck file'):
        load_deck(tmp_path)


def test_cli_validate_exit_codes_and_one_line_per_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    good = tmp_path / 'good.yaml'
    good.write_text(GOOD, encoding='utf-8')
    bad = tmp_path / 'bad.yaml'
    bad.write_text(GOOD.replace('title: Mini deck', 'titel: Mini deck'), encoding='utf-8')
    assert main(['validate', str(good)]) == 0
    assert main(['validate', str(good), str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f'{bad}:1:1: title: is required but missing',
        f"{bad}:2:1: titel: unknown field 'titel' (did you mean 'title'?)",
    ]


def test_cli_validates_shipped_decks_and_lists_them(capsys: pytest.CaptureFixture[str]):
    assert main(['validate', str(ROOT / 'decks')]) == 0
    assert main(['decks', '--folder', str(ROOT / 'decks')]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ['ID', 'TITLE', 'THEMES', 'CARDS', 'FILE']
    assert 'progress-reviews' in out and 'progress-reviews.yaml' in out


def test_documented_example_deck_is_valid():
    text = (ROOT / 'docs' / 'deck-format.md').read_text(encoding='utf-8')
    example = text.split('```yaml\n', 1)[1].split('```', 1)[0]
    deck = parse_deck(example, 'docs/deck-format.md')
    assert [card.id for card in deck.cards] == ['1.2', '1.3', 'L']
    assert deck.card('L').item_labels()[1] == ('1.2', 'Ensure referral system is embedded:')


def test_problems_inside_a_top_level_list_are_reported_not_raised():
    assert problems_of('[[{[[') == [
        'deck.yaml:1:4: #1 #1: a key must be a plain name',
        'deck.yaml:2:1: yaml: syntax error: did not find expected node content (while parsing a flow node)',
    ]
