"""Session use cases on SQLite and PostgreSQL: start, navigate, notes, ratings, actions, follow-up, delete."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest

from cardkit import db
from cardkit import sessions as svc
from cardkit.deck import Deck
from cardkit.models import WayOfWorking

DECK = Deck.model_validate(
    {
        'id': 'mini',
        'title': 'Mini deck',
        'coaching_stems': ['what', 'who', 'which', 'where', 'how'],
        'evidence_scale': ['None', 'Weak', 'Strong'],
        'themes': [
            {
                'number': 1,
                'title': 'Exploring',
                'cards': [
                    {'id': '1.1', 'lead': 'What does progression mean?', 'prompts': ['Lateral or vertical.']},
                    {'id': '1.2', 'lead': 'Why is it important?'},
                ],
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


def start(**overrides) -> svc.CardSession:
    args = {'deck': DECK, 'title': 'Planning day', 'theme_numbers': [1, 6]}
    return db.run(svc.start_session, **(args | overrides))


def test_start_keeps_chosen_themes_in_order_and_people(database):
    session = db.run(
        svc.start_session,
        deck=DECK,
        title='  SMT away day ',
        theme_numbers=[6, 1],
        held_on=date(2026, 12, 1),
        way_of_working=WayOfWorking.SMT.value,
        people=[svc.PersonIn('Ann', 'Principal', 'College', 'Budget'), svc.PersonIn('  ')],
    )
    assert session.title == 'SMT away day'
    assert session.card_ids == ['6.1', '1.1', '1.2']
    assert session.held_on == date(2026, 12, 1)
    assert [(p.name, p.role, p.brings) for p in db.run(svc.people, session_id=session.id)] == [
        ('Ann', 'Principal', 'Budget')
    ]
    assert db.run(svc.deck_of, session=session) == DECK


def test_start_refuses_bad_setup_with_clear_messages(database):
    with pytest.raises(svc.InputError, match='The title is empty'):
        start(title='   ')
    with pytest.raises(svc.InputError, match=r'this deck has no theme 9 \(it has 1, 2, 6\)'):
        start(theme_numbers=[1, 9])
    with pytest.raises(svc.InputError, match='The way of working must be one of'):
        start(way_of_working='by carrier pigeon')
    with pytest.raises(svc.InputError, match='The title is 201 characters long; the limit is 200'):
        start(title='x' * 201)
    assert db.run(svc.list_sessions) == []


def test_navigation_flip_and_discussed(database):
    session = start()
    assert (session.current_index, session.flipped) == (0, False)
    assert db.run(svc.flip, session_id=session.id).flipped is True
    moved = db.run(svc.step, session_id=session.id, delta=+1)
    assert (moved.current_index, moved.flipped) == (1, False)
    assert db.run(svc.step, session_id=session.id, delta=+5).current_index == 2  # stays on the last card
    assert db.run(svc.step, session_id=session.id, delta=-9).current_index == 0
    assert db.run(svc.go_to_card, session_id=session.id, card_id='6.1').current_index == 2
    assert db.run(svc.get_session, session_id=session.id).discussed == ['1.1', '1.2', '6.1']
    with pytest.raises(svc.InputError, match='card L is not in this session'):
        db.run(svc.go_to_card, session_id=session.id, card_id='L')


def test_notes_questions_edit_reorder_delete_and_undo(database):
    session = start()
    first = db.run(svc.add_note, session_id=session.id, card_id='1.1', text='Progression is personal')
    question = db.run(
        svc.add_note, session_id=session.id, card_id='1.1', text='Who tracks destinations?', kind='question', stem='Who'
    )
    second = db.run(svc.add_note, session_id=session.id, card_id='1.1', text='Not time-limited')
    assert question.stem == 'who'
    db.run(svc.update_note, note_id=first.id, text='Progression is personal and lifelong')
    db.run(svc.move_note, note_id=second.id, direction=-1)
    texts = [n.text for n in db.run(svc.notes, session_id=session.id, card_id='1.1') if n.kind == 'note']
    assert texts == ['Not time-limited', 'Progression is personal and lifelong']
    db.run(svc.delete_note, note_id=second.id)
    remaining = [n.text for n in db.run(svc.notes, session_id=session.id, card_id='1.1') if n.kind == 'note']
    assert remaining == ['Progression is personal and lifelong']
    db.run(svc.restore_note, note_id=second.id)
    assert len(db.run(svc.notes, session_id=session.id, card_id='1.1')) == 3


def test_note_limits_and_hostile_text_kept_literally(database):
    session = start()
    with pytest.raises(svc.InputError, match='The note is 4,001 characters long; the limit is 4,000'):
        db.run(svc.add_note, session_id=session.id, card_id='1.1', text='x' * 4001)
    with pytest.raises(svc.InputError, match='The note is empty'):
        db.run(svc.add_note, session_id=session.id, card_id='1.1', text=' \n ')
    with pytest.raises(svc.InputError, match='The coaching stem must be one of: what, who, which, where, how'):
        db.run(svc.add_note, session_id=session.id, card_id='1.1', text='Why?', kind='question', stem='why')
    hostile = '<script>alert(1)</script> 👩🏽‍🏫 مرحبا \x00\x07end'
    note = db.run(svc.add_note, session_id=session.id, card_id='1.1', text=hostile)
    assert (
        db.run(svc.notes, session_id=session.id, card_id='1.1')[0].text
        == '<script>alert(1)</script> 👩🏽‍🏫 مرحبا end'
        == note.text
    )


def test_client_key_makes_resubmission_idempotent(database):
    session = start()
    a = db.run(svc.add_note, session_id=session.id, card_id='1.1', text='Once', client_key='k1')
    b = db.run(svc.add_note, session_id=session.id, card_id='1.1', text='Once', client_key='k1')
    assert a.id == b.id and len(db.run(svc.notes, session_id=session.id)) == 1


def test_evidence_rating_upserts_per_item(database):
    session = start(theme_numbers=[2])
    (key, label), _ = DECK.card('L').item_labels()
    assert label == 'Sets targets'
    db.run(svc.rate_item, session_id=session.id, card_id='L', item_key=key, rating=1, evidence='Tutorial records')
    db.run(
        svc.rate_item, session_id=session.id, card_id='L', item_key=key, rating=2, evidence='Audit', needs='Share it'
    )
    ratings = db.run(svc.notes, session_id=session.id, card_id='L')
    assert [(r.item_key, r.rating, r.text, r.needs) for r in ratings] == [(key, 2, 'Audit', 'Share it')]
    with pytest.raises(svc.InputError, match='a rating is one of: None, Weak, Strong'):
        db.run(svc.rate_item, session_id=session.id, card_id='L', item_key=key, rating=3)
    with pytest.raises(svc.InputError, match=r'card L has no checklist item 9\.9'):
        db.run(svc.rate_item, session_id=session.id, card_id='L', item_key='9.9', rating=0)


def test_actions_in_term_order_filter_move_and_undo(database):
    session = start()
    long_ = db.run(
        svc.add_action, session_id=session.id, what='Map pathways', term='long', who='Data team', card_id='6.1'
    )
    short = db.run(
        svc.add_action,
        session_id=session.id,
        what='Agree definition',
        term='short',
        who='Ann',
        resources='One meeting',
        target_date='2027-01-31',
    )
    medium = db.run(svc.add_action, session_id=session.id, what='Train tutors', term='medium', who='Ann, Bob')
    assert [a.what for a in db.run(svc.actions, session_id=session.id)] == [
        'Agree definition',
        'Train tutors',
        'Map pathways',
    ]
    assert [a.what for a in db.run(svc.actions, session_id=session.id, who='ann')] == [
        'Agree definition',
        'Train tutors',
    ]
    assert short.target_date == date(2027, 1, 31)
    db.run(svc.update_action, action_id=medium.id, status='agreed', term='short')
    db.run(svc.move_action, action_id=medium.id, direction=-1)
    assert [a.what for a in db.run(svc.actions, session_id=session.id)] == [
        'Train tutors',
        'Agree definition',
        'Map pathways',
    ]
    db.run(svc.delete_action, action_id=long_.id)
    assert len(db.run(svc.actions, session_id=session.id)) == 2
    db.run(svc.restore_action, action_id=long_.id)
    assert len(db.run(svc.actions, session_id=session.id)) == 3
    with pytest.raises(svc.InputError, match='The term must be one of: short, medium, long'):
        db.run(svc.update_action, action_id=short.id, term='soon')
    with pytest.raises(svc.InputError, match="the target date '31/01/2027' is not a date like 2026-12-31"):
        db.run(svc.update_action, action_id=short.id, target_date='31/01/2027')


def test_follow_up_brings_open_actions_for_review(database):
    first = start()
    db.run(svc.add_action, session_id=first.id, what='Open one', term='short', status='agreed')
    done = db.run(svc.add_action, session_id=first.id, what='Finished', term='medium')
    db.run(svc.update_action, action_id=done.id, status='done')
    follow = start(title='Review', follow_up_of=first.id)
    carried = db.run(svc.actions, session_id=follow.id)
    assert [(a.what, a.status, a.carried_from is not None) for a in carried] == [('Open one', 'agreed', True)]
    db.run(svc.update_action, action_id=carried[0].id, review='Half done', status='in progress')
    assert db.run(svc.actions, session_id=first.id)[0].status == 'agreed'  # the earlier session is unchanged


def test_list_search_rename_duplicate_delete(database):
    a = start(title='Governors', people=[svc.PersonIn('Rita')])
    b = start(title='Tutors')
    db.run(svc.add_note, session_id=a.id, card_id='1.1', text='n')
    assert [s.session.title for s in db.run(svc.list_sessions, search='rita')] == ['Governors']
    db.run(svc.rename_session, session_id=b.id, title='Tutor team')
    copy = db.run(svc.duplicate_session, session_id=a.id)
    assert copy.title == 'Copy of Governors' and [p.name for p in db.run(svc.people, session_id=copy.id)] == ['Rita']
    assert db.run(svc.notes, session_id=copy.id) == []
    db.run(svc.delete_session, session_id=a.id)
    assert sorted(s.session.title for s in db.run(svc.list_sessions)) == ['Copy of Governors', 'Tutor team']
    with pytest.raises(svc.NotFound):
        db.run(svc.get_session, session_id=a.id)


def test_facilitator_key_is_checked(database):
    session = start()
    assert db.run(svc.session_for_key, session_id=session.id, key=session.facilitator_key).id == session.id
    with pytest.raises(svc.NotFound):
        db.run(svc.session_for_key, session_id=session.id, key='guess')


def test_overview_counts_per_theme(database):
    session = start()
    db.run(svc.add_note, session_id=session.id, card_id='1.1', text='a')
    db.run(svc.add_note, session_id=session.id, card_id='1.2', text='b')
    db.run(svc.add_action, session_id=session.id, what='x', card_id='6.1')
    db.run(svc.step, session_id=session.id, delta=1)
    rows = db.run(svc.overview, session_id=session.id)
    assert [(r.number, r.cards, r.discussed, r.notes, r.actions) for r in rows] == [(1, 2, 2, 2, 0), (6, 1, 0, 0, 1)]


def test_concurrent_writers_never_fail(database):
    session = start()

    def write(i: int) -> int:
        return db.run(svc.add_note, session_id=session.id, card_id='1.1', text=f'note {i}', client_key=f'c{i}').id

    with ThreadPoolExecutor(max_workers=16) as pool:
        ids = list(pool.map(write, range(200)))
    assert len(set(ids)) == 200
    assert len(db.run(svc.notes, session_id=session.id)) == 200


def test_a_reused_client_key_with_other_text_still_stores_the_note(database):
    session = start()
    first = db.run(svc.add_note, session_id=session.id, card_id='1.1', text='First', client_key='k')
    second = db.run(svc.add_note, session_id=session.id, card_id='1.1', text='Second', client_key='k')
    assert first.id != second.id
    assert [n.text for n in db.run(svc.notes, session_id=session.id)] == ['First', 'Second']
    a = db.run(svc.add_action, session_id=session.id, what='One', client_key='a')
    b = db.run(svc.add_action, session_id=session.id, what='Two', client_key='a')
    assert a.id != b.id and len(db.run(svc.actions, session_id=session.id)) == 2
