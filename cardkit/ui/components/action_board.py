"""The action plan board: short, medium and long term columns of actions, editable or read-only (projector).

Every change goes through the session's hub (`hub.do` with a `sessions` use case); the board follows the hub, so it
redraws after its own changes and after changes made elsewhere. It reads off the event loop and draws what it read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from nicegui import context, ui

from cardkit import live, sessions
from cardkit.changes import Change, What
from cardkit.errors import InputError, NotFound
from cardkit.models import STATUS_TITLES, TERM_TITLES, Action, Term
from cardkit.ui.components.newest import Newest
from cardkit.ui.design import INK, LINE, MUTED, Text, aria
from cardkit.ui.design import notify as design_notify

TERMS = [t.value for t in Term]
# Status badges: dark ink on light tints, all above 12:1.
STATUS_TINTS = {'proposed': '#ECEEF1', 'agreed': '#DCEBFA', 'in progress': '#FFF1C2', 'done': '#DDF1E0'}
TERM_EDGES = {'short': '#1D4F91', 'medium': '#2E6B30', 'long': '#5B3F8C'}

CSS = f"""
.ck-board {{ display: flex; flex-direction: column; gap: 0.75rem; width: 100%; }}
.ck-board-tools {{ display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }}
.ck-board-columns {{ display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 1rem; align-items: start; }}
@media (max-width: 900px) {{ .ck-board-columns {{ grid-template-columns: minmax(0, 1fr); }} }}
.ck-term {{ background: #F8F9FA; border: 1px solid {LINE}; border-top-width: 0.45rem; border-radius: 10px;
            padding: 0.75rem; display: flex; flex-direction: column; gap: 0.75rem; min-width: 0; }}
{''.join(f'.ck-term-{t} {{ border-top-color: {c}; }} ' for t, c in TERM_EDGES.items())}
.ck-term-head {{ display: flex; align-items: baseline; justify-content: space-between; gap: 0.5rem; }}
.ck-term-head h2 {{ margin: 0 !important; font-size: 1.3rem !important; }}
.ck-action {{ background: #FFFFFF; border: 1px solid {LINE}; border-radius: 8px; padding: 0.55rem 0.75rem;
              display: flex; flex-direction: column; gap: 0.25rem; overflow-wrap: anywhere; color: {INK}; }}
.ck-action-what {{ font-weight: 700; font-size: 1.05rem; line-height: 1.35; white-space: pre-wrap; }}
.ck-chips {{ display: flex; flex-wrap: wrap; gap: 0.35rem; }}
.ck-chip {{ font-size: 0.8rem; font-weight: 600; padding: 0.1rem 0.5rem; border-radius: 999px; background: #ECEEF1;
            color: {INK}; }}
