"""Your data: deleting a session, a participant's export and erasure, retention."""

from __future__ import annotations

from typing import Any

from reliability.server import database_at

DECK = 'card-activity'


SHARED_TABLES = ('stored_deck', 'org_deck', 'org_deck_version')  # decks, not anyone's session data


def table_counts() -> dict[str, int]:
    """Rows in every table of the database (alembic's bookkeeping left out)."""
    from sqlalchemy import inspect, text

    from cardkit import db

    engine = db.engine()
    names = [n for n in inspect(engine).get_table_names() if n != 'alembic_version']
    with engine.connect() as connection:
        return {n: connection.execute(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names}


def populate(title: str, *, follow_up: bool = True) -> tuple[Any, list[Any]]:
    """A session with a bit of everything: people, participants, groups, notes, ratings, actions, votes."""
    from cardkit import db, library, sessions, workshop
    from cardkit.sessions import PersonIn

    session = db.run(
        sessions.start_session,
        deck=library.shipped().get(DECK),
        title=title,
        theme_numbers=[1, 2],
        people=[PersonIn('Ann Facilitator', 'Head of learning'), PersonIn('Bo')],
    )
    session = db.run(workshop.open_joining, session_id=session.id)
    people = [db.run(workshop.join, code=session.join_code, name=f'{title} person {n}', role='Tutor') for n in range(4)]
    db.run(workshop.split_room, session_id=session.id, max_size=2)
    people = [db.run(workshop.participant_for_token, token=p.token) for p in people]
    for n, p in enumerate(people):
        group = db.run(workshop.group_by_id, group_id=p.group_id)
        note = db.run(
            workshop.participant_note,
            token=p.token,
            card_id=group.card_ids[0],
            text=f'{title} note {n}',
            client_key=f'{title}-{n}',
        )
        action = db.run(
            workshop.participant_action, token=p.token, what=f'{title} action {n}', card_id=group.card_ids[0]
        )
        if n == 0:
            db.run(workshop.promote_note, note_id=note.id)
        db.run(workshop.set_options, session_id=session.id, votes_per_person=3)
        db.run(workshop.vote, token=p.token, action_id=action.id)
    deck = library.shipped().get(DECK)
    checklist = next((c for c in deck.cards if c.kind == 'checklist' and c.id in session.card_ids), None)
    if checklist is not None:
        key = dict(checklist.item_labels())
        db.run(
            sessions.rate_item,
            session_id=session.id,
            card_id=checklist.id,
            item_key=next(iter(key)),
            rating=1,
            evidence='We have a policy',
            author=people[0].name,
        )
    db.run(sessions.add_note, session_id=session.id, card_id=session.card_ids[0], text=f'{title} facilitator note')
    db.run(sessions.add_action, session_id=session.id, what=f'{title} facilitator action', who='Ann')
    follow = (
        db.run(
            sessions.start_session,
            deck=library.shipped().get(DECK),
            title=f'{title} follow-up',
            follow_up_of=session.id,
        )
        if follow_up
        else None
    )
    return db.run(sessions.get_session, session_id=session.id), [people, follow]


def measure_your_data(url: str, label: str) -> dict[str, Any]:
    """Delete a session and count every table's rows; export and erase a participant; expire a session."""
    from datetime import timedelta

    from sqlmodel import select

    from cardkit import db, privacy, sessions, workshop
    from cardkit.models import Note, Participant

    with database_at(url):
        baseline = table_counts()
        keep, _ = populate('Kept workshop', follow_up=False)
        gone, (_people, follow) = populate('Deleted workshop')
        before = table_counts()
        db.run(sessions.delete_session, session_id=gone.id)
        db.run(sessions.delete_session, session_id=follow.id)
        after = table_counts()
        # rows still there beyond the kept session's own (stored_deck is deck content, shared by sessions)
        left_over = {
            name: count - _rows_of_kept(name, keep.id, baseline.get(name, 0))
            for name, count in after.items()
            if name not in SHARED_TABLES
        }
        left_over = {name: extra for name, extra in left_over.items() if extra}
        # export and erase one participant of the kept session
        someone = db.run(workshop.participants, session_id=keep.id)[0]
        exported = db.run(privacy.export_participant, session_id=keep.id, participant_id=someone.id)
        erased = db.run(privacy.erase_participant, session_id=keep.id, participant_id=someone.id)
        with db.read() as s:
            traces = len(s.exec(select(Note).where(Note.participant_id == someone.id)).all())
            blank = s.get(Participant, someone.id)
            name_left = int(bool(blank.name or blank.role or blank.organisation))
            name_in_notes = len(s.exec(select(Note).where(Note.author == someone.name)).all())
        try:
            db.run(workshop.participant_for_token, token=someone.token)
            token_works = 1
        except sessions.NotFound:
            token_works = 0
        # retention
        db.run(privacy.set_retention, session_id=keep.id, days=30)
        not_yet = db.run(privacy.purge_expired)
        later = db.run(
            privacy.purge_expired, now=db.run(sessions.get_session, session_id=keep.id).updated_at + timedelta(days=31)
        )
        after_purge = table_counts()
    return {
        f'data_{label}_tables_counted': len(before),
        f'data_{label}_rows_before_delete': sum(before.values()),
        f'data_{label}_rows_left_of_deleted_session': sum(left_over.values()),
        f'data_{label}_tables_with_leftovers': sorted(left_over),
        f'data_{label}_export_notes': len(exported['notes']),
        f'data_{label}_export_actions': len(exported['actions']),
        f'data_{label}_export_votes': len(exported['votes']),
        f'data_{label}_erased': erased,
        f'data_{label}_erased_traces_left': traces + name_left + name_in_notes,
        f'data_{label}_erased_token_works': token_works,
        f'data_{label}_purged_before_expiry': not_yet,
        f'data_{label}_purged_after_expiry': later,
        f'data_{label}_rows_left_after_purge': sum(
            v - baseline.get(k, 0) for k, v in after_purge.items() if k not in SHARED_TABLES
        ),
    }


def _rows_of_kept(table: str, session_id: int, baseline: int) -> int:
    """How many rows of a table belong to the kept session (what must be left after deleting the other one)."""
    from sqlalchemy import text

    from cardkit import db

    queries = {
        'card_session': 'SELECT COUNT(*) FROM card_session WHERE id = :s',
        'vote': 'SELECT COUNT(*) FROM vote JOIN action ON action.id = vote.action_id WHERE action.session_id = :s',
    }
    query = queries.get(table, f'SELECT COUNT(*) FROM "{table}" WHERE session_id = :s')
    with db.engine().connect() as connection:
        return baseline + connection.execute(text(query), {'s': session_id}).scalar_one()
