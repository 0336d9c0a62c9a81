"""Organisation decks without the UI: creating, drafts, validation worded as `cardkit validate`, versions used by
sessions, the YAML round trip (with generated decks), hostile uploads and file names, and writing to a folder.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardkit import authoring, db, library, sessions
from cardkit.cli import main
from cardkit.deck import Deck
from cardkit.deckfile import MAX_BYTES, DeckError, parse_deck
from cardkit.export.template import LEAD, PROMPTS, blank_template
from cardkit.sessions import InputError, NotFound
from cardkit.text import clean_text

ROOT = Path(__file__).resolve().parents[2]
GOOD = b"""\
id: mini
title: Mini deck
themes:
  - number: 1
    title: Exploring
    cards:
      - id: '1.1'
        lead: What does progression mean?
"""


def validate_lines(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    """What `python -m cardkit validate PATH` prints, line by line, and its exit code."""
    capsys.readouterr()
    code = main(['validate', str(path)])
    return code, capsys.readouterr().out.splitlines()


# --- creating ------------------------------------------------------------------------------------------------------


def test_a_deck_from_scratch_is_a_valid_skeleton() -> None:
    row = db.run(authoring.create_from_scratch, title='Our progression cards')
    assert row.deck_id == 'our-progression-cards'
    assert row.title == 'Our progression cards'
    deck = authoring.draft_deck(row.draft)
    assert [t.title for t in deck.themes] == ['Our first strategic issue']
    assert [c.lead for c in deck.cards] == ['Our first lead question?']
    assert db.run(authoring.versions, org_deck_id=row.id) == []


def test_a_deck_from_the_blank_template_has_three_cards_to_fill_in() -> None:
    row = db.run(authoring.create_from_blank)
    deck = authoring.draft_deck(row.draft)
    assert (deck.id, deck.title, deck.source) == ('our-deck', 'Our card activity', None)
    assert [c.lead for c in deck.cards] == [
        'Your first lead question?',
        'Your second lead question?',
        'Your third lead question?',
    ]
    assert row.based_on == 'blank-template'


def test_a_copy_of_a_shipped_deck_gets_its_own_id_and_title() -> None:
    shipped = library.shipped().get('card-activity')
    first = db.run(authoring.copy_shipped, deck_id='card-activity')
    second = db.run(authoring.copy_shipped, deck_id='card-activity')
    assert (first.deck_id, second.deck_id) == ('card-activity-ours', 'card-activity-ours-2')
    assert first.title == 'Supporting learner progression (our copy)'
    copy = authoring.draft_deck(first.draft)
    assert copy.themes == shipped.themes
    assert copy.model_copy(update={'id': shipped.id, 'title': shipped.title}) == shipped
    with pytest.raises(NotFound):
        db.run(authoring.copy_shipped, deck_id='no-such-deck')


# --- drafts --------------------------------------------------------------------------------------------------------


def test_an_invalid_draft_is_kept_as_typed() -> None:
    row = db.run(authoring.create_from_scratch)
    draft = dict(
        row.draft,
        title='',
        themes=[
            {'number': 'seven', 'title': 'Ours', 'colour': 'red', 'cards': [{'id': '7.1', 'lead': '', 'promts': ['x']}]}
        ],
    )
    db.run(authoring.save_draft, org_deck_id=row.id, draft=draft)
    assert db.run(authoring.get, org_deck_id=row.id).draft == draft
    assert authoring.validate_draft(draft)


def test_a_draft_over_one_megabyte_is_refused_and_the_last_one_kept() -> None:
    row = db.run(authoring.create_from_scratch)
    huge = dict(row.draft, introduction='x' * 1_100_000)
    with pytest.raises(InputError) as caught:
        db.run(authoring.save_draft, org_deck_id=row.id, draft=huge)
    assert str(caught.value).startswith('this deck is 1,100,')
    assert 'the limit is 1,000,000 bytes (1 MB)' in str(caught.value)
    assert db.run(authoring.get, org_deck_id=row.id).draft == row.draft


def test_validation_says_exactly_what_cardkit_validate_says_for_the_downloaded_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    row = db.run(authoring.copy_shipped, deck_id='card-activity')
    draft = row.draft
    draft['titel'] = 'typo'
    seventh = {
        'number': 7,
        'title': '',
        'colour': 'navy',
        'cards': [
            {'id': '7.1', 'lead': '   ', 'prompts': ['One', {'text': 'Two:', 'points': []}]},
            {'id': '1.1', 'lead': 'Used twice?'},
            {'id': '7 3', 'kind': 'checklist', 'lead': 'Checklist'},
            {'id': '7.4', 'lead': 'Q?', 'links': [{'label': 'x', 'url': 'javascript:alert(1)'}]},
        ],
    }
    draft['themes'].append(seventh)
    db.run(authoring.save_draft, org_deck_id=row.id, draft=draft)
    path = tmp_path / authoring.yaml_filename(draft)
    path.write_text(authoring.draft_yaml(db.run(authoring.get, org_deck_id=row.id).draft), encoding='utf-8')
    code, printed = validate_lines(path, capsys)
    ours = [str(p) for p in authoring.validate_draft(db.run(authoring.get, org_deck_id=row.id).draft, name=str(path))]
    assert code == 1
    assert ours == printed
    assert len(ours) >= 7
    assert f'{path}:' in ours[0]
    assert any(line.endswith("titel: unknown field 'titel' (did you mean 'title'?)") for line in ours)
    assert any(line.endswith("theme 7 > colour: must be a colour like '#1F5F8B'") for line in ours)
    assert any(
        line.endswith("theme 7 > card 1.1 > id: card id '1.1' is used twice (first in theme 1)") for line in ours
    )
    # without a name, problems name the file that "Download YAML" gives
    assert str(authoring.validate_draft(draft)[0]).startswith('card-activity-ours.yaml:')


# --- versions and sessions -----------------------------------------------------------------------------------------


def test_publishing_numbers_versions_and_sessions_keep_theirs() -> None:
    row = db.run(authoring.copy_shipped, deck_id='card-activity')
    first = db.run(authoring.publish, org_deck_id=row.id, note='As shipped')
    assert (first.number, first.note) == (1, 'As shipped')
    assert db.run(authoring.publish, org_deck_id=row.id).id == first.id  # nothing changed: no new version
    session = db.run(
        sessions.start_session, deck=db.run(authoring.deck_for_session, deck_ref=f'org:{row.id}'), title='Spring'
    )
    assert db.run(authoring.stored_origin, stored_deck_id=session.stored_deck_id) == 'organisation'

    draft = db.run(authoring.get, org_deck_id=row.id).draft
    draft['themes'][0]['cards'][0]['lead'] = 'What does progression mean to us?'
    db.run(authoring.save_draft, org_deck_id=row.id, draft=draft)
    second = db.run(authoring.publish, org_deck_id=row.id, note='Our wording')
    assert second.number == 2
    assert [v.number for v in db.run(authoring.versions, org_deck_id=row.id)] == [1, 2]
    assert (
        db.run(sessions.deck_of, session=db.run(sessions.get_session, session_id=session.id)).cards[0].lead
        != 'What does progression mean to us?'
    )
    assert (
        db.run(authoring.deck_for_session, deck_ref=f'org:{row.id}').cards[0].lead
        == 'What does progression mean to us?'
    )


def test_an_invalid_draft_or_a_taken_id_cannot_be_published() -> None:
    row = db.run(authoring.create_from_scratch)
    draft = db.run(authoring.get, org_deck_id=row.id).draft
    draft['themes'][0]['cards'][0]['lead'] = ''
    db.run(authoring.save_draft, org_deck_id=row.id, draft=draft)
    with pytest.raises(DeckError) as caught:
        db.run(authoring.publish, org_deck_id=row.id)
    assert [str(p) for p in caught.value.problems] == [
        'our-card-activity.yaml:10:11: theme 1 > card 1.1 > lead: must not be empty'
    ]
    draft['themes'][0]['cards'][0]['lead'] = 'Fine?'
    draft['id'] = 'card-activity'
    db.run(authoring.save_draft, org_deck_id=row.id, draft=draft)
    with pytest.raises(InputError, match="the deck id 'card-activity' is already used by the shipped deck"):
        db.run(authoring.publish, org_deck_id=row.id)
    assert db.run(authoring.versions, org_deck_id=row.id) == []


def test_deck_references_for_sessions_and_the_list_of_all_decks() -> None:
    shipped = library.shipped().get('card-activity')
    assert db.run(authoring.deck_for_session, deck_ref='shipped:card-activity') == shipped
    assert db.run(authoring.deck_for_session, deck_ref='card-activity') == shipped
    draft_only = db.run(authoring.create_from_scratch, title='Draft only')
    published = db.run(authoring.create_from_scratch, title='Ready')
    db.run(authoring.publish, org_deck_id=published.id)
    archived = db.run(authoring.create_from_scratch, title='Put away')
    db.run(authoring.publish, org_deck_id=archived.id)
    db.run(authoring.archive, org_deck_id=archived.id)
    for ref in ('shipped:nope', f'org:{draft_only.id}', f'org:{archived.id}', 'org:999', 'org:x', 'other:1'):
        with pytest.raises(NotFound):
            db.run(authoring.deck_for_session, deck_ref=ref)
    entries = db.run(authoring.all_decks)
    assert {e.deck.id for e in entries if e.origin == 'shipped'} == set(library.shipped().decks)
    [ours] = [e for e in entries if e.origin == 'organisation']
    deck, origin, version = ours
    assert (deck.title, origin, version.number, ours.ref) == ('Ready', 'organisation', 1, f'org:{published.id}')
    assert [r.title for r in db.run(authoring.org_decks)] == ['Ready', 'Draft only']
    assert [r.title for r in db.run(authoring.org_decks, archived=True)] == ['Put away']
    assert authoring.deck_refs(entries)[f'org:{published.id}'] == 'Ready (Your organisation, version 1)'


# --- YAML round trip -----------------------------------------------------------------------------------------------

TRICKY = [
    'no',
    'yes',
    'off',
    'null',
    'NULL',
    '~',
    '1.10',
    '007',
    '08',
    '0o17',
    '1_000',
    '0x1F',
    '1e3',
    '-1',
    '+1',
    'true',
    'False',
    'NEL\x85inside',
    'LS\u2028PS\u2029',
    '#hash',
    'a # comment',
    'key: value',
    'ends with colon:',
    "it's",
    '"quoted"',
    "'single'",
    '  leading spaces',
    'trailing spaces  ',
    '- dash',
    '* star',
    '? question',
    '@at',
    '`tick',
    '|',
    '>',
    '%',
    '&anchor',
    '*alias',
    '!tag',
    '[list]',
    '{map}',
    'a, b',
    'line one\nline two',
    '\tindented\n  more',
    'ends with newline\n',
    'Ünïcödé ✓ — “curly” ‘quotes’ 中文 🙂',
    'tab\tinside',
    '---',
    '...',
    '=',
    '<img src=x onerror=alert(1)>',
]
text = st.one_of(
    st.sampled_from(TRICKY), st.text(max_size=30), st.text(alphabet=st.characters(codec='utf-8'), max_size=30)
)
required = text.filter(lambda s: clean_text(s).strip())
numbering = st.sampled_from(['letters', 'numbers', 'bullets'])
point = st.recursive(
    required.map(lambda s: {'text': s}),
    lambda inner: st.builds(
        lambda t, p, n: {'text': t, 'points': p, 'numbering': n},
        text,
        st.lists(inner, min_size=1, max_size=3),
        numbering,
    ),
    max_leaves=6,
)
points = st.lists(point, max_size=3)
card_id = st.from_regex(r'[A-Za-z0-9][A-Za-z0-9._-]{0,8}', fullmatch=True)
link = st.builds(
    lambda label, path: {'label': label, 'url': f'https://example.org/{path}'},
    text,
    st.from_regex(r'[a-z0-9/?=&#%.-]{0,20}', fullmatch=True),
)


@st.composite
def card(draw: st.DrawFn, ident: str) -> dict:
    data = {'id': ident, 'lead': draw(required), 'footnotes': draw(points), 'links': draw(st.lists(link, max_size=2))}
    if draw(st.booleans()):
        data.update(
            kind='checklist',
            task=draw(text),
            context=draw(text),
            scale=draw(st.lists(text, max_size=4)),
            groups=draw(
                st.lists(
                    st.builds(
                        lambda h, items, n: {'heading': h, 'items': items, 'numbering': n},
                        text,
                        st.lists(point, min_size=1, max_size=3),
                        numbering,
                    ),
                    min_size=1,
                    max_size=2,
                )
            ),
        )
    else:
        data.update(lead_points=draw(points), intro=draw(text), prompts=draw(points))
    return data


@st.composite
def decks(draw: st.DrawFn) -> Deck:
    numbers = draw(st.lists(st.integers(1, 999), min_size=1, max_size=3, unique=True))
    ids = iter(draw(st.lists(card_id, min_size=6, max_size=6, unique=True)))
    themes = [
        {
            'number': n,
            'title': draw(required),
            'summary': draw(text),
            'colour': draw(st.one_of(st.none(), st.from_regex(r'#[0-9A-Fa-f]{6}', fullmatch=True))),
            'cards': [draw(card(next(ids))) for _ in range(draw(st.integers(0, 2)))],
        }
        for n in numbers
    ]
    return Deck.model_validate(
        {
            'id': draw(st.from_regex(r'[a-z0-9][a-z0-9-]{0,20}', fullmatch=True)),
            'title': draw(required),
            'subtitle': draw(text),
            'version': draw(st.one_of(st.sampled_from(['1.10', '2', 'no', '007']), required)),
            'introduction': draw(text),
            'coaching_stems': draw(st.lists(required.map(lambda s: s[:40]), max_size=3)),
            'evidence_scale': draw(st.lists(text, max_size=4)),
            'themes': themes,
        }
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(decks())
def test_generated_decks_round_trip_through_yaml(deck: Deck) -> None:
    assert parse_deck(authoring.deck_yaml(deck), 'round-trip.yaml') == deck


@pytest.mark.parametrize('deck_id', sorted(library.shipped().decks))
def test_shipped_decks_round_trip_and_their_points_survive_the_editing_text(deck_id: str) -> None:
    deck = library.shipped().get(deck_id)
    assert parse_deck(authoring.deck_yaml(deck)) == deck
    data = authoring.deck_data(deck)
    for theme in data['themes']:
        for card_data in theme.get('cards', []):
            lists = [card_data.get(k, []) for k in ('lead_points', 'prompts', 'footnotes')]
            lists += [group['items'] for group in card_data.get('groups', [])]
            for items in lists:
                assert authoring.points_from_text(authoring.points_to_text(items)) == items


def test_the_editing_text_of_points() -> None:
    typed = (
        'For the individual, progression can:\n'
        '  enhance their sense of self worth\n'
        'a) be motivating\n'
        'Steps:\n'
        '    1. first\n'
        '    2. second\n'
        '- A bulleted top-level prompt\n'
        '\n'
        'Partners:\n'
        '\t- schools\n'
        '\t\tsixth forms\n'
    )
    assert authoring.points_from_text(typed) == [
        {
            'text': 'For the individual, progression can:',
            'points': ['enhance their sense of self worth', 'be motivating'],
        },
        {'text': 'Steps:', 'points': ['first', 'second'], 'numbering': 'numbers'},
        'A bulleted top-level prompt',
        {'text': 'Partners:', 'points': [{'text': 'schools', 'points': ['sixth forms']}], 'numbering': 'bullets'},
    ]
    assert authoring.points_to_text(authoring.points_from_text(typed)).splitlines()[:3] == [
        'For the individual, progression can:',
        '    a) enhance their sense of self worth',
        '    b) be motivating',
    ]
    assert authoring.points_from_text('a) alone at the top') == ['a) alone at the top']
    assert authoring.points_from_text('* Leitch, 2006') == ['* Leitch, 2006']


def test_editing_helpers_add_issues_and_cards_with_free_numbers() -> None:
    draft = authoring.skeleton()
    theme = authoring.new_theme(draft)
    assert (theme['number'], [c['id'] for c in theme['cards']]) == (2, ['2.1'])
    checklist = authoring.new_card(draft, theme, 'checklist')
    assert checklist['id'] == '2.2' and checklist['kind'] == 'checklist'
    assert authoring.validate_draft(draft) == []
    themes = draft['themes']
    assert authoring.move(themes, 1, -1) == 0 and themes[0]['number'] == 2
    assert authoring.move(themes, 0, -1) == 0


# --- uploads -------------------------------------------------------------------------------------------------------

BOMB = '\n'.join(
    ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    + [f'{chr(97 + i)}: &{chr(97 + i)} [' + ','.join([f'*{chr(96 + i)}'] * 9) + ']' for i in range(1, 9)]
)


@pytest.mark.parametrize(
    ('data', 'expected'),
    [
        pytest.param(
            BOMB.encode(),
            ["deck.yaml:1:4: yaml: anchor '&a' is not allowed; write the content out in full"],
            id='alias-bomb',
        ),
        pytest.param(
            b'id: !!python/object/apply:os.system ["touch /tmp/cardkit-pwned"]\n',
            [
                "deck.yaml:1:5: yaml: tag '!!python/object/apply:os.system' is not allowed; "
                'a deck holds only text, numbers and lists'
            ],
            id='python-tag',
        ),
        pytest.param(
            b'id: x\n\x00\x01\x02',
            ['deck.yaml:2:1: file: contains binary data (a NUL byte); a deck is text'],
            id='binary',
        ),
        pytest.param(
            b'id: caf\xe9\n', ['deck.yaml:1:8: file: is not UTF-8 text (byte 0xe9); save it as UTF-8'], id='not-utf-8'
        ),
        pytest.param(
            b'id: a\nid: b\n',
            [
                'deck.yaml:1:1: title: is required but missing',
                'deck.yaml:1:1: themes: is required but missing',
                "deck.yaml:2:1: id: duplicate key 'id' (first given on line 1)",
            ],
            id='duplicate-keys',
        ),
        pytest.param(
            b'- id: x\n- title: y\n',
            [
                'deck.yaml:1:1: deck: the top level must be a mapping of deck fields (id, title, themes, ...), '
                'not a list'
            ],
            id='list-at-top',
        ),
        pytest.param(b'', ['deck.yaml: file: is empty; a deck needs at least id, title and themes'], id='empty'),
        pytest.param(
            b'id: x\n' + b'# padding\n' * 200_000,
            [f'deck.yaml: file: is larger than {MAX_BYTES:,} bytes; a deck must be smaller'],
            id='two-megabytes',
        ),
    ],
)
def test_hostile_uploads_are_refused_with_a_message_and_nothing_is_kept(data: bytes, expected: list[str]) -> None:
    with pytest.raises(DeckError) as caught:
        db.run(authoring.upload_yaml, filename='deck.yaml', data=data)
    assert [str(p) for p in caught.value.problems] == expected
    assert db.run(authoring.org_decks) == []
    assert not Path('/tmp/cardkit-pwned').exists()


@pytest.mark.parametrize(
    ('name', 'shown'),
    [
        ('../../etc/passwd.yaml', 'passwd.yaml'),
        ('..\\evil.yaml', 'evil.yaml'),
        ('C:\\decks\\..\\x.yaml', 'x.yaml'),
        ('/abs/path/deck.yaml', 'deck.yaml'),
        ('..', 'upload.yaml'),
        ('', 'upload.yaml'),
        ('a\x00b\nc.yaml', 'abc.yaml'),
    ],
)
def test_file_names_are_only_shown_never_used_as_paths(name: str, shown: str, tmp_path: Path) -> None:
    before = set(Path.cwd().iterdir()) | set(Path.cwd().parent.iterdir())
    with pytest.raises(DeckError) as caught:
        db.run(authoring.upload_yaml, filename=name, data=b'id: x\n')
    assert all(p.file == shown for p in caught.value.problems)
    row = db.run(authoring.upload_yaml, filename=name, data=GOOD)
    assert db.run(authoring.get, org_deck_id=row.id).deck_id.startswith('mini')
    assert set(Path.cwd().iterdir()) | set(Path.cwd().parent.iterdir()) == before
    assert not Path('/etc/passwd.yaml').exists()
    assert [v.note for v in db.run(authoring.versions, org_deck_id=row.id)] == [f'From {shown}']


def test_an_uploaded_deck_with_a_taken_id_is_renamed() -> None:
    data = (ROOT / 'decks' / 'card-activity.yaml').read_bytes()
    first = db.run(authoring.upload_yaml, filename='card-activity.yaml', data=data)
    second = db.run(authoring.upload_yaml, filename='card-activity.yaml', data=data)
    assert (first.deck_id, first.based_on) == ('card-activity-2', 'card-activity')
    assert second.deck_id == 'card-activity-3'
    assert db.run(authoring.deck_for_session, deck_ref=f'org:{first.id}').id == 'card-activity-2'


def test_a_filled_word_template_is_imported() -> None:
    from docx import Document

    document = Document(io.BytesIO(_docx_bytes(blank_template())))
    cells = {
        label: [row.cells[1] for table in document.tables for row in table.rows if row.cells[0].text.strip() == label]
        for label in ('Deck title', 'Strategic issue number', 'Strategic issue title', LEAD, PROMPTS)
    }
    cells['Deck title'][0].text = 'Employer links'
    cells['Strategic issue number'][0].text = '7'
    cells['Strategic issue title'][0].text = 'Working with employers.'
    cells[LEAD][0].text = 'How do employers support progression?'
    cells[PROMPTS][0].text = 'Employers can offer placements.'
    row = db.run(authoring.import_word_template, filename='../filled.docx', data=_docx_bytes(document))
    deck = db.run(authoring.deck_for_session, deck_ref=f'org:{row.id}')
    assert (deck.title, deck.cards[0].lead) == ('Employer links', 'How do employers support progression?')
    with pytest.raises(DeckError) as caught:
        db.run(authoring.import_word_template, filename='..\\notes.docx', data=b'not a zip')
    assert caught.value.problems[0].file == 'notes.docx'


def _docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- writing to a folder -------------------------------------------------------------------------------------------


def test_write_to_folder_writes_the_deck_inside_the_folder_only(tmp_path: Path) -> None:
    folder = tmp_path / 'decks'
    folder.mkdir()
    row = db.run(authoring.copy_shipped, deck_id='card-activity')
    path = db.run(authoring.write_to_folder, org_deck_id=row.id, folder=folder)
    assert path == folder / 'card-activity-ours.yaml'
    assert parse_deck(path.read_bytes()) == authoring.draft_deck(row.draft)
    assert sorted(p.name for p in folder.iterdir()) == ['card-activity-ours.yaml']

    draft = db.run(authoring.get, org_deck_id=row.id).draft
    db.run(authoring.save_draft, org_deck_id=row.id, draft=dict(draft, id='../../escaped'))
    with pytest.raises(DeckError):
        db.run(authoring.write_to_folder, org_deck_id=row.id, folder=folder)
    assert not (tmp_path.parent / 'escaped.yaml').exists()

    db.run(authoring.save_draft, org_deck_id=row.id, draft=dict(draft, id='linked'))
    outside = tmp_path / 'outside.yaml'
    outside.write_text('keep me', encoding='utf-8')
    os.symlink(outside, folder / 'linked.yaml')
    with pytest.raises(InputError, match='outside'):
        db.run(authoring.write_to_folder, org_deck_id=row.id, folder=folder)
    assert outside.read_text(encoding='utf-8') == 'keep me'
    with pytest.raises(InputError, match='is not a folder'):
        db.run(authoring.write_to_folder, org_deck_id=row.id, folder=tmp_path / 'missing')
