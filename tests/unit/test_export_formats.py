"""CSV, Markdown and JSON exports of a session (SQLite and PostgreSQL): CSV with a BOM, term order and neutralised
formulas; Markdown tables with escaped pipes and line breaks; JSON that round-trips byte for byte through a fresh
database and refuses bad files with clear messages; arbitrary text in every format; the sessions/export/import
commands."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardkit import cli, db
from cardkit import sessions as svc
from cardkit.deck import Deck
from cardkit.deckfile import load_deck
from cardkit.export.formats import (
    CSV_HEADER,
    actions_csv,
    actions_markdown,
    import_session_json,
    session_data,
    session_json,
    write_export,
)
from cardkit.models import Note

ROOT = Path(__file__).resolve().parents[2]
DECK = Deck.model_validate(
    {
        'id': 'mini',
        'title': 'Mini deck',
        'evidence_scale': ['None', 'Weak', 'Strong'],
        'themes': [
            {
                'number': 1,
                'title': 'Exploring',
                'cards': [{'id': '1.1', 'lead': 'What does progression mean?', 'prompts': ['Lateral or vertical.']}],
            },
            {
                'number': 2,
                'title': 'Checklist',
                'cards': [
                    {
                        'id': 'L',
                        'kind': 'checklist',
                        'lead': 'Learners',
                        'groups': [{'items': ['Sets targets', 'Reflects']}],
                    }
                ],
            },
            {'number': 6, 'title': 'Actions', 'cards': [{'id': '6.1', 'lead': 'What do we need to do next?'}]},
        ],
    }
)


def build_session() -> svc.CardSession:
    """Notes, a question, a rating, a hidden note and actions in all three terms (one with a formula-like cell)."""
    session = db.run(
        svc.start_session,
        deck=DECK,
        title='Planning | day',
        theme_numbers=[1, 2, 6],
        held_on=date(2026, 12, 1),
        people=[svc.PersonIn('Ann', 'Principal', 'College', 'Budget')],
    )
    sid = session.id
    db.run(svc.add_note, session_id=sid, card_id='1.1', text='Vertical and lateral', author='Ann')
    db.run(svc.add_note, session_id=sid, card_id='1.1', kind='question', stem='who', text='Who decides?')
    db.run(
        svc.rate_item, session_id=sid, card_id='L', item_key='1.2', rating=2, evidence='Reflective logs', needs='More'
    )
    from cardkit import workshop

    db.run(workshop.hide_note, note_id=db.run(svc.add_note, session_id=sid, card_id='6.1', text='Hidden remark').id)
    db.run(svc.add_action, session_id=sid, what='Brief governors', term='long', who='Ann', card_id='6.1')
    db.run(
        svc.add_action,
        session_id=sid,
        what='=HYPERLINK("http://x")',
        term='medium',
        who='+Raj',
        resources='@budget',
        status='in progress',
        target_date='2027-03-01',
        card_id='L',
    )
    db.run(
        svc.add_action,
        session_id=sid,
        what='Map data\nacross | teams',
        term='short',
        who='-Sam',
        resources='MIS',
        card_id='1.1',
    )
    db.run(svc.go_to_card, session_id=sid, card_id='6.1')
    return db.run(svc.get_session, session_id=sid)


# --- CSV and Markdown ------------------------------------------------------------------------------------------------


def test_csv_has_bom_term_order_and_neutralised_formulas(database, tmp_path):
    session = build_session()
    path = db.run(write_export, session_id=session.id, fmt='csv', out=tmp_path / 'actions.csv')
    raw = path.read_bytes()
    assert raw.startswith(b'\xef\xbb\xbf')
    rows = list(csv.reader(io.StringIO(raw.decode('utf-8-sig'), newline='')))
    assert tuple(rows[0]) == CSV_HEADER
    assert [row[0] for row in rows[1:]] == ['Short term', 'Medium term', 'Long term']
    source = '1.1 What does progression mean?'  # the card's number and its question, as the deck words it
    assert rows[1] == ['Short term', 'Map data\nacross | teams', "'-Sam", 'MIS', 'proposed', '', source, '']
    assert rows[2] == [
        'Medium term',
        '\'=HYPERLINK("http://x")',
        "'+Raj",
        "'@budget",
        'in progress',
        '2027-03-01',
        'Learners',
        '',
    ]
    assert db.run(actions_csv, session_id=session.id) == raw.decode('utf-8-sig')


def test_markdown_tables_per_term(database):
    session = build_session()
    text = db.run(actions_markdown, session_id=session.id)
    lines = text.splitlines()
    assert lines[0] == '# Action plan: Planning \\| day'
    assert [line for line in lines if line.startswith('## ')] == ['## Short term', '## Medium term', '## Long term']
    rows = [line for line in lines if line.startswith('| ') and not line.startswith('| What')]
    assert rows[0] == '| Map data<br>across \\| teams | -Sam | MIS | proposed |  | 1.1 What does progression mean? |  |'
    assert rows[1].startswith('| =HYPERLINK("http://x") | +Raj | @budget | in progress | 2027-03-01 | Learners |')
    assert all(line.count(' | ') == 6 for line in rows)  # seven cells: no pipe or newline broke a row


def test_source_cards_keep_their_whole_lead_question(database):
    deck = load_deck(Path(__file__).resolve().parents[2] / 'decks' / 'card-activity.yaml')
    session = db.run(svc.start_session, deck=deck, title='Why', theme_numbers=[1])
    db.run(svc.add_action, session_id=session.id, what='Ask the learners', term='short', card_id='1.2')
    whole = '1.2 Why is progression important: to individual learners? to your organisation? nationally?'
    rows = list(csv.reader(io.StringIO(db.run(actions_csv, session_id=session.id), newline='')))
    assert rows[1][CSV_HEADER.index('Source card')] == whole
    assert f'| {whole} |' in db.run(actions_markdown, session_id=session.id)


def test_markdown_empty_terms_and_html_escaped(database):
    session = db.run(svc.start_session, deck=DECK, title='Empty', theme_numbers=[1])
    db.run(svc.add_action, session_id=session.id, what='<script>alert(1)</script> & more', term='long')
    text = db.run(actions_markdown, session_id=session.id)
    assert text.count('No actions.') == 2
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; more' in text


def test_markdown_brings_no_link_or_image_to_life(database):
    """A shown Markdown file must not link to a script or fetch a tracker's image from what someone typed."""
    session = db.run(svc.start_session, deck=DECK, title='[Click](javascript:alert(1))', theme_numbers=[1])
    db.run(
        svc.add_action,
        session_id=session.id,
        what='See ![pixel](https://tracker.example/p.gif) and [here](javascript:alert(1)) or <https://evil.example>',
        term='short',
    )
    text = db.run(actions_markdown, session_id=session.id)
    assert '](' not in text.replace('\\](', '')
    assert '\\[here\\](javascript:alert(1))' in text and '!\\[pixel\\](https://tracker.example/p.gif)' in text
    assert '<https://' not in text and '&lt;https://evil.example&gt;' in text
    assert text.splitlines()[0] == '# Action plan: \\[Click\\](javascript:alert(1))'


