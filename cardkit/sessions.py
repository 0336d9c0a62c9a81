"""Session use cases: start, navigate, capture notes and actions, review. The only module that writes sessions.

Every function opens its own short transaction, validates its input and raises InputError with a message a user
can act on. Results are detached model objects (plain data).
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

from cardkit import db
from cardkit.deck import Deck
from cardkit.models import (
    NOTE_MAX,
    SHORT_MAX,
    Action,
    ActionStatus,
    CardSession,
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


class InputError(ValueError):
    """Input that cannot be accepted; the message says why, in words for the user."""


class NotFound(LookupError):
    """No such session, note or action."""


@dataclass(frozen=True)
class PersonIn:
    """Someone to involve, as entered on the set-up screen."""

    name: str
    role: str = ''
    organisation: str = ''
    brings: str = ''


# --- text checks ---------------------------------------------------------------------------------------------------


def _text(value: str | None, what: str, *, limit: int = NOTE_MAX, required: bool = False) -> str:
    value = clean_text(value or '').strip()
    if required and not value:
        raise InputError(f'{what} is empty; type something first')
    if len(value) > limit:
        raise InputError(f'{what} is {len(value):,} characters long; the limit is {limit:,}')
    return value


def _choice(value: str, options: Iterable[str], what: str) -> str:
    options = list(options)
    if value not in options:
        raise InputError(f"{what} must be one of: {', '.join(options)} (got '{value}')")
    return value


# --- decks ---------------------------------------------------------------------------------------------------------


def deck_hash(deck: Deck) -> str:
    return hashlib.sha256(json.dumps(deck.model_dump(mode='json'), sort_keys=True).encode()).hexdigest()


def store_deck(deck: Deck, *, origin: str = 'shipped', db_session: Session | None = None) -> StoredDeck:
    """Keep the exact content of a deck; identical content is stored once."""
    digest = deck_hash(deck)

    def _store(s: Session) -> StoredDeck:
        found = s.exec(select(StoredDeck).where(StoredDeck.content_hash == digest)).first()
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
        s.add(stored)
        s.flush()
        return stored

    if db_session is not None:
        return _store(db_session)
    with db.write() as s:
        return _store(s)


_deck_cache: dict[str, Deck] = {}


def stored_deck(stored_deck_id: int) -> Deck:
    """The deck content a session was started with (cached by content hash: stored content never changes)."""
    with db.read() as s:
        digest = s.exec(select(StoredDeck.content_hash).where(StoredDeck.id == stored_deck_id)).first()
        if digest is None:
            raise NotFound(f'no stored deck {stored_deck_id}')
        if digest not in _deck_cache:
            content = s.exec(select(StoredDeck.content).where(StoredDeck.id == stored_deck_id)).one()
            if len(_deck_cache) > 256:
                _deck_cache.clear()
            _deck_cache[digest] = Deck.model_validate(content)
    return _deck_cache[digest]


def deck_of(session: CardSession) -> Deck:
    return stored_deck(session.stored_deck_id)


# --- sessions ------------------------------------------------------------------------------------------------------


def _cards_for(deck: Deck, theme_numbers: Sequence[int]) -> list[str]:
    known = [t.number for t in deck.themes]
    if not theme_numbers:
        raise InputError('choose at least one strategic issue')
    if len(set(theme_numbers)) != len(theme_numbers):
        raise InputError('each strategic issue can be chosen once')
    missing = [n for n in theme_numbers if n not in known]
    if missing:
        raise InputError(f'this deck has no theme {", ".join(map(str, missing))} (it has {", ".join(map(str, known))})')
    cards = [card.id for n in theme_numbers for card in deck.theme(n).cards]
    if not cards:
        raise InputError('the chosen themes have no cards')
    return cards


def _people(s: Session, session_id: int, people: Sequence[PersonIn]) -> None:
    for position, person in enumerate(people):
        name = clean_name(_text(person.name, 'A name', limit=SHORT_MAX))
        if not name:
            continue
        s.add(
            Person(
                session_id=session_id,
                name=name,
                position=position,
                role=clean_name(_text(person.role, 'A role', limit=SHORT_MAX)),
                organisation=clean_name(_text(person.organisation, 'An organisation', limit=SHORT_MAX)),
                brings=_text(person.brings, 'What they bring'),
            )
        )


def start_session(
    *,
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
    title = _text(title, 'The title', limit=TITLE_MAX, required=True)
    theme_numbers = list(theme_numbers) if theme_numbers else [t.number for t in deck.themes]
    card_ids = _cards_for(deck, theme_numbers)
    _choice(way_of_working, [w.value for w in WayOfWorking], 'The way of working')
    _choice(mode, ['facilitated', 'solo'], 'The mode')
    with db.write() as s:
        if follow_up_of is not None and s.get(CardSession, follow_up_of) is None:
            raise NotFound(f'no session {follow_up_of} to follow up')
        stored = store_deck(deck, db_session=s)
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
        s.add(session)
        s.flush()
        _people(s, session.id, people)
        if follow_up_of is not None:
            _carry_actions(s, follow_up_of, session.id)
        return session


def _carry_actions(s: Session, source_id: int, target_id: int) -> None:
    """Bring the open actions of an earlier session over for review."""
    open_actions = s.exec(
        select(Action)
        .where(
            Action.session_id == source_id, col(Action.deleted_at).is_(None), Action.status != ActionStatus.DONE.value
        )
        .order_by(Action.term, Action.position, Action.id)
    ).all()
    for action in open_actions:
        s.add(
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


def get_session(session_id: int) -> CardSession:
    with db.read() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        return session


def session_for_key(session_id: int, key: str) -> CardSession:
    """The session, if the facilitator key matches (compared in constant time)."""
    session = get_session(session_id)
    if not key or not secrets.compare_digest(session.facilitator_key, key):
        raise NotFound(f'no session {session_id} for that key')
    return session


def projector_key(session: CardSession) -> str:
    """A view-only key for the projector screen: it shows the session but cannot drive it."""
    return hmac.new(session.facilitator_key.encode(), b'projector', hashlib.sha256).hexdigest()[:24]


def session_for_projector(session_id: int, key: str) -> CardSession:
    session = get_session(session_id)
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


def list_sessions(search: str = '') -> list[SessionSummary]:
    """Sessions, newest first, optionally those whose title, deck or people match the search text."""
    search = clean_text(search).strip().lower()
    with db.read() as s:
        sessions = s.exec(select(CardSession).order_by(col(CardSession.updated_at).desc())).all()
        decks = {d.id: d.title for d in s.exec(select(StoredDeck.id, StoredDeck.title)).all()}
        note_counts = dict(
            s.exec(
                select(Note.session_id, func.count()).where(col(Note.deleted_at).is_(None)).group_by(Note.session_id)
            ).all()
        )
        action_counts = dict(
            s.exec(
                select(Action.session_id, func.count())
                .where(col(Action.deleted_at).is_(None))
                .group_by(Action.session_id)
            ).all()
        )
        people: dict[int, list[str]] = {}
        for person in s.exec(select(Person).order_by(Person.position)).all():
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


def rename_session(session_id: int, title: str) -> CardSession:
    title = _text(title, 'The title', limit=TITLE_MAX, required=True)
    return _update_session(session_id, title=title)


def update_setup(session_id: int, *, title: str, held_on: date, way_of_working: str) -> CardSession:
    title = _text(title, 'The title', limit=TITLE_MAX, required=True)
    _choice(way_of_working, [w.value for w in WayOfWorking], 'The way of working')
    return _update_session(session_id, title=title, held_on=held_on, way_of_working=way_of_working)


def _update_session(session_id: int, **changes: Any) -> CardSession:
    with db.write() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        for name, value in changes.items():
            setattr(session, name, value)
        session.updated_at = utcnow()
        s.add(session)
        return session


def duplicate_session(session_id: int) -> CardSession:
    """A new session with the same deck, themes, way of working and people, starting on the first card."""
    original = get_session(session_id)
    with db.write() as s:
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
        s.add(copy)
        s.flush()
        for person in s.exec(select(Person).where(Person.session_id == session_id)).all():
            s.add(
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


def delete_session(session_id: int) -> None:
    """Delete a session and everything that belongs to it."""
    with db.write() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        s.execute(update(CardSession).where(CardSession.follow_up_of == session_id).values(follow_up_of=None))
        s.execute(
            update(Action)
            .where(col(Action.carried_from).in_(select(Action.id).where(Action.session_id == session_id)))
            .values(carried_from=None)
        )
        for model in (Note, Action, Person):
            s.execute(delete(model).where(model.session_id == session_id))
        s.execute(delete(CardSession).where(CardSession.id == session_id))


# --- people --------------------------------------------------------------------------------------------------------


def people(session_id: int) -> list[Person]:
    with db.read() as s:
        return list(
            s.exec(select(Person).where(Person.session_id == session_id).order_by(Person.position, Person.id)).all()
        )


def set_people(session_id: int, entries: Sequence[PersonIn]) -> list[Person]:
    """Replace who is involved (as edited on the set-up screen)."""
    with db.write() as s:
        if s.get(CardSession, session_id) is None:
            raise NotFound(f'no session {session_id}')
        s.execute(delete(Person).where(Person.session_id == session_id))
        _people(s, session_id, entries)
    return people(session_id)


# --- navigation ----------------------------------------------------------------------------------------------------


def go_to(session_id: int, index: int, *, flipped: bool = False) -> CardSession:
    """Show the card at a position (front unless said otherwise); the card shown counts as discussed."""
    with db.write() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        session.current_index = max(0, min(index, len(session.card_ids) - 1))
        session.flipped = flipped
        card_id = session.card_ids[session.current_index]
        if card_id not in session.discussed:
            session.discussed = [*session.discussed, card_id]
        session.updated_at = utcnow()
        s.add(session)
        return session


def step(session_id: int, delta: int) -> CardSession:
    session = get_session(session_id)
    return go_to(session_id, session.current_index + delta)


def go_to_card(session_id: int, card_id: str) -> CardSession:
    session = get_session(session_id)
    if card_id not in session.card_ids:
        raise InputError(f'card {card_id} is not in this session')
    return go_to(session_id, session.card_ids.index(card_id))


def flip(session_id: int, flipped: bool | None = None) -> CardSession:
    """Turn the current card over (or to the given side)."""
    with db.write() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        session.flipped = (not session.flipped) if flipped is None else flipped
        session.updated_at = utcnow()
        s.add(session)
        return session


def set_timer(session_id: int, seconds: int) -> CardSession:
    """Start a countdown of the given length from now; 0 stops it."""
    if not 0 <= seconds <= TIMER_MAX:
        raise InputError(f'a timer runs for 0 to {TIMER_MAX // 60} minutes')
    return _update_session(session_id, timer_seconds=seconds, timer_started_at=utcnow() if seconds else None)


def timer_remaining(session: CardSession, now: datetime | None = None) -> int | None:
    """Seconds left on the session's timer, or None when no timer runs."""
    if not session.timer_seconds or session.timer_started_at is None:
        return None
    elapsed = ((now or utcnow()) - session.timer_started_at).total_seconds()
    return max(0, round(session.timer_seconds - elapsed))


