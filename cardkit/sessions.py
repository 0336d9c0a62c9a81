"""Session use cases: start, navigate, capture notes and actions, review.

Every function works in the transaction it is given (`*, db`), validates its input and raises InputError with a
message a user can act on; what it changes it records (`cardkit.changes.record`), for the screens following the
session once the transaction commits. Results are detached model objects (plain data).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from cardkit.changes import How, What, record
from cardkit.deck import Deck
from cardkit.errors import InputError, NotFound
from cardkit.models import (
    NOTE_MAX,
    SHORT_MAX,
    Action,
    ActionStatus,
    CardSession,
    Mode,
    Note,
    NoteKind,
    Person,
    StoredDeck,
    Term,
    WayOfWorking,
    utcnow,
)
from cardkit.text import clean_name, clean_text

TITLE_MAX = SHORT_MAX
TIMER_MAX = 4 * 3600


@dataclass(frozen=True)
class PersonIn:
    """Someone to involve, as entered on the set-up screen."""

    name: str
    role: str = ''
    organisation: str = ''
    brings: str = ''


# --- text checks ---------------------------------------------------------------------------------------------------


def _text(value: str | None, what: str, *, limit: int = NOTE_MAX, required: bool = False, field: str = '') -> str:
    value = clean_text(value or '').strip()
    if required and not value:
        raise InputError(f'{what} is empty; type something first', field=field)
    if len(value) > limit:
        raise InputError(f'{what} is {len(value):,} characters long; the limit is {limit:,}', field=field)
    return value


def _choice(value: str, options: Iterable[str], what: str, *, field: str = '') -> str:
    options = list(options)
    if value not in options:
        raise InputError(f"{what} must be one of: {', '.join(options)} (got '{value}')", field=field)
    return value


# --- decks ---------------------------------------------------------------------------------------------------------


def deck_hash(deck: Deck) -> str:
    return hashlib.sha256(json.dumps(deck.model_dump(mode='json'), sort_keys=True).encode()).hexdigest()


def store_deck(*, db: Session, deck: Deck, origin: str = 'shipped') -> StoredDeck:
    """Keep the exact content of a deck; identical content is stored once."""
    digest = deck_hash(deck)
    found = db.exec(select(StoredDeck).where(StoredDeck.content_hash == digest)).first()
    if found:
        return found
    stored = StoredDeck(
        deck_id=deck.id,
        version=deck.version,
        title=deck.title,
        content=deck.model_dump(mode='json'),
        content_hash=digest,
        origin=origin,
    )
    db.add(stored)
    db.flush()
    return stored


_deck_cache: dict[str, Deck] = {}  # stored deck content never changes, so it is read and checked once per process


def stored_deck(*, db: Session, stored_deck_id: int) -> Deck:
    """The deck content a session was started with."""
    digest = db.exec(select(StoredDeck.content_hash).where(StoredDeck.id == stored_deck_id)).first()
    if digest is None:
        raise NotFound(f'no stored deck {stored_deck_id}')
    if digest not in _deck_cache:
        content = db.exec(select(StoredDeck.content).where(StoredDeck.id == stored_deck_id)).one()
        if len(_deck_cache) > 256:
            _deck_cache.clear()
        _deck_cache[digest] = Deck.model_validate(content)
    return _deck_cache[digest]


def deck_of(*, db: Session, session: CardSession) -> Deck:
    return stored_deck(db=db, stored_deck_id=session.stored_deck_id)


# --- sessions ------------------------------------------------------------------------------------------------------


def _cards_for(deck: Deck, theme_numbers: Sequence[int]) -> list[str]:
    known = [t.number for t in deck.themes]
    if not theme_numbers:
        raise InputError('choose at least one strategic issue', field='theme_numbers')
    if len(set(theme_numbers)) != len(theme_numbers):
        raise InputError('each strategic issue can be chosen once', field='theme_numbers')
    missing = [n for n in theme_numbers if n not in known]
    if missing:
        raise InputError(
            f'this deck has no theme {", ".join(map(str, missing))} (it has {", ".join(map(str, known))})',
            field='theme_numbers',
        )
    cards = [card.id for n in theme_numbers for card in deck.theme(n).cards]
    if not cards:
        raise InputError('the chosen themes have no cards', field='theme_numbers')
    return cards


def _people(db: Session, session_id: int, people: Sequence[PersonIn]) -> None:
    for position, person in enumerate(people):
        name = clean_name(_text(person.name, 'A name', limit=SHORT_MAX, field='people'))
        if not name:
            continue
        db.add(
            Person(
                session_id=session_id,
                name=name,
                position=position,
                role=clean_name(_text(person.role, 'A role', limit=SHORT_MAX, field='people')),
                organisation=clean_name(_text(person.organisation, 'An organisation', limit=SHORT_MAX, field='people')),
                brings=_text(person.brings, 'What they bring', field='people'),
            )
        )


def start_session(
    *,
    db: Session,
    deck: Deck,
    title: str,
    theme_numbers: Sequence[int] | None = None,
    held_on: date | None = None,
    way_of_working: str = WayOfWorking.ALONE.value,
    mode: str = 'facilitated',
    people: Sequence[PersonIn] = (),
    follow_up_of: int | None = None,
) -> CardSession:
    """Start a session on a deck with the chosen themes in the chosen order."""
    title = _text(title, 'The title', limit=TITLE_MAX, required=True, field='title')
    theme_numbers = list(theme_numbers) if theme_numbers else [t.number for t in deck.themes]
    card_ids = _cards_for(deck, theme_numbers)
    _choice(way_of_working, _ways(deck), 'The way of working', field='way_of_working')
    _choice(mode, [m.value for m in Mode], 'The mode', field='mode')
    if follow_up_of is not None and db.get(CardSession, follow_up_of) is None:
        raise NotFound(f'no session {follow_up_of} to follow up')
    stored = store_deck(db=db, deck=deck)
    session = CardSession(
        title=title,
        held_on=held_on or date.today(),
        way_of_working=way_of_working,
        mode=mode,
        stored_deck_id=stored.id,
        theme_numbers=theme_numbers,
        card_ids=card_ids,
        discussed=card_ids[:1],
        facilitator_key=secrets.token_urlsafe(24),
        follow_up_of=follow_up_of,
    )
    db.add(session)
    db.flush()
    _people(db, session.id, people)
    if follow_up_of is not None:
        _carry_actions(db, follow_up_of, session.id)
    return session


def _carry_actions(db: Session, source_id: int, target_id: int) -> None:
    """Bring the open actions of an earlier session over for review."""
    open_actions = db.exec(
        select(Action)
        .where(
            Action.session_id == source_id, col(Action.deleted_at).is_(None), Action.status != ActionStatus.DONE.value
        )
        .order_by(Action.term, Action.position, Action.id)
    ).all()
    for action in open_actions:
        db.add(
            Action(
                session_id=target_id,
                card_id=action.card_id,
                what=action.what,
                term=action.term,
                who=action.who,
                resources=action.resources,
                status=action.status,
                target_date=action.target_date,
                carried_from=action.id,
                position=action.position,
            )
        )


def get_session(*, db: Session, session_id: int) -> CardSession:
    session = db.get(CardSession, session_id)
    if session is None:
        raise NotFound(f'no session {session_id}')
    return session


def earlier_session(*, db: Session, session: CardSession) -> CardSession | None:
    """The session a follow-up session follows (None if it follows none, or that one was deleted)."""
    return db.get(CardSession, session.follow_up_of) if session.follow_up_of is not None else None


def session_for_key(*, db: Session, session_id: int, key: str) -> CardSession:
    """The session, if the facilitator key matches (compared in constant time)."""
    session = get_session(db=db, session_id=session_id)
    if not key or not secrets.compare_digest(session.facilitator_key, key):
        raise NotFound(f'no session {session_id} for that key')
    return session


def projector_key(session: CardSession) -> str:
    """A view-only key for the projector screen: it shows the session but cannot drive it."""
    return hmac.new(session.facilitator_key.encode(), b'projector', hashlib.sha256).hexdigest()[:24]


def session_for_projector(*, db: Session, session_id: int, key: str) -> CardSession:
    session = get_session(db=db, session_id=session_id)
    if not key or not secrets.compare_digest(projector_key(session), key):
        raise NotFound(f'no session {session_id} for that key')
    return session


@dataclass
class SessionSummary:
    session: CardSession
    deck_title: str
    notes: int
    actions: int
    people: list[str] = field(default_factory=list)


def list_sessions(*, db: Session, search: str = '') -> list[SessionSummary]:
    """Sessions, newest first, optionally those whose title, deck or people match the search text."""
    search = clean_text(search).strip().lower()
    sessions = db.exec(select(CardSession).order_by(col(CardSession.updated_at).desc())).all()
    decks = {d.id: d.title for d in db.exec(select(StoredDeck.id, StoredDeck.title)).all()}
    note_counts = dict(
        db.exec(
            select(Note.session_id, func.count()).where(col(Note.deleted_at).is_(None)).group_by(Note.session_id)
        ).all()
    )
    action_counts = dict(
        db.exec(
            select(Action.session_id, func.count()).where(col(Action.deleted_at).is_(None)).group_by(Action.session_id)
        ).all()
    )
    people: dict[int, list[str]] = {}
    for person in db.exec(select(Person).order_by(Person.position)).all():
        people.setdefault(person.session_id, []).append(person.name)
    result = [
        SessionSummary(
            x,
            decks.get(x.stored_deck_id, ''),
            note_counts.get(x.id, 0),
            action_counts.get(x.id, 0),
            people.get(x.id, []),
        )
        for x in sessions
    ]
    if search:
        result = [r for r in result if search in ' '.join([r.session.title, r.deck_title, *r.people]).lower()]
    return result


def rename_session(*, db: Session, session_id: int, title: str) -> CardSession:
    title = _text(title, 'The title', limit=TITLE_MAX, required=True, field='title')
    return _update_session(db, session_id, What.SETUP, title=title)


def update_setup(
    *, db: Session, session_id: int, title: str, held_on: date, way_of_working: str, people: Sequence[PersonIn]
) -> CardSession:
    """The session's details and who is involved, changed together."""
    title = _text(title, 'The title', limit=TITLE_MAX, required=True, field='title')
    current = db.get(CardSession, session_id)
    if current is None:
        raise NotFound(f'no session {session_id}')
    allowed = [*_ways(deck_of(db=db, session=current)), current.way_of_working]  # the deck may have changed since
    _choice(way_of_working, allowed, 'The way of working', field='way_of_working')
    session = _update_session(db, session_id, What.SETUP, title=title, held_on=held_on, way_of_working=way_of_working)
    db.execute(delete(Person).where(Person.session_id == session_id))
    _people(db, session_id, people)
    return session


