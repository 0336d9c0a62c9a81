"""The participant's phone page, as a participant uses it (NiceGUI `user` fixture): the lead question stays in sight
when the card is turned over, the notes they sent are listed as text with their own Edit and Delete, and a coaching
question of only a starter is refused with a message, its text kept; the use case refuses it for any client."""

from __future__ import annotations

import pytest
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from cardkit import db, library, sessions, workshop
from cardkit.models import CardSession

DECK = 'card-activity'
SLOW = 50  # retries of 0.1 s for what arrives through the live channel


@pytest.fixture(autouse=True)
def fresh_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workshop, 'join_throttle', workshop.WrongCodes())


def start() -> CardSession:
    session = db.run(
        sessions.start_session, deck=library.shipped().get(DECK), title='Progression away day', theme_numbers=[1, 2]
    )
    return db.run(workshop.open_joining, session_id=session.id)


def card(card_id: str):
    return library.shipped().get(DECK).card(card_id)


def shown(user: User, marker: str) -> list[ui.element]:
    assert user.client is not None
    return [e for e in user.client.layout.descendants() if marker in e._markers and _visible(e)]


def _visible(element: ui.element) -> bool:
    while element is not None:
        if not element.visible:
            return False
        element = element.parent_slot.parent if element.parent_slot else None
    return True


def texts(element: ui.element) -> str:
    return ' '.join(t for e in [element, *element.descendants()] if (t := getattr(e, 'text', '') or ''))


def inside(item: ui.element, marker: str) -> ui.element:
    found = [e for e in item.descendants() if marker in e._markers and _visible(e)]
    assert len(found) == 1, f'{len(found)} elements marked {marker} in {texts(item)!r}'
    return found[0]


def fill(user: User, marker: str, value: object) -> None:
    with user:
        for element in shown(user, marker):
            element.set_value(value)


async def join(user: User, code: str, name: str = 'Ann') -> None:
    await user.open(f'/join/{code}')
    await user.should_see(marker='join-form')
    fill(user, 'join-name', name)
    user.find(marker='join-submit').click()
    await user.should_see(marker='contribute', retries=SLOW)


async def send(user: User, text: str, kind: str = 'note') -> None:
    fill(user, 'kind', kind)
    fill(user, 'text', text)
    user.find(marker='send').click()
    await user.should_see('Sent', retries=SLOW)


def my_note(user: User, text: str) -> ui.element:
    """The listed note (its <li>) that shows `text`, as text or in its edit box."""
    with user:
        found = [
            li
            for li in shown(user, 'my-note')
            if text in texts(li) or any(text in (e.value or '') for e in li.descendants() if isinstance(e, ui.textarea))
        ]
    assert len(found) == 1, f'{len(found)} listed notes show {text!r}'
    return found[0]


def click(user: User, element: ui.element) -> None:
    UserInteraction(user, {element}, None).click()


def name_of(element: ui.element) -> str:
    return element.props.get('aria-label', '')


async def test_the_lead_question_stays_above_the_prompts_when_the_card_is_turned_over(user: User) -> None:
    session = start()
    await join(user, session.join_code)
    await user.should_see(card('1.1').lead)
    await user.should_not_see(marker='lead-above')  # the front shows the lead question itself

    user.find(marker='card').click()  # following the facilitator, the phone turns its own card over
    await user.should_see('Discussion prompts 1.1', retries=SLOW)
    await user.should_see(marker='lead-above')
    with user:
        above = shown(user, 'lead-above')[0]
        assert texts(above) == f'Lead question {card("1.1").lead}'
        page = above.parent_slot.children
        assert page.index(above) == page.index(shown(user, 'card')[0]) - 1, 'the lead question is just above the card'

    user.find(marker='card').click()
    await user.should_not_see(marker='lead-above', retries=SLOW)

    # the facilitator moves on and turns card 1.2 over: its lead question and its points are above its prompts
    db.run(sessions.step, session_id=session.id, delta=1)
    await user.should_see(card('1.2').lead, retries=SLOW)
    db.run(sessions.flip, session_id=session.id, flipped=True)
    await user.should_see('Discussion prompts 1.2', retries=SLOW)
    await user.should_see(marker='lead-above', retries=SLOW)
    with user:
        above = texts(shown(user, 'lead-above')[0])
    assert above == ' '.join(['Lead question', card('1.2').lead, *(p.text for p in card('1.2').lead_points)])
    db.run(sessions.flip, session_id=session.id, flipped=False)
    await user.should_not_see(marker='lead-above', retries=SLOW)


