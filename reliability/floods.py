"""Floods from the room: one phone sending notes as fast as it can, what a new note costs the console and the room
when its card already holds hundreds, a note resent after its "Sent" was lost, and a hall of phones behind one
address joining at once."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from reliability.server import ServerProcess, running_server, server_data, start_workshop
from reliability.simbrowser import Disconnected, SimBrowser, SimPage, is_compose_box, is_sent_note, join_as
from reliability.stats import percentile


def _fill_card(session: Any, card_id: str, notes: int) -> None:
    """`notes` notes on one card, sent by as many participants as the limits per person need."""
    from cardkit import db, workshop

    each = min(workshop.SENT_PER_MINUTE, workshop.NOTES_PER_CARD)
    for person in range(-(-notes // each)):
        someone = db.run(workshop.join, code=session.join_code, name=f'Earlier participant {person}')
        for n in range(min(each, notes - person * each)):
            db.run(
                workshop.participant_note,
                token=someone.token,
                card_id=card_id,
                text=f'Earlier note {person}-{n}: ' + 'x' * 80,
            )


async def _send(page: SimPage, text: str) -> None:
    box = page.find(is_compose_box)[0]
    await page.type(box, text)
    await page.click(page.button('Send'))


async def _cost_of_a_note(phone: SimPage, screens: dict[str, SimPage], text: str) -> dict[str, Any]:
    """What one new note costs each screen (bytes of updates until it shows it, and 0.5 s after) and how long it
    takes to reach them."""
    for page in screens.values():
        page.received = 0
    started = time.monotonic()
    await _send(phone, text)
    seconds: dict[str, float | None] = {}
    for name, page in screens.items():
        try:
            shown = await page.wait_for(lambda p=page: text in p.texts(), 20)
        except Disconnected:  # the screen's socket dropped under what it was sent
            shown = False
        seconds[name] = time.monotonic() - started if shown else None
    await asyncio.sleep(0.5)
    return {'bytes': {name: page.received for name, page in screens.items()}, 'seconds': seconds}


async def _flood(server: ServerProcess, session: Any, card_id: str, burst: int) -> dict[str, Any]:
    from cardkit import db, workshop

    facilitator = SimBrowser(server.url)
    key = session.facilitator_key
    console = await facilitator.open(f'/session/{session.id}/console?key={key}')
    room = await facilitator.open(f'/session/{session.id}/room?key={key}')
    screens = {'console': console, 'room': room}
    phones: list[tuple[SimBrowser, SimPage]] = []
    for n in range(4):
        browser = SimBrowser(server.url)
        path = await join_as(browser, session.join_code, f'Phone {n}')
        phones.append((browser, await browser.open(path)))
    costs = [
        await _cost_of_a_note(page, screens, f'Measured note {n} {uuid.uuid4().hex[:6]}')
        for n, (_, page) in enumerate(phones[1:])
    ]
    # the flood: one phone sends as fast as it can
    flooder = phones[0][1]
    other = phones[1][1]
    refusals = 0
    sent_at = time.monotonic()
    for n in range(burst):
        await _send(flooder, f'Flood {n} {uuid.uuid4().hex}')
        if n % 10 == 9:
            await flooder.wait_for(lambda: 'the most anyone can' in flooder.texts(), 0.2)
    await asyncio.sleep(1.0)
    refusals = int('the most anyone can' in flooder.texts())
    during = await _cost_of_a_note(other, screens, f'Note during the flood {uuid.uuid4().hex[:6]}')
    flood_seconds = time.monotonic() - sent_at
    stored = sum(
        1
        for n in await asyncio.to_thread(db.run, workshop.my_notes, token=_token(session, 'Phone 0'))
        if n.text.startswith('Flood')
    )
    connected = int(not console.gone.is_set() and not room.gone.is_set())
    for page in (console, room):
        await page.close()
    for browser, page in phones:
        await page.close()
        await browser.close()
    await facilitator.close()
    most = {name: max(c['bytes'][name] for c in costs) for name in screens}
    slowest = {name: max((c['seconds'][name] or 99) for c in [*costs, during]) for name in screens}
    return {
        'flood_console_bytes_per_note': most['console'],
        'flood_room_bytes_per_note': most['room'],
        'flood_note_to_console_s_max': round(slowest['console'], 2),
        'flood_note_to_room_s_max': round(slowest['room'], 2),
        'flood_sent_by_one_phone': burst,
        'flood_stored_of_one_phone': stored,
        'flood_refusal_shown_on_the_phone': refusals,
        'flood_seconds': round(flood_seconds, 1),
        'flood_screens_still_connected': connected,
    }


def _token(session: Any, name: str) -> str:
    from cardkit import db, workshop

    return next(p.token for p in db.run(workshop.participants, session_id=session.id) if p.name == name)


def measure_note_flood(on_card: int = 300, burst: int = 60) -> dict[str, Any]:
    """A card that already holds `on_card` notes, the facilitator's console and room open on it: what a new note costs
    them (bytes), then one phone sending `burst` notes as fast as it can, and another phone's note meanwhile."""
    with server_data() as data:
        session = start_workshop('Flood test')
        card_id = session.card_ids[0]
        _fill_card(session, card_id, on_card)
        with running_server(data) as server:
            figures = asyncio.run(_flood(server, session, card_id, burst))
            figures['flood_tracebacks'] = len(server.errors_logged())
    return {'flood_notes_on_the_card': on_card, **figures}


