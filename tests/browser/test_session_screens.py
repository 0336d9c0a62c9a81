"""The console, projector and solo screens in real Chromium: the projector follows the console's keys within a
second; screenshots of each screen (console 1440x900, projector 1920x1080 front, back and high contrast, solo at
390x844) are saved to screenshots/.
"""

from __future__ import annotations

import time
from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from shots import save, viewport

from cardkit import db, sessions
from cardkit.deck import Deck
from cardkit.deckfile import DeckError, load_deck
from cardkit.models import CardSession

ROOT = Path(__file__).resolve().parents[2]
ACTIVITY = ROOT / 'decks' / 'card-activity.yaml'


def activity_deck() -> Deck:
    """The shipped card activity (the UI tests' stand-in while its file is being written)."""
    try:
        return load_deck(ACTIVITY)
    except DeckError:
        from tests.ui.test_console_solo import STAND_IN

        return STAND_IN


def start(mode: str = 'facilitated') -> CardSession:
    return db.run(sessions.start_session, deck=activity_deck(), title='Progression planning day', mode=mode)


def with_entries(session: CardSession) -> None:
    """Notes, a coaching question, a rating-free card's actions: what a console looks like mid-workshop."""
    db.run(
        sessions.add_note,
        session_id=session.id,
        card_id='1.1',
        text='Progression is more than moving up a level: lateral moves and work count too.',
    )
    db.run(sessions.add_note, session_id=session.id, card_id='1.1', text='Ask the learner panel what it means to them.')
    db.run(
        sessions.add_note,
        session_id=session.id,
        card_id='1.1',
        kind='question',
        stem='who',
        text="Who records learners' progression aspirations at enrolment?",
    )
    db.run(
        sessions.add_action,
        session_id=session.id,
        card_id='1.1',
        what='Agree a shared definition of progression',
        term='short',
        who='Head of quality',
        status='agreed',
        target_date='2026-12-18',
    )


def px(screen: Screen, css: str) -> float:
    return screen.selenium.execute_script(
        'return parseFloat(getComputedStyle(arguments[0]).fontSize)', screen.find_by_css(css)
    )


def fits_the_screen(screen: Screen) -> bool:
    return screen.selenium.execute_script(
        'const d = document.documentElement; return d.scrollWidth <= d.clientWidth && d.scrollHeight <= innerHeight'
    )


def no_sideways_scroll(screen: Screen) -> bool:
    return screen.selenium.execute_script(
        'return document.documentElement.scrollWidth <= document.documentElement.clientWidth'
    )


def textarea_values(screen: Screen) -> list[str]:
    """What the text areas show (notes are edited in place, so they are text areas)."""
    return [area.get_attribute('value') for area in screen.selenium.find_elements(By.TAG_NAME, 'textarea')]


def shown(screen: Screen) -> str:
    """Everything the page shows: its text, and what its text areas hold (saved actions are shown as text)."""
    return screen.selenium.find_element(By.TAG_NAME, 'body').text + '\n' + '\n'.join(textarea_values(screen))


def console_url(session: CardSession) -> str:
    return f'/session/{session.id}/console?key={session.facilitator_key}'


def projector_url(session: CardSession, contrast: str = '') -> str:
    return f'/session/{session.id}/projector?key={sessions.projector_key(session)}' + (
        f'&contrast={contrast}' if contrast else ''
    )


def test_right_arrow_on_the_console_moves_the_projector_within_a_second(screen: Screen) -> None:
    deck = activity_deck()
    session = start()
    screen.open(console_url(session))
    screen.should_contain(deck.card('1.1').lead)
    console = screen.selenium.current_window_handle

    screen.selenium.switch_to.new_window('window')
    screen.open(projector_url(session))
    screen.should_contain(deck.card('1.1').lead)
    projector = screen.selenium.current_window_handle

    screen.selenium.switch_to.window(console)
    screen.type(Keys.ARROW_RIGHT)
    pressed = time.monotonic()
    screen.selenium.switch_to.window(projector)
    screen.wait_for(lambda: bool(screen.find_all(deck.card('1.2').lead)) or time.monotonic() - pressed > 1.0)
    assert screen.find_all(deck.card('1.2').lead), 'the projector did not follow within a second'
    assert time.monotonic() - pressed <= 1.0
    screen.should_contain(f'2 / {len(session.card_ids)}')

    screen.selenium.switch_to.window(console)
    screen.type(' ')
    screen.selenium.switch_to.window(projector)
    screen.should_contain('Discussion prompts 1.2')
    assert db.run(sessions.get_session, session_id=session.id).flipped


