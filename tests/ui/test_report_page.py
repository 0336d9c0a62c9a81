"""The export page: a bad key reveals nothing; the Word report and the text formats download with the session's data;
the title is the page's heading, the buttons read as written, and the progress bar is there only while the Word
report is being written, with a clear message when an export fails."""

from __future__ import annotations

import asyncio
import io
import threading

import pytest
from docx import Document
from nicegui import ElementFilter, ui
from nicegui.testing import User

from cardkit import config, db, sessions
from cardkit.export import formats
from cardkit.library import shipped
from cardkit.ui.report_page import FILES


async def test_report_page_downloads_word_and_csv(user: User):
    session = db.run(
        sessions.start_session, deck=shipped().get('card-activity'), title='Governors away day', theme_numbers=[1, 6]
    )
    db.run(sessions.add_note, session_id=session.id, card_id='1.1', text='Progression is personal')
    db.run(sessions.add_action, session_id=session.id, what='Map <b>pathways</b>', term='long', who='Data team')
    await user.open(f'/session/{session.id}/report?key={session.facilitator_key}')
    await user.should_see('Export “Governors away day”')

    download = asyncio.create_task(user.download.next(timeout=30))
    user.find(marker='export-docx').click()
    response = await download
    await user.should_see('.docx downloaded')
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs]
    assert 'Governors away day' in texts
    assert any('Progression is personal' in t for t in texts)

    download = asyncio.create_task(user.download.next(timeout=30))
    user.find(marker='export-csv').click()
    csv_response = await download
    text = csv_response.content.decode('utf-8-sig')
    assert 'Map <b>pathways</b>' in text and 'Data team' in text
    # the files went to the browser and nowhere else: no personal data is left behind in the exports folder
    exports = config.exports_dir()
    assert not exports.exists() or not any(exports.iterdir())


async def test_report_page_refuses_a_wrong_key(user: User):
    session = db.run(sessions.start_session, deck=shipped().get('card-activity'), title='Secret', theme_numbers=[1])
    await user.open(f'/session/{session.id}/report?key=wrong')
    await user.should_see('This session link is not valid.')
    await user.should_not_see('Secret')


def only(user: User, marker: str) -> ui.element:
    """The one element with the marker, shown or hidden (user.find only finds what is shown)."""
    with user.client:
        (element,) = ElementFilter(marker=marker, local_scope=False)
    return element


async def until(condition, what: str, seconds: float = 5) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f'waited {seconds} s for {what}')


async def test_export_page_title_is_its_heading_and_buttons_read_as_written(user: User):
    session = db.run(sessions.start_session, deck=shipped().get('card-activity'), title='Team day', theme_numbers=[1])
    await user.open(f'/session/{session.id}/report?key={session.facilitator_key}')
    await user.should_see('Export “Team day”')
    (title,) = user.find(content='Export “Team day”').elements
    assert title.tag == 'h1'
    for fmt, label, _, _ in FILES:
        button = only(user, f'export-{fmt}')
        assert button.props['label'] == label and label[0].isupper() and not label[1:].isupper()
        assert 'no-caps' in button.props  # Quasar would show the label in capitals, unlike every other page
    await user.should_see('6 · Actions')  # the workshop's stages, this page the last of them
    assert only(user, 'stage-report').props['aria-current'] == 'step'


async def test_progress_bar_shows_while_the_report_is_written_and_goes_when_it_is_done(
    user: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
):
    session = db.run(sessions.start_session, deck=shipped().get('card-activity'), title='Team day', theme_numbers=[1])
    real_export = formats.export
    gate = threading.Event()
    fail = {'now': False}

    def held_export(**arguments):  # runs in the worker thread: held until the test lets it finish
        gate.wait(10)
        if fail['now']:
            raise RuntimeError('disk full')
        return real_export(**arguments)

    monkeypatch.setattr(formats, 'export', held_export)
    await user.open(f'/session/{session.id}/report?key={session.facilitator_key}')
    await user.should_see('Export “Team day”')
    bar = only(user, 'export-progress')
    assert not bar.visible

    for attempt in (1, 2):  # the bar comes back for the next download, and goes again
        gate.clear()
        download = asyncio.create_task(user.download.next(timeout=30))
        user.find(marker='export-docx').click()
        await until(lambda: bar.visible, f'the progress bar of download {attempt}')
        await user.should_see('Making the Word report…')
        user.find(marker='export-csv').click()  # one file at a time: the page says so and loses nothing
        await user.should_see('Still making the Word report')
        gate.set()
        await download
        await user.should_see('.docx downloaded')
        await until(lambda: not bar.visible, f'the progress bar to go after download {attempt}')

    download = asyncio.create_task(user.download.next(timeout=30))
    user.find(marker='export-csv').click()
    await download
    await user.should_see('.csv downloaded')
    assert not bar.visible  # text formats are made at once: no bar for them

    fail['now'] = True
    gate.clear()
    user.find(marker='export-docx').click()
    await until(lambda: bar.visible, 'the progress bar of the failing download')
    gate.set()
    message = 'The Word report could not be made: something went wrong while writing it.'
    await user.should_see(message)
    assert message in only(user, 'export-status').text
    await until(lambda: not bar.visible, 'the progress bar to go after a failure')
    (logged,) = [r for r in caplog.get_records('call') if r.levelname == 'ERROR']
    assert 'disk full' in logged.exc_text  # the cause is kept for whoever runs the server
    caplog.clear()  # the one error this story brings about on purpose