# --- a note resent after its "Sent" was lost ----------------------------------------------------------------------


async def _resend(server: ServerProcess, session: Any, rounds: int) -> dict[str, Any]:
    """Each round: type a note, press Send and drop the socket at once (the answer never arrives), reload the page
    and send the same text again, as a person who never saw "Sent" would."""
    browser = SimBrowser(server.url)
    path = await join_as(browser, session.join_code, 'Patchy signal')
    texts = []
    confirmed = 0
    for n in range(rounds):
        text = f'Resent note {n} {uuid.uuid4().hex[:6]}'
        texts.append(text)
        page = await browser.open(path)
        box = page.find(is_compose_box)[0]
        await page.type(box, text)
        await page.emit(page.button('Send'), page.listener(page.button('Send'), 'click'), text)
        await page.close()  # gone before any answer
        await asyncio.sleep(0.05 * (n % 4))
        page = await browser.open(path)
        if text not in page.shown_texts(is_sent_note):
            box = page.find(is_compose_box)[0]
            await page.type(box, text)
            before = len(page.notifications)
            await page.click(page.button('Send'))
            await page.wait_for(lambda p=page, b=before: 'Sent' in p.notifications[b:], 20)
        confirmed += text in page.shown_texts(is_sent_note) or 'Sent' in page.notifications
        await page.close()
        await asyncio.sleep(6.5)  # a person's pace: within the notes a minute anyone may send
    await browser.close()
    return {'texts': texts, 'confirmed': confirmed}


def measure_resend(rounds: int = 12) -> dict[str, Any]:
    """Notes whose "Sent" was lost and that were sent again: how many are stored twice."""
    from sqlmodel import select

    from cardkit import db
    from cardkit.models import Note

    with server_data() as data:
        session = start_workshop('Resend test')
        with running_server(data) as server:
            outcome = asyncio.run(_resend(server, session, rounds))
        with db.read() as s:
            stored = [n.text for n in s.exec(select(Note).where(Note.session_id == session.id)).all()]
    return {
        'resend_rounds': rounds,
        'resend_notes_stored': len(set(stored) & set(outcome['texts'])),
        'resend_confirmed': outcome['confirmed'],
        'resend_duplicates': sum(stored.count(text) - 1 for text in set(stored) if text in outcome['texts']),
    }


# --- a hall joining at once ------------------------------------------------------------------------------------------


async def _hall(server: ServerProcess, code: str, phones: int, seconds: float, mistakes: int) -> dict[str, Any]:
    from cardkit import workshop

    joined: list[float] = []
    refused = failed = 0
    browsers = [SimBrowser(server.url) for _ in range(phones)]

    async def one(number: int, browser: SimBrowser) -> None:
        nonlocal refused, failed
        await asyncio.sleep(number * seconds / phones)  # the scans arrive over `seconds`
        started = time.monotonic()
        try:
            if number < mistakes:  # a few type the code wrong first
                page = await browser.open('/join')
                await page.type(page.input_labelled('Code'), workshop.normalise_code(code)[::-1])
                await page.click(page.button('Join'))
                await page.wait_for(lambda: 'No open session' in page.texts() or 'Too many' in page.texts(), 20)
                refused += 'Too many' in page.texts()
                await page.close()
            page = await browser.open(f'/join/{code}')
            await page.type(page.input_labelled('Your name'), f'Hall phone {number}')
            await page.click(page.button('Join'))
            await page.wait_for(lambda: bool(page.opened) or 'Too many' in page.texts(), 60)
            if page.opened:
                joined.append(time.monotonic() - started)
            else:
                refused += 'Too many' in page.texts()
                failed += 'Too many' not in page.texts()
            await page.close()
        except Exception:
            failed += 1

    await asyncio.gather(*(one(n, b) for n, b in enumerate(browsers)))
    for browser in browsers:
        await browser.close()
    return {
        'hall_phones': phones,
        'hall_over_seconds': seconds,
        'hall_mistyped_codes': mistakes,
        'hall_admitted': len(joined),
        'hall_told_too_many_attempts': refused,
        'hall_failed_otherwise': failed,
        'hall_join_p50_s': round(percentile(joined, 0.5), 2),
        'hall_join_p95_s': round(percentile(joined, 0.95), 2),
    }


def measure_hall(phones: int = 300, seconds: float = 10.0, mistakes: int = 10) -> dict[str, Any]:
    """`phones` phones behind one address join within `seconds` (all from 127.0.0.1, as a college's phones share
    one public address), `mistakes` of them typing a wrong code first."""
    from cardkit import db, workshop

    with server_data() as data:
        session = start_workshop('Hall test')
        with running_server(data) as server:
            figures = asyncio.run(_hall(server, session.join_code, phones, seconds, mistakes))
            figures['hall_tracebacks'] = len(server.errors_logged())
        figures['hall_participants_stored'] = len(db.run(workshop.participants, session_id=session.id))
    return figures
