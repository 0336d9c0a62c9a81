"""Crash: the server killed while participants send notes."""

from __future__ import annotations

import asyncio
import random
import re
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reliability.server import ServerProcess, database_at, sqlite_url, start_workshop
from reliability.simbrowser import Disconnected, SimBrowser, SimPage, is_compose_box, is_sent_note, join_as

LIMIT = re.compile(r'the most anyone can; wait (\d+) seconds')


@dataclass
class _CrashState:
    confirmed: set[str] = field(default_factory=set)
    typed_over_stale_draft: set[str] = field(default_factory=set)
    resent_after_reconnect: int = 0
    waited_for_limit: int = 0
    reconnects: int = 0
    places_lost: int = 0
    gave_up: int = 0
    kills: int = 0
    restart_seconds: list[float] = field(default_factory=list)
    server_up: asyncio.Event = field(default_factory=asyncio.Event)
    done: int = 0


async def _wait_until_up(server: ServerProcess, state: _CrashState, deadline: float) -> None:
    while time.monotonic() < deadline:
        await state.server_up.wait()
        try:
            status, _ = await asyncio.to_thread(_http_status, f'{server.url}/join')
            if status == 200:
                return
        except OSError:
            pass
        await asyncio.sleep(0.3)
    raise TimeoutError('the server did not come back')


