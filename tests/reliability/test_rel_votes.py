"""Votes racing past the limit: 1,000 races in which one participant votes for 8 actions at the same moment (half
with one vote allowed, half with three), on SQLite and on PostgreSQL; no race stores more votes than allowed."""

from __future__ import annotations

import os

from reliability.votes import measure_vote_races


def test_simultaneous_votes_never_pass_the_limit(database: str) -> None:
    figures = measure_vote_races(os.environ['DATABASE_URL'], database, races=1000, at_once=8, limits=(1, 3))
    print(figures)
    assert figures[f'votes_{database}_races'] == 1000
    assert figures[f'votes_{database}_races_over_the_limit'] == 0
    assert figures[f'votes_{database}_most_stored_limit_1'] == 1
    assert figures[f'votes_{database}_most_stored_limit_3'] == 3
