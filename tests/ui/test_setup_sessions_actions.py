"""Setting up a session, the list of sessions and the action plan board, as a facilitator uses them."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from nicegui import ui
from nicegui.testing import User

from cardkit import db, library, sessions
from cardkit.models import ActionStatus, CardSession, Term, WayOfWorking
from cardkit.sessions import PersonIn

# The card activity deck; until its file lands, the two-theme deck stands in (theme 2 plays the part of issue 6).
DECK = 'card-activity' if 'card-activity' in library.shipped().decks else 'progress-and-progression'
FIRST, LAST = (1, 6) if DECK == 'card-activity' else (1, 2)
HOSTILE = '<img src=x onerror=alert(1)>'


def deck():
    return library.shipped().get(DECK)


def start(title: str = 'Progression workshop', **kwargs) -> CardSession:
    return db.run(sessions.start_session, deck=deck(), title=title, **kwargs)


async def redrawn() -> None:
    """Let the page redraw the parts a click refreshed (refreshes run as background tasks)."""
    await asyncio.sleep(0.05)


async def eventually(check, message: str = 'condition') -> None:
    for _ in range(100):
        if check():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'expected {message}')


async def started(count: int = 1) -> list:
    """The sessions, once the click on Start has made the new one (clicks run off the event loop)."""
    for _ in range(100):
        if len(found := db.run(sessions.list_sessions)) >= count:
            return found
        await asyncio.sleep(0.02)
    raise AssertionError(f'expected {count} sessions')


async def landed_on(user: User, path: str) -> None:
    """Wait until the simulated browser has opened the path."""
    for _ in range(100):
        if user.back_history and user.back_history[-1] == path:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f'expected to land on {path}, history: {user.back_history}')


# --- new session ---------------------------------------------------------------------------------------------------


async def test_new_session_with_two_issues_in_chosen_order_and_two_people(user: User) -> None:
    await user.open(f'/sessions/new?deck={DECK}')
    await user.should_see('Start a session')
    await user.should_see('Before trying it, think about:')
    await user.should_see('who you want to involve')
    for way in WayOfWorking:
        await user.should_see(way.value[1:])

    user.find(marker='no-themes').click()
    await user.should_not_see(marker=f'theme-up-{FIRST}')
    user.find(marker=f'theme-{FIRST}').click()
    await user.should_see(marker=f'theme-up-{FIRST}')
    user.find(marker=f'theme-{LAST}').click()
    await user.should_see(marker=f'theme-up-{LAST}')
    user.find(marker=f'theme-up-{LAST}').click()  # play the last issue first
    await redrawn()
    user.find(marker='title').type('Progression strategy day')
    user.find('In a mixed group with representation from partner organisations').click()
    user.find(marker='person-name-1').type('Asha Patel')
    user.find(marker='person-role-1').type('Head of curriculum')
    user.find(marker='person-brings-1').type('Knows the progression data')
    user.find(marker='add-person').click()
    await user.should_see(marker='person-name-2')
    user.find(marker='person-name-2').type('Tom Reid')
    user.find(marker='person-organisation-2').type('City Sixth Form')
    user.find(marker='start').click()

    [summary] = await started()
    session = summary.session
    assert session.title == 'Progression strategy day'
    assert session.theme_numbers == [LAST, FIRST]
    assert session.way_of_working == WayOfWorking.MIXED_PARTNERS.value
    assert session.mode == 'facilitated'
    assert session.held_on == date.today()
    assert summary.people == ['Asha Patel', 'Tom Reid']
    assert [p.brings for p in db.run(sessions.people, session_id=session.id)] == ['Knows the progression data', '']
    await landed_on(user, f'/session/{session.id}/console?key={session.facilitator_key}')


async def test_working_alone_starts_the_solo_page(user: User) -> None:
    await user.open('/sessions/new')
    user.find(marker='title').type('My own reflection')
    user.find('On your own').click()
    user.find(marker='start').click()
    [summary] = await started()
    assert summary.session.mode == 'solo'
    await landed_on(user, f'/session/{summary.session.id}/solo?key={summary.session.facilitator_key}')


async def test_empty_title_or_no_issue_says_so_and_keeps_what_was_typed(user: User) -> None:
    await user.open(f'/sessions/new?deck={DECK}')
    user.find(marker='person-name-1').type('Asha Patel')
    user.find(marker='start').click()
    await user.should_see('The title is empty; type something first')
    assert db.run(sessions.list_sessions) == []
    assert user.find(marker='person-name-1').elements.pop().value == 'Asha Patel'

    user.find(marker='title').type('x' * 201)
    user.find(marker='start').click()
    await user.should_see('The title is 201 characters long; the limit is 200')
    assert db.run(sessions.list_sessions) == []

    user.find(marker='title').clear().type('Workshop')
    user.find(marker='no-themes').click()
    await user.should_not_see(marker=f'theme-up-{FIRST}')
    user.find(marker='start').click()
    await user.should_see('choose at least one strategic issue')
    assert db.run(sessions.list_sessions) == []
    assert user.find(marker='title').elements.pop().value == 'Workshop'

    user.find(marker=f'theme-{FIRST}').click()
    await user.should_see(marker=f'theme-up-{FIRST}')
    user.find(marker='date').clear().type('not a date')
    user.find(marker='start').click()
    await user.should_see('Choose the date of the session')
    assert db.run(sessions.list_sessions) == []


async def test_switching_deck_shows_its_themes(user: User) -> None:
    other = next(d for d in library.shipped().decks.values() if d.id != DECK)
    await user.open(f'/sessions/new?deck={DECK}')
    user.find(marker='deck').elements.pop().value = other.id
    await user.should_see(f'{other.theme_label} {other.themes[0].number}: {other.themes[0].title}')


async def test_edit_session_changes_title_way_and_people(user: User) -> None:
    session = start(people=[PersonIn('Asha Patel')])
    await user.open(f'/session/{session.id}/setup?key={session.facilitator_key}')
    await user.should_see('Session set-up')
    user.find(marker='title').clear().type('Renamed on set-up')
    user.find('With a senior colleague').click()
    user.find(marker='add-person').click()
    await user.should_see(marker='person-name-2')
    user.find(marker='person-name-2').type('Tom Reid')
    user.find(marker='save').click()
    await user.should_see('Saved')
    changed = db.run(sessions.get_session, session_id=session.id)
    assert changed.title == 'Renamed on set-up'
    assert changed.way_of_working == WayOfWorking.SENIOR_COLLEAGUE.value
    assert [p.name for p in db.run(sessions.people, session_id=session.id)] == ['Asha Patel', 'Tom Reid']

    user.find(marker='title').clear()
    user.find(marker='save').click()
    await user.should_see('The title is empty; type something first')
    assert db.run(sessions.get_session, session_id=session.id).title == 'Renamed on set-up'


async def test_setup_with_a_wrong_key_is_refused(user: User) -> None:
    session = start()
    await user.open(f'/session/{session.id}/setup?key=wrong')
    await user.should_see('This session could not be opened')
    await user.should_not_see(session.title)


# --- sessions list -------------------------------------------------------------------------------------------------


async def test_sessions_list_is_empty_at_first(user: User) -> None:
    await user.open('/sessions')
    await user.should_see('No sessions yet')
    user.find(marker='new-session').click()
    await user.should_see('Start a session')


async def test_a_slow_answer_to_an_earlier_search_does_not_paint_over_the_newer_one(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    start('Curriculum team', people=[PersonIn('Asha Patel')])
    start('Partners meeting')
    list_sessions = sessions.list_sessions

    def slow_for_asha(*, db, search: str = ''):
        if search == 'asha':
            time.sleep(0.6)  # the database is slow to answer this one; the user has typed on meanwhile
        return list_sessions(db=db, search=search)

    monkeypatch.setattr(sessions, 'list_sessions', slow_for_asha)
    await user.open('/sessions')
    await user.should_see('Partners meeting')
    user.find(marker='search').type('asha')
    user.find(marker='search').clear().type('nothing like it')
    await user.should_see('No session matches “nothing like it”.')
    await asyncio.sleep(1.0)  # the answer for "asha" has come back by now
    await user.should_see('No session matches “nothing like it”.')
    await user.should_not_see('Curriculum team')


async def test_sessions_list_search_rename_duplicate_delete(user: User) -> None:
    first = start('Curriculum team', people=[PersonIn('Asha Patel')])
    second = start('Partners meeting')
    db.run(sessions.add_action, session_id=first.id, what='Map pathways')
    await user.open('/sessions')
    await user.should_see('Curriculum team')
    await user.should_see('Partners meeting')
    await user.should_see('1 action')
    await user.should_see('With Asha Patel')

    user.find(marker='search').type('asha')
    await user.should_not_see('Partners meeting')
    await user.should_see('Curriculum team')
    user.find(marker='search').clear().type('nothing like it')
    await user.should_see('No session matches “nothing like it”.')
    user.find(marker='search').clear()
    await user.should_see('Partners meeting')

    with user.scope(marker=f'session-{second.id}'):
        user.find(marker='rename').click()
    user.find(marker='rename-title').clear()
    user.find(marker='rename-save').click()
    await user.should_see('The title is empty; type something first')
    user.find(marker='rename-title').type('Partners: progression routes')
    user.find(marker='rename-save').click()
    await user.should_see(marker='session-title', content='Partners: progression routes')
    assert db.run(sessions.get_session, session_id=second.id).title == 'Partners: progression routes'

    with user.scope(marker=f'session-{first.id}'):
        user.find(marker='duplicate').click()
    await user.should_see(marker='session-title', content='Copy of Curriculum team')
    assert len(db.run(sessions.list_sessions)) == 3

    with user.scope(marker=f'session-{first.id}'):
        user.find(marker='delete').click()
    await user.should_see('Delete the session “Curriculum team”?')
    user.find(marker='confirm-cancel').click()
    await user.should_not_see('Delete the session “Curriculum team”?')
    assert len(db.run(sessions.list_sessions)) == 3

    with user.scope(marker=f'session-{first.id}'):
        user.find(marker='delete').click()
    await user.should_see('Delete the session “Curriculum team”?')
    user.find(marker='confirm-ok').click()
    await user.should_not_see(marker=f'session-{first.id}')
    assert {s.session.title for s in db.run(sessions.list_sessions)} == {
        'Partners: progression routes',
        'Copy of Curriculum team',
    }


async def test_resume_opens_the_session_where_it_was(user: User) -> None:
    session = start('Solo reflection', mode='solo')
    await user.open('/sessions')
    user.find(marker='resume').click()
    await landed_on(user, f'/session/{session.id}/solo?key={session.facilitator_key}')


async def test_follow_up_session_carries_the_open_actions(user: User) -> None:
    earlier = start('Autumn workshop', people=[PersonIn('Asha Patel')])
    db.run(sessions.add_action, session_id=earlier.id, what='Map progression pathways', who='Asha')
    db.run(sessions.add_action, session_id=earlier.id, what='Train tutors', term=Term.MEDIUM.value)
    done = db.run(sessions.add_action, session_id=earlier.id, what='Already finished')
    db.run(sessions.update_action, action_id=done.id, status=ActionStatus.DONE.value)

    await user.open('/sessions')
    user.find(marker='follow-up').click()
    await user.should_see('Start a session')
    assert user.find(marker='title').elements.pop().value == 'Follow-up: Autumn workshop'
    assert user.find(marker='person-name-1').elements.pop().value == 'Asha Patel'
    user.find(marker='start').click()
    later = next(s.session for s in await started(2) if s.session.id != earlier.id)
    assert later.follow_up_of == earlier.id
    carried = db.run(sessions.actions, session_id=later.id)
    assert [a.what for a in carried] == ['Map progression pathways', 'Train tutors']

    await user.open(f'/session/{later.id}/actions?key={later.facilitator_key}')
    await user.should_see('Carried from Autumn workshop')
    await user.should_see('Follow-up of “Autumn workshop”')
    with user.scope(marker=f'action-{carried[0].id}'):
        user.find(marker='review').type('Draft map shared with partners').trigger('blur')
    await eventually(
        lambda: db.run(sessions.actions, session_id=later.id)[0].review == 'Draft map shared with partners',
        'the review to be saved',
    )


# --- action board --------------------------------------------------------------------------------------------------


async def add(user: User, term: str, what: str, who: str = '') -> None:
    user.find(marker=f'new-what-{term}').type(what)
    if who:
        user.find(marker=f'new-who-{term}').type(who)
    user.find(marker=f'add-{term}').click()
    await user.should_see(marker='action-what', content=what)


async def test_action_board_add_status_filter_move_delete_undo(user: User) -> None:
    session = start()
    await user.open(f'/session/{session.id}/actions?key={session.facilitator_key}')
    await user.should_see('Action plan')
    for title in ('Short term', 'Medium term', 'Long term'):
        await user.should_see(title)
    await user.should_see('No short term actions yet.')

    await add(user, 'short', 'Agree a definition of progression', 'Asha Patel')
    await add(user, 'medium', 'Train tutors in coaching', 'Tom Reid')
    await add(user, 'long', 'Track destinations after five years', 'asha, data team')
    await add(user, 'short', 'Share the pathway map', 'Tom')
    rows = db.run(sessions.actions, session_id=session.id)
    assert [(a.term, a.what) for a in rows] == [
        ('short', 'Agree a definition of progression'),
        ('short', 'Share the pathway map'),
        ('medium', 'Train tutors in coaching'),
        ('long', 'Track destinations after five years'),
    ]
    first, second, medium, long_term = rows

    user.find(marker='add-short').click()
    await user.should_see('What needs doing is empty; type something first')
    assert len(db.run(sessions.actions, session_id=session.id)) == 4

    with user.scope(marker=f'action-{medium.id}'):
        user.find(marker='status').click()
        user.find('Agreed').click()
    await eventually(
        lambda: db.run(sessions.actions, session_id=session.id)[2].status == ActionStatus.AGREED.value, 'agreed'
    )
    await redrawn()

    with user.scope(marker=f'action-{second.id}'):
        user.find(marker='move-up').click()
    await redrawn()
    assert [a.what for a in db.run(sessions.actions, session_id=session.id)][:2] == [
        'Share the pathway map',
        'Agree a definition of progression',
    ]
    with user.scope(marker=f'action-{long_term.id}'):
        user.find(marker='to-earlier').click()
    await redrawn()
    assert next(a for a in db.run(sessions.actions, session_id=session.id) if a.id == long_term.id).term == 'medium'

    user.find(marker='filter-who').type('ASHA')
    await user.should_see('Showing 2 of 4 actions')
    await user.should_not_see('Train tutors in coaching')
    await user.should_see('Track destinations after five years')
    user.find(marker='filter-who').clear()
    await user.should_see('Train tutors in coaching')

    with user.scope(marker=f'action-{first.id}'):
        user.find(marker='delete').click()
    await user.should_not_see(marker=f'action-{first.id}')
    await user.should_see('Deleted: Agree a definition of progression')
    assert len(db.run(sessions.actions, session_id=session.id)) == 3
    user.find(marker='undo').click()
    await user.should_see(marker=f'action-{first.id}')
    assert len(db.run(sessions.actions, session_id=session.id)) == 4


async def test_action_edit_inline(user: User) -> None:
    session = start()
    action = db.run(sessions.add_action, session_id=session.id, what='Map pathways')
    await user.open(f'/session/{session.id}/actions?key={session.facilitator_key}')
    with user.scope(marker=f'action-{action.id}'):
        user.find(marker='edit').click()
    await user.should_see(marker='edit-who')
    user.find(marker='edit-who').type('Data team')
    user.find(marker='edit-resources').type('Two days of analyst time')
    user.find(marker='edit-date').type('2026-12-31')
    user.find(marker='edit-what').clear()
    user.find(marker='edit-save').click()
    await user.should_see('What needs doing is empty; type something first')
    assert user.find(marker='edit-who').elements.pop().value == 'Data team'
    user.find(marker='edit-what').type('Map every progression pathway')
    user.find(marker='edit-save').click()
    await user.should_see('Resources: ')
    await user.should_see('Two days of analyst time')
    await user.should_see('31 Dec 2026')
    saved = db.run(sessions.actions, session_id=session.id)[0]
    assert (saved.what, saved.who, saved.target_date) == (
        'Map every progression pathway',
        'Data team',
        date(2026, 12, 31),
    )


async def test_hostile_action_text_shows_literally(user: User) -> None:
    session = start()
    await user.open(f'/session/{session.id}/actions?key={session.facilitator_key}')
    await add(user, 'short', HOSTILE, HOSTILE)
    shown = [e for e in user.find(marker='action-what').elements]
    assert [e.text for e in shown] == [HOSTILE]
    assert not any(isinstance(e, (ui.html, ui.markdown)) for e in user.current_layout.descendants())


async def test_action_board_follows_changes_made_elsewhere(user: User) -> None:
    session = start()
    await user.open(f'/session/{session.id}/actions?key={session.facilitator_key}')
    await user.should_see('No long term actions yet.')
    db.run(sessions.add_action, session_id=session.id, what='Added on the console', term=Term.LONG.value)
    await user.should_see('Added on the console')


async def test_overview_shows_cards_discussed_and_a_chart_per_issue(user: User) -> None:
    session = start(theme_numbers=[LAST, FIRST])
    first_card = deck().theme(LAST).cards[0]
    db.run(sessions.add_note, session_id=session.id, card_id=first_card.id, text='We track too little')
    db.run(sessions.add_action, session_id=session.id, what='Collect destinations', card_id=first_card.id)
    await user.open(f'/session/{session.id}/actions?key={session.facilitator_key}')
    await user.should_see('Session overview')
    await user.should_see(f'Card {first_card.id}')
    with user.scope(marker='overview'):
        await user.should_see(first_card.lead)
        await user.should_see(
            f'{deck().theme_label} {LAST}: 1 of {len(deck().theme(LAST).cards)} cards discussed · 1 note · 1 action'
        )
    assert len(user.find(marker='card-discussed').elements) == 1
    chart = user.find(kind=ui.echart).elements.pop()
    assert chart.options['xAxis']['data'] == [str(LAST), str(FIRST)]
    assert chart.options['series'][0]['data'] == [1, 0]
    assert chart.options['series'][1]['data'] == [1, 0]


async def test_action_plan_with_a_wrong_key_is_refused(user: User) -> None:
    session = start()
    db.run(sessions.add_action, session_id=session.id, what='Secret plan')
    await user.open(f'/session/{session.id}/actions?key=guess')
    await user.should_see('This action plan could not be opened')
    await user.should_not_see('Secret plan')
