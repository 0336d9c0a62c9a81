"""The facilitator's room, in three parts that follow the workshop's phases, and the plenary big screen.

- `/session/{id}/room?key=…`: people join (code, QR code, link), the room's options, who is here, contributions as
  they arrive (hide, promote);
- `/session/{id}/room/groups?key=…`: split the room into groups that work at their own pace, and follow them;
- `/session/{id}/room/plenary?key=…`: each card's outcomes from the groups side by side, duplicates merged, notes
  promoted to agreed actions, votes;
- `/session/{id}/plenary?key=…` (the view-only projector key): the big screen of the plenary, following live.

Each part of a page reloads on its own when the session's hub says that kind of thing changed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from nicegui import background_tasks, context, ui

from cardkit import live, sessions, workshop
from cardkit.changes import Change, How, What
from cardkit.deck import Deck
from cardkit.errors import InputError, NotFound
from cardkit.models import TERM_TITLES, ActionStatus, CardSession, Note, NoteKind, Participant, Phase
from cardkit.text import sentence
from cardkit.ui import design
from cardkit.ui.components.newest import Newest
from cardkit.ui.components.qr import JoinPanel, asked_from
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.components.words import plural, shorten
from cardkit.ui.components.workspace import Stage, stages
from cardkit.ui.design import Text
from cardkit.ui.urls import page_url
from cardkit.workshop import Outcomes

PHASES = {Phase.CARDS.value: '1 · Cards together', Phase.GROUPS.value: '2 · Groups', Phase.PLENARY.value: '3 · Plenary'}
OPTIONS = {
    'allow_anonymous': 'People may join anonymously',
    'show_names': 'Show names with contributions',
    'show_on_projector': 'Show contributions on the big screens',
    'input_locked': 'Pause input (participants cannot send)',
}
PLENARY_REDRAW_GAP_S = 1.0  # the big screen draws the outcomes again at most once a second

CSS = """
.ck-room-nav { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.ck-room-grid { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; align-items: start; }
.ck-room-grid.ck-room-grid-wide { grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); }
@media (max-width: 1000px) { .ck-room-grid, .ck-room-grid.ck-room-grid-wide { grid-template-columns: minmax(0, 1fr); } }
.ck-room .ck-panel h2 { margin: 0; }
.ck-room .q-btn { min-height: 2.5rem; }
.ck-rows { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.5rem; }
.ck-rows > li { display: flex; flex-wrap: wrap; gap: 0.4rem 0.75rem; align-items: center;
                border-top: 1px solid var(--ck-line); padding-top: 0.5rem; }
.ck-rows > li > .ck-grow { flex: 1 1 14rem; min-width: 0; display: flex; flex-direction: column; }
.ck-person-name { font-weight: 700; }
.ck-rows.ck-people { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 17rem), 1fr));
                     gap: 0.4rem 1rem; }
.ck-rows.ck-people > li { padding-top: 0.35rem; flex-wrap: nowrap; }
.ck-rows.ck-people > li > .ck-grow { flex: 1 1 auto; }
.ck-room .ck-join-box { gap: 0.5rem 1.25rem; flex-wrap: nowrap; align-items: flex-start; }
.ck-room .ck-join-qr { width: 9.5rem; height: 9.5rem; }
.ck-room .ck-join-code { font-size: clamp(2.2rem, 1.6rem + 1.6vw, 3.4rem); }
.ck-room .ck-join-links a { font-size: 1rem; }
.ck-phase { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.ck-phase-label { font-weight: 700; }
.ck-groups { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr)); gap: 0.75rem; }
.ck-group { border: 1px solid var(--ck-line); border-top: 6px solid var(--ck-accent); border-radius: 8px;
            padding: 0.7rem 0.9rem; display: flex; flex-direction: column; gap: 0.4rem; background: var(--ck-paper); }
.ck-group-name { font-weight: 800; font-size: 1.1rem; }
.ck-form-row { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }
.ck-form-row .q-field { min-width: 8rem; }
.ck-card-block { border-top: 1px solid var(--ck-line); padding-top: 0.6rem; display: flex; flex-direction: column;
                 gap: 0.4rem; }
.ck-card-title { font-weight: 700; }
.ck-note { display: flex; gap: 0.5rem; align-items: flex-start; border-left: 4px solid var(--ck-line);
           padding-left: 0.5rem; }
.ck-note.ck-hidden-note { opacity: 0.75; border-left-style: dashed; }
.ck-note-body { flex: 1; min-width: 0; display: flex; flex-direction: column; overflow-wrap: anywhere; }
.ck-note-meta { font-size: 0.88rem; color: var(--ck-muted); }
.ck-note-tools { display: flex; flex-wrap: wrap; gap: 0.25rem; flex: none; }
.ck-side-by-side { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 15rem), 1fr));
                   gap: 0.75rem; }
.ck-outcome { background: var(--ck-page); border-radius: 8px; padding: 0.6rem 0.75rem; display: flex;
              flex-direction: column; gap: 0.4rem; min-width: 0; }
