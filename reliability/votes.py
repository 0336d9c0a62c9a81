"""Votes racing past the limit: one participant's simultaneous votes, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from typing import Any

from reliability.server import database_at, start_workshop


def _race(tokens_and_actions: list[tuple[str, int]]) -> int:
    """Every (token, action) votes at the same moment; returns how many were refused."""
    from cardkit import db, workshop
    from cardkit.sessions import InputError, NotFound

    barrier = threading.Barrier(len(tokens_and_actions))
    refused = [0]
    lock = threading.Lock()

    def one(token: str, action_id: int) -> None:
        barrier.wait()
        try:
            db.run(workshop.vote, token=token, action_id=action_id)
        except (InputError, NotFound):
            with lock:
                refused[0] += 1

    threads = [threading.Thread(target=one, args=pair) for pair in tokens_and_actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return refused[0]


def measure_vote_races(
    url: str, label: str, *, races: int = 1000, at_once: int = 8, limits: tuple[int, ...] = (1, 3)
) -> dict[str, Any]:
    """`races` rounds in which one participant votes for `at_once` different actions at the same moment (half the
    rounds with each limit); each round starts from no votes. The figure is the most votes ever stored."""
    from sqlalchemy import delete, func
    from sqlmodel import select

    from cardkit import db, sessions, workshop
    from cardkit.models import Vote

    most: dict[int, int] = {}
    over = 0
    with database_at(url):
        session = start_workshop(f'Vote race {label}')
        voter = db.run(workshop.join, code=session.join_code, name='Quick tapper')
        actions = [db.run(sessions.add_action, session_id=session.id, what=f'Proposal {n}') for n in range(at_once)]
        for n in range(races):
            limit = limits[n % len(limits)]
            db.run(workshop.set_options, session_id=session.id, votes_per_person=limit)
            with db.write() as s:
                s.exec(delete(Vote).where(Vote.participant_id == voter.id))
            _race([(voter.token, a.id) for a in actions])
            with db.read() as s:
                stored = s.exec(select(func.count()).select_from(Vote).where(Vote.participant_id == voter.id)).one()
            most[limit] = max(most.get(limit, 0), stored)
            over += stored > limit
    return {
        f'votes_{label}_races': races,
        f'votes_{label}_at_once': at_once,
        f'votes_{label}_races_over_the_limit': over,
        **{f'votes_{label}_most_stored_limit_{limit}': count for limit, count in sorted(most.items())},
    }
