"""The Word report of a session (SQLite and PostgreSQL): the saved .docx opened again and checked paragraph by
paragraph (title, headings in order, notes as List Bullet, coaching questions by stem, evidence ratings, action
tables by term with repeating header rows, A4, page-number footer, contents with page references), every word of
the deck kept (lead-question points, footnote marks, source cards' questions, the deck's own labels), unrated
items summed up, text a Word file cannot hold cleaned away, file names, progress, groups and follow-up sessions.
tests/unit/test_report_render.py renders reports through LibreOffice."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.shared import Mm

from cardkit import config, db, workshop
from cardkit import sessions as svc
from cardkit.deck import Deck
from cardkit.deckfile import load_deck
from cardkit.export.docx_common import is_repeated_header
from cardkit.export.report import (
    ACTION_HEADER,
    RATING_HEADER,
    card_heading,
    safe_file_stem,
    session_report,
    write_report,
)
from cardkit.models import WayOfWorking

ROOT = Path(__file__).resolve().parents[2]
CARD_ACTIVITY = ROOT / 'decks' / 'card-activity.yaml'
INLINE_DECK = Deck.model_validate(
    {
        'id': 'card-activity',
        'title': 'Supporting learner progression',
        'theme_label': 'Strategic issue',
        'source': {'title': 'Supporting learner progression: the card activity'},
        'themes': [
            {
                'number': 1,
                'title': 'Exploring the idea of progression.',
                'cards': [
                    {
                        'id': '1.1',
                        'lead': "What does the term 'progression' mean to you?",
                        'prompts': [
                            'Progression may be lateral or vertical, or a mixture of both.',
                            {
                                'text': 'For the individual, progression can:',
                                'points': ['raise aspirations', 'build confidence'],
                            },
                        ],
                    },
                    {'id': '1.2', 'lead': 'Why is progression important?'},
                ],
            },
            {
                'number': 6,
                'title': 'Strategic actions required to support learner progression?',
                'cards': [{'id': '6.1', 'lead': 'What are your strategic priorities?'}],
            },
        ],
    }
)


def activity_deck() -> Deck:
    """The shipped card activity deck when it is there, else a small deck of the same shape."""
    return load_deck(CARD_ACTIVITY) if CARD_ACTIVITY.exists() else INLINE_DECK


def build_session(deck: Deck | None = None) -> svc.CardSession:
    """A realistic session on themes 1 and 6: people, notes, coaching questions and actions in all three terms."""
    deck = deck or activity_deck()
    session = db.run(
        svc.start_session,
        deck=deck,
        title='SMT away day: learner progression',
        theme_numbers=[1, 6],
        held_on=date(2026, 12, 1),
        way_of_working=WayOfWorking.SMT.value,
        people=[
            svc.PersonIn('Ann Smith', 'Principal', 'Northgate College', 'The strategic view'),
            svc.PersonIn('Raj Patel', 'Head of data', 'Northgate College', 'Destination data'),
        ],
    )
    first, last = deck.theme(1).cards[0].id, deck.theme(6).cards[0].id
    db.run(svc.add_note, session_id=session.id, card_id=first, text='Progression is not only vertical')
    db.run(svc.add_note, session_id=session.id, card_id=first, text='All learners are on a progression pathway')
    db.run(svc.add_note, session_id=session.id, card_id=first, kind='question', stem='how', text='How do we track it?')
    db.run(svc.add_note, session_id=session.id, card_id=first, kind='question', stem='who', text='Who decides?')
    db.run(
        svc.add_note, session_id=session.id, card_id=first, kind='question', stem='who', text='Who else needs to know?'
    )
    db.run(svc.add_note, session_id=session.id, card_id=last, text='Agree a progression strategy this year')
    db.run(
        svc.add_action,
        session_id=session.id,
        what='Map destination data',
        term='short',
        who='Raj',
        resources='MIS team',
        status='agreed',
        target_date='2027-01-31',
        card_id=first,
    )
    db.run(svc.add_action, session_id=session.id, what='Brief governors', term='long', who='Ann', card_id=last)
    db.run(
        svc.add_action, session_id=session.id, what='Review tutorial scheme', term='medium', who='Ann', card_id=first
    )
    db.run(svc.add_action, session_id=session.id, what='Share the report with staff', term='short', who='Raj')
    db.run(svc.go_to_card, session_id=session.id, card_id=last)
    return db.run(svc.get_session, session_id=session.id)


def reopen(path: Path) -> docx.document.Document:
    return docx.Document(str(path))


def styled(document, *names: str) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name in names]


def table_texts(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_report_structure(database):
    deck = activity_deck()
    session = build_session(deck)
    path = db.run(write_report, session_id=session.id)
    document = reopen(path)

    assert styled(document, 'Title') == [('Title', 'SMT away day: learner progression')]
    body = '\n'.join(p.text for p in document.paragraphs)
    for expected in (
        'Date: 1 December 2026',
        f'Deck: {deck.title}',
        f'version {deck.version}',
        f'Source: {deck.source.title}',
        'Way of working: With your senior management team',
    ):
        assert expected in body
    people = next(t for t in document.tables if table_texts(t)[0][0] == 'Name')
    assert table_texts(people)[1:] == [
        ['Ann Smith', 'Principal', 'Northgate College', 'The strategic view'],
        ['Raj Patel', 'Head of data', 'Northgate College', 'Destination data'],
    ]

    expected = []
    for number in (1, 6):
        theme = deck.theme(number)
        expected.append(('Heading 1', f'Strategic issue {number}: {theme.title}'))
        expected += [('Heading 2', card_heading(card)) for card in theme.cards]
    expected += [
        ('Heading 1', 'Action plan'),
        ('Heading 2', 'Short term'),
        ('Heading 2', 'Medium term'),
        ('Heading 2', 'Long term'),
        ('Heading 1', 'Appendix: discussion prompts'),
    ]
    assert styled(document, 'Heading 1', 'Heading 2') == expected
    assert card_heading(deck.card('1.1')) == f'1.1 {deck.card("1.1").lead}'

    bullets = [text for _, text in styled(document, 'List Bullet')]
    notes = [
        'Progression is not only vertical',
        'All learners are on a progression pathway',
        'Who decides?',
        'Who else needs to know?',
        'How do we track it?',
        'Agree a progression strategy this year',
    ]
    assert bullets[: len(notes)] == notes  # questions grouped by stem in the deck's order: who before how
    texts = [p.text for p in document.paragraphs]
    texts = texts[texts.index('Contents') :]
    order = [texts.index(text) for text in ('Who …', 'Who decides?', 'How …', 'How do we track it?')]
    assert order == sorted(order)
    first_prompt = deck.card('1.1').prompts[0].text
    assert first_prompt in bullets[len(notes) :]  # the appendix


def test_action_tables_by_term_with_repeating_headers(database):
    session = build_session()
    document = reopen(db.run(write_report, session_id=session.id))
    tables = [table_texts(t) for t in document.tables if tuple(table_texts(t)[0]) == ACTION_HEADER]
    assert [[row[0] for row in table[1:]] for table in tables] == [
        ['Map destination data', 'Share the report with staff'],
        ['Review tutorial scheme'],
        ['Brief governors'],
    ]
    lead = activity_deck().card('1.1').lead
    assert tables[0][1] == ['Map destination data', 'Raj', 'MIS team', 'Agreed', '31 Jan 2027', f'1.1 {lead}']
    assert tables[0][2][-1] == ''  # an action from no card
    action_tables = [t for t in document.tables if tuple(table_texts(t)[0]) == ACTION_HEADER]
    assert all(is_repeated_header(t.rows[0]) for t in action_tables)
    assert not any(is_repeated_header(row) for t in action_tables for row in t.rows[1:])


def test_page_setup_footer_and_contents(database):
    session = build_session()
    document = reopen(db.run(write_report, session_id=session.id))
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    footer_xml = section.footer._element.xml
    assert ' PAGE ' in footer_xml and ' NUMPAGES ' in footer_xml
    assert 'w:updateFields' in document.settings.element.xml  # Word works the page references out on opening

    # each contents entry: the heading's text, a link to a bookmark on that very heading and a PAGEREF field to it
    headings = {}
    for paragraph in document.paragraphs:
        if paragraph.style.name in ('Heading 1', 'Heading 2'):
            for name in paragraph._p.xpath('./w:bookmarkStart/@w:name'):
                headings[name] = paragraph.text
    entries = contents_entries(document)
    assert [text for text, _, _ in entries] == [text for _, text in styled(document, 'Heading 1', 'Heading 2')]
    assert entries[0][0] == 'Strategic issue 1: ' + activity_deck().theme(1).title
    for text, link, reference in entries:
        assert link == reference and headings[link] == text
    assert len({link for _, link, _ in entries}) == len(entries)
    assert 'TOC \\o' not in document.element.body.xml  # no field left waiting for an update LibreOffice never makes


def test_empty_terms_say_no_actions_and_untouched_cards(database):
    session = db.run(svc.start_session, deck=INLINE_DECK, title='Quiet session', theme_numbers=[6])
    db.run(svc.add_action, session_id=session.id, what='Only a long-term action', term='long')
    document = reopen(db.run(write_report, session_id=session.id))
    texts = [p.text for p in document.paragraphs]
    plan = texts[len(texts) - texts[::-1].index('Action plan') :]  # the plan itself, not its TOC entry
    assert plan[:5] == ['Short term', 'No actions.', 'Medium term', 'No actions.', 'Long term']
    assert 'No notes were recorded.' in texts
    assert 'No one was recorded as involved.' in texts
    assert 'The cards in play have no discussion prompts.' in texts


def test_checklist_ratings_table(database):
    deck = load_deck(ROOT / 'decks' / 'progress-reviews.yaml')
    session = db.run(svc.start_session, deck=deck, title='Progress reviews', theme_numbers=[1])
    db.run(
        svc.rate_item,
        session_id=session.id,
        card_id='learners',
        item_key='1.2',
        rating=1,
        evidence='Learner files',
        needs='Monthly reviews',
    )
    document = reopen(db.run(write_report, session_id=session.id))
    table = next(table_texts(t) for t in document.tables if tuple(table_texts(t)[0]) == RATING_HEADER)
    items = dict(deck.card('learners').item_labels())
    assert table[1:] == [[items['1.2'], deck.evidence_scale[1], 'Learner files', 'Monthly reviews']]
    assert ('Heading 2', 'Learners') in styled(document, 'Heading 2')


def test_follow_up_shows_progress_of_carried_actions(database):
    first = build_session()
    follow_up = db.run(
        svc.start_session,
        deck=db.run(svc.deck_of, session=first),
        title='Three months on',
        theme_numbers=[6],
        follow_up_of=first.id,
    )
    carried = db.run(svc.actions, session_id=follow_up.id)
    assert carried
    db.run(svc.update_action, action_id=carried[0].id, review='Half the data is mapped')
    document = reopen(db.run(write_report, session_id=follow_up.id))
    what = [
        row.cells[0].text for t in document.tables for row in t.rows[1:] if tuple(table_texts(t)[0]) == ACTION_HEADER
    ]
    assert f'{carried[0].what}\nCarried over. Progress: Half the data is mapped' in what
    assert any('Carried over. Progress: no progress noted yet' in text for text in what)
    body = '\n'.join(p.text for p in document.paragraphs)
    assert 'Follows up: SMT away day: learner progression (1 December 2026)' in body


def test_group_notes_are_labelled_and_hidden_notes_left_out(database):
    session = db.run(svc.start_session, deck=INLINE_DECK, title='Groups', theme_numbers=[1])
    db.run(workshop.open_joining, session_id=session.id)
    code = db.run(svc.get_session, session_id=session.id).join_code
    group = db.run(workshop.create_group, session_id=session.id, name='Blue group', card_ids=['1.1'])
    member = db.run(workshop.join, code=code, name='Sam')
    db.run(workshop.move_to_group, participant_id=member.id, group_id=group.id)
    db.run(svc.add_note, session_id=session.id, card_id='1.1', text='A plenary note')
    db.run(workshop.participant_note, token=member.token, card_id='1.1', text='A blue group note')
    hidden = db.run(svc.add_note, session_id=session.id, card_id='1.1', text='Off-topic remark')
    db.run(workshop.hide_note, note_id=hidden.id)
    texts = [p.text for p in reopen(db.run(write_report, session_id=session.id)).paragraphs]
    assert texts.index('A plenary note') < texts.index('Blue group') < texts.index('A blue group note')
    assert 'Off-topic remark' not in texts


def test_progress_is_reported_in_order(database):
    session = build_session()
    seen: list[tuple[float, str]] = []
    db.run(session_report, session_id=session.id, progress=lambda fraction, label: seen.append((fraction, label)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] == 0.0 and fractions[-1] == 1.0
    assert len(seen) > 5 and all(label for _, label in seen)


def test_file_names_are_safe():
    stem = safe_file_stem('../../etc/passwd\x07 <Plan>: A|B?*' + 'x' * 200, 12, date(2026, 12, 1))
    assert '/' not in stem and '\\' not in stem and '..' not in stem and '\x07' not in stem
    assert len(stem) <= 80 and stem.endswith(' - session 12 - 2026-12-01')
    assert safe_file_stem('...', 3, date(2026, 1, 2)) == 'Session - session 3 - 2026-01-02'


def test_write_report_to_exports_folder_or_given_path(tmp_path):
    session = db.run(
        svc.start_session, deck=INLINE_DECK, title='Away day / 2026', theme_numbers=[1], held_on=date(2026, 12, 1)
    )
    path = db.run(write_report, session_id=session.id)
    assert path.parent == config.exports_dir()
    assert path.name == f'Away day 2026 - session {session.id} - 2026-12-01.docx'
    chosen = db.run(write_report, session_id=session.id, out=tmp_path / 'mine.docx')
    assert chosen == tmp_path / 'mine.docx' and reopen(chosen).paragraphs[0].text == 'Away day / 2026'
    assert not [p for p in tmp_path.iterdir() if p.name.startswith('.cardkit-')]
    with pytest.raises(svc.NotFound):
        db.run(write_report, session_id=9999)


def contents_entries(document) -> list[tuple[str, str, str]]:
    """(text, bookmark linked to, bookmark of the page reference) of each entry of the contents."""
    entries = []
    for paragraph in document.paragraphs:
        if paragraph.style.name.lower().startswith('toc ') and paragraph.style.name != 'TOC Heading':
            link = paragraph._p.xpath('./w:hyperlink/@w:anchor')
            fields = ' '.join(paragraph._p.xpath('.//w:instrText/text()')).split()
            reference = fields[1] if fields[:1] == ['PAGEREF'] else ''
            entries.append((paragraph.text.rstrip('\t'), link[0] if link else '', reference))
    return entries


# --- every word of the deck ----------------------------------------------------------------------------------------

AUDIENCES = ('to individual learners?', 'to your organisation?', 'nationally?')


def test_a_lead_questions_points_are_in_its_heading_the_contents_and_the_appendix(database):
    deck = load_deck(CARD_ACTIVITY)
    assert [p.text for p in deck.card('1.2').lead_points] == list(AUDIENCES)  # the card as the source has it
    session = db.run(svc.start_session, deck=deck, title='Why it matters', theme_numbers=[1])
    document = reopen(db.run(write_report, session_id=session.id))

    whole = 'Why is progression important: to individual learners? to your organisation? nationally?'
    assert ('Heading 2', f'1.2 {whole}') in styled(document, 'Heading 2')
    assert f'1.2 {whole}' in [text for text, _, _ in contents_entries(document)]
    appendix = [text for _, text in styled(document, 'Heading 3') if text.startswith('1.2 ')]
    assert appendix == [f'1.2 {whole}']


def test_a_footnote_keeps_the_mark_its_prompt_points_with(database):
    deck = load_deck(CARD_ACTIVITY)
    session = db.run(svc.start_session, deck=deck, title='Footnotes', theme_numbers=[1, 4])
    texts = [p.text for p in reopen(db.run(write_report, session_id=session.id)).paragraphs]

    prompt = next(t for t in texts if t.startswith('Nationally, learner progression is vital'))
    assert prompt.endswith('Leitch report.*')
    footnote = deck.card('1.2').footnotes[0].text
    assert f'* {footnote}' in texts and footnote not in texts  # the marked footnote follows its prompt
    assert texts.index(prompt) < texts.index(f'* {footnote}')
    # card 4.1: the first prompt ends 'learning *', the footnote is the line about where to find out more
    assert f'* {deck.card("4.1").footnotes[0].text}' in texts


def test_a_footnote_no_prompt_points_to_gets_no_mark(database):
    deck = load_deck(ROOT / 'decks' / 'progress-reviews.yaml')
    session = db.run(svc.start_session, deck=deck, title='Reviews', theme_numbers=[1])
    texts = [p.text for p in reopen(db.run(write_report, session_id=session.id)).paragraphs]
    footnote = deck.card('learners').footnotes[0].text
    assert footnote in texts and f'* {footnote}' not in texts


def test_an_actions_source_card_shows_its_number_and_question(database):
    deck = load_deck(CARD_ACTIVITY)
    session = db.run(svc.start_session, deck=deck, title='Next steps', theme_numbers=[1, 6])
    db.run(svc.add_action, session_id=session.id, what='Write the strategy', term='short', card_id='6.1')
    db.run(svc.add_action, session_id=session.id, what='Ask the learners', term='short', card_id='1.2')
    document = reopen(db.run(write_report, session_id=session.id))
    table = next(table_texts(t) for t in document.tables if tuple(table_texts(t)[0]) == ACTION_HEADER)
    assert [row[-1] for row in table[1:]] == [
        '6.1 What do we need to do next?',
        '1.2 Why is progression important: to individual learners? to your organisation? nationally?',
    ]


def test_the_decks_own_labels_are_used_as_written(database):
    own = Deck.model_validate(
        INLINE_DECK.model_dump()
        | {'id': 'huddles', 'theme_label': 'Huddle topic', 'coaching_stems': ['what', 'in what way']}
    )
    session = db.run(svc.start_session, deck=own, title='Team huddle', theme_numbers=[1, 6])
    db.run(svc.add_note, session_id=session.id, card_id='1.1', kind='question', stem='in what way', text='Does it?')
    document = reopen(db.run(write_report, session_id=session.id))
    body = '\n'.join(p.text for p in document.paragraphs)

    assert styled(document, 'Heading 1')[:2] == [
        ('Heading 1', 'Huddle topic 1: Exploring the idea of progression.'),
        ('Heading 1', 'Huddle topic 6: Strategic actions required to support learner progression?'),
    ]
    assert 'Huddle topic 1: Exploring the idea of progression.' in body.split('Contents')[0]  # the title page
    assert 'Strategic issue' not in body and 'Huddle topics' not in body  # neither the default nor a made-up plural
    assert 'In what way …' in body


def test_unrated_items_are_summed_up_not_listed(database):
    deck = load_deck(ROOT / 'decks' / 'progress-reviews.yaml')
    session = db.run(svc.start_session, deck=deck, title='On my own', mode='solo', theme_numbers=[1, 2])
    db.run(svc.rate_item, session_id=session.id, card_id='learners', item_key='1.1', rating=2, evidence='Files')
    document = reopen(db.run(write_report, session_id=session.id))
    texts = [p.text for p in document.paragraphs]
    learners, teachers = (dict(deck.card(c).item_labels()) for c in ('learners', 'teachers'))

    tables = [table_texts(t) for t in document.tables if tuple(table_texts(t)[0]) == RATING_HEADER]
    assert tables == [[list(RATING_HEADER), [learners['1.1'], deck.evidence_scale[2], 'Files', '']]]
    assert f'Not rated: {len(learners) - 1} of {len(learners)} items (in full in the appendix)' in texts
    assert f'Not rated: all {len(teachers)} items (in full in the appendix)' in texts
    names = texts[texts.index(f'Not rated: {len(learners) - 1} of {len(learners)} items (in full in the appendix)') + 1]
    assert names.startswith('Monitors own learning and progress; Sets own effective (challenging) targets; ')
    assert learners['1.1'].rstrip('.') not in names
    assert sum('Not rated' in t for t in texts) == 2  # one line per card, however many items


def test_a_rated_items_points_are_kept_and_unrated_ones_named_by_number(database):
    deck = load_deck(ROOT / 'decks' / 'personal-learning-planning.yaml')
    session = db.run(svc.start_session, deck=deck, title='Year 9', theme_numbers=[1])
    db.run(svc.rate_item, session_id=session.id, card_id='year-9', item_key='1.3', rating=1, needs='Write it down')
    document = reopen(db.run(write_report, session_id=session.id))
    table = next(table_texts(t) for t in document.tables if tuple(table_texts(t)[0]) == RATING_HEADER)
    item = deck.card('year-9').groups[0].items[2]
    assert table[1][0].split('\n') == [
        f'Careers Adviser objectives: {item.text}',
        *[f'   • {point.text}' for point in item.points],
    ]
    texts = [p.text for p in document.paragraphs]
    names = next(t for t in texts if t.startswith('Careers Adviser objectives: 1. '))
    assert '; 2. Ensure all Year 9 tutors' in names and '3. ' not in names


def test_text_a_word_file_cannot_hold_is_cleaned_away():
    from cardkit.export.report import ReportData, build_report, report_bytes
    from cardkit.models import Action, CardSession, Note, Person

    session = CardSession(
        id=1,
        title='Away\x07 day\x00',
        held_on=date(2026, 12, 1),
        way_of_working=WayOfWorking.SMT.value,
        mode='facilitated',
        stored_deck_id=1,
        theme_numbers=[1],
        card_ids=['1.1', '1.2'],
        discussed=['1.1'],
        facilitator_key='k',
    )
    data = ReportData(
        session,
        INLINE_DECK,
        [Person(session_id=1, name='Ann\x1b', role='Head\x0b', organisation='', brings='')],
        [Note(session_id=1, card_id='1.1', kind='note', text='Bell\x07 and\ufffe form feed\x0c', author='')],
        [Action(session_id=1, what='Do\x08 it', term='short', status='proposed', card_id='1.1', who='', resources='')],
        {},
        None,
    )
    document = docx.Document(io.BytesIO(report_bytes(build_report(data, lambda f, label: None))))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == 'Away day' and 'Bell and form feed' in texts
    cells = [cell.text for t in document.tables for row in t.rows for cell in row.cells]
    assert 'Ann' in cells and 'Head' in cells and 'Do it' in cells