async def test_sent_notes_are_listed_as_text_with_edit_and_delete_named_after_each(user: User) -> None:
    session = start()
    await join(user, session.join_code)
    first = 'Progression can be sideways into a second vocational area'
    second = 'Ask the learners who left'
    await send(user, first)
    await send(user, second)
    await user.should_see(marker='my-note-text', content=second, retries=SLOW)

    with user:
        mine = shown(user, 'mine')[0]
        assert not [e for e in mine.descendants() if isinstance(e, ui.textarea)], 'sent notes are text, not boxes'
        labels = [shown(user, 'text')[0].props['label']]
    assert labels == ['Your note']  # the one box on the page is the one to type in
    item = my_note(user, first)
    edit, delete = inside(item, 'my-note-edit'), inside(item, 'my-note-delete')
    assert (edit.text, name_of(edit)) == ('Edit', 'Edit note “Progression can be sideways into a…”')
    assert (delete.text, name_of(delete)) == ('Delete', 'Delete note “Progression can be sideways into a…”')
    assert name_of(inside(my_note(user, second), 'my-note-edit')) == 'Edit note “Ask the learners who left”'

    # Edit opens a box for that note only; Cancel closes it and changes nothing
    click(user, inside(my_note(user, second), 'my-note-edit'))
    await user.should_see(marker='my-note-box')
    with user:
        boxes = shown(user, 'my-note-box')
    assert [(b.props['label'], b.value) for b in boxes] == [('Edit your note', second)]
    assert inside(my_note(user, second), 'my-note-box') is boxes[0]
    assert inside(my_note(user, first), 'my-note-text').text == first  # the other note is still text
    save = inside(my_note(user, second), 'my-note-save')
    cancel = inside(my_note(user, second), 'my-note-cancel')
    assert name_of(save).startswith('Save') and name_of(cancel).startswith('Cancel')
    assert '“Ask the learners who left”' in name_of(save)
    with user:
        boxes[0].set_value('Thrown away')
    click(user, cancel)
    await user.should_not_see(marker='my-note-box')
    await user.should_see(marker='my-note-text', content=second)
    await user.should_not_see('Thrown away')

    # editing one note: what is typed is saved, and the list shows it as text again
    click(user, inside(my_note(user, second), 'my-note-edit'))
    await user.should_see(marker='my-note-box')
    fill(user, 'my-note-box', 'Ask the learners who left early')
    click(user, inside(my_note(user, 'Ask the learners'), 'my-note-save'))
    await user.should_see('Saved', retries=SLOW)
    await user.should_not_see(marker='my-note-box', retries=SLOW)
    await user.should_see(marker='my-note-text', content='Ask the learners who left early', retries=SLOW)
    stored = sorted(n.text for n in db.run(sessions.notes, session_id=session.id))
    assert stored == ['Ask the learners who left early', first]

    # an edit that empties the note is refused in its own box, and the box keeps what was there
    item = my_note(user, first)
    click(user, inside(item, 'my-note-edit'))
    fill(user, 'my-note-box', '   ')
    click(user, inside(item, 'my-note-save'))
    await user.should_see('The note is empty; type something first', retries=SLOW)
    with user:
        assert shown(user, 'my-note-box')[0].value == '   '
    click(user, inside(item, 'my-note-cancel'))

    click(user, inside(my_note(user, first), 'my-note-delete'))
    await user.should_not_see(marker='my-note-text', content=first, retries=SLOW)
    assert [n.text for n in db.run(sessions.notes, session_id=session.id)] == ['Ask the learners who left early']


