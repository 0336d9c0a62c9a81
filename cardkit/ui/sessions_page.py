"""The list of sessions at `/sessions`: search, resume, action plan, rename, duplicate, follow up, delete."""

from __future__ import annotations

import contextlib

from nicegui import ui

from cardkit import live, sessions
from cardkit.errors import InputError, NotFound
from cardkit.models import Mode
from cardkit.sessions import SessionSummary
from cardkit.text import sentence
from cardkit.ui import design
from cardkit.ui.components.action_board import format_date
from cardkit.ui.components.confirm import ConfirmDialog
from cardkit.ui.components.newest import Newest
from cardkit.ui.components.workspace import Stage, resume_url, stage_url
from cardkit.ui.design import ACCENT, LINE, Text, aria
from cardkit.ui.urls import page_url

CSS = f"""
.ck-list-head {{ display: flex; flex-wrap: wrap; gap: 0.75rem 1.5rem; align-items: center;
                 justify-content: space-between; }}
.ck-sessions {{ list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.75rem; }}
.ck-session {{ background: #FFFFFF; border: 1px solid {LINE}; border-left: 0.4rem solid {ACCENT}; border-radius: 10px;
               padding: 0.9rem 1.1rem; display: flex; flex-direction: column; gap: 0.35rem; overflow-wrap: anywhere; }}
.ck-session h2 {{ margin: 0 !important; font-size: 1.3rem !important; }}
.ck-session-tools {{ display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; margin-top: 0.3rem; }}
.ck-session-tools .q-btn {{ min-height: 2.5rem; }}
.ck-main a.ck-link-button:not(.q-btn) {{ display: inline-flex; align-items: center; min-height: 2.5rem;
                             padding: 0 0.9rem; border: 1px solid {ACCENT}; border-radius: 6px; font-weight: 600;
                             text-decoration: none; }}
.ck-main a.ck-link-button:not(.q-btn):hover {{ text-decoration: underline; }}
.ck-main a.ck-button {{ min-height: 2.5rem; box-sizing: border-box; padding: 0.45rem 1.1rem; }}
"""


async def content(q: str = '') -> None:
    """The page: every session, newest change first, filtered live by the search box."""
    ui.add_css(CSS)
    with design.frame('Sessions'):
        page = SessionsPage(q)
    await page.load()


