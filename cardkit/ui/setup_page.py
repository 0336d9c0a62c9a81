"""Setting up a session: `/sessions/new?deck=ID` starts one, `/session/{id}/setup?key=…` edits one.

The forms keep what was typed in small model objects (`SetupForm`, `PersonRow`), so a redraw or an error loses
nothing; starting and saving go through `sessions` use cases, whose messages are shown next to the field concerned.
"""

from __future__ import annotations

from datetime import date

from nicegui import binding, ui

from cardkit import authoring, library, live, sessions
from cardkit.deck import Deck
from cardkit.errors import InputError, NotFound
from cardkit.models import CardSession, Mode, Person, WayOfWorking
from cardkit.sessions import SessionSummary
from cardkit.text import sentence
from cardkit.ui import design
from cardkit.ui.components.action_board import format_date
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.components.words import ordered
from cardkit.ui.components.workspace import Stage, stages
from cardkit.ui.design import Text, aria
from cardkit.ui.urls import page_url, session_link

DEFAULT_DECK = 'card-activity'
# The seed's own guidance, for decks that bring none.
THINK_ABOUT = [
    'the different contributions colleagues, both from across the organisation and externally, might make',
    'who you want to involve',
    'how you wish to involve them.',
]
FALLBACK_NOTE = "This deck names no ways of working of its own, so the card activity's five are offered."
MODES = {
    'facilitated': 'Facilitated workshop: a console for the facilitator and a projector screen for the room',
    'solo': 'On my own: work through the cards on this screen',
}

CSS = """
.ck-form { display: flex; flex-direction: column; gap: 1rem; max-width: 60rem; }
.ck-form .ck-panel h2 { margin: 0; }
.ck-themes { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.25rem; }
.ck-themes li { display: flex; align-items: center; gap: 0.25rem; border-radius: 6px; padding: 0.1rem 0.25rem; }
.ck-themes li.ck-chosen { background: #EEF3FA; }
.ck-themes .ck-order { min-width: 1.8rem; text-align: center; font-weight: 800; }
.ck-themes .q-checkbox { flex: 1; min-width: 0; }
.ck-themes .q-btn { min-width: 2.5rem; min-height: 2.5rem; }
.ck-people-layout { display: grid; grid-template-columns: minmax(0, 2fr) minmax(14rem, 1fr); gap: 1rem;
                    align-items: start; }
@media (max-width: 800px) { .ck-people-layout { grid-template-columns: minmax(0, 1fr); }
                            .ck-people-layout .ck-guidance { order: -1; } }
.ck-person { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)) auto; gap: 0.5rem; align-items: start;
             border: 1px solid #C9CED6; border-radius: 8px; padding: 0.6rem; background: #FFFFFF; }
.ck-person .ck-brings { grid-column: 1 / 4; }
@media (max-width: 600px) { .ck-person { grid-template-columns: minmax(0, 1fr) auto; }
                            .ck-person > * { grid-column: 1 / 2; } .ck-person .ck-brings { grid-column: 1 / 2; }
                            .ck-person .ck-remove { grid-column: 2 / 3; grid-row: 1 / 2; } }
.ck-guidance { background: #FFF8DB; border: 1px solid #E3D27A; border-radius: 8px; padding: 0.75rem 1rem; }
.ck-guidance ul { margin: 0.3rem 0 0; padding-left: 1.2rem; list-style: disc; }
.ck-guidance li { margin: 0.15rem 0; }
.ck-form-error { color: #A4262C; font-weight: 700; }
.ck-actions-row { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }
"""


@binding.bindable_dataclass
class PersonRow:
    """One person on the form."""

    name: str = ''
    role: str = ''
    organisation: str = ''
    brings: str = ''

    def entry(self) -> sessions.PersonIn:
        return sessions.PersonIn(self.name, self.role, self.organisation, self.brings)


class ThemeChoice:
    """A theme of the deck, ticked or not; ticked ones come first, in the order they will be played."""

    def __init__(self, number: int, title: str, chosen: bool = True) -> None:
        self.number, self.title, self.chosen = number, title, chosen


