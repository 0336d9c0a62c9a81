"""The join form a phone sees: the code (typed, or from the link), a name and the session's choices; and this browser's
participant tokens, kept in its user storage only (never in a URL), so a reload or a later return brings them back.

Only wrong codes count against an address (`workshop.join_throttle`): a whole hall sharing one address joins at once,
while guessing codes stays at a few tries a minute. An unknown and a closed code get the same answer.
"""

from __future__ import annotations

from fastapi import Request
from nicegui import app, ui

from cardkit import live, workshop
from cardkit.errors import InputError, NotFound
from cardkit.models import SHORT_MAX, CardSession
from cardkit.text import sentence
from cardkit.ui import design
from cardkit.ui.design import Text
from cardkit.ui.urls import take_part_url
from cardkit.workshop import Found

NO_SESSION = 'No open session has that code'
TOKENS = 'cardkit_tokens'

PHONE_CSS = """
.ck-phone { max-width: 36rem; width: 100%; margin: 0 auto; display: flex; flex-direction: column; gap: 1rem; }
.ck-phone .q-field { font-size: 1.1rem; }
.ck-code-input input { font-size: 1.6rem; letter-spacing: 0.15em; text-transform: uppercase;
                       font-family: ui-monospace, monospace; }
.ck-phone .q-btn.ck-big { min-height: 3rem; font-size: 1.1rem; font-weight: 700; }
.ck-message { color: var(--ck-danger); font-weight: 700; font-size: 1.05rem; }
.ck-message:empty { display: none; }
.ck-ok { border-left: 6px solid var(--ck-accent); }
"""


def tokens() -> dict[str, str]:
    """This browser's participant tokens, by session id."""
    stored = app.storage.user.get(TOKENS)
    return dict(stored) if isinstance(stored, dict) else {}


def keep_token(session_id: int, token: str) -> None:
    app.storage.user[TOKENS] = {**tokens(), str(session_id): token}


def forget_token(session_id: int) -> None:
    app.storage.user[TOKENS] = {k: v for k, v in tokens().items() if k != str(session_id)}


def client_address(request: Request | None) -> str:
    return request.client.host if request is not None and request.client is not None else 'unknown'


class JoinForm:
    """Code, name, optional role and organisation, and (if the session allows it) joining anonymously."""

    def __init__(self, address: str, message: str = '') -> None:
        self.address = address
        self.message = message
        self.found: Found | None = None

    async def build(self, code: str = '') -> None:
        ui.add_css(PHONE_CSS)
        with ui.element('div').classes('ck-phone'):
            Text('h1', 'Join a session')
            if self.message:
                with ui.element('div').classes('ck-panel').mark('join-notice'):
                    Text('p', self.message).classes('ck-message')
            self.returning = ui.element('div').classes('w-full')
            with ui.element('div').classes('ck-panel').mark('join-form'):
                self.code = (
                    ui.input('Code', value=workshop.normalise_code(code)[:12])
                    .props('outlined autocomplete=off autocapitalize=characters spellcheck=false maxlength=14')
                    .classes('ck-code-input')
                    .mark('join-code-input')
                )
                self.code.on('blur', self.check_code)
                self.session_label = Text('p').mark('join-session')
                self.name = (
                    ui.input('Your name').props(f'outlined autocomplete=name maxlength={SHORT_MAX}').mark('join-name')
                )
                self.role = ui.input('Your role (optional)').props(f'outlined maxlength={SHORT_MAX}').mark('join-role')
                self.organisation = (
                    ui.input('Your organisation (optional)')
                    .props(f'outlined autocomplete=organization maxlength={SHORT_MAX}')
                    .mark('join-organisation')
                )
                self.anonymous = ui.checkbox('Join anonymously (your name is not shown)').mark('join-anonymous')
                self.anonymous.set_visibility(False)
                self.error = ui.label('').classes('ck-message').mark('join-error')
                design.aria(self.error, live='assertive')
                self.error.props['role'] = 'alert'
                ui.button('Join', on_click=self.submit).props('unelevated no-caps').classes('ck-big').mark(
                    'join-submit'
                )
                for field in (self.code, self.name, self.role, self.organisation):
                    field.on('keydown.enter', self.submit)
            Text(
                'p',
                'The facilitator shows the code on the screen. Your name is shown with what you send, '
                'unless you join anonymously or the facilitator hides names.',
            ).classes('ck-hint')
        if self.code.value:
            await self.check_code()

    async def check_code(self) -> None:
        """Look the code up once it is typed (or came with the link), to show the session and its choices."""
        code = workshop.normalise_code(self.code.value or '')
        if len(code) != workshop.CODE_LENGTH or (self.found is not None and self.found.code == code):
            return
        await self._look_up(code)

    async def _look_up(self, code: str) -> Found | None:
        if self.found is not None and self.found.code == code:
            return self.found  # looked up when the code was typed: a wrong code counts once, not again on Join
        try:
            self.found = await live.look(workshop.look_up_code, code=code, address=self.address)
        except workshop.Throttled as e:
            self._fail(str(e))
            return None
        await self._show_found()
        return self.found

    async def _show_found(self) -> None:
        session = self.found.session if self.found else None
        self.session_label.set_text(f'Session: {session.title}' if session else '')
        self.anonymous.set_visibility(bool(session and session.allow_anonymous))
        if session is None:
            self._fail(NO_SESSION)
            return
        self.error.set_text('')
        await self._offer_return(session)

    async def _offer_return(self, session: CardSession) -> None:
        """Someone who already joined from this browser goes straight back."""
        token = tokens().get(str(session.id))
        self.returning.clear()
        if not token:
            return
        try:
            participant = await live.look(workshop.participant_for_token, token=token)
        except NotFound:
            return
        if self.returning.is_deleted:
            return
        with self.returning, ui.element('div').classes('ck-panel ck-ok').mark('join-returning'):
            Text(
                'p',
                f'You have already joined “{session.title}” as '
                f'{participant.name if not participant.anonymous else "an anonymous participant"}.',
            )
            ui.link('Go back to the session', take_part_url(session.id)).classes('ck-button').mark('join-return-link')

    def _fail(self, message: str) -> None:
        self.error.set_text(message)

    async def submit(self) -> None:
        code = workshop.normalise_code(self.code.value or '')
        if not code:
            self._fail('Type the code shown by the facilitator')
            return
        found = await self._look_up(code)
        if found is None or found.session is None:
            if found is not None:
                self._fail(NO_SESSION)
            return
        try:
            participant = await live.do(
                workshop.join,
                code=code,
                name=self.name.value or '',
                role=self.role.value or '',
                organisation=self.organisation.value or '',
                anonymous=bool(self.anonymous.value),
            )
        except NotFound:
            self.found = None
            self._fail(NO_SESSION)
            return
        except InputError as e:
            self._fail(sentence(str(e)))
            return
        keep_token(participant.session_id, participant.token)
        ui.navigate.to(take_part_url(participant.session_id))
