"""Live workshop use cases: joining by code, participants, moderation, voting, breakout groups and the plenary.

Like sessions.py, every function is one short transaction that validates its input and raises InputError
(a message for the user) or NotFound. Participant-facing functions take the participant's token and check that
the participant may do what is asked, so a forged request cannot act for someone else.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cardkit import db
from cardkit.allowance import Allowance
from cardkit.models import (
    SHORT_MAX,
    Action,
    ActionStatus,
    CardSession,
    Note,
    NoteKind,
    Participant,
    Vote,
    WorkGroup,
    as_utc,
    utcnow,
)
from cardkit.sessions import (
    InputError,
    NotFound,
    _text,
    action_fields,
    add_action,
    deck_of,
    get_session,
    new_action,
    new_note,
)
from cardkit.text import clean_name

CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'  # no 0/O, 1/I/L
CODE_LENGTH = 6
MAX_GROUP_SIZE = 50
PARTICIPANT_TEXT_MAX = 2000  # a note, question or proposed action sent from a phone
SENT_PER_MINUTE = 10  # notes, questions and proposed actions one participant may send in any minute
NOTES_PER_CARD = 30  # notes and questions one participant may send about one card
ACTIONS_PER_PERSON = 30  # proposed actions one participant may send in a session


class ParticipantGone(NotFound):
    """The token no longer works: the participant was taken out, or the session ended."""


# --- joining -------------------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """A typed code as stored: upper case, without the spaces and dashes people add when reading it out."""
    return code.upper().replace(' ', '').replace('-', '').strip()


def open_joining(session_id: int) -> CardSession:
    """Let participants join: give the session a join code (kept while it stays open)."""
    with db.write() as s:
        session = _session(s, session_id)
        if session.status == 'closed':
            raise InputError('this session is closed; reopen it first')
        if not session.join_code:
            while True:
                code = ''.join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if s.exec(select(CardSession.id).where(CardSession.join_code == code)).first() is None:
                    break
            session.join_code = code
        session.updated_at = utcnow()
        s.add(session)
        return session


def close_joining(session_id: int) -> CardSession:
    """Stop admitting participants: the code stops working (those already in stay)."""
    with db.write() as s:
        session = _session(s, session_id)
        session.join_code = None
        s.add(session)
        return session


def close_session(session_id: int) -> CardSession:
    """End the session: the join code stops working and participants can no longer send anything."""
    with db.write() as s:
        session = _session(s, session_id)
        session.join_code = None
        session.status = 'closed'
        s.add(session)
        return session


def _session(s: Session, session_id: int) -> CardSession:
    session = s.get(CardSession, session_id)
    if session is None:
        raise NotFound(f'no session {session_id}')
    return session


def session_for_code(code: str) -> CardSession:
    """The open session with this join code."""
    code = normalise_code(code)
    if not code or len(code) > 12:
        raise NotFound('no session has that code')
    with db.read() as s:
        session = s.exec(select(CardSession).where(CardSession.join_code == code)).first()
    if session is None or session.status == 'closed':
        raise NotFound('no session has that code')
    return session


def join(code: str, *, name: str = '', role: str = '', organisation: str = '', anonymous: bool = False) -> Participant:
    """Join an open session by its code; returns the participant with the token that brings them back."""
    session = session_for_code(code)
    name = clean_name(_text(name, 'Your name', limit=SHORT_MAX))
    if anonymous and not session.allow_anonymous:
        raise InputError('the facilitator asks everyone to give a name in this session')
    if not anonymous and not name:
        raise InputError('Your name is empty; type your name, or join anonymously')
    with db.write() as s:
        participant = Participant(
            session_id=session.id,
            name='' if anonymous else name,
            anonymous=anonymous,
            role=clean_name(_text(role, 'Your role', limit=SHORT_MAX)),
            organisation=clean_name(_text(organisation, 'Your organisation', limit=SHORT_MAX)),
            token=secrets.token_urlsafe(24),
        )
        s.add(participant)
        return participant


def participant_for_token(token: str) -> Participant:
    """The participant this token belongs to, if they were not removed and their session is still open."""
    with db.read() as s:
        return _participant(s, token)


def _participant(s: Session, token: str, *, lock: bool = False) -> Participant:
    """The participant of a token, in the transaction `s`; with `lock`, their row is held until it commits, so one
    participant's simultaneous requests (votes, notes) are counted one after another (SQLite's write lock does the
    same for every write)."""
    if not token or not isinstance(token, str) or len(token) > 64:
        raise ParticipantGone('not a participant')
    query = select(Participant).where(Participant.token == token)
    participant = s.exec(query.with_for_update() if lock else query).first()
    if participant is None or participant.removed:
        raise ParticipantGone('not a participant')
    session = s.get(CardSession, participant.session_id)
    if session is None or session.status == 'closed':
        raise ParticipantGone('this session has ended')
    return participant


def display_name(participant: Participant | None, session: CardSession) -> str:
    """How a participant's contributions are signed, as the facilitator has chosen."""
    if participant is None or participant.anonymous or not session.show_names:
        return 'Anonymous'
    return participant.name


