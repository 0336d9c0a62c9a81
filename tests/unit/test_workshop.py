"""Live workshop use cases: join codes, throttling, participants' own contributions, voting, groups, plenary."""

from __future__ import annotations

import pytest

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
    session = svc.start_session(deck=DECK, title='Room', theme_numbers=[1, 6])
    return ws.open_joining(session.id)


def test_join_code_is_unambiguous_and_joins(room):
    code = room.join_code
    assert len(code) == ws.CODE_LENGTH and set(code) <= set(ws.CODE_ALPHABET)
    assert not set(code) & set('01ILO')
    ann = ws.join(f' {code[:3].lower()}-{code[3:]} ', name='Ann', role='Tutor')
    assert ws.participant_for_token(ann.token).name == 'Ann'
    assert [p.name for p in ws.participants(room.id)] == ['Ann']


def test_join_refusals(room):
    with pytest.raises(ws.NotFound, match='no session has that code'):
        ws.join('ZZZZZZ', name='Eve')
    with pytest.raises(ws.InputError, match='Your name is empty'):
        ws.join(room.join_code, name='  ')
    ws.set_options(room.id, allow_anonymous=False)
    with pytest.raises(ws.InputError, match='the facilitator asks everyone to give a name'):
        ws.join(room.join_code, anonymous=True)
    member = ws.join(room.join_code, name='Bob')
    ws.close_session(room.id)
    with pytest.raises(ws.NotFound):
        ws.join(room.join_code or 'ABCDEF', name='Late')
    with pytest.raises(ws.NotFound, match='this session has ended'):
        ws.participant_for_token(member.token)


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
    ann = ws.join(room.join_code, name='Ann')
    bob = ws.join(room.join_code, name='Bob')
    note = ws.participant_note(ann.token, card_id='1.1', text='<b>mine</b>')
    assert note.author == 'Ann' and note.participant_id == ann.id
    with pytest.raises(ws.NotFound):
        ws.edit_own_note(bob.token, note.id, 'hijacked')
    with pytest.raises(ws.NotFound):
        ws.delete_own_note(bob.token, note.id)
    assert ws.edit_own_note(ann.token, note.id, 'changed').text == 'changed'
    ws.remove_participant(room.id, bob.id)
    with pytest.raises(ws.NotFound):
        ws.participant_note(bob.token, card_id='1.1', text='after removal')
    ws.set_options(room.id, input_locked=True)
    with pytest.raises(ws.InputError, match='paused input'):
        ws.participant_note(ann.token, card_id='1.1', text='locked')


def test_votes_are_limited(room):
    ann = ws.join(room.join_code, name='Ann')
    ws.set_options(room.id, votes_per_person=2)
    a, b, c = (ws.participant_action(ann.token, what=w, card_id='6.1') for w in ('A', 'B', 'C'))
    assert ws.vote(ann.token, a.id) == 1
    with pytest.raises(ws.InputError, match='already voted'):
        ws.vote(ann.token, a.id)
    assert ws.vote(ann.token, b.id) == 0
    with pytest.raises(ws.InputError, match='used all 2 of your votes'):
        ws.vote(ann.token, c.id)
    ws.unvote(ann.token, a.id)
    assert ws.vote_counts(room.id) == {b.id: 1}


def test_split_groups_plenary_merge_and_promote(room):
    people = [ws.join(room.join_code, name=n) for n in ('Ann', 'Bob', 'Cat', 'Dan', 'Eve')]
    made = ws.split_room(room.id, max_size=4, by_theme=True)
    assert [(g.name, g.card_ids) for g in made] == [('Group 1', ['1.1', '1.2']), ('Group 2', ['6.1'])]
    sizes = sorted(len(p.members) for p in ws.progress(room.id))
    assert sizes == [2, 3]
    first = ws.participant_for_token(people[0].token)
    second = ws.participant_for_token(people[1].token)
    assert first.group_id != second.group_id
    group_one_member = first if first.group_id == made[0].id else second
    with pytest.raises(ws.InputError, match=r"card 6\.1 is not one of your group's cards"):
        ws.participant_note(group_one_member.token, card_id='6.1', text='x')
    moved = ws.group_step(group_one_member.token, +1)
    assert (moved.current_index, moved.flipped) == (1, False)
    n1 = ws.participant_note(group_one_member.token, card_id='1.1', text='Progression is personal')
    n2 = ws.participant_note(group_one_member.token, card_id='1.1', text='progression is personal!')
    ws.merge_notes(n1.id, [n2.id])
    cards = ws.plenary(room.id)
    assert [(c.card_id, {k: [n.text for n in v] for k, v in c.by_group.items()}) for c in cards] == [
        ('1.1', {'Group 1': ['Progression is personal']})
    ]
    action = ws.promote_note(n1.id, term='medium', who='Ann')
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
    room = ws.open_joining(svc.start_session(deck=deck, title='Reviews').id)
    people = [ws.join(room.join_code, name=n) for n in ('Ann', 'Bob')]
    ws.split_room(room.id, max_size=1)
    ws.participant_rating(people[0].token, card_id='L', item_key='1.1', rating=2, evidence='Audit')
    ws.participant_rating(people[1].token, card_id='L', item_key='1.1', rating=0, evidence='None seen')
    ws.participant_rating(people[1].token, card_id='L', item_key='1.1', rating=1, evidence='Some records')
    ratings = sorted((n.rating, n.text) for n in svc.notes(room.id, 'L'))
    assert ratings == [(1, 'Some records'), (2, 'Audit')]