def _update_session(db: Session, session_id: int, what: What, **changes: Any) -> CardSession:
    session = get_session(db=db, session_id=session_id)
    for name, value in changes.items():
        setattr(session, name, value)
    session.updated_at = utcnow()
    db.add(session)
    record(db, session_id, what)
    return session


def duplicate_session(*, db: Session, session_id: int) -> CardSession:
    """A new session with the same deck, themes, way of working and people, starting on the first card."""
    original = get_session(db=db, session_id=session_id)
    copy = CardSession(
        title=_text(f'Copy of {original.title}', 'The title', limit=TITLE_MAX),
        held_on=date.today(),
        way_of_working=original.way_of_working,
        mode=original.mode,
        stored_deck_id=original.stored_deck_id,
        theme_numbers=list(original.theme_numbers),
        card_ids=list(original.card_ids),
        discussed=original.card_ids[:1],
        facilitator_key=secrets.token_urlsafe(24),
    )
    db.add(copy)
    db.flush()
    for person in db.exec(select(Person).where(Person.session_id == session_id)).all():
        db.add(
            Person(
                session_id=copy.id,
                name=person.name,
                role=person.role,
                organisation=person.organisation,
                brings=person.brings,
                position=person.position,
            )
        )
    return copy


def delete_session(*, db: Session, session_id: int) -> None:
    """Delete a session and everything that belongs to it."""
    get_session(db=db, session_id=session_id)
    db.execute(update(CardSession).where(CardSession.follow_up_of == session_id).values(follow_up_of=None))
    db.execute(
        update(Action)
        .where(col(Action.carried_from).in_(select(Action.id).where(Action.session_id == session_id)))
        .values(carried_from=None)
    )
    for model in (Note, Action, Person):  # participants, groups and votes go with the session (ON DELETE CASCADE)
        db.execute(delete(model).where(model.session_id == session_id))
    db.execute(delete(CardSession).where(CardSession.id == session_id))
    record(db, session_id, What.GONE)