# --- JSON ------------------------------------------------------------------------------------------------------------


def test_json_format_is_documented_shape(database):
    session = build_session()
    text = db.run(session_json, session_id=session.id)
    data = json.loads(text)
    assert (data['format'], data['version']) == ('cardkit-session', 1)
    assert sorted(data) == ['actions', 'deck', 'format', 'notes', 'people', 'session', 'version']
    assert data['session']['held_on'] == '2026-12-01' and data['session']['card_ids'] == ['1.1', 'L', '6.1']
    assert data['deck'] == DECK.model_dump(mode='json')
    assert [a['term'] for a in data['actions']] == ['short', 'medium', 'long']
    assert data['notes'][2] == {
        'card_id': 'L',
        'kind': 'rating',
        'text': 'Reflective logs',
        'author': '',
        'hidden': False,
        'item_key': '1.2',
        'rating': 2,
        'needs': 'More',
    }
    assert data['notes'][3]['hidden'] is True
    assert 'id' not in data['session'] and 'facilitator_key' not in text
    assert text == json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + '\n'


def test_json_round_trip_through_a_fresh_database_is_byte_identical(database, tmp_path, monkeypatch):
    session = build_session()
    follow_up = db.run(svc.start_session, deck=DECK, title='Later', theme_numbers=[6], follow_up_of=session.id)
    db.run(
        svc.update_action,
        action_id=db.run(svc.actions, session_id=follow_up.id)[0].id,
        review='Started',
        status='in progress',
    )
    first, second = db.run(session_json, session_id=session.id), db.run(session_json, session_id=follow_up.id)
    original_key = session.facilitator_key

    monkeypatch.setenv('DATABASE_URL', f'sqlite:///{tmp_path / "other.db"}')
    db.reset()
    assert db.run(svc.list_sessions) == []
    imported = db.run(import_session_json, data=first)
    assert db.run(session_json, session_id=imported.id) == first
    assert imported.facilitator_key != original_key
    again = db.run(import_session_json, data=second.encode('utf-8'))
    assert db.run(session_json, session_id=again.id) == second
    carried = json.loads(second)['actions']
    assert carried[0]['progress'] == 'Started' and '1.1' in [a['card_id'] for a in carried]  # a card not in play


