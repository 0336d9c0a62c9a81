"""Your data, on SQLite and PostgreSQL: deleting a session leaves no row of it in any table (rows counted in every
table before and after; stored decks are deck content shared by sessions, not session data); a participant's
contributions are exported (cardkit.privacy.export_participant) and erased on request (erase_participant: notes,
proposed actions and votes gone, name/role/organisation blanked, token stops working); a retention period
(set_retention) makes purge_expired delete the session once it has passed, and not before.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pytest

from cardkit import db, privacy, sessions
from cardkit.sessions import InputError
from reliability.data import measure_your_data, populate


def test_deleting_exporting_erasing_and_expiring_leave_nothing_behind(database: str) -> None:
    figures = measure_your_data(os.environ['DATABASE_URL'], database)
    print(figures)
    assert figures[f'data_{database}_tables_counted'] >= 9
    leftovers = figures[f'data_{database}_tables_with_leftovers']
    assert figures[f'data_{database}_rows_left_of_deleted_session'] == 0, leftovers
    assert figures[f'data_{database}_export_notes'] >= 1
    assert figures[f'data_{database}_export_actions'] >= 1
    assert figures[f'data_{database}_export_votes'] >= 1
    assert figures[f'data_{database}_erased_traces_left'] == 0
    assert figures[f'data_{database}_erased_token_works'] == 0
    assert figures[f'data_{database}_purged_before_expiry'] == 0
    assert figures[f'data_{database}_purged_after_expiry'] == 1
    assert figures[f'data_{database}_rows_left_after_purge'] == 0


def test_retention_takes_whole_days_and_can_be_cleared(database: str) -> None:
    session, _ = populate('Retention', follow_up=False)
    for wrong in (0, -1, 3651, 1.5, True):
        with pytest.raises(InputError):
            db.run(privacy.set_retention, session_id=session.id, days=wrong)
    assert db.run(privacy.set_retention, session_id=session.id, days=7).retention_days == 7
    assert db.run(privacy.set_retention, session_id=session.id, days=None).retention_days is None
    assert db.run(privacy.purge_expired, now=session.updated_at + timedelta(days=10_000)) == 0
    assert db.run(sessions.get_session, session_id=session.id).title == 'Retention'
