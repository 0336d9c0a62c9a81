"""An organisation's own deck is respected: set-up offers the deck's own ways of working and questions to think about,
and the editor speaks of the deck's own themes ("Huddle topics and cards"), names the deck in its heading and says
truly whether a version is saved. Driven as a facilitator would (NiceGUI `user` fixture)."""

from __future__ import annotations

import asyncio

import pytest
from nicegui.testing import User

from cardkit import authoring, db, sessions
from cardkit.errors import InputError
from cardkit.models import WayOfWorking

SLOW = 30  # retries of 0.1 s: the editor checks the draft 0.5 s after the last change

HUDDLE = {
    'id': 'ward-huddles',
    'title': 'Ward huddles',
    'theme_label': 'Huddle topic',
    'ways_of_working': ['at the morning huddle', 'with the ward manager', 'on your own.'],
    'think_about': ['who is on shift today'],
    'themes': [
        {'number': 1, 'title': 'Handover', 'cards': [{'id': '1.1', 'lead': 'What went well on the last shift?'}]},
        {'number': 2, 'title': 'Safety', 'cards': [{'id': '2.1', 'lead': 'What nearly went wrong?'}]},
    ],
}
THE_FIVE = [w.value[:1].upper() + w.value[1:] for w in WayOfWorking]
FALLBACK = "This deck names no ways of working of its own, so the card activity's five are offered."


def huddle_deck(*, saved: bool) -> int:
    """The organisation's huddle deck (saved as version 1 if asked); its id."""
    row = db.run(authoring.create_from_scratch)
    db.run(authoring.save_draft, org_deck_id=row.id, draft=HUDDLE)
    if saved:
        db.run(authoring.publish, org_deck_id=row.id)
    return row.id


def choose_deck(user: User, ref: str) -> None:
    user.find(marker='deck').elements.pop().value = ref


async def started() -> list:
    for _ in range(100):
        if found := db.run(sessions.list_sessions):
            return found
        await asyncio.sleep(0.02)
    raise AssertionError('expected a session to start')


async def test_set_up_offers_the_chosen_decks_own_ways_of_working_and_changes_them_with_the_deck(user: User) -> None:
    org = huddle_deck(saved=True)
    await user.open(f'/sessions/new?deck=org:{org}')
    await user.should_see('Ward huddles (your organisation, version 1)')
    for way in ('At the morning huddle', 'With the ward manager', 'On your own'):
        await user.should_see(way)
    for way in THE_FIVE[1:]:
        await user.should_not_see(way)
    await user.should_not_see(FALLBACK)
    with user.scope(marker='think-about'):
        await user.should_see('who is on shift today')
    await user.should_see('Huddle topic 1: Handover')

    choose_deck(user, 'progress-reviews')  # names no ways of working: the five, and the page says why
    await user.should_see(FALLBACK)
    for way in THE_FIVE:
        await user.should_see(way)
    await user.should_not_see('At the morning huddle')
    with user.scope(marker='think-about'):
        await user.should_not_see('who is on shift today')

    choose_deck(user, 'card-activity')  # its own list is the five
    await user.should_not_see(FALLBACK)
    await user.should_see('In a mixed group with representation from partner organisations')
    await user.should_not_see('In a mixed group with representation from partner organisations.')

    choose_deck(user, f'org:{org}')
    await user.should_see('At the morning huddle')
    await user.should_not_see('With your senior management team')
    user.find(marker='title').type('Tuesday huddle')
    user.find('On your own').click()
    user.find(marker='start').click()
    [summary] = await started()
    assert summary.session.way_of_working == 'on your own'
    assert summary.session.mode == 'solo'
    assert db.run(sessions.deck_of, session=summary.session).title == 'Ward huddles'


async def test_a_deck_without_ways_of_working_says_the_card_activitys_five_are_offered(user: User) -> None:
    await user.open('/sessions/new?deck=progress-reviews')
    await user.should_see(FALLBACK)
    user.find(marker='title').type('Reviews audit')
    user.find('With a senior colleague').click()
    user.find(marker='start').click()
    [summary] = await started()
    assert summary.session.way_of_working == WayOfWorking.SENIOR_COLLEAGUE.value


