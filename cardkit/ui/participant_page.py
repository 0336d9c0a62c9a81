"""The participant's screen at `/take-part?s=ID`, made for a phone: the card in play and what they send about it.

Outside a group the card follows the facilitator live; in a group it is the group's card, which any member moves
(the group works at its own pace). The participant's token stays on the server (this browser's user storage); every
handler passes it to a `workshop` use case, which checks it again, so nothing sent from the browser can act for
someone else. What is being typed is kept as a draft in the same storage, so a reload loses nothing, and as a copy
in the browser, for text typed while the network was gone.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Coroutine
from typing import Any

from fastapi import Request
from nicegui import app, ui

from cardkit import live, sessions, workshop
from cardkit.changes import Change, What
from cardkit.deck import Card, Deck, Point
from cardkit.errors import InputError, NotFound, ParticipantGone
from cardkit.models import (
    TERM_TITLES,
    Action,
    ActionStatus,
    CardSession,
    Note,
    NoteKind,
    Participant,
    Phase,
    Status,
    WorkGroup,
)
from cardkit.text import sentence
from cardkit.ui import design
from cardkit.ui.components.card_view import CardView
from cardkit.ui.components.controls import control
from cardkit.ui.components.join_form import PHONE_CSS, JoinForm, client_address, tokens
from cardkit.ui.components.newest import Newest
from cardkit.ui.design import Text

DRAFTS = 'cardkit_drafts'
CLIENT_KEY = re.compile(r'[0-9a-f]{32}')  # as uuid4().hex makes them
GONE = (
    'You are no longer in this session: it has ended, or the facilitator took you out. '
    'To take part again, join with the code the facilitator shows.'
)
KINDS = {'note': 'Note', 'question': 'Question', 'action': 'Action'}
# Enter sends, Shift+Enter starts a new line; composing (IME) input is left alone.
# Enter and the Send buttons carry the text as the browser shows it: if the network lost some of the box's updates
# (a drop the socket had not noticed yet), what is sent is still what the participant sees.
ENTER_SENDS_JS = '(e) => { if (!e.shiftKey && !e.isComposing) { e.preventDefault(); emit(e.target.value); } }'


def _area_js(box: ui.textarea) -> str:
    """A script expression for the browser's text area of `box`, found by its element id (never by anything typed);
    null if it is not there."""
    return (
        f"((el) => el && (el.tagName === 'TEXTAREA' ? el : el.querySelector('textarea')))"
        f'(getHtmlElement({int(box.id)}))'
    )


def _box_text_js(box: ui.textarea) -> str:
    """A click handler that sends the text shown in `box`."""
    return f'() => emit({_area_js(box)}?.value ?? null)'


# The box's text is also kept in the browser (localStorage), as it is typed, with the client key it will be sent
# under (the box's `data-key`). If the network was gone for longer than the server keeps a page (`reconnect_timeout`),
# the page reloads when it returns and the server's draft lacks what was typed offline: the browser's copy goes back,
# unless it is one of the notes listed as sent. It goes to the server with its key, in one message, and the server puts
# it in the box unless a note was stored under that key (its "Sent" was lost, and the card has moved on since). The
# browser does not fill the box itself: the box's own update would reach the server after that message, maybe after
# the server had looked the key up, and put back a note that was sent already. Only ids are formatted into this
# script; the text goes to the server as an event's argument, as typing sends it.
LOCAL_DRAFT_JS = """(() => {
  const key = 'cardkit-draft:%(session)d:%(participant)d';
  const root = getHtmlElement(%(box)d);
  const area = %(area)s;
  if (!area || !root) return;
  let kept = {};
  try {
    const raw = localStorage.getItem(key) || '';
    kept = raw.startsWith('{') ? JSON.parse(raw) : {text: raw};
  } catch (e) { kept = {}; }
  const listed = [...document.querySelectorAll('.ck-note-text')].map((t) => t.textContent.trim());
  if (kept.text && listed.includes(kept.text.trim())) {
    localStorage.removeItem(key);
  } else if (kept.text && kept.text !== area.value) {
    const detail = {text: String(kept.text), key: String(kept.key || '')};
    root.dispatchEvent(new CustomEvent('ck-restored', {detail}));
  }
  area.addEventListener('input', () => localStorage.setItem(key, JSON.stringify({text: area.value,
                                                                                  key: root.dataset.key || ''})));
})();"""
FORGET_LOCAL_DRAFT_JS = "localStorage.removeItem('cardkit-draft:%(session)d:%(participant)d');"

# A question starter goes into the box in the browser, at the caret, at once: no round trip, and nothing typed in the
# meantime can be overwritten. The `input` event carries the new text to the server as typing does. The starter is read
# from the button's own `data-stem` attribute; only element ids are formatted into this script.
STEM_JS = """(e) => {
  const area = %(area)s;
  const button = getHtmlElement(%(button)d);
  const stem = button ? (button.dataset.stem || '') : '';
  if (!area || !stem) return;
  const value = area.value;
  const start = area.selectionStart ?? value.length;
  const end = area.selectionEnd ?? start;
  const before = value.slice(0, start);
  const after = value.slice(end);
  const opens = before.trim() === '' || /[.?!]\\s*$/.test(before);
  const word = opens ? stem.charAt(0).toUpperCase() + stem.slice(1) : stem;
  const inserted = (before === '' || /\\s$/.test(before) ? '' : ' ') + word + (/^\\s/.test(after) ? '' : ' ');
  const caret = before.length + inserted.length;
  area.value = before + inserted + after;
  area.focus();
  area.setSelectionRange(caret, caret);  // before the event: Quasar puts back the caret it finds then
  area.dispatchEvent(new Event('input', {bubbles: true}));
}"""


def shown_text(box: ui.textarea, event: Any) -> str:
    """The text the browser showed when Enter or Send was pressed (brought into the box's value), else the value."""
    args = getattr(event, 'args', None)
    if isinstance(args, str) and args != (box.value or ''):
        box.set_value(args)
    return box.value or ''


CSS = """
.ck-status { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: baseline; }
.ck-me { font-weight: 700; }
.ck-paused { background: #FFF4CE; color: #1B1B1B; border: 2px solid #6B5200; border-radius: 8px;
             padding: 0.6rem 0.9rem; font-weight: 700; }
.ck-phone .ck-toolbar .q-btn { flex: 1 1 0; }
.ck-phone .ck-card .ck-face { min-height: 9em; }
.ck-stems { display: flex; flex-wrap: wrap; gap: 0.4rem; }
.ck-stems .q-btn { min-height: 2.6rem; font-size: 1rem; }
.ck-kind.q-btn-group { box-shadow: none; gap: 0.3rem; flex-wrap: wrap; }
.ck-kind.q-btn-group > .q-btn { border: 1px solid var(--ck-accent); border-radius: 6px !important; min-height: 2.6rem;
                                 flex: 1 1 auto; }
.ck-mine { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.6rem; }
.ck-mine li { border-left: 4px solid var(--ck-accent); padding-left: 0.6rem; display: flex; flex-direction: column;
              gap: 0.3rem; }
.ck-mine .ck-row { display: flex; gap: 0.4rem; flex-wrap: wrap; }
.ck-note-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.ck-lead-above { display: flex; flex-direction: column; gap: 0.2rem; border-left: 6px solid var(--ck-accent);
                 padding: 0.1rem 0 0.1rem 0.7rem; }
.ck-lead-points-above { margin: 0; padding-left: 1.3rem; list-style: disc; font-weight: 600; }
.ck-lead-points-above:empty { display: none; }
.ck-lead-above .ck-lead-text { font-size: 1.25rem; line-height: 1.3; font-weight: 700; margin: 0; }
.ck-kind-tag { font-size: 0.85rem; font-weight: 700; text-transform: uppercase; letter-spacing: 0.05em;
               color: var(--ck-muted); }
.ck-vote-row { display: flex; gap: 0.6rem; align-items: center; justify-content: space-between;
               border-top: 1px solid var(--ck-line); padding-top: 0.5rem; }
.ck-vote-row .q-btn { min-height: 2.6rem; flex: none; }
.ck-votes-left { font-weight: 700; font-size: 1.1rem; }
.ck-rating { display: flex; flex-direction: column; gap: 0.35rem; border-top: 1px solid var(--ck-line);
             padding-top: 0.5rem; }
.ck-rating .q-btn-group { flex-wrap: wrap; box-shadow: none; gap: 0.25rem; }
.ck-rating .q-btn-group > .q-btn { border: 1px solid var(--ck-ink); border-radius: 6px !important; }
"""


def _points(points: list[Point]) -> None:
    """A card's points (the lead question's, here) as list items, nested points in a list of their own."""
    for point in points:
        with Text('li', point.text):
            if point.points:
                with ui.element('ul'):
                    _points(point.points)


def _first_words(text: str, words: int = 6) -> str:
    """The start of a note, to name the buttons that act on it."""
    split = text.split()
    return ' '.join(split[:words]) + ('…' if len(split) > words else '')


def _pick_token(s: int) -> tuple[int, str]:
    """The session id and this browser's token for it (the latest session joined when none is named)."""
    stored = tokens()
    if s:
        return s, stored.get(str(s), '')
    if stored:
        key = list(stored)[-1]
        return int(key) if key.isdigit() else 0, stored[key]
    return 0, ''


async def content(request: Request, s: int = 0) -> None:
    """The participant's view of a session joined from this browser, or the join form."""
    session_id, token = _pick_token(s)
    participant = None
    if token:
        try:
            participant = await live.look(workshop.participant_for_token, token=token)
        except NotFound:
            participant = None
    if participant is None or participant.session_id != session_id:
        with design.frame('Join a session', nav=False):
            await JoinForm(
                client_address(request), GONE if token else 'Join with the code the facilitator shows.'
            ).build()
        return
    session = await live.hub(session_id).session()
    deck = await live.look(sessions.deck_of, session=session)
    with design.frame(session.title, nav=False) as main:
        await ParticipantView(token, participant, session, deck, client_address(request), main).build()


class ParticipantView:
    """One participant's screen; it reloads only the part a change concerns."""

    def __init__(
        self, token: str, participant: Participant, session: CardSession, deck: Deck, address: str, root: ui.element
    ) -> None:
        self.token = token
        self.participant = participant
        self.hub = live.hub(session.id)
        self.origin = f'participant:{participant.id}'
        self.session = session
        self._at = (session.current_index, bool(session.flipped))  # the session's card and side as last announced
        self.deck = deck
        self.address = address
        self.root = root
        self.group: WorkGroup | None = None
        self.kind = 'note'
        self.client_key = uuid.uuid4().hex
        self._restoring: asyncio.Future | None = None
        self._quiet = False
        self._gone = False
        self._mine_cache: tuple[list, list] | None = None
        self._drawn_mine: tuple[list, list] | None = None
        self._editing: dict[int, str] = {}  # the notes being edited: what their edit box holds
        self._edit_buttons: dict[int, ui.button] = {}
        self._edit_boxes: dict[int, ui.textarea] = {}
        self.vote_reads = Newest()
        self._lead_of: Card | None = None  # the card whose lead question is drawn above the card

    # --- where the participant is ----------------------------------------------------------------------------------

    @property
    def card_ids(self) -> list[str]:
        return self.group.card_ids if self.group else self.session.card_ids

    def _place(self) -> tuple[str, int, bool]:
        """The card in play (its id and index in the cards followed) and its side, read once."""
        if self.group is not None:
            card_ids, (index, flipped) = self.group.card_ids, (self.group.current_index, self.group.flipped)
        else:
            card_ids, (index, flipped) = self.session.card_ids, self._at
        index = max(0, min(index, len(card_ids) - 1))
        return card_ids[index], index, bool(flipped)

    @property
    def card(self) -> Card:
        return self.deck.card(self._place()[0])

    # --- building --------------------------------------------------------------------------------------------------

    async def build(self) -> None:
        ui.add_css(PHONE_CSS)
        ui.add_css(CSS)
        await self._load_group()
        with ui.element('div').classes('ck-phone'):
            with ui.element('div').classes('ck-status'):
                self.me = ui.label().classes('ck-me').mark('me')
                self.where = ui.label().classes('ck-muted').mark('where')
            self.paused = (
                ui.label('Input is paused: the facilitator will open it again shortly.')
                .classes('ck-paused')
                .mark('paused')
            )
            self.paused.props['role'] = 'status'
            with ui.element('nav').classes('ck-toolbar w-full') as self.group_nav:
                design.aria(self.group_nav, label="Move through your group's cards")
                self.prev_button = control(
                    'Previous', "Your group's previous card", lambda: self.step(-1), icon='chevron_left'
                ).mark('group-prev')
                self.flip_button = control('Turn over', "Turn over your group's card", self.turn, icon='flip').mark(
                    'group-flip'
                )
                self.next_button = control(
                    'Next', "Your group's next card", lambda: self.step(1), icon='chevron_right', right=True
                ).mark('group-next')
            # The back of a card shows its prompts only: the lead question they discuss stays in sight above it.
            with ui.element('div').classes('ck-lead-above').mark('lead-above') as self.lead_above:
                Text('p', 'Lead question').classes('ck-kind-tag')
                self.lead_text = Text('p').classes('ck-lead-text').mark('lead-above-text')
                self.lead_points = ui.element('ul').classes('ck-lead-points-above')
            self.view = CardView('normal', on_flip=self._card_clicked)
            self._contribute_panel()
            self.ratings = ui.element('div').classes('ck-panel').mark('ratings')
            with ui.element('section').classes('ck-panel').mark('mine'):
                Text('h2', 'What you sent about this card')
                self.mine = ui.element('ul').classes('ck-mine')
                self.my_actions_box = ui.element('div').classes('w-full')
            self.voting = ui.element('section').classes('ck-panel').mark('voting')
        self._draw_status()
        self._draw_card()
        await self._load_card_parts()
        await self._load_voting()
        ui.run_javascript(LOCAL_DRAFT_JS % {**self._draft_ids(), 'box': int(self.text.id), 'area': _area_js(self.text)})
        self.hub.follow(on_position=self._followed, on_change=self._on_change, first=True, own=True)

    def _contribute_panel(self) -> None:
        draft = self._draft()
        self.kind = draft.get('kind') if draft.get('kind') in KINDS else 'note'
        self.client_key = draft.get('client_key') or self.client_key
        with ui.element('section').classes('ck-panel').mark('contribute') as panel:
            design.aria(panel, label='Send something about this card')
            self.add_heading = Text('h2', 'Add to this card').mark('add-heading')
            self.kind_toggle = (
                ui.toggle(KINDS, value=self.kind, on_change=self._kind_changed)
                .props('no-caps unelevated toggle-color=primary color=white text-color=primary')
                .classes('ck-kind')
                .mark('kind')
            )
            design.aria(self.kind_toggle, label='What you are sending')
            with ui.element('div').mark('stems') as self.stems:
                Text('p', 'Each starter goes in where your cursor is.').classes('ck-hint')
                stems = ui.element('div').classes('ck-stems')
                design.aria(stems, label='Question starters')
                stems.props['role'] = 'group'
            with stems:
                self.stem_buttons = {}
                for stem in self.deck.stems():
                    button = ui.button(stem.capitalize()).props('outline no-caps').mark(f'stem-{stem.lower()}')
                    button.props['data-stem'] = stem.lower()  # a value, never formatted into a script
                    design.aria(button, label=f'{stem.capitalize()}: add it to your question at the cursor')
                    button.on('mousedown', js_handler=design.NO_FOCUS_ON_MOUSE_DOWN)  # the caret stays in the box
                    self.stem_buttons[stem.lower()] = button
            self.text = (
                ui.textarea(value=draft.get('text', '') if isinstance(draft.get('text'), str) else '')
                .props(f'outlined autogrow counter maxlength={workshop.PARTICIPANT_TEXT_MAX}')
                .classes('w-full')
                .mark('text')
            )
            self.text.on('keydown.enter', self.send, js_handler=ENTER_SENDS_JS)
            for button in self.stem_buttons.values():
                button.on('click', js_handler=STEM_JS % {'area': _area_js(self.text), 'button': int(button.id)})
            self.text.on('ck-restored', self._restored, ['detail'])
            self.text.on_value_change(self._save_draft)
            self._show_key()
            self.term = (
                ui.select(
                    TERM_TITLES,
                    value=draft.get('term') if draft.get('term') in TERM_TITLES else 'short',
                    label='When',
                    on_change=self._save_draft,
                )
                .props('outlined')
                .mark('term')
            )
            self.error = ui.label('').classes('ck-message').mark('send-error')
            self.error.props['role'] = 'alert'
            self.send_button = ui.button('Send', icon='send').props('unelevated no-caps').classes('ck-big').mark('send')
            self.send_button.on('click', self.send, js_handler=_box_text_js(self.text))
            Text('p', 'Enter sends; Shift+Enter starts a new line.').classes('ck-hint')
        self._show_kind()

    # --- drawing ---------------------------------------------------------------------------------------------------

    def _draw_status(self) -> None:
        p = self.participant
        who = 'You are anonymous' if p.anonymous else f'You: {p.name}'
        extra = ', '.join(x for x in (p.role, p.organisation) if x)
        self.me.set_text(f'{who} ({extra})' if extra else who)
        self.where.set_text(
            f'{self.group.name}: your group works at its own pace' if self.group else 'Following the facilitator'
        )
        self.paused.set_visibility(self.session.input_locked)
        self.send_button.set_enabled(not self.session.input_locked)
        self.group_nav.set_visibility(self.group is not None)

    def _draw_card(self, place: tuple[str, int, bool] | None = None) -> Card:
        """Draw the card in play (its place, if just read) and return it."""
        card_id, index, flipped = place or self._place()
        card, total = self.deck.card(card_id), len(self.card_ids)
        self._quiet = True
        try:
            self.view.show(self.deck, card, flipped=flipped, position=index + 1, total=total)
        finally:
            self._quiet = False
        self._show_lead()
        if self.group is not None:  # the group's own buttons, shown only in a group
            for button, enabled in (
                (self.prev_button, index > 0),
                (self.next_button, index < total - 1),
                (self.flip_button, card.has_back),
            ):
                if button.enabled != enabled:  # usually unchanged: skip the binding machinery of a set
                    button.set_enabled(enabled)
        self.add_heading.set_text(f'Add to card {card.id}')
        return card

    def _turn_card(self) -> None:
        self._quiet = True
        try:
            self.view.flip()
        finally:
            self._quiet = False

    def _show_lead(self) -> None:
        """The lead question above a question card while its back is shown (a checklist's back names its own)."""
        card = self.view.card
        shown = card is not None and card.kind == 'question' and self.view.flipped
        if shown and card is not self._lead_of:
            self._lead_of = card
            self.lead_text.set_text(card.lead)
            self.lead_points.clear()
            with self.lead_points:
                _points(card.lead_points)
        if self.lead_above.visible != shown:
            self.lead_above.set_visibility(shown)

    def _show_kind(self) -> None:
        labels = {'note': 'Your note', 'question': 'Your coaching question', 'action': 'What should be done?'}
        self.text.props['label'] = labels[self.kind]
        self.text.update()
        self.stems.set_visibility(self.kind == 'question')
        self.term.set_visibility(self.kind == 'action')

    async def _load_card_parts(self, refresh: bool = True) -> None:
        """This card's own notes and ratings, and the participant's proposed actions."""
        card = self.card
        try:
            if refresh or self._mine_cache is None:
                actions = await live.look(sessions.actions, session_id=self.session.id)
                self._mine_cache = (
                    await live.look(workshop.my_notes, token=self.token),
                    [a for a in actions if a.participant_id == self.participant.id],
                )
            ratings = (
                await live.look(sessions.notes, session_id=self.session.id, card_id=card.id)
                if card.kind == 'checklist'
                else []
            )
        except NotFound:
            await self._gone_away()
            return
        if self.mine.is_deleted or card.id != self.card.id:
            return
        self._draw_card_parts(ratings)

    def _draw_card_parts(self, ratings: list[Note], card: Card | None = None) -> None:
        """Draw the parts of this card (the one in play unless given) from what was loaded; lists that would look the
        same are left alone."""
        assert self._mine_cache is not None
        card = card or self.card
        mine, my_actions = self._mine_cache
        my_notes = [n for n in mine if n.card_id == card.id]
        drawn = (
            [(n.id, n.kind, n.stem, n.text) for n in my_notes],
            [(a.id, a.term, a.status, a.what) for a in my_actions],
        )
        if drawn != self._drawn_mine:  # a new card usually shows the same (often empty) lists: leave them be
            self._drawn_mine = drawn
            self._draw_mine(my_notes)
            self._draw_my_actions(my_actions)
        if card.kind == 'checklist' or self.ratings.visible:
            self._draw_ratings(card, {n.item_key: n for n in ratings if n.kind == NoteKind.RATING.value})

    def _draw_mine(self, notes: list[Note]) -> None:
        """The notes sent about this card, as text, each with its own Edit and Delete; a note being edited keeps its
        edit box and what was typed in it."""
        self.mine.clear()
        self._edit_buttons, self._edit_boxes = {}, {}
        self._editing = {k: v for k, v in self._editing.items() if any(n.id == k for n in notes)}
        with self.mine:
            if not notes:
                Text('li', 'Nothing yet.').classes('ck-muted')
            for note in notes:
                self._draw_note(ui.element('li').mark('my-note'), note)

    def _draw_note(self, item: ui.element, note: Note) -> None:
        item.clear()
        question = note.kind == NoteKind.QUESTION.value
        what, named = ('question' if question else 'note'), f'“{_first_words(note.text)}”'
        with item:
            ui.label(f'Question · {note.stem}' if question else 'Note').classes('ck-kind-tag')
            if note.id in self._editing:
                area = (
                    ui.textarea(f'Edit your {what}', value=self._editing[note.id])
                    .props(f'outlined autogrow maxlength={workshop.PARTICIPANT_TEXT_MAX}')
                    .classes('w-full')
                    .mark('my-note-box')
                )
                area.on_value_change(lambda e, n=note: self._editing.__setitem__(n.id, e.value or ''))
                error = ui.label('').classes('ck-message').mark('my-note-error')
                error.props['role'] = 'alert'
                with ui.element('div').classes('ck-row'):
                    save = ui.button('Save', icon='check').props('unelevated no-caps').mark('my-note-save')
                    save.on(
                        'click',
                        lambda ev, n=note, i=item, a=area, e=error: self.edit(n, i, a, e, ev),
                        js_handler=_box_text_js(area),
                    )
                    design.aria(save, label=f'Save your changes to {what} {named}')
                    cancel = ui.button('Cancel', on_click=lambda n=note, i=item: self.stop_editing(n, i))
                    cancel.props('outline no-caps').mark('my-note-cancel')
                    design.aria(cancel, label=f'Cancel editing {what} {named}')
                self._edit_boxes[note.id] = area
                return
            ui.label(note.text).classes('ck-note-text').mark('my-note-text')
            error = ui.label('').classes('ck-message').mark('my-note-error')
            error.props['role'] = 'alert'
            with ui.element('div').classes('ck-row'):
                edit = ui.button('Edit', icon='edit', on_click=lambda n=note, i=item: self.start_editing(n, i))
                edit.props('outline no-caps').mark('my-note-edit')
                design.aria(edit, label=f'Edit {what} {named}')
                delete = ui.button('Delete', icon='delete', on_click=lambda n=note, e=error: self.delete(n, e))
                delete.props('outline no-caps color=negative').mark('my-note-delete')
                design.aria(delete, label=f'Delete {what} {named}')
        self._edit_buttons[note.id] = edit

    def _draw_my_actions(self, actions: list[Action]) -> None:
        self.my_actions_box.clear()
        if not actions:
            return
        with self.my_actions_box:
            Text('h3', 'Actions you proposed')
            with ui.element('ul').classes('ck-mine'):
                for action in actions:
                    with ui.element('li').mark('my-action'):
                        ui.label(f'{TERM_TITLES.get(action.term, action.term)} · {action.status}').classes(
                            'ck-kind-tag'
                        )
                        ui.label(action.what)

    def _draw_ratings(self, card: Card, ratings: dict[str, Note]) -> None:
        self.ratings.clear()
        self.ratings.set_visibility(card.kind == 'checklist')
        if card.kind != 'checklist':
            return
        scale = self.deck.scale_of(card)
        with self.ratings:
            Text('h2', 'Rate the evidence')
            Text(
                'p',
                'How do we know it is in place, and how strong is the evidence? Your group shares one rating per item.',
            ).classes('ck-hint')
            for key, label in card.item_labels():
                note = ratings.get(key)
                with ui.element('div').classes('ck-rating').mark('rating-item'):
                    ui.label(label)
                    toggle = (
                        ui.toggle(
                            {i: s for i, s in enumerate(scale)}, value=note.rating if note else None, clearable=True
                        )
                        .props('no-caps dense unelevated')
                        .mark('rating')
                    )
                    design.aria(toggle, label=f'Evidence for: {label}')
                    evidence = (
                        ui.input('What evidence?', value=note.text if note else '')
                        .props('outlined dense')
                        .classes('w-full')
                        .mark('rating-evidence')
                    )
                    error = ui.label('').classes('ck-message')
                    toggle.on_value_change(lambda _, k=key, t=toggle, ev=evidence, er=error: self.rate(k, t, ev, er))
                    evidence.on('blur', lambda _, k=key, t=toggle, ev=evidence, er=error: self.rate(k, t, ev, er))

    async def _load_voting(self) -> None:
        session = self.session
        if session.phase != Phase.PLENARY or session.votes_per_person <= 0:
            self.voting.clear()
            self.voting.set_visibility(False)
            return
        newest = self.vote_reads.ticket()
        try:
            mine = await live.look(workshop.my_votes, token=self.token)
            counts = await live.look(workshop.vote_counts, session_id=session.id)
            actions = await live.look(sessions.actions, session_id=session.id)
        except NotFound:
            await self._gone_away()
            return
        if self.voting.is_deleted or not newest():
            return
        proposed = [a for a in actions if a.status == ActionStatus.PROPOSED.value]
        left = max(0, session.votes_per_person - len(mine))
        self.voting.clear()
        self.voting.set_visibility(True)
        with self.voting:
            Text('h2', 'Vote for the actions that matter most')
            ui.label(f'You have {left} of {session.votes_per_person} votes left').classes('ck-votes-left').mark(
                'votes-left'
            )
            if not proposed:
                Text('p', 'No actions have been proposed yet.').classes('ck-muted')
            for action in proposed:
                voted = action.id in mine
                with ui.element('div').classes('ck-vote-row').mark('vote-row'):
                    with ui.element('div').classes('min-w-0'):
                        ui.label(action.what)
                        count = counts.get(action.id, 0)
                        ui.label(f'{count} vote{"" if count == 1 else "s"}').classes('ck-hint').mark('vote-count')
                    button = (
                        ui.button(
                            'Remove vote' if voted else 'Vote',
                            icon='how_to_vote',
                            on_click=lambda a=action, v=voted: self.toggle_vote(a, v),
                        )
                        .props(('unelevated' if voted else 'outline') + ' no-caps')
                        .mark('vote')
                    )
                    button.set_enabled(voted or left > 0)
                    design.aria(
                        button,
                        label=f'{"Remove your vote from" if voted else "Vote for"}: {action.what}',
                        pressed='true' if voted else 'false',
                    )

    # --- drafts ----------------------------------------------------------------------------------------------------

    def _draft(self) -> dict[str, Any]:
        drafts = app.storage.user.get(DRAFTS)
        draft = drafts.get(str(self.session.id)) if isinstance(drafts, dict) else None
        return dict(draft) if isinstance(draft, dict) else {}

    def _draft_ids(self) -> dict[str, int]:
        return {'session': int(self.session.id), 'participant': int(self.participant.id)}

    def _save_draft(self) -> None:
        drafts = app.storage.user.get(DRAFTS)
        drafts = dict(drafts) if isinstance(drafts, dict) else {}
        drafts[str(self.session.id)] = {
            'text': self.text.value or '',
            'kind': self.kind,
            'term': self.term.value,
            'client_key': self.client_key,
        }
        app.storage.user[DRAFTS] = drafts

    # --- what the participant does ---------------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        self.kind = self.kind_toggle.value if self.kind_toggle.value in KINDS else 'note'
        self.error.set_text('')
        self._show_kind()
        self._save_draft()

    def _show_key(self) -> None:
        """The key the box's text will be sent under, where the browser's copy of the text can take it along."""
        self.text.props['data-key'] = self.client_key
        self.text.update()

    async def _restored(self, event: Any) -> None:
        """The browser has a copy of text typed before the page reloaded, with the key it was to be sent under: if
        something was stored under that key, it was sent already (only its "Sent" was lost), so it stays out of the
        box; otherwise it goes into the box, to be sent under that key. The browser leaves the box alone until then."""
        args = event.args if isinstance(event.args, dict) else {}
        detail = args.get('detail') if isinstance(args.get('detail'), dict) else {}
        text = detail.get('text') if isinstance(detail.get('text'), str) else ''
        key = detail.get('key') if isinstance(detail.get('key'), str) else ''
        if not text:
            return
        key = key if CLIENT_KEY.fullmatch(key) else ''
        shown = self.text.value or ''
        stored = None
        if key and key != self.client_key:  # the page's own key: nothing was sent under it (a send renews it)
            self._restoring = asyncio.get_running_loop().create_future()
            try:
                stored = await live.look(workshop.sent_under_key, token=self.token, client_key=key)
            except NotFound:
                stored = None
            finally:
                self._restoring.set_result(None)
                self._restoring = None
        if stored is not None:
            with self.root:
                ui.run_javascript(FORGET_LOCAL_DRAFT_JS % self._draft_ids())
            design.notify(
                self.root, 'Your note had been sent already, before the connection dropped', type='info', position='top'
            )
            return
        if (self.text.value or '') != shown:
            return  # typed into meanwhile: what is being typed now is kept
        if key:
            self.client_key = key
            self._show_key()
        self.text.set_value(text)
        self._save_draft()

    async def send(self, event: Any) -> None:
        """Send the note, question or action; on a problem the text stays where it is."""
        if self._restoring is not None:
            await self._restoring  # the browser's copy of the text is being checked: send under its key
            if not str(getattr(event, 'args', None) or '').strip():
                return  # the box was still empty on screen: what the check has put in it since is shown, not sent
        text = shown_text(self.text, event).strip()
        card = self.card
        try:
            if self.kind == 'action':
                await self.hub.do(
                    workshop.participant_action,
                    origin=self.origin,
                    token=self.token,
                    what=text,
                    term=self.term.value or 'short',
                    card_id=card.id,
                    client_key=self.client_key,
                )
            else:
                await self.hub.do(
                    workshop.participant_note,
                    origin=self.origin,
                    token=self.token,
                    card_id=card.id,
                    text=text,
                    kind=self.kind if self.kind == 'question' else 'note',
                    client_key=self.client_key,
                )
        except ParticipantGone:
            await self._gone_away()
            return
        except NotFound as e:
            self.error.set_text(sentence(str(e)))
            return
        except InputError as e:
            self.error.set_text(sentence(str(e)))
            return
        self.error.set_text('')
        self.text.set_value('')
        self.client_key = uuid.uuid4().hex
        self._show_key()
        self._save_draft()
        with self.root:
            ui.run_javascript(FORGET_LOCAL_DRAFT_JS % self._draft_ids())
        design.notify(self.root, 'Sent', type='positive', position='top', timeout=2000)

    def start_editing(self, note: Note, item: ui.element) -> None:
        """Open an edit box for this note alone, with the keyboard in it."""
        self._editing[note.id] = note.text
        self._draw_note(item, note)
        self._edit_boxes[note.id].run_method('focus')

    def stop_editing(self, note: Note, item: ui.element) -> None:
        """Close the note's edit box and put the keyboard back on its Edit button."""
        self._editing.pop(note.id, None)
        self._draw_note(item, note)
        if (button := self._edit_buttons.get(note.id)) is not None:
            with self.root:
                ui.run_javascript(f'getHtmlElement({int(button.id)})?.focus()')

    async def edit(self, note: Note, item: ui.element, area: ui.textarea, error: ui.label, event: Any) -> None:
        text = shown_text(area, event)
        try:
            saved = await self.hub.do(
                workshop.edit_own_note, origin=self.origin, token=self.token, note_id=note.id, text=text
            )
        except (InputError, NotFound) as e:
            error.set_text(sentence(str(e)))
            return
        if self._mine_cache is not None:  # the list shows the saved text until the change comes back
            self._mine_cache[0][:] = [saved if n.id == saved.id else n for n in self._mine_cache[0]]
        if not item.is_deleted:
            self.stop_editing(saved, item)
        design.notify(self.root, 'Saved', type='positive', position='top', timeout=2000)

    async def delete(self, note: Note, error: ui.label) -> None:
        try:
            await self.hub.do(workshop.delete_own_note, origin=self.origin, token=self.token, note_id=note.id)
        except (InputError, NotFound) as e:
            error.set_text(sentence(str(e)))

    async def rate(self, item_key: str, toggle: ui.toggle, evidence: ui.input, error: ui.label) -> None:
        card = self.card
        try:
            await self.hub.do(
                workshop.participant_rating,
                origin=self.origin,
                token=self.token,
                card_id=card.id,
                item_key=item_key,
                rating=toggle.value,
                evidence=evidence.value or '',
            )
        except (InputError, NotFound) as e:
            error.set_text(sentence(str(e)))
            return
        error.set_text('')

    async def toggle_vote(self, action: Action, voted: bool) -> None:
        try:
            use_case = workshop.unvote if voted else workshop.vote
            await self.hub.do(use_case, origin=self.origin, token=self.token, action_id=action.id)
        except (InputError, NotFound) as e:
            design.notify(self.root, sentence(str(e)), type='negative', position='top')
            await self._load_voting()  # the buttons as the votes stand

    async def step(self, delta: int) -> None:
        await self._group_step(delta=delta)

    async def turn(self) -> None:
        if self.card.has_back:
            self._turn_card()
            await self._group_step(flip=self.view.flipped)

    def _card_clicked(self, flipped: bool) -> None:
        """The card was turned over (tapped, or by a move): in a group the side is the group's; following the
        facilitator it is local."""
        self._show_lead()
        if not self._quiet and self.group is not None:
            ui.timer(0, lambda: self._group_step(flip=flipped), once=True)

    async def _group_step(self, *, delta: int = 0, flip: bool | None = None) -> None:
        try:
            self.group = await self.hub.do(
                workshop.group_step, origin=self.origin, token=self.token, delta=delta, flip=flip
            )
        except InputError as e:
            design.notify(self.root, sentence(str(e)), type='warning', position='top')
            return
        except NotFound:
            await self._gone_away()
            return
        if flip is None:
            self._draw_card()
            await self._load_card_parts()

    # --- following -------------------------------------------------------------------------------------------------

    def _followed(self, index: int, flipped: bool) -> Coroutine[Any, Any, None] | None:
        """The card moving on is applied at once, without the database or a task per phone (in a group the card is
        the group's)."""
        if self._gone or self.view.is_deleted:
            return None
        before = self._place()
        self._at = (index, flipped)
        return self._follow(before) if self.group is None else None

    def _on_change(self, change: Change) -> Coroutine[Any, Any, None] | None:
        """Anything else returns the work to be awaited (the event runs it as a task)."""
        if self._gone or self.view.is_deleted:
            return None
        if change.what == What.PEOPLE and change.participant_id not in (None, self.participant.id):
            return None  # someone else joined
        if change.what == What.GONE:
            return self._gone_away()
        return self._apply(change)

    async def _apply(self, change: Change) -> None:
        if change.what in {What.PEOPLE, What.GROUPS, What.PROGRESS}:
            await self._reload_me()
        elif change.what in {What.ROOM, What.SETUP}:
            await self._reload_session()
        elif change.what == What.NOTES:
            mine = change.participant_id is None or change.participant_id == self.participant.id
            if (mine or self.card.kind == 'checklist') and (not change.card_id or change.card_id == self.card.id):
                await self._load_card_parts()
        if change.what in {What.ACTIONS, What.VOTES, What.ROOM}:
            await self._load_voting()
            if change.what == What.ACTIONS and change.participant_id in (None, self.participant.id):
                await self._load_card_parts()

    async def _reload_session(self) -> None:
        before = self._place()
        self.session = await self.hub.session()
        self._at = (self.session.current_index, bool(self.session.flipped))
        if self.session.status == Status.CLOSED:
            await self._gone_away()
            return
        self._draw_status()
        if (pending := self._follow(before)) is not None:
            await pending

    async def _reload_me(self) -> None:
        try:
            self.participant = await live.look(workshop.participant_for_token, token=self.token)
        except NotFound:
            await self._gone_away()
            return
        before = self._place()
        had_group = self.group.id if self.group else None
        await self._load_group()
        if self.view.is_deleted:
            return
        self._draw_status()
        if (pending := self._follow(before, force=(self.group.id if self.group else None) != had_group)) is not None:
            await pending

    def _follow(self, before: tuple[str, int, bool], *, force: bool = False) -> Coroutine[Any, Any, None] | None:
        """Redraw the card if another one is in play, turn it over in place if only its side changed; returns what is
        left to load (a checklist's ratings, or this participant's notes the first time), if anything."""
        now = self._place()
        if force or now[:2] != before[:2]:
            card = self._draw_card(now)
            if self._mine_cache is None or card.kind == 'checklist':
                return self._load_card_parts(refresh=False)
            self._draw_card_parts([], card)
        elif now[2] != self.view.flipped:
            self._turn_card()
        return None

    async def _load_group(self) -> None:
        group_id = self.participant.group_id
        try:
            self.group = await live.look(workshop.group_by_id, group_id=group_id) if group_id else None
        except NotFound:
            self.group = None
        if self.group is not None and not self.group.card_ids:
            self.group = None

    async def _gone_away(self) -> None:
        """The token stopped working (removed, or the session ended): say so, and lead back to the join form.

        This can run from another screen's announcement, so it touches no per-browser storage (that belongs to the
        request being handled) and builds no form: the link opens the join page in this browser's own request.
        """
        if self._gone or self.root.is_deleted:
            return
        self._gone = True
        self.root.clear()
        with self.root, ui.element('div').classes('ck-phone'), ui.element('div').classes('ck-panel').mark('gone'):
            Text('h1', 'You are no longer in this session')
            Text('p', GONE)
            ui.link('Join a session', '/join').classes('ck-button').mark('join-again')
