"""The facilitator's workspace, told as a facilitator uses it: the stages of the activity in order, each one click
from every other and from the sessions list, and the big screen that shows the room how to join."""

from __future__ import annotations

import re

from nicegui import ui
from nicegui.testing import User

from cardkit import db, sessions, workshop
from cardkit.models import Mode
from tests.ui.test_live_workshop import (
    SLOW,
    elements,
    join,
    start,
)

STAGE_NAMES = ['1 · Prepare', '2 · Cards', '3 · Room', '4 · Groups', '5 · Plenary', '6 · Actions', '7 · Report']


def stage_links(user: User) -> list[ui.link]:
    """The stage links in the order the page shows them."""
    assert user.client is not None
    return [e for e in user.client.layout.descendants() if isinstance(e, ui.link) and re.fullmatch(r'\d · \w+', e.text)]


def current_stage(user: User) -> list[str]:
    return [e.text for e in stage_links(user) if e.props.get('aria-current') == 'step']


async def test_every_stage_is_one_click_from_every_other_and_the_current_one_is_marked(user: User) -> None:
    session = start('Staff development day')
    await user.open('/sessions')
    user.find('Resume').click()
    await user.should_see('Console · Staff development day')
    assert [e.text for e in stage_links(user)] == STAGE_NAMES
    assert current_stage(user) == ['2 · Cards']
    headings = {
        '3 · Room': 'Joining',
        '4 · Groups': 'Split the room into groups',
        '5 · Plenary': 'Plenary: the groups’ outcomes side by side',
        '6 · Actions': 'Action plan',
        '7 · Report': 'Word report',
        '1 · Prepare': 'Who is involved',
        '2 · Cards': 'Timer',
    }
    for name, shows in headings.items():
        user.find(kind=ui.link, content=name).click()
        await user.should_see(shows)
        assert current_stage(user) == [name], f'{name} is the current stage once opened'
        assert len(stage_links(user)) == len(STAGE_NAMES), f'every stage is reachable from {name}'
    assert session.id


async def test_the_sessions_list_leads_to_the_room_and_resumes_where_the_room_is(user: User) -> None:
    session = start('Senior team away day')
    db.run(workshop.set_phase, session_id=session.id, phase='groups')
    await user.open('/sessions')
    user.find(kind=ui.link, content='Room').click()
    await user.should_see('Open joining')
    await user.open('/sessions')
    user.find('Resume').click()  # the room is working in groups: that is where the facilitator picks it up
    await user.should_see('Split the room into groups')
    assert current_stage(user) == ['4 · Groups']


async def test_someone_working_alone_sees_only_their_own_stages(user: User) -> None:
    solo = db.run(sessions.start_session, **{**_solo_arguments(), 'title': 'My own review'})
    assert solo.mode == Mode.SOLO
    await user.open('/sessions')
    user.find('Resume').click()
    await user.should_see('Tap the card or press Space to turn it over')
    assert [e.text for e in stage_links(user)] == ['1 · Prepare', '2 · Cards', '3 · Actions', '4 · Report']
    await user.should_not_see(content='Room', kind=ui.link)


def _solo_arguments() -> dict:
    from cardkit import library

    return {
        'deck': library.shipped().get('card-activity'),
        'theme_numbers': [1],
        'way_of_working': 'on your own',
        'mode': Mode.SOLO,
    }


async def test_the_projector_shows_the_join_code_while_joining_is_open(user: User, create_user) -> None:
    session = start('Progression away day')
    projector = create_user()
    await projector.open(f'/session/{session.id}/projector?key={sessions.projector_key(session)}')
    await projector.should_see(marker='projector')
    await projector.should_not_see('Join from your phone')

    await user.open(f'/session/{session.id}/room?key={session.facilitator_key}')
    user.find(kind=ui.button, content='Open joining').click()
    await user.should_see('Close joining', retries=SLOW)
    code = db.run(sessions.get_session, session_id=session.id).join_code
    assert code
    await projector.should_see('Join from your phone', retries=SLOW)
    await projector.should_see(code)
    await projector.should_see(f'/join/{code}')
    with projector:
        qr = [e for e in elements(projector, 'join-qr')]
    assert qr and qr[0].props['alt'].endswith(f'/join/{code}')

    phone = await join(create_user, code, 'Ann')  # the code on the big screen lets a phone in
    await phone.should_see('You: Ann')

    user.find(kind=ui.button, content='Close joining').click()
    await projector.should_not_see('Join from your phone', retries=SLOW)
    await projector.should_not_see(code)
