"""The action plan at `/session/{id}/actions?key=…`: the short / medium / long term board and a session overview."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from cardkit import live, sessions
from cardkit.changes import Change, What
from cardkit.deck import Deck
from cardkit.models import CardSession
from cardkit.text import sentence
from cardkit.ui import design
from cardkit.ui.components.action_board import ActionBoard, format_date
from cardkit.ui.components.newest import Newest
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.components.words import in_sentence
from cardkit.ui.components.workspace import Stage, stages
from cardkit.ui.design import ACCENT, Text

NOTES_COLOUR = '#5B3F8C'

CSS = """
.ck-overview { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; }
@media (max-width: 900px) { .ck-overview { grid-template-columns: minmax(0, 1fr); } }
.ck-chart { width: 100%; height: 11.5rem; }
.ck-discussed { list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.3rem; }
.ck-discussed li { display: flex; gap: 0.5rem; align-items: baseline; }
.ck-discussed .ck-tick { flex: none; width: 1.4rem; font-weight: 800; }
.ck-discussed .ck-card-num { flex: none; min-width: 2.6rem; font-weight: 700; }
"""


async def content(session_id: int, key: str = '') -> None:
    """The page: who/what/when of each action in three terms, then which cards were discussed."""
    session = await open_with_key(sessions.session_for_key, session_id, key)
    if session is None:
        refused('Action plan', 'This action plan could not be opened')
        return
    deck = await live.look(sessions.deck_of, session=session)
    ui.add_css(CSS)
    with design.frame(f'Action plan · {session.title}', wide=True):
        stages(session, Stage.ACTIONS)
        header = Header(session)
        board = ActionBoard(session.id)
        overview = Overview(session, deck)
    await header.load()
    await board.load()
    await overview.load()

    def follow(change: Change) -> Any:
        if change.what == What.SETUP:
            return header.load()
        if change.what in (What.ACTIONS, What.NOTES):
            return overview.load()
        return None

    hub = live.hub(session.id)
    hub.follow(on_position=lambda _index, _flipped: overview.load(), on_change=follow)


class Header:
    """Title, date, way of working and links of the session (redrawn when the set-up changes)."""

    def __init__(self, session: CardSession) -> None:
        self.session = session
        self.earlier: CardSession | None = None
        self.reads = Newest()
        self.draw()

    async def load(self) -> None:
        newest = self.reads.ticket()
        session = await live.hub(self.session.id).session()
        earlier = await live.look(sessions.earlier_session, session=session)
        if newest():
            self.session, self.earlier = session, earlier
            self.draw.refresh()

    @ui.refreshable_method
    def draw(self) -> None:
        session = self.session
        Text('h1', 'Action plan')
        facts = [format_date(session.held_on), sentence(session.way_of_working)]
        if self.earlier is not None:
            facts.append(f'Follow-up of “{self.earlier.title}” ({format_date(self.earlier.held_on)})')
        with ui.element('p').classes('flex flex-wrap gap-x-3 items-baseline'):
            Text('span', session.title).classes('text-xl font-bold').mark('session-title')
            Text('span', ' · '.join(facts)).classes('ck-muted')


class Overview:
    """Which cards were discussed, and a chart of notes and actions per theme."""

    def __init__(self, session: CardSession, deck: Deck) -> None:
        self.session = session
        self.deck = deck
        self.rows: list[sessions.ThemeOverview] = []
        self.reads = Newest()
        with ui.element('section').classes('ck-panel').mark('overview'):
            Text('h2', 'Session overview')
            self.draw()

    async def load(self) -> None:
        newest = self.reads.ticket()
        session = await live.hub(self.session.id).session()
        rows = await live.look(sessions.overview, session_id=session.id)
        if newest():
            self.session, self.rows = session, rows
            self.draw.refresh()

    @ui.refreshable_method
    def draw(self) -> None:
        session, rows = self.session, self.rows
        label = self.deck.theme_label
        with ui.element('div').classes('ck-overview'):
            with ui.element('div'):
                Text('h3', f'Notes and actions per {in_sentence(label)}')
                ui.echart(
                    {
                        'aria': {'enabled': True},
                        'animation': False,
                        'tooltip': {'trigger': 'axis'},
                        'legend': {
                            'data': ['Notes', 'Actions'],
                            'top': 0,
                            'left': 'center',
                            'textStyle': {'color': design.INK, 'fontSize': 14},
                        },
                        'grid': {'left': 40, 'right': 16, 'top': 40, 'bottom': 48},
                        'xAxis': {
                            'type': 'category',
                            'data': [str(r.number) for r in rows],
                            'name': label,
                            'nameLocation': 'middle',
                            'nameGap': 30,
                            'axisLabel': {'color': design.INK, 'fontSize': 14},
                            'nameTextStyle': {'color': design.INK, 'fontSize': 14},
                        },
                        'yAxis': {'type': 'value', 'minInterval': 1, 'axisLabel': {'color': design.INK}},
                        'series': [
                            {
                                'name': 'Notes',
                                'type': 'bar',
                                'data': [r.notes for r in rows],
                                'itemStyle': {'color': NOTES_COLOUR},
                            },
                            {
                                'name': 'Actions',
                                'type': 'bar',
                                'data': [r.actions for r in rows],
                                'itemStyle': {'color': ACCENT},
                            },
                        ],
                    }
                ).classes('ck-chart').mark('overview-chart')
                with ui.element('ul').classes('ck-text-list').mark('overview-figures'):
                    for r in rows:
                        Text(
                            'li',
                            f'{label} {r.number}: {r.discussed} of {r.cards} cards discussed · '
                            f'{_count(r.notes, "note")} · {_count(r.actions, "action")}',
                        )
            discussed = set(session.discussed)
            # folded by default: the chart and its figures say how far each theme got; the full list is a click away
            summary = f'Cards discussed ({len(discussed & set(session.card_ids))} of {len(session.card_ids)})'
            with ui.expansion(summary).classes('ck-discussed-box').mark('cards-discussed'):
                for number in session.theme_numbers:
                    deck_theme = self.deck.theme(number)
                    Text('p', f'{label} {number}: {deck_theme.title}').classes('font-bold mt-2')
                    with ui.element('ul').classes('ck-discussed'):
                        for card in deck_theme.cards:
                            done = card.id in discussed
                            with ui.element('li').mark('card-discussed' if done else 'card-not-discussed'):
                                Text('span', '✓' if done else '○').classes('ck-tick')
                                Text('span', 'discussed' if done else 'not yet').classes('ck-sr-only')
                                Text('span', card.id).classes('ck-card-num')
                                Text('span', card.lead)


def _count(number: int, word: str) -> str:
    return f'{number} {word}{"" if number == 1 else "s"}'