class SessionsPage:
    """The search box and the list it filters."""

    def __init__(self, search: str) -> None:
        self.search = search
        with ui.element('div').classes('ck-list-head'):
            Text('h1', 'Sessions')
            ui.link('New session', '/sessions/new').classes('ck-button').mark('new-session')
        ui.input('Search by title, deck or person', value=search, on_change=lambda e: self.filter(e.value or '')).props(
            'outlined clearable type=search'
        ).classes('w-full max-w-xl').mark('search')
        self.rows: list[SessionSummary] = []
        self.reads = Newest()
        self.draw()

    async def load(self) -> None:
        """Read the sessions that match the search off the event loop, then draw them (unless a newer search or
        change has overtaken this read: typing fast starts one read per keystroke)."""
        newest = self.reads.ticket()
        rows = await live.look(sessions.list_sessions, search=self.search)
        if newest():
            self.rows = rows
            self.draw.refresh()

    async def filter(self, search: str) -> None:
        self.search = search
        await self.load()

    @ui.refreshable_method
    def draw(self) -> None:
        rows = self.rows
        if not rows:
            if self.search.strip():
                Text('p', f'No session matches “{self.search.strip()}”.').mark('no-match')
            else:
                with ui.element('div').classes('ck-panel').mark('no-sessions'):
                    Text('h2', 'No sessions yet')
                    Text('p', 'Start one: choose a deck, the cards to work on and who is involved.')
                    ui.link('Start a session', '/sessions/new').classes('ck-button')
            return
        Text('p', f'{len(rows)} session{"" if len(rows) == 1 else "s"}').classes('ck-muted').mark('session-count')
        with ui.element('ul').classes('ck-sessions'):
            for row in rows:
                self._row(row)

    def _row(self, row: SessionSummary) -> None:
        session = row.session
        key = session.facilitator_key
        with ui.element('li').classes('ck-session').mark('session', f'session-{session.id}'):
            Text('h2', session.title).mark('session-title')
            Text(
                'p',
                f'{format_date(session.held_on)} · {row.deck_title} · {sentence(session.way_of_working)}',
            ).classes('ck-muted')
            facts = [
                _count(row.notes, 'note'),
                _count(row.actions, 'action'),
                f'last changed {session.updated_at:%d %b %Y %H:%M} UTC',
                'solo' if session.mode == Mode.SOLO else 'facilitated',
            ]
            Text('p', ' · '.join(facts)).mark('session-facts')
            if row.people:
                Text('p', 'With ' + ', '.join(row.people)).classes('ck-muted')
            title = _short(session.title)
            with ui.element('div').classes('ck-session-tools'):
                aria(
                    ui.link('Resume', resume_url(session)).classes('ck-button').mark('resume'),
                    label=f'Resume {title}',
                )
                if session.mode != Mode.SOLO:
                    aria(
                        ui.link('Room', stage_url(session, Stage.ROOM)).classes('ck-link-button').mark('room'),
                        label=f'Room of {title}',
                    )
                aria(
                    ui.link('Action plan', page_url(session.id, 'actions', key))
                    .classes('ck-link-button')
                    .mark('action-plan'),
                    label=f'Action plan of {title}',
                )
                aria(
                    ui.link('Set-up', page_url(session.id, 'setup', key)).classes('ck-link-button').mark('setup'),
                    label=f'Set-up of {title}',
                )
                aria(
                    ui.link('Report', stage_url(session, Stage.REPORT)).classes('ck-link-button').mark('report'),
                    label=f'Report of {title}',
                )
                aria(
                    ui.link('Follow-up session', f'/sessions/new?follow_up={session.id}')
                    .classes('ck-link-button')
                    .mark('follow-up'),
                    label=f'Follow-up session of {title}',
                )
                self._button('Rename', 'edit', lambda: self.rename(session.id, session.title), 'rename', title)
                self._button('Duplicate', 'content_copy', lambda: self.duplicate(session.id), 'duplicate', title)
                self._button(
                    'Delete', 'delete', lambda: self.delete(session.id, session.title), 'delete', title, danger=True
                )

    @staticmethod
    def _button(text: str, icon: str, handler, marker: str, title: str, *, danger: bool = False) -> None:
        button = (
            ui.button(text, icon=icon, on_click=handler)
            .props(f'flat no-caps {"color=negative" if danger else ""}')
            .mark(marker)
        )
        aria(button, label=f'{text} {title}')

    def rename(self, session_id: int, current: str) -> None:
        RenameDialog(session_id, current, on_done=self.load).open()

    async def duplicate(self, session_id: int) -> None:
        try:
            copy = await live.do(sessions.duplicate_session, session_id=session_id)
        except NotFound:
            ui.notify('That session no longer exists.', type='warning')
        else:
            ui.notify(f'Duplicated as “{copy.title}”', type='positive')
        await self.load()

    async def delete(self, session_id: int, title: str) -> None:
        dialog = ConfirmDialog(
            f'Delete the session “{title}”?',
            confirm='Delete session',
            detail='Its notes, actions and the list of people are deleted too. This cannot be undone.',
        )
        if not await dialog.ask():
            return
        with contextlib.suppress(NotFound):  # deleted meanwhile elsewhere: gone either way
            await live.do(sessions.delete_session, session_id=session_id)
        ui.notify(f'Deleted “{title}”')
        await self.load()


class RenameDialog(ui.dialog):
    """A new title for a session; the problem is shown under the field and the typed text kept."""

    def __init__(self, session_id: int, current: str, *, on_done) -> None:
        super().__init__()
        self.session_id = session_id
        self.on_done = on_done
        self.mark('rename-dialog')
        with self, ui.card().classes('w-full').style('max-width: 34rem'):
            Text('h2', 'Rename the session').classes('text-xl font-bold')
            self.title = (
                ui.input('Title', value=current, on_change=self._clear)
                .props('outlined counter autofocus')
                .classes('w-full')
                .mark('rename-title')
            )
            self.title.on('keydown.enter', self.save)
            with ui.row().classes('w-full justify-end gap-2'):
                ui.button('Cancel', on_click=self.close).props('flat no-caps').mark('rename-cancel')
                ui.button('Save', on_click=self.save).props('unelevated no-caps').mark('rename-save')
        self.on('hide', self._remove)

    def _remove(self) -> None:
        if not self.is_deleted:
            self.delete()

    def _clear(self) -> None:
        if self.title.error:
            self.title.error = None

    async def save(self) -> None:
        try:
            await live.do(sessions.rename_session, session_id=self.session_id, title=self.title.value or '')
        except InputError as error:
            self.title.error = str(error)
            return
        except NotFound:
            ui.notify('That session no longer exists.', type='warning')
        self.close()
        await self.on_done()
        self._remove()


def _count(number: int, word: str) -> str:
    return f'{number} {word}{"" if number == 1 else "s"}'


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + '…'
