"""The facilitator console at `/session/{id}/console?key=…`: drive the cards, run a timer, capture notes and actions."""

from __future__ import annotations

from nicegui import ui
from nicegui.events import KeyEventArguments

from cardkit import live, sessions
from cardkit.ui import design
from cardkit.ui.components.controls import control
from cardkit.ui.components.session_driver import CSS, SessionDriver
from cardkit.ui.components.session_link import open_with_key, refused
from cardkit.ui.components.words import clock
from cardkit.ui.components.workspace import Stage, stages
from cardkit.ui.design import Text
from cardkit.ui.urls import page_url

TIMER_CHOICES = (5, 10, 15)


async def content(session_id: int, key: str = '') -> None:
    """The facilitator console of a session."""
    session = await open_with_key(sessions.session_for_key, session_id, key)
    if session is None:
        refused()
        return
    deck = await live.look(sessions.deck_of, session=session)
    await Console(session, deck, key).build()


class Console(SessionDriver):
    """The facilitator's screen: the card and its controls, the timer, the projector, and the capture panel."""

    async def build(self) -> None:
        session = self.session
        ui.add_css(CSS)
        self.fullscreen = ui.fullscreen()
        with design.frame(f'Console · {session.title}', wide=True):
            stages(session, Stage.CARDS)
            with ui.element('div').classes('ck-session-tools').mark('session-tools'):
                control(
                    'Open projector', 'Open the projector screen in a new window', self.open_projector, icon='cast'
                ).mark('open-projector')
                control('Full screen', 'Full screen (F)', self.fullscreen.toggle, icon='fullscreen').props(
                    'outline'
                ).mark('fullscreen')
            with ui.element('div').classes('ck-session-grid'):
                with ui.element('div').classes('ck-session-card'):
                    self.card_controls()
                    self.card_view()
                    Text(
                        'p',
                        'Click the card or press Space to turn it over; ← and → move between cards; '
                        'F toggles full screen.',
                    ).classes('ck-hint ck-wide-only')
                    self.timer_controls()
                self.capture_panel()
        self.keys(self._other_key)
        self.follow()
        self.on_state.append(self._show_timer)
        ui.timer(1.0, self._show_timer)
        await self.draw()

    def timer_controls(self) -> None:
        with ui.element('div').classes('ck-panel'):
            Text('h2', 'Timer').style('margin:0')
            with ui.element('div').classes('ck-timer').mark('timer'):
                for minutes in TIMER_CHOICES:
                    control(
                        f'{minutes} min', f'Start a {minutes} minute timer', lambda m=minutes: self.set_timer(m * 60)
                    ).props('outline').mark(f'timer-{minutes}')
                self.custom_minutes = (
                    ui.number('Minutes', min=1, max=sessions.TIMER_MAX // 60, step=1, precision=0)
                    .props('outlined dense')
                    .mark('timer-minutes')
                )
                control('Start', 'Start a timer for the minutes entered', self._start_custom).props('outline').mark(
                    'timer-start'
                )
                control('Stop', 'Stop the timer', lambda: self.set_timer(0), icon='stop').props('outline').mark(
                    'timer-stop'
                )
                self.timer_label = ui.label('No timer').classes('ck-timer-left').mark('timer-left')
                design.aria(self.timer_label, live='off')

    async def _start_custom(self) -> None:
        minutes = self.custom_minutes.value
        if not minutes or minutes <= 0:
            ui.notify('Enter the number of minutes first', type='negative')
            return
        await self.set_timer(int(minutes * 60))

    def _show_timer(self) -> None:
        if self.timer_label.is_deleted:
            return
        left = sessions.timer_remaining(self.session)
        text = 'No timer' if left is None else ('Time is up' if left == 0 else f'{clock(left)} left')
        if self.timer_label.text != text:
            self.timer_label.set_text(text)
            self.timer_label.classes(add='ck-time-up' if left == 0 else '', remove='' if left == 0 else 'ck-time-up')

    def open_projector(self) -> None:
        ui.navigate.to(page_url(self.session.id, 'projector', sessions.projector_key(self.session)), new_tab=True)

    def _other_key(self, e: KeyEventArguments) -> None:
        if e.key.name in {'f', 'F'} and not e.modifiers.shift:
            self.fullscreen.toggle()
