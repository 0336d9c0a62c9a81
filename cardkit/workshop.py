"""Live workshop use cases: joining by code, participants, moderation, voting, breakout groups and the plenary.

Like sessions.py, every function works in the transaction it is given (`*, db`), validates its input, raises
InputError (a message for the user), NotFound or ParticipantGone, and records what it changed. Participant-facing
functions take the participant's token and check that the participant may do what is asked, so a forged request
cannot act for someone else.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cardkit.allowance import Allowance
from cardkit.changes import How, What, record
from cardkit.errors import InputError, NotFound, ParticipantGone
from cardkit.models import (
    SHORT_MAX,
    Action,
    ActionStatus,
    CardSession,
    Note,
    NoteKind,
    Participant,
    Phase,
    Status,
    Vote,
    WorkGroup,
    as_utc,
    utcnow,
)
from cardkit.sessions import (
    _text,
    action_fields,
    actions,
    add_action,
    deck_of,
    get_session,
    new_action,
    new_note,
    note_changed,
    notes,
    rate_item,
)
from cardkit.text import clean_name

CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'  # no 0/O, 1/I/L
CODE_LENGTH = 6
MAX_GROUP_SIZE = 50
PARTICIPANT_TEXT_MAX = 2000  # a note, question or proposed action sent from a phone
SENT_PER_MINUTE = 10  # notes, questions and proposed actions one participant may send in any minute
NOTES_PER_CARD = 30  # notes and questions one participant may send about one card
ACTIONS_PER_PERSON = 30  # proposed actions one participant may send in a session


# --- joining -------------------------------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    """A typed code as stored: upper case, without the spaces and dashes people add when reading it out."""
    return code.upper().replace(' ', '').replace('-', '').strip()


def open_joining(*, db: Session, session_id: int) -> CardSession:
    """Let participants join: give the session a join code (kept while it stays open)."""
    session = _session(db, session_id)
    if session.status == Status.CLOSED:
        raise InputError('this session is closed; reopen it first')
    if not session.join_code:
        while True:
            code = ''.join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if db.exec(select(CardSession.id).where(CardSession.join_code == code)).first() is None:
                break
        session.join_code = code
    session.updated_at = utcnow()
    db.add(session)
    record(db, session_id, What.ROOM)
    return session


def close_joining(*, db: Session, session_id: int) -> CardSession:
    """Stop admitting participants: the code stops working (those already in stay)."""
    session = _session(db, session_id)
    session.join_code = None
    db.add(session)
    record(db, session_id, What.ROOM)
    return session


def close_session(*, db: Session, session_id: int) -> CardSession:
    """End the session: the join code stops working and participants can no longer send anything."""
    session = _session(db, session_id)
    session.join_code = None
    session.status = Status.CLOSED.value
    db.add(session)
    record(db, session_id, What.ROOM)
    return session


def _session(db: Session, session_id: int) -> CardSession:
    return get_session(db=db, session_id=session_id)


def session_for_code(*, db: Session, code: str) -> CardSession:
    """The open session with this join code."""
    code = normalise_code(code)
    if not code or len(code) > 12:
        raise NotFound('no session has that code')
    session = db.exec(select(CardSession).where(CardSession.join_code == code)).first()
    if session is None or session.status == Status.CLOSED:
        raise NotFound('no session has that code')
    return session


class Throttled(Exception):
    """Too many wrong codes from this address for the moment."""


@dataclass
class Found:
    """The outcome of looking up a code: the session, or None for an unknown or closed code."""

    code: str
    session: CardSession | None


def look_up_code(*, db: Session, code: str, address: str) -> Found:
    """The open session for a code typed at an address; a code that opens none counts against the address, and an
    address with no wrong codes left has nothing looked up (Throttled)."""
    code = normalise_code(code)
    throttle = join_throttle
    if throttle.blocked(address):
        raise Throttled(f'Too many attempts; try again in {throttle.wait_seconds(address)} seconds')
    try:
        session = session_for_code(db=db, code=code)
    except NotFound:
        throttle.wrong(address)
        return Found(code, None)
    return Found(code, session)


def join(
    *, db: Session, code: str, name: str = '', role: str = '', organisation: str = '', anonymous: bool = False
) -> Participant:
    """Join an open session by its code; returns the participant with the token that brings them back."""
    session = session_for_code(db=db, code=code)
    name = clean_name(_text(name, 'Your name', limit=SHORT_MAX, field='name'))
    if anonymous and not session.allow_anonymous:
        raise InputError('the facilitator asks everyone to give a name in this session', field='anonymous')
    if not anonymous and not name:
        raise InputError('Your name is empty; type your name, or join anonymously', field='name')
    participant = Participant(
        session_id=session.id,
        name='' if anonymous else name,
        anonymous=anonymous,
        role=clean_name(_text(role, 'Your role', limit=SHORT_MAX, field='role')),
        organisation=clean_name(_text(organisation, 'Your organisation', limit=SHORT_MAX, field='organisation')),
        token=secrets.token_urlsafe(24),
    )
    db.add(participant)
    db.flush()
    record(db, session.id, What.PEOPLE, participant_id=participant.id)
    return participant


def participant_for_token(*, db: Session, token: str) -> Participant:
    """The participant this token belongs to, if they were not removed and their session is still open."""
    return _participant(db, token)


def _participant(db: Session, token: str, *, lock: bool = False) -> Participant:
    """The participant of a token; with `lock`, their row is held until it commits, so one
    participant's simultaneous requests (votes, notes) are counted one after another (SQLite's write lock does the
    same for every write)."""
    if not token or not isinstance(token, str) or len(token) > 64:
        raise ParticipantGone('not a participant')
    query = select(Participant).where(Participant.token == token)
    participant = db.exec(query.with_for_update() if lock else query).first()
    if participant is None or participant.removed:
        raise ParticipantGone('not a participant')
    session = db.get(CardSession, participant.session_id)
    if session is None or session.status == Status.CLOSED:
        raise ParticipantGone('this session has ended')
    return participant


def display_name(participant: Participant | None, session: CardSession) -> str:
    """How a participant's contributions are signed, as the facilitator has chosen."""
    if participant is None or participant.anonymous or not session.show_names:
        return 'Anonymous'
    return participant.name