# --- notes ---------------------------------------------------------------------------------------------------------


def _check_card(session: CardSession, card_id: str) -> None:
    if card_id not in session.card_ids:
        raise InputError(f'card {card_id} is not in this session')


def _next_position(s: Session, model: type[Note] | type[Action], session_id: int) -> int:
    highest = s.exec(select(func.max(model.position)).where(model.session_id == session_id)).one()
    return (highest or 0) + 1


def add_note(
    *,
    session_id: int,
    card_id: str,
    text: str,
    kind: str = NoteKind.NOTE.value,
    stem: str = '',
    author: str = '',
    client_key: str | None = None,
) -> Note:
    """Record a free note or a coaching question on a card; a repeated client_key returns the first note."""
    _choice(kind, [NoteKind.NOTE.value, NoteKind.QUESTION.value], 'The kind of note')
    text = _text(text, 'The question' if kind == NoteKind.QUESTION.value else 'The note', required=True)
    with db.write() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        return new_note(
            s, session, card_id=card_id, text=text, kind=kind, stem=stem, author=author, client_key=client_key
        )


def new_note(
    s: Session,
    session: CardSession,
    *,
    card_id: str,
    text: str,
    kind: str,
    stem: str = '',
    author: str = '',
    client_key: str | None = None,
    participant_id: int | None = None,
    group_id: int | None = None,
) -> Note:
    """A note or question (its text already checked) stored in the transaction `s`, once per client key."""
    _check_card(session, card_id)
    if kind == NoteKind.QUESTION.value:
        stem = stem.strip().lower()
        _choice(stem, _deck_stems(session), 'The coaching stem')
    else:
        stem = ''
    if client_key:
        found = s.exec(select(Note).where(Note.session_id == session.id, Note.client_key == client_key)).first()
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
        position=_next_position(s, Note, session.id),
    )
    s.add(note)
    _touch(s, session)
    s.flush()
    return note


