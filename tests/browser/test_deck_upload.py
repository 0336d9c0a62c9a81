"""Uploading a deck in real Chromium: the named button on Your decks opens the file picker, and the file chosen there
arrives as a new deck of the organisation's (a picker cannot be driven headless, so the test sees the picker being
asked for, then hands the page a file the way a picker does)."""

from __future__ import annotations

from pathlib import Path

from nicegui.testing import Screen
from selenium.webdriver.common.by import By

from cardkit import authoring, db

ROOT = Path(__file__).resolve().parents[2]

# the page's file inputs record being asked to open their picker, instead of opening it
RECORD_PICKER_JS = """
window.ckPickerAsked = [];
HTMLInputElement.prototype.click = function () {
  if (this.type === 'file') window.ckPickerAsked.push(this.accept);
};
"""

# what a picker does with the file chosen: set the input's files, then say it changed
CHOOSE_FILE_JS = """
const [accept, name, text] = arguments;
const input = [...document.querySelectorAll('input[type=file]')].find((i) => i.accept === accept);
const files = new DataTransfer();
files.items.add(new File([text], name, {type: 'application/x-yaml'}));
input.files = files.files;
input.dispatchEvent(new Event('change', {bubbles: true}));
"""


def test_the_named_button_opens_the_picker_and_the_chosen_deck_arrives(screen: Screen) -> None:
    screen.open('/decks/yours')
    screen.should_contain('Upload a deck file (.yaml)')
    screen.selenium.execute_script(RECORD_PICKER_JS)
    screen.selenium.find_element(By.XPATH, '//button[.//span[normalize-space()="Upload a deck file (.yaml)"]]').click()
    screen.wait_for(lambda: screen.selenium.execute_script('return window.ckPickerAsked') == ['.yaml,.yml'])

    text = (ROOT / 'decks' / 'blank-template.yaml').read_text(encoding='utf-8')
    screen.selenium.execute_script(CHOOSE_FILE_JS, '.yaml,.yml', 'ours.yaml', text)
    screen.wait_for(lambda: len(db.run(authoring.summaries)) == 1)
    [deck] = db.run(authoring.summaries)
    screen.should_contain(deck.row.title)  # listed without a reload