# --- people --------------------------------------------------------------------------------------------------------


def people(*, db: Session, session_id: int) -> list[Person]:
    return list(
        db.exec(select(Person).where(Person.session_id == session_id).order_by(Person.position, Person.id)).all()
    )


def set_people(*, db: Session, session_id: int, entries: Sequence[PersonIn]) -> list[Person]:
    """Replace who is involved (as edited on the set-up screen)."""
    get_session(db=db, session_id=session_id)
    db.execute(delete(Person).where(Person.session_id == session_id))
    _people(db, session_id, entries)
    db.flush()
    record(db, session_id, What.SETUP)
    return people(db=db, session_id=session_id)


# --- navigation ----------------------------------------------------------------------------------------------------


def go_to(*, db: Session, session_id: int, index: int, flipped: bool = False) -> CardSession:
    """Show the card at a position (front unless said otherwise); the card shown counts as discussed."""
    session = get_session(db=db, session_id=session_id)
    session.current_index = max(0, min(index, len(session.card_ids) - 1))
    session.flipped = flipped
    card_id = session.card_ids[session.current_index]
    if card_id not in session.discussed:
        session.discussed = [*session.discussed, card_id]
    session.updated_at = utcnow()
    db.add(session)
    record(db, session_id, What.STATE, card_id=card_id, index=session.current_index, flipped=flipped)
    return session


