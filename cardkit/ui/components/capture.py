"""The capture panel for the card in view: notes, coaching questions, evidence ratings and actions.

Shared by the facilitator console and solo mode. Every entry is committed as it is entered (notes and actions on
submit, edits on blur or Enter, ratings on change), through the use cases in `cardkit.sessions`, and announced on the
session's hub; the panel follows the hub and redraws only the row or list another screen changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from nicegui import context, ui

from cardkit import live, sessions
from cardkit.changes import Change, How, What
from cardkit.deck import Card, Deck
from cardkit.errors import InputError, NotFound
from cardkit.models import NOTE_MAX, SHORT_MAX, STATUS_TITLES, TERM_TITLES, Action, ActionStatus, Note, NoteKind, Term
from cardkit.ui import design
from cardkit.ui.components.action_board import fact_line, format_date
from cardkit.ui.components.words import shorten
from cardkit.ui.design import Text

# Enter commits, Shift+Enter starts a new line (Ctrl+Enter commits too); composing (IME) input is left alone.
ENTER_COMMITS_JS = '(e) => { if (!e.shiftKey && !e.isComposing) { e.preventDefault(); emit(); } }'
UNDO_SECONDS = 20

CSS = """
.ck-capture { display: flex; flex-direction: column; gap: 1rem; min-width: 0; }
.ck-capture .ck-panel { gap: 0.75rem; }
.ck-capture h2 { font-size: 1.3rem; line-height: 1.25; margin: 0; font-weight: 700; }
.ck-capture h3 { font-size: 1.05rem; margin: 0; font-weight: 700; }
.ck-capture .ck-panel.ck-actions-first { border: 3px solid var(--ck-accent); }
.ck-entries { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
/* beside the card, a long list scrolls in its place, so the page stays within two screens of a laptop; the padding
   keeps the focus ring of what is inside from being cut off */
@media (min-width: 1001px) { .ck-capture .ck-entries { max-height: min(21rem, 40vh); overflow-y: auto;
                                                       padding: 0.4rem; margin: -0.4rem; } }
.ck-entry { display: flex; gap: 0.35rem; align-items: flex-start; border-left: 4px solid var(--ck-line);
            padding-left: 0.5rem; }
.ck-entry-body { flex: 1; min-width: 0; display: flex; flex-direction: column; gap: 0.2rem; }
.ck-entry-tools { display: flex; flex: none; align-items: center; }
.ck-entry-tools .q-btn { min-width: 2.5rem; min-height: 2.5rem; }
.ck-stem { font-weight: 700; font-size: 0.85rem; text-transform: uppercase; letter-spacing: 0.05em;
           color: var(--ck-muted); }
.ck-stems { display: flex; flex-wrap: wrap; gap: 0.4rem; }
.ck-stems .q-btn { min-height: 2.5rem; font-size: 1rem; }
.ck-stems .q-btn[aria-pressed="true"] { background: var(--ck-ink) !important; color: #fff !important; }
.ck-form-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; }
.ck-form-row > .q-field { flex: 1 1 12rem; min-width: 0; }
.ck-capture .q-btn-group { flex-wrap: wrap; box-shadow: none; gap: 0.25rem; }
.ck-capture .q-btn-group > .q-btn { border: 1px solid var(--ck-ink); border-radius: 6px !important;
                                    min-height: 2.5rem; padding: 0 0.7rem; }
/* a checklist item: its words, then the rating on one line beside the button that opens its evidence fields */
.ck-item-rating { display: flex; flex-wrap: wrap; align-items: center; gap: 0.25rem 0.75rem; padding: 0.15rem 0;
                  border-top: 1px solid var(--ck-line); }
.ck-item-text { flex: 1 1 8rem; font-weight: 600; line-height: 1.3; }
.ck-item-controls { flex: none; display: flex; gap: 0.25rem; align-items: center; max-width: 100%; }
.ck-item-evidence, .ck-item-rating .ck-field-error { flex: 1 1 100%; }
.ck-capture .ck-item-controls .q-btn-group { flex-wrap: nowrap; }
.ck-capture .ck-item-controls .q-btn-group > .q-btn { min-height: 2.25rem; padding: 0 0.5rem; font-size: 0.9rem;
                                                       white-space: nowrap; }
@media (max-width: 600px) { .ck-capture .ck-item-controls .q-btn-group { flex-wrap: wrap; } }
.ck-item-controls .ck-open-evidence { min-width: 2.5rem; min-height: 2.5rem; }
.ck-new-action { display: flex; flex-direction: column; gap: 0.75rem; }
.ck-item-evidence:empty { display: none; }
/* a saved action reads as text; its Edit button opens the form in its place */
.ck-saved-action { flex-direction: column; align-items: stretch; gap: 0.15rem; }
.ck-saved-what { font-weight: 700; white-space: pre-wrap; overflow-wrap: anywhere; line-height: 1.35; }
.ck-action-row-tools { display: flex; flex-wrap: wrap; align-items: center; gap: 0.1rem; }
.ck-action-row-tools .q-btn { min-height: 2.5rem; }
.ck-action-row-tools .ck-grow { flex: 1; }
.ck-action-form { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 11rem), 1fr));
                  gap: 0.4rem; min-width: 0; }