class SetupForm:
    """What the set-up form holds: deck, themes in order, title, date, way of working, mode, people, follow-up."""

    def __init__(self, deck: Deck) -> None:
        self.deck = deck
        self.deck_ref = deck.id  # a shipped deck's id, or 'org:<n>' for an organisation's deck
        self.themes = [ThemeChoice(t.number, t.title) for t in deck.themes]
        self.title = ''
        self.held_on = date.today().isoformat()
        self.way_of_working = self._default_way(deck)
        self.mode = 'facilitated'
        self.mode_chosen = False
        self.people = [PersonRow()]
        self.follow_up_of: int | None = None
        self.errors: dict[str, str] = {}

    @staticmethod
    def _default_way(deck: Deck) -> str:
        ways = deck.ways()
        return WayOfWorking.SMT.value if WayOfWorking.SMT.value in ways else ways[0]

    @property
    def ways(self) -> list[str]:
        return self.deck.ways()

    def use_deck(self, deck: Deck, numbers: list[int] | None = None) -> None:
        """Switch deck; all its themes are chosen unless numbers (in order) are given. The way of working stays if the
        new deck offers it too, else it becomes the new deck's first (or working with the senior management team)."""
        self.deck = deck
        if self.way_of_working not in deck.ways():
            self.set_way(self._default_way(deck))
        known = {t.number: t.title for t in deck.themes}
        picked = [n for n in (numbers or []) if n in known] or list(known)
        self.themes = [ThemeChoice(n, known[n]) for n in picked]
        self.themes += [ThemeChoice(n, title, chosen=False) for n, title in known.items() if n not in picked]

    def toggle(self, number: int, chosen: bool) -> None:
        """Tick (to the end of the running order) or untick (to the list of the others) a theme."""
        choice = next(c for c in self.themes if c.number == number)
        choice.chosen = chosen
        self.themes.remove(choice)
        position = sum(1 for c in self.themes if c.chosen)
        self.themes.insert(position, choice)
        self.errors.pop('themes', None)

    def choose_all(self, chosen: bool) -> None:
        for choice in self.themes:
            choice.chosen = chosen
        if not chosen:
            self.themes.sort(key=lambda c: c.number)

    def move(self, number: int, direction: int) -> None:
        """Move a ticked theme earlier (-1) or later (+1) in the running order."""
        chosen = [c for c in self.themes if c.chosen]
        index = next(i for i, c in enumerate(chosen) if c.number == number)
        other = index + direction
        if 0 <= other < len(chosen):
            chosen[index], chosen[other] = chosen[other], chosen[index]
            self.themes = chosen + [c for c in self.themes if not c.chosen]

    def chosen_numbers(self) -> list[int]:
        return [c.number for c in self.themes if c.chosen]

    def set_way(self, way: str) -> None:
        """Working on your own suggests the solo mode (unless a mode was picked by hand)."""
        self.way_of_working = way
        if not self.mode_chosen:
            self.mode = Mode.SOLO.value if way == WayOfWorking.ALONE.value else Mode.FACILITATED.value

    def take_over(self, earlier: CardSession, people: list[Person]) -> None:
        """Prefill a follow-up of an earlier session: its themes, way of working and people."""
        self.follow_up_of = earlier.id
        self.title = f'Follow-up: {earlier.title}'[: sessions.TITLE_MAX]
        self.way_of_working = earlier.way_of_working
        self.mode = earlier.mode
        self.use_deck(self.deck, list(earlier.theme_numbers))
        self.people = [PersonRow(p.name, p.role, p.organisation, p.brings) for p in people] or [PersonRow()]


FORM_FIELDS = {'title': 'title', 'theme_numbers': 'themes', 'way_of_working': 'way', 'people': 'people'}


def way_options(ways: list[str]) -> dict[str, str]:
    """Radio options: each way as stored, shown with a capital letter."""
    return {way: sentence(way) for way in ways}


def field_of(error: InputError) -> str:
    """Which part of the form a use case's refusal is about."""
    return FORM_FIELDS.get(error.field, 'form')