@pytest.mark.parametrize(
    ('change', 'message'),
    [
        (lambda d: '{"format": ', 'not valid JSON: line 1 column 12'),
        (lambda d: [], 'a session file holds a JSON object, not list'),
        (lambda d: d | {'format': 'something-else'}, 'not a Cardkit session file: \'format\' is "something-else"'),
        (lambda d: d | {'version': 2}, 'session file version 2 is not supported (this Cardkit reads version 1)'),
        (lambda d: {k: v for k, v in d.items() if k != 'notes'}, 'notes: is missing'),
        (lambda d: d | {'extra': 1}, 'extra: is not a field of this format'),
        (lambda d: d | {'actions': [d['actions'][0] | {'term': 'soon'}]}, "actions[0].term: Input should be 'short'"),
        (
            lambda d: d | {'actions': [d['actions'][0] | {'target_date': '31/12/2026'}]},
            "actions[0].target_date: '31/12/2026' is not a date like 2026-12-31",
        ),
        (
            lambda d: d | {'notes': [d['notes'][0] | {'card_id': '9.9'}]},
            "notes[0].card_id: card '9.9' is not in the session",
        ),
        (
            lambda d: d | {'notes': [d['notes'][1] | {'stem': 'why'}]},
            "notes[0].stem: 'why' is not one of the deck's stems",
        ),
        (lambda d: d | {'notes': [d['notes'][2] | {'rating': 7}]}, 'notes[0].rating: must be 0 to 2 or null'),
        (
            lambda d: d | {'notes': [d['notes'][0] | {'text': 'x' * 4001}]},
            'notes[0].text: String should have at most 4000',
        ),
        (lambda d: d | {'deck': d['deck'] | {'themes': []}}, 'deck.themes: List should have at least 1 item'),
        (lambda d: d | {'session': d['session'] | {'card_ids': ['1.1']}}, 'session.card_ids: do not match'),
        (lambda d: d | {'session': d['session'] | {'title': 5}}, 'session.title: Input should be a valid string'),
    ],
)
def test_bad_json_gives_clear_messages(database, change, message):
    data = db.run(session_data, session_id=build_session().id)
    before = len(db.run(svc.list_sessions))
    changed = change(data)
    with pytest.raises(ValueError) as error:
        db.run(import_session_json, data=changed if isinstance(changed, str) else json.dumps(changed))
    assert message in str(error.value)
    assert len(db.run(svc.list_sessions)) == before  # nothing half-imported


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(ValueError, match='not UTF-8 text'):
        db.run(import_session_json, data=b'\xff\xfe{}')


# --- arbitrary text --------------------------------------------------------------------------------------------------

SPECIAL = [
    'emoji 👩🏽‍🏫🚀',
    'RTL مرحبا بالعالم \u202eevil\u202c',
    '<b>bold</b> & <script>x</script>',
    '=1+2',
    '|a|b|',
    'line\nbreak\r\nand\rreturns',
    'nul\x00 bell\x07 esc\x1b',
    'not XML \ufffe\uffff',
    '"quoted", comma',
]
TEXT = st.one_of(st.text(max_size=120), st.sampled_from(SPECIAL))


def _export_everything(session_id: int, folder: Path) -> None:
    for fmt in ('docx', 'csv', 'md', 'json'):
        path = db.run(write_export, session_id=session_id, fmt=fmt, out=folder / f'out.{fmt}')
        assert path.stat().st_size > 0
    docx.Document(str(folder / 'out.docx'))
    assert json.loads((folder / 'out.json').read_text(encoding='utf-8'))['format'] == 'cardkit-session'


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=TEXT, what=TEXT, name=TEXT, who=TEXT)
def test_arbitrary_text_exports_in_every_format(database, tmp_path, note, what, name, who):
    session = db.run(
        svc.start_session,
        deck=DECK,
        title=f'T {name[:150]}',
        theme_numbers=[1, 2],
        people=[svc.PersonIn(f'P {name[:150]}', who[:150], '', note)],
    )
    db.run(svc.add_note, session_id=session.id, card_id='1.1', text=f'n {note}', author=name[:150])
    db.run(svc.add_note, session_id=session.id, card_id='1.1', kind='question', stem='how', text=f'How {what}')
    db.run(svc.rate_item, session_id=session.id, card_id='L', item_key='1.1', rating=0, evidence=note, needs=what)
    db.run(svc.add_action, session_id=session.id, what=f'a {what}', who=who[:150], resources=note, term='medium')
    _export_everything(session.id, tmp_path)
    assert (
        db.run(import_session_json, data=(tmp_path / 'out.json').read_bytes()).title
        == db.run(svc.get_session, session_id=session.id).title
    )