def _deck_stems(session: CardSession) -> list[str]:
    return [stem.lower() for stem in deck_of(session).stems()]


def _touch(s: Session, session: CardSession) -> None:
    session.updated_at = utcnow()
    s.add(session)


def update_note(note_id: int, *, text: str | None = None, stem: str | None = None) -> Note:
    with db.write() as s:
        note = _live(s, Note, note_id)
        if text is not None:
            note.text = _text(text, 'The note', required=note.kind != NoteKind.RATING.value)
        if stem is not None and note.kind == NoteKind.QUESTION.value:
            session = s.get(CardSession, note.session_id)
            note.stem = _choice(stem.strip().lower(), _deck_stems(session), 'The coaching stem')
        note.updated_at = utcnow()
        s.add(note)
        return note


def _live(s: Session, model: type[Note] | type[Action], row_id: int) -> Any:
    row = s.get(model, row_id)
    if row is None or row.deleted_at is not None:
        raise NotFound(f'no {model.__name__.lower()} {row_id}')
    return row


def _set_deleted(model: type[Note] | type[Action], row_id: int, deleted: bool) -> Any:
    """Delete a note or an action (kept, so it can be restored), or restore it."""
    with db.write() as s:
        row = _live(s, model, row_id) if deleted else s.get(model, row_id)
        if row is None:
            raise NotFound(f'no {model.__name__.lower()} {row_id}')
        row.deleted_at = utcnow() if deleted else None
        s.add(row)
        return row


