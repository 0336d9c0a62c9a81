"""The database engine (SQLite by default, PostgreSQL through DATABASE_URL), transactions and migrations."""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from cardkit import config

MIGRATIONS = Path(__file__).resolve().parent / 'migrations'
_immediate = contextvars.ContextVar('cardkit_immediate_transaction', default=False)
_engine: Engine | None = None
_engine_url: str | None = None
_lock = threading.Lock()


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
            connection.exec_driver_sql('BEGIN IMMEDIATE' if _immediate.get() else 'BEGIN')

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def engine() -> Engine:
    """The process's engine for the configured database, created (and migrated) on first use."""
    global _engine, _engine_url
    url = config.database_url()
    with _lock:
        if _engine is None or _engine_url != url:
            if _engine is not None:
                _engine.dispose()
            _engine = make_engine(url)
            _engine_url = url
            upgrade(_engine)
    return _engine


def reset() -> None:
    """Forget the engine (tests point DATABASE_URL elsewhere)."""
    global _engine, _engine_url
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = _engine_url = None


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
    """A short read transaction (it never takes the write lock, even inside a write)."""
    token = _immediate.set(False)
    try:
        with Session(engine(), expire_on_commit=False) as session:
            yield session
    finally:
        _immediate.reset(token)


@contextmanager
def write() -> Iterator[Session]:
    """A short write transaction, committed on exit; on SQLite it takes the write lock up front."""
    token = _immediate.set(True)
    try:
        with Session(engine(), expire_on_commit=False) as session:
            yield session
            session.commit()
    finally:
        _immediate.reset(token)
