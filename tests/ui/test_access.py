"""Facilitator pages from another device: refused until the installation's facilitator code is given."""
from __future__ import annotations

import pytest
from nicegui.testing import User

from cardkit import sessions
from cardkit.library import shipped
from cardkit.ui import access
from cardkit.workshop import JoinThrottle


@pytest.fixture
def remote_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat the test browser like a participant's phone: not on the server's machine."""
    monkeypatch.setenv('CARDKIT_TRUST_LOOPBACK', '0')
    monkeypatch.setenv('CARDKIT_FACILITATOR_CODE', 'open-sesame-42')
    monkeypatch.setattr(access, '_throttle', JoinThrottle(limit=5, window=60))


async def test_sessions_list_needs_the_facilitator_code(user: User, remote_browser):
    sessions.start_session(deck=shipped().get('card-activity'), title='Board away day', theme_numbers=[6])
    await user.open('/sessions')
    await user.should_see('Facilitators only')
    await user.should_not_see('Board away day')

    user.find(marker='facilitator-code').type('guess')
    user.find(marker='sign-in').click()
    await user.should_see('That is not the facilitator code.')
    await user.should_not_see('Board away day')

    user.find(marker='facilitator-code').clear().type('open-sesame-42')
    user.find(marker='sign-in').click()
    await user.should_see('Board away day')


async def test_code_guessing_is_throttled(user: User, remote_browser):
    await user.open('/sessions/new')
    await user.should_see('Facilitators only')
    for attempt in range(5):
        user.find(marker='facilitator-code').clear().type(f'guess-{attempt}')
        user.find(marker='sign-in').click()
        await user.should_see('That is not the facilitator code.')
    user.find(marker='facilitator-code').clear().type('open-sesame-42')
    user.find(marker='sign-in').click()
    await user.should_see('Too many attempts; try again in')


async def test_a_browser_on_the_server_machine_is_the_facilitator(user: User):
    sessions.start_session(deck=shipped().get('card-activity'), title='Local run', theme_numbers=[1])
    await user.open('/sessions')
    await user.should_see('Local run')


async def test_participant_pages_offer_no_way_into_facilitator_pages(user: User, remote_browser):
    await user.open('/join')
    await user.should_see('Join a session')
    for facilitator_link in ('Sessions', 'New session', 'Decks'):
        await user.should_not_see(facilitator_link)