def parse_date(value: str | None) -> date:
    try:
        return date.fromisoformat((value or '').strip())
    except ValueError:
        raise InputError('Choose the date of the session (like 2026-03-12)', field='held_on') from None


def _problem(message: str | None, marker: str) -> None:
    if message:
        Text('p', message).classes('ck-form-error').props('role=alert').mark(marker)


# --- new session ---------------------------------------------------------------------------------------------------


async def new_session(deck: str = '', follow_up: str = '') -> None:
    """The page: choose a deck and its themes, say when, how and with whom, then start."""
    shelf = library.shipped()
    ui.add_css(CSS)
    entries = await live.look(authoring.all_decks)
    earlier = await _earlier(follow_up)
    earlier_sessions = await live.look(sessions.list_sessions)
    with design.frame('New session'):
        if not shelf.decks:
            design.not_found('No decks are available to start a session with', 'Deck library', '/')
            return
        decks = ordered(shelf.decks.values())
        options = {d.id: d.title for d in decks} | _org_options(entries)
        chosen = deck if deck in options else DEFAULT_DECK if DEFAULT_DECK in shelf.decks else decks[0].id
        if earlier is not None and not deck:
            chosen = await _shipped_id(earlier) or chosen
        form = SetupForm(await live.look(authoring.deck_for_session, deck_ref=chosen))
        form.deck_ref = chosen
        if earlier is not None:
            form.take_over(earlier, await live.look(sessions.people, session_id=earlier.id))
        NewSessionPage(form, options, earlier_sessions)


def _org_options(entries: list[authoring.DeckEntry]) -> dict[str, str]:
    """The organisation's own decks that have a saved version ('org:<n>' -> title, marked as theirs)."""
    return {
        e.ref: f'{e.deck.title} (your organisation, version {e.version.number})'
        for e in entries
        if e.version is not None
    }


async def _earlier(follow_up: str) -> CardSession | None:
    if not follow_up.strip().isdigit():
        return None
    try:
        return await live.look(sessions.get_session, session_id=int(follow_up))
    except NotFound:
        return None


async def _shipped_id(session: CardSession) -> str | None:
    deck_id = (await live.look(sessions.deck_of, session=session)).id
    return deck_id if deck_id in library.shipped().decks else None


