"""Facilitator pages from another device: refused until the installation's facilitator code is given."""

from __future__ import annotations

import json

import pytest
from nicegui.testing import User

from cardkit import config, db, sessions
from cardkit.library import shipped
from cardkit.ui import access
from cardkit.workshop import WrongCodes


@pytest.fixture
def remote_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Treat the test browser like a participant's phone: not on the server's machine."""
    monkeypatch.setenv('CARDKIT_TRUST_LOOPBACK', '0')
    monkeypatch.setenv('CARDKIT_FACILITATOR_CODE', 'open-sesame-42')
    monkeypatch.setattr(access, '_throttle', WrongCodes(burst=5, refill=12.0))


async def test_sessions_list_needs_the_facilitator_code(user: User, remote_browser):
    db.run(sessions.start_session, deck=shipped().get('card-activity'), title='Board away day', theme_numbers=[6])
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
    db.run(sessions.start_session, deck=shipped().get('card-activity'), title='Local run', theme_numbers=[1])
    await user.open('/sessions')
    await user.should_see('Local run')


async def test_participant_pages_offer_no_way_into_facilitator_pages(user: User, remote_browser):
    await user.open('/join')
    await user.should_see('Join a session')
    for facilitator_link in ('Sessions', 'New session', 'Decks'):
        await user.should_not_see(facilitator_link)


async def test_a_local_proxy_passing_on_other_peoples_requests_is_not_the_facilitator(
    user: User, monkeypatch: pytest.MonkeyPatch
):
    """Behind a reverse proxy on the same machine every request comes from 127.0.0.1: one that names the public host,
    or carries forwarding headers from an unlisted proxy, still has to give the code."""
    monkeypatch.setenv('CARDKIT_ALLOWED_HOSTS', 'cardkit.college.ac.uk')
    db.run(sessions.start_session, deck=shipped().get('card-activity'), title='Board away day', theme_numbers=[6])
    user.http_client.headers['Host'] = 'cardkit.college.ac.uk'
    await user.open('/sessions')
    await user.should_see('Facilitators only')
    await user.should_not_see('Board away day')
    user.http_client.headers['Host'] = '127.0.0.1:8080'
    user.http_client.headers['X-Forwarded-For'] = '203.0.113.5'
    await user.open('/sessions')
    await user.should_see('Facilitators only')
    await user.should_not_see('Board away day')


async def test_the_browser_keeps_a_digest_of_the_code_not_the_code(user: User, remote_browser):
    from nicegui import app

    await user.open('/sessions')
    user.find(marker='facilitator-code').type('open-sesame-42')
    user.find(marker='sign-in').click()
    await user.should_see('Sessions')
    with user:
        stored = dict(app.storage.user)
    assert 'open-sesame-42' not in json.dumps(stored)
    assert stored['cardkit_facilitator'] == config.facilitator_token()