def participants(*, db: Session, session_id: int) -> list[Participant]:
    return list(
        db.exec(
            select(Participant)
            .where(Participant.session_id == session_id, col(Participant.removed).is_(False))
            .order_by(Participant.id)
        ).all()
    )


def remove_participant(*, db: Session, session_id: int, participant_id: int) -> None:
    """Take someone out of the session: their token stops working; what they sent stays."""
    participant = db.get(Participant, participant_id)
    if participant is None or participant.session_id != session_id:
        raise NotFound(f'no participant {participant_id} in this session')
    participant.removed = True
    db.add(participant)
    record(db, session_id, What.PEOPLE, participant_id=participant_id)


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
    *,
    db: Session,
    session_id: int,
    allow_anonymous: bool | None = None,
    show_names: bool | None = None,
    show_on_projector: bool | None = None,
    input_locked: bool | None = None,
    votes_per_person: int | None = None,
) -> CardSession:
    """The facilitator's choices for the room."""
    if votes_per_person is not None and not 0 <= votes_per_person <= 20:
        raise InputError('votes per person must be between 0 and 20', field='votes_per_person')
    session = _session(db, session_id)
    for name, value in (
        ('allow_anonymous', allow_anonymous),
        ('show_names', show_names),
        ('show_on_projector', show_on_projector),
        ('input_locked', input_locked),
        ('votes_per_person', votes_per_person),
    ):
        if value is not None:
            setattr(session, name, value)
    db.add(session)
    record(db, session_id, What.ROOM)
    return session


def hide_note(*, db: Session, note_id: int, hidden: bool = True) -> Note:
    note = db.get(Note, note_id)
    if note is None or note.deleted_at is not None:
        raise NotFound(f'no note {note_id}')
    note.hidden = hidden
    db.add(note)
    record(db, note.session_id, What.NOTES, card_id=note.card_id)
    return note


