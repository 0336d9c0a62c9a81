"""Alembic environment: runs migrations on the engine handed over by cardkit.db."""

from alembic import context
from sqlmodel import SQLModel

from cardkit import models  # noqa: F401  registers the tables

target_metadata = SQLModel.metadata


def run_migrations() -> None:
    engine = context.config.attributes['engine']
    sqlite = engine.dialect.name == 'sqlite'
    with engine.connect() as connection:
        if sqlite:
            # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old table would cascade.
            connection.connection.driver_connection.execute('PRAGMA foreign_keys=OFF')
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()
        if sqlite:
            raw = connection.connection.driver_connection
            problems = raw.execute('PRAGMA foreign_key_check').fetchall()
            raw.execute('PRAGMA foreign_keys=ON')
            if problems:
                raise RuntimeError(f'the migration left rows without their parent: {problems[:5]}')


run_migrations()