class NewSessionPage:
    """The new-session form; each section redraws on its own."""

    def __init__(self, form: SetupForm, deck_options: dict[str, str], earlier: list[SessionSummary]) -> None:
        self.form = form
        self.earlier = earlier
        Text('h1', 'Start a session')
        Text(
            'p',
            'Choose the cards to work on, say when, how and with whom, then start. You can change the title, '
            'date, way of working and people later.',
        ).classes('ck-muted')
        with ui.element('div').classes('ck-form'):
            with ui.element('section').classes('ck-panel'):
                Text('h2', 'Deck and cards')
                ui.select(
                    deck_options, value=form.deck_ref, label='Deck', on_change=lambda e: self.use_deck(e.value)
                ).props('outlined').classes('w-full').mark('deck')
                self.themes()
            with ui.element('section').classes('ck-panel'):
                Text('h2', 'About the session')
                self.title = (
                    ui.input('Title', value=form.title, on_change=lambda e: self._typed('title', e.value))
                    .props(f'outlined counter maxlength={sessions.TITLE_MAX + 50}')
                    .classes('w-full')
                    .mark('title')
                )
                self.title.props['hint'] = f'Required; up to {sessions.TITLE_MAX} characters'
                self.held_on = (
                    ui.input('Date', value=form.held_on, on_change=lambda e: self._typed('date', e.value))
                    .props('outlined type=date stack-label')
                    .classes('w-60')
                    .mark('date')
                )
                self.follow_up()
            with ui.element('section').classes('ck-panel'):
                Text('h2', 'Way of working')
                self.ways()
            with ui.element('section').classes('ck-panel'):
                Text('h2', 'Who is involved')
                self.people = PeopleEditor(form.people, form.deck)
            with ui.element('div').classes('ck-actions-row'):
                ui.button('Start', icon='play_arrow', on_click=self.start).props('unelevated no-caps size=lg').mark(
                    'start'
                )
                ui.link('Cancel', '/sessions')
                self.problem()

    def _typed(self, name: str, value: str | None) -> None:
        setattr(self.form, 'held_on' if name == 'date' else name, value or '')
        self.form.errors.pop(name, None)
        element = self.title if name == 'title' else self.held_on
        if element.error:
            element.error = None

    async def use_deck(self, deck_id: str) -> None:
        self.form.use_deck(await live.look(authoring.deck_for_session, deck_ref=deck_id))
        self.form.deck_ref = deck_id
        self.form.errors.pop('themes', None)
        self.form.errors.pop('way', None)
        self.themes.refresh()
        self.ways.refresh()
        self.people.show_guidance(self.form.deck)

    @ui.refreshable_method
    def themes(self) -> None:
        form = self.form
        label = form.deck.theme_label
        Text(
            'p',
            f'Tick the {label.lower()}s to work on; ticked ones are played from the top, use the arrows to '
            'change their order.',
        ).classes('ck-muted')
        with ui.row().classes('gap-2'):
            ui.button('Choose all', on_click=lambda: self._all(True)).props('outline no-caps dense').mark('all-themes')
            ui.button('Clear all', on_click=lambda: self._all(False)).props('outline no-caps dense').mark('no-themes')
        chosen = form.chosen_numbers()
        with ui.element('ul').classes('ck-themes').mark('themes'):
            for choice in form.themes:
                position = chosen.index(choice.number) + 1 if choice.chosen else None
                with ui.element('li').classes('ck-chosen' if choice.chosen else ''):
                    Text('span', str(position) if position else '').classes('ck-order')
                    ui.checkbox(
                        f'{label} {choice.number}: {choice.title}',
                        value=choice.chosen,
                        on_change=lambda e, n=choice.number: self._toggle(n, e.value),
                    ).mark(f'theme-{choice.number}')
                    if choice.chosen:
                        name = f'{label} {choice.number}'
                        up = (
                            ui.button(icon='arrow_upward', on_click=lambda n=choice.number: self._move(n, -1))
                            .props('flat round dense')
                            .mark(f'theme-up-{choice.number}')
                        )
                        aria(up, label=f'Play {name} earlier')
                        up.set_enabled(position > 1)
                        down = (
                            ui.button(icon='arrow_downward', on_click=lambda n=choice.number: self._move(n, 1))
                            .props('flat round dense')
                            .mark(f'theme-down-{choice.number}')
                        )
                        aria(down, label=f'Play {name} later')
                        down.set_enabled(position < len(chosen))
        _problem(form.errors.get('themes'), 'themes-error')

    def _toggle(self, number: int, chosen: bool) -> None:
        self.form.toggle(number, chosen)
        self.themes.refresh()

    def _all(self, chosen: bool) -> None:
        self.form.choose_all(chosen)
        self.themes.refresh()

    def _move(self, number: int, direction: int) -> None:
        self.form.move(number, direction)
        self.themes.refresh()

    def follow_up(self) -> None:
        earlier = {s.session.id: f'{s.session.title} ({format_date(s.session.held_on)})' for s in self.earlier}
        if not earlier:
            return
        options: dict[int | None, str] = {None: 'No, this is a new start', **earlier}
        ui.select(
            options,
            value=self.form.follow_up_of if self.form.follow_up_of in earlier else None,
            label='Follow-up of an earlier session (its open actions are carried across)',
            on_change=lambda e: setattr(self.form, 'follow_up_of', e.value),
        ).props('outlined').classes('w-full').mark('follow-up')

    @ui.refreshable_method
    def ways(self) -> None:
        form = self.form
        Text('p', 'How will you carry out the activity?').classes('ck-muted')
        if not form.deck.ways_of_working:
            Text('p', FALLBACK_NOTE).classes('ck-hint').mark('ways-fallback')
        way = ui.radio(way_options(form.ways), value=form.way_of_working, on_change=lambda e: self._way(e.value)).mark(
            'way'
        )
        aria(way, label='Way of working')
        _problem(form.errors.get('way'), 'way-error')
        Text('p', 'Run it as').classes('font-bold mt-2')
        mode = ui.radio(MODES, value=form.mode, on_change=lambda e: self._mode(e.value)).mark('mode')
        aria(mode, label='Run it as')

    def _way(self, way: str) -> None:
        if way == self.form.way_of_working:
            return
        self.form.set_way(way)
        self.form.errors.pop('way', None)
        self.ways.refresh()

    def _mode(self, mode: str) -> None:
        self.form.mode = mode
        self.form.mode_chosen = True

    @ui.refreshable_method
    def problem(self) -> None:
        _problem(self.form.errors.get('form') or self.form.errors.get('people'), 'form-error')

    async def start(self) -> None:
        """Start the session and open it; on a problem, say what and where, and keep everything typed."""
        form = self.form
        form.errors = {}
        self.title.error = None
        self.held_on.error = None
        try:
            held_on = parse_date(form.held_on)
        except InputError as error:
            self.held_on.error = str(error)
            held_on = None
        try:
            if not form.chosen_numbers():  # the use case reads "none" as "all of them"
                raise InputError(f'choose at least one {form.deck.theme_label.lower()}', field='theme_numbers')
            if held_on is None:
                raise InputError('')
            session = await live.do(
                sessions.start_session,
                deck=form.deck,
                title=form.title,
                theme_numbers=form.chosen_numbers(),
                held_on=held_on,
                way_of_working=form.way_of_working,
                mode=form.mode,
                people=[p.entry() for p in form.people],
                follow_up_of=form.follow_up_of,
            )
        except (InputError, NotFound) as error:
            message = str(error)
            if message:
                self._show(field_of(error) if isinstance(error, InputError) else 'form', message)
            self.themes.refresh()
            self.ways.refresh()
            self.problem.refresh()
            ui.notify('The session was not started: see the message on the form.', type='warning')
            return
        ui.navigate.to(session_link(session))

    def _show(self, name: str, message: str) -> None:
        if name == 'title':
            self.title.error = message
        else:
            self.form.errors[name] = message


