"""Access: guessing join codes, closed codes, facilitator pages without their key, forged socket events."""

from __future__ import annotations

import asyncio
import json
import random
import uuid
from typing import Any

from reliability.server import ServerProcess, running_server, server_data, start_workshop
from reliability.simbrowser import SimBrowser, join_as

FACILITATOR_PAGES = ('console', 'room', 'actions', 'report', 'setup', 'solo')
VIEW_PAGES = ('projector', 'plenary')


def measure_guessing(guesses: int = 10_000) -> dict[str, Any]:
    """Join-code guesses from one address through the join page's own look-up (real database, one open session),
    10,000 of them in 50 seconds of the throttle's clock; then an hour of one guess every 0.36 s."""
    from cardkit import db, workshop

    rng = random.Random(7)
    clock = [0.0]
    with server_data():
        session = start_workshop('Guessing target')
        saved = workshop.join_throttle
        workshop.join_throttle = workshop.WrongCodes(clock=lambda: clock[0])
        found = admitted = 0
        first_refused = None
        try:
            for n in range(guesses):
                clock[0] += 0.005
                code = ''.join(rng.choice(workshop.CODE_ALPHABET) for _ in range(workshop.CODE_LENGTH))
                if code == session.join_code:
                    continue
                try:
                    result = db.look(workshop.look_up_code, code=code, address='203.0.113.9')
                except workshop.Throttled:
                    first_refused = first_refused or n + 1
                    continue
                admitted += 1
                found += result.session is not None
            # the genuine code still works from another address, and from this one once the window has passed
            other = db.look(workshop.look_up_code, code=session.join_code, address='198.51.100.7').session is not None
        finally:
            workshop.join_throttle = saved
        closed_code = session.join_code
        db.run(workshop.close_session, session_id=session.id)
        try:
            db.run(workshop.join, code=closed_code, name='Latecomer')
            closed_admitted = 1
        except Exception:  # NotFound: the code of a closed session opens nothing
            closed_admitted = 0
    hour = workshop.WrongCodes(clock=lambda: clock[0])
    per_hour = 0
    for _ in range(guesses):  # 10,000 tries in an hour
        clock[0] += 0.36
        if not hour.blocked('203.0.113.9'):
            per_hour += 1
            hour.wrong('203.0.113.9')
    return {
        'access_guesses': guesses,
        'access_guesses_found_session': found,
        'access_guesses_admitted': admitted,
        'access_throttled_from_try': first_refused,
        'access_guesses_admitted_per_hour': per_hour,
        'access_genuine_code_other_address_ok': int(other),
        'access_closed_session_admitted': closed_admitted,
    }


