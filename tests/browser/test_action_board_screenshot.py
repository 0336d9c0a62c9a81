"""The action plan board and the set-up page in real Chromium: the board with actions in all three terms at
1440x900 (also saved as docs/screenshot-actions.png) and the set-up page on a 390x844 phone; screenshots go to
screenshots/.
"""

from __future__ import annotations

from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from shots import keep_for_docs, save, viewport

from cardkit import db, library, sessions
from cardkit.models import CardSession
from cardkit.sessions import PersonIn

ROOT = Path(__file__).resolve().parents[2]
DECK = 'card-activity'


def no_sideways_scroll(screen: Screen) -> bool:
    return screen.selenium.execute_script(
        'return document.documentElement.scrollWidth <= document.documentElement.clientWidth'
    )


def planned_session() -> CardSession:
    """A workshop on issues 1 and 6 with notes and actions in all three terms, one carried from an earlier session."""
    deck = library.shipped().get(DECK)
    earlier = db.run(sessions.start_session, deck=deck, title='Spring review', theme_numbers=[6])
    db.run(
        sessions.add_action,
        session_id=earlier.id,
        what='Publish a map of progression pathways for every curriculum area',
        who='Head of curriculum',
        term='medium',
        card_id='6.1',
    )
    session = db.run(
        sessions.start_session,
        deck=deck,
        title='Progression planning day',
        theme_numbers=[1, 6],
        way_of_working='with your senior management team',
        follow_up_of=earlier.id,
        people=[PersonIn('Asha Patel', 'Head of quality'), PersonIn('Tom Reid')],
    )
    for card in ('1.1', '1.2', '6.1'):
        db.run(sessions.go_to_card, session_id=session.id, card_id=card)
    db.run(sessions.add_note, session_id=session.id, card_id='1.1', text='Progression includes lateral moves.')
    db.run(sessions.add_note, session_id=session.id, card_id='1.1', text='Ask the learner panel what it means to them.')
    db.run(sessions.add_note, session_id=session.id, card_id='6.1', text='We do tutorials well.')
    carried = db.run(sessions.actions, session_id=session.id)[0]
    db.run(
        sessions.update_action, action_id=carried.id, review='Draft map shared with two faculties', status='in progress'
    )
    db.run(
        sessions.add_action,
        session_id=session.id,
        card_id='1.1',
        what='Agree a shared definition of progression',
        who='Asha Patel',
        status='agreed',
        target_date='2026-12-18',
        resources='Half a day at the next SMT meeting',
    )
    db.run(
        sessions.add_action,
        session_id=session.id,
        card_id='6.1',
        what='Add progression aspirations to every ILP',
        who='Tutors, Tom Reid',
        term='short',
    )
    db.run(
        sessions.add_action,
        session_id=session.id,
        card_id='6.1',
        what='Track destinations one and five years on',
        who='Data team',
        term='long',
        resources='MIS changes; survey budget',
    )
    db.run(sessions.add_action, session_id=session.id, what='<img src=x onerror=alert(1)>', term='long')
    return session


def test_action_board_at_1440(screen: Screen) -> None:
    session = planned_session()
    with viewport(screen, 1440, 900):
        screen.open(f'/session/{session.id}/actions?key={session.facilitator_key}')
        for text in (
            'Short term',
            'Medium term',
            'Long term',
            'Agree a shared definition of progression',
            'Carried from Spring review',
            'Track destinations one and five years on',
            'Session overview',
            '<img src=x onerror=alert(1)>',
        ):
            screen.should_contain(text)
        assert not screen.selenium.find_elements(By.CSS_SELECTOR, 'main img')  # the hostile text stayed text
        columns = screen.find_all_by_class('ck-term')
        assert len(columns) == 3
        tops = {round(c.rect['y']) for c in columns}
        assert len(tops) == 1, 'the three terms sit side by side'
        assert no_sideways_scroll(screen)
        path = save(screen, 'actions-1440x900')
        keep_for_docs(path, 'screenshot-actions.png')
        overview = screen.find('Session overview')
        screen.selenium.execute_script('arguments[0].scrollIntoView()', overview)
        assert screen.find_by_tag('canvas').size['height'] > 100  # the chart drew
        save(screen, 'actions-overview-1440x900')


def test_setup_page_on_a_phone(screen: Screen) -> None:
    with viewport(screen, 390, 844, mobile=True):
        screen.open(f'/sessions/new?deck={DECK}')
        screen.should_contain('Start a session')
        screen.should_contain('Before trying it, think about:')
        assert no_sideways_scroll(screen)
        save(screen, 'setup-390x844')
        screen.selenium.execute_script('arguments[0].scrollIntoView()', screen.find('Who is involved'))
        save(screen, 'setup-people-390x844')
        assert no_sideways_scroll(screen)


def test_sessions_list_at_1440(screen: Screen) -> None:
    session = planned_session()
    with viewport(screen, 1440, 900):
        screen.open('/sessions')
        screen.should_contain('Progression planning day')
        screen.should_contain('Spring review')
        assert no_sideways_scroll(screen)
        save(screen, 'sessions-1440x900')
        screen.click('Delete')
        screen.should_contain('Delete the session “')
        save(screen, 'sessions-delete-1440x900')
    assert db.run(sessions.get_session, session_id=session.id)