def test_a_100000_character_note_exports_but_is_refused_on_import(tmp_path):
    session = db.run(svc.start_session, deck=DECK, title='Long note', theme_numbers=[1])
    long_text = ('Progression 👩🏽‍🏫 مرحبا <b>x</b> | ' * 4000)[:100_000]
    with db.write() as s:  # older data or another client may hold more than the input limit
        s.add(Note(session_id=session.id, card_id='1.1', text=long_text, position=1))
    db.run(svc.add_action, session_id=session.id, what='A short action', resources='r')
    _export_everything(session.id, tmp_path)
    document = docx.Document(str(tmp_path / 'out.docx'))
    assert any(p.text == long_text for p in document.paragraphs)
    with pytest.raises(ValueError, match=r'notes.0..text: String should have at most 4000 characters'):
        db.run(import_session_json, data=(tmp_path / 'out.json').read_bytes())


# --- commands --------------------------------------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sessions_command_lists_sessions(capsys):
    assert run(capsys, 'sessions') == (0, '', 'no sessions yet\n')
    session = build_session()
    code, out, _ = run(capsys, 'sessions')
    assert code == 0
    header, row = out.splitlines()
    assert header.split() == ['ID', 'DATE', 'TITLE', 'DECK', 'NOTES', 'ACTIONS']
    assert row.split()[:2] == [str(session.id), '2026-12-01'] and row.split()[-2:] == ['4', '3']
    assert 'Planning | day' in row and 'Mini deck' in row


@pytest.mark.parametrize('fmt', ['docx', 'csv', 'md', 'json'])
def test_export_command_writes_and_prints_the_path(capsys, tmp_path, fmt):
    session = build_session()
    code, out, err = run(capsys, 'export', str(session.id), '--format', fmt, '--out', str(tmp_path))
    assert code == 0
    path = Path(out.strip())
    assert path.parent == tmp_path and path.suffix == f'.{fmt}' and path.stat().st_size > 0
    if fmt == 'docx':
        assert err.splitlines()[0] == '  0% Reading the session' and err.splitlines()[-1] == '100% Report ready'
        assert len(err.splitlines()) <= 6  # a few lines when stderr is not a terminal
    else:
        assert err == ''


def test_export_command_errors_are_one_line(capsys, tmp_path):
    session = build_session()
    missing = tmp_path / 'missing'
    cases = [
        (('export', '999'), 'cardkit: no session 999; `cardkit sessions` lists them\n'),
        (('export', 'abc'), "cardkit: 'abc' is not a session id; give the number shown by `cardkit sessions`\n"),
        (
            ('export', str(session.id), '--out', str(missing / 'r.docx')),
            f'cardkit: cannot write {missing / "r.docx"}: the folder {missing} does not exist\n',
        ),
    ]
    for argv, message in cases:
        assert run(capsys, *argv) == (1, '', message)


def test_import_command(capsys, tmp_path):
    session = build_session()
    exported = tmp_path / 'session.json'
    exported.write_text(db.run(session_json, session_id=session.id), encoding='utf-8')
    code, out, err = run(capsys, 'import', str(exported))
    assert (code, err) == (0, '') and int(out) != session.id
    assert db.run(session_json, session_id=int(out)) == db.run(session_json, session_id=session.id)

    deck_file = ROOT / 'decks' / 'progress-reviews.yaml'
    code, out, err = run(capsys, 'import', str(deck_file))
    assert code == 1 and 'is a deck file' in err and 'cardkit validate' in err and err.count('\n') == 1
    word = tmp_path / 'cards.docx'
    word.write_bytes(b'PK\x03\x04')
    code, _, err = run(capsys, 'import', str(word))
    assert code == 1 and 'use `cardkit import-template' in err
    broken = tmp_path / 'broken.json'
    broken.write_text('{"format": "cardkit-session", "version": 1', encoding='utf-8')
    assert run(capsys, 'import', str(broken)) == (
        1,
        '',
        f"cardkit: {broken}: not valid JSON: line 1 column 43: Expecting ',' delimiter\n",
    )
    code, _, err = run(capsys, 'import', str(tmp_path / 'nope.json'))
    assert (code, err) == (1, f'cardkit: cannot read {tmp_path / "nope.json"}: No such file or directory\n')


def test_checklist_deck_session_exports(database, tmp_path):
    deck = load_deck(ROOT / 'decks' / 'progress-reviews.yaml')
    session = db.run(svc.start_session, deck=deck, title='Progress reviews', theme_numbers=[1, 2])
    db.run(
        svc.rate_item,
        session_id=session.id,
        card_id='teachers',
        item_key='1.6',
        rating=1,
        evidence='Homework log',
        needs='Feedback within a week',
    )
    db.run(svc.add_action, session_id=session.id, what='Audit homework feedback', card_id='teachers')
    _export_everything(session.id, tmp_path)
    rows = list(csv.reader(io.StringIO((tmp_path / 'out.csv').read_text(encoding='utf-8-sig'))))
    assert rows[1][6] == 'Teachers'
