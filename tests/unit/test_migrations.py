"""Schema migrations: a database made by an earlier schema upgrades with its data, and models match migrations."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from cardkit import db, sessions
from cardkit.deck import Deck

DECK = Deck.model_validate(
    {'id': 'mini', 'title': 'Mini', 'themes': [{'number': 1, 'title': 'One', 'cards': [{'id': '1.1', 'lead': 'Q?'}]}]}
)


def test_models_and_migrations_agree(database):
    engine = db.engine()
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert differences == []


def test_database_from_first_schema_upgrades_with_its_data(tmp_path: Path, monkeypatch):
    url = f'sqlite:///{tmp_path / "old.db"}'
    engine = db.make_engine(url)
    db.upgrade(engine, '0001')
    with engine.begin() as connection:
        connection.execute(
            text(
                'INSERT INTO stored_deck (id, deck_id, version, title, content, content_hash, origin, created_at) '
                "VALUES (1, 'mini', '1', 'Mini', :content, 'h', 'shipped', '2026-01-05 10:00:00')"
            ),
            {'content': DECK.model_dump_json()},
        )
        connection.execute(
            text(
                'INSERT INTO card_session (id, title, held_on, way_of_working, mode, stored_deck_id, theme_numbers, '
                'card_ids, current_index, flipped, discussed, timer_seconds, facilitator_key, status, created_at, '
                "updated_at) VALUES (1, 'Old session', '2026-01-05', 'on your own', 'solo', 1, '[1]', "
                '\'["1.1"]\', 0, 1, '
                "'[\"1.1\"]', 0, 'key', 'open', '2026-01-05 10:00:00', '2026-01-05 10:00:00')"
            )
        )
        connection.execute(
            text(
                'INSERT INTO note (session_id, card_id, kind, stem, text, item_key, needs, author, position, hidden, '
                "created_at, updated_at) VALUES (1, '1.1', 'note', '', 'Kept across upgrades', '', '', '', 1, 0, "
                "'2026-01-05 10:00:00', '2026-01-05 10:00:00')"
            )
        )
    engine.dispose()

    monkeypatch.setenv('DATABASE_URL', url)
    db.reset()
    session = db.run(sessions.get_session, session_id=1)  # first use upgrades to the newest schema
    with db.engine().connect() as connection:
        version = connection.execute(text('SELECT version_num FROM alembic_version')).scalar_one()
    assert version == ScriptDirectory.from_config(db.alembic_config(db.engine())).get_current_head()
    assert (session.title, session.flipped) == ('Old session', True)
    assert [n.text for n in db.run(sessions.notes, session_id=1)] == ['Kept across upgrades']
    assert set(inspect(db.engine()).get_table_names()) >= {'card_session', 'note', 'action', 'person', 'stored_deck'}
