"""The facilitator's workspace: the stages of the activity in order, on every facilitator page of a session.

A facilitated workshop goes prepare → cards → room → groups → plenary → actions → report; someone working alone
prepares, works through the cards, and keeps an action plan and a report. Each stage is one click from every
other, and the page being shown is marked as the current step (for a screen reader too: `aria-current`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from nicegui import ui

from cardkit.models import CardSession, Mode, Phase
from cardkit.ui import design
from cardkit.ui.urls import page_url


class Stage(StrEnum):
    PREPARE = 'prepare'
    CARDS = 'cards'
    ROOM = 'room'
    GROUPS = 'groups'
    PLENARY = 'plenary'
    ACTIONS = 'actions'
    REPORT = 'report'


@dataclass(frozen=True)
class Step:
    stage: Stage
    label: str
    page: str  # the page's address under /session/ID/
    hint: str  # what the stage is for, under its name


FACILITATED = (
    Step(Stage.PREPARE, 'Prepare', 'setup', 'deck, cards, people'),
    Step(Stage.CARDS, 'Cards', 'console', 'console and projector'),
    Step(Stage.ROOM, 'Room', 'room', 'joining, people, notes'),
    Step(Stage.GROUPS, 'Groups', 'room/groups', 'split and follow'),
    Step(Stage.PLENARY, 'Plenary', 'room/plenary', 'outcomes and votes'),
    Step(Stage.ACTIONS, 'Actions', 'actions', 'the action plan'),
    Step(Stage.REPORT, 'Report', 'report', 'Word and more'),
)
SOLO = (
    Step(Stage.PREPARE, 'Prepare', 'setup', 'deck and cards'),
    Step(Stage.CARDS, 'Cards', 'solo', 'work through them'),
    Step(Stage.ACTIONS, 'Actions', 'actions', 'your action plan'),
    Step(Stage.REPORT, 'Report', 'report', 'Word and more'),
)
LIVE_STAGE = {Phase.CARDS.value: Stage.CARDS, Phase.GROUPS.value: Stage.GROUPS, Phase.PLENARY.value: Stage.PLENARY}

CSS = """
.ck-stages { width: 100%; }
.ck-stages ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.35rem;
                grid-template-columns: repeat(auto-fit, minmax(min(100%, 9.5rem), 1fr)); counter-reset: ck-stage; }
.ck-stages li.ck-stage { display: flex; flex-direction: column; gap: 0.05rem; min-width: 0; line-height: 1.25;
  padding: 0.3rem 0.7rem 0.35rem; border-radius: 8px; border: 1px solid var(--ck-line); background: var(--ck-paper);
  position: relative; }
.ck-stages li.ck-stage:hover { border-color: var(--ck-accent); }
.ck-main .ck-stages a.ck-stage-name { font-weight: 800; color: var(--ck-accent); text-decoration: none; }
/* the whole box takes the click: the link's area is stretched over it */
.ck-main .ck-stages a.ck-stage-name::after { content: ''; position: absolute; inset: 0; border-radius: 8px; }
.ck-main .ck-stages li.ck-stage:hover a.ck-stage-name { text-decoration: underline; }
.ck-stage-hint { font-size: 0.85rem; color: var(--ck-muted); overflow: hidden; text-overflow: ellipsis;
                 white-space: nowrap; }
.ck-stages li.ck-stage-current { background: var(--ck-accent); border-color: var(--ck-accent); }
.ck-main .ck-stages li.ck-stage-current a.ck-stage-name, .ck-stages li.ck-stage-current .ck-stage-hint,
.ck-stages li.ck-stage-current .ck-stage-live { color: #FFFFFF; }
.ck-stage-live { font-size: 0.78rem; font-weight: 800; text-transform: uppercase; letter-spacing: 0.05em; }
@media (max-width: 700px) { .ck-stages ol { grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 0.25rem; }
                            .ck-stages li.ck-stage { padding: 0.3rem 0.45rem; }
                            .ck-stage-hint { display: none; } .ck-stage-live { font-size: 0.7rem; } }
"""


def steps_of(session: CardSession) -> tuple[Step, ...]:
    return SOLO if session.mode == Mode.SOLO else FACILITATED


def stage_target(session: CardSession, step: Step) -> str:
    return page_url(session.id, step.page, session.facilitator_key)


def stage_url(session: CardSession, stage: Stage) -> str:
    """The address of a stage of the session, opened with the facilitator's key."""
    return stage_target(session, next(s for s in steps_of(session) if s.stage == stage))


def resume_url(session: CardSession) -> str:
    """Where the facilitator picks the session up: the stage the room is in (the cards, its groups, the plenary)."""
    if session.mode == Mode.SOLO:
        return stage_url(session, Stage.CARDS)
    return stage_url(session, LIVE_STAGE.get(session.phase, Stage.CARDS))


def stages(session: CardSession, current: Stage) -> ui.element:
    """The workshop's stages as a numbered list of links, the current one marked; the stage the room is live in
    (cards, groups or plenary) says so."""
    ui.add_css(CSS)
    live_now = LIVE_STAGE.get(session.phase) if session.mode != Mode.SOLO else None
    with ui.element('nav').classes('ck-stages').mark('stages') as nav:
        design.aria(nav, label='Workshop stages')
        with ui.element('ol'):
            for number, step in enumerate(steps_of(session), start=1):
                current_step = step.stage == current
                with ui.element('li').classes('ck-stage' + (' ck-stage-current' if current_step else '')):
                    link = ui.link(f'{number} · {step.label}', stage_target(session, step)).classes('ck-stage-name')
                    link.mark(f'stage-{step.stage.value}')
                    if current_step:
                        link.props['aria-current'] = 'step'
                    hint = 'live now' if step.stage == live_now and session.join_code else step.hint
                    ui.label(hint).classes('ck-stage-live' if hint == 'live now' else 'ck-stage-hint')
    return nav