# --- people --------------------------------------------------------------------------------------------------------


class PeopleEditor:
    """Rows of name, role, organisation and what they bring, with the deck's questions to think about."""

    def __init__(self, rows: list[PersonRow], deck: Deck) -> None:
        self.rows = rows
        self.deck = deck
        with ui.element('div').classes('ck-people-layout'):
            with ui.element('div').classes('flex flex-col gap-3'):
                self.draw()
                ui.button('Add a person', icon='person_add', on_click=self.add).props('outline no-caps').classes(
                    'self-start'
                ).mark('add-person')
            with ui.element('aside').classes('ck-guidance').mark('think-about'):
                self.guidance()

    @ui.refreshable_method
    def guidance(self) -> None:
        """The deck's own questions to think about (the card activity's when it brings none)."""
        Text('p', 'Before trying it, think about:').classes('font-bold')
        with ui.element('ul'):
            for question in self.deck.think_about or THINK_ABOUT:
                Text('li', question)

    def show_guidance(self, deck: Deck) -> None:
        self.deck = deck
        self.guidance.refresh()

    @ui.refreshable_method
    def draw(self) -> None:
        if not self.rows:
            Text('p', 'Nobody added yet. Working on your own? You can leave this empty.').classes('ck-muted')
        for index, row in enumerate(self.rows):
            number = index + 1
            with ui.element('div').classes('ck-person').mark('person'):
                ui.input('Name').bind_value(row, 'name').props('outlined dense').mark(f'person-name-{number}')
                ui.input('Role').bind_value(row, 'role').props('outlined dense').mark(f'person-role-{number}')
                ui.input('Organisation').bind_value(row, 'organisation').props('outlined dense').mark(
                    f'person-organisation-{number}'
                )
                remove = (
                    ui.button(icon='delete', on_click=lambda i=index: self.remove(i))
                    .props('flat round')
                    .classes('ck-remove')
                    .mark(f'remove-person-{number}')
                )
                aria(remove, label=f'Remove person {number}' + (f' ({row.name})' if row.name else ''))
                ui.textarea('What they bring').bind_value(row, 'brings').props('outlined dense autogrow').classes(
                    'ck-brings'
                ).mark(f'person-brings-{number}')

    def add(self) -> None:
        self.rows.append(PersonRow())
        self.draw.refresh()

    def remove(self, index: int) -> None:
        del self.rows[index]
        self.draw.refresh()

    def entries(self) -> list[sessions.PersonIn]:
        return [row.entry() for row in self.rows]