async def test_a_question_of_only_a_starter_is_refused_with_a_message_and_kept(user: User) -> None:
    session = start()
    await join(user, session.join_code)
    fill(user, 'kind', 'question')
    await user.should_see('Your coaching question')
    await user.should_see(marker='stem-how')
    for bare in ('How', 'How…', 'how ?'):
        fill(user, 'text', bare)
        user.find(marker='send').click()
        await user.should_see(f'The question is only its starter, “{bare.rstrip(" ?…")}”: finish asking it first')
        with user:
            assert shown(user, 'text')[0].value == bare, 'the text stays in the box'
    assert db.run(sessions.notes, session_id=session.id) == []

    fill(user, 'text', 'How do we hear from learners who left?')
    user.find(marker='send').click()
    await user.should_see('Sent', retries=SLOW)
    await user.should_see('Question · how', retries=SLOW)
    with user:
        assert shown(user, 'send-error')[0].text == ''
    notes = db.run(sessions.notes, session_id=session.id)
    assert [(n.kind, n.stem, n.text) for n in notes] == [('question', 'how', 'How do we hear from learners who left?')]

    # editing it down to its starter is refused the same way, and the edit box keeps the text
    item = my_note(user, 'How do we hear')
    click(user, inside(item, 'my-note-edit'))
    fill(user, 'my-note-box', 'How?')
    click(user, inside(item, 'my-note-save'))
    await user.should_see('The question is only its starter, “How”', retries=SLOW)
    with user:
        assert shown(user, 'my-note-box')[0].value == 'How?'
    assert db.run(sessions.notes, session_id=session.id)[0].text == 'How do we hear from learners who left?'


def _participant(session: CardSession, name: str = 'Ann'):
    return db.run(workshop.join, code=session.join_code, name=name)


@pytest.mark.parametrize('bare', ['How', 'How…', 'how ?', '  WHAT?! ', 'Who… where?'])
def test_the_use_case_refuses_a_question_that_is_only_a_starter(database, bare: str) -> None:
    session = start()
    ann = _participant(session)
    for stem in ('', 'how'):  # whatever stem a client says it chose
        with pytest.raises(workshop.InputError, match='the question is only its starter'):
            db.run(workshop.participant_note, token=ann.token, card_id='1.1', text=bare, kind='question', stem=stem)
    assert db.run(sessions.notes, session_id=session.id) == []


def test_the_use_case_files_a_question_under_the_starter_it_uses(database) -> None:
    session = start()
    ann = _participant(session)

    def ask(text: str, stem: str = '') -> str:
        note = db.run(workshop.participant_note, token=ann.token, card_id='1.1', text=text, kind='question', stem=stem)
        return note.stem

    assert ask('How do we hear from learners who left?') == 'how'
    assert ask('We need to know who decides on progression routes') == 'who'
    assert ask('Where and how do learners go next?') == 'where'
    assert ask('Whose data do we trust?', stem='which') == 'which'  # a stem chosen is kept
    with pytest.raises(workshop.InputError, match='a coaching question starts with one of: what, who, which, where'):
        ask('Why do learners leave early?')
    question = db.run(sessions.notes, session_id=session.id)[0]
    with pytest.raises(workshop.InputError, match='the question is only its starter, “Where”'):
        db.run(workshop.edit_own_note, token=ann.token, note_id=question.id, text='Where?')
    edited = db.run(workshop.edit_own_note, token=ann.token, note_id=question.id, text='Who hears from leavers?')
    assert (edited.stem, edited.text) == ('who', 'Who hears from leavers?')
    kept = db.run(workshop.edit_own_note, token=ann.token, note_id=question.id, text='Leavers: do we hear them?')
    assert kept.stem == 'who'  # a question that drops its starter keeps the stem it had
    assert db.run(workshop.participant_note, token=ann.token, card_id='1.1', text='How', kind='note').text == 'How'
