"""Laptop screens in real Chromium. At 1366x900 and 1366x768 the back of card 2.3 (eight long prompts and a footnote)
is read whole on the console and in solo mode: the card is never a scroll box and nothing of it is cut. Saved actions
read as text, each with an Edit button named after it. An 11-item checklist in solo mode fits two screens at
1366x768 with each rating on one line. Each test measures `document.documentElement.scrollHeight`; screenshots at
1366x768 and on a 390x844 phone go to screenshots/.
"""

from __future__ import annotations

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from shots import save, viewport

from cardkit import db, library, sessions
from cardkit.models import CardSession

LAPTOP = (1366, 768)
TWO_SCREENS = 2 * 768
LONG_RESOURCES = 'Two twilight sessions and a half day of analyst time at the start of the spring term'

# Where the card's text is hidden: any box from the card up that clips or scrolls content it cannot show, and any
# line of the card's side that ends below the card's own bottom edge.
CARD_CUT_JS = """
const card = document.querySelector('.ck-session-card .ck-card');
const cut = [];
for (let box = card; box && box !== document.documentElement; box = box.parentElement) {
  const overflow = getComputedStyle(box).overflowY;
  if (overflow !== 'visible' && box.scrollHeight > box.clientHeight + 1) cut.push(box.className || box.tagName);
}
const bottom = card.getBoundingClientRect().bottom;
card.querySelectorAll('.ck-item, .ck-small p').forEach((line) => {
  if (line.getBoundingClientRect().bottom > bottom + 1) cut.push('line: ' + line.textContent.slice(0, 40));
});
return cut;
"""


def page_height(screen: Screen) -> int:
    return screen.selenium.execute_script('return document.documentElement.scrollHeight')


def no_sideways_scroll(screen: Screen) -> bool:
    return screen.selenium.execute_script(
        'return document.documentElement.scrollWidth <= document.documentElement.clientWidth'
    )


def textarea_values(screen: Screen) -> list[str]:
    return [area.get_attribute('value') for area in screen.find_all_by_tag('textarea')]


def scroll_to(screen: Screen, css: str) -> None:
    screen.selenium.execute_script('document.querySelector(arguments[0]).scrollIntoView({block: "end"})', css)


def activity_session(mode: str = 'facilitated') -> CardSession:
    deck = library.shipped().get('card-activity')
    return db.run(sessions.start_session, deck=deck, title='Progression planning day', mode=mode)


def url(session: CardSession, page: str) -> str:
    return f'/session/{session.id}/{page}?key={session.facilitator_key}'


def test_the_back_of_card_2_3_is_read_whole_on_a_laptop_console_and_solo_screen(screen: Screen) -> None:
    card = library.shipped().get('card-activity').card('2.3')
    last_prompt, footnote = card.prompts[-1].text, card.footnotes[0].text
    for mode, page in (('facilitated', 'console'), ('solo', 'solo')):
        session = activity_session(mode)
        db.run(sessions.go_to_card, session_id=session.id, card_id='2.3')
        db.run(sessions.flip, session_id=session.id, flipped=True)
        for width, height in ((1366, 900), LAPTOP):
            with viewport(screen, width, height):
                screen.open(url(session, page))
                screen.should_contain('Discussion prompts 2.3')
                screen.should_contain(last_prompt)
                screen.should_contain(footnote)
                screen.wait(0.5)
                assert screen.selenium.execute_script(CARD_CUT_JS) == [], f'{page} at {width}x{height}'
                tall = page_height(screen)
                print(f'{page}, card 2.3 turned over, {width}x{height}: page {tall} px')
                assert tall <= 2 * height
                assert no_sideways_scroll(screen)
                save(screen, f'{page}-card-2.3-{width}x{height}')
                scroll_to(screen, '.ck-session-card .ck-card')
                save(screen, f'{page}-card-2.3-end-{width}x{height}')
    with viewport(screen, 390, 844, mobile=True):
        screen.open(url(session, 'solo'))
        screen.should_contain('Discussion prompts 2.3')
        screen.wait(0.5)
        assert screen.selenium.execute_script(CARD_CUT_JS) == []
        assert no_sideways_scroll(screen)
        save(screen, 'solo-card-2.3-390x844')


def two_actions(session: CardSession, *, card_id: str, terms: tuple[str, str], **extra: str) -> None:
    """Two saved actions from a card, with a long Resources text, in the given terms."""
    whats = ('Agree a shared definition of progression', 'Map routes for every area')
    for what, term in zip(whats, terms, strict=True):
        db.run(
            sessions.add_action,
            session_id=session.id,
            card_id=card_id,
            what=what,
            term=term,
            who='Head of quality',
            resources=LONG_RESOURCES,
            target_date='2026-12-18',
            **extra,
        )