def test_console_screenshot(screen: Screen) -> None:
    deck = activity_deck()
    session = start()
    with_entries(session)
    with viewport(screen, 1440, 900):
        screen.open(console_url(session))
        screen.should_contain(deck.card('1.1').lead)
        screen.should_contain('Card 1 of')
        screen.wait_for(lambda: 'Agree a shared definition of progression' in shown(screen))
        assert 'Ask the learner panel what it means to them.' in shown(screen)
        assert no_sideways_scroll(screen)
        assert px(screen, '.ck-lead') >= 28
        save(screen, 'console-1440x900')
        screen.click('Open projector')  # opens a second window with the projector
        screen.wait_for(lambda: len(screen.selenium.window_handles) == 2)
        screen.selenium.switch_to.window(screen.selenium.window_handles[-1])
        screen.should_contain(deck.card('1.1').lead)
        assert '/projector?key=' in screen.selenium.current_url


def test_console_screenshots_of_an_action_card_and_a_checklist_card(screen: Screen) -> None:
    deck = activity_deck()
    session = start()
    with_entries(session)
    db.run(
        sessions.add_action,
        session_id=session.id,
        card_id='6.1',
        what='Review tutorial scheme of work for progression',
        term='medium',
        who='Curriculum managers',
        resources='Two twilight sessions',
    )
    db.run(sessions.go_to_card, session_id=session.id, card_id='6.1')
    with viewport(screen, 1440, 900):
        screen.open(console_url(session))
        screen.should_contain(deck.card('6.1').lead)
        screen.should_contain('Agree actions')
        screen.wait_for(lambda: 'Review tutorial scheme of work for progression' in shown(screen))
        assert 'Agree a shared definition of progression' in shown(screen)  # the whole plan so far
        assert no_sideways_scroll(screen)
        save(screen, 'console-actions-1440x900')

    reviews = load_deck(ROOT / 'decks' / 'progress-reviews.yaml')
    checklist = db.run(sessions.start_session, deck=reviews, title='Progress reviews audit', mode='solo')
    card = reviews.cards[0]
    item_key, _ = card.item_labels()[0]
    db.run(
        sessions.rate_item,
        session_id=checklist.id,
        card_id=card.id,
        item_key=item_key,
        rating=1,
        evidence='Learner voice survey, spring term',
        needs='Tutors model target setting',
    )
    with viewport(screen, 1440, 900):
        screen.open(f'/session/{checklist.id}/solo?key={checklist.facilitator_key}')
        screen.should_contain('Evidence')
        screen.should_contain(card.item_labels()[1][1])
        screen.selenium.execute_script('document.querySelector(".ck-item-rating").scrollIntoView()')
        save(screen, 'solo-checklist-1440x900')


def test_projector_screenshots_front_back_and_high_contrast(screen: Screen) -> None:
    deck = activity_deck()
    session = start()
    db.run(sessions.go_to_card, session_id=session.id, card_id='1.2')
    with viewport(screen, 1920, 1080):
        screen.open(projector_url(session))
        screen.should_contain(deck.card('1.2').lead)
        screen.should_contain(f'2 / {len(session.card_ids)}')
        assert px(screen, '.ck-lead') >= 70  # readable from the back of the room
        assert fits_the_screen(screen)
        save(screen, 'projector-front-1920x1080')

        db.run(sessions.flip, session_id=session.id, flipped=True)
        screen.should_contain('Discussion prompts 1.2')
        screen.wait(0.8)
        assert px(screen, '.ck-face') >= 24
        assert fits_the_screen(screen)
        save(screen, 'projector-back-1920x1080')

        screen.type('h')
        screen.wait_for(lambda: 'ck-high-contrast' in (screen.find_by_tag('body').get_attribute('class') or ''))
        save(screen, 'projector-back-high-contrast-1920x1080')
        background = screen.selenium.execute_script(
            'return getComputedStyle(document.querySelector(".ck-card")).backgroundColor'
        )
        assert background == 'rgb(0, 0, 0)'

        db.run(sessions.flip, session_id=session.id, flipped=False)
        db.run(sessions.set_timer, session_id=session.id, seconds=600)
        screen.open(projector_url(session, 'high'))
        screen.should_contain(deck.card('1.2').lead)
        screen.should_contain(' left')
        save(screen, 'projector-front-high-contrast-1920x1080')


def test_solo_screenshot_on_a_phone(screen: Screen) -> None:
    deck = activity_deck()
    session = start(mode='solo')
    with_entries(session)
    with viewport(screen, 390, 844, mobile=True):
        screen.open(f'/session/{session.id}/solo?key={session.facilitator_key}')
        screen.should_contain(deck.card('1.1').lead)
        assert no_sideways_scroll(screen)
        save(screen, 'solo-390x844')
        screen.click('Turn over')
        screen.should_contain('Discussion prompts 1.1')
        assert no_sideways_scroll(screen)
        save(screen, 'solo-back-390x844')
        screen.selenium.execute_script('document.querySelector(".ck-capture").scrollIntoView()')
        save(screen, 'solo-capture-390x844')
