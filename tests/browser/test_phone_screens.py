"""The participant's phone page in real Chromium at 390x844: a question starter goes in at the cursor, in the browser,
keeping what was typed; screenshots of the card's front, its back (the lead question above the prompts) and the list
of notes sent are saved to screenshots/."""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait
from shots import save, viewport

from cardkit import db, library, sessions, workshop

DECK = 'card-activity'


def field(screen: Screen, label: str) -> WebElement:
    """The text area of a field by its visible label."""
    return screen.selenium.find_element(
        By.XPATH,
        f'//label[.//div[contains(@class, "q-field__label") and normalize-space()="{label}"]]//textarea',
    )


def button(screen: Screen, text: str) -> WebElement:
    return screen.selenium.find_element(By.XPATH, f'//button[.//span[normalize-space()="{text}"]]')


def value(screen: Screen, area: WebElement) -> str:
    return screen.selenium.execute_script('return arguments[0].value', area)


def caret(screen: Screen, area: WebElement) -> list[int]:
    return screen.selenium.execute_script('return [arguments[0].selectionStart, arguments[0].selectionEnd]', area)


def no_sideways_scroll(screen: Screen) -> bool:
    return screen.selenium.execute_script(
        'return document.documentElement.scrollWidth <= document.documentElement.clientWidth'
    )


def notes_sent(session_id: int) -> list[tuple[str, str, str]]:
    return [(n.kind, n.stem, n.text) for n in db.run(sessions.notes, session_id=session_id)]


def wait_until(screen: Screen, check, message: str) -> None:
    try:
        WebDriverWait(screen.selenium, 5, poll_frequency=0.05).until(lambda _d: check())
    except TimeoutException:
        areas = [a.get_attribute('value') for a in screen.selenium.find_elements(By.TAG_NAME, 'textarea')]
        raise AssertionError(f'{message}; the text areas show {areas!r}') from None


def test_a_starter_goes_in_at_the_cursor_and_what_was_typed_is_kept(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    session = db.run(sessions.start_session, deck=deck, title='Progression away day', theme_numbers=[1, 2])
    code = db.run(workshop.open_joining, session_id=session.id).join_code
    with viewport(screen, 390, 844, mobile=True):
        screen.open(f'/join/{code}')
        screen.should_contain('Session: Progression away day')
        screen.should_contain('The facilitator shows the code on the screen')
        screen.selenium.find_element(By.XPATH, '//input[@aria-label="Your name"]').send_keys('Priya')
        button(screen, 'Join').click()
        screen.should_contain('You: Priya')
        screen.should_contain(deck.card('1.1').lead)
        assert no_sideways_scroll(screen)
        save(screen, 'phone-front-390x844')

        # half a question, the caret at its start, then the starter: in at the caret at once, nothing typed lost
        button(screen, 'Question').click()
        area = field(screen, 'Your coaching question')
        area.click()
        area.send_keys('do we hear from learners who left?')
        area.send_keys(Keys.HOME)
        how = screen.selenium.find_element(
            By.XPATH, '//button[@aria-label="How: add it to your question at the cursor"]'
        )
        assert how.text == 'How'
        inserted = screen.selenium.execute_script(
            'arguments[0].click(); return arguments[1].value', how, area
        )  # read in the same script as the click: no answer from the server can have come in between
        assert inserted == 'How do we hear from learners who left?'
        assert caret(screen, area) == [4, 4]
        assert screen.selenium.switch_to.active_element == area
        area.send_keys('often ')  # typing goes on where the starter ended
        assert value(screen, area) == 'How often do we hear from learners who left?'

        # a starter in the middle of a sentence, with a real tap: lower case, a space either side
        area.send_keys(Keys.CONTROL, Keys.END)  # the end of the text (End alone ends the wrapped line)
        area.send_keys(' We need to know')
        button(screen, 'Who').click()
        wait_until(
            screen,
            lambda: value(screen, area) == 'How often do we hear from learners who left? We need to know who ',
            'the starter did not go in at the end',
        )
        area.send_keys('decides.')
        save(screen, 'phone-question-390x844')
        # the server follows the box: what is sent is what it shows
        button(screen, 'Send').click()
        screen.should_contain('Sent')
        expected = 'How often do we hear from learners who left? We need to know who decides.'
        wait_until(screen, lambda: notes_sent(session.id) == [('question', 'how', expected)], 'the question not stored')
        wait_until(screen, lambda: value(screen, area) == '', 'the box was not emptied')

        # a starter on its own is refused, and stays in the box
        button(screen, 'How').click()
        wait_until(screen, lambda: value(screen, area) == 'How ', 'the starter did not go in')
        button(screen, 'Send').click()
        screen.should_contain('The question is only its starter, “How”: finish asking it first')
        assert value(screen, area) == 'How '
        assert len(notes_sent(session.id)) == 1

        # the list of what was sent: text, with Edit and Delete named after each note
        area.send_keys(Keys.CONTROL, 'a')
        area.send_keys(Keys.DELETE)
        button(screen, 'Note').click()
        note = field(screen, 'Your note')
        note.send_keys('Progression can be sideways: a second vocational area', Keys.ENTER)
        wait_until(
            screen,
            lambda: bool(
                screen.selenium.find_elements(
                    By.XPATH, '//button[@aria-label="Edit note “Progression can be sideways: a second…”"]'
                )
            ),
            'the sent note has no Edit button named after it',
        )
        listed = [e.text for e in screen.selenium.find_elements(By.CSS_SELECTOR, '.ck-note-text')]
        assert listed == [expected, 'Progression can be sideways: a second vocational area']
        assert [a.get_attribute('aria-label') for a in screen.selenium.find_elements(By.TAG_NAME, 'textarea')] == [
            'Your note'
        ]
        wait_until(screen, lambda: not screen.find_all_by_class('q-notification'), 'the notices stay')
        screen.selenium.execute_script(
            "document.querySelector('.ck-mine').closest('section').scrollIntoView({block: 'start'})"
        )
        save(screen, 'phone-notes-390x844')
        screen.selenium.find_element(By.XPATH, '//button[starts-with(@aria-label, "Edit question")]').click()
        screen.should_contain('Edit your question')
        save(screen, 'phone-note-editing-390x844')

        # the back of the card, with its lead question above the prompts
        screen.selenium.execute_script('window.scrollTo(0, 0)')
        screen.selenium.find_element(By.CSS_SELECTOR, '.ck-card').click()
        screen.should_contain('Discussion prompts 1.1')
        screen.wait(1.0)  # the card's turn has finished
        lead = screen.selenium.find_element(By.CSS_SELECTOR, '.ck-lead-above')
        assert lead.is_displayed() and deck.card('1.1').lead in lead.text
        card = screen.selenium.find_element(By.CSS_SELECTOR, '.ck-card')
        assert lead.rect['y'] + lead.rect['height'] <= card.rect['y'], 'the lead question is above the card'
        assert no_sideways_scroll(screen)
        save(screen, 'phone-back-390x844')