def promote_note(*, db: Session, note_id: int, term: str = 'short', who: str = '') -> Action:
    """Turn a note into an agreed action on the same card."""
    note = db.get(Note, note_id)
    if note is None or note.deleted_at is not None:
        raise NotFound(f'no note {note_id}')
    return add_action(
        db=db,
        session_id=note.session_id,
        what=note.text,
        term=term,
        who=who,
        card_id=note.card_id,
        status=ActionStatus.AGREED.value,
        client_key=f'promoted-{note.id}',
    )


# --- participant contributions -------------------------------------------------------------------------------------


def _sender(db: Session, token: str, *, lock: bool = True) -> tuple[Participant, CardSession]:
    """The participant of a token (row held for this transaction) and their session, if input is open."""
    participant = _participant(db, token, lock=lock)
    session = db.get(CardSession, participant.session_id)
    if session.input_locked:
        raise InputError('the facilitator has paused input for the moment')
    return participant, session


def _card_in_reach(db: Session, participant: Participant, session: CardSession, card_id: str) -> None:
    if participant.group_id is not None:
        group = db.get(WorkGroup, participant.group_id)
        if group is not None and card_id not in group.card_ids:
            raise InputError(f"card {card_id} is not one of your group's cards", field='card_id')
        if group is not None:
            return
    if card_id not in session.card_ids:
        raise InputError(f'card {card_id} is not in this session', field='card_id')


