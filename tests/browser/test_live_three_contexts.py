"""A live workshop in real Chromium, three browsers at once: the facilitator (room and console), the plenary big
screen (1920x1080) and a participant's phone (390x844). Saves screenshots of each, and the phone view for the docs."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nicegui.testing import Screen
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support.ui import WebDriverWait
from shots import keep_for_docs

from cardkit import db, library, sessions

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / 'screenshots'
DECK = 'card-activity'
FLAGS = (
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
)


@contextmanager
def browser(width: int, height: int, *, mobile: bool = False) -> Iterator[WebDriver]:
    """Another Chromium with its own profile (so its own cookies and user storage), at an exact viewport."""
    profile = tempfile.mkdtemp(prefix='cardkit-chrome-')
    options = webdriver.ChromeOptions()
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f'--user-data-dir={profile}')
    options.add_argument(f'--window-size={width},{height}')
    driver = webdriver.Chrome(service=Service('/usr/bin/chromedriver'), options=options)
    try:
        driver.execute_cdp_cmd(
            'Emulation.setDeviceMetricsOverride',
            {'width': width, 'height': height, 'deviceScaleFactor': 2 if mobile else 1, 'mobile': mobile},
        )
        driver.implicitly_wait(0)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def wait_text(driver: WebDriver, text: str, timeout: float = 5.0) -> float:
    """Wait until the page shows the text; returns the seconds it took."""
    start = time.monotonic()
    WebDriverWait(
        driver,
        timeout,
        poll_frequency=0.02,
        ignored_exceptions=(StaleElementReferenceException, NoSuchElementException),
    ).until(lambda d: text in d.find_element(By.TAG_NAME, 'body').text, f'the page never showed {text!r}')
    return time.monotonic() - start


def find(driver: WebDriver, xpath: str, timeout: float = 4.0):
    """The element once it is there (the server may still be sending it)."""
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        lambda d: d.find_element(By.XPATH, xpath), f'nothing matches {xpath}'
    )


def field(driver: WebDriver, label: str):
    """The input or textarea of a NiceGUI field by its visible label."""
    return find(
        driver,
        f'//label[.//div[contains(@class, "q-field__label") and normalize-space()="{label}"]]'
        '//*[self::input or self::textarea]',
    )


def button(driver: WebDriver, text: str):
    return find(driver, f'//button[.//span[normalize-space()="{text}"]]')


def save(driver: WebDriver, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f'{name}.png'
    time.sleep(0.6)  # let the card's turn animation and notifications settle
    assert driver.save_screenshot(str(path))
    return path


def no_sideways_scroll(driver: WebDriver) -> bool:
    return driver.execute_script('return document.documentElement.scrollWidth <= document.documentElement.clientWidth')


def test_facilitator_projector_and_phone_follow_each_other_live(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    session = db.run(sessions.start_session, deck=deck, title='Progression away day', theme_numbers=[1, 2])
    base = f'http://localhost:{screen.PORT}'
    facilitator = screen.selenium
    facilitator.execute_cdp_cmd(
        'Emulation.setDeviceMetricsOverride', {'width': 1440, 'height': 1000, 'deviceScaleFactor': 1, 'mobile': False}
    )
    try:
        screen.open(f'/session/{session.id}/room?key={session.facilitator_key}')
        screen.should_contain('Joining is closed')
        screen.click('Open joining')
        screen.should_contain('Join at')
        code = db.run(sessions.get_session, session_id=session.id).join_code
        assert code
        screen.should_contain(code)
        qr = facilitator.find_element(By.CSS_SELECTOR, 'img[alt^="QR code for the join link"]')
        assert qr.get_attribute('src').startswith('data:image/svg+xml;base64,')
        assert qr.size['width'] >= 150

        with browser(1920, 1080) as projector, browser(390, 844, mobile=True) as phone:
            projector.get(f'{base}/session/{session.id}/plenary?key={sessions.projector_key(session)}')
            wait_text(projector, code)
            wait_text(projector, 'The groups’ outcomes appear here in the plenary.')

            phone.get(f'{base}/join/{code}')
            wait_text(phone, 'Session: Progression away day')
            field(phone, 'Your name').send_keys('Priya')
            field(phone, 'Your role (optional)').send_keys('Learning coach')
            button(phone, 'Join').click()
            wait_text(phone, 'You: Priya (Learning coach)')
            wait_text(phone, deck.card('1.1').lead)
            assert '/take-part?s=' in phone.current_url and 'token' not in phone.current_url
            screen.should_contain('Priya')  # the room saw her arrive without a reload
            screen.should_contain('Who is here (1)')

            note = 'Progression can be sideways: a second vocational area'
            field(phone, 'Your note').send_keys(note)
            button(phone, 'Send').click()
            wait_text(phone, 'Sent')
            screen.should_contain(note)  # arrives on the room page live
            assert no_sideways_scroll(phone)
            WebDriverWait(phone, 5).until(lambda d: not d.find_elements(By.CSS_SELECTOR, '.q-notification'))
            save(phone, 'live-participant-390x844')
            keep_for_docs(SHOTS / 'live-participant-390x844.png', 'screenshot-participant.png')
            save(facilitator, 'live-room-1440')

            # the facilitator moves the card on the console; the phone follows within a second
            screen.open(f'/session/{session.id}/console?key={session.facilitator_key}')
            screen.should_contain(deck.card('1.1').lead)
            facilitator.find_element(By.CSS_SELECTOR, 'button[aria-label="Next card"]').click()
            took = wait_text(phone, deck.card('1.2').lead, timeout=1.0)
            assert took < 1.0
            save(facilitator, 'live-console-1440')
            save(phone, 'live-participant-next-card-390x844')

            # a proposed action from the phone, then the plenary on the big screen
            assert [n.text for n in db.run(sessions.notes, session_id=session.id)] == [note]
            screen.click('5 · Plenary')  # the workshop's plenary stage
            screen.should_contain('Actions and votes')
            button(phone, 'Action').click()
            field(phone, 'What should be done?').send_keys('Map progression routes for every programme')
            button(phone, 'Send').click()
            screen.should_contain('Map progression routes for every programme')  # proposed, live
            button(facilitator, '3 · Plenary').click()
            wait_text(projector, note)
            wait_text(projector, 'Whole room')
            wait_text(projector, 'Priya')
            save(projector, 'live-plenary-screen-1920x1080')
            wait_text(phone, 'You have 3 of 3 votes left')
            button(phone, 'Vote').click()
            wait_text(phone, 'You have 2 of 3 votes left')
            wait_text(projector, '1 vote')
            phone.execute_script(
                'arguments[0].scrollIntoView()',
                phone.find_element(By.XPATH, '//*[normalize-space()="Vote for the actions that matter most"]'),
            )
            save(phone, 'live-participant-voting-390x844')
            save(projector, 'live-plenary-screen-votes-1920x1080')
            screen.should_contain('1 vote')
            facilitator.execute_script(
                'arguments[0].scrollIntoView()',
                facilitator.find_element(
                    By.XPATH, '//h2[normalize-space()="Plenary: the groups’ outcomes side by side"]'
                ),
            )
            save(facilitator, 'live-room-plenary-1440')
    finally:
        facilitator.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})