.ck-outcome h3 { margin: 0; font-size: 1.05rem; font-weight: 800; }
.ck-badge { display: inline-block; font-size: 0.8rem; font-weight: 700; border-radius: 999px; padding: 0 0.5rem;
            background: var(--ck-accent); color: #fff; }
.ck-votes { font-weight: 800; font-variant-numeric: tabular-nums; min-width: 5.5rem; }
.ck-big-screen .ck-outcome { font-size: 1.7vw; line-height: 1.3; background: #fff; border: 2px solid #000; }
.ck-big-screen .ck-outcome h3 { font-size: 1.9vw; }
.ck-big-screen .ck-card-title { font-size: 2.2vw; }
.ck-big-screen .ck-note-meta { font-size: 1.2vw; color: #1B1B1B; }
.ck-big-screen .ck-votes, .ck-big-screen .ck-rows > li { font-size: 1.7vw; }
.ck-big-screen h1 { font-size: 3vw !important; }
.ck-big-screen h2 { font-size: 2.4vw !important; }
.ck-big-screen h3 { font-size: 2vw !important; }
.ck-big-screen .ck-join-compact h2 { display: none; }
.ck-big-screen .ck-join-compact .ck-join-qr { width: 11vw; height: 11vw; }
.ck-big-screen .ck-join-compact .ck-join-code { font-size: 3.5vw; }
.ck-big-screen .ck-join-compact .ck-join-links a { font-size: 1.4vw; }
@media (max-width: 700px) { .ck-big-screen .ck-outcome, .ck-big-screen .ck-outcome h3, .ck-big-screen .ck-card-title,
  .ck-big-screen .ck-votes, .ck-big-screen .ck-rows > li { font-size: 1rem; } }
"""


async def content(request: Request, session_id: int, key: str = '') -> None:
    """The room of a session: joining, the room's options, who is here and their contributions."""
    await _room_part(request, session_id, key, Stage.ROOM)


async def groups(request: Request, session_id: int, key: str = '') -> None:
    """The room's groups: split the room or make groups by hand, give them cards, follow their progress."""
    await _room_part(request, session_id, key, Stage.GROUPS)


async def plenary(request: Request, session_id: int, key: str = '') -> None:
    """The plenary, for the facilitator: the groups' outcomes side by side, merging, votes and agreed actions."""
    await _room_part(request, session_id, key, Stage.PLENARY)


PART_TITLES = {Stage.ROOM: 'Room', Stage.GROUPS: 'Groups', Stage.PLENARY: 'Plenary'}


async def _room_part(request: Request, session_id: int, key: str, part: Stage) -> None:
    session = await open_with_key(sessions.session_for_key, session_id, key)
    if session is None:
        refused()
        return
    deck = await live.look(sessions.deck_of, session=session)
    with design.frame(f'{PART_TITLES[part]} · {session.title}', wide=True):
        await Room(session, deck, key, *asked_from(request), part).build()


async def plenary_screen(request: Request, session_id: int, key: str = '') -> None:
    """The big screen of the plenary (the projector key opens it)."""
    session = await open_with_key(sessions.session_for_projector, session_id, key)
    if session is None:
        refused()
        return
    deck = await live.look(sessions.deck_of, session=session)
    with design.frame(f'Plenary · {session.title}', wide=True, nav=False):
        await PlenaryScreen(session, deck, *asked_from(request)).build()


@dataclass
class Shown:
    """A note as a screen shows it: its row, and the label with its text."""

    row: ui.element
    text: ui.label

    def follow(self, note: Note, *, removed: bool) -> None:
        """Show the note as it now is: its row goes if it was removed, else its text is brought up to date."""
        if self.row.is_deleted:
            return
        if removed:
            self.row.delete()
        elif self.text.text != note.text:
            self.text.set_text(note.text)


class Coalesced:
    """Runs a redraw now, or, if one ran less than `gap` seconds ago or is running, once more afterwards: a burst of
    changes costs a few redraws, not one each."""

    def __init__(self, work: Callable[[], Awaitable[None]], *, gap: float) -> None:
        self.work = work
        self.gap = gap
        self._last = 0.0
        self._running = False
        self._again = False

    async def run(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        try:
            while True:
                self._again = False
                wait = self._last + self.gap - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                self._last = time.monotonic()
                await self.work()
                if not self._again:
                    return
        finally:
            self._running = False


class Sections:
    """Parts of a page that reload independently; a newer reload of a part wins over an older one still running."""

    def __init__(self) -> None:
        self._reads: dict[str, Newest] = {}

    async def reload(
        self,
        name: str,
        load: Callable[..., Any],
        draw: Callable[[Any], None],
        container: ui.element,
        **arguments: Any,
    ) -> None:
        """Read a part with a use case (off the event loop), then draw it in its container."""
        newest = self._reads.setdefault(name, Newest()).ticket()
        data = await live.look(load, **arguments)
        if container.is_deleted or not newest():
            return
        container.clear()
        with container:
            draw(data)


def cards_summary(card_ids: list[str]) -> str:
    """'9 cards: 1.1 – 3.3' (a select of many cards shows this, not a chip per card)."""
    if not card_ids:
        return 'none'
    if len(card_ids) <= 3:
        return ', '.join(card_ids)
    return f'{len(card_ids)} cards: {card_ids[0]} – {card_ids[-1]}'


def group_counts_text(notes: int, actions: int) -> str:
    """'1 note · 2 actions'."""
    return f'{plural("note", notes)} · {plural("action", actions)}'


def author_line(note: Note, session: CardSession, group_names: dict[int, str]) -> str:
    """Who sent a note and from which group, as far as the facilitator shows names."""
    parts = []
    if note.kind == NoteKind.QUESTION.value:
        parts.append(f'Question · {note.stem}')
    if session.show_names and note.author:
        parts.append(note.author)
    elif note.participant_id is not None:
        parts.append('Anonymous')
    if note.group_id is not None:
        parts.append(group_names.get(note.group_id, 'A group'))
    return ' · '.join(parts)


class Room:
    """The facilitator's room; every control calls a use case, announces the change, and the parts reload."""

    def __init__(
        self, session: CardSession, deck: Deck, key: str, host: str | None, scheme: str, part: Stage = Stage.ROOM
    ) -> None:
        self.hub = live.hub(session.id)
        self.part = part
        # each part of the room draws some of these; the others stay None and are neither loaded nor drawn
        self.people_box: ui.element | None = None
        self.contributions_box: ui.element | None = None
        self.groups_box: ui.element | None = None
        self.plenary_box: ui.element | None = None
        self.actions_box: ui.element | None = None
        self.plenary_card: str | None = None  # the card whose outcomes the plenary shows
        self.plenary_counts: dict[str, int] = {}  # the plenary's cards and the notes each has
        self.chooser: ui.toggle | None = None
        self.join_panel: JoinPanel | None = None
        self.open_button: ui.button | None = None
        self.close_button: ui.button | None = None
        self.room_card: Text | None = None
        self.switches: dict[str, ui.switch] = {}
        self.session = self.hub.overlay(session)
        self.origin = context.client.id
        self.deck = deck
        self.key = key
        self.host = host
        self.scheme = scheme
        self.sections = Sections()
        self.selected: dict[str, list[int]] = {}
        self.card_blocks: dict[str, ui.element] = {}
        self.card_titles: dict[str, ui.label] = {}
        self.contribution_rows: dict[str, dict[int, Shown]] = {}  # card -> note id -> its row, as shown
        self.nothing_yet: ui.element | None = None
        self.group_names: dict[int, str] = {}
        self.group_counts: dict[int, tuple[ui.label, int, int]] = {}  # group id -> its label, notes, actions
        self.plenary_columns: dict[tuple[str, str], ui.element] = {}  # (card, group name) -> its column of notes
        self.plenary_rows: dict[int, Shown] = {}
        self.outcomes: Outcomes | None = None
        self.merge_buttons: dict[str, ui.button] = {}
        self.client = context.client  # messages after an await go here: the clicked control may be redrawn by then

    async def build(self) -> None:
        ui.add_css(CSS)
        self.root = ui.element('div').classes('ck-room flex flex-col gap-4 w-full')
        with self.root:
            stages(self.session, self.part)
            self._screens_nav()
            if self.part == Stage.ROOM:
                self._build_room_part()
            elif self.part == Stage.GROUPS:
                self._build_groups_part()
            else:
                self._build_plenary_part()
        self._draw_room()
        await self._reload_all()
        self.hub.follow(on_position=self._followed, on_change=self._on_change, own=True)

    def _screens_nav(self) -> None:
        """The big screens open in windows of their own (for the projector's display); the phase is set here too."""
        session = self.session
        with ui.element('div').classes('ck-room-nav'):
            projector = sessions.projector_key(session)
            ui.link('Projector', page_url(session.id, 'projector', projector), new_tab=True).classes('ck-button').mark(
                'projector-link'
            )
            ui.link('Plenary screen', page_url(session.id, 'plenary', projector), new_tab=True).classes(
                'ck-button'
            ).mark('plenary-screen-link')
            with ui.element('div').classes('ck-phase'):
                Text('span', 'Phase of the workshop').classes('ck-phase-label')
                self.phase = (
                    ui.toggle(PHASES, value=session.phase, on_change=lambda e: self.set_phase(e.value))
                    .props('no-caps unelevated toggle-color=primary')
                    .mark('phase')
                )
                design.aria(self.phase, label='Phase of the workshop')

    def _build_room_part(self) -> None:
        with ui.element('div').classes('ck-room-grid'):
            with ui.element('section').classes('ck-panel').mark('joining'):
                Text('h2', 'Joining')
                with ui.element('div').classes('ck-form-row'):
                    self.open_button = (
                        ui.button('Open joining', icon='login', on_click=self.open_joining)
                        .props('no-caps unelevated')
                        .mark('open-joining')
                    )
                    self.close_button = (
                        ui.button('Close joining', icon='block', on_click=self.close_joining)
                        .props('no-caps outline')
                        .mark('close-joining')
                    )
                Text('p', 'While joining is open the projector shows the code, the QR code and the link.').classes(
                    'ck-hint'
                )
                self.join_panel = JoinPanel(self.host, scheme=self.scheme)
            with ui.element('section').classes('ck-panel').mark('options'):
                Text('h2', 'Room')
                self.room_card = Text('p').classes('ck-hint').mark('room-card')
                self._option_controls()
        with ui.element('div').classes('ck-room-grid'):
            with ui.element('section').classes('ck-panel').mark('people'):
                self.people_box = ui.element('div').classes('flex flex-col gap-2')
            with ui.element('section').classes('ck-panel').mark('contributions'):
                Text('h2', 'Contributions as they arrive')
                Text(
                    'p',
                    'Hidden notes stay out of the plenary and the big screen; promoting a note makes it an '
                    'agreed action.',
                ).classes('ck-hint')
                self.contributions_box = ui.element('div').classes('flex flex-col gap-2')

    def _build_groups_part(self) -> None:
        with ui.element('div').classes('ck-room-grid ck-room-grid-wide'):
            self._groups_panel()
            with ui.element('section').classes('ck-panel').mark('people'):
                self.people_box = ui.element('div').classes('flex flex-col gap-2')

    def _groups_panel(self) -> None:
        with ui.element('section').classes('ck-panel').mark('groups'):
            Text('h2', 'Groups')
            Text(
                'p',
                'Splitting the room starts group work: each group moves through its own cards at its own pace, '
                'on its members’ phones.',
            ).classes('ck-hint')
            self._group_forms()
            self.groups_box = ui.element('div').classes('w-full')

    def _build_plenary_part(self) -> None:
        with ui.element('div').classes('ck-room-grid ck-room-grid-wide'):
            with ui.element('section').classes('ck-panel').mark('plenary'):
                Text('h2', 'Plenary: the groups’ outcomes side by side')
                self.plenary_box = ui.element('div').classes('flex flex-col gap-3')
            with ui.element('section').classes('ck-panel').mark('plenary-actions'):
                Text('h2', 'Actions and votes')
                with ui.element('div').classes('ck-form-row'):
                    self.votes = (
                        ui.number(
                            'Votes per person', value=self.session.votes_per_person, min=0, max=20, step=1, precision=0
                        )
                        .props('outlined dense')
                        .mark('opt-votes')
                    )
                    ui.button(
                        'Set votes', on_click=lambda: self.set_option(votes_per_person=int(self.votes.value or 0))
                    ).props('no-caps outline').mark('opt-votes-set')
                Text('p', 'Each person spreads their votes over the proposed actions on their phone.').classes(
                    'ck-hint'
                )
                self.actions_box = ui.element('div').classes('flex flex-col gap-3')

    # --- loading ---------------------------------------------------------------------------------------------------

    async def _reload_all(self) -> None:
        await self._load_people()
        await self._load_groups()
        await self._load_contributions()
        await self._load_plenary()

    async def _load_people(self) -> None:
        if self.people_box is None:
            return
        await self.sections.reload(
            'people', workshop.room_people, self._draw_people, self.people_box, session_id=self.session.id
        )

    async def _load_groups(self) -> None:
        if self.groups_box is None:
            return
        await self.sections.reload(
            'groups', workshop.progress, self._draw_groups, self.groups_box, session_id=self.session.id
        )

    async def _load_contributions(self, card_id: str = '') -> None:
        """All cards' contributions, or only one card's block when only that card changed."""
        if self.contributions_box is None:
            return
        if card_id and card_id in self.card_blocks and not self.card_blocks[card_id].is_deleted:
            await self.sections.reload(
                f'card-{card_id}',
                workshop.contributions,
                lambda data: self._draw_card_notes(card_id, data.notes, data.group_names, data.session),
                self.card_blocks[card_id],
                session_id=self.session.id,
                card_id=card_id,
            )
            return
        await self.sections.reload(
            'contributions',
            workshop.contributions,
            lambda data: self._draw_contributions(data.notes, data.group_names, data.session),
            self.contributions_box,
            session_id=self.session.id,
        )

    async def _load_plenary(self) -> None:
        if self.plenary_box is None:
            return
        await self.sections.reload(
            'plenary', workshop.outcomes, self._draw_plenary, self.plenary_box, session_id=self.session.id
        )

    async def _reload_session(self) -> None:
        self.session = await self.hub.session()
        if not self.root.is_deleted:
            self._draw_room()

    def _followed(self, index: int, flipped: bool) -> None:
        """A new position is shown at once (it comes with its announcement); it costs the room no task."""
        if not self.root.is_deleted:
            self.session.current_index, self.session.flipped = index, flipped
            self._show_room_card()

    def _on_change(self, change: Change) -> Coroutine[Any, Any, None] | None:
        """Returns the reloads to await, if any (a timer needs none)."""
        if self.root.is_deleted or change.what in {What.STATE, What.TIMER}:
            return None
        if change.what == What.GONE:
            self._gone()
            return None
        return self._reload_for(change)

    def _gone(self) -> None:
        """The session was deleted (by hand, or its retention period ended): its room gives way to saying so."""
        self.root.clear()
        with self.root, ui.element('section').classes('ck-panel').mark('room-gone'):
            Text('h1', 'This session has been deleted')
            Text('p', 'Its cards, notes, people and actions are no longer kept. The list of sessions shows the others.')
            ui.link('All sessions', '/sessions')

    async def _reload_for(self, change: Change) -> None:
        what = change.what
        if what == What.NOTES and change.note_id is not None and change.how:
            await self._note_changed(change.note_id, change.how)
            return
        if what in {What.ROOM, What.SETUP, What.GROUPS}:
            await self._reload_session()  # splitting the room starts group work: the phase moves on
        if what in {What.PEOPLE, What.GROUPS, What.ROOM}:
            await self._load_people()
        if what in {What.PEOPLE, What.GROUPS, What.PROGRESS, What.NOTES, What.ACTIONS, What.ROOM}:
            await self._load_groups()
        if what == What.NOTES:
            await self._load_contributions(change.card_id)
        if what in {What.ROOM, What.SETUP}:
            await self._load_contributions()
        if what in {What.NOTES, What.ACTIONS, What.VOTES, What.ROOM}:
            await self._load_plenary()

    async def _note_changed(self, note_id: int, how: str) -> None:
        """One note added, changed or removed: its rows in the contributions and the plenary, and its group's count,
        are all that is drawn (a note on a card that holds hundreds costs the room a row, not the lists)."""
        note = await live.look(sessions.note, note_id=note_id)
        if note is None or note.kind == NoteKind.RATING.value or self.root.is_deleted:
            return
        removed = note.deleted_at is not None or how == 'removed'
        if self.contributions_box is not None:
            await self._contribution_changed(note, removed)
        if self.plenary_box is not None:
            shown = self.plenary_rows.get(note.id)
            if shown is not None:
                shown.follow(note, removed=removed)
            if removed:
                self.plenary_rows.pop(note.id, None)
            elif shown is None:
                self._plenary_added(note)
        if how in ('added', 'removed') and note.group_id in self.group_counts:
            label, notes, actions = self.group_counts[note.group_id]
            notes += 1 if how == 'added' else -1
            self.group_counts[note.group_id] = (label, notes, actions)
            label.set_text(group_counts_text(notes, actions))

    async def _contribution_changed(self, note: Note, removed: bool) -> None:
        rows = self.contribution_rows.get(note.card_id)
        block = self.card_blocks.get(note.card_id)
        if rows is None or block is None or block.is_deleted:
            await self._load_contributions()
            return
        shown = rows.get(note.id)
        if shown is not None:
            shown.follow(note, removed=removed)
        if removed:
            rows.pop(note.id, None)
        elif shown is None:
            with block:
                rows[note.id] = self._contribution_row(note, self.group_names, self.session)
        self._show_card_title(note.card_id)

    def _plenary_added(self, note: Note) -> None:
        """A new note in its group's column of the plenary; the first of its card or group draws the plenary again."""
        if note.hidden or note.merged_into is not None or note.id in self.plenary_rows:
            return
        if note.card_id != self.plenary_card and note.card_id in self.plenary_counts and self.chooser is not None:
            self.plenary_counts[note.card_id] += 1  # another card's: only its count in the chooser changes
            self._show_chooser()
            return
        names = self.outcomes.groups if self.outcomes is not None else {}
        column = self.plenary_columns.get((note.card_id, names.get(note.group_id, 'Whole room')))
        if column is None or column.is_deleted or self.outcomes is None:
            background_tasks.create(self._load_plenary(), name='draw the plenary')
            return
        with column:
            self._plenary_note(note.card_id, note, self.outcomes)

    def _show_card_title(self, card_id: str) -> None:
        count = len(self.contribution_rows.get(card_id, {}))
        title, block = self.card_titles.get(card_id), self.card_blocks.get(card_id)
        if title is not None and not title.is_deleted:
            title.set_text(f'{card_id} – {shorten(self.deck.card(card_id).lead, 90)} ({count})')
        if block is not None and not block.is_deleted and block.visible != bool(count):
            block.set_visibility(bool(count))
        if count and self.nothing_yet is not None:  # however the first note came, "nothing yet" is no longer true
            if not self.nothing_yet.is_deleted:
                self.nothing_yet.delete()
            self.nothing_yet = None

    # --- drawing: joining and options ------------------------------------------------------------------------------

    def _option_controls(self) -> None:
        """The room's switches; built once and updated in place (keyboard focus stays put)."""
        session = self.session
        for name, label in OPTIONS.items():
            self.switches[name] = ui.switch(
                label,
                value=bool(getattr(session, name)),
                on_change=lambda e, n=name: self.set_option(**{n: bool(e.value)}),
            ).mark(f'opt-{name}')

    def _draw_room(self) -> None:
        session = self.session
        if self.join_panel is not None and self.open_button is not None and self.close_button is not None:
            self.open_button.set_visibility(not session.join_code)
            self.close_button.set_visibility(bool(session.join_code))
            self.join_panel.show(session.join_code)
        self._show_room_card()
        # the session is already the new one, so these updates find nothing to change in set_option/set_phase
        self.phase.set_value(session.phase)
        for name, switch in self.switches.items():
            switch.set_value(bool(getattr(session, name)))

    def _show_room_card(self) -> None:
        session = self.session
        current = session.card_ids[session.current_index] if session.card_ids else ''
        if self.room_card is not None and not self.room_card.is_deleted:
            self.room_card.set_text(f'Whoever is not in a group follows the console: card {current} now.')

    # --- drawing: people -------------------------------------------------------------------------------------------

    def _draw_people(self, room: workshop.RoomPeople) -> None:
        people, group_names = room.participants, room.group_names
        Text('h2', f'Who is here ({len(people)})').mark('people-count')
        if not people:
            Text('p', 'Nobody has joined yet. Open joining and show the code.').classes('ck-muted')
            return
        options: dict[Any, str] = {0: 'No group', **group_names}
        grouping = self.part == Stage.GROUPS  # people are moved between groups there, and taken out in the room
        with ui.element('ul').classes('ck-rows ck-people'):
            for person in people:
                with ui.element('li').mark('person'):
                    with ui.element('div').classes('ck-grow'):
                        name = 'Anonymous' if person.anonymous else person.name
                        ui.label(name).classes('ck-person-name').mark('person-name')
                        extra = ' · '.join(x for x in (person.role, person.organisation) if x)
                        if extra:
                            ui.label(extra).classes('ck-note-meta')
                    if grouping and group_names:
                        move = (
                            ui.select(
                                options,
                                value=person.group_id or 0,
                                label='Group',
                                on_change=lambda e, p=person: self.move(p, e.value),
                            )
                            .props('outlined dense')
                            .classes('min-w-[9rem]')
                            .mark('person-group')
                        )
                        design.aria(move, label=f'Group of {name}')
                    elif not grouping:
                        remove = (
                            ui.button('Remove', icon='person_remove', on_click=lambda p=person: self.confirm_remove(p))
                            .props('no-caps flat dense color=negative')
                            .mark('person-remove')
                        )
                        design.aria(remove, label=f'Remove {name} from the session')

    # --- drawing: groups -------------------------------------------------------------------------------------------

    def _group_forms(self) -> None:
        with ui.element('div').classes('ck-form-row'):
            self.max_size = (
                ui.number('At most per group', value=4, min=1, max=workshop.MAX_GROUP_SIZE, step=1, precision=0)
                .props('outlined dense')
                .mark('split-size')
            )
            self.by_theme = ui.checkbox('One strategic issue per group').mark('split-by-theme')
            ui.button('Split the room into groups', icon='groups', on_click=self.split).props(
                'no-caps unelevated'
            ).mark('split')
        with ui.element('div').classes('ck-form-row'):
            self.new_group = ui.input('New group name').props('outlined dense maxlength=200').mark('new-group-name')
            ui.button('Create group', icon='group_add', on_click=self.create_group).props('no-caps outline').mark(
                'create-group'
            )
        self.group_error = ui.label('').classes('ck-message')
        self.group_error.props['role'] = 'alert'

    def _draw_groups(self, progress: list[workshop.GroupProgress]) -> None:
        self.group_names = {item.group.id: item.group.name for item in progress}
        self.group_counts = {}
        if not progress:
            Text('p', 'No groups yet: everyone follows the facilitator’s card.').classes('ck-muted')
            return
        themes = {
            t.number: f'{t.number}. {shorten(t.title, 50)}'
            for t in self.deck.themes
            if t.number in self.session.theme_numbers
        }
        cards = {c: f'{c} – {shorten(self.deck.card(c).lead, 50)}' for c in self.session.card_ids}
        with ui.element('div').classes('ck-groups'):
            for item in progress:
                group = item.group
                with ui.element('article').classes('ck-group').mark('group'):
                    ui.label(group.name).classes('ck-group-name').mark('group-name')
                    if group.card_ids:
                        card_id = group.card_ids[min(group.current_index, len(group.card_ids) - 1)]
                        side = ', turned over' if group.flipped else ''
                        ui.label(f'Card {group.current_index + 1} of {len(group.card_ids)}: {card_id}{side}').mark(
                            'group-progress'
                        )
                    ui.label('Members: ' + (', '.join(item.members) or 'nobody yet')).mark('group-members')
                    counts = (
                        ui.label(group_counts_text(item.notes, item.actions))
                        .classes('ck-note-meta')
                        .mark('group-counts')
                    )
                    self.group_counts[group.id] = (counts, item.notes, item.actions)
                    covered = [n for n in themes if {c.id for c in self.deck.theme(n).cards} <= set(group.card_ids)]
                    pick = (
                        ui.select(
                            themes,
                            value=covered,
                            multiple=True,
                            label='Strategic issues',
                            on_change=lambda e, g=group: self.assign_themes(g.id, e.value),
                        )
                        .props('outlined dense')
                        .classes('w-full')
                        .mark('group-themes')
                    )
                    design.aria(pick, label=f'Strategic issues of {group.name}')
                    pick.props['display-value'] = ', '.join(str(n) for n in covered) or 'none'
                    choose = (
                        ui.select(
                            cards,
                            value=list(group.card_ids),
                            multiple=True,
                            label='Cards',
                            on_change=lambda e, g=group: self.assign_cards(g.id, e.value),
                        )
                        .props('outlined dense')
                        .classes('w-full')
                        .mark('group-cards')
                    )
                    design.aria(choose, label=f'Cards of {group.name}')
                    choose.props['display-value'] = cards_summary(list(group.card_ids))

    # --- drawing: contributions ------------------------------------------------------------------------------------

    def _draw_contributions(self, notes: list[Note], group_names: dict[int, str], session: CardSession) -> None:
        self.card_blocks, self.card_titles, self.contribution_rows = {}, {}, {}
        self.group_names = group_names
        by_card: dict[str, list[Note]] = {}
        for note in notes:
            by_card.setdefault(note.card_id, []).append(note)
        self.nothing_yet = None
        if not by_card:
            self.nothing_yet = (
                Text('p', 'Nothing yet: notes, questions and proposals appear here as they are sent.')
                .classes('ck-muted')
                .mark('nothing-yet')
            )
        for card_id in session.card_ids:
            block = ui.element('div').classes('ck-card-block').mark('card-contributions')
            block.set_visibility(card_id in by_card)
            self.card_blocks[card_id] = block
            with block:
                self._draw_card_notes(card_id, by_card.get(card_id, []), group_names, session)

    def _draw_card_notes(
        self, card_id: str, notes: list[Note], group_names: dict[int, str], session: CardSession
    ) -> None:
        self.card_titles[card_id] = ui.label().classes('ck-card-title')
        self.contribution_rows[card_id] = {
            note.id: self._contribution_row(note, group_names, session) for note in notes
        }
        self._show_card_title(card_id)

    def _contribution_row(self, note: Note, group_names: dict[int, str], session: CardSession) -> Shown:
        with (
            ui.element('div')
            .classes('ck-note' + (' ck-hidden-note' if note.hidden else ''))
            .mark('contribution') as row
        ):
            with ui.element('div').classes('ck-note-body'):
                text = ui.label(note.text).mark('contribution-text')
                meta = author_line(note, session, group_names)
                if note.hidden:
                    meta = f'{meta} · hidden' if meta else 'hidden'
                if meta:
                    ui.label(meta).classes('ck-note-meta')
            with ui.element('div').classes('ck-note-tools'):
                about = shorten(note.text, 60)
                if note.hidden:
                    show = ui.button('Show', icon='visibility', on_click=lambda n=note: self.hide(n, False))
                    design.aria(show.props('no-caps flat dense').mark('show-note'), label=f'Show: {about}')
                else:
                    hide = ui.button('Hide', icon='visibility_off', on_click=lambda n=note: self.hide(n, True))
                    design.aria(hide.props('no-caps flat dense').mark('hide-note'), label=f'Hide: {about}')
                promote = ui.button('Promote', icon='task_alt', on_click=lambda n=note: self.promote(n))
                design.aria(promote.props('no-caps flat dense').mark('promote-note'), label=f'Promote: {about}')
        return Shown(row, text)

    # --- drawing: plenary ------------------------------------------------------------------------------------------

    def _draw_plenary(self, outcomes: Outcomes) -> None:
        self.session = outcomes.session
        self.outcomes = outcomes
        self.plenary_columns, self.plenary_rows = {}, {}
        self.merge_buttons = {}
        shown = {note.id for card in outcomes.cards for notes in card.by_group.values() for note in notes}
        self.selected = {c: [n for n in picked if n in shown] for c, picked in self.selected.items()}
        if not outcomes.cards:
            Text('p', 'The groups’ notes appear here, card by card.').classes('ck-muted')
        ids = [card.card_id for card in outcomes.cards]
        if self.plenary_card not in ids:
            self.plenary_card = ids[0] if ids else None
        self.plenary_counts = {card.card_id: sum(len(n) for n in card.by_group.values()) for card in outcomes.cards}
        self.chooser = None
        if len(ids) > 1:  # the plenary goes card by card: one card's outcomes at a time
            self.chooser = ui.toggle({}, value=None, on_change=self._choose_card)
            self.chooser.props('no-caps outline dense').mark('plenary-cards')
            design.aria(self.chooser, label='Card whose outcomes are shown')
            self._show_chooser()
        for card in outcomes.cards:
            if card.card_id != self.plenary_card:
                continue
            with ui.element('div').classes('ck-card-block').mark('plenary-card'):
                ui.label(f'{card.card_id} – {shorten(self.deck.card(card.card_id).lead, 90)}').classes('ck-card-title')
                with ui.element('div').classes('ck-side-by-side'):
                    for group_name, notes in card.by_group.items():
                        with ui.element('section').classes('ck-outcome').mark('plenary-group') as column:
                            Text('h3', group_name)
                            for note in notes:
                                self._plenary_note(card.card_id, note, outcomes)
                        self.plenary_columns[(card.card_id, group_name)] = column
                with ui.element('div').classes('ck-form-row'):
                    chosen = len(self.selected.get(card.card_id, []))
                    merge = (
                        ui.button(
                            f'Merge selected ({chosen})', icon='merge', on_click=lambda c=card.card_id: self.merge(c)
                        )
                        .props('no-caps outline')
                        .mark('merge')
                    )
                    merge.set_enabled(chosen >= 2)
                    self.merge_buttons[card.card_id] = merge
                    Text('p', 'Tick two or more notes that say the same thing; the first ticked is kept.').classes(
                        'ck-hint'
                    )
        if self.actions_box is not None and not self.actions_box.is_deleted:
            self.actions_box.clear()
            with self.actions_box:
                self._draw_actions(outcomes, controls=True)

    def _show_chooser(self) -> None:
        if self.chooser is not None and not self.chooser.is_deleted:
            self.chooser.set_options({c: f'{c} ({n})' for c, n in self.plenary_counts.items()}, value=self.plenary_card)

    def _choose_card(self, event: Any) -> None:
        if event.value and event.value != self.plenary_card and self.outcomes is not None:
            self.plenary_card = event.value
            if self.plenary_box is not None and not self.plenary_box.is_deleted:
                self.plenary_box.clear()
                with self.plenary_box:
                    self._draw_plenary(self.outcomes)

    def _plenary_note(self, card_id: str, note: Note, outcomes: Outcomes) -> None:
        with ui.element('div').classes('ck-note').mark('plenary-note') as row:
            box = ui.checkbox(
                value=note.id in self.selected.get(card_id, []),
                on_change=lambda e, n=note: self.select(card_id, n.id, e.value),
            ).mark('select-note')
            design.aria(box, label=f'Select for merging: {shorten(note.text, 60)}')
            with ui.element('div').classes('ck-note-body'):
                text = ui.label(note.text).mark('plenary-text')
                self.plenary_rows[note.id] = Shown(row, text)
                merged = outcomes.merged.get(note.id, [])
                meta = author_line(note, outcomes.session, outcomes.groups)
                if merged:
                    meta = f'{meta} · merged with {len(merged)} more' if meta else f'merged with {len(merged)} more'
                if meta:
                    ui.label(meta).classes('ck-note-meta').mark('plenary-meta')
            if f'promoted-{note.id}' in outcomes.promoted:
                ui.label('Agreed').classes('ck-badge').mark('agreed-badge')
            else:
                promote = ui.button('Promote', icon='task_alt', on_click=lambda n=note: self.promote(n))
                promote.props('no-caps flat dense').mark('plenary-promote')
                design.aria(promote, label=f'Promote: {shorten(note.text, 60)}')

    def _draw_actions(self, outcomes: Outcomes, *, controls: bool) -> None:
        draw_actions(outcomes, on_agree=self.agree if controls else None)

    # --- what the facilitator does ---------------------------------------------------------------------------------

    async def _do(self, use_case: Callable[..., Any], error: ui.label | None = None, **arguments: Any) -> bool:
        """Run a use case through the hub; its refusal is shown where it belongs. The room redraws what changed
        when the hub announces it."""
        try:
            await self.hub.do(use_case, origin=self.origin, **arguments)
        except (InputError, NotFound) as e:
            if error is not None and not error.is_deleted:
                error.set_text(sentence(str(e)))
            else:
                design.notify(self.client, sentence(str(e)), type='negative')
            return False
        if error is not None and not error.is_deleted:
            error.set_text('')
        return True

    async def open_joining(self) -> None:
        await self._do(workshop.open_joining, session_id=self.session.id)

    async def close_joining(self) -> None:
        await self._do(workshop.close_joining, session_id=self.session.id)

    async def set_option(self, **option: Any) -> None:
        if all(getattr(self.session, name) == value for name, value in option.items()):
            return  # the control was only brought up to date
        await self._do(workshop.set_options, session_id=self.session.id, **option)

    async def set_phase(self, phase: str | None) -> None:
        if not phase or phase == self.session.phase:
            return
        await self._do(workshop.set_phase, session_id=self.session.id, phase=phase)

    async def move(self, person: Participant, group_id: int) -> None:
        await self._do(workshop.move_to_group, participant_id=person.id, group_id=group_id or None)

    async def confirm_remove(self, person: Participant) -> None:
        name = 'this anonymous participant' if person.anonymous else person.name
        with ui.dialog() as dialog, ui.card():
            Text('p', f'Remove {name} from the session? What they sent stays.')
            with ui.row():
                ui.button('Remove', on_click=lambda: dialog.submit(True)).props('no-caps color=negative').mark(
                    'confirm-remove'
                )
                ui.button('Cancel', on_click=lambda: dialog.submit(False)).props('no-caps flat')
        if await dialog:
            await self._do(workshop.remove_participant, session_id=self.session.id, participant_id=person.id)
        dialog.delete()

    async def split(self) -> None:
        await self._do(
            workshop.split_room,
            error=self.group_error,
            session_id=self.session.id,
            max_size=int(self.max_size.value or 4),
            by_theme=bool(self.by_theme.value),
        )

    async def create_group(self) -> None:
        name = self.new_group.value or ''
        if await self._do(workshop.create_group, error=self.group_error, session_id=self.session.id, name=name):
            self.new_group.set_value('')

    async def assign_themes(self, group_id: int, value: Any) -> None:
        numbers = [int(n) for n in (value or [])]
        if numbers:
            await self._do(workshop.assign_themes, error=self.group_error, group_id=group_id, theme_numbers=numbers)

    async def assign_cards(self, group_id: int, value: Any) -> None:
        cards = [str(c) for c in (value or [])]
        if cards:
            await self._do(workshop.assign_cards, error=self.group_error, group_id=group_id, card_ids=cards)

    async def hide(self, note: Note, hidden: bool) -> None:
        await self._do(workshop.hide_note, note_id=note.id, hidden=hidden)

    async def promote(self, note: Note) -> None:
        if await self._do(workshop.promote_note, note_id=note.id):
            design.notify(self.client, f'Agreed action: {shorten(note.text, 60)}', type='positive')

    async def agree(self, action_id: int) -> None:
        await self._do(sessions.update_action, action_id=action_id, status=ActionStatus.AGREED.value)

    def select(self, card_id: str, note_id: int, chosen: bool) -> None:
        picked = [n for n in self.selected.get(card_id, []) if n != note_id]
        self.selected[card_id] = [*picked, note_id] if chosen else picked
        button = self.merge_buttons.get(card_id)
        if button is not None and not button.is_deleted:
            button.set_text(f'Merge selected ({len(self.selected[card_id])})')
            button.set_enabled(len(self.selected[card_id]) >= 2)

    async def merge(self, card_id: str) -> None:
        picked = self.selected.get(card_id, [])
        if len(picked) < 2:
            design.notify(self.client, 'Tick at least two notes to merge', type='warning')
            return
        if await self._do(workshop.merge_notes, keep_id=picked[0], duplicate_ids=picked[1:]):
            self.selected[card_id] = []
            design.notify(self.client, f'Merged {len(picked)} notes', type='positive')


def draw_actions(outcomes: Outcomes, *, on_agree: Callable[[int], Awaitable[None]] | None) -> None:
    """Proposed actions by votes (with an Agree button for the facilitator), then the agreed actions."""
    proposed, agreed = outcomes.proposed, outcomes.agreed
    session = outcomes.session
    with ui.element('div').classes('ck-card-block').mark('proposed-actions'):
        votes_text = f' · {session.votes_per_person} votes each' if session.votes_per_person else ''
        Text('h3', f'Proposed actions ({len(proposed)}){votes_text}')
        if not proposed:
            Text('p', 'None waiting.').classes('ck-muted')
        with ui.element('ul').classes('ck-rows'):
            for action in proposed:
                with ui.element('li').mark('proposed-action'):
                    count = outcomes.votes.get(action.id, 0)
                    ui.label(f'{count} vote{"" if count == 1 else "s"}').classes('ck-votes').mark('action-votes')
                    with ui.element('div').classes('ck-grow'):
                        ui.label(action.what).mark('proposed-what')
                        meta = ' · '.join(
                            x
                            for x in (
                                TERM_TITLES.get(action.term, action.term),
                                action.card_id,
                                outcomes.groups.get(action.group_id or 0, ''),
                            )
                            if x
                        )
                        ui.label(meta).classes('ck-note-meta')
                    if on_agree is not None:
                        button = (
                            ui.button('Agree', icon='check', on_click=lambda a=action: on_agree(a.id))
                            .props('no-caps outline')
                            .mark('agree-action')
                        )
                        design.aria(button, label=f'Agree: {shorten(action.what, 60)}')
    with ui.element('div').classes('ck-card-block').mark('agreed-actions'):
        Text('h3', f'Agreed actions ({len(agreed)})').mark('agreed-count')
        with ui.element('ul').classes('ck-rows'):
            for action in agreed:
                with ui.element('li').mark('agreed-action'), ui.element('div').classes('ck-grow'):
                    ui.label(action.what).mark('agreed-what')
                    meta = ' · '.join(
                        x for x in (TERM_TITLES.get(action.term, action.term), action.card_id, action.who) if x
                    )
                    ui.label(meta).classes('ck-note-meta')


class PlenaryScreen:
    """The big screen: the join code while joining is open, then (in the plenary) every card's outcomes and votes."""

    def __init__(self, session: CardSession, deck: Deck, host: str | None, scheme: str) -> None:
        self.session = session
        self.deck = deck
        self.sections = Sections()
        self.host = host
        self.scheme = scheme
        self.outcomes: Outcomes | None = None
        self.columns: dict[tuple[str, str], ui.element] = {}  # (card, group name) -> the list of its notes
        self._redraw = Coalesced(self._reload, gap=PLENARY_REDRAW_GAP_S)

    async def build(self) -> None:
        ui.add_css(CSS)
        with ui.element('div').classes('ck-big-screen flex flex-col gap-4 w-full'):
            self.join_box = ui.element('section').classes('ck-panel').mark('screen-joining')
            with self.join_box:
                Text('h2', 'Join from your phone')
                self.join_panel = JoinPanel(self.host, scheme=self.scheme, size='projector')
            self.outcomes_box = ui.element('div').classes('flex flex-col gap-4').mark('screen-outcomes')
        await self._reload()
        live.hub(self.session.id).follow(on_change=self._on_change)

    def _on_change(self, change: Change) -> Coroutine[Any, Any, None] | None:
        if self.join_box.is_deleted:
            return None
        if change.what == What.GONE:
            self._gone()
            return None
        if change.what not in {What.ROOM, What.SETUP, What.NOTES, What.ACTIONS, What.VOTES}:
            return None
        if change.what != What.ROOM and not self._shows_outcomes:
            return None  # nothing of it is on the screen yet
        if change.what == What.NOTES and change.how == How.ADDED and change.note_id is not None:
            return self._note_added(change.note_id)
        return self._redraw.run()

    def _gone(self) -> None:
        self.outcomes_box.clear()
        self.join_box.set_visibility(False)
        with self.outcomes_box, ui.element('div').classes('ck-panel').mark('screen-gone'):
            Text('h1', 'This session has ended')
            Text('p', 'It was deleted, so there is nothing more to show on this screen.')

    @property
    def _shows_outcomes(self) -> bool:
        return self.session.phase == Phase.PLENARY or self.session.show_on_projector

    async def _note_added(self, note_id: int) -> None:
        """A new note goes to the end of its group's list; the first of its card or group draws the screen again."""
        note = await live.look(sessions.note, note_id=note_id)
        if note is None or note.kind == NoteKind.RATING.value or note.hidden or self.outcomes_box.is_deleted:
            return
        outcomes = self.outcomes
        column = (
            self.columns.get((note.card_id, outcomes.groups.get(note.group_id, 'Whole room')))
            if outcomes is not None
            else None
        )
        if column is None or column.is_deleted:
            await self._redraw.run()
            return
        with column:
            self._screen_note(note, outcomes)

    async def _reload(self) -> None:
        await self.sections.reload(
            'outcomes', workshop.outcomes, self._draw, self.outcomes_box, session_id=self.session.id
        )

    def _draw(self, outcomes: Outcomes) -> None:
        session = self.session = outcomes.session
        self.outcomes, self.columns = outcomes, {}
        self.join_box.set_visibility(bool(session.join_code))
        compact = session.phase == Phase.PLENARY or session.show_on_projector  # the outcomes need the room
        self.join_box.classes(add='ck-join-compact' if compact else '', remove='' if compact else 'ck-join-compact')
        if self.join_panel.is_deleted:
            return
        self.join_panel.show(session.join_code)
        Text('h1', session.title)
        if session.phase != Phase.PLENARY and not session.show_on_projector:
            Text('p', 'The groups’ outcomes appear here in the plenary.').classes('ck-muted').mark('screen-waiting')
            return
        if not outcomes.cards:
            Text('p', 'No outcomes yet.').classes('ck-muted')
        for card in outcomes.cards:
            with ui.element('section').classes('ck-card-block').mark('screen-card'):
                ui.label(f'{card.card_id} – {self.deck.card(card.card_id).lead}').classes('ck-card-title')
                with ui.element('div').classes('ck-side-by-side'):
                    for group_name, notes in card.by_group.items():
                        with ui.element('div').classes('ck-outcome').mark('screen-group'):
                            Text('h3', group_name)
                            with ui.element('ul').classes('ck-rows') as column:
                                for note in notes:
                                    self._screen_note(note, outcomes)
                            self.columns[(card.card_id, group_name)] = column
        draw_actions(outcomes, on_agree=None)

    def _screen_note(self, note: Note, outcomes: Outcomes) -> None:
        with ui.element('li'), ui.element('div').classes('ck-grow'):
            ui.label(note.text).mark('screen-note')
            merged = len(outcomes.merged.get(note.id, []))
            meta = author_line(note, outcomes.session, outcomes.groups)
            if merged:
                meta = f'{meta} · +{merged} merged' if meta else f'+{merged} merged'
            if meta:
                ui.label(meta).classes('ck-note-meta')