def _within_limits(db: Session, participant: Participant, *, card_id: str = '', action: bool = False) -> None:
    """Refuse a new note or proposed action over the participant's limits, saying when they may send again."""
    now = utcnow()
    since = now - timedelta(minutes=1)
    recent = []
    for model in (Note, Action):
        recent += db.exec(
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
        sent = db.exec(select(func.count()).select_from(Action).where(Action.participant_id == participant.id)).one()
        if sent >= ACTIONS_PER_PERSON:
            raise InputError(
                f'you have proposed {sent} actions in this session, the most one person can; '
                'agree the rest with your group'
            )
    elif card_id:
        sent = db.exec(
            select(func.count()).select_from(Note).where(Note.participant_id == participant.id, Note.card_id == card_id)
        ).one()
        if sent >= NOTES_PER_CARD:
            raise InputError(
                f'you have sent {sent} notes about card {card_id}, the most one person can; '
                'add to one you sent, or talk it over with your group'
            )


_WORDS = re.compile(r'[^\W_]+')  # letters and digits of any script, one run per word


def _question_words(text: str, stems: list[str]) -> list[str]:
    """The words of a participant's question; one that is nothing but starters ('How', 'How…', 'how ?') asks nothing
    and is refused."""
    words = _WORDS.findall(text.lower())
    stem_words = {word for stem in stems for word in _WORDS.findall(stem.lower())}
    if words and all(word in stem_words for word in words):
        starter = text.strip(' \t\n.,;:!?…-–—')
        raise InputError(
            f'the question is only its starter, “{starter}”: finish asking it first (your text stays here)',
            field='text',
        )
    return words


def _stem_used(words: list[str], stems: list[str]) -> str:
    """The first of the deck's stems the question's words use, or ''."""
    for at in range(len(words)):
        for stem in stems:
            wanted = _WORDS.findall(stem.lower())
            if wanted and words[at : at + len(wanted)] == wanted:
                return stem.lower()
    return ''


def _no_starter(stems: list[str]) -> InputError:
    return InputError(
        f'a coaching question starts with one of: {", ".join(s.lower() for s in stems)}; '
        'add one to your question (your text stays here)',
        field='text',
    )


def question_stem(text: str, stems: list[str], chosen: str = '') -> str:
    """The coaching stem a participant's question is filed under: the one chosen, else the first of the deck's stems
    the question uses. A question that is nothing but starters is refused, whatever was chosen; so is one that uses
    no starter at all, when none was chosen."""
    words = _question_words(text, stems)
    stem = chosen.strip().lower() or _stem_used(words, stems)
    if not stem:
        raise _no_starter(stems)
    return stem


def participant_note(
    *,
    db: Session,
    token: str,
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
    participant, session = _sender(db, token)
    _card_in_reach(db, participant, session, card_id)
    if kind == NoteKind.QUESTION.value:
        stem = question_stem(text, deck_of(db=db, session=session).stems(), stem)
    sent = db.exec(
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
    _within_limits(db, participant, card_id=card_id)
    return new_note(
        db=db,
        session=session,
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
    *,
    db: Session,
    token: str,
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
    participant, session = _sender(db, token)
    if card_id:
        _card_in_reach(db, participant, session, card_id)
    sent = db.exec(
        select(Action).where(
            Action.participant_id == participant.id,
            Action.card_id == card_id,
            Action.what == clean['what'],
            col(Action.deleted_at).is_(None),
        )
    ).first()
    if sent is not None:
        return sent
    _within_limits(db, participant, action=True)
    return new_action(
        db=db,
        session=session,
        clean=clean,
        card_id=card_id,
        client_key=client_key,
        participant_id=participant.id,
        group_id=participant.group_id,
    )


def sent_under_key(*, db: Session, token: str, client_key: str) -> Note | Action | None:
    """The participant's note or proposed action stored under a client key, if there is one."""
    participant = _participant(db, token)
    for model in (Note, Action):
        found = db.exec(
            select(model).where(
                model.session_id == participant.session_id,
                model.client_key == client_key,
                model.participant_id == participant.id,
            )
        ).first()
        if found is not None:
            return found
    return None


def own_note(*, db: Session, token: str, note_id: int) -> Note:
    """A note the participant wrote (anything else is refused)."""
    return _own_note(db, _participant(db, token), note_id)


def _own_note(db: Session, participant: Participant, note_id: int) -> Note:
    note = db.get(Note, note_id)
    if note is None or note.deleted_at is not None or note.participant_id != participant.id:
        raise NotFound(f'no note {note_id} of yours')
    return note


def edit_own_note(*, db: Session, token: str, note_id: int, text: str) -> Note:
    text = _text(text, 'The note', limit=PARTICIPANT_TEXT_MAX, required=True)
    participant, session = _sender(db, token)
    note = _own_note(db, participant, note_id)
    stem = note.stem
    if note.kind == NoteKind.QUESTION.value:
        stems = deck_of(db=db, session=session).stems()
        # the question may now start another way; one that uses no starter keeps its stem
        stem = _stem_used(_question_words(text, stems), stems) or (note.stem or '').strip().lower()
        if not stem:
            raise _no_starter(stems)
    pace.spend(participant.id)
    note.text, note.stem, note.updated_at = text, stem, utcnow()
    db.add(note)
    note_changed(db, note, How.CHANGED)
    return note


def delete_own_note(*, db: Session, token: str, note_id: int) -> Note:
    participant = _participant(db, token, lock=True)
    note = _own_note(db, participant, note_id)
    pace.spend(participant.id)
    note.deleted_at = utcnow()
    db.add(note)
    note_changed(db, note, How.REMOVED)
    return note


def participant_rating(
    *, db: Session, token: str, card_id: str, item_key: str, rating: int | None, evidence: str = ''
) -> Note:
    """A participant's evidence rating of a checklist item (one per item for their group, or the room), signed."""
    participant, session = _sender(db, token, lock=False)
    _card_in_reach(db, participant, session, card_id)
    pace.spend(participant.id)
    return rate_item(
        db=db,
        session_id=session.id,
        card_id=card_id,
        item_key=item_key,
        rating=rating,
        evidence=evidence,
        author='' if participant.anonymous else participant.name,
        group_id=participant.group_id,
    )


def my_notes(*, db: Session, token: str) -> list[Note]:
    participant = _participant(db, token)
    return list(
        db.exec(
            select(Note).where(Note.participant_id == participant.id, col(Note.deleted_at).is_(None)).order_by(Note.id)
        ).all()
    )


# --- voting --------------------------------------------------------------------------------------------------------


def vote(*, db: Session, token: str, action_id: int) -> int:
    """Put one of the participant's dots on a proposed action; returns the votes they have left.

    The count and the new vote are one transaction that holds the participant's row (SQLite's write lock does the
    same), so simultaneous votes are counted one after another and never pass the limit."""
    participant = _participant(db, token, lock=True)
    session = db.get(CardSession, participant.session_id)
    action = db.get(Action, action_id)
    if action is None or action.session_id != session.id or action.deleted_at is not None:
        raise NotFound(f'no action {action_id} in this session')
    if db.exec(select(Vote).where(Vote.action_id == action_id, Vote.participant_id == participant.id)).first():
        raise InputError('you have already voted for this action')
    used = db.exec(select(func.count()).select_from(Vote).where(Vote.participant_id == participant.id)).one()
    if used >= session.votes_per_person:
        raise InputError(f'you have used all {session.votes_per_person} of your votes')
    pace.spend(participant.id)
    db.add(Vote(action_id=action_id, participant_id=participant.id))
    try:
        db.flush()
    except IntegrityError:
        raise InputError('you have already voted for this action') from None
    record(db, session.id, What.VOTES, participant_id=participant.id)
    return session.votes_per_person - used - 1


def unvote(*, db: Session, token: str, action_id: int) -> None:
    participant = _participant(db, token, lock=True)
    found = db.exec(select(Vote).where(Vote.action_id == action_id, Vote.participant_id == participant.id)).first()
    if found is None:
        raise NotFound('you have not voted for that action')
    pace.spend(participant.id)
    db.delete(found)
    record(db, participant.session_id, What.VOTES, participant_id=participant.id)


def my_votes(*, db: Session, token: str) -> set[int]:
    """The ids of the actions the participant has put a dot on."""
    participant = _participant(db, token)
    return set(db.exec(select(Vote.action_id).where(Vote.participant_id == participant.id)).all())


def vote_counts(*, db: Session, session_id: int) -> dict[int, int]:
    """Votes per action id."""
    rows = db.exec(
        select(Vote.action_id, func.count())
        .join(Action, Action.id == Vote.action_id)
        .where(Action.session_id == session_id)
        .group_by(Vote.action_id)
    ).all()
    return dict(rows)


# --- groups --------------------------------------------------------------------------------------------------------


def groups(*, db: Session, session_id: int) -> list[WorkGroup]:
    return list(
        db.exec(
            select(WorkGroup).where(WorkGroup.session_id == session_id).order_by(WorkGroup.position, WorkGroup.id)
        ).all()
    )


def group_by_id(*, db: Session, group_id: int) -> WorkGroup:
    group = db.get(WorkGroup, group_id)
    if group is None:
        raise NotFound(f'no group {group_id}')
    return group


def create_group(*, db: Session, session_id: int, name: str, card_ids: list[str] | None = None) -> WorkGroup:
    """A group by hand, with its cards (default: every card of the session)."""
    name = _text(name, 'The group name', limit=SHORT_MAX, required=True, field='name')
    session = get_session(db=db, session_id=session_id)
    cards = _checked_cards(session, card_ids)
    position = (db.exec(select(func.max(WorkGroup.position)).where(WorkGroup.session_id == session_id)).one() or 0) + 1
    group = WorkGroup(session_id=session_id, name=name, card_ids=cards, position=position)
    db.add(group)
    record(db, session_id, What.GROUPS)
    return group


def _checked_cards(session: CardSession, card_ids: list[str] | None) -> list[str]:
    if not card_ids:
        return list(session.card_ids)
    unknown = [c for c in card_ids if c not in session.card_ids]
    if unknown:
        raise InputError(f'card(s) {", ".join(unknown)} are not in this session', field='card_ids')
    return list(dict.fromkeys(card_ids))


def assign_cards(*, db: Session, group_id: int, card_ids: list[str]) -> WorkGroup:
    group = group_by_id(db=db, group_id=group_id)
    cards = _checked_cards(get_session(db=db, session_id=group.session_id), card_ids)
    group.card_ids, group.current_index, group.flipped = cards, 0, False
    db.add(group)
    record(db, group.session_id, What.GROUPS)
    return group


def assign_themes(*, db: Session, group_id: int, theme_numbers: list[int]) -> WorkGroup:
    """Give a group the cards of some strategic issues."""
    group = group_by_id(db=db, group_id=group_id)
    session = get_session(db=db, session_id=group.session_id)
    deck = deck_of(db=db, session=session)
    missing = [n for n in theme_numbers if n not in session.theme_numbers]
    if missing:
        raise InputError(f'theme(s) {", ".join(map(str, missing))} are not in this session', field='theme_numbers')
    cards = [c.id for n in theme_numbers for c in deck.theme(n).cards]
    return assign_cards(db=db, group_id=group_id, card_ids=cards)


def split_room(*, db: Session, session_id: int, max_size: int = 4, by_theme: bool = False) -> list[WorkGroup]:
    """Split everyone present into the fewest groups of at most max_size; optionally one theme per group in turn."""
    if not 1 <= max_size <= MAX_GROUP_SIZE:
        raise InputError(f'a group has between 1 and {MAX_GROUP_SIZE} people', field='max_size')
    people = participants(db=db, session_id=session_id)
    if not people:
        raise InputError('nobody has joined yet, so there is nobody to split into groups')
    session = get_session(db=db, session_id=session_id)
    count = -(-len(people) // max_size)
    deck = deck_of(db=db, session=session)
    created = []
    for index in range(count):
        cards = list(session.card_ids)
        if by_theme:
            number = session.theme_numbers[index % len(session.theme_numbers)]
            cards = [c.id for c in deck.theme(number).cards]
        group = WorkGroup(session_id=session_id, name=f'Group {index + 1}', card_ids=cards, position=index + 1)
        db.add(group)
        created.append(group)
    db.flush()
    for index, person in enumerate(people):  # round robin keeps sizes within one of each other
        stored = db.get(Participant, person.id)
        stored.group_id = created[index % count].id
        db.add(stored)
    session.phase = Phase.GROUPS.value
    db.add(session)
    db.flush()
    for what in (What.GROUPS, What.PEOPLE, What.ROOM):
        record(db, session_id, what)
    return groups(db=db, session_id=session_id)


def move_to_group(*, db: Session, participant_id: int, group_id: int | None) -> Participant:
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise NotFound(f'no participant {participant_id}')
    if group_id is not None:
        group = db.get(WorkGroup, group_id)
        if group is None or group.session_id != participant.session_id:
            raise NotFound(f'no group {group_id} in this session')
    participant.group_id = group_id
    db.add(participant)
    record(db, participant.session_id, What.PEOPLE, participant_id=participant_id)
    return participant


def group_step(
    *, db: Session, token: str, delta: int = 0, flip: bool | None = None, index: int | None = None
) -> WorkGroup:
    """A group member moves their group's card (groups work at their own pace)."""
    participant = _participant(db, token, lock=True)
    if participant.group_id is None:
        raise InputError('you are not in a group; the facilitator leads the cards')
    pace.spend(participant.id)
    group = db.get(WorkGroup, participant.group_id)
    if flip is not None:
        group.flipped = flip
    else:
        target = group.current_index + delta if index is None else index
        group.current_index = max(0, min(target, len(group.card_ids) - 1))
        group.flipped = False
    db.add(group)
    record(db, group.session_id, What.PROGRESS, card_id=group.card_ids[group.current_index] if group.card_ids else '')
    return group


def set_phase(*, db: Session, session_id: int, phase: str) -> CardSession:
    if phase not in [p.value for p in Phase]:
        raise InputError('the phase is one of: cards, groups, plenary', field='phase')
    session = _session(db, session_id)
    session.phase = phase
    db.add(session)
    record(db, session_id, What.ROOM)
    return session


@dataclass
class GroupProgress:
    group: WorkGroup
    members: list[str]
    notes: int
    actions: int


def progress(*, db: Session, session_id: int) -> list[GroupProgress]:
    """Each group's card, members and contributions, for the facilitator watching the room."""
    session = get_session(db=db, session_id=session_id)
    people = participants(db=db, session_id=session_id)
    note_counts = dict(
        db.exec(
            select(Note.group_id, func.count())
            .where(Note.session_id == session_id, col(Note.deleted_at).is_(None))
            .group_by(Note.group_id)
        ).all()
    )
    action_counts = dict(
        db.exec(
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
        for g in groups(db=db, session_id=session_id)
    ]


@dataclass
class PlenaryCard:
    card_id: str
    by_group: dict[str, list[Note]]


def plenary(*, db: Session, session_id: int) -> list[PlenaryCard]:
    """Per card in play, each group's visible notes side by side (merged duplicates left out)."""
    session = get_session(db=db, session_id=session_id)
    names = {g.id: g.name for g in groups(db=db, session_id=session_id)}
    rows = db.exec(
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


def merge_notes(*, db: Session, keep_id: int, duplicate_ids: list[int]) -> Note:
    """Fold duplicate notes into one: the duplicates are kept but shown as part of the note kept."""
    keep = db.get(Note, keep_id)
    if keep is None or keep.deleted_at is not None:
        raise NotFound(f'no note {keep_id}')
    for duplicate_id in duplicate_ids:
        duplicate = db.get(Note, duplicate_id)
        if duplicate is None or duplicate.session_id != keep.session_id or duplicate_id == keep_id:
            raise InputError(f'note {duplicate_id} cannot be merged into note {keep_id}')
        duplicate.merged_into = keep_id
        db.add(duplicate)
    record(db, keep.session_id, What.NOTES, card_id=keep.card_id)
    return keep


# --- what the room reads -------------------------------------------------------------------------------------------


@dataclass
class RoomPeople:
    """Who is here, the groups' names, and the session (for its options)."""

    participants: list[Participant]
    group_names: dict[int, str]
    session: CardSession


def room_people(*, db: Session, session_id: int) -> RoomPeople:
    return RoomPeople(
        participants(db=db, session_id=session_id),
        {g.id: g.name for g in groups(db=db, session_id=session_id)},
        get_session(db=db, session_id=session_id),
    )


@dataclass
class Contributions:
    """The notes and questions sent (of one card, or all), with the groups' names and the session."""

    notes: list[Note]
    group_names: dict[int, str]
    session: CardSession


def contributions(*, db: Session, session_id: int, card_id: str | None = None) -> Contributions:
    return Contributions(
        notes(db=db, session_id=session_id, card_id=card_id, include_ratings=False),
        {g.id: g.name for g in groups(db=db, session_id=session_id)},
        get_session(db=db, session_id=session_id),
    )


@dataclass
class Outcomes:
    """The data of the plenary: per card each group's notes, merges, agreed and proposed actions, votes."""

    session: CardSession
    cards: list[PlenaryCard]
    groups: dict[int, str]
    merged: dict[int, list[Note]]
    actions: list[Action]
    votes: dict[int, int]

    @property
    def promoted(self) -> set[str]:
        return {a.client_key for a in self.actions if a.client_key}

    @property
    def proposed(self) -> list[Action]:
        rows = [a for a in self.actions if a.status == ActionStatus.PROPOSED.value]
        return sorted(rows, key=lambda a: (-self.votes.get(a.id, 0), a.position, a.id))

    @property
    def agreed(self) -> list[Action]:
        return [a for a in self.actions if a.status != ActionStatus.PROPOSED.value]


def outcomes(*, db: Session, session_id: int) -> Outcomes:
    merged: dict[int, list[Note]] = {}
    for note in notes(db=db, session_id=session_id, include_ratings=False):
        if note.merged_into is not None:
            merged.setdefault(note.merged_into, []).append(note)
    return Outcomes(
        get_session(db=db, session_id=session_id),
        plenary(db=db, session_id=session_id),
        {g.id: g.name for g in groups(db=db, session_id=session_id)},
        merged,
        actions(db=db, session_id=session_id),
        vote_counts(db=db, session_id=session_id),
    )
