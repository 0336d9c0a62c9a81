"""The deck editor in real Chromium at 1440x900: a copy of the card activity with a seventh strategic issue, a card
with nested prompts chosen, its front and back previewed at projector size scaled down. The screenshot goes to
screenshots/ and is kept as docs/screenshot-editor.png.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from shots import keep_for_docs, save
from shots import viewport as exact_viewport

from cardkit import authoring, db

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / 'screenshots'


@contextmanager
def viewport(screen: Screen, width: int, height: int) -> Iterator[None]:
    screen.selenium.execute_cdp_cmd(
        'Emulation.setDeviceMetricsOverride',
        {'width': width, 'height': height, 'deviceScaleFactor': 1, 'mobile': False},
    )
    try:
        yield
    finally:
        screen.selenium.execute_cdp_cmd('Emulation.clearDeviceMetricsOverride', {})


def our_copy() -> int:
    """The card activity with a seventh strategic issue of two cards, the first with nested prompts."""
    row = db.run(authoring.copy_shipped, deck_id='card-activity')
    draft = db.run(authoring.get, org_deck_id=row.id).draft
    draft['themes'].append(
        {
            'number': 7,
            'title': 'Working with employers to support progression.',
            'colour': '#0F6E6E',
            'cards': [
                {
                    'id': '7.1',
                    'lead': 'How do employers help our learners progress?',
                    'prompts': [
                        {
                            'text': 'Employers can:',
                            'points': [
                                'offer work placements and tasters',
                                'mentor learners',
                                'explain routes into jobs',
                            ],
                        },
                        'Who leads our employer links, and how do tutors hear about them?',
                    ],
                    'footnotes': ['* Placements include supported internships.'],
                },
                {'id': '7.2', 'lead': 'What do employers need from us?'},
            ],
        }
    )
    db.run(authoring.save_draft, org_deck_id=row.id, draft=draft)
    return row.id


def test_editor_with_preview_at_1440(screen: Screen) -> None:
    org_deck_id = our_copy()
    with viewport(screen, 1440, 900):
        screen.open(f'/decks/yours/{org_deck_id}')
        screen.should_contain('Strategic issues and cards')
        screen.click('7.1  How do employers help our learners progress?')
        screen.wait(0.8)
        front = screen.find_by_css('.ck-preview-frame .ck-card .ck-lead')
        assert front.text == 'How do employers help our learners progress?'
        back = screen.find_all_by_class('ck-preview-frame')[1]
        assert 'offer work placements and tasters' in back.text
        assert 'b)' in back.text
        # projector sizes (a 1920x1080 screen) scaled down to 27%: the lead is 86.4px before scaling
        assert (
            screen.selenium.execute_script(
                "return getComputedStyle(document.querySelector('.ck-preview-stage .ck-lead')).fontSize"
            )
            == '86.4px'
        )
        frame = screen.find_by_css('.ck-preview-frame').rect
        assert abs(frame['width'] - (1920 * 0.27 + 2)) < 1 and abs(frame['height'] - (1080 * 0.27 + 2)) < 1
        assert screen.selenium.execute_script(
            'return document.documentElement.scrollWidth <= document.documentElement.clientWidth'
        )
        assert screen.find('No problems')
        assert not screen.selenium.find_elements(By.CSS_SELECTOR, '.ck-problem')
        screen.selenium.execute_script('window.scrollTo(0, 0)')
        screen.wait(0.3)
        SHOTS.mkdir(exist_ok=True)
        path = SHOTS / 'editor-1440x900.png'
        assert screen.selenium.save_screenshot(str(path))
        keep_for_docs(path, 'screenshot-editor.png')


HUDDLE = {
    'id': 'ward-huddles',
    'title': 'Ward huddles',
    'theme_label': 'Huddle topic',
    'ways_of_working': ['at the morning huddle', 'with the ward manager', 'on your own'],
    'themes': [
        {'number': 1, 'title': 'Handover', 'cards': [{'id': '1.1', 'lead': 'What went well on the last shift?'}]},
        {'number': 2, 'title': 'Safety', 'cards': [{'id': '2.1', 'lead': 'What nearly went wrong?'}]},
    ],
}


def test_an_organisations_own_deck_in_the_editor_and_at_set_up(screen: Screen) -> None:
    row = db.run(authoring.create_from_scratch)
    db.run(authoring.save_draft, org_deck_id=row.id, draft=HUDDLE)
    db.run(authoring.publish, org_deck_id=row.id)
    with exact_viewport(screen, 1366, 768):
        screen.open(f'/decks/yours/{row.id}')
        screen.should_contain('Edit deck: Ward huddles')
        screen.should_contain('Huddle topics and cards')
        screen.should_contain('Version 1 saved')
        save(screen, 'editor-own-deck-1366x768')
        screen.open(f'/sessions/new?deck=org:{row.id}')
        screen.should_contain('At the morning huddle')
        screen.selenium.execute_script('arguments[0].scrollIntoView()', screen.find('How will you carry out'))
        save(screen, 'setup-own-ways-1366x768')
    with exact_viewport(screen, 390, 844, mobile=True):
        screen.open(f'/sessions/new?deck=org:{row.id}')
        screen.should_contain('With the ward manager')
        screen.selenium.execute_script('arguments[0].scrollIntoView()', screen.find('How will you carry out'))
        save(screen, 'setup-own-ways-390x844')