async def test_the_session_set_up_page_offers_the_decks_own_ways_and_keeps_the_chosen_one(user: User) -> None:
    org = huddle_deck(saved=True)
    deck = db.run(authoring.deck_for_session, deck_ref=f'org:{org}')
    session = db.run(sessions.start_session, deck=deck, title='Huddle', way_of_working='on your own', mode='solo')
    await user.open(f'/session/{session.id}/setup?key={session.facilitator_key}')
    await user.should_see('Session set-up')
    await user.should_see('Ward huddles · Huddle topics 1, 2')
    await user.should_see('At the morning huddle')
    await user.should_not_see('With your senior management team')
    assert user.find(marker='way').elements.pop().value == 'on your own'


async def test_the_editor_speaks_of_the_decks_own_themes_and_says_whether_a_version_is_saved(user: User) -> None:
    org = huddle_deck(saved=False)
    await user.open(f'/decks/yours/{org}')
    await user.should_see('Edit deck: Ward huddles')
    await user.should_see('Huddle topics and cards')
    await user.should_not_see('Strategic issues and cards')
    await user.should_see('Huddle topic 2: Safety')
    await user.should_see('Add a huddle topic')
    await user.should_see('Not saved as a version yet: save a version to use it in a session.')
    assert user.find(marker='outline-panel').elements.pop().props['aria-label'] == 'Huddle topics and cards'

    user.find(marker='save-version').click()
    await user.should_see('Saved as version 1.', retries=SLOW)
    await user.should_see(marker='versions', content='Version 1 saved')
    await user.should_see(marker='versions', content='sessions can use it')
    await user.should_not_see('Not saved as a version yet')
    await user.should_see(marker='no-problems', content='the same as version 1, which sessions can use')
    await user.should_not_see('save a version to use it')

    # the deck is renamed and its themes are called something else: the editor follows as it is typed
    user.find(marker='deck-title').clear().type('Ward huddles, nights')
    await user.should_see('Edit deck: Ward huddles, nights')
    user.find(marker='theme-label').clear().type('Night topic')
    await user.should_see('Night topics and cards')
    await user.should_see('Night topic 1: Handover', retries=SLOW)
    assert user.find(marker='outline-panel').elements.pop().props['aria-label'] == 'Night topics and cards'
    await user.should_see(marker='no-problems', content='changes since version 1: save a version', retries=SLOW)
    await user.should_see(marker='versions', content='Version 1 saved')

    await user.open(f'/decks/yours/{org}')  # opened again: the saved version and the changed draft
    await user.should_see('Edit deck: Ward huddles, nights')
    await user.should_see(marker='no-problems', content='changes since version 1')


async def test_a_session_runs_in_one_of_the_decks_own_ways_of_working(user: User) -> None:
    org = huddle_deck(saved=True)
    await user.open(f'/sessions/new?deck=org:{org}')
    await user.should_see('At the morning huddle')
    user.find(marker='title').type('Wednesday huddle')
    user.find('At the morning huddle').click()
    user.find(marker='start').click()
    [summary] = await started()
    assert summary.session.way_of_working == 'at the morning huddle'

    # its set-up keeps it, and moves to another of the deck's own ways
    session = summary.session
    await user.open(f'/session/{session.id}/setup?key={session.facilitator_key}')
    await user.should_see('Session set-up')
    user.find('With the ward manager').click()
    user.find(marker='save').click()
    await user.should_see('Saved')
    assert db.run(sessions.get_session, session_id=session.id).way_of_working == 'with the ward manager'

    # a way the deck does not offer is refused, by name
    deck = db.run(sessions.deck_of, session=session)
    with pytest.raises(InputError, match='The way of working must be one of: at the morning huddle, with the ward'):
        db.run(sessions.start_session, deck=deck, title='Elsewhere', way_of_working='with your senior management team')
