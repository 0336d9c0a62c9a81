"""A whole workshop, clicked through by a facilitator who has never read the README, and three phones that join with
the code the big screen shows. Everything is found as a person finds it: by what it says and what kind of control it
is; no test markers, no addresses typed except the app's front page and the join page a phone opens."""

from __future__ import annotations

import io

import pytest
from docx import Document
from nicegui import ui
from nicegui.testing import User
from nicegui.testing.user_interaction import UserInteraction

from tests.ui.test_live_workshop import SLOW


def visible(user: User, kind: type[ui.element]) -> list[ui.element]:
    assert user.client is not None
    return [e for e in user.client.layout.descendants() if isinstance(e, kind) and e.visible]


def choose(user: User, option: str) -> None:
    """Pick an option of a toggle or radio group by the words it shows (as a click on it would)."""
    with user:
        for element in visible(user, ui.toggle) + visible(user, ui.radio):
            if option in element.options.values():
                element.set_value(next(k for k, v in element.options.items() if v == option))
                return
    raise AssertionError(f'no toggle or radio offers {option!r}')


def type_into(user: User, label: str, text: str) -> None:
    """Type into the field whose visible label is `label`."""
    with user:
        fields = [e for e in visible(user, ui.input) + visible(user, ui.textarea) if e.props.get('label') == label]
        assert fields, f'no field labelled {label!r}'
        fields[0].set_value(text)


def link_target(user: User, text: str) -> str:
    """Where a link goes (what a second window opened by clicking it would show)."""
    with user:
        return next(e.props['href'] for e in visible(user, ui.link) if e.text == text)


async def phone_joins(make_user, code: str, name: str) -> User:
    phone = make_user()
    await phone.open('/join')
    type_into(phone, 'Code', code)
    type_into(phone, 'Your name', name)
    phone.find(kind=ui.button, content='Join').click()
    await phone.should_see(f'You: {name}', retries=SLOW)
    return phone


async def phone_sends(phone: User, what: str, text: str) -> None:
    choose(phone, what)
    label = {'Note': 'Your note', 'Action': 'What should be done?'}[what]
    type_into(phone, label, text)
    phone.find(kind=ui.button, content='Send').click()
    await phone.should_see('Sent', retries=SLOW)


async def test_a_whole_workshop_by_clicking_only(user: User, create_user, monkeypatch: pytest.MonkeyPatch) -> None:
    # prepare: from the front page to a started session
    await user.open('/')
    user.find(kind=ui.link, content='New session').click()
    await user.should_see('Start a session')
    type_into(user, 'Title', 'Progression away day')
    choose(user, 'In a mixed group with representation from partner organisations')
    user.find(kind=ui.button, content='Start').click()
    await user.should_see('Console · Progression away day', retries=SLOW)

    # the room opens for joining; the facilitator opens the projector (its link opens a window of its own), and the
    # big screen shows the code
    user.find(kind=ui.link, content='3 · Room').click()
    await user.should_see('Joining is closed')
    projector = create_user()
    await projector.open(link_target(user, 'Projector'))
    await projector.should_see('1 / 18', retries=SLOW)
    await projector.should_not_see('Join from your phone')
    user.find(kind=ui.button, content='Open joining').click()
    await projector.should_see('Join from your phone', retries=SLOW)
    with projector:
        code = next(e.text for e in visible(projector, ui.label) if 'ck-join-code' in e.classes)

    # three phones join with the code they read off the big screen
    ann = await phone_joins(create_user, code, 'Ann')
    bob = await phone_joins(create_user, code, 'Bob')
    cy = await phone_joins(create_user, code, 'Cy')
    await user.should_see('Who is here (3)', retries=SLOW)
    await phone_sends(ann, 'Note', 'Progression includes moving sideways')
    await user.should_see('Progression includes moving sideways', retries=SLOW)

    # groups: at most two per group, each at its own pace
    user.find(kind=ui.link, content='4 · Groups').click()
    await user.should_see('Split the room into groups')
    with user:
        next(e for e in visible(user, ui.number) if e.props.get('label') == 'At most per group').set_value(2)
    user.find(kind=ui.button, content='Split the room into groups').click()
    await user.should_see('Group 2', retries=SLOW)
    await ann.should_see('your group works at its own pace', retries=SLOW)
    await phone_sends(bob, 'Note', 'Map the progression pathways for each programme')
    await phone_sends(cy, 'Action', 'Publish progression routes on the website')

    # the plenary: outcomes side by side, a note promoted, votes, agreement
    user.find(kind=ui.link, content='5 · Plenary').click()
    await user.should_see('Map the progression pathways for each programme', retries=SLOW)
    await user.should_see('Publish progression routes on the website', retries=SLOW)
    with user:
        promote = [
            e
            for e in visible(user, ui.button)
            if e.text == 'Promote' and 'Map the progression pathways' in e.props.get('aria-label', '')
        ]
    assert promote, 'the Promote button says which note it promotes'
    UserInteraction(user, {promote[0]}, None).click()
    await user.should_see('Agreed actions (1)', retries=SLOW)
    choose(user, '3 · Plenary')
    await ann.should_see('You have 3 of 3 votes left', retries=SLOW)
    ann.find(kind=ui.button, content='Vote').click()
    await user.should_see('1 vote', retries=SLOW)
    user.find(kind=ui.button, content='Agree').click()
    await user.should_see('Agreed actions (2)', retries=SLOW)

    # the action plan and the Word report
    user.find(kind=ui.link, content='6 · Actions').click()
    await user.should_see('Action plan', retries=SLOW)
    await user.should_see('Publish progression routes on the website', retries=SLOW)
    await user.should_see('Map the progression pathways for each programme')
    user.find(kind=ui.link, content='7 · Report').click()
    await user.should_see('Word report (.docx)', retries=SLOW)
    monkeypatch.setattr(ui, 'download', user.download)  # several browsers are open: the file goes to this one
    user.find(kind=ui.button, content='Word report (.docx)').click()
    response = await user.download.next(timeout=20)
    report = Document(io.BytesIO(response.content))
    words = '\n'.join(p.text for p in report.paragraphs) + '\n'.join(
        cell.text for table in report.tables for row in table.rows for cell in row.cells
    )
    assert 'Progression away day' in words
    assert 'Publish progression routes on the website' in words
    assert 'Map the progression pathways for each programme' in words
