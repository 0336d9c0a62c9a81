"""The export page of a session: the Word report (with progress), actions as CSV or Markdown, the session as JSON.

Every file is made in memory and sent to the browser: nothing of the session is left in the server's exports folder.
"""

from __future__ import annotations

from nicegui import ui

from cardkit import live, sessions
from cardkit.errors import NotFound
from cardkit.export import formats
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.design import frame
from cardkit.ui.urls import page_url, session_link


async def content(session_id: int, key: str = '') -> None:
    """/session/{id}/report?key=…: download the session's outcomes at any moment of the session."""
    session = await open_with_key(sessions.session_for_key, session_id, key)
    if session is None:
        refused('Export', 'This session link is not valid.')
        return
    with frame(f'Export · {session.title}'):
        ui.label(f'Export “{session.title}”').classes('text-2xl font-bold')
        ui.label('Files reflect everything saved so far; export again at any time.').classes('text-gray-700')
        status = ui.label('').props('role=status aria-live=polite').mark('export-status')
        bar = ui.linear_progress(value=0, show_value=False).classes('max-w-xl')
        bar.visible = False

        latest = {'fraction': 0.0, 'label': ''}

        def show_progress() -> None:
            bar.value = latest['fraction']
            if latest['label']:
                status.text = f'Writing the Word report: {latest["label"]}'

        def progress(fraction: float, label: str) -> None:  # called from the worker thread: only record it
            latest.update(fraction=fraction, label=label)

        async def download(fmt: str) -> None:
            word = fmt == 'docx'
            bar.visible = word
            latest.update(fraction=0.0, label='')
            if word:
                status.text = 'Writing the Word report…'
            poll = ui.timer(0.2, show_progress) if word else None
            try:
                made = await live.look(formats.export, session_id=session_id, fmt=fmt, progress=progress)
            except NotFound as error:
                status.text = f'The export could not be made: {error}'
                ui.notify(status.text, type='negative')
                return
            finally:
                if poll is not None:
                    poll.cancel()
                bar.visible = False
            ui.download.content(made.data, filename=made.name, media_type=made.media_type)
            status.text = f'{made.name} downloaded'

        with ui.row().classes('gap-3 mt-4'):
            ui.button('Word report (.docx)', icon='description', on_click=lambda: download('docx')).mark('export-docx')
            ui.button('Actions as CSV', icon='table_view', on_click=lambda: download('csv')).mark('export-csv')
            ui.button('Actions as Markdown', icon='notes', on_click=lambda: download('md')).mark('export-md')
            ui.button('Session as JSON', icon='data_object', on_click=lambda: download('json')).mark('export-json')
        with ui.row().classes('gap-4 mt-6'):
            ui.link('Back to the session', session_link(session))
            ui.link('Action plan', page_url(session_id, 'actions', key))