# --- edit an existing session --------------------------------------------------------------------------------------


async def edit_session(session_id: int, key: str = '') -> None:
    """The page: change the title, date, way of working and people of a session (the cards stay as started)."""
    ui.add_css(CSS)
    session = await open_with_key(sessions.session_for_key, session_id, key)
    if session is None:
        refused('Session set-up', 'This session could not be opened')
        return
    deck = await live.look(sessions.deck_of, session=session)
    people = await live.look(sessions.people, session_id=session.id)
    with design.frame(f'Set-up · {session.title}', wide=True):
        stages(session, Stage.PREPARE)
        EditSessionPage(session, deck, people)


class EditSessionPage:
    """Title, date, way of working and people of a running session."""

    def __init__(self, session: CardSession, deck: Deck, people: list[Person]) -> None:
        self.session = session
        self.rows = [PersonRow(p.name, p.role, p.organisation, p.brings) for p in people]
        Text('h1', 'Session set-up')
        label = deck.theme_label
        Text(
            'p',
            f'{deck.title} · {label}s {", ".join(map(str, session.theme_numbers))} '
            '(the cards stay as the session started)',
        ).classes('ck-muted')
        with ui.element('div').classes('ck-form'):
            with ui.element('section').classes('ck-panel'):
                Text('h2', 'About the session')
                self.title = (
                    ui.input('Title', value=session.title, on_change=lambda: self._clear(self.title))
                    .props('outlined counter')
                    .classes('w-full')
                    .mark('title')
                )
                self.held_on = (
                    ui.input('Date', value=session.held_on.isoformat(), on_change=lambda: self._clear(self.held_on))
                    .props('outlined type=date stack-label')
                    .classes('w-60')
                    .mark('date')
                )
                Text('h3', 'Way of working').classes('mt-2')
                ways = deck.ways()
                if session.way_of_working not in ways:  # chosen from an earlier list: kept on offer
                    ways = [*ways, session.way_of_working]
                if not deck.ways_of_working:
                    Text('p', FALLBACK_NOTE).classes('ck-hint').mark('ways-fallback')
                self.way = ui.radio(way_options(ways), value=session.way_of_working).mark('way')
                aria(self.way, label='Way of working')
            with ui.element('section').classes('ck-panel'):
                Text('h2', 'Who is involved')
                self.people = PeopleEditor(self.rows, deck)
            with ui.element('div').classes('ck-actions-row'):
                ui.button('Save', icon='save', on_click=self.save).props('unelevated no-caps size=lg').mark('save')
                ui.link('Back to the session', session_link(session)).mark('back-to-session')
                ui.link('Action plan', page_url(session.id, 'actions', session.facilitator_key))
                self.problem = Text('p', '').classes('ck-form-error').props('role=alert').mark('form-error')

    @staticmethod
    def _clear(element: ui.input) -> None:
        if element.error:
            element.error = None

    async def save(self) -> None:
        self.problem.text = ''
        try:
            held_on = parse_date(self.held_on.value)
        except InputError as error:
            self.held_on.error = str(error)
            return
        try:
            await live.hub(self.session.id).do(
                sessions.update_setup,
                session_id=self.session.id,
                title=self.title.value or '',
                held_on=held_on,
                way_of_working=self.way.value,
                people=self.people.entries(),
            )
        except InputError as error:
            if field_of(error) == 'title':
                self.title.error = str(error)
            else:
                self.problem.text = str(error)
            return
        except NotFound:
            self.problem.text = 'This session has been deleted.'
            return
        ui.notify('Saved', type='positive')
