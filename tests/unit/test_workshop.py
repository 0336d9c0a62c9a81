"""Live workshop use cases: join codes, throttling, participants' own contributions, voting, groups, plenary."""

from __future__ import annotations

import pytest

from cardkit import db
from cardkit import sessions as svc
from cardkit import workshop as ws
from cardkit.deck import Deck

DECK = Deck.model_validate(
    {
        'id': 'mini',
        'title': 'Mini',
        'themes': [
            {
                'number': 1,
                'title': 'Exploring',
                'cards': [{'id': '1.1', 'lead': 'What?'}, {'id': '1.2', 'lead': 'Why?'}],
            },
            {'number': 6, 'title': 'Actions', 'cards': [{'id': '6.1', 'lead': 'Next?'}]},
        ],
    }
)


@pytest.fixture
def room(database):
    session = db.run(svc.start_session, deck=DECK, title='Room', theme_numbers=[1, 6])
    return db.run(ws.open_joining, session_id=session.id)


def test_join_code_is_unambiguous_and_joins(room):
    code = room.join_code
    assert len(code) == ws.CODE_LENGTH and set(code) <= set(ws.CODE_ALPHABET)
    assert not set(code) & set('01ILO')
    ann = db.run(ws.join, code=f' {code[:3].lower()}-{code[3:]} ', name='Ann', role='Tutor')
    assert db.run(ws.participant_for_token, token=ann.token).name == 'Ann'
    assert [p.name for p in db.run(ws.participants, session_id=room.id)] == ['Ann']


def test_join_refusals(room):
    with pytest.raises(ws.NotFound, match='no session has that code'):
        db.run(ws.join, code='ZZZZZZ', name='Eve')
    with pytest.raises(ws.InputError, match='Your name is empty'):
        db.run(ws.join, code=room.join_code, name='  ')
    db.run(ws.set_options, session_id=room.id, allow_anonymous=False)
    with pytest.raises(ws.InputError, match='the facilitator asks everyone to give a name'):
        db.run(ws.join, code=room.join_code, anonymous=True)
    member = db.run(ws.join, code=room.join_code, name='Bob')
    db.run(ws.close_session, session_id=room.id)
    with pytest.raises(ws.NotFound):
        db.run(ws.join, code=room.join_code or 'ABCDEF', name='Late')
    with pytest.raises(ws.NotFound, match='this session has ended'):
        db.run(ws.participant_for_token, token=member.token)


def test_wrong_codes_are_throttled_and_right_ones_never_count():
    now = [100.0]
    throttle = ws.WrongCodes(clock=lambda: now[0])
    for _ in range(300):  # a hall behind one address, everyone with the right code
        assert not throttle.blocked('10.0.0.9')
    looked_up = 0
    for _ in range(10_000):  # then a guesser behind it, 10,000 wrong codes in 10 s
        now[0] += 0.001
        if not throttle.blocked('10.0.0.9'):
            looked_up += 1
            throttle.wrong('10.0.0.9')
    assert looked_up == throttle.burst  # the mistakes a hall may make, and no more
    assert 1 <= throttle.wait_seconds('10.0.0.9') <= 14  # until the next wrong code may be tried
    assert not throttle.blocked('10.0.0.8')  # another address is not affected
    now[0] += throttle.refill
    assert not throttle.blocked('10.0.0.9')  # one more try once the refill time has passed
    per_hour = 0
    fresh = ws.WrongCodes(clock=lambda: now[0])
    for _ in range(36_000):  # ten guesses a second for an hour
        now[0] += 0.1
        if not fresh.blocked('10.0.0.7'):
            per_hour += 1
            fresh.wrong('10.0.0.7')
    assert per_hour <= 300


def test_participants_act_only_on_their_own_notes(room):
    ann = db.run(ws.join, code=room.join_code, name='Ann')
    bob = db.run(ws.join, code=room.join_code, name='Bob')
    note = db.run(ws.participant_note, token=ann.token, card_id='1.1', text='<b>mine</b>')
    assert note.author == 'Ann' and note.participant_id == ann.id
    with pytest.raises(ws.NotFound):
        db.run(ws.edit_own_note, token=bob.token, note_id=note.id, text='hijacked')
    with pytest.raises(ws.NotFound):
        db.run(ws.delete_own_note, token=bob.token, note_id=note.id)
    assert db.run(ws.edit_own_note, token=ann.token, note_id=note.id, text='changed').text == 'changed'
    db.run(ws.remove_participant, session_id=room.id, participant_id=bob.id)
    with pytest.raises(ws.NotFound):
        db.run(ws.participant_note, token=bob.token, card_id='1.1', text='after removal')
    db.run(ws.set_options, session_id=room.id, input_locked=True)
    with pytest.raises(ws.InputError, match='paused input'):
        db.run(ws.participant_note, token=ann.token, card_id='1.1', text='locked')