async def _access_checks(
    server: ServerProcess, session: Any, projector_key: str, facilitator_code: str, results: dict[str, Any]
) -> None:
    from cardkit import db, sessions, workshop

    wrong = 'x' * 32
    refused: list[str] = []
    opened: list[str] = []
    stranger = SimBrowser(server.url)
    for page in (*FACILITATOR_PAGES, *VIEW_PAGES):
        keys = {'no key': '', 'wrong key': wrong}
        if page in FACILITATOR_PAGES:
            keys['projector key'] = projector_key
        for what, key in keys.items():
            _status, text = await stranger.get(f'/session/{session.id}/{page}' + (f'?key={key}' if key else ''))
            leaked = session.title in text or session.facilitator_key in text
            (opened if leaked else refused).append(f'{page} ({what})')
    for path in ('/sessions', '/sessions/new?deck=card-activity'):
        _status, text = await stranger.get(path)
        (opened if session.title in text or 'Facilitators only' not in text else refused).append(path)
    results['access_direct_urls_refused'] = len(refused)
    results['access_direct_urls_opened'] = len(opened)
    results['access_direct_urls_opened_list'] = opened

    # a participant, and the facilitator's console open at the same time
    phone = SimBrowser(server.url)
    path = await join_as(phone, session.join_code, 'Curious participant')
    participant_page = await phone.open(path)
    facilitator = SimBrowser(server.url)
    console = await facilitator.open(f'/session/{session.id}/console?key={session.facilitator_key}')
    before = await asyncio.to_thread(db.run, sessions.get_session, session_id=session.id)
    console_buttons = console.find(lambda e: e.get('tag') == 'q-btn' and e.get('events'))
    forged = 0
    for element_id in console_buttons:
        listener = (
            console.listener(element_id, 'click')
            if any(ev.get('type') == 'click' for ev in console.elements[element_id]['events'])
            else None
        )
        if listener is None:
            continue
        for target in (element_id, participant_page.button('Send')):  # the console's id, and a real id of the phone
            await participant_page.emit(target, listener)
            forged += 1
    # the phone's own group buttons (it is in no group) and a made-up client id
    await participant_page.emit(
        participant_page.button('Next'), participant_page.listener(participant_page.button('Next'), 'click')
    )
    await participant_page.emit(
        console_buttons[0] if console_buttons else 1, str(uuid.uuid4()), client_id=str(uuid.uuid4())
    )
    forged += 2
    await asyncio.sleep(2.0)
    after = await asyncio.to_thread(db.run, sessions.get_session, session_id=session.id)
    changed = [
        name
        for name in (
            'current_index',
            'flipped',
            'timer_seconds',
            'input_locked',
            'status',
            'phase',
            'join_code',
            'show_names',
        )
        if getattr(before, name) != getattr(after, name)
    ]
    results['access_forged_events_sent'] = forged
    results['access_forged_events_that_changed_the_session'] = len(changed)
    results['access_console_client_id_in_phone_page'] = int(console.client_id in participant_page.html)
    results['access_console_still_connected'] = int(not console.gone.is_set())

    # what a participant's browser receives never holds a key
    _, join_html = await phone.get(f'/join/{session.join_code}')
    secrets_seen = 0
    for text in (join_html, participant_page.html, json.dumps(participant_page.elements)):
        secrets_seen += sum(secret in text for secret in (session.facilitator_key, projector_key, facilitator_code))
    results['access_keys_in_participant_pages'] = secrets_seen
    await participant_page.close()
    await console.close()

    # a closed session's code, typed on the join page, admits no one
    await asyncio.to_thread(db.run, workshop.close_session, session_id=session.id)
    late = SimBrowser(server.url)
    try:
        await join_as(late, session.join_code, 'Latecomer', timeout=8)
        results['access_closed_code_admitted_ui'] = 1
    except (RuntimeError, LookupError):
        results['access_closed_code_admitted_ui'] = 0
    # the join page itself throttles guessing once the address's wrong codes are used up
    guesser = SimBrowser(server.url)
    page = await guesser.open('/join')
    throttled_at = None
    alphabet = workshop.CODE_ALPHABET
    for tries in range(1, workshop.WrongCodes().burst + 11):
        await page.type(page.input_labelled('Code'), f'ZZZZ{alphabet[tries // len(alphabet)]}{alphabet[tries % 31]}')
        await page.click(page.button('Join'))
        await page.wait_for(lambda: 'Too many attempts' in page.texts(), 0.3)  # each answer is in within ms
        if 'Too many attempts' in page.texts():
            throttled_at = tries
            break
    results['access_join_page_throttled_at_try'] = throttled_at
    await page.close()
    for browser in (stranger, phone, facilitator, guesser, late):
        await browser.close()


def measure_access(guesses: int = 10_000) -> dict[str, Any]:
    """Guessing, closed codes, facilitator pages and forged socket events against a real server, and key leaks."""
    from cardkit import sessions

    results = measure_guessing(guesses)
    facilitator_code = uuid.uuid4().hex
    with server_data() as data:
        session = start_workshop(f'Secret strategy {uuid.uuid4().hex[:8]}')
        projector_key = sessions.projector_key(session)
        with running_server(
            data, env={'CARDKIT_TRUST_LOOPBACK': '0', 'CARDKIT_FACILITATOR_CODE': facilitator_code}
        ) as server:
            asyncio.run(_access_checks(server, session, projector_key, facilitator_code, results))
            results['access_server_tracebacks'] = len(server.errors_logged())
    return results