def _http_status(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, ''


async def _crash_join(
    server: ServerProcess, code: str, number: int, state: _CrashState, deadline: float
) -> tuple[SimBrowser, str]:
    import aiohttp

    browser = SimBrowser(server.url)
    while True:
        try:
            return browser, await join_as(browser, code, f'Participant {number:02d}')
        except (TimeoutError, Disconnected, aiohttp.ClientError, OSError, LookupError, RuntimeError):
            await _wait_until_up(server, state, deadline)


async def _crash_participant(
    server: ServerProcess,
    code: str,
    browser: SimBrowser,
    path: str,
    number: int,
    notes: int,
    pace: float,
    state: _CrashState,
    rng: random.Random,
    deadline: float,
) -> None:
    import aiohttp

    page: SimPage | None = None
    try:
        for i in range(notes):
            text = f'crash note {number:02d}-{i:02d} {uuid.uuid4().hex[:6]}'
            await asyncio.sleep(rng.uniform(0, 2 * pace))
            attempts = 0
            while text not in state.confirmed:
                if time.monotonic() > deadline:
                    state.gave_up += 1
                    return
                try:
                    if page is None:
                        page = await browser.open(path)
                        if not page.find(is_compose_box):
                            state.places_lost += 1  # the reload did not bring them back: join again
                            await page.close()
                            page, path = None, await join_as(browser, code, f'Participant {number:02d}')
                            continue
                        if text in page.shown_texts(is_sent_note):
                            state.confirmed.add(text)  # shown in "What you sent" after the reload
                            break
                    box = page.find(is_compose_box)[0]
                    if page.value(box) != text:
                        if page.value(box) in state.confirmed:  # a reload brought back a note already sent
                            state.typed_over_stale_draft.add(text)
                        await page.type(box, text)
                    elif attempts:
                        state.resent_after_reconnect += 1  # the draft (and its client key) came back
                    attempts += 1
                    before = len(page.notifications)
                    await page.click(page.button('Send'))
                    sent = await page.wait_for(lambda p=page, b=before: 'Sent' in p.notifications[b:], 3)
                    told = LIMIT.search(page.texts())
                    if not sent and told:  # over the notes a minute anyone may send: wait as told, send again
                        state.waited_for_limit += 1
                        await asyncio.sleep(int(told.group(1)) + 0.5)
                        continue
                    if sent or await page.wait_for(lambda p=page, b=before: 'Sent' in p.notifications[b:], 27):
                        state.confirmed.add(text)
                    else:  # no answer: reload, as a person would, and look again
                        await page.close()
                        page = None
                except (TimeoutError, Disconnected, aiohttp.ClientError, OSError, LookupError, ValueError):
                    if page is not None:
                        await page.close()
                    page = None
                    state.reconnects += 1
                    await _wait_until_up(server, state, deadline)
    finally:
        state.done += 1
        if page is not None:
            await page.close()
        await browser.close()


async def _killer(
    server: ServerProcess,
    kills: int,
    participants: int,
    state: _CrashState,
    rng: random.Random,
    gap: tuple[float, float],
) -> None:
    while state.kills < kills and state.done < participants:
        await asyncio.sleep(rng.uniform(*gap))
        if state.done >= participants:
            break
        state.server_up.clear()
        await asyncio.to_thread(server.kill)
        state.kills += 1
        await asyncio.sleep(rng.uniform(0.0, 0.5))
        state.restart_seconds.append(await asyncio.to_thread(server.start))
        state.server_up.set()


def _breakout(session_id: int, group_size: int) -> None:
    """Breakout groups, each on a card of its own."""
    from cardkit import db, sessions, workshop

    session = db.run(sessions.get_session, session_id=session_id)
    for index, group in enumerate(db.run(workshop.split_room, session_id=session_id, max_size=group_size)):
        db.run(workshop.assign_cards, group_id=group.id, card_ids=[session.card_ids[index % len(session.card_ids)]])


def measure_crash(
    *,
    participants: int = 50,
    notes: int = 20,
    kills: int = 10,
    group_size: int = 5,
    seed: int = 1,
    work_dir: Path | None = None,
    timeout: float = 900.0,
) -> dict[str, Any]:
    """Participants (simulated browsers) send notes through /take-part while the server is SIGKILLed and restarted.

    They join through /join first, then work in breakout groups of `group_size`, each group on its own card (every
    participant page reloads its card's notes when anyone sends one to that card, so one whole room on one card
    makes the run measure fan-out rather than crashes).
    A note counts as confirmed when its sender's page showed "Sent", or listed it under "What you sent" after a
    reload. At the end the database is read: confirmed notes missing = lost, the same text stored twice = duplicate.
    """
    from sqlmodel import select

    from cardkit import db
    from cardkit.models import Note

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory(dir=work_dir) as folder:
        data = Path(folder) / 'server'
        with database_at(sqlite_url(data)):
            data.mkdir()
            session = start_workshop('Crash test', themes=[1, 2, 3, 4, 5, 6])
            server = ServerProcess(data)
            server.start()
            state = _CrashState()
            started = time.monotonic()

            async def run() -> None:
                state.server_up.set()
                deadline = time.monotonic() + timeout
                pace = max(0.2, kills * 5.0 / max(1, notes))
                joined = await asyncio.gather(
                    *[_crash_join(server, session.join_code, n, state, deadline) for n in range(participants)]
                )
                await asyncio.to_thread(_breakout, session.id, group_size)
                await asyncio.sleep(1.5)  # let the server write the browsers' storage (their tokens) to disk
                tasks = [
                    _crash_participant(
                        server,
                        session.join_code,
                        browser,
                        path,
                        n,
                        notes,
                        pace,
                        state,
                        random.Random(seed * 1000 + n),
                        deadline,
                    )
                    for n, (browser, path) in enumerate(joined)
                ]
                await asyncio.gather(*tasks, _killer(server, kills, participants, state, rng, (1.0, 3.0)))

            try:
                asyncio.run(run())
            finally:
                server.stop()
            seconds = time.monotonic() - started
            with db.read() as s:
                stored = [n.text for n in s.exec(select(Note).where(Note.session_id == session.id)).all()]
    counts: dict[str, int] = {}
    for text in stored:
        counts[text] = counts.get(text, 0) + 1
    return {
        'crash_participants': participants,
        'crash_notes_each': notes,
        'crash_kills': state.kills,
        'crash_notes_confirmed': len(state.confirmed),
        'crash_notes_stored': len(counts),
        'crash_confirmed_lost': len(state.confirmed - set(counts)),
        'crash_typed_over_stale_draft': len(state.typed_over_stale_draft),
        'crash_lost_after_stale_draft': len((state.confirmed - set(counts)) & state.typed_over_stale_draft),
        'crash_duplicates': sum(c - 1 for c in counts.values()),
        'crash_resent_after_reconnect': state.resent_after_reconnect,
        'crash_waited_for_the_limit': state.waited_for_limit,
        'crash_reconnects': state.reconnects,
        'crash_places_lost_on_reload': state.places_lost,
        'crash_participants_gave_up': state.gave_up,
        'crash_restart_s_max': round(max(state.restart_seconds, default=0.0), 2),
        'crash_seconds': round(seconds, 1),
    }