def test_saved_actions_are_text_with_an_edit_button_on_a_laptop_console(screen: Screen) -> None:
    session = activity_session()
    two_actions(session, card_id='1.1', terms=('short', 'long'), status='agreed')
    with viewport(screen, *LAPTOP):
        screen.open(url(session, 'console'))
        screen.should_contain('Map routes for every area')
        screen.should_contain('Short term · Agreed · by 18 Dec 2026')
        fields = screen.selenium.find_elements(By.CSS_SELECTOR, '.ck-capture input, .ck-capture textarea')
        assert not [f for f in fields if f.get_attribute('value') in (LONG_RESOURCES, 'Head of quality')]
        resources = [e for e in screen.find_all(LONG_RESOURCES) if e.is_displayed()]
        assert len(resources) == 2
        for shown in resources:  # in full: wrapped, never cut at the edge of a box
            assert screen.selenium.execute_script('return arguments[0].scrollWidth <= arguments[0].clientWidth', shown)
        edit = screen.selenium.find_element(By.CSS_SELECTOR, '[aria-label="Edit action: Map routes for every area"]')
        tall = page_height(screen)
        print(f'console, card 1.1 with two saved actions, 1366x768: page {tall} px')
        assert tall <= TWO_SCREENS
        scroll_to(screen, '.ck-saved-action')
        save(screen, 'console-saved-actions-1366x768')

        edit.click()
        screen.wait_for(
            lambda: LONG_RESOURCES in [a.get_attribute('value') for a in screen.find_all_by_tag('textarea')]
        )
        save(screen, 'console-action-editing-1366x768')
    with viewport(screen, 390, 844, mobile=True):
        screen.open(url(session, 'console'))
        screen.should_contain('Map routes for every area')
        assert no_sideways_scroll(screen)
        scroll_to(screen, '.ck-saved-action')
        save(screen, 'console-saved-actions-390x844')


def test_the_action_board_shows_saved_actions_as_text_within_two_screens_of_a_laptop(screen: Screen) -> None:
    session = activity_session()
    two_actions(session, card_id='6.1', terms=('short', 'medium'))
    with viewport(screen, *LAPTOP):
        screen.open(url(session, 'actions'))
        screen.should_contain('Map routes for every area')
        screen.selenium.find_element(By.CSS_SELECTOR, '[aria-label="Edit: Map routes for every area"]')
        assert len([e for e in screen.find_all(LONG_RESOURCES) if e.is_displayed()]) == 2
        board = screen.find_by_class('ck-board')
        bottom = board.rect['y'] + board.rect['height']
        print(f'action board, two actions, 1366x768: board ends at {bottom:.0f} px, page {page_height(screen)} px')
        assert bottom <= TWO_SCREENS
        assert no_sideways_scroll(screen)
        save(screen, 'actions-board-1366x768')


def test_an_eleven_item_checklist_in_solo_mode_fits_two_laptop_screens(screen: Screen) -> None:
    reviews = library.shipped().get('progress-reviews')
    card = next(c for c in reviews.cards if c.kind == 'checklist' and len(c.item_labels()) == 11)
    session = db.run(sessions.start_session, deck=reviews, title='Progress reviews audit', mode='solo')
    db.run(sessions.go_to_card, session_id=session.id, card_id=card.id)
    first_item = card.item_labels()[0][1]
    with viewport(screen, *LAPTOP):
        screen.open(url(session, 'solo'))
        screen.should_contain(card.item_labels()[-1][1])
        screen.should_contain('Strong evidence')
        screen.wait(0.5)
        tall = page_height(screen)
        print(f'solo, checklist {card.id} (11 items), 1366x768: page {tall} px')
        assert tall <= TWO_SCREENS
        rows = screen.selenium.execute_script(
            'return [...document.querySelectorAll(".ck-item-rating .q-btn-group")]'
            '.map((group) => new Set([...group.children].map((b) => Math.round(b.getBoundingClientRect().top))).size)'
        )
        assert rows == [1] * 11, 'each rating stays on one line'
        assert no_sideways_scroll(screen)
        save(screen, 'solo-checklist-1366x768')

        screen.selenium.find_element(By.CSS_SELECTOR, f'[aria-label="Add evidence for: {first_item}"]').click()
        screen.should_contain('Evidence: how do we know?')
        screen.should_contain('What needs to happen')
        save(screen, 'solo-checklist-evidence-1366x768')
    with viewport(screen, 390, 844, mobile=True):
        screen.open(url(session, 'solo'))
        screen.should_contain(first_item)
        assert no_sideways_scroll(screen)
        scroll_to(screen, '.ck-ratings-panel')
        save(screen, 'solo-checklist-390x844')
