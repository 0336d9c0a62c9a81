"""The export page of a session: the Word report (with progress), actions as CSV or Markdown, the session as JSON."""

from __future__ import annotations

from nicegui import run, ui

from cardkit import sessions
from cardkit.export import formats, report
from cardkit.ui.theme import frame, session_link_refused


def content(session_id: int, key: str = '') -> None:
    """/session/{id}/report?key=…: download the session's outcomes at any moment of the session."""
    try:
        session = sessions.session_for_key(session_id, key)
    except sessions.NotFound:
        session_link_refused('Export', 'This session link is not valid.')
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

        async def word() -> None:
            bar.visible = True
            status.text = 'Writing the Word report…'
            latest.update(fraction=0.0, label='')

            def progress(fraction: float, label: str) -> None:  # called from the worker thread: only record it
                latest.update(fraction=fraction, label=label)

            poll = ui.timer(0.2, show_progress)
            try:
                path = await run.io_bound(report.write_report, session_id, progress=progress)
            except (sessions.NotFound, OSError) as error:
                status.text = f'The report could not be written: {error}'
                ui.notify(status.text, type='negative')
                return
            finally:
                poll.cancel()
            bar.value = 1
            status.text = f'Report written to {path.name}'
            data = await run.io_bound(path.read_bytes)
            ui.download.content(
                data,
                filename=path.name,
                media_type='application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            )

        async def text_file(kind: str) -> None:
            producer, extension, media = {
                'csv': (formats.actions_csv, 'csv', 'text/csv'),
                'md': (formats.actions_markdown, 'md', 'text/markdown'),
                'json': (formats.session_json, 'json', 'application/json'),
            }[kind]
            text = await run.io_bound(producer, session_id)
            encoding = 'utf-8-sig' if kind == 'csv' and not text.startswith('\ufeff') else 'utf-8'
            name = report.default_path(session, extension).name
            ui.download.content(text.encode(encoding), filename=name, media_type=media)
            status.text = f'{name} downloaded'

        with ui.row().classes('gap-3 mt-4'):
            ui.button('Word report (.docx)', icon='description', on_click=word).mark('export-docx')
            ui.button('Actions as CSV', icon='table_view', on_click=lambda: text_file('csv')).mark('export-csv')
            ui.button('Actions as Markdown', icon='notes', on_click=lambda: text_file('md')).mark('export-md')
            ui.button('Session as JSON', icon='data_object', on_click=lambda: text_file('json')).mark('export-json')
        with ui.row().classes('gap-4 mt-6'):
            ui.link('Back to the console', f'/session/{session_id}/console?key={key}')
            ui.link('Action plan', f'/session/{session_id}/actions?key={key}')
