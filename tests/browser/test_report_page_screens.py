"""The export page in real Chromium at 1440x900 and on a 390x844 phone: its title is the h1, the buttons read in
sentence case as rendered, and the Word report's progress bar is on screen only while the report is written.
Screenshots go to screenshots/ (export-*.png)."""

from __future__ import annotations

import threading

import pytest
from nicegui.testing import Screen
from selenium.webdriver.common.by import By
from shots import save, viewport

from cardkit import db, library, sessions
from cardkit.export import formats
from cardkit.ui.report_page import FILES


def test_export_page_heading_buttons_and_progress(screen: Screen, monkeypatch: pytest.MonkeyPatch) -> None:
    session = db.run(
        sessions.start_session,
        deck=library.shipped().get('card-activity'),
        title='Progression planning day',
        theme_numbers=[1, 6],
    )
    db.run(sessions.add_note, session_id=session.id, card_id='1.1', text='Progression includes lateral moves.')
    real_export = formats.export
    gate = threading.Event()

    def held_export(**arguments):  # the Word report waits for the test, so its progress can be seen
        if arguments.get('fmt') == 'docx':
            gate.wait(20)
        return real_export(**arguments)

    monkeypatch.setattr(formats, 'export', held_export)
    url = f'/session/{session.id}/report?key={session.facilitator_key}'

    for width, height in ((1440, 900), (390, 844)):
        with viewport(screen, width, height, mobile=width < 700):
            screen.open(url)
            screen.should_contain('Export “Progression planning day”')
            (h1,) = screen.selenium.find_elements(By.TAG_NAME, 'h1')
            assert h1.text == 'Export “Progression planning day”'
            shown = [b.text.split('\n')[-1] for b in screen.selenium.find_elements(By.CSS_SELECTOR, 'main button')]
            assert shown == [label for _, label, _, _ in FILES]  # as written: not in Quasar's capitals
            bar = screen.selenium.find_element(By.CSS_SELECTOR, '.q-linear-progress')
            assert not bar.is_displayed()
            save(screen, f'export-{width}x{height}')

            for attempt in (1, 2):
                gate.clear()
                screen.click('Word report (.docx)')
                screen.should_contain('Making the Word report')
                screen.wait(0.3)
                assert bar.is_displayed(), f'no progress bar while the report is written (download {attempt})'
                if attempt == 1:
                    save(screen, f'export-{width}x{height}-writing')
                gate.set()
                screen.should_contain('.docx downloaded')
                screen.wait(0.3)
                assert not bar.is_displayed(), f'the progress bar stayed after download {attempt}'
            save(screen, f'export-{width}x{height}-done')