def participants(session_id: int) -> list[Participant]:
    with db.read() as s:
        return list(
            s.exec(
                select(Participant)
                .where(Participant.session_id == session_id, col(Participant.removed).is_(False))
                .order_by(Participant.id)
            ).all()
        )


def remove_participant(session_id: int, participant_id: int) -> None:
    """Take someone out of the session: their token stops working; what they sent stays."""
    with db.write() as s:
        participant = s.get(Participant, participant_id)
        if participant is None or participant.session_id != session_id:
            raise NotFound(f'no participant {participant_id} in this session')
        participant.removed = True
        s.add(participant)


class WrongCodes(Allowance):
    """Wrong codes per address: `burst` of them at once (people mistype), then one more every `refill` seconds.

    A code that is right costs nothing, so a whole hall behind one address joins however fast it presses Join. An
    address with no wrong codes left has no code looked up at all, right or wrong, until one comes back: answering
    a right code then would tell a guesser it is right. In any hour an address gets at most `burst + 3600 / refill`
    guesses (296 with the defaults; the old limit of 5 a minute gave 300).
    """

    def __init__(self, burst: int = 30, refill: float = 13.5, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(burst, refill, clock)

    def blocked(self, address: str) -> bool:
        """No wrong code left: look nothing up for this address."""
        return self.empty(address)

    def wrong(self, address: str) -> None:
        """A code of this address opened no session."""
        self.take(address)


join_throttle = WrongCodes()


class Pace(Allowance):
    """How fast one participant may change things (edit or delete what they sent, rate, vote, move their group's
    card): a burst, then one every few seconds. New notes have their own limits, counted in the database; this keeps
    a script on one phone from making every screen of the room redraw without pause."""

    def __init__(self, burst: int = 30, refill: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(burst, refill, clock)

    def spend(self, participant_id: int) -> None:
        if not self.take(participant_id):
            raise InputError(
                f'you are changing things very quickly; wait {self.wait_seconds(participant_id)} '
                'seconds, then try again'
            )


pace = Pace()


def reset() -> None:
    """Forget every address's wrong codes and every participant's pace (tests start from none)."""
    global join_throttle, pace
    join_throttle = WrongCodes()
    pace = Pace()


# --- settings and moderation ---------------------------------------------------------------------------------------


def set_options(
    session_id: int,
    *,
    allow_anonymous: bool | None = None,
    show_names: bool | None = None,
    show_on_projector: bool | None = None,
    input_locked: bool | None = None,
    votes_per_person: int | None = None,
) -> CardSession:
    """The facilitator's choices for the room."""
    if votes_per_person is not None and not 0 <= votes_per_person <= 20:
        raise InputError('votes per person must be between 0 and 20')
    with db.write() as s:
        session = _session(s, session_id)
        for name, value in (
            ('allow_anonymous', allow_anonymous),
            ('show_names', show_names),
            ('show_on_projector', show_on_projector),
            ('input_locked', input_locked),
            ('votes_per_person', votes_per_person),
        ):
            if value is not None:
                setattr(session, name, value)
        s.add(session)
        return session


def hide_note(note_id: int, hidden: bool = True) -> Note:
    with db.write() as s:
        note = s.get(Note, note_id)
        if note is None or note.deleted_at is not None:
            raise NotFound(f'no note {note_id}')
        note.hidden = hidden
        s.add(note)
        return note


def promote_note(note_id: int, *, term: str = 'short', who: str = '') -> Action:
    """Turn a note into an agreed action on the same card."""
    with db.read() as s:
        note = s.get(Note, note_id)
        if note is None or note.deleted_at is not None:
            raise NotFound(f'no note {note_id}')
    return add_action(
        session_id=note.session_id,
        what=note.text,
        term=term,
        who=who,
        card_id=note.card_id,
        status=ActionStatus.AGREED.value,
        client_key=f'promoted-{note.id}',
    )


# --- participant contributions -------------------------------------------------------------------------------------


def _sender(s: Session, token: str, *, lock: bool = True) -> tuple[Participant, CardSession]:
    """The participant of a token (row held for this transaction) and their session, if input is open."""
    participant = _participant(s, token, lock=lock)
    session = s.get(CardSession, participant.session_id)
    if session.input_locked:
        raise InputError('the facilitator has paused input for the moment')
    return participant, session


def _card_in_reach(s: Session, participant: Participant, session: CardSession, card_id: str) -> None:
    if participant.group_id is not None:
        group = s.get(WorkGroup, participant.group_id)
        if group is not None and card_id not in group.card_ids:
            raise InputError(f"card {card_id} is not one of your group's cards")
        if group is not None:
            return
    if card_id not in session.card_ids:
        raise InputError(f'card {card_id} is not in this session')


def _within_limits(s: Session, participant: Participant, *, card_id: str = '', action: bool = False) -> None:
    """Refuse a new note or proposed action over the participant's limits, saying when they may send again."""
    now = utcnow()
    since = now - timedelta(minutes=1)
    recent = []
    for model in (Note, Action):
        recent += s.exec(
            select(model.created_at).where(model.participant_id == participant.id, model.created_at >= since)
        ).all()
    if len(recent) >= SENT_PER_MINUTE:
        oldest = min(as_utc(t) for t in recent)
        wait = max(1, int((oldest + timedelta(minutes=1) - now).total_seconds() + 0.999))
        raise InputError(
            f'you have sent {len(recent)} things in the last minute, the most anyone can; '
            f'wait {wait} seconds, then send again (your text stays here)'
        )
    if action:
        sent = s.exec(select(func.count()).select_from(Action).where(Action.participant_id == participant.id)).one()
        if sent >= ACTIONS_PER_PERSON:
            raise InputError(
                f'you have proposed {sent} actions in this session, the most one person can; '
                'agree the rest with your group'
            )
    elif card_id:
        sent = s.exec(
            select(func.count()).select_from(Note).where(Note.participant_id == participant.id, Note.card_id == card_id)
        ).one()
        if sent >= NOTES_PER_CARD:
            raise InputError(
                f'you have sent {sent} notes about card {card_id}, the most one person can; '
                'add to one you sent, or talk it over with your group'
            )


def participant_note(
    token: str,
    *,
    card_id: str,
    text: str,
    kind: str = NoteKind.NOTE.value,
    stem: str = '',
    client_key: str | None = None,
) -> Note:
    """A note or coaching question from a participant, signed as the facilitator chose, tagged with them and their
    group, in one transaction. The same text sent again on the same card (its "Sent" was lost, say) is the note
    already stored, not a second one."""
    if kind not in (NoteKind.NOTE.value, NoteKind.QUESTION.value):
        raise InputError(f"the kind of note must be one of: note, question (got '{kind}')")
    what = 'The question' if kind == NoteKind.QUESTION.value else 'The note'
    text = _text(text, what, limit=PARTICIPANT_TEXT_MAX, required=True)
    with db.write() as s:
        participant, session = _sender(s, token)
        _card_in_reach(s, participant, session, card_id)
        sent = s.exec(
            select(Note).where(
                Note.participant_id == participant.id,
                Note.card_id == card_id,
                Note.kind == kind,
                Note.text == text,
                col(Note.deleted_at).is_(None),
            )
        ).first()
        if sent is not None:
            return sent
        _within_limits(s, participant, card_id=card_id)
        return new_note(
            s,
            session,
            card_id=card_id,
            text=text,
            kind=kind,
            stem=stem,
            author='' if participant.anonymous else participant.name,
            client_key=client_key,
            participant_id=participant.id,
            group_id=participant.group_id,
        )


def participant_action(
    token: str,
    *,
    what: str,
    term: str = 'short',
    who: str = '',
    resources: str = '',
    card_id: str = '',
    client_key: str | None = None,
) -> Action:
    """A proposed action from a participant, tagged with them and their group, in one transaction (sent again, it is
    the action already stored)."""
    clean = action_fields(
        {'what': what, 'term': term, 'who': who, 'resources': resources, 'status': ActionStatus.PROPOSED.value}
    )
    if len(clean['what']) > PARTICIPANT_TEXT_MAX:
        raise InputError(
            f'What needs doing is {len(clean["what"]):,} characters long; the limit is {PARTICIPANT_TEXT_MAX:,}'
        )
    with db.write() as s:
        participant, session = _sender(s, token)
        if card_id:
            _card_in_reach(s, participant, session, card_id)
        sent = s.exec(
            select(Action).where(
                Action.participant_id == participant.id,
                Action.card_id == card_id,
                Action.what == clean['what'],
                col(Action.deleted_at).is_(None),
            )
        ).first()
        if sent is not None:
            return sent
        _within_limits(s, participant, action=True)
        return new_action(
            s,
            session,
            clean,
            card_id=card_id,
            client_key=client_key,
            participant_id=participant.id,
            group_id=participant.group_id,
        )


def sent_under_key(token: str, client_key: str) -> Note | Action | None:
    """The participant's note or proposed action stored under a client key, if there is one."""
    with db.read() as s:
        participant = _participant(s, token)
        for model in (Note, Action):
            found = s.exec(
                select(model).where(
                    model.session_id == participant.session_id,
                    model.client_key == client_key,
                    model.participant_id == participant.id,
                )
            ).first()
            if found is not None:
                return found
    return None


def own_note(token: str, note_id: int) -> Note:
    """A note the participant wrote (anything else is refused)."""
    with db.read() as s:
        return _own_note(s, _participant(s, token), note_id)


def _own_note(s: Session, participant: Participant, note_id: int) -> Note:
    note = s.get(Note, note_id)
    if note is None or note.deleted_at is not None or note.participant_id != participant.id:
        raise NotFound(f'no note {note_id} of yours')
    return note


def edit_own_note(token: str, note_id: int, text: str) -> Note:
    text = _text(text, 'The note', limit=PARTICIPANT_TEXT_MAX, required=True)
    with db.write() as s:
        participant, _session = _sender(s, token)
        note = _own_note(s, participant, note_id)
        pace.spend(participant.id)
        note.text, note.updated_at = text, utcnow()
        s.add(note)
        return note


def delete_own_note(token: str, note_id: int) -> Note:
    with db.write() as s:
        participant = _participant(s, token, lock=True)
        note = _own_note(s, participant, note_id)
        pace.spend(participant.id)
        note.deleted_at = utcnow()
        s.add(note)
        return note


def participant_rating(token: str, *, card_id: str, item_key: str, rating: int | None, evidence: str = '') -> Note:
    """A participant's evidence rating of a checklist item (one per item for their group, or the room), signed."""
    from cardkit.sessions import rate_item

    with db.read() as s:
        participant, session = _sender(s, token, lock=False)
        _card_in_reach(s, participant, session, card_id)
    pace.spend(participant.id)
    return rate_item(
        session_id=session.id,
        card_id=card_id,
        item_key=item_key,
        rating=rating,
        evidence=evidence,
        author='' if participant.anonymous else participant.name,
        group_id=participant.group_id,
    )


def my_notes(token: str) -> list[Note]:
    with db.read() as s:
        participant = _participant(s, token)
        return list(
            s.exec(
                select(Note)
                .where(Note.participant_id == participant.id, col(Note.deleted_at).is_(None))
                .order_by(Note.id)
            ).all()
        )


# --- voting --------------------------------------------------------------------------------------------------------


def vote(token: str, action_id: int) -> int:
    """Put one of the participant's dots on a proposed action; returns the votes they have left.

    The count and the new vote are one transaction that holds the participant's row (SQLite's write lock does the
    same), so simultaneous votes are counted one after another and never pass the limit."""
    with db.write() as s:
        participant = _participant(s, token, lock=True)
        session = s.get(CardSession, participant.session_id)
        action = s.get(Action, action_id)
        if action is None or action.session_id != session.id or action.deleted_at is not None:
            raise NotFound(f'no action {action_id} in this session')
        if s.exec(select(Vote).where(Vote.action_id == action_id, Vote.participant_id == participant.id)).first():
            raise InputError('you have already voted for this action')
        used = s.exec(select(func.count()).select_from(Vote).where(Vote.participant_id == participant.id)).one()
        if used >= session.votes_per_person:
            raise InputError(f'you have used all {session.votes_per_person} of your votes')
        pace.spend(participant.id)
        s.add(Vote(action_id=action_id, participant_id=participant.id))
        try:
            s.flush()
        except IntegrityError:
            raise InputError('you have already voted for this action') from None
        return session.votes_per_person - used - 1


def unvote(token: str, action_id: int) -> None:
    with db.write() as s:
        participant = _participant(s, token, lock=True)
        found = s.exec(select(Vote).where(Vote.action_id == action_id, Vote.participant_id == participant.id)).first()
        if found is None:
            raise NotFound('you have not voted for that action')
        pace.spend(participant.id)
        s.delete(found)


def my_votes(token: str) -> set[int]:
    """The ids of the actions the participant has put a dot on."""
    with db.read() as s:
        participant = _participant(s, token)
        return set(s.exec(select(Vote.action_id).where(Vote.participant_id == participant.id)).all())


def vote_counts(session_id: int) -> dict[int, int]:
    """Votes per action id."""
    with db.read() as s:
        rows = s.exec(
            select(Vote.action_id, func.count())
            .join(Action, Action.id == Vote.action_id)
            .where(Action.session_id == session_id)
            .group_by(Vote.action_id)
        ).all()
    return dict(rows)


# --- groups --------------------------------------------------------------------------------------------------------


def groups(session_id: int) -> list[WorkGroup]:
    with db.read() as s:
        return list(
            s.exec(
                select(WorkGroup).where(WorkGroup.session_id == session_id).order_by(WorkGroup.position, WorkGroup.id)
            ).all()
        )


def group_by_id(group_id: int) -> WorkGroup:
    with db.read() as s:
        group = s.get(WorkGroup, group_id)
    if group is None:
        raise NotFound(f'no group {group_id}')
    return group


def create_group(session_id: int, name: str, card_ids: list[str] | None = None) -> WorkGroup:
    """A group by hand, with its cards (default: every card of the session)."""
    name = _text(name, 'The group name', limit=SHORT_MAX, required=True)
    session = get_session(session_id)
    cards = _checked_cards(session, card_ids)
    with db.write() as s:
        position = (
            s.exec(select(func.max(WorkGroup.position)).where(WorkGroup.session_id == session_id)).one() or 0
        ) + 1
        group = WorkGroup(session_id=session_id, name=name, card_ids=cards, position=position)
        s.add(group)
        return group


def _checked_cards(session: CardSession, card_ids: list[str] | None) -> list[str]:
    if not card_ids:
        return list(session.card_ids)
    unknown = [c for c in card_ids if c not in session.card_ids]
    if unknown:
        raise InputError(f'card(s) {", ".join(unknown)} are not in this session')
    return list(dict.fromkeys(card_ids))


def assign_cards(group_id: int, card_ids: list[str]) -> WorkGroup:
    group = group_by_id(group_id)
    cards = _checked_cards(get_session(group.session_id), card_ids)
    with db.write() as s:
        stored = s.get(WorkGroup, group_id)
        stored.card_ids, stored.current_index, stored.flipped = cards, 0, False
        s.add(stored)
        return stored


def assign_themes(group_id: int, theme_numbers: list[int]) -> WorkGroup:
    """Give a group the cards of some strategic issues."""
    group = group_by_id(group_id)
    session = get_session(group.session_id)
    deck = deck_of(session)
    missing = [n for n in theme_numbers if n not in session.theme_numbers]
    if missing:
        raise InputError(f'theme(s) {", ".join(map(str, missing))} are not in this session')
    return assign_cards(group_id, [c.id for n in theme_numbers for c in deck.theme(n).cards])


def split_room(session_id: int, max_size: int = 4, *, by_theme: bool = False) -> list[WorkGroup]:
    """Split everyone present into the fewest groups of at most max_size; optionally one theme per group in turn."""
    if not 1 <= max_size <= MAX_GROUP_SIZE:
        raise InputError(f'a group has between 1 and {MAX_GROUP_SIZE} people')
    people = participants(session_id)
    if not people:
        raise InputError('nobody has joined yet, so there is nobody to split into groups')
    session = get_session(session_id)
    count = -(-len(people) // max_size)
    deck = deck_of(session)
    created = []
    with db.write() as s:
        for index in range(count):
            cards = list(session.card_ids)
            if by_theme:
                number = session.theme_numbers[index % len(session.theme_numbers)]
                cards = [c.id for c in deck.theme(number).cards]
            group = WorkGroup(session_id=session_id, name=f'Group {index + 1}', card_ids=cards, position=index + 1)
            s.add(group)
            created.append(group)
        s.flush()
        for index, person in enumerate(people):  # round robin keeps sizes within one of each other
            stored = s.get(Participant, person.id)
            stored.group_id = created[index % count].id
            s.add(stored)
        session_row = s.get(CardSession, session_id)
        session_row.phase = 'groups'
        s.add(session_row)
    return groups(session_id)


def move_to_group(participant_id: int, group_id: int | None) -> Participant:
    with db.write() as s:
        participant = s.get(Participant, participant_id)
        if participant is None:
            raise NotFound(f'no participant {participant_id}')
        if group_id is not None:
            group = s.get(WorkGroup, group_id)
            if group is None or group.session_id != participant.session_id:
                raise NotFound(f'no group {group_id} in this session')
        participant.group_id = group_id
        s.add(participant)
        return participant


def group_step(token: str, delta: int = 0, *, flip: bool | None = None, index: int | None = None) -> WorkGroup:
    """A group member moves their group's card (groups work at their own pace)."""
    with db.write() as s:
        participant = _participant(s, token, lock=True)
        if participant.group_id is None:
            raise InputError('you are not in a group; the facilitator leads the cards')
        pace.spend(participant.id)
        group = s.get(WorkGroup, participant.group_id)
        if flip is not None:
            group.flipped = flip
        else:
            target = group.current_index + delta if index is None else index
            group.current_index = max(0, min(target, len(group.card_ids) - 1))
            group.flipped = False
        s.add(group)
        return group


def set_phase(session_id: int, phase: str) -> CardSession:
    if phase not in ('cards', 'groups', 'plenary'):
        raise InputError('the phase is one of: cards, groups, plenary')
    with db.write() as s:
        session = _session(s, session_id)
        session.phase = phase
        s.add(session)
        return session


@dataclass
class GroupProgress:
    group: WorkGroup
    members: list[str]
    notes: int
    actions: int


def progress(session_id: int) -> list[GroupProgress]:
    """Each group's card, members and contributions, for the facilitator watching the room."""
    session = get_session(session_id)
    people = participants(session_id)
    with db.read() as s:
        note_counts = dict(
            s.exec(
                select(Note.group_id, func.count())
                .where(Note.session_id == session_id, col(Note.deleted_at).is_(None))
                .group_by(Note.group_id)
            ).all()
        )
        action_counts = dict(
            s.exec(
                select(Action.group_id, func.count())
                .where(Action.session_id == session_id, col(Action.deleted_at).is_(None))
                .group_by(Action.group_id)
            ).all()
        )
    return [
        GroupProgress(
            g,
            [display_name(p, session) for p in people if p.group_id == g.id],
            note_counts.get(g.id, 0),
            action_counts.get(g.id, 0),
        )
        for g in groups(session_id)
    ]


@dataclass
class PlenaryCard:
    card_id: str
    by_group: dict[str, list[Note]]


def plenary(session_id: int) -> list[PlenaryCard]:
    """Per card in play, each group's visible notes side by side (merged duplicates left out)."""
    session = get_session(session_id)
    names = {g.id: g.name for g in groups(session_id)}
    with db.read() as s:
        rows = s.exec(
            select(Note)
            .where(
                Note.session_id == session_id,
                col(Note.deleted_at).is_(None),
                col(Note.hidden).is_(False),
                col(Note.merged_into).is_(None),
            )
            .order_by(Note.position, Note.id)
        ).all()
    result = []
    for card_id in session.card_ids:
        by_group: dict[str, list[Note]] = {}
        for note in rows:
            if note.card_id == card_id:
                by_group.setdefault(names.get(note.group_id, 'Whole room'), []).append(note)
        if by_group:
            result.append(PlenaryCard(card_id, by_group))
    return result


def merge_notes(keep_id: int, duplicate_ids: list[int]) -> Note:
    """Fold duplicate notes into one: the duplicates are kept but shown as part of the note kept."""
    with db.write() as s:
        keep = s.get(Note, keep_id)
        if keep is None or keep.deleted_at is not None:
            raise NotFound(f'no note {keep_id}')
        for duplicate_id in duplicate_ids:
            duplicate = s.get(Note, duplicate_id)
            if duplicate is None or duplicate.session_id != keep.session_id or duplicate_id == keep_id:
                raise InputError(f'note {duplicate_id} cannot be merged into note {keep_id}')
            duplicate.merged_into = keep_id
            s.add(duplicate)
        return keep
