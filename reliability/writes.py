"""Concurrent writes from threads and processes, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reliability.server import database_at, start_workshop
from reliability.stats import percentile


@contextmanager
def limits_lifted() -> Iterator[None]:
    """Each writer sends as fast as the database lets it: the limits per participant (measured in floods) are off."""
    from cardkit import workshop

    saved = workshop.SENT_PER_MINUTE, workshop.NOTES_PER_CARD
    workshop.SENT_PER_MINUTE = workshop.NOTES_PER_CARD = 10**9
    try:
        yield
    finally:
        workshop.SENT_PER_MINUTE, workshop.NOTES_PER_CARD = saved


def _writer_threads(url: str, tokens: list[str], card_id: str, seconds: float, prefix: str) -> dict[str, Any]:
    """Writers in threads of this process, one per participant token, each sending notes until the time is up."""
    from sqlalchemy.exc import OperationalError

    from cardkit import db, workshop

    latencies: list[float] = []
    errors: dict[str, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    barrier = threading.Barrier(len(tokens))

    def writer(number: int, token: str) -> None:
        mine: list[float] = []
        barrier.wait()
        i = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                db.run(
                    workshop.participant_note,
                    token=token,
                    card_id=card_id,
                    text=f'{prefix} writer {number} note {i}',
                    client_key=f'{prefix}-{number}-{i}',
                )
                mine.append(time.perf_counter() - started)
            except OperationalError as error:
                kind = 'database is locked' if 'locked' in str(error) else type(error).__name__
                with lock:
                    errors[kind] = errors.get(kind, 0) + 1
            except Exception as error:  # every other failure is counted too
                with lock:
                    errors[type(error).__name__] = errors.get(type(error).__name__, 0) + 1
            i += 1
        with lock:
            latencies.extend(mine)

    with database_at(url), limits_lifted():
        threads = [threading.Thread(target=writer, args=(n, token)) for n, token in enumerate(tokens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return {'latencies': latencies, 'errors': errors}


def _writer_process(url: str, tokens: list[str], card_id: str, seconds: float, prefix: str, out: str) -> None:
    """A separate process of writer threads (as a second server or worker would be); results go to a file."""
    Path(out).write_text(json.dumps(_writer_threads(url, tokens, card_id, seconds, prefix)), encoding='utf-8')


def measure_writes(
    url: str,
    *,
    threads: int = 70,
    processes: int = 3,
    threads_per_process: int = 10,
    seconds: float = 60.0,
    label: str = 'sqlite',
) -> dict[str, Any]:
    """`threads` writers in this process and `processes` × `threads_per_process` in others, all sending notes at
    once for `seconds` through workshop.participant_note (two short write transactions per note)."""
    import multiprocessing

    from sqlalchemy import func
    from sqlmodel import select

    from cardkit import db, workshop
    from cardkit.models import Note

    writers = threads + processes * threads_per_process
    with database_at(url):
        session = start_workshop(f'Write test {label}')
        card_id = session.card_ids[0]
        tokens = [db.run(workshop.join, code=session.join_code, name=f'Writer {n}').token for n in range(writers)]
        with db.read() as s:
            before = s.exec(select(func.count()).select_from(Note).where(Note.session_id == session.id)).one()
    context = multiprocessing.get_context('spawn')
    with tempfile.TemporaryDirectory() as folder:
        children = []
        for p in range(processes):
            share = tokens[threads + p * threads_per_process : threads + (p + 1) * threads_per_process]
            out = str(Path(folder) / f'writer-{p}.json')
            child = context.Process(target=_writer_process, args=(url, share, card_id, seconds, f'{label}-p{p}', out))
            child.start()
            children.append((child, out))
        here = _writer_threads(url, tokens[:threads], card_id, seconds, f'{label}-t')
        results = [here]
        for child, out in children:
            child.join(timeout=seconds + 120)
            results.append(
                json.loads(Path(out).read_text(encoding='utf-8'))
                if Path(out).exists()
                else {'latencies': [], 'errors': {'writer process failed': 1}}
            )
    latencies = [x for r in results for x in r['latencies']]
    errors: dict[str, int] = {}
    for r in results:
        for kind, count in r['errors'].items():
            errors[kind] = errors.get(kind, 0) + count
    with database_at(url), db.read() as s:
        stored = s.exec(select(func.count()).select_from(Note).where(Note.session_id == session.id)).one() - before
    return {
        f'writes_{label}_writers': writers,
        f'writes_{label}_seconds': seconds,
        f'writes_{label}_notes_committed': len(latencies),
        f'writes_{label}_notes_stored': stored,
        f'writes_{label}_database_locked': errors.get('database is locked', 0),
        f'writes_{label}_other_errors': sum(c for k, c in errors.items() if k != 'database is locked'),
        f'writes_{label}_error_kinds': errors,
        f'writes_{label}_p50_ms': round(statistics.median(latencies) * 1000, 1) if latencies else None,
        f'writes_{label}_p95_ms': round(percentile(latencies, 0.95) * 1000, 1),
        f'writes_{label}_max_ms': round(max(latencies, default=0) * 1000, 1),
        f'writes_{label}_notes_per_s': round(len(latencies) / seconds, 1),
    }
