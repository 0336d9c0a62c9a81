"""The export page: a bad key reveals nothing; the Word report and the text formats download with the session's data."""

from __future__ import annotations

import asyncio
import io

from docx import Document
from nicegui.testing import User

from cardkit import config, db, sessions
from cardkit.library import shipped


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