.ck-action-form .ck-wide-field { grid-column: 1 / -1; }
.ck-action-from { font-size: 0.9rem; color: var(--ck-muted); }
.ck-undo { display: flex; gap: 0.75rem; align-items: center; background: #1B2A38; color: #fff; border-radius: 8px;
           padding: 0.4rem 0.5rem 0.4rem 1rem; position: sticky; bottom: 0.75rem; z-index: 5; }
.ck-undo .q-btn { color: #FFDD00; font-weight: 800; }
.ck-field-error { color: var(--ck-danger); font-weight: 600; font-size: 0.95rem; }
.ck-field-error:empty { display: none; }
.ck-counter { font-size: 0.9rem; color: var(--ck-muted); }
"""


def new_key() -> str:
    """A fresh client key: one per entry, reused if the same entry is submitted twice."""
    return uuid.uuid4().hex


def commit_on_enter(element: ui.element, handler: Callable[..., Any]) -> None:
    """Enter (or Ctrl+Enter) in a text field commits; Shift+Enter keeps its newline."""
    element.on('keydown.enter', handler, js_handler=ENTER_COMMITS_JS)


def icon_button(icon: str, label: str, on_click: Callable[..., Any]) -> ui.button:
    """A small icon-only button with a constant accessible name."""
    button = ui.button(icon=icon, on_click=on_click).props('flat round dense color=dark')
    design.aria(button, label=label)
    button.tooltip(label)
    return button


class FieldError(ui.label):
    """Inline text next to a field saying why its entry was not accepted."""

    def __init__(self) -> None:
        super().__init__('')
        self.classes('ck-field-error').props('role=alert aria-live=assertive')

    def show(self, message: str) -> None:
        self.set_text(message)
        ui.notify(message, type='negative')

    def clear_message(self) -> None:
        self.set_text('')


@dataclass
class RatingRow:
    """A checklist item drawn in the panel: its rating, and its evidence fields once opened (until then the saved
    evidence is kept as it is)."""

    key: str
    text: str
    toggle: ui.toggle
    opener: ui.button
    box: ui.element
    error: FieldError
    evidence: str = ''
    needs: str = ''
    evidence_input: ui.input | None = None
    needs_input: ui.input | None = None
    saved: tuple[Any, str, str] | None = None

    def values(self) -> tuple[Any, str, str]:
        evidence = self.evidence if self.evidence_input is None else self.evidence_input.value or ''
        needs = self.needs if self.needs_input is None else self.needs_input.value or ''
        return self.toggle.value, evidence, needs


@dataclass
class NoteRow:
    """A note drawn in the panel, and the controls a change of its neighbours touches."""

    note: Note
    row: ui.element
    area: ui.textarea
    up: ui.button
    down: ui.button


class CapturePanel(ui.element):
    """Notes, coaching questions, evidence ratings and actions for one card of a session."""

    def __init__(self, session_id: int) -> None:
        super().__init__('section')
        self.session_id = session_id
        self.deck: Deck | None = None
        self.card: Card | None = None
        self._generation = 0
        self._layout: tuple[int, bool, bool] | None = None  # the deck, and which sections the panel has
        self.hub = live.hub(session_id)
        self.origin = context.client.id  # what this panel changes it has drawn already
        self._stem = ''
        self._note_key = new_key()
        self._question_key = new_key()
        self._action_key = new_key()
        self._busy: set[str] = set()
        self._rows: dict[str, dict[int, NoteRow]] = {}  # kind -> note id -> row, in the order shown
        self._editing: set[int] = set()  # the actions of this card whose form is open
        self._evidence_open: set[str] = set()  # the checklist items of this card whose evidence fields are open
        self._actions_shown: tuple[list[Action], bool] = ([], False)  # as last read: the rows and whether a plan
        ui.add_css(CSS)
        self.classes('ck-capture').mark('capture')
        design.aria(self, label='Notes and actions')
        with self:
            self._body = ui.element('div').classes('ck-capture')
            with ui.element('div').classes('ck-undo').mark('undo-bar') as self._undo_bar:
                self._undo_text = ui.label('').props('role=status')
                ui.button('Undo', on_click=self._undo).props('flat no-caps').mark('undo')
            self._undo_bar.set_visibility(False)
        self._focus_after: int | None = None  # the action whose Edit button takes the focus when next drawn
        self._pending_undo: Callable[[], Any] | None = None
        self._undo_token = 0
        self.hub.follow(origin=self.origin, on_change=self._on_change)

    # --- drawing ---------------------------------------------------------------------------------------------------

    @property
    def on_action_card(self) -> bool:
        """Cards of the actions theme (strategic issue 6 in the card activity) lead with the action form."""
        if self.deck is None or self.card is None:
            return False
        return 'action' in self.deck.theme_of(self.card.id).title.lower()

    async def show(self, deck: Deck, card: Card) -> None:
        """Show the panel for a card (entries typed into the forms of another card are not carried over). A card
        whose panel has the same sections reuses the forms, emptied; only the lists are drawn again."""
        if self.card is not None and self.deck is deck and self.card.id == card.id:
            return
        self.deck, self.card = deck, card
        self._generation += 1
        self._rows = {}  # until this card's lists are drawn
        self._stem = ''
        self._editing = set()
        self._evidence_open = set()
        layout = (id(deck), self.on_action_card, card.kind == 'checklist')
        if layout == self._layout:
            self._empty_forms()
        else:
            self._layout = layout
            self._body.clear()
            with self._body:
                # the card's own task first: agreeing actions on an action card, rating the items of a checklist
                if self.on_action_card:
                    self._actions_section(prominent=True)
                if card.kind == 'checklist':
                    self._ratings_section()
                self._notes_section()
                self._questions_section()
                if not self.on_action_card:
                    self._actions_section(prominent=False)
        await self._load_all()

    def _empty_forms(self) -> None:
        """The forms as a new card's panel draws them: empty, with this card's id in the headings."""
        assert self.card is not None
        self.notes_heading.set_text(f'Notes on {self.card.id}')
        if not self.on_action_card:
            self.actions_heading.set_text(f'Actions from {self.card.id}')
        for field in (
            self.note_input,
            self.question_input,
            self.action_what,
            self.action_who,
            self.action_resources,
            self.action_date,
        ):
            field.set_value('')
        for error in (self.note_error, self.question_error, self.action_error):
            error.clear_message()
        self.action_term.set_value(Term.SHORT.value)
        self.action_status.set_value(ActionStatus.PROPOSED.value)
        for button in self.stem_buttons.values():
            design.aria(button, pressed='false')
        if self.action_opener is not None:
            self.close_new_action()

    def open_new_action(self) -> None:
        """Open the form for a new action (what was typed in it before is still there)."""
        if self.action_opener is not None:
            self.action_opener.set_visibility(False)
            design.aria(self.action_opener, expanded='true')
        self.action_form.set_visibility(True)
        self.action_what.run_method('focus')

    def close_new_action(self) -> None:
        if self.action_opener is not None:
            self.action_opener.set_visibility(True)
            design.aria(self.action_opener, expanded='false')
        self.action_form.set_visibility(False)

    def _notes_section(self) -> None:
        assert self.card is not None
        with ui.element('div').classes('ck-panel').mark('notes-panel'):
            self.notes_heading = Text('h2', f'Notes on {self.card.id}')
            self.notes_list = ui.element('ul').classes('ck-entries').mark('notes')
            self.note_input = self._textarea('Add a note', 'note-input')
            self.note_error = FieldError().mark('note-error')
            commit_on_enter(self.note_input, self.add_note)
            with ui.element('div').classes('ck-form-row'):
                ui.button('Add note', icon='add', on_click=self.add_note).props('no-caps').mark('add-note')
                ui.label('Enter adds, Shift+Enter starts a new line').classes('ck-counter')

    def _questions_section(self) -> None:
        assert self.deck is not None
        with ui.element('div').classes('ck-panel').mark('questions-panel'):
            Text('h2', 'Coaching questions')
            self.questions_list = ui.element('ul').classes('ck-entries').mark('questions')
            with ui.element('div').classes('ck-stems') as stems:
                design.aria(stems, label='Start a question with')
                self.stem_buttons: dict[str, ui.button] = {}
                for stem in self.deck.stems():
                    button = (
                        ui.button(f'{stem.capitalize()}…', on_click=lambda s=stem: self.pick_stem(s))
                        .props('outline no-caps')
                        .mark(f'stem-{stem.lower()}')
                    )
                    design.aria(button, pressed='false')
                    self.stem_buttons[stem.lower()] = button
            self.question_input = self._textarea('Ask a coaching question', 'question-input')
            self.question_error = FieldError().mark('question-error')
            commit_on_enter(self.question_input, self.add_question)
            ui.button('Add question', icon='add', on_click=self.add_question).props('no-caps').classes(
                'self-start'
            ).mark('add-question')

    def _ratings_section(self) -> None:
        assert self.deck is not None and self.card is not None
        with ui.element('div').classes('ck-panel ck-ratings-panel').mark('ratings-panel'):
            Text('h2', 'Evidence')
            Text(
                'p',
                'Rate the evidence for each item; its pencil adds what the evidence is and what needs to happen.',
            ).classes('ck-muted')
            self.ratings_box = ui.element('div').classes('flex flex-col')

    def _actions_section(self, *, prominent: bool) -> None:
        assert self.card is not None
        panel = ui.element('div').classes('ck-panel' + (' ck-actions-first' if prominent else '')).mark('actions-panel')
        with panel:
            if prominent:
                Text('h2', 'Agree actions')
            else:  # one heading: the card's actions, then the button that opens the form for another
                self.actions_heading = Text('h2', f'Actions from {self.card.id}')
                self.actions_list = ui.element('ul').classes('ck-entries').mark('actions')
            if prominent:
                Text('p', 'What needs to happen next, by whom and when: short, medium and long term.').classes(
                    'ck-muted'
                )
            # on other cards the form opens on demand: the card's notes come first there
            self.action_opener: ui.button | None = None
            if not prominent:
                self.action_opener = (
                    ui.button('Add an action', icon='add_task', on_click=self.open_new_action)
                    .props('outline no-caps')
                    .classes('self-start')
                    .mark('open-action-form')
                )
                design.aria(self.action_opener, expanded='false')
            with ui.element('div').classes('ck-new-action').mark('new-action-form') as self.action_form:
                self.action_what = self._textarea('What needs doing', 'action-what')
                self.action_error = FieldError().mark('action-error')
                commit_on_enter(self.action_what, self.add_action)
                self.action_term = (
                    ui.toggle(TERM_TITLES, value=Term.SHORT.value).props('no-caps unelevated').mark('action-term')
                )
                design.aria(self.action_term, label='Term')
                with ui.element('div').classes('ck-form-row'):
                    self.action_who = ui.input('Who').props(f'outlined maxlength={SHORT_MAX}').mark('action-who')
                    self.action_resources = (
                        ui.textarea('Resources')
                        .props(f'outlined autogrow maxlength={NOTE_MAX}')
                        .mark('action-resources')
                    )
                with ui.element('div').classes('ck-form-row'):
                    self.action_status = (
                        ui.select(STATUS_TITLES, value=ActionStatus.PROPOSED.value, label='Status')
                        .props('outlined')
                        .mark('action-status')
                    )
                    self.action_date = (
                        ui.input('Target date').props('outlined type=date stack-label').mark('action-date')
                    )
                with ui.element('div').classes('ck-form-row'):
                    ui.button('Add action', icon='add_task', on_click=self.add_action).props('no-caps').mark(
                        'add-action'
                    )
                    if not prominent:
                        ui.button('Close', on_click=self.close_new_action).props('flat no-caps').mark(
                            'close-action-form'
                        )
            self.action_form.set_visibility(prominent)
            if prominent:
                self.actions_heading = Text('h3', 'The action plan so far')
                self.actions_list = ui.element('ul').classes('ck-entries').mark('actions')

    def _textarea(self, label: str, marker: str) -> ui.textarea:
        # no character counter: it kept a line free under every box for a limit (4,000) a note rarely nears
        area = ui.textarea(label).props(f'outlined dense autogrow maxlength={NOTE_MAX}').classes('w-full')
        return area.mark(marker)

    # --- loading ---------------------------------------------------------------------------------------------------

    async def _load_all(self) -> None:
        await self._load_notes()
        await self._load_actions()

    async def _load_notes(self) -> None:
        generation, card = self._generation, self.card
        assert card is not None
        rows = await live.look(sessions.notes, session_id=self.session_id, card_id=card.id)
        if rows is None or generation != self._generation or self.is_deleted:  # None: the app is stopping
            return
        self._draw_notes([n for n in rows if n.kind == NoteKind.NOTE.value], self.notes_list, 'note')
        self._draw_notes([n for n in rows if n.kind == NoteKind.QUESTION.value], self.questions_list, 'question')
        if card.kind == 'checklist':
            self._draw_ratings({n.item_key: n for n in rows if n.kind == NoteKind.RATING.value})

    async def _load_actions(self) -> None:
        generation, card = self._generation, self.card
        assert card is not None
        rows = await live.look(sessions.actions, session_id=self.session_id)
        if rows is None or generation != self._generation or self.is_deleted:
            return
        if not self.on_action_card:
            rows = [a for a in rows if a.card_id == card.id]
        self._draw_actions(rows, plan=self.on_action_card)

    def _draw_notes(self, rows: list[Note], container: ui.element, kind: str) -> None:
        container.clear()
        self._rows[kind] = {}
        with container:
            if not rows:
                self._empty_label(kind)
            for index, note in enumerate(rows):
                self._note_row(note, kind, first=index == 0, last=index == len(rows) - 1)

    @staticmethod
    def _empty_label(kind: str) -> None:
        Text('li', 'None yet.' if kind == 'note' else 'No questions yet.').classes('ck-muted').mark(f'none-yet-{kind}')

    def _note_row(self, note: Note, kind: str, *, first: bool, last: bool) -> None:
        with ui.element('li').classes('ck-entry').mark(kind) as row:
            with ui.element('div').classes('ck-entry-body'):
                if note.stem:
                    ui.label(note.stem.capitalize()).classes('ck-stem')
                area = (
                    ui.textarea(value=note.text)
                    .props(f'borderless autogrow dense maxlength={NOTE_MAX}')
                    .classes('w-full')
                    .mark(f'{kind}-text')
                )
                design.aria(area, label='Edit note' if kind == 'note' else 'Edit question')
                error = FieldError()
                area.on('blur', lambda _, n=note, a=area, e=error: self.edit_note(n, a, e))
                commit_on_enter(area, lambda _, a=area: a.run_method('blur'))
            with ui.element('div').classes('ck-entry-tools'):
                what = 'note' if kind == 'note' else 'question'
                up = icon_button('arrow_upward', f'Move {what} up', lambda n=note: self.move_note(n, -1))
                down = icon_button('arrow_downward', f'Move {what} down', lambda n=note: self.move_note(n, 1))
                up.set_enabled(not first)
                down.set_enabled(not last)
                icon_button('delete', f'Delete {what}', lambda n=note: self.delete_note(n)).mark(f'delete-{kind}')
        self._rows[kind][note.id] = NoteRow(note, row, area, up, down)

    async def _note_changed(self, note_id: int, how: str) -> None:
        """One note another screen added, changed or removed: only its row is drawn, changed or taken away (a note
        added to a card that holds hundreds costs this panel one row, not the list)."""
        generation = self._generation
        note = await live.look(sessions.note, note_id=note_id)
        if generation == self._generation and note is not None:
            await self._apply_note(note, how)

    async def _apply_note(self, note: Note, how: str) -> None:
        """Draw one note's change in its list, if the list shows this card."""
        if self.is_deleted or self.card is None or note.card_id != self.card.id or note.kind == NoteKind.RATING.value:
            return
        if note.kind not in self._rows:  # the list is still being read: read it again, with this note
            await self._load_notes()
            return
        rows = self._rows[note.kind]
        shown = rows.get(note.id)
        if note.deleted_at is not None or how == How.REMOVED:
            if shown is not None:
                self._remove_row(note.kind, shown)
        elif shown is not None:
            shown.note.text = note.text
            if shown.area.value != note.text:
                shown.area.set_value(note.text)
        elif how == How.ADDED and all(r.note.position < note.position for r in rows.values()):
            container = self.notes_list if note.kind == NoteKind.NOTE.value else self.questions_list
            if not rows:
                container.clear()  # the "None yet." line
            elif (last := list(rows.values())[-1]).down is not None:
                last.down.set_enabled(True)
            with container:
                self._note_row(note, note.kind, first=not rows, last=True)
        else:
            await self._load_notes()  # anywhere else but at the end: the list is drawn again

    def _remove_row(self, kind: str, shown: NoteRow) -> None:
        rows = self._rows[kind]
        del rows[shown.note.id]
        shown.row.delete()
        if not rows:
            with self.notes_list if kind == NoteKind.NOTE.value else self.questions_list:
                self._empty_label(kind)
            return
        remaining = list(rows.values())  # the first and last rows may have changed
        remaining[0].up.set_enabled(False)
        remaining[-1].down.set_enabled(False)

    def _draw_ratings(self, ratings: dict[str, Note]) -> None:
        assert self.deck is not None and self.card is not None
        scale = self.deck.scale_of(self.card)
        self.ratings_box.clear()
        self._rating_rows: dict[str, RatingRow] = {}
        with self.ratings_box:
            for item_key, item_text in self.card.item_labels():
                found = ratings.get(item_key)
                name = shorten(item_text, 80)
                with ui.element('div').classes('ck-item-rating').mark('rating-item'):
                    Text('p', item_text).classes('ck-item-text')
                    with ui.element('div').classes('ck-item-controls'):
                        toggle = (
                            ui.toggle(
                                {i: label for i, label in enumerate(scale)},
                                value=found.rating if found else None,
                                clearable=True,
                            )
                            .props('no-caps unelevated')
                            .mark(f'rating-{item_key}')
                        )
                        design.aria(toggle, label=f'Strength of evidence: {name}')
                        opener = icon_button(
                            'edit_note',
                            f'Add evidence for: {name}',
                            lambda k=item_key: self._open_evidence(self._rating_rows[k], focus=True),
                        )
                        opener.classes('ck-open-evidence').mark(f'add-evidence-{item_key}')
                        design.aria(opener, expanded='false')
                    box = ui.element('div').classes('ck-item-evidence')
                    error = FieldError()
                row = RatingRow(
                    item_key,
                    item_text,
                    toggle,
                    opener,
                    box,
                    error,
                    evidence=found.text if found else '',
                    needs=found.needs if found else '',
                )
                row.saved = row.values()
                self._rating_rows[item_key] = row
                toggle.on_value_change(lambda _, r=row: self.rate(r))
                if row.evidence or row.needs or item_key in self._evidence_open:
                    self._open_evidence(row, focus=False)

    def _open_evidence(self, row: RatingRow, *, focus: bool) -> None:
        """Show an item's evidence fields (they stay open on this card); they commit on blur or Enter."""
        self._evidence_open.add(row.key)
        row.opener.set_visibility(False)
        design.aria(row.opener, expanded='true')
        name = shorten(row.text, 80)
        with row.box, ui.element('div').classes('ck-form-row'):
            row.evidence_input = (
                ui.input('Evidence: how do we know?', value=row.evidence)
                .props(f'outlined dense maxlength={NOTE_MAX}')
                .mark(f'evidence-{row.key}')
            )
            row.needs_input = (
                ui.input('What needs to happen', value=row.needs)
                .props(f'outlined dense maxlength={NOTE_MAX}')
                .mark(f'needs-{row.key}')
            )
        for field, what in ((row.evidence_input, 'Evidence'), (row.needs_input, 'What needs to happen')):
            design.aria(field, label=f'{what} for: {name}')
            field.on('blur', lambda _, r=row: self.rate(r))
            field.on('keydown.enter', lambda _, r=row: self.rate(r))
        if focus:
            row.evidence_input.run_method('focus')

    def _draw_actions(self, rows: list[Action], *, plan: bool) -> None:
        """Saved actions as text, each with its Edit button; an action being edited shows its form instead."""
        self._actions_shown = (rows, plan)
        self.actions_list.clear()
        focus: ui.element | None = None
        with self.actions_list:
            if not rows:
                Text('li', 'No actions yet.').classes('ck-muted')
            for action in rows:
                same_term = [a for a in rows if a.term == action.term]
                position = same_term.index(action)
                name = shorten(' '.join(action.what.split()), 60)
                editing = action.id in self._editing
                with ui.element('li').classes('ck-entry ck-saved-action').mark('action', f'action-{action.id}'):
                    if editing:
                        self._action_form(action)
                    else:
                        self._action_text(action, plan=plan)
                    with ui.element('div').classes('ck-action-row-tools'):
                        if editing:
                            toggle = ui.button(
                                'Done', icon='check', on_click=lambda a=action: self.close_action(a)
                            ).mark('done-action')
                            design.aria(toggle, label=f'Done editing action: {name}')
                        else:
                            toggle = ui.button('Edit', icon='edit', on_click=lambda a=action: self.open_action(a)).mark(
                                'edit-action'
                            )
                            design.aria(toggle, label=f'Edit action: {name}')
                            if self._focus_after == action.id:
                                focus = toggle
                        toggle.props('flat no-caps dense color=dark')
                        if plan:
                            up = icon_button(
                                'arrow_upward', f'Move action up: {name}', lambda a=action: self.move_action(a, -1)
                            )
                            down = icon_button(
                                'arrow_downward', f'Move action down: {name}', lambda a=action: self.move_action(a, 1)
                            )
                            up.mark('move-action-up').set_enabled(position > 0)
                            down.mark('move-action-down').set_enabled(position < len(same_term) - 1)
                        ui.element('span').classes('ck-grow')
                        icon_button('delete', f'Delete action: {name}', lambda a=action: self.delete_action(a)).mark(
                            'delete-action'
                        )
        self._focus_after = None
        if focus is not None:  # back on the Edit button of the action just closed (its id only reaches the page)
            with self:  # the clicked button is gone: the page is reached through the panel
                ui.run_javascript(f'setTimeout(() => getHtmlElement({int(focus.id)})?.focus(), 50)')

    @staticmethod
    def _action_text(action: Action, *, plan: bool) -> None:
        """What, term, who, resources in full, status and target date, as text."""
        with ui.element('div').classes('ck-entry-body'):
            Text('p', action.what).classes('ck-saved-what').mark('action-text')
            with ui.element('p').classes('ck-action-line').mark('action-facts'):
                facts = [TERM_TITLES.get(action.term, action.term), STATUS_TITLES.get(action.status, action.status)]
                if action.target_date:
                    facts.append(f'by {format_date(action.target_date)}')
                Text('span', ' · '.join(facts))
            fact_line('Who', action.who or 'not decided yet')
            if action.resources:
                fact_line('Resources', action.resources).mark('action-resources-text')
            if plan and action.card_id:
                ui.label(f'From card {action.card_id}').classes('ck-action-from')

    def _action_form(self, action: Action) -> None:
        """The fields of one action, each saved as it is left (text) or changed (choices and the date)."""
        with ui.element('div').classes('ck-action-form').mark('action-form'):
            what = (
                ui.textarea('What', value=action.what)
                .props(f'outlined dense autogrow autofocus maxlength={NOTE_MAX}')
                .classes('ck-wide-field')
                .mark('action-row-what')
            )
            term = (
                ui.select(TERM_TITLES, value=action.term, label='Term').props('outlined dense').mark('action-row-term')
            )
            status = (
                ui.select(STATUS_TITLES, value=action.status, label='Status')
                .props('outlined dense')
                .mark('action-row-status')
            )
            who = (
                ui.input('Who', value=action.who).props(f'outlined dense maxlength={SHORT_MAX}').mark('action-row-who')
            )
            target = (
                ui.input('Target date', value=action.target_date.isoformat() if action.target_date else '')
                .props('outlined dense type=date stack-label')
                .mark('action-row-date')
            )
            resources = (
                ui.textarea('Resources', value=action.resources)
                .props(f'outlined dense autogrow maxlength={NOTE_MAX}')
                .classes('ck-wide-field')
                .mark('action-row-resources')
            )
            error = FieldError().classes('ck-wide-field')
        for name, field in (('what', what), ('who', who), ('resources', resources)):
            field.on('blur', lambda _, a=action, n=name, f=field, e=error: self.edit_action(a, n, f, e))
            commit_on_enter(field, lambda _, f=field: f.run_method('blur'))
        for name, field in (('term', term), ('status', status), ('target_date', target)):
            field.on_value_change(lambda _, a=action, n=name, f=field, e=error: self.edit_action(a, n, f, e))

    def open_action(self, action: Action) -> None:
        self._editing.add(action.id)
        rows, plan = self._actions_shown
        self._draw_actions(rows, plan=plan)

    def close_action(self, action: Action) -> None:
        self._editing.discard(action.id)
        self._focus_after = action.id
        rows, plan = self._actions_shown
        self._draw_actions(rows, plan=plan)

    # --- committing ------------------------------------------------------------------------------------------------

    def pick_stem(self, stem: str) -> None:
        """Start the question with a coaching stem (replacing a stem already typed at its start)."""
        self._stem = stem.lower()
        for name, button in self.stem_buttons.items():
            design.aria(button, pressed='true' if name == self._stem else 'false')
        text = (self.question_input.value or '').lstrip()
        first, _, rest = text.partition(' ')
        if first.lower() in self.stem_buttons:
            text = rest
        self.question_input.value = f'{stem.capitalize()} {text}'
        self.question_input.run_method('focus')

    async def add_note(self) -> None:
        await self._add('note', self.note_input, self.note_error, kind=NoteKind.NOTE.value, stem='')

    async def add_question(self) -> None:
        text = (self.question_input.value or '').strip()
        first = text.split(' ', 1)[0].lower().rstrip('?,.:')
        stem = first if first in self.stem_buttons else self._stem
        await self._add('question', self.question_input, self.question_error, kind=NoteKind.QUESTION.value, stem=stem)

    async def _add(self, what: str, field: ui.textarea, error: FieldError, *, kind: str, stem: str) -> None:
        assert self.card is not None
        if what in self._busy:
            return
        self._busy.add(what)
        key_name = f'_{what}_key'
        try:
            note = await self.hub.do(
                sessions.add_note,
                origin=self.origin,
                session_id=self.session_id,
                card_id=self.card.id,
                text=field.value or '',
                kind=kind,
                stem=stem,
                client_key=getattr(self, key_name),
            )
        except InputError as e:
            error.show(str(e))
            return
        finally:
            self._busy.discard(what)
        setattr(self, key_name, new_key())
        field.value = ''
        error.clear_message()
        if what == 'question':
            self._stem = ''
            for button in self.stem_buttons.values():
                design.aria(button, pressed='false')
        await self._apply_note(note, How.ADDED)

    async def edit_note(self, note: Note, area: ui.textarea, error: FieldError) -> None:
        text = area.value or ''
        if text == note.text:
            return
        try:
            updated = await self.hub.do(sessions.update_note, origin=self.origin, note_id=note.id, text=text)
        except InputError as e:
            error.show(str(e))
            return
        except NotFound:
            error.show('This entry was deleted on another screen.')
            return
        if updated is None:
            return
        note.text = updated.text
        error.clear_message()

    async def move_note(self, note: Note, direction: int) -> None:
        await self.hub.do(sessions.move_note, origin=self.origin, note_id=note.id, direction=direction)
        await self._load_notes()

    async def delete_note(self, note: Note) -> None:
        deleted = await self.hub.do(sessions.delete_note, origin=self.origin, note_id=note.id)
        self._offer_undo(
            'Note deleted.' if note.kind == NoteKind.NOTE.value else 'Question deleted.',
            lambda: self._restore(sessions.restore_note, note_id=note.id),
        )
        await self._apply_note(deleted, How.REMOVED)

    async def rate(self, row: RatingRow) -> None:
        """Commit an item's rating and evidence, unless they are as saved."""
        assert self.card is not None
        values = row.values()
        if values == row.saved:
            return
        rating, evidence, needs = values
        try:
            await self.hub.do(
                sessions.rate_item,
                origin=self.origin,
                session_id=self.session_id,
                card_id=self.card.id,
                item_key=row.key,
                rating=rating,
                evidence=evidence,
                needs=needs,
            )
        except InputError as e:
            row.error.show(str(e))
            return
        row.saved, row.evidence, row.needs = values, evidence, needs
        row.error.clear_message()

    async def add_action(self) -> None:
        assert self.card is not None
        if 'action' in self._busy:
            return
        self._busy.add('action')
        try:
            await self.hub.do(
                sessions.add_action,
                origin=self.origin,
                session_id=self.session_id,
                card_id=self.card.id,
                what=self.action_what.value or '',
                term=self.action_term.value or Term.SHORT.value,
                who=self.action_who.value or '',
                resources=self.action_resources.value or '',
                status=self.action_status.value or ActionStatus.PROPOSED.value,
                target_date=self.action_date.value or None,
                client_key=self._action_key,
            )
        except InputError as e:
            self.action_error.show(str(e))
            return
        finally:
            self._busy.discard('action')
        self._action_key = new_key()
        for field in (self.action_what, self.action_who, self.action_resources, self.action_date):
            field.value = ''
        self.action_error.clear_message()
        await self._load_actions()

    async def edit_action(self, action: Action, name: str, field: ui.element, error: FieldError) -> None:
        value = field.value if field.value is not None else ''
        current = getattr(action, name)
        if name == 'target_date':
            current = current.isoformat() if current else ''
        if value == current:
            return
        try:
            updated = await self.hub.do(
                sessions.update_action, origin=self.origin, action_id=action.id, **{name: value}
            )
        except InputError as e:
            error.show(str(e))
            return
        except NotFound:
            error.show('This action was deleted on another screen.')
            return
        if updated is None:
            return
        setattr(action, name, getattr(updated, name))
        error.clear_message()
        if name == 'term':
            await self._load_actions()

    async def move_action(self, action: Action, direction: int) -> None:
        await self.hub.do(sessions.move_action, origin=self.origin, action_id=action.id, direction=direction)
        await self._load_actions()

    async def delete_action(self, action: Action) -> None:
        self._editing.discard(action.id)
        await self.hub.do(sessions.delete_action, origin=self.origin, action_id=action.id)
        self._offer_undo('Action deleted.', lambda: self._restore(sessions.restore_action, action_id=action.id))
        await self._load_actions()

    # --- undo and live changes -------------------------------------------------------------------------------------

    def _offer_undo(self, message: str, restore: Callable[[], Any]) -> None:
        """Show the undo bar for the latest deletion for a while."""
        self._pending_undo = restore
        self._undo_text.set_text(message)
        self._undo_bar.set_visibility(True)
        self._undo_token += 1
        token = self._undo_token
        with self:
            ui.timer(UNDO_SECONDS, lambda: self._hide_undo(token), once=True)

    def _hide_undo(self, token: int | None = None) -> None:
        if not self.is_deleted and (token is None or token == self._undo_token):
            self._undo_bar.set_visibility(False)
            self._pending_undo = None

    async def _undo(self) -> None:
        restore = self._pending_undo
        if restore is not None:
            await restore()

    async def _restore(self, restore: Callable[..., Any], **row: int) -> None:
        self._hide_undo()
        await self.hub.do(restore, origin=self.origin, **row)
        await (self._load_notes() if 'note_id' in row else self._load_actions())

    def _on_change(self, change: Change) -> Coroutine[Any, Any, None] | None:
        """Another screen changed this session: redraw the row or list it touched, if this card shows it."""
        if self.card is None or self.is_deleted:
            return None
        # a change of no one card (a participant's erasure, say) may touch this card's lists too
        if change.what == What.NOTES and change.card_id in ('', self.card.id):
            if change.note_id is not None and change.how:
                return self._note_changed(change.note_id, change.how)
            return self._load_notes()
        if change.what == What.ACTIONS and (self.on_action_card or change.card_id in ('', self.card.id)):
            return self._load_actions()
        return None
