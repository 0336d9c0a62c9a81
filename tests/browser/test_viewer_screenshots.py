"""The card viewer in real Chromium: keys turn and move cards, sizes suit a projector and a phone; saves screenshots."""

from __future__ import annotations

from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from shots import save, viewport

from cardkit import library

ROOT = Path(__file__).resolve().parents[2]
DECK = 'card-activity'


def lead_px(screen: Screen) -> float:
    return screen.selenium.execute_script(
        'return parseFloat(getComputedStyle(arguments[0]).fontSize)', screen.find_by_class('ck-lead')
    )


def no_sideways_scroll(screen: Screen) -> bool:
    return screen.selenium.execute_script(
        'return document.documentElement.scrollWidth <= document.documentElement.clientWidth'
    )


def test_space_turns_the_card_and_arrows_move_between_cards(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    first, second = deck.cards[0], deck.cards[1]
    with viewport(screen, 1920, 1080):
        screen.open(f'/deck/{DECK}/card/{first.id}')
        screen.should_contain(first.lead)
        screen.should_contain(f'Card 1 of {len(deck.cards)}')
        screen.should_contain('SEE OVER')
        save(screen, 'card-front-1920x1080')

        screen.type(Keys.SPACE)
        screen.should_contain(f'Discussion prompts {first.id}')
        screen.should_contain(first.prompts[0].text)
        save(screen, 'card-back-1920x1080')
        assert screen.selenium.execute_script('return window.scrollY') == 0  # Space turned the card, not the page

        screen.type(Keys.ARROW_RIGHT)
        screen.should_contain(second.lead)
        screen.should_contain(f'Card 2 of {len(deck.cards)}')
        screen.should_not_contain(first.prompts[0].text)
        assert screen.selenium.current_url.endswith(f'/deck/{DECK}/card/{second.id}')

        screen.type(Keys.ARROW_LEFT)
        screen.should_contain(first.lead)
        assert screen.selenium.current_url.endswith(f'/deck/{DECK}/card/{first.id}')

        screen.click(first.lead)  # a click anywhere on the card turns it over
        screen.should_contain(first.prompts[0].text)
        screen.click(first.prompts[0].text)
        screen.should_contain(first.lead)
        screen.should_not_contain(first.prompts[0].text)


def test_after_clicking_next_space_still_turns_the_card(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    second = deck.cards[1]
    screen.open(f'/deck/{DECK}/card/{deck.cards[0].id}')
    screen.click('Next')
    screen.should_contain(second.lead)
    screen.type(Keys.SPACE)
    screen.should_contain(f'Discussion prompts {second.id}')
    screen.should_contain(f'Card 2 of {len(deck.cards)}')


def test_keyboard_users_see_where_focus_is(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    screen.open(f'/deck/{DECK}/card/{deck.cards[0].id}')
    labels = []
    for _ in range(12):  # through the header links and the back link to Turn over (Previous is disabled here)
        screen.selenium.switch_to.active_element.send_keys(Keys.TAB)
        labels.append(screen.selenium.switch_to.active_element.text.strip())
        if labels[-1].endswith('Turn over'):
            break
    focused = screen.selenium.switch_to.active_element
    assert focused.text.strip().endswith('Turn over'), labels  # named by what it shows (the icon's ligature aside)
    assert focused.get_attribute('title') == 'Turn the card over'
    assert 'rgb(255, 221, 0) 0px 0px 0px 3px' in focused.value_of_css_property('box-shadow')  # the yellow ring
    focused.send_keys(Keys.ENTER)
    screen.should_contain(f'Discussion prompts {deck.cards[0].id}')


def test_projector_text_is_readable_from_the_back_of_the_room(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    card = deck.cards[1]  # 'Why is progression important:' with lettered prompts on the back
    with viewport(screen, 1920, 1080):
        screen.open(f'/deck/{DECK}/card/{card.id}')
        normal = lead_px(screen)
        screen.click('Projector text')
        screen.wait(0.3)
        assert lead_px(screen) >= 80 > normal
        save(screen, 'card-projector-1920x1080')
        screen.type(Keys.SPACE)
        screen.should_contain(f'Discussion prompts {card.id}')
        prompt_px = screen.selenium.execute_script(
            'return parseFloat(getComputedStyle(arguments[0]).fontSize)', screen.find_by_class('ck-face')
        )
        assert prompt_px >= 36
        save(screen, 'card-projector-back-1920x1080')


def test_the_viewer_fits_a_phone(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    card = deck.cards[1]
    with viewport(screen, 390, 844, mobile=True):
        screen.open(f'/deck/{DECK}/card/{card.id}')
        screen.should_contain(card.lead)
        assert no_sideways_scroll(screen)
        assert 20 <= lead_px(screen) <= 32
        save(screen, 'card-front-390x844')
        screen.click('Turn over')
        screen.should_contain(f'Discussion prompts {card.id}')
        assert no_sideways_scroll(screen)
        save(screen, 'card-back-390x844')
    with viewport(screen, 360, 740, mobile=True):
        screen.open('/')
        assert no_sideways_scroll(screen)
        save(screen, 'library-360x740')


def test_library_and_deck_overview(screen: Screen) -> None:
    deck = library.shipped().get(DECK)
    with viewport(screen, 1920, 1080):
        screen.open('/')
        for each in library.shipped().decks.values():
            screen.should_contain(each.title)
        tiles = screen.selenium.find_elements(By.CSS_SELECTOR, 'a.ck-tile')
        assert tiles[0].get_attribute('href').endswith(f'/deck/{DECK}')
        save(screen, 'library-1920x1080')
        tiles[0].click()
        screen.should_contain(f'{deck.theme_label} 1: {deck.themes[0].title}')
        screen.should_contain(deck.cards[0].lead)
        save(screen, 'deck-1920x1080')
        screen.click(deck.cards[0].lead)
        screen.should_contain(f'Card 1 of {len(deck.cards)}')