def step(*, db: Session, session_id: int, delta: int) -> CardSession:
    session = get_session(db=db, session_id=session_id)
    return go_to(db=db, session_id=session_id, index=session.current_index + delta)


def go_to_card(*, db: Session, session_id: int, card_id: str) -> CardSession:
    session = get_session(db=db, session_id=session_id)
    if card_id not in session.card_ids:
        raise InputError(f'card {card_id} is not in this session', field='card_id')
    return go_to(db=db, session_id=session_id, index=session.card_ids.index(card_id))


def flip(*, db: Session, session_id: int, flipped: bool | None = None) -> CardSession:
    """Turn the current card over (or to the given side)."""
    session = get_session(db=db, session_id=session_id)
    side = (not session.flipped) if flipped is None else flipped
    return go_to(db=db, session_id=session_id, index=session.current_index, flipped=side)


def set_timer(*, db: Session, session_id: int, seconds: int) -> CardSession:
    """Start a countdown of the given length from now; 0 stops it."""
    if not 0 <= seconds <= TIMER_MAX:
        raise InputError(f'a timer runs for 0 to {TIMER_MAX // 60} minutes', field='seconds')
    return _update_session(
        db, session_id, What.TIMER, timer_seconds=seconds, timer_started_at=utcnow() if seconds else None
    )


def timer_remaining(session: CardSession, now: datetime | None = None) -> int | None:
    """Seconds left on the session's timer, or None when no timer runs."""
    if not session.timer_seconds or session.timer_started_at is None:
        return None
    elapsed = ((now or utcnow()) - session.timer_started_at).total_seconds()
    return max(0, round(session.timer_seconds - elapsed))


# --- notes ---------------------------------------------------------------------------------------------------------


def _check_card(session: CardSession, card_id: str) -> None:
    if card_id not in session.card_ids:
        raise InputError(f'card {card_id} is not in this session', field='card_id')


def _next_position(db: Session, model: type[Note] | type[Action], session_id: int) -> int:
    highest = db.exec(select(func.max(model.position)).where(model.session_id == session_id)).one()
    return (highest or 0) + 1


def add_note(
    *,
    db: Session,
    session_id: int,
    card_id: str,
    text: str,
    kind: str = NoteKind.NOTE.value,
    stem: str = '',
    author: str = '',
    client_key: str | None = None,
) -> Note:
    """Record a free note or a coaching question on a card; a repeated client_key returns the first note."""
    _choice(kind, [NoteKind.NOTE.value, NoteKind.QUESTION.value], 'The kind of note', field='kind')
    what = 'The question' if kind == NoteKind.QUESTION.value else 'The note'
    text = _text(text, what, required=True, field='text')
    session = get_session(db=db, session_id=session_id)
    return new_note(
        db=db, session=session, card_id=card_id, text=text, kind=kind, stem=stem, author=author, client_key=client_key
    )


