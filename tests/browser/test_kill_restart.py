"""A session survives the server being killed: `python main.py --port N` as a real process, a console in real
Chromium, notes typed and cards moved, SIGKILL, a restart on the same data folder, and the console shows the same card,
the same side and every note.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from cardkit import db, library, sessions

ROOT = Path(__file__).resolve().parents[2]
CHROME_FLAGS = (
    '--headless=new',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--window-size=1440,900',
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class Server:
    """`python main.py --port N` on a data folder, started and killed like a real deployment."""

    def __init__(self, data_dir: Path, logs: Path) -> None:
        self.port = free_port()
        self.data_dir = data_dir
        self.logs = logs
        self.process: subprocess.Popen | None = None
        self.url = f'http://127.0.0.1:{self.port}'

    def start(self) -> None:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(('PYTEST', 'NICEGUI')) and name != 'DATABASE_URL'
        }
        env |= {
            'CARDKIT_DATA_DIR': str(self.data_dir),
            'CARDKIT_SECRET': 'kill-restart-secret',
            'CARDKIT_EXPORTS_DIR': str(self.data_dir / 'exports'),
        }
        with (self.logs / 'server.log').open('ab') as log:
            self.process = subprocess.Popen(
                [sys.executable, 'main.py', '--port', str(self.port)],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f'the server stopped: {(self.logs / "server.log").read_text()}'
            try:
                with urllib.request.urlopen(f'{self.url}/', timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.25)
        raise AssertionError('the server did not start within 60 seconds')

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    data = tmp_path / 'server-data'
    data.mkdir()
    monkeypatch.setenv('CARDKIT_DATA_DIR', str(data))  # the test reads the same database file as the server
    monkeypatch.delenv('DATABASE_URL', raising=False)
    db.reset()
    running = Server(data, tmp_path)
    running.start()
    yield running
    running.stop()
    db.reset()


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    for flag in CHROME_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path='/usr/bin/chromedriver'), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def wait_until(check: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (NoSuchElementException, StaleElementReferenceException):
            pass
        time.sleep(0.1)
    raise AssertionError(f'gave up waiting for {what}')


def visible_text(driver: webdriver.Chrome) -> str:
    """The page's text as shown, lower-cased (card labels are shown in capitals)."""
    return driver.find_element(By.TAG_NAME, 'body').text.lower()


def textarea_values(driver: webdriver.Chrome) -> list[str]:
    return [area.get_attribute('value') for area in driver.find_elements(By.TAG_NAME, 'textarea')]


def add_note(driver: webdriver.Chrome, text: str) -> None:
    """Type a note and press Enter, as a facilitator does; it shows in the list once committed."""
    field = driver.find_element(By.XPATH, '//textarea[@aria-label="Add a note"]')
    field.click()
    field.send_keys(text)
    field.send_keys(Keys.ENTER)
    wait_until(
        lambda: (
            textarea_values(driver).count(text) == 1
            and driver.find_element(By.XPATH, '//textarea[@aria-label="Add a note"]').get_attribute('value') == ''
        ),
        f'the note {text!r} in the list',
    )


def press(driver: webdriver.Chrome, key: str) -> None:
    """Press a key with nothing in particular focused (so it drives the cards, not a text field)."""
    driver.execute_script('document.activeElement && document.activeElement.blur()')
    ActionChains(driver).send_keys(key).perform()


def start_through_the_setup_page(driver: webdriver.Chrome, server: Server) -> str:
    """Start a session on the set-up page; returns the console address it leads to."""
    driver.get(f'{server.url}/sessions/new?deck=card-activity')
    title = driver.find_element(By.XPATH, '//input[@aria-label="Title"]')
    wait_until(lambda: title.is_displayed(), 'the set-up form')
    title.send_keys(Keys.CONTROL, 'a')
    title.send_keys('Kill and restart workshop')
    driver.find_element(By.XPATH, '//button[.//span[normalize-space()="Start"]]').click()
    wait_until(lambda: '/console?key=' in driver.current_url, 'the console after starting')
    return driver.current_url


def start_in_the_database(server: Server) -> str:
    session = db.run(
        sessions.start_session, deck=library.shipped().get('card-activity'), title='Kill and restart workshop'
    )
    db.reset()
    return f'{server.url}/session/{session.id}/console?key={session.facilitator_key}'


def test_notes_card_and_side_survive_a_killed_server(server: Server, browser: webdriver.Chrome) -> None:
    deck = library.shipped().get('card-activity')
    try:
        console = start_through_the_setup_page(browser, server)
    except (AssertionError, NoSuchElementException):  # the set-up page is not in place: start it directly
        console = start_in_the_database(server)
    session_id = int(console.split('/session/')[1].split('/')[0])
    first, second, third = deck.cards[:3]

    browser.get(console)
    wait_until(lambda: first.lead.lower() in visible_text(browser), 'the first card')
    add_note(browser, 'Progression means different things to different learners')
    add_note(browser, 'Ask the learner voice group')

    press(browser, Keys.ARROW_RIGHT)
    wait_until(lambda: second.lead.split(':')[0].lower() in visible_text(browser), 'the second card')
    press(browser, Keys.ARROW_RIGHT)
    wait_until(lambda: third.lead.lower() in visible_text(browser), 'the third card')
    add_note(browser, 'Transport costs stop evening learners progressing')
    press(browser, ' ')
    wait_until(lambda: f'discussion prompts {third.id}' in visible_text(browser), 'the back of the third card')
    wait_until(
        lambda: (lambda s: s.current_index == 2 and s.flipped)(db.run(sessions.get_session, session_id=session_id)),
        'the side to be committed',
    )

    server.kill()
    db.reset()
    server.start()

    browser.get(console)
    wait_until(
        lambda: f'discussion prompts {third.id}' in visible_text(browser), 'the same card and side after the restart'
    )
    assert f'card 3 of {len(deck.cards)}' in visible_text(browser)
    wait_until(
        lambda: 'Transport costs stop evening learners progressing' in textarea_values(browser),
        'the note on the third card',
    )
    browser.find_element(By.XPATH, '//button[@aria-label="Previous card"]').click()
    browser.find_element(By.XPATH, '//button[@aria-label="Previous card"]').click()
    wait_until(lambda: first.lead.lower() in visible_text(browser), 'the first card again')
    wait_until(
        lambda: (
            {'Progression means different things to different learners', 'Ask the learner voice group'}
            <= set(textarea_values(browser))
        ),
        'the notes on the first card',
    )
    assert [n.text for n in db.run(sessions.notes, session_id=session_id)] == [
        'Progression means different things to different learners',
        'Ask the learner voice group',
        'Transport costs stop evening learners progressing',
    ]
