"""The export page of a session: the Word report (with progress), actions as CSV or Markdown, the session as JSON.

Every file is made in memory and sent to the browser: nothing of the session is left in the server's exports folder.
"""

from __future__ import annotations

import logging

from nicegui import ui

from cardkit import live, sessions
from cardkit.errors import NotFound
from cardkit.export import formats
from cardkit.text import sentence
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.components.workspace import Stage, stages
from cardkit.ui.design import Text, frame, notify
from cardkit.ui.urls import page_url, session_link

log = logging.getLogger('cardkit.export')

# (format, button label, icon, what the file is, as a message names it)
FILES = (
    ('docx', 'Word report (.docx)', 'description', 'the Word report'),
    ('csv', 'Actions as CSV', 'table_view', 'the actions as CSV'),
    ('md', 'Actions as Markdown', 'notes', 'the actions as Markdown'),
    ('json', 'Session as JSON', 'data_object', 'the session as JSON'),
)
PROGRESS_EVERY_S = 0.2


async def content(session_id: int, key: str = '') -> None:
    """/session/{id}/report?key=…: download the session's outcomes at any moment of the session."""
    session = await open_with_key(sessions.session_for_key, session_id, key)
    if session is None:
        refused('Export', 'This session link is not valid.')
        return
    with frame(f'Export · {session.title}') as main:
        stages(session, Stage.REPORT)
        Text('h1', f'Export “{session.title}”')
        Text('p', 'Files reflect everything saved so far; export again at any time.').classes('ck-muted')
        Exports(session_id, main)
        with ui.row().classes('gap-4 mt-6'):
            ui.link('Back to the session', session_link(session))
            ui.link('Action plan', page_url(session_id, 'actions', key))


class Exports:
    """The download buttons, a status line and the Word report's progress bar, shown only while it is written."""

    def __init__(self, session_id: int, page: ui.element) -> None:
        self.session_id = session_id
        self.page = page
        self.busy = ''  # what is being made, while it is
        self.latest = (0.0, '')  # the worker thread's last progress report: (fraction, label)
        with ui.row().classes('gap-3 mt-4'):
            for fmt, label, icon, what in FILES:
                props = 'unelevated no-caps' if fmt == 'docx' else 'outline no-caps'
                ui.button(label, icon=icon, on_click=lambda fmt=fmt, what=what: self.download(fmt, what)).props(
                    props
                ).mark(f'export-{fmt}')
        self.status = ui.label('').props('role=status aria-live=polite').mark('export-status')
        self.bar = ui.linear_progress(value=0, show_value=False).classes('max-w-xl').mark('export-progress')
        self.bar.props['aria-label'] = 'Writing the Word report'
        self.bar.visible = False

    def progress(self, fraction: float, label: str) -> None:
        """Called from the worker thread: only record it (the page is updated from the event loop)."""
        self.latest = (fraction, label)

    def show_progress(self) -> None:
        fraction, label = self.latest
        self.bar.value = fraction
        if label:
            self.status.text = f'Writing the Word report: {label}'

    async def download(self, fmt: str, what: str) -> None:
        if self.busy:
            self.status.text = f'Still making {self.busy}: the next file can be made once it is done.'
            return
        word = fmt == 'docx'
        self.busy = what
        self.latest = (0.0, '')
        self.status.text = f'Making {what}…'
        poll = None
        if word:
            self.bar.value = 0
            self.bar.visible = True
            with self.page:
                poll = ui.timer(PROGRESS_EVERY_S, self.show_progress)
        try:
            made = await live.look(formats.export, session_id=self.session_id, fmt=fmt, progress=self.progress)
        except NotFound as error:
            self.failed(f'{sentence(what)} could not be made: {error}.')
            return
        except Exception:
            log.exception('exporting session %s as %s', self.session_id, fmt)
            self.failed(
                f'{sentence(what)} could not be made: something went wrong while writing it. '
                'Nothing in the session was changed; try again.'
            )
            return
        finally:
            self.busy = ''
            if poll is not None:
                poll.delete()  # stops it: no late progress report can paint over the outcome
            self.bar.visible = False  # a finished or failed download leaves no bar behind
        with self.page:  # after the await the handler's own element may have been redrawn away
            ui.download.content(made.data, filename=made.name, media_type=made.media_type)
        self.status.text = f'{made.name} downloaded'

    def failed(self, message: str) -> None:
        self.status.text = message
        notify(self.page, message, type='negative')