def new_note(
    *,
    db: Session,
    session: CardSession,
    card_id: str,
    text: str,
    kind: str,
    stem: str = '',
    author: str = '',
    client_key: str | None = None,
    participant_id: int | None = None,
    group_id: int | None = None,
) -> Note:
    """A note or question (its text already checked), stored once per client key."""
    _check_card(session, card_id)
    if kind == NoteKind.QUESTION.value:
        stem = stem.strip().lower()
        _choice(stem, _deck_stems(db, session), 'The coaching stem', field='stem')
    else:
        stem = ''
    if client_key:
        found = db.exec(select(Note).where(Note.session_id == session.id, Note.client_key == client_key)).first()
        if found and found.text == text and found.card_id == card_id:
            return found  # the same note sent again (a retry): stored once
        if found:
            client_key = None  # a different note under a reused key is a new note, never dropped
    note = Note(
        session_id=session.id,
        card_id=card_id,
        kind=kind,
        stem=stem,
        text=text,
        author=_text(author, 'The name', limit=SHORT_MAX),
        client_key=client_key,
        participant_id=participant_id,
        group_id=group_id,
        position=_next_position(db, Note, session.id),
    )
    db.add(note)
    _touch(db, session)
    db.flush()
    note_changed(db, note, How.ADDED)
    return note


def note_changed(db: Session, note: Note, how: How) -> None:
    """Record that one note was added, changed or removed, so screens redraw its row alone."""
    record(
        db,
        note.session_id,
        What.NOTES,
        card_id=note.card_id,
        note_id=note.id,
        how=how,
        participant_id=note.participant_id,
    )


def _ways(deck: Deck) -> list[str]:
    """A session's way of working is one the deck offers; working alone is always one."""
    ways = deck.ways()
    return ways if WayOfWorking.ALONE.value in ways else [*ways, WayOfWorking.ALONE.value]


def _deck_stems(db: Session, session: CardSession) -> list[str]:
    return [stem.lower() for stem in deck_of(db=db, session=session).stems()]


def _touch(db: Session, session: CardSession) -> None:
    session.updated_at = utcnow()
    db.add(session)


def update_note(*, db: Session, note_id: int, text: str | None = None, stem: str | None = None) -> Note:
    note = _live(db, Note, note_id)
    if text is not None:
        note.text = _text(text, 'The note', required=note.kind != NoteKind.RATING.value, field='text')
    if stem is not None and note.kind == NoteKind.QUESTION.value:
        session = get_session(db=db, session_id=note.session_id)
        note.stem = _choice(stem.strip().lower(), _deck_stems(db, session), 'The coaching stem', field='stem')
    note.updated_at = utcnow()
    db.add(note)
    note_changed(db, note, How.CHANGED)
    return note


