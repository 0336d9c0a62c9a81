"""The database engine (SQLite by default, PostgreSQL through DATABASE_URL), transactions and migrations.

Use cases take the transaction they work in (`*, db: Session`); whoever calls them opens it: `write()` or `run()`
for a change, `read()` or `look()` for a look. A write's recorded changes (`cardkit.changes`) go to the receiver set
with `deliver_to` (the live hub) once it commits.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from cardkit import config
from cardkit.changes import CHANGES, ORIGIN, Change

MIGRATIONS = Path(__file__).resolve().parent / 'migrations'
WRITES = 'cardkit_writes'  # the execution option of the connections write transactions use
T = TypeVar('T')
_engine: Engine | None = None
_writer: Engine | None = None
_engine_url: str | None = None
_lock = threading.Lock()
_receiver: Callable[[list[Change]], None] | None = None


def make_engine(url: str) -> Engine:
    """An engine for the URL; SQLite gets WAL, foreign keys, a busy timeout and write transactions that lock early."""
    if url.startswith('sqlite'):
        engine = create_engine(url, connect_args={'check_same_thread': False, 'timeout': 30})

        @event.listens_for(engine, 'connect')
        def _on_connect(dbapi_connection, _record) -> None:
            dbapi_connection.isolation_level = None  # transactions are begun below, so BEGIN IMMEDIATE is possible
            cursor = dbapi_connection.cursor()
            if ':memory:' not in url:
                cursor.execute('PRAGMA journal_mode=WAL')
            cursor.execute('PRAGMA foreign_keys=ON')
            cursor.execute('PRAGMA busy_timeout=30000')
            cursor.execute('PRAGMA synchronous=NORMAL')
            cursor.close()

        @event.listens_for(engine, 'begin')
        def _on_begin(connection) -> None:
            writes = connection.get_execution_options().get(WRITES)
            connection.exec_driver_sql('BEGIN IMMEDIATE' if writes else 'BEGIN')  # a write locks at once

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def engine() -> Engine:
    """The process's engine for the configured database, created (and migrated) on first use."""
    global _engine, _writer, _engine_url
    url = config.database_url()
    with _lock:
        if _engine is None or _engine_url != url:
            if _engine is not None:
                _engine.dispose()
            _engine = make_engine(url)
            _writer = _engine.execution_options(**{WRITES: True})  # same pool, its transactions lock up front
            _engine_url = url
            upgrade(_engine)
    return _engine


def _writing_engine() -> Engine:
    engine()
    assert _writer is not None
    return _writer


def reset() -> None:
    """Forget the engine (tests point DATABASE_URL elsewhere)."""
    global _engine, _writer, _engine_url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = _writer = _engine_url = None


def deliver_to(receiver: Callable[[list[Change]], None] | None) -> None:
    """Who hears of the changes each write transaction recorded, once it has committed (the live hub)."""
    global _receiver
    _receiver = receiver


def alembic_config(engine_: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option('script_location', str(MIGRATIONS))
    cfg.attributes['engine'] = engine_
    return cfg


def upgrade(engine_: Engine, revision: str = 'head') -> None:
    """Bring the schema up to a revision (the newest by default)."""
    command.upgrade(alembic_config(engine_), revision)


@contextmanager
def read() -> Iterator[Session]:
    """A short read transaction (it never takes the write lock)."""
    with Session(engine(), expire_on_commit=False) as session:
        yield session


@contextmanager
def write(*, origin: str = '') -> Iterator[Session]:
    """A short write transaction, committed on exit (on SQLite it takes the write lock up front); the changes it
    recorded, marked with `origin`, are delivered after the commit."""
    with Session(_writing_engine(), expire_on_commit=False) as session:
        session.info[ORIGIN] = origin
        yield session
        session.commit()
        changes = session.info.pop(CHANGES, [])
    if changes and _receiver is not None:
        _receiver(changes)


def run(use_case: Callable[..., T], /, *, origin: str = '', **arguments: Any) -> T:
    """A use case in a write transaction of its own, committed."""
    with write(origin=origin) as db:
        return use_case(db=db, **arguments)


def look(use_case: Callable[..., T], /, **arguments: Any) -> T:
    """A use case that only reads, in a read transaction of its own."""
    with read() as db:
        return use_case(db=db, **arguments)
