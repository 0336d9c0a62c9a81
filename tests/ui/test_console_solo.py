"""The facilitator console, solo mode and the projector, driven as a user would (NiceGUI `user` fixture).

Covers: opening with the key, moving, turning over and jumping; notes, coaching questions and actions committed as
entered; everything still there when the page is opened again; wrong keys; user text shown literally; the projector
following the console live.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from nicegui import ui
from nicegui.testing import User

from cardkit import db, sessions
from cardkit.deck import Deck
from cardkit.deckfile import DeckError, load_deck
from cardkit.models import CardSession

ROOT = Path(__file__).resolve().parents[2]
ACTIVITY = ROOT / 'decks' / 'card-activity.yaml'

# Used only until decks/card-activity.yaml is in place: the activity's themes 1 and 6, word for word.
STAND_IN = Deck.model_validate(
    {
        'id': 'card-activity',
        'title': 'Supporting learner progression: the card activity',
        'theme_label': 'Strategic issue',
        'coaching_stems': ['what', 'who', 'which', 'where', 'how'],
        'themes': [
            {
                'number': 1,
                'title': 'Exploring the idea of progression.',
                'cards': [
                    {
                        'id': '1.1',
                        'lead': "What does the term 'progression' mean to you?",
                        'prompts': [
                            "Progression is not time-limited; learners' aspirations will change over time.",
                            'Progression may be lateral or vertical, or a mixture of both.',
                        ],
                    },
                    {
                        'id': '1.2',
                        'lead': 'Why is progression important:',
                        'lead_points': ['to individual learners?', 'to your organisation?', 'nationally?'],
                        'prompts': [
                            {
                                'text': 'For the individual, progression can:',
                                'points': [
                                    'enhance their sense of self worth and confidence',
                                    'be motivating and encourage further learning',
                                ],
                            }
                        ],
                    },
                    {
                        'id': '1.3',
                        'lead': 'What are the barriers to progression for your learners?',
                        'intro': 'Learners may:',
                        'prompts': ['have low aspirations or confidence'],
                    },
                ],
            },
            {
                'number': 6,
                'title': 'Strategic actions required to support learner progression?',
                'cards': [
                    {'id': '6.1', 'lead': 'What do we need to do next?', 'prompts': ['What do we already do well?']},
                    {
                        'id': '6.2',
                        'lead': 'Who needs to be involved?',
                        'prompts': ['Who internally in the organisation?'],
                    },
                    {
                        'id': '6.3',
                        'lead': 'What resources do we need?',
                        'prompts': ['What are the financial implications?'],
                    },
                ],
            },
        ],
    }
)


def activity_deck() -> Deck:
    """The shipped card activity (while its file is being written and does not load, the stand-in)."""
    try:
        return load_deck(ACTIVITY)
    except (FileNotFoundError, DeckError):
        return STAND_IN


def start(mode: str = 'facilitated') -> CardSession:
    return db.run(sessions.start_session, deck=activity_deck(), title='Progression planning day', mode=mode)


def console_url(session: CardSession, key: str | None = None) -> str:
    return f'/session/{session.id}/console?key={session.facilitator_key if key is None else key}'


def first_prompt(deck: Deck, card_id: str) -> str:
    card = deck.card(card_id)
    first = card.prompts[0]
    return first.text or first.points[0].text


async def eventually(check: Callable[[], bool], timeout: float = 3.0) -> None:
    """Wait for a committed change to show in the database (commits run off the event loop)."""
    for _ in range(int(timeout / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    assert check()


def set_value(user: User, marker: str, value) -> None:
    """Choose a value in a select or toggle, as picking it does."""
    for element in user.find(marker=marker).elements:
        element.set_value(value)


async def test_console_opens_on_the_first_card_moves_flips_and_jumps(user: User) -> None:
    deck = activity_deck()
    session = start()
    total = len(session.card_ids)
    await user.open(console_url(session))
    await user.should_see(deck.card('1.1').lead)
    await user.should_see(f'Card 1 of {total}')
    await user.should_see('Strategic issue 1')

    user.find(marker='next').click()
    await user.should_see(deck.card('1.2').lead)
    await user.should_see(f'Card 2 of {total}')
    assert db.run(sessions.get_session, session_id=session.id).current_index == 1

    user.find(marker='flip').click()
    await user.should_see(first_prompt(deck, '1.2'))
    await user.should_see('Discussion prompts 1.2')

    user.find(marker='jump').click()
    user.find(f'6.1 – {deck.card("6.1").lead}').click()
    await user.should_see(deck.card('6.1').lead)
    await user.should_see('Strategic issue 6')
    await user.should_see('Agree actions')
    state = db.run(sessions.get_session, session_id=session.id)
    assert state.card_ids[state.current_index] == '6.1' and not state.flipped


async def test_notes_questions_and_actions_are_kept_when_the_console_is_opened_again(user: User) -> None:
    deck = activity_deck()
    session = start()
    await user.open(console_url(session))
    await user.should_see(deck.card('1.1').lead)

    user.find(marker='note-input').type('Progression means more than the next course').trigger('keydown.enter')
    await user.should_see(marker='note-text', content='Progression means more than the next course')
    user.find(marker='stem-who').click()
    assert user.find(marker='question-input').elements.pop().value == 'Who '
    user.find(marker='question-input').type('decides what progression looks like?')
    user.find(marker='add-question').click()
    await user.should_see(marker='question-text', content='Who decides what progression looks like?')

    await user.should_not_see(marker='action-what')  # on a card that is not about actions, the form opens on demand
    user.find(marker='open-action-form').click()
    for what, term in (
        ('Map progression routes', 'short'),
        ('Train tutors in coaching', 'medium'),
        ('Track destinations for five years', 'long'),
    ):
        user.find(marker='action-what').type(what)
        set_value(user, 'action-term', term)
        user.find(marker='action-who').type('Head of quality')
        user.find(marker='add-action').click()
        await user.should_see(marker='action-text', content=what)

    user.find(marker='next').click()
    await user.should_see(deck.card('1.2').lead)
    await user.should_not_see(marker='action-what')  # another card: its action form is closed again
    await user.should_see(marker='open-action-form')
    user.find(marker='flip').click()
    await user.should_see(first_prompt(deck, '1.2'))
    await user.should_not_see('Progression means more than the next course')
    # a move is shown everywhere at once and saved a moment later: coming back later finds it saved
    await eventually(
        lambda: (
            (
                db.run(sessions.get_session, session_id=session.id).current_index,
                db.run(sessions.get_session, session_id=session.id).flipped,
            )
            == (1, True)
        ),
        timeout=1.0,
    )

    await user.open(console_url(session))  # same card, same side, everything kept
    await user.should_see(first_prompt(deck, '1.2'))
    await user.should_see('Discussion prompts 1.2')
    user.find(marker='prev').click()
    await user.should_see(deck.card('1.1').lead)
    await user.should_see('Progression means more than the next course')
    await user.should_see('Who decides what progression looks like?')
    await user.should_see('Track destinations for five years')

    notes = db.run(sessions.notes, session_id=session.id, card_id='1.1')
    assert [(n.kind, n.stem, n.text) for n in notes] == [
        ('note', '', 'Progression means more than the next course'),
        ('question', 'who', 'Who decides what progression looks like?'),
    ]
    assert [(a.what, a.term, a.who, a.card_id) for a in db.run(sessions.actions, session_id=session.id)] == [
        ('Map progression routes', 'short', 'Head of quality', '1.1'),
        ('Train tutors in coaching', 'medium', 'Head of quality', '1.1'),
        ('Track destinations for five years', 'long', 'Head of quality', '1.1'),
    ]


async def test_a_note_is_edited_deleted_and_brought_back(user: User) -> None:
    session = start()
    await user.open(console_url(session))
    user.find(marker='note-input').type('First thought').trigger('keydown.enter')
    await user.should_see(marker='note-text', content='First thought')
    user.find(marker='note-input').type('Second thought').trigger('keydown.enter')
    await user.should_see(marker='note-text', content='Second thought')

    edit = user.find(marker='note-text', content='First thought')
    edit.clear().type('First thought, revised').trigger('blur')
    await eventually(
        lambda: (
            [n.text for n in db.run(sessions.notes, session_id=session.id, card_id='1.1')]
            == ['First thought, revised', 'Second thought']
        )
    )
    user.find(marker='delete-note').click()  # the first one
    await user.should_see('Note deleted.')
    await user.should_not_see('First thought, revised')
    assert [n.text for n in db.run(sessions.notes, session_id=session.id, card_id='1.1')] == ['Second thought']
    user.find(marker='undo').click()
    await user.should_see(marker='note-text', content='First thought, revised')
    assert [n.text for n in db.run(sessions.notes, session_id=session.id, card_id='1.1')] == [
        'First thought, revised',
        'Second thought',
    ]


async def test_an_empty_note_shows_an_error_and_stores_nothing(user: User) -> None:
    session = start()
    await user.open(console_url(session))
    user.find(marker='note-input').type('   ').trigger('keydown.enter')
    await user.should_see('The note is empty; type something first')
    assert db.run(sessions.notes, session_id=session.id) == []

    user.find(marker='question-input').type('Perhaps later')
    user.find(marker='add-question').click()
    await user.should_see('The coaching stem must be one of')
    assert user.find(marker='question-input').elements.pop().value == 'Perhaps later'  # what was typed is kept
    assert db.run(sessions.notes, session_id=session.id) == []


async def test_user_text_is_shown_literally(user: User) -> None:
    session = start()
    await user.open(console_url(session))
    text = '<b>bold</b><script>x</script>'
    user.find(marker='note-input').type(text).trigger('keydown.enter')
    await user.should_see(marker='note-text', content=text)
    assert not [e for e in user.current_layout.descendants() if isinstance(e, (ui.html, ui.markdown))]
    assert db.run(sessions.notes, session_id=session.id)[0].text == text


async def test_a_wrong_or_missing_key_says_the_link_is_not_valid(user: User) -> None:
    session = start()
    for url in (
        console_url(session, 'wrong'),
        f'/session/{session.id}/console',
        '/session/999/console?key=x',
        f'/session/{session.id}/solo?key=nope',
        f'/session/{session.id}/projector?key={session.facilitator_key}',
    ):  # the projector has its own key
        await user.open(url)
        await user.should_see('This session link is not valid')
        await user.should_not_see(session.title)
        await user.should_not_see(activity_deck().card('1.1').lead)


async def test_solo_mode_works_through_the_cards_and_takes_notes(user: User) -> None:
    deck = activity_deck()
    session = start(mode='solo')
    await user.open(f'/session/{session.id}/solo?key={session.facilitator_key}')
    await user.should_see(deck.card('1.1').lead)
    user.find(marker='flip').click()
    await user.should_see(first_prompt(deck, '1.1'))
    user.find(marker='next').click()
    await user.should_see(deck.card('1.2').lead)
    user.find(marker='note-input').type('My own reflection').trigger('keydown.enter')
    await user.should_see(marker='note-text', content='My own reflection')
    user.find(marker='stem-how').click()
    user.find(marker='question-input').type('can I raise this at my next review?').trigger('keydown.enter')
    await user.should_see(marker='question-text', content='How can I raise this at my next review?')
    assert [n.text for n in db.run(sessions.notes, session_id=session.id, card_id='1.2')] == [
        'My own reflection',
        'How can I raise this at my next review?',
    ]

    await user.open(f'/session/{session.id}/solo?key={session.facilitator_key}')
    await user.should_see(deck.card('1.2').lead)
    await user.should_see('My own reflection')


async def test_the_projector_shows_the_card_and_follows_the_console(
    user: User, create_user: Callable[[], User]
) -> None:
    deck = activity_deck()
    session = start()
    total = len(session.card_ids)
    await user.open(f'/session/{session.id}/projector?key={sessions.projector_key(session)}')
    await user.should_see(deck.card('1.1').lead)
    await user.should_see(f'1 / {total}')
    await user.should_not_see(marker='note-input')
    await user.should_not_see(marker='next')

    db.run(sessions.step, session_id=session.id, delta=1)  # another screen moves on
    await user.should_see(deck.card('1.2').lead)
    await user.should_see(f'2 / {total}')

    facilitator = create_user()
    await facilitator.open(console_url(session))
    await facilitator.should_see(deck.card('1.2').lead)
    facilitator.find(marker='flip').click()
    await facilitator.should_see(first_prompt(deck, '1.2'))
    await user.should_see(first_prompt(deck, '1.2'))
    facilitator.find(marker='timer-5').click()
    await facilitator.should_see(marker='timer-left', content=' left')
    await user.should_see(marker='projector-timer', content=' left')
    left = user.find(marker='projector-timer').elements.pop().text
    assert left in {'5:00 left', '4:59 left', '4:58 left'}
    facilitator.find(marker='next').click()
    await user.should_see(deck.card('1.3').lead)
    await user.should_see(f'3 / {total}')


async def test_a_second_console_tab_follows_the_first(user: User, create_user: Callable[[], User]) -> None:
    deck = activity_deck()
    session = start()
    await user.open(console_url(session))
    other = create_user()
    await other.open(console_url(session))
    user.find(marker='next').click()
    await other.should_see(deck.card('1.2').lead)
    user.find(marker='note-input').type('Seen on both tabs').trigger('keydown.enter')
    await other.should_see(marker='note-text', content='Seen on both tabs')


async def test_checklist_items_are_rated_with_evidence_as_they_are_entered(user: User) -> None:
    reviews = load_deck(ROOT / 'decks' / 'progress-reviews.yaml')
    session = db.run(sessions.start_session, deck=reviews, title='Progress reviews audit', mode='solo')
    card = reviews.cards[0]
    (first_key, first_item), (second_key, _) = card.item_labels()[:2]
    scale = reviews.scale_of(card)
    await user.open(f'/session/{session.id}/solo?key={session.facilitator_key}')
    await user.should_see(first_item)
    await user.should_see(scale[-1])

    set_value(user, f'rating-{first_key}', 2)
    await eventually(
        lambda: (
            [(n.item_key, n.rating) for n in db.run(sessions.notes, session_id=session.id, card_id=card.id)]
            == [(first_key, 2)]
        )
    )
    await user.should_not_see(marker=f'evidence-{first_key}')  # the evidence fields open on demand
    user.find(marker=f'add-evidence-{first_key}').click()
    await user.should_see(marker=f'evidence-{first_key}')
    await user.should_not_see(marker=f'add-evidence-{first_key}')
    await user.should_not_see(marker=f'evidence-{second_key}')
    user.find(marker=f'evidence-{first_key}').type('Learner survey').trigger('blur')
    user.find(marker=f'needs-{first_key}').type('Tutor training').trigger('keydown.enter')
    await eventually(
        lambda: (
            [(n.text, n.needs) for n in db.run(sessions.notes, session_id=session.id, card_id=card.id)]
            == [('Learner survey', 'Tutor training')]
        )
    )
    set_value(user, f'rating-{second_key}', 0)
    await eventually(lambda: len(db.run(sessions.notes, session_id=session.id, card_id=card.id)) == 2)

    assert [(n.rating, n.text, n.needs) for n in db.run(sessions.notes, session_id=session.id, card_id=card.id)] == [
        (2, 'Learner survey', 'Tutor training'),
        (0, '', ''),
    ]  # rating the second item kept the first one's evidence

    await user.open(f'/session/{session.id}/solo?key={session.facilitator_key}')
    await user.should_see(marker=f'evidence-{first_key}', content='Learner survey')  # saved evidence shows open
    await user.should_not_see(marker=f'evidence-{second_key}')
    assert user.find(marker=f'rating-{first_key}').elements.pop().value == 2
    assert user.find(marker=f'rating-{second_key}').elements.pop().value == 0
    button = user.find(marker=f'add-evidence-{second_key}').elements.pop()
    assert button.props['aria-label'] == f'Add evidence for: {card.item_labels()[1][1]}'


def saved(session: CardSession, action_id: int):
    return next(a for a in db.run(sessions.actions, session_id=session.id) if a.id == action_id)


async def test_saved_actions_read_as_text_and_their_edit_button_opens_the_form(user: User) -> None:
    session = start()
    resources = 'Two twilight sessions and a half day of analyst time at the start of the spring term'
    first = db.run(
        sessions.add_action,
        session_id=session.id,
        card_id='1.1',
        what='Map progression routes',
        who='Head of quality',
        resources=resources,
        status='agreed',
        target_date='2026-12-18',
        term='medium',
    )
    db.run(sessions.add_action, session_id=session.id, card_id='1.1', what='Train tutors in coaching')
    await user.open(console_url(session))
    await user.should_see(marker=f'action-{first.id}')
    with user.scope(marker=f'action-{first.id}'):
        await user.should_see(marker='action-text', content='Map progression routes')
        await user.should_see('Medium term · Agreed · by 18 Dec 2026')
        await user.should_see('Head of quality')
        await user.should_see(marker='action-resources-text', content=resources)  # in full
        await user.should_not_see(marker='action-form')
    await user.should_not_see(marker='action-row-what')  # no saved action is a form
    edit = user.find(marker='edit-action').elements
    assert sorted(e.props['aria-label'] for e in edit) == [
        'Edit action: Map progression routes',
        'Edit action: Train tutors in coaching',
    ]

    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='edit-action').click()
    await user.should_see(marker='action-form')
    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='action-row-who').clear().type('Data team').trigger('blur')  # saved as it is left
    await eventually(lambda: saved(session, first.id).who == 'Data team')
    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='action-row-resources').clear().type('One analyst day').trigger('blur')
        set_value(user, 'action-row-status', 'done')
    await eventually(lambda: saved(session, first.id).status == 'done')
    assert saved(session, first.id).resources == 'One analyst day'
    await user.should_see(marker='edit-action')  # the other action stays text
    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='done-action').click()
    await user.should_not_see(marker='action-form')
    with user.scope(marker=f'action-{first.id}'):
        await user.should_see('Medium term · Done · by 18 Dec 2026')
        await user.should_see('Data team')
        await user.should_see('One analyst day')

    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='edit-action').click()
    await user.should_see(marker='action-form')
    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='action-row-what').clear().trigger('blur')
    await user.should_see('What needs doing is empty; type something first')
    assert saved(session, first.id).what == 'Map progression routes'

    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='delete-action').click()
    await user.should_see('Action deleted.')
    await user.should_not_see(marker=f'action-{first.id}')
    assert [a.what for a in db.run(sessions.actions, session_id=session.id)] == ['Train tutors in coaching']
    user.find(marker='undo').click()
    await user.should_see(marker='action-text', content='Map progression routes')
    assert len(db.run(sessions.actions, session_id=session.id)) == 2


async def test_the_plan_on_an_action_card_reorders_actions_named_by_their_buttons(user: User) -> None:
    session = start()
    for what in ('Map progression routes', 'Train tutors in coaching'):
        db.run(sessions.add_action, session_id=session.id, card_id='1.1', what=what, term='short')
    db.run(sessions.go_to_card, session_id=session.id, card_id='6.1')
    await user.open(console_url(session))
    await user.should_see('Agree actions')
    await user.should_see('From card 1.1')
    await user.should_see(marker='move-action-down')
    first, _ = db.run(sessions.actions, session_id=session.id)
    with user.scope(marker=f'action-{first.id}'):
        move = user.find(marker='move-action-down').elements.pop()
        assert move.props['aria-label'] == 'Move action down: Map progression routes'
        user.find(marker='move-action-down').click()
    await eventually(
        lambda: (
            [a.what for a in db.run(sessions.actions, session_id=session.id)]
            == ['Train tutors in coaching', 'Map progression routes']
        )
    )
    with user.scope(marker=f'action-{first.id}'):
        await user.should_see(marker='move-action-up')
        assert not user.find(marker='move-action-down').elements.pop().enabled