.ck-chip-carried {{ background: #F3E8FB; }}
.ck-status {{ font-size: 0.85rem; font-weight: 700; padding: 0.1rem 0.55rem; border-radius: 4px; color: {INK};
              align-self: flex-start; }}
{''.join(f'.ck-status-{s.replace(" ", "-")} {{ background: {c}; }} ' for s, c in STATUS_TINTS.items())}
.ck-action-tools {{ display: flex; flex-wrap: wrap; gap: 0.1rem; align-items: center; border-top: 1px solid {LINE};
                    padding-top: 0.35rem; margin-top: 0.15rem; }}
.ck-action-tools .q-btn {{ min-width: 2.5rem; min-height: 2.5rem; color: {INK}; }}
.ck-action-tools .ck-grow {{ flex: 1; }}
.ck-action-tools .q-btn.disabled {{ opacity: 0.25 !important; }}
.ck-add {{ display: flex; flex-direction: column; gap: 0.35rem; border-top: 1px dashed {LINE}; padding-top: 0.6rem; }}
.ck-empty {{ color: {MUTED}; font-style: italic; }}
.ck-undo {{ display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; background: {INK}; color: #FFFFFF;
            border-radius: 8px; padding: 0.4rem 0.6rem 0.4rem 1rem; }}
.ck-undo .q-btn {{ color: #FFDD00; font-weight: 700; }}
"""


def format_date(value: date | None) -> str:
    """'7 Mar 2026' (or '' when there is none)."""
    return f'{value.day} {value:%b %Y}' if value else ''


@dataclass
class Draft:
    """Text typed into a form on the board, kept across redraws (another screen may change the board meanwhile)."""

    what: str = ''
    who: str = ''
    resources: str = ''
    target_date: str = ''
    term: str = Term.SHORT.value
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, action: Action) -> Draft:
        return cls(
            what=action.what,
            who=action.who,
            resources=action.resources,
            target_date=action.target_date.isoformat() if action.target_date else '',
            term=action.term,
        )

    def fields(self) -> dict[str, Any]:
        return {
            'what': self.what,
            'who': self.who,
            'resources': self.resources,
            'target_date': self.target_date,
            'term': self.term,
        }


class ActionBoard(ui.element):
    """Three columns of action cards for one session; `editable=False` shows them for a room to read."""

    def __init__(self, session_id: int, *, editable: bool = True, show_filter: bool = True) -> None:
        super().__init__('div')
        ui.add_css(CSS)
        self.session_id = session_id
        self.editable = editable
        self.who = ''
        self.new: dict[str, Draft] = {term: Draft(term=term) for term in TERMS}
        self.editing: dict[int, Draft] = {}
        self.deleted: list[Action] = []
        self.reviews: dict[int, str] = {}
        self.focus_after: tuple[int, str] | None = None
        self._focus_target: ui.button | None = None
        self.carried_from_title = ''
        self.reads = Newest()
        self.everything: list[Action] = []
        self.shown: list[Action] = []
        self.hub = live.hub(session_id)
        self.origin = context.client.id
        self.classes('ck-board').mark('action-board')
        with self:
            if show_filter:
                with ui.element('div').classes('ck-board-tools'):
                    ui.input('Show the actions of (name)', on_change=lambda e: self.filter_by(e.value or '')).props(
                        'outlined dense clearable type=search'
                    ).classes('min-w-[18rem]').mark('filter-who')
            self.draw()
        self.hub.follow(origin=self.origin, on_change=self._on_change, own=True)

    async def load(self) -> None:
        """Read the actions (and the earlier session's title) off the event loop, then draw them."""
        session = await live.look(sessions.get_session, session_id=self.session_id)
        earlier = await live.look(sessions.earlier_session, session=session)
        self.carried_from_title = earlier.title if earlier is not None else ''
        await self._reload()

    async def _reload(self) -> None:
        newest = self.reads.ticket()
        everything = await live.look(sessions.actions, session_id=self.session_id)
        if not newest() or self.is_deleted:
            return
        wanted = self.who.strip().lower()
        self.everything = everything
        self.shown = [a for a in everything if wanted in a.who.lower()] if wanted else everything
        self.draw.refresh()

    def _on_change(self, change: Change) -> Any:
        if change.what == What.SETUP:
            return self.load()
        if change.what == What.ACTIONS:
            return self._reload()
        return None

    def filter_by(self, who: str) -> Any:
        """Show only the actions whose owners include this text (any case)."""
        self.who = who
        return self._reload()

    async def _do(self, use_case: Any, **arguments: Any) -> bool:
        """A change through the hub; the board redraws when the hub announces it. A refusal is said, not raised."""
        try:
            await self.hub.do(use_case, origin=self.origin, **arguments)
        except (InputError, NotFound) as error:
            design_notify(self, str(error), type='negative')
            return False
        return True

    # --- drawing ---------------------------------------------------------------------------------------------------

    @ui.refreshable_method
    def draw(self) -> None:
        everything, shown = self.everything, self.shown
        if self.who.strip():
            Text('p', f'Showing {len(shown)} of {len(everything)} actions').classes('ck-muted').mark('filter-count')
        if self.deleted and self.editable:
            last = self.deleted[-1]
            with ui.element('div').classes('ck-undo').props('role=status').mark('undo-bar'):
                Text('span', f'Deleted: {_short(last.what)}')
                ui.button('Undo', on_click=self.undo).props('flat no-caps dense').mark('undo')
                aria(ui.button(icon='close', on_click=self.dismiss_undo).props('flat round dense'), label='Dismiss')
        with ui.element('div').classes('ck-board-columns'):
            for term in TERMS:
                self._column(term, [a for a in shown if a.term == term])
        self._restore_focus()

    def _column(self, term: str, rows: list[Action]) -> None:
        with ui.element('section').classes(f'ck-term ck-term-{term}').mark(f'term-{term}'):
            with ui.element('div').classes('ck-term-head'):
                Text('h2', TERM_TITLES[term])
                Text('span', f'{len(rows)} action{"" if len(rows) == 1 else "s"}').classes('ck-muted')
            for index, action in enumerate(rows):
                if action.id in self.editing and self.editable:
                    self._edit_card(action)
                else:
                    self._card(action, first=index == 0, last=index == len(rows) - 1)
            if not rows:
                Text(
                    'p',
                    f'No actions for “{self.who.strip()}” here.'
                    if self.who.strip()
                    else f'No {TERM_TITLES[term].lower()} actions yet.',
                ).classes('ck-empty')
            if self.editable:
                self._add_form(term)

    def _card(self, action: Action, *, first: bool, last: bool) -> None:
        with ui.element('article').classes('ck-action').mark('action', f'action-{action.id}'):
            chips = []
            if action.card_id:
                chips.append((f'Card {action.card_id}', 'ck-chip'))
            if action.carried_from is not None:
                chips.append(
                    (f'Carried from {self.carried_from_title or "an earlier session"}', 'ck-chip ck-chip-carried')
                )
            if chips:
                with ui.element('div').classes('ck-chips'):
                    for text, classes in chips:
                        Text('span', text).classes(classes)
            Text('p', action.what).classes('ck-action-what').mark('action-what')
            fact_line('Who', action.who or 'not decided yet')
            if action.resources:
                fact_line('Resources', action.resources)
            if action.target_date:
                fact_line('Target date', format_date(action.target_date))
            if not self.editable:
                Text('span', STATUS_TITLES.get(action.status, action.status)).classes(
                    f'ck-status ck-status-{action.status.replace(" ", "-")}'
                )
            if action.carried_from is not None:
                label = f'Progress since {self.carried_from_title or "the earlier session"}'
                if self.editable:
                    ui.textarea(
                        label,
                        value=self.reviews.get(action.id, action.review),
                        on_change=lambda e, a=action: self.reviews.__setitem__(a.id, e.value or ''),
                    ).props('outlined dense autogrow').classes('w-full').mark('review').on(
                        'blur', lambda a=action: self.save_review(a)
                    )
                elif action.review:
                    fact_line(label, action.review)
            if self.editable:
                self._tools(action, first=first, last=last)

    def _tools(self, action: Action, *, first: bool, last: bool) -> None:
        what = _short(action.what)
        term_index = TERMS.index(action.term)
        with ui.element('div').classes('ck-action-tools'):
            # the status sits with the action's other controls: one row, not a form, per action
            status = (
                ui.select(
                    STATUS_TITLES,
                    value=action.status,
                    label='Status',
                    on_change=lambda e, a=action: self.set_status(a.id, e.value),
                )
                .props('outlined dense options-dense')
                .classes('w-36 ck-status-select')
                .mark('status')
            )
            aria(status, label=f'Status of: {_short(action.what)}')
            self._icon(
                'arrow_upward',
                f'Move up: {what}',
                lambda: self.move(action.id, -1),
                'move-up',
                action.id,
                enabled=not first,
            )
            self._icon(
                'arrow_downward',
                f'Move down: {what}',
                lambda: self.move(action.id, 1),
                'move-down',
                action.id,
                enabled=not last,
            )
            if term_index > 0:
                earlier = TERMS[term_index - 1]
                self._icon(
                    'arrow_back',
                    f'Move to {TERM_TITLES[earlier].lower()}: {what}',
                    lambda: self.set_term(action.id, earlier),
                    'to-earlier',
                    action.id,
                )
            if term_index < len(TERMS) - 1:
                later = TERMS[term_index + 1]
                self._icon(
                    'arrow_forward',
                    f'Move to {TERM_TITLES[later].lower()}: {what}',
                    lambda: self.set_term(action.id, later),
                    'to-later',
                    action.id,
                )
            ui.element('span').classes('ck-grow')
            self._icon('edit', f'Edit: {what}', lambda: self.start_edit(action), 'edit', action.id)
            self._icon('delete', f'Delete: {what}', lambda: self.delete(action), 'delete', action.id)

    def _icon(self, icon: str, label: str, handler, marker: str, action_id: int, *, enabled: bool = True) -> None:
        button = ui.button(icon=icon, on_click=handler).props('flat round dense').mark(marker)
        aria(button, label=label)
        with button:
            ui.tooltip(label)
        button.set_enabled(enabled)
        if self.focus_after == (action_id, marker) and enabled:
            self._focus_target = button

    def _edit_card(self, action: Action) -> None:
        draft = self.editing[action.id]
        with ui.element('article').classes('ck-action').mark('action', f'action-{action.id}', 'action-editing'):
            Text('h3', 'Edit action').classes('text-base')
            _field(ui.textarea('What needs doing', value=draft.what), draft, 'what').props('autogrow autofocus').mark(
                'edit-what'
            )
            _field(ui.input('Who (names, comma separated)', value=draft.who), draft, 'who').mark('edit-who')
            _field(ui.textarea('Resources', value=draft.resources), draft, 'resources').props('autogrow').mark(
                'edit-resources'
            )
            _field(ui.input('Target date', value=draft.target_date), draft, 'target_date').props(
                'type=date stack-label'
            ).mark('edit-date')
            ui.select(
                {t: TERM_TITLES[t] for t in TERMS},
                value=draft.term,
                label='Term',
                on_change=lambda e: setattr(draft, 'term', e.value),
            ).props('outlined dense').mark('edit-term')
            with ui.row().classes('gap-2'):
                ui.button('Save', on_click=lambda: self.save_edit(action.id)).props('unelevated no-caps').mark(
                    'edit-save'
                )
                ui.button('Cancel', on_click=lambda: self.cancel_edit(action.id)).props('flat no-caps').mark(
                    'edit-cancel'
                )

    def _add_form(self, term: str) -> None:
        draft = self.new[term]
        title = TERM_TITLES[term].lower()
        with ui.element('div').classes('ck-add'):
            what = _field(ui.input(f'New {title} action', value=draft.what), draft, 'what').mark(f'new-what-{term}')
            what.on('keydown.enter', lambda: self.add(term))
            who = _field(ui.input('Who', value=draft.who), draft, 'who').mark(f'new-who-{term}')
            who.on('keydown.enter', lambda: self.add(term))
            ui.button(f'Add {title} action', icon='add', on_click=lambda: self.add(term)).props(
                'unelevated no-caps'
            ).classes('self-start').mark(f'add-{term}')

    # --- changes ---------------------------------------------------------------------------------------------------

    async def add(self, term: str) -> None:
        draft = self.new[term]
        try:
            await self.hub.do(
                sessions.add_action,
                origin=self.origin,
                session_id=self.session_id,
                what=draft.what,
                who=draft.who,
                term=term,
            )
        except InputError as error:
            draft.errors = {error.field or 'what': str(error)}
            self.draw.refresh()
            return
        self.new[term] = Draft(term=term)

    async def set_status(self, action_id: int, status: str) -> None:
        await self._do(sessions.update_action, action_id=action_id, status=status)

    async def set_term(self, action_id: int, term: str) -> None:
        await self._do(sessions.update_action, action_id=action_id, term=term)

    async def save_review(self, action: Action) -> None:
        """Keep the progress note typed for a carried action (when the field loses focus)."""
        text = self.reviews.pop(action.id, None)
        if text is None or text == action.review:
            return
        if not await self._do(sessions.update_action, action_id=action.id, review=text):
            self.reviews[action.id] = text

    async def move(self, action_id: int, direction: int) -> None:
        self.focus_after = (action_id, 'move-up' if direction < 0 else 'move-down')
        await self._do(sessions.move_action, action_id=action_id, direction=direction)

    def start_edit(self, action: Action) -> None:
        self.editing[action.id] = Draft.of(action)
        self.draw.refresh()

    def cancel_edit(self, action_id: int) -> None:
        self.editing.pop(action_id, None)
        self.focus_after = (action_id, 'edit')
        self.draw.refresh()

    async def save_edit(self, action_id: int) -> None:
        draft = self.editing[action_id]
        try:
            await self.hub.do(sessions.update_action, origin=self.origin, action_id=action_id, **draft.fields())
        except InputError as error:
            draft.errors = {error.field or 'what': str(error)}
            self.draw.refresh()
            return
        except NotFound:
            design_notify(self, 'This action was deleted on another screen.', type='warning')
        self.editing.pop(action_id, None)
        self.focus_after = (action_id, 'edit')
        self.draw.refresh()

    async def delete(self, action: Action) -> None:
        self.editing.pop(action.id, None)
        self.deleted.append(action)
        if not await self._do(sessions.delete_action, action_id=action.id):
            self.draw.refresh()

    async def undo(self) -> None:
        if not self.deleted:
            return
        action = self.deleted.pop()
        await self._do(sessions.restore_action, action_id=action.id)

    def dismiss_undo(self) -> None:
        self.deleted.clear()
        self.draw.refresh()

    def _restore_focus(self) -> None:
        """Keep keyboard focus on the control that was used, after the board has been redrawn."""
        target, self._focus_target = self._focus_target, None
        self.focus_after = None
        if target is not None:
            ui.run_javascript(f'setTimeout(() => getHtmlElement({int(target.id)})?.focus(), 50)')


def _short(text: str, limit: int = 60) -> str:
    text = ' '.join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + '…'


def fact_line(key: str, value: str) -> Text:
    """A line of an action: its name in bold, then the value as typed (in full, line breaks kept); the value."""
    with ui.element('p').classes('ck-action-line'):
        Text('span', f'{key}: ').classes('ck-key')
        return Text('span', value)


def _field(element: Any, draft: Draft, name: str) -> Any:
    """Keep the typed value in the draft and show the draft's error for this field."""
    element.props('outlined dense').classes('w-full')
    element.on_value_change(lambda e: _remember(draft, name, e.value))
    if name in draft.errors:
        element.error = draft.errors[name]
    return element


def _remember(draft: Draft, name: str, value: Any) -> None:
    setattr(draft, name, value or '')
    draft.errors.pop(name, None)
