"""A whole workshop run from the keyboard alone, in real Chromium at 1366x768: set-up, the cards, the room, groups,
the plenary, the action plan and the Word report, with Tab to move and Enter or Space to act. At every step the
focused control shows the focus ring (yellow with a dark edge), and it is reached in the order the page reads."""

from __future__ import annotations

import time

from nicegui.testing import Screen
from selenium.webdriver.common.keys import Keys
from shots import save, viewport

from cardkit import db, sessions, workshop

RING = 'rgb(255, 221, 0)'  # design.FOCUS

# the focused element's names as a person would say them: its aria-label, its visible text, its field's label;
# and the box-shadow that draws its focus ring (on the field round it, for a text box)
FOCUSED_JS = """
const e = document.activeElement;
if (!e || e === document.body) return null;
const field = e.closest('.q-field');
const ring = field ? field.querySelector('.q-field__control') : e;
const label = field ? (field.querySelector('.q-field__label') || {}).textContent || '' : '';
return {aria: e.getAttribute('aria-label') || '', text: (e.innerText || '').trim(), label: label.trim(),
        ring: getComputedStyle(ring).boxShadow, tag: e.tagName};
"""


def focused(screen: Screen) -> dict | None:
    return screen.selenium.execute_script(FOCUSED_JS)


def names(item: dict | None) -> list[str]:
    if not item:
        return []
    # a Material icon's name is part of a button's inner text ("login\\nOpen joining", "Next\\nchevron_right"): the
    # label is the line that is not the icon
    lines = item['text'].splitlines() or ['']
    return [item['aria'], item['text'], lines[0], lines[-1], item['label']]


def tab_to(screen: Screen, name: str, *, limit: int = 90) -> dict:
    """Press Tab until the control named `name` has focus; its focus ring must show."""
    seen: list[str] = []
    for _ in range(limit):
        screen.selenium.switch_to.active_element.send_keys(Keys.TAB)
        time.sleep(0.03)
        item = focused(screen)
        if name in names(item):
            assert item is not None and RING in item['ring'], f'{name!r} has focus but no visible ring: {item}'
            return item
        seen.append(' / '.join(n for n in names(item)[1:] if n)[:40])
    raise AssertionError(f'Tab never reached {name!r}; it went through: {seen}')


def press(screen: Screen, key: str = Keys.ENTER) -> None:
    screen.selenium.switch_to.active_element.send_keys(key)


def test_a_whole_workshop_from_the_keyboard_alone(screen: Screen) -> None:
    with viewport(screen, 1366, 768):
        screen.open('/sessions/new')
        screen.should_contain('Start a session')
        tab_to(screen, 'Title')
        screen.selenium.switch_to.active_element.send_keys('Keyboard workshop')
        tab_to(screen, 'Start')
        save(screen, 'keyboard-setup-1366x768')
        press(screen)
        screen.should_contain('Timer')  # the console
        session = next(r.session for r in db.run(sessions.list_sessions) if r.session.title == 'Keyboard workshop')

        # the cards: next card, turn over
        tab_to(screen, 'Next')
        press(screen)
        screen.should_contain('Card 2 of')
        tab_to(screen, 'Turn over')
        press(screen)
        screen.should_contain('Discussion prompts')
        save(screen, 'keyboard-console-1366x768')

        # the room: open joining; two people join from their phones and send notes
        tab_to(screen, '3 · Room')
        press(screen)
        screen.should_contain('Joining is closed')
        tab_to(screen, 'Open joining')
        press(screen)
        screen.should_contain('Close joining')
        code = db.run(sessions.get_session, session_id=session.id).join_code
        people = [db.run(workshop.join, code=code, name=name) for name in ('Ann', 'Bob')]
        screen.should_contain('Who is here (2)')

        # groups
        tab_to(screen, '4 · Groups')
        press(screen)
        screen.should_contain('Split the room into groups')
        tab_to(screen, 'Split the room into groups')
        save(screen, 'keyboard-groups-1366x768')
        press(screen)
        screen.should_contain('Group 1')
        card = db.run(sessions.get_session, session_id=session.id).card_ids[0]
        db.run(workshop.participant_note, token=people[0].token, card_id=card, text='Tell learners their routes')

        # the plenary: promote the note to an agreed action
        tab_to(screen, '5 · Plenary')
        press(screen)
        screen.should_contain('Tell learners their routes')
        tab_to(screen, 'Promote: Tell learners their routes')
        press(screen)
        screen.should_contain('Agreed actions (1)')
        save(screen, 'keyboard-plenary-1366x768')

        # the action plan, then the report
        tab_to(screen, '6 · Actions')
        press(screen)
        screen.should_contain('Tell learners their routes')
        tab_to(screen, '7 · Report')
        press(screen)
        screen.should_contain('Word report (.docx)')
        tab_to(screen, 'Word report (.docx)')
        press(screen)
        screen.should_contain('downloaded')
        save(screen, 'keyboard-report-1366x768')