def _live(db: Session, model: type[Note] | type[Action], row_id: int) -> Any:
    row = db.get(model, row_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(f'no {model.__name__.lower()} {row_id}')
    return row


def _set_deleted(db: Session, model: type[Note] | type[Action], row_id: int, deleted: bool) -> Any:
    """Delete a note or an action (kept, so it can be restored), or restore it."""
    row = _live(db, model, row_id) if deleted else db.get(model, row_id)
    if row is None:
        raise NotFound(f'no {model.__name__.lower()} {row_id}')
    row.deleted_at = utcnow() if deleted else None
    db.add(row)
    if model is Note:
        note_changed(db, row, How.REMOVED if deleted else How.ANY)  # restored: back in its place, not at the end
    else:
        record(db, row.session_id, What.ACTIONS, card_id=row.card_id, participant_id=row.participant_id)
    return row


def delete_note(*, db: Session, note_id: int) -> Note:
    """Delete a note; restore_note undoes it."""
    return _set_deleted(db, Note, note_id, True)


def restore_note(*, db: Session, note_id: int) -> Note:
    return _set_deleted(db, Note, note_id, False)


def note(*, db: Session, note_id: int) -> Note | None:
    """One note, deleted or not (None if there is no such note)."""
    return db.get(Note, note_id)


def notes(*, db: Session, session_id: int, card_id: str | None = None, include_ratings: bool = True) -> list[Note]:
    """The session's notes in their order (for one card if given)."""
    query = select(Note).where(Note.session_id == session_id, col(Note.deleted_at).is_(None))
    if card_id is not None:
        query = query.where(Note.card_id == card_id)
    if not include_ratings:
        query = query.where(Note.kind != NoteKind.RATING.value)
    return list(db.exec(query.order_by(Note.position, Note.id)).all())


def move_note(*, db: Session, note_id: int, direction: int) -> list[Note]:
    """Move a note up (-1) or down (+1) among the notes of its card."""
    note = _live(db, Note, note_id)
    siblings = list(
        db.exec(
            select(Note)
            .where(
                Note.session_id == note.session_id,
                Note.card_id == note.card_id,
                Note.kind == note.kind,
                col(Note.deleted_at).is_(None),
            )
            .order_by(Note.position, Note.id)
        ).all()
    )
    _swap(db, siblings, note, direction)
    db.flush()
    note_changed(db, note, How.ANY)
    return notes(db=db, session_id=note.session_id, card_id=note.card_id)


def _swap(db: Session, rows: list[Any], row: Any, direction: int) -> None:
    index = next(i for i, r in enumerate(rows) if r.id == row.id)
    other = index + direction
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
        for position, item in enumerate(rows, 1):
            item.position = position
            db.add(item)


def rate_item(
    *,
    db: Session,
    session_id: int,
    card_id: str,
    item_key: str,
    rating: int | None,
    evidence: str = '',
    needs: str = '',
    author: str = '',
    group_id: int | None = None,
) -> Note:
    """Record (or change) the evidence rating of a checklist item, the evidence and what needs to happen.

    There is one rating per item for the whole room, and one per item for each breakout group.
    """
    evidence = _text(evidence, 'The evidence', field='evidence')
    needs = _text(needs, 'What needs to happen', field='needs')
    session = get_session(db=db, session_id=session_id)
    _check_card(session, card_id)
    deck = deck_of(db=db, session=session)
    card = deck.card(card_id)
    if item_key not in dict(card.item_labels()):
        raise InputError(f'card {card_id} has no checklist item {item_key}', field='item_key')
    scale = deck.scale_of(card)
    if rating is not None and not 0 <= rating < len(scale):
        raise InputError(f'a rating is one of: {", ".join(scale)}', field='rating')
    same_group = col(Note.group_id).is_(None) if group_id is None else Note.group_id == group_id
    note = db.exec(
        select(Note).where(
            Note.session_id == session_id,
            Note.card_id == card_id,
            Note.kind == NoteKind.RATING.value,
            Note.item_key == item_key,
            same_group,
            col(Note.deleted_at).is_(None),
        )
    ).first()
    if note is None:
        note = Note(
            session_id=session_id,
            card_id=card_id,
            kind=NoteKind.RATING.value,
            item_key=item_key,
            group_id=group_id,
            position=_next_position(db, Note, session_id),
        )
    note.rating, note.text, note.needs, note.updated_at = rating, evidence, needs, utcnow()
    if author:
        note.author = _text(author, 'The name', limit=SHORT_MAX)
    db.add(note)
    _touch(db, session)
    db.flush()
    note_changed(db, note, How.CHANGED)
    return note


# --- actions -------------------------------------------------------------------------------------------------------


def _action_fields(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if 'what' in fields or creating:
        clean['what'] = _text(fields.get('what'), 'What needs doing', required=True, field='what')
    if 'term' in fields:
        clean['term'] = _choice(fields['term'], [t.value for t in Term], 'The term', field='term')
    if 'who' in fields:
        clean['who'] = _text(fields['who'], 'Who', limit=SHORT_MAX, field='who')
    if 'resources' in fields:
        clean['resources'] = _text(fields['resources'], 'The resources', field='resources')
    if 'status' in fields:
        clean['status'] = _choice(fields['status'], [st.value for st in ActionStatus], 'The status', field='status')
    if 'review' in fields:
        clean['review'] = _text(fields['review'], 'The progress note', field='review')
    if 'target_date' in fields:
        value = fields['target_date']
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value) if value.strip() else None
            except ValueError:
                raise InputError(
                    f"the target date '{value}' is not a date like 2026-12-31", field='target_date'
                ) from None
        clean['target_date'] = value
    unknown = set(fields) - {'what', 'term', 'who', 'resources', 'status', 'review', 'target_date'}
    if unknown:
        raise InputError(f'unknown action field(s): {", ".join(sorted(unknown))}')
    return clean


def add_action(
    *,
    db: Session,
    session_id: int,
    what: str,
    term: str = Term.SHORT.value,
    who: str = '',
    resources: str = '',
    status: str = ActionStatus.PROPOSED.value,
    target_date: date | str | None = None,
    card_id: str = '',
    client_key: str | None = None,
) -> Action:
    """Record an action, from any card (or none)."""
    clean = _action_fields(
        {'what': what, 'term': term, 'who': who, 'resources': resources, 'status': status, 'target_date': target_date},
        creating=True,
    )
    session = get_session(db=db, session_id=session_id)
    return new_action(db=db, session=session, clean=clean, card_id=card_id, client_key=client_key)


def action_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A new action's fields, checked and cleaned (what is required)."""
    return _action_fields(fields, creating=True)


def new_action(
    *,
    db: Session,
    session: CardSession,
    clean: dict[str, Any],
    card_id: str = '',
    client_key: str | None = None,
    participant_id: int | None = None,
    group_id: int | None = None,
) -> Action:
    """An action (its fields already checked), stored once per client key."""
    if card_id:
        _check_card(session, card_id)
    if client_key:
        found = db.exec(select(Action).where(Action.session_id == session.id, Action.client_key == client_key)).first()
        if found and found.what == clean['what']:
            return found  # the same action sent again (a retry): stored once
        if found:
            client_key = None  # a different action under a reused key is a new action, never dropped
    action = Action(
        session_id=session.id,
        card_id=card_id,
        client_key=client_key,
        participant_id=participant_id,
        group_id=group_id,
        position=_next_position(db, Action, session.id),
        **clean,
    )
    db.add(action)
    _touch(db, session)
    db.flush()
    _action_changed(db, action)
    return action


def _action_changed(db: Session, action: Action) -> None:
    record(db, action.session_id, What.ACTIONS, card_id=action.card_id, participant_id=action.participant_id)


def update_action(*, db: Session, action_id: int, **fields: Any) -> Action:
    clean = _action_fields(fields, creating=False)
    action = _live(db, Action, action_id)
    for name, value in clean.items():
        setattr(action, name, value)
    action.updated_at = utcnow()
    db.add(action)
    _action_changed(db, action)
    return action


def delete_action(*, db: Session, action_id: int) -> Action:
    """Delete an action; restore_action undoes it."""
    return _set_deleted(db, Action, action_id, True)


def restore_action(*, db: Session, action_id: int) -> Action:
    return _set_deleted(db, Action, action_id, False)


def move_action(*, db: Session, action_id: int, direction: int) -> list[Action]:
    """Move an action up (-1) or down (+1) within its term."""
    action = _live(db, Action, action_id)
    siblings = list(
        db.exec(
            select(Action)
            .where(Action.session_id == action.session_id, Action.term == action.term, col(Action.deleted_at).is_(None))
            .order_by(Action.position, Action.id)
        ).all()
    )
    _swap(db, siblings, action, direction)
    db.flush()
    _action_changed(db, action)
    return actions(db=db, session_id=action.session_id)


TERM_ORDER = {Term.SHORT.value: 0, Term.MEDIUM.value: 1, Term.LONG.value: 2}


def actions(*, db: Session, session_id: int, who: str = '') -> list[Action]:
    """The session's actions in term order (short, medium, long), then their own order; optionally one person's."""
    rows = list(
        db.exec(
            select(Action)
            .where(Action.session_id == session_id, col(Action.deleted_at).is_(None))
            .order_by(Action.position, Action.id)
        ).all()
    )
    if who.strip():
        wanted = who.strip().lower()
        rows = [a for a in rows if wanted in a.who.lower()]
    return sorted(rows, key=lambda a: TERM_ORDER.get(a.term, 3))


# --- overview ------------------------------------------------------------------------------------------------------


@dataclass
class ThemeOverview:
    number: int
    title: str
    colour: str
    cards: int
    discussed: int
    notes: int
    actions: int


def overview(*, db: Session, session_id: int) -> list[ThemeOverview]:
    """Per theme in play: cards discussed, notes and actions."""
    session = get_session(db=db, session_id=session_id)
    deck = deck_of(db=db, session=session)
    all_notes = notes(db=db, session_id=session_id)
    all_actions = actions(db=db, session_id=session_id)
    result = []
    for number in session.theme_numbers:
        theme = deck.theme(number)
        ids = {card.id for card in theme.cards}
        result.append(
            ThemeOverview(
                number,
                theme.title,
                deck.colour_of(theme),
                len(ids),
                len(ids & set(session.discussed)),
                sum(1 for n in all_notes if n.card_id in ids),
                sum(1 for a in all_actions if a.card_id in ids),
            )
        )
    return result