def test_votes_are_limited(room):
    ann = db.run(ws.join, code=room.join_code, name='Ann')
    db.run(ws.set_options, session_id=room.id, votes_per_person=2)
    a, b, c = (db.run(ws.participant_action, token=ann.token, what=w, card_id='6.1') for w in ('A', 'B', 'C'))
    assert db.run(ws.vote, token=ann.token, action_id=a.id) == 1
    with pytest.raises(ws.InputError, match='already voted'):
        db.run(ws.vote, token=ann.token, action_id=a.id)
    assert db.run(ws.vote, token=ann.token, action_id=b.id) == 0
    with pytest.raises(ws.InputError, match='used all 2 of your votes'):
        db.run(ws.vote, token=ann.token, action_id=c.id)
    db.run(ws.unvote, token=ann.token, action_id=a.id)
    assert db.run(ws.vote_counts, session_id=room.id) == {b.id: 1}


def test_split_groups_plenary_merge_and_promote(room):
    people = [db.run(ws.join, code=room.join_code, name=n) for n in ('Ann', 'Bob', 'Cat', 'Dan', 'Eve')]
    made = db.run(ws.split_room, session_id=room.id, max_size=4, by_theme=True)
    assert [(g.name, g.card_ids) for g in made] == [('Group 1', ['1.1', '1.2']), ('Group 2', ['6.1'])]
    sizes = sorted(len(p.members) for p in db.run(ws.progress, session_id=room.id))
    assert sizes == [2, 3]
    first = db.run(ws.participant_for_token, token=people[0].token)
    second = db.run(ws.participant_for_token, token=people[1].token)
    assert first.group_id != second.group_id
    group_one_member = first if first.group_id == made[0].id else second
    with pytest.raises(ws.InputError, match=r"card 6\.1 is not one of your group's cards"):
        db.run(ws.participant_note, token=group_one_member.token, card_id='6.1', text='x')
    moved = db.run(ws.group_step, token=group_one_member.token, delta=+1)
    assert (moved.current_index, moved.flipped) == (1, False)
    n1 = db.run(ws.participant_note, token=group_one_member.token, card_id='1.1', text='Progression is personal')
    n2 = db.run(ws.participant_note, token=group_one_member.token, card_id='1.1', text='progression is personal!')
    db.run(ws.merge_notes, keep_id=n1.id, duplicate_ids=[n2.id])
    cards = db.run(ws.plenary, session_id=room.id)
    assert [(c.card_id, {k: [n.text for n in v] for k, v in c.by_group.items()}) for c in cards] == [
        ('1.1', {'Group 1': ['Progression is personal']})
    ]
    action = db.run(ws.promote_note, note_id=n1.id, term='medium', who='Ann')
    assert (action.what, action.status, action.term, action.card_id) == (
        'Progression is personal',
        'agreed',
        'medium',
        '1.1',
    )


def test_each_group_keeps_its_own_evidence_rating(database):
    deck = Deck.model_validate(
        {
            'id': 'check',
            'title': 'Check',
            'evidence_scale': ['None', 'Some', 'Strong'],
            'themes': [
                {
                    'number': 1,
                    'title': 'Stages',
                    'cards': [
                        {'id': 'L', 'kind': 'checklist', 'lead': 'Learners', 'groups': [{'items': ['Sets targets']}]}
                    ],
                }
            ],
        }
    )
    room = db.run(ws.open_joining, session_id=db.run(svc.start_session, deck=deck, title='Reviews').id)
    people = [db.run(ws.join, code=room.join_code, name=n) for n in ('Ann', 'Bob')]
    db.run(ws.split_room, session_id=room.id, max_size=1)
    db.run(ws.participant_rating, token=people[0].token, card_id='L', item_key='1.1', rating=2, evidence='Audit')
    db.run(ws.participant_rating, token=people[1].token, card_id='L', item_key='1.1', rating=0, evidence='None seen')
    db.run(ws.participant_rating, token=people[1].token, card_id='L', item_key='1.1', rating=1, evidence='Some records')
    ratings = sorted((n.rating, n.text) for n in db.run(svc.notes, session_id=room.id, card_id='L'))
    assert ratings == [(1, 'Some records'), (2, 'Audit')]
