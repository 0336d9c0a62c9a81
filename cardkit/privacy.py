"""Your data: a participant's contributions exported or erased on request, and sessions kept only as long as chosen.

Like sessions.py, each function works in the transaction it is given (`*, db`), validates its input, raises
InputError or NotFound, and records what it changed, so an open console or projector sees it at once.
What a participant sent is linked to them by `participant_id` (notes, proposed actions, votes). An evidence rating is
shared by the group (one per checklist item), so erasing someone keeps the rating and blanks their name on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from cardkit import sessions
from cardkit.changes import What, record
from cardkit.errors import InputError, NotFound
from cardkit.models import Action, CardSession, Note, NoteKind, Participant, Vote, as_utc, utcnow

RETENTION_MAX_DAYS = 3650


def _participant(db: Session, session_id: int, participant_id: int) -> Participant:
    participant = db.get(Participant, participant_id)
    if participant is None or participant.session_id != session_id:
        raise NotFound(f'no participant {participant_id} in session {session_id}')
    return participant


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def export_participant(*, db: Session, session_id: int, participant_id: int) -> dict[str, Any]:
    """Everything the session holds about one participant, as plain data (for a subject access request)."""
    participant = _participant(db, session_id, participant_id)
    session = db.get(CardSession, session_id)
    notes = db.exec(
        select(Note).where(Note.session_id == session_id, Note.participant_id == participant_id).order_by(Note.id)
    ).all()
    ratings = (
        db.exec(
            select(Note)
            .where(
                Note.session_id == session_id,
                Note.kind == NoteKind.RATING.value,
                Note.author == participant.name,
                col(Note.participant_id).is_(None),
            )
            .order_by(Note.id)
        ).all()
        if participant.name
        else []
    )
    actions = db.exec(
        select(Action)
        .where(Action.session_id == session_id, Action.participant_id == participant_id)
        .order_by(Action.id)
    ).all()
    votes = db.exec(
        select(Vote, Action)
        .join(Action, Action.id == Vote.action_id)
        .where(Vote.participant_id == participant_id)
        .order_by(Vote.id)
    ).all()
    return {
        'session': {'id': session.id, 'title': session.title, 'held_on': session.held_on.isoformat()},
        'participant': {
            'id': participant.id,
            'name': participant.name,
            'role': participant.role,
            'organisation': participant.organisation,
            'anonymous': participant.anonymous,
            'removed': participant.removed,
            'joined_at': _when(participant.joined_at),
        },
        'notes': [
            {
                'id': n.id,
                'card': n.card_id,
                'kind': n.kind,
                'stem': n.stem,
                'text': n.text,
                'hidden': n.hidden,
                'deleted': n.deleted_at is not None,
                'created_at': _when(n.created_at),
            }
            for n in notes
        ],
        'ratings_signed': [
            {
                'id': n.id,
                'card': n.card_id,
                'item': n.item_key,
                'rating': n.rating,
                'evidence': n.text,
                'needs': n.needs,
            }
            for n in ratings
        ],
        'actions': [
            {
                'id': a.id,
                'card': a.card_id,
                'what': a.what,
                'term': a.term,
                'who': a.who,
                'resources': a.resources,
                'status': a.status,
                'deleted': a.deleted_at is not None,
                'created_at': _when(a.created_at),
            }
            for a in actions
        ],
        'votes': [{'action': a.id, 'what': a.what, 'at': _when(v.created_at)} for v, a in votes],
    }


def erase_participant(*, db: Session, session_id: int, participant_id: int) -> dict[str, int]:
    """Erase a participant's notes, proposed actions and votes, and blank their name, role and organisation.

    Their token stops working. Ratings they signed keep the group's rating without their name. Returns the number of
    rows erased of each kind.
    """
    participant = _participant(db, session_id, participant_id)
    name = participant.name
    note_ids = list(
        db.exec(select(Note.id).where(Note.session_id == session_id, Note.participant_id == participant_id)).all()
    )
    action_ids = list(
        db.exec(select(Action.id).where(Action.session_id == session_id, Action.participant_id == participant_id)).all()
    )
    votes = db.exec(
        delete(Vote).where((Vote.participant_id == participant_id) | col(Vote.action_id).in_(action_ids or [-1]))
    ).rowcount
    if note_ids:
        db.execute(update(Note).where(col(Note.merged_into).in_(note_ids)).values(merged_into=None))
        db.execute(delete(Note).where(col(Note.id).in_(note_ids)))
    if action_ids:
        db.execute(update(Action).where(col(Action.carried_from).in_(action_ids)).values(carried_from=None))
        db.execute(delete(Action).where(col(Action.id).in_(action_ids)))
    unsigned = 0
    if name:
        unsigned = db.exec(
            update(Note)
            .where(Note.session_id == session_id, Note.author == name, col(Note.participant_id).is_(None))
            .values(author='')
        ).rowcount
    participant.name = participant.role = participant.organisation = ''
    participant.anonymous = True
    participant.removed = True
    db.add(participant)
    session = db.get(CardSession, session_id)
    session.updated_at = utcnow()
    db.add(session)
    for what in (What.NOTES, What.ACTIONS, What.VOTES, What.PEOPLE):
        record(db, session_id, what, participant_id=participant_id)
    return {'notes': len(note_ids), 'actions': len(action_ids), 'votes': votes, 'ratings_unsigned': unsigned}


def set_retention(*, db: Session, session_id: int, days: int | None) -> CardSession:
    """Keep the session `days` days after its last change, then delete it (None keeps it until deleted by hand)."""
    if days is not None and (
        isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= RETENTION_MAX_DAYS
    ):
        raise InputError(f'a retention period is a whole number of days from 1 to {RETENTION_MAX_DAYS}')
    session = db.get(CardSession, session_id)
    if session is None:
        raise NotFound(f'no session {session_id}')
    session.retention_days = days
    db.add(session)
    return session


def expired_sessions(*, db: Session, now: datetime | None = None) -> list[int]:
    """Ids of sessions whose retention period has passed since their last change."""
    now = as_utc(now or utcnow())
    rows = db.exec(
        select(CardSession.id, CardSession.updated_at, CardSession.retention_days).where(
            col(CardSession.retention_days).is_not(None)
        )
    ).all()
    return [session_id for session_id, updated_at, days in rows if as_utc(updated_at) + timedelta(days=days) <= now]


def purge_expired(*, db: Session, now: datetime | None = None) -> int:
    """Delete every session whose retention period has passed; returns how many were deleted."""
    expired = expired_sessions(db=db, now=now)
    for session_id in expired:
        sessions.delete_session(db=db, session_id=session_id)
    return len(expired)
