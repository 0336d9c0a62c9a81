"""A live workshop in simulated browsers: the facilitator's room, participants joining from their phones, groups
working at their own pace, the plenary, votes; and what a participant or a stranger must not be able to do."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from nicegui import app, storage, ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from cardkit import db, library, privacy, sessions, workshop
from cardkit.models import CardSession
from cardkit.ui.components.card_view import CardFace

DECK = 'card-activity'
SCRIPT = '<script>alert(1)</script>'
SLOW = 50  # retries of 0.1 s for what arrives through the live channel


def start(title: str = 'Progression away day', themes: list[int] | None = None) -> CardSession:
    return db.run(
        sessions.start_session,
        deck=library.shipped().get(DECK),
        title=title,
        theme_numbers=themes or [1, 2],
        way_of_working='in a mixed group with representation from partner organisations',
    )


def room_url(session: CardSession, part: str = 'room') -> str:
    return f'/session/{session.id}/{part}?key={session.facilitator_key}'


def lead(card_id: str) -> str:
    return library.shipped().get(DECK).card(card_id).lead


def elements(user: User, marker: str) -> list[ui.element]:
    assert user.client is not None
    return [e for e in user.client.layout.descendants() if marker in e._markers and e.visible]


def texts(element: ui.element) -> str:
    return ' '.join(t for e in [element, *element.descendants()] if (t := getattr(e, 'text', '') or ''))


def inside(user: User, marker: str, text: str, target: str) -> UserInteraction:
    """The element marked `target` inside the (visible) element marked `marker` that shows `text`."""
    for outer in elements(user, marker):
        if text in texts(outer):
            found = [e for e in outer.descendants() if target in e._markers]
            assert found, f'no {target} inside the {marker} showing {text!r}'
            return UserInteraction(user, {found[0]}, None)
    raise AssertionError(f'no {marker} shows {text!r}')


def fill(user: User, marker: str, value: object) -> None:
    with user:
        for element in elements(user, marker):
            element.set_value(value)


async def join(
    create_user: Callable[[], User],
    code: str,
    name: str,
    role: str = '',
    organisation: str = '',
    *,
    anonymous: bool = False,
) -> User:
    participant = create_user()
    await participant.open(f'/join/{code}')
    await participant.should_see(marker='join-form')
    fill(participant, 'join-name', name)
    fill(participant, 'join-role', role)
    fill(participant, 'join-organisation', organisation)
    if anonymous:
        fill(participant, 'join-anonymous', True)
    participant.find(marker='join-submit').click()
    await participant.should_see(marker='contribute', retries=SLOW)
    return participant


async def send(participant: User, text: str, kind: str = 'note', *, stem: str = '', term: str = '') -> None:
    fill(participant, 'kind', kind)
    if stem:
        participant.find(marker=f'stem-{stem}').click()
    if term:
        fill(participant, 'term', term)
    fill(participant, 'text', text)
    participant.notify.messages.clear()
    participant.find(marker='send').click()
    await participant.should_see('Sent', retries=SLOW)
    with participant:
        assert all(e.value == '' for e in elements(participant, 'text')), 'the sent text is cleared'


def person(session: CardSession, name: str):
    return next(p for p in db.run(workshop.participants, session_id=session.id) if p.name == name)


async def test_a_live_workshop_from_joining_to_agreed_actions(user: User, create_user: Callable[[], User]) -> None:
    session = start()
    await user.open(room_url(session))
    await user.should_see('Joining is closed')
    user.find(marker='open-joining').click()
    await user.should_see(marker='join-qr', retries=SLOW)
    code = db.run(sessions.get_session, session_id=session.id).join_code
    assert code
    await user.should_see(code)
    await user.should_see(f'/join/{code}')

    ann = await join(create_user, code, 'Ann', 'Curriculum manager', 'Northfield College')
    await user.should_see('Ann', retries=SLOW)
    await user.should_see('Curriculum manager · Northfield College')
    bob = await join(create_user, code, SCRIPT, 'Careers adviser', 'Partner <b>Org</b>')
    cy = await join(create_user, code, 'Cy', anonymous=True)
    await user.should_see('Who is here (3)', retries=SLOW)
    await user.should_see(SCRIPT)  # literally, as text
    await user.should_see('Partner <b>Org</b>')
    await bob.should_see(f'You: {SCRIPT} (Careers adviser, Partner <b>Org</b>)')
    await cy.should_see('You are anonymous')

    # everyone follows the facilitator's card until groups are formed
    await ann.should_see(lead('1.1'))
    await ann.should_see('Following the facilitator')
    await send(ann, 'Moving on to an apprenticeship counts as progression')
    await user.should_see('Moving on to an apprenticeship counts as progression', retries=SLOW)
    await send(bob, 'Who tracks where learners go next?', 'question', stem='who')
    await user.should_see('Who tracks where learners go next?', retries=SLOW)
    await user.should_see(f'Question · who · {SCRIPT}')

    db.run(sessions.step, session_id=session.id, delta=1)
    await ann.should_see(lead('1.2'), retries=SLOW)
    await cy.should_see(lead('1.2'), retries=SLOW)
    await ann.should_see('Card 2 of 6')

    # two groups of at most two, each at its own pace: the room's next stage
    user.find('4 · Groups').click()
    await user.should_see('Split the room into groups')
    fill(user, 'split-size', 2)
    user.find(marker='split').click()
    await user.should_see('Group 2', retries=SLOW)
    await user.should_see('live now', retries=SLOW)  # splitting the room started group work
    with user:
        assert [e.value for e in elements(user, 'phase')] == ['groups']
    await ann.should_see('Group 1: your group works at its own pace', retries=SLOW)
    await bob.should_see('Group 2: your group works at its own pace', retries=SLOW)
    await cy.should_see('Group 1', retries=SLOW)
    await ann.should_see(lead('1.1'))  # a new group starts at its first card
    ann.find(marker='group-next').click()
    await ann.should_see(lead('1.2'), retries=SLOW)
    await cy.should_see(lead('1.2'), retries=SLOW)  # Cy is in Ann's group: the group's card moved
    await bob.should_see(lead('1.1'))  # Bob's group has not moved
    bob.find(marker='group-next').click()
    await bob.should_see(lead('1.2'), retries=SLOW)
    await user.should_see('Card 2 of 6: 1.2', retries=SLOW)
    await user.should_see('Members: Ann, Anonymous')

    await send(ann, 'Map the progression pathways for each programme')
    await send(cy, 'Progression evidence from destinations data')
    await send(bob, 'A map of progression pathways per programme')
    bob.find(marker='group-next').click()
    await bob.should_see(lead('1.3'), retries=SLOW)
    await send(bob, 'Low confidence holds learners back')
    await user.should_see('Card 3 of 6: 1.3', retries=SLOW)
    await user.should_see('2 notes · 0 actions', retries=SLOW)

    # the plenary, card by card: both groups' outcomes for card 1.2, side by side
    user.find('5 · Plenary').click()
    await user.should_see('Plenary: the groups’ outcomes side by side')
    await user.should_see('1.2 (3)', retries=SLOW)  # the cards with outcomes, and how many notes each has
    await user.should_see('1.3 (1)')
    await send(bob, 'Taster days build confidence')  # a card not shown: its count follows
    await user.should_see('1.3 (2)', retries=SLOW)
    fill(user, 'plenary-cards', '1.2')
    await user.should_see('Map the progression pathways for each programme', retries=SLOW)
    with user:
        cards = [e for e in elements(user, 'plenary-card') if '1.2 –' in texts(e)]
        assert len(cards) == 1
        columns = [texts(g) for g in cards[0].descendants() if 'plenary-group' in g._markers]
    assert len(columns) == 2
    assert columns[0].startswith('Group 1') and 'Map the progression pathways for each programme' in columns[0]
    assert columns[1].startswith('Group 2') and 'A map of progression pathways per programme' in columns[1]

    inside(user, 'plenary-note', 'Map the progression pathways for each programme', 'select-note').click()
    inside(user, 'plenary-note', 'A map of progression pathways per programme', 'select-note').click()
    await user.should_see('Merge selected (2)')
    inside(user, 'plenary-card', 'Map the progression pathways', 'merge').click()
    await user.should_see('merged with 1 more', retries=SLOW)
    with user:
        shown = [e.text for e in elements(user, 'plenary-text')]
        assert 'A map of progression pathways per programme' not in shown
    inside(user, 'plenary-note', 'Map the progression pathways for each programme', 'plenary-promote').click()
    await user.should_see('Agreed actions (1)', retries=SLOW)
    await user.should_see(marker='agreed-badge')

    # proposed actions, votes and agreement
    await send(ann, 'Publish progression routes on the website', 'action', term='short')
    await send(bob, 'Joint careers events with partner schools', 'action', term='medium')
    await send(cy, 'Track destinations for three years', 'action', term='long')
    await send(cy, 'Coaching training for tutors', 'action', term='medium')
    await user.should_see('Proposed actions (4)', retries=SLOW)
    await ann.should_not_see(marker='votes-left')
    fill(user, 'phase', 'plenary')
    await ann.should_see('You have 3 of 3 votes left', retries=SLOW)
    inside(ann, 'vote-row', 'Joint careers events', 'vote').click()
    await ann.should_see('You have 2 of 3 votes left', retries=SLOW)
    inside(ann, 'vote-row', 'Track destinations', 'vote').click()
    await ann.should_see('You have 1 of 3 votes left', retries=SLOW)
    inside(bob, 'vote-row', 'Joint careers events', 'vote').click()
    await bob.should_see('You have 2 of 3 votes left', retries=SLOW)
    await user.should_see('2 votes', retries=SLOW)
    with user:
        first = elements(user, 'proposed-action')[0]
        assert 'Joint careers events with partner schools' in texts(first) and '2 votes' in texts(first)
    inside(ann, 'vote-row', 'Joint careers events', 'vote').click()  # change of mind: take the dot back
    await ann.should_see('You have 2 of 3 votes left', retries=SLOW)
    for what in ('Joint careers events', 'Track destinations', 'Publish progression routes'):
        inside(user, 'proposed-action', what, 'agree-action').click()
        await user.should_not_see(content=what, marker='proposed-what', retries=SLOW)
    await user.should_see('Agreed actions (4)', retries=SLOW)
    agreed = [a.what for a in db.run(sessions.actions, session_id=session.id) if a.status == 'agreed']
    assert sorted(agreed) == sorted(
        [
            'Map the progression pathways for each programme',
            'Joint careers events with partner schools',
            'Track destinations for three years',
            'Publish progression routes on the website',
        ]
    )

    # the plenary screen (projector key) shows it too
    screen = create_user()
    await screen.open(f'/session/{session.id}/plenary?key={sessions.projector_key(session)}')
    await screen.should_see('Map the progression pathways for each programme')
    await screen.should_see('+1 merged')
    await screen.should_see(SCRIPT)
    await screen.should_see('Agreed actions (4)')
    await screen.should_see(code)  # joining is still open

    # nothing anyone typed became markup
    for someone in (user, ann, bob, cy, screen):
        with someone:
            assert not [e for e in someone.client.layout.descendants() if isinstance(e, (ui.html, ui.markdown))]


async def test_a_participant_who_reloads_is_back_in_the_same_place(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    fill(ann, 'kind', 'question')
    ann.find(marker='stem-how').click()
    fill(ann, 'text', 'How do we hear from learners who left?')
    await ann.open(f'/take-part?s={session.id}')  # a reload: the draft and its kind are still there
    await ann.should_see('Your coaching question')
    with ann:
        assert elements(ann, 'text')[0].value == 'How do we hear from learners who left?'
    ann.find(marker='send').click()
    await ann.should_see('Sent', retries=SLOW)
    await ann.open('/take-part')  # no session named: the latest one joined from this browser
    await ann.should_see('How do we hear from learners who left?')
    await ann.should_see('Question · how')
    await ann.open(f'/join/{code}')  # coming back through the code offers the way back in
    await ann.should_see('You have already joined', retries=SLOW)
    await ann.should_see(marker='join-return-link')


async def test_participants_edit_and_delete_only_their_own_notes(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    bob = await join(create_user, code, 'Bob')
    await send(ann, 'First thought')
    await ann.should_see(marker='my-note', retries=SLOW)
    await bob.should_not_see(marker='my-note')  # Bob sees only what he sent
    await ann.should_see(marker='my-note-text', content='First thought')
    ann.find(marker='my-note-edit').click()
    fill(ann, 'my-note-box', 'Second thought')
    ann.find(marker='my-note-save').click()
    await ann.should_see('Saved', retries=SLOW)
    note = db.run(sessions.notes, session_id=session.id)[0]
    assert note.text == 'Second thought'
    with pytest.raises(workshop.NotFound):
        db.run(workshop.edit_own_note, token=person(session, 'Bob').token, note_id=note.id, text='hijacked')
    with pytest.raises(workshop.NotFound):
        db.run(workshop.delete_own_note, token=person(session, 'Bob').token, note_id=note.id)
    ann.find(marker='my-note-delete').click()
    await ann.should_not_see(marker='my-note', retries=SLOW)
    assert db.run(sessions.notes, session_id=session.id) == []


async def test_input_paused_keeps_the_typed_text_and_says_why(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    await ann.should_not_see(marker='paused')
    await user.open(room_url(session))
    fill(user, 'opt-input_locked', True)
    await ann.should_see('Input is paused', retries=SLOW)
    fill(ann, 'text', 'Kept while paused')
    ann.find(marker='send').click()  # the button is disabled; Enter still tries, and is refused
    ann.find(marker='text').trigger('keydown.enter')
    await ann.should_see('The facilitator has paused input for the moment', retries=SLOW)
    with ann:
        assert elements(ann, 'text')[0].value == 'Kept while paused'
    fill(user, 'opt-input_locked', False)
    await ann.should_not_see(marker='paused', retries=SLOW)
    ann.find(marker='send').click()
    await ann.should_see('Sent', retries=SLOW)
    assert [n.text for n in db.run(sessions.notes, session_id=session.id)] == ['Kept while paused']


async def test_a_phone_over_its_notes_a_minute_is_told_when_to_send_and_keeps_its_text(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    for n in range(workshop.SENT_PER_MINUTE):
        await send(ann, f'Idea {n}')
    fill(ann, 'text', 'One idea too many')
    ann.find(marker='send').click()
    await ann.should_see('the most anyone can; wait', retries=SLOW)
    with ann:
        assert elements(ann, 'text')[0].value == 'One idea too many'
    await send(ann, 'Idea 0')  # the same note again is the one already sent, not a refusal and not a copy
    assert [n.text for n in db.run(sessions.notes, session_id=session.id)] == [
        f'Idea {n}' for n in range(workshop.SENT_PER_MINUTE)
    ]


async def test_a_console_draws_one_row_for_a_phone_s_note_and_the_room_drops_its_placeholder(
    user: User, create_user
) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    await user.open(room_url(session))
    await user.should_see(marker='nothing-yet')
    console = create_user()
    await console.open(f'/session/{session.id}/console?key={session.facilitator_key}')
    await console.should_see(marker='none-yet-note')
    ann = await join(create_user, code, 'Ann')
    await send(ann, 'A first note from a phone')
    await console.should_see(marker='note-text', content='A first note from a phone', retries=SLOW)
    await console.should_not_see(marker='none-yet-note')
    await user.should_see('A first note from a phone', retries=SLOW)
    await user.should_not_see(marker='nothing-yet')


async def test_what_the_phone_shows_is_sent_even_when_some_typing_never_reached_the_server(
    user: User, create_user
) -> None:
    """Enter and Send carry the box's text as the browser shows it (a network drop can swallow the box's updates)."""
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    fill(ann, 'text', 'Progression')  # the server heard only the first word
    ann.find(marker='text').trigger('keydown.enter', args='Progression means more than the next course')
    await ann.should_see('Sent', retries=SLOW)
    await ann.should_see(marker='my-note', retries=SLOW)
    with ann:
        assert elements(ann, 'text')[0].value == ''
    fill(ann, 'text', '')  # nothing at all reached the server; the Send button reads the box
    ann.find(marker='send').trigger('click', args='Ask the learners who left')
    await ann.should_see('Ask the learners who left', retries=SLOW)
    with ann:  # the same for a correction saved from the phone
        item = next(li for li in elements(ann, 'my-note') if 'Ask the learners who left' in texts(li))
        edit = next(e for e in item.descendants() if 'my-note-edit' in e._markers)
    UserInteraction(ann, {edit}, None).click()
    with ann:
        area = next(e for e in item.descendants() if 'my-note-box' in e._markers)
        save = next(e for e in item.descendants() if 'my-note-save' in e._markers)
        area.set_value('Ask the learners')
    UserInteraction(ann, {save}, None).trigger('click', args='Ask the learners who left early')
    await ann.should_see('Saved', retries=SLOW)
    assert sorted(n.text for n in db.run(sessions.notes, session_id=session.id)) == [
        'Ask the learners who left early',
        'Progression means more than the next course',
    ]


async def test_groups_by_strategic_issue_and_moving_people(user: User, create_user) -> None:
    session = start(themes=[1, 2, 3])
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    bob = await join(create_user, code, 'Bob')
    await user.open(room_url(session, 'room/groups'))
    fill(user, 'split-size', 1)
    fill(user, 'split-by-theme', True)
    user.find(marker='split').click()
    await ann.should_see(lead('1.1'), retries=SLOW)
    await bob.should_see(lead('2.1'), retries=SLOW)
    await bob.should_see('Card 1 of 3')
    group_1 = db.run(workshop.groups, session_id=session.id)[0]
    inside(user, 'person', 'Bob', 'person-group')  # the control is there for each person
    with user:
        select = next(e for e in elements(user, 'person-group') if 'Bob' in e.props.get('aria-label', ''))
        select.set_value(group_1.id)
    await bob.should_see('Group 1: your group works at its own pace', retries=SLOW)
    await bob.should_see(lead('1.1'), retries=SLOW)
    with user:
        themes = next(e for e in elements(user, 'group-themes') if 'Group 1' in e.props.get('aria-label', ''))
        themes.set_value([3])
    await ann.should_see(lead('3.1'), retries=SLOW)
    await bob.should_see(lead('3.1'), retries=SLOW)


async def test_a_wrong_key_opens_nothing(user: User) -> None:
    session = start()
    db.run(workshop.open_joining, session_id=session.id)
    code = db.run(sessions.get_session, session_id=session.id).join_code
    for url in (
        f'/session/{session.id}/room?key=wrong',
        f'/session/{session.id}/room',
        f'/session/{session.id + 99}/room?key={session.facilitator_key}',
        f'/session/{session.id}/plenary?key={session.facilitator_key}',  # the big screen takes the projector key
        f'/session/{session.id}/room?key={sessions.projector_key(session)}',
    ):  # which cannot run the room
        await user.open(url)
        await user.should_see('This session link is not valid')
        await user.should_not_see(code)
        await user.should_not_see('Progression away day')


async def test_a_removed_or_forged_participant_is_refused(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    await send(ann, 'Before removal')
    await user.open(room_url(session))
    await user.should_see('Who is here (1)')
    user.find(marker='person-remove').click()
    await user.should_see('Remove Ann from the session?', retries=SLOW)
    user.find(marker='confirm-remove').click()
    await user.should_see('Who is here (0)', retries=SLOW)
    await ann.should_see('You are no longer in this session', retries=SLOW)  # at once, without a reload
    await ann.open(f'/take-part?s={session.id}')
    await ann.should_see('You are no longer in this session')
    await ann.should_see(marker='join-form')
    await ann.should_not_see(marker='contribute')
    await user.should_see('Before removal')  # what she sent stays

    # a token that is not one, and a session this browser never joined
    bob = await join(create_user, code, 'Bob')
    with bob:
        previous = storage.request_contextvar.set(bob.client.request)
        try:
            app.storage.user['cardkit_tokens'] = {str(session.id): 'forged-token-' + 'x' * 20}
        finally:
            storage.request_contextvar.reset(previous)
    await bob.open(f'/take-part?s={session.id}')
    await bob.should_see('You are no longer in this session')
    await bob.should_not_see(marker='contribute')
    other = start('Another session')
    stranger = create_user()
    await stranger.open(f'/take-part?s={other.id}')
    await stranger.should_see('Join with the code the facilitator shows.')
    await stranger.should_not_see(marker='contribute')


async def test_a_participant_page_has_no_facilitator_controls(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    await send(ann, 'Something to moderate')
    db.run(workshop.set_phase, session_id=session.id, phase='plenary')
    await ann.should_see(marker='voting', retries=SLOW)
    for marker in (
        'open-joining',
        'close-joining',
        'join-code',
        'person-remove',
        'hide-note',
        'promote-note',
        'plenary-promote',
        'merge',
        'select-note',
        'agree-action',
        'split',
        'create-group',
        'phase',
        'opt-input_locked',
        'opt-votes',
        'group-themes',
        'person-group',
    ):
        await ann.should_not_see(marker=marker)
    with ann:
        labels = ' '.join(texts(e) for e in ann.client.layout.descendants() if isinstance(e, ui.button))
    for word in ('Hide', 'Promote', 'Merge', 'Agree', 'Remove', 'Split', 'Open joining', 'Close joining'):
        assert word not in labels


async def test_join_code_guessing_is_throttled(user: User, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workshop, 'join_throttle', workshop.WrongCodes(burst=5))  # the hall's allowance, made small
    session = start()
    real = db.run(workshop.open_joining, session_id=session.id).join_code
    await user.open('/join')
    guesses = [c for c in ('AAAAAA', 'BBBBBB', 'CCCCCC', 'DDDDDD', 'EEEEEE', 'FFFFFF') if c != real]
    for guess in guesses[:5]:
        fill(user, 'join-code-input', guess)
        fill(user, 'join-name', 'Eve')
        with user:
            elements(user, 'join-error')[0].set_text('')
        user.find(marker='join-submit').click()
        await user.should_see('No open session has that code', retries=SLOW)
    fill(user, 'join-code-input', real)  # no wrong code left: even the right code is not looked up for now
    user.find(marker='join-submit').click()
    await user.should_see('Too many attempts; try again in', retries=SLOW)
    assert db.run(workshop.participants, session_id=session.id) == []


async def test_joining_a_room_sharing_one_address_is_not_throttled(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    for number in range(8):  # more than the five tries a guesser gets
        await join(create_user, code, f'Person {number}')
    assert len(db.run(workshop.participants, session_id=session.id)) == 8


async def test_a_closed_code_admits_no_one(user: User) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    db.run(workshop.close_joining, session_id=session.id)
    await user.open(f'/join/{code}')
    await user.should_see('No open session has that code', retries=SLOW)
    fill(user, 'join-name', 'Late')
    user.find(marker='join-submit').click()
    await user.should_see('No open session has that code', retries=SLOW)
    reopened = db.run(workshop.open_joining, session_id=session.id).join_code
    db.run(workshop.close_session, session_id=session.id)
    await user.open(f'/join/{reopened}')
    await user.should_see('No open session has that code', retries=SLOW)
    assert db.run(workshop.participants, session_id=session.id) == []


async def test_anonymous_joining_only_when_allowed(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    await user.open(f'/join/{code}')
    await user.should_see('Session: Progression away day', retries=SLOW)
    await user.should_see(marker='join-anonymous')
    db.run(workshop.set_options, session_id=session.id, allow_anonymous=False)
    visitor = create_user()
    await visitor.open(f'/join/{code}')
    await visitor.should_see('Session: Progression away day', retries=SLOW)
    await visitor.should_not_see(marker='join-anonymous')
    visitor.find(marker='join-submit').click()
    await visitor.should_see('Your name is empty; type your name, or join anonymously', retries=SLOW)


async def test_evidence_ratings_on_a_checklist_card(user: User, create_user) -> None:
    deck = library.shipped().get('progress-reviews')
    session = db.run(sessions.start_session, deck=deck, title='Reviews', theme_numbers=[1])
    card = deck.cards[0]
    assert card.kind == 'checklist'
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    await ann.should_see('Rate the evidence')
    await ann.should_see(f'Add to card {card.id}')
    first_item = card.item_labels()[0][1]
    await ann.should_see(first_item)
    with ann:
        elements(ann, 'rating-evidence')[0].set_value('Learner reviews in the ILP')
        elements(ann, 'rating')[0].set_value(3)
    for _ in range(SLOW):
        ratings = [n for n in db.run(sessions.notes, session_id=session.id) if n.kind == 'rating']
        if ratings:
            break
        await asyncio.sleep(0.1)
    assert [(r.item_key, r.rating, r.text, r.author) for r in ratings] == [
        ('1.1', 3, 'Learner reviews in the ILP', 'Ann')
    ]
    db.run(workshop.set_options, session_id=session.id, input_locked=True)
    await ann.should_see('Input is paused', retries=SLOW)
    with ann:
        elements(ann, 'rating')[1].set_value(0)
    await ann.should_see('The facilitator has paused input for the moment', retries=SLOW)


async def test_hidden_notes_stay_out_of_the_plenary(user: User, create_user) -> None:
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    await send(ann, 'Off-topic remark')
    await send(ann, 'On-topic point')
    db.run(workshop.set_phase, session_id=session.id, phase='plenary')
    await user.open(room_url(session))
    await user.should_see('Off-topic remark')
    with user:
        hide = [e.props.get('aria-label') for e in elements(user, 'hide-note')]
    assert hide == ['Hide: Off-topic remark', 'Hide: On-topic point']  # each button says which note it hides
    inside(user, 'contribution', 'Off-topic remark', 'hide-note').click()
    await user.should_see('Ann · hidden', retries=SLOW)
    user.find('5 · Plenary').click()
    await user.should_see('On-topic point', marker='plenary-text')
    await user.should_not_see('Off-topic remark', marker='plenary-text')
    user.find('3 · Room').click()
    await user.should_see('Off-topic remark', marker='contribution-text')
    screen = create_user()
    await screen.open(f'/session/{session.id}/plenary?key={sessions.projector_key(session)}')
    await screen.should_see('On-topic point')
    await screen.should_not_see('Off-topic remark')
    inside(user, 'contribution', 'Off-topic remark', 'show-note').click()
    await screen.should_see('Off-topic remark', retries=SLOW)  # the big screen follows


async def test_a_card_change_sends_each_phone_only_the_new_card_and_its_heading(user: User, create_user) -> None:
    """What a hall of phones costs the server per change: each phone gets the card's words and the 'Add to card'
    heading, and nothing else (not the card's click listener, not the panels that stay as they are)."""
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    ann = await join(create_user, code, 'Ann')
    await ann.should_see(lead('1.1'))
    with ann:
        face = next(e for e in ann.client.layout.descendants() if isinstance(e, CardFace))
        heading = next(e for e in ann.client.layout.descendants() if 'add-heading' in e._markers)
        ann.client.outbox.updates.clear()
    db.run(sessions.step, session_id=session.id, delta=1)
    await ann.should_see(lead('1.2'))
    await ann.should_see('Add to card 1.2')
    assert set(ann.client.outbox.updates) == {face.id, heading.id}
    sent = face._to_dict()
    assert 'events' not in sent and json.loads(sent['props']['face'])['lead'] == lead('1.2')
    assert sent['props']['progress'] == 'Card 2 of 6'


async def test_an_erasure_and_a_retention_purge_reach_the_open_screens_without_a_reload(
    user: User, create_user
) -> None:
    """Changes made outside any page (the privacy command, the hourly retention purge) go through the same door as a
    click: the console, the room, the big screen and the phone all show them at once."""
    session = start()
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    await user.open(room_url(session))
    console = create_user()
    await console.open(f'/session/{session.id}/console?key={session.facilitator_key}')
    projector = create_user()
    await projector.open(f'/session/{session.id}/projector?key={sessions.projector_key(session)}')
    await projector.should_see(lead('1.1'))
    plenary = create_user()
    await plenary.open(f'/session/{session.id}/plenary?key={sessions.projector_key(session)}')
    await plenary.should_see(marker='screen-joining')
    ann = await join(create_user, code, 'Ann')
    await send(ann, 'A note Ann asks to have erased')
    await console.should_see(marker='note-text', content='A note Ann asks to have erased', retries=SLOW)
    await user.should_see('Who is here (1)', retries=SLOW)

    erased = db.run(privacy.erase_participant, session_id=session.id, participant_id=person(session, 'Ann').id)
    assert erased['notes'] == 1
    await console.should_not_see(marker='note-text', retries=SLOW)
    await console.should_see(marker='none-yet-note', retries=SLOW)
    await user.should_see('Who is here (0)', retries=SLOW)
    await user.should_not_see('A note Ann asks to have erased', retries=SLOW)
    await ann.should_see('You are no longer in this session', retries=SLOW)

    db.run(privacy.set_retention, session_id=session.id, days=30)
    later = db.run(sessions.get_session, session_id=session.id).updated_at + timedelta(days=31)
    assert db.run(privacy.purge_expired, now=later) == 1
    await console.should_see('This session has been deleted', retries=SLOW)
    await projector.should_see('This session has ended', retries=SLOW)
    await projector.should_not_see(lead('1.1'))
    await plenary.should_see('This session has ended', retries=SLOW)
    await user.should_see('This session has been deleted', retries=SLOW)
    await user.should_not_see(marker='open-joining')