def delete_note(note_id: int) -> Note:
    """Delete a note; restore_note undoes it."""
    return _set_deleted(Note, note_id, True)


def restore_note(note_id: int) -> Note:
    return _set_deleted(Note, note_id, False)


def note(note_id: int) -> Note | None:
    """One note, deleted or not (None if there is no such note)."""
    with db.read() as s:
        return s.get(Note, note_id)


def notes(session_id: int, card_id: str | None = None, *, include_ratings: bool = True) -> list[Note]:
    """The session's notes in their order (for one card if given)."""
    with db.read() as s:
        query = select(Note).where(Note.session_id == session_id, col(Note.deleted_at).is_(None))
        if card_id is not None:
            query = query.where(Note.card_id == card_id)
        if not include_ratings:
            query = query.where(Note.kind != NoteKind.RATING.value)
        return list(s.exec(query.order_by(Note.position, Note.id)).all())


def move_note(note_id: int, direction: int) -> list[Note]:
    """Move a note up (-1) or down (+1) among the notes of its card."""
    with db.write() as s:
        note = _live(s, Note, note_id)
        siblings = list(
            s.exec(
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
        _swap(s, siblings, note, direction)
    return notes(note.session_id, note.card_id)


def _swap(s: Session, rows: list[Any], row: Any, direction: int) -> None:
    index = next(i for i, r in enumerate(rows) if r.id == row.id)
    other = index + direction
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
        for position, item in enumerate(rows, 1):
            item.position = position
            s.add(item)


def rate_item(
    *,
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
    evidence = _text(evidence, 'The evidence')
    needs = _text(needs, 'What needs to happen')
    with db.write() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        _check_card(session, card_id)
        deck = deck_of(session)
        card = deck.card(card_id)
        if item_key not in dict(card.item_labels()):
            raise InputError(f'card {card_id} has no checklist item {item_key}')
        scale = deck.scale_of(card)
        if rating is not None and not 0 <= rating < len(scale):
            raise InputError(f'a rating is one of: {", ".join(scale)}')
        same_group = col(Note.group_id).is_(None) if group_id is None else Note.group_id == group_id
        note = s.exec(
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
                position=_next_position(s, Note, session_id),
            )
        note.rating, note.text, note.needs, note.updated_at = rating, evidence, needs, utcnow()
        if author:
            note.author = _text(author, 'The name', limit=SHORT_MAX)
        s.add(note)
        _touch(s, session)
        return note


# --- actions -------------------------------------------------------------------------------------------------------


def _action_fields(fields: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    clean: dict[str, Any] = {}
    if 'what' in fields or creating:
        clean['what'] = _text(fields.get('what'), 'What needs doing', required=True)
    if 'term' in fields:
        clean['term'] = _choice(fields['term'], [t.value for t in Term], 'The term')
    if 'who' in fields:
        clean['who'] = _text(fields['who'], 'Who', limit=SHORT_MAX)
    if 'resources' in fields:
        clean['resources'] = _text(fields['resources'], 'The resources')
    if 'status' in fields:
        clean['status'] = _choice(fields['status'], [st.value for st in ActionStatus], 'The status')
    if 'review' in fields:
        clean['review'] = _text(fields['review'], 'The progress note')
    if 'target_date' in fields:
        value = fields['target_date']
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value) if value.strip() else None
            except ValueError:
                raise InputError(f"the target date '{value}' is not a date like 2026-12-31") from None
        clean['target_date'] = value
    unknown = set(fields) - {'what', 'term', 'who', 'resources', 'status', 'review', 'target_date'}
    if unknown:
        raise InputError(f'unknown action field(s): {", ".join(sorted(unknown))}')
    return clean


def add_action(
    *,
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
    with db.write() as s:
        session = s.get(CardSession, session_id)
        if session is None:
            raise NotFound(f'no session {session_id}')
        return new_action(s, session, clean, card_id=card_id, client_key=client_key)


def action_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """A new action's fields, checked and cleaned (what is required)."""
    return _action_fields(fields, creating=True)


def new_action(
    s: Session,
    session: CardSession,
    clean: dict[str, Any],
    *,
    card_id: str = '',
    client_key: str | None = None,
    participant_id: int | None = None,
    group_id: int | None = None,
) -> Action:
    """An action (its fields already checked) stored in the transaction `s`, once per client key."""
    if card_id:
        _check_card(session, card_id)
    if client_key:
        found = s.exec(select(Action).where(Action.session_id == session.id, Action.client_key == client_key)).first()
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
        position=_next_position(s, Action, session.id),
        **clean,
    )
    s.add(action)
    _touch(s, session)
    s.flush()
    return action


def update_action(action_id: int, **fields: Any) -> Action:
    clean = _action_fields(fields, creating=False)
    with db.write() as s:
        action = _live(s, Action, action_id)
        for name, value in clean.items():
            setattr(action, name, value)
        action.updated_at = utcnow()
        s.add(action)
        return action


def delete_action(action_id: int) -> Action:
    """Delete an action; restore_action undoes it."""
    return _set_deleted(Action, action_id, True)


def restore_action(action_id: int) -> Action:
    return _set_deleted(Action, action_id, False)


def move_action(action_id: int, direction: int) -> list[Action]:
    """Move an action up (-1) or down (+1) within its term."""
    with db.write() as s:
        action = _live(s, Action, action_id)
        siblings = list(
            s.exec(
                select(Action)
                .where(
                    Action.session_id == action.session_id, Action.term == action.term, col(Action.deleted_at).is_(None)
                )
                .order_by(Action.position, Action.id)
            ).all()
        )
        _swap(s, siblings, action, direction)
    return actions(action.session_id)


TERM_ORDER = {Term.SHORT.value: 0, Term.MEDIUM.value: 1, Term.LONG.value: 2}


def actions(session_id: int, *, who: str = '') -> list[Action]:
    """The session's actions in term order (short, medium, long), then their own order; optionally one person's."""
    with db.read() as s:
        rows = list(
            s.exec(
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


def overview(session_id: int) -> list[ThemeOverview]:
    """Per theme in play: cards discussed, notes and actions."""
    session = get_session(session_id)
    deck = deck_of(session)
    all_notes = notes(session_id)
    all_actions = actions(session_id)
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
