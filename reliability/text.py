"""Hostile text: payloads in every field, shown on every screen and exported."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from reliability.chromium import browser_join, chromium
from reliability.server import running_server, server_data

DECK = 'card-activity'


HOSTILE = (
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<img src=x onerror="window.__pwned=1">',
    '<a href="javascript:alert(1)">click me</a> javascript:alert(1)',
    "{{ constructor.constructor('alert(1)')() }}",
    '${alert(1)} `backtick` </textarea><svg onload=alert(1)>',
    'RTL \u202eevil.exe\u202c override',
    'zero\u200dwidth\u200bjoiners\ufeff',
    'emoji 👩🏽‍🏫🃏✅ family 👨‍👩‍👧',
    'control \x00\x01\x07\x1b[31m characters\x7f',
)
LONG_TEXT = 'x' * 100_000
TRAP_JS = (
    'window.__alerts = 0; window.__pwned = 0; window.__csp = [];'
    "document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));"
    'window.alert = window.confirm = window.prompt = function () { window.__alerts += 1; };'
)
CHECK_JS = """
return {alerts: window.__alerts || 0, pwned: window.__pwned || 0, csp: (window.__csp || []).length,
        images: document.querySelectorAll('img[src="x"]').length,
        svgs: document.querySelectorAll('svg[onload]').length,
        scripts: [...document.scripts].filter(s => /^\\s*alert\\(1\\)\\s*$/.test(s.textContent)).length,
        links: [...document.querySelectorAll('a[href^="javascript:"]')].length,
        shown: document.body.innerText.includes('<script>alert(1)</script>')};
"""


def hostile_deck() -> Any:
    """The shipped deck with payloads in its title, theme, card leads, prompts and footnotes."""
    from cardkit import library
    from cardkit.deck import Deck

    data = library.shipped().get(DECK).model_dump(mode='json')
    data['title'] = f'{HOSTILE[0]} {data["title"]}'
    data['themes'][0]['title'] = f'{HOSTILE[1]} {data["themes"][0]["title"]}'
    for n, card in enumerate(data['themes'][0]['cards']):
        card['lead'] = f'{HOSTILE[n % len(HOSTILE)]} {HOSTILE[0]} {HOSTILE[4]} {card["lead"]}'
        if card.get('prompts'):
            first = card['prompts'][0]
            if isinstance(first, str):
                card['prompts'][0] = f'{HOSTILE[2]} {HOSTILE[6]} {first}'
            elif isinstance(first, dict) and 'text' in first:
                first['text'] = f'{HOSTILE[2]} {HOSTILE[6]} {first["text"]}'
    data['id'] = 'hostile-deck'
    return Deck.model_validate(data)


def _fill_hostile(deck: Any) -> tuple[Any, dict[str, int]]:
    """A session whose title, people, participants, notes and actions hold every payload."""
    from cardkit import db, sessions, workshop
    from cardkit.sessions import InputError, PersonIn

    refused = {'long_refused': 0, 'long_accepted': 0}
    session = db.run(
        sessions.start_session,
        deck=deck,
        title=f'{HOSTILE[1]} {HOSTILE[4]}',
        theme_numbers=[1, 2],
        people=[PersonIn(p[:200], p[:200], p[:200], p) for p in HOSTILE[:4]],
    )
    session = db.run(workshop.open_joining, session_id=session.id)
    card = session.card_ids[0]
    for n, payload in enumerate(HOSTILE):
        someone = db.run(workshop.join, code=session.join_code, name=payload[:200], role=payload[:200])
        db.run(workshop.participant_note, token=someone.token, card_id=card, text=payload, client_key=f'hostile-{n}')
        db.run(
            workshop.participant_action,
            token=someone.token,
            what=payload,
            who=payload[:200],
            resources=payload,
            card_id=card,
        )
        db.run(sessions.add_note, session_id=session.id, card_id=card, text=payload, author=payload[:200])
    for call in (
        lambda: db.run(sessions.add_note, session_id=session.id, card_id=card, text=LONG_TEXT),
        lambda: db.run(sessions.add_action, session_id=session.id, what=LONG_TEXT),
        lambda: db.run(workshop.join, code=session.join_code, name=LONG_TEXT),
        lambda: db.run(sessions.rename_session, session_id=session.id, title=LONG_TEXT),
    ):
        try:
            call()
            refused['long_accepted'] += 1
        except InputError:
            refused['long_refused'] += 1
    db.run(workshop.set_options, session_id=session.id, show_on_projector=True)
    return db.run(sessions.get_session, session_id=session.id), refused


def _exports(session: Any, deck: Any, folder: Path) -> dict[str, Any]:
    from docx import Document

    from cardkit import db
    from cardkit.export import cards, formats, report

    failed: list[str] = []
    found = 0
    outputs = {}
    jobs = {
        'docx': lambda: db.run(report.write_report, session_id=session.id, out=folder / 'report.docx'),
        'csv': lambda: db.run(formats.write_export, session_id=session.id, fmt='csv', out=folder / 'actions.csv'),
        'md': lambda: db.run(formats.write_export, session_id=session.id, fmt='md', out=folder / 'actions.md'),
        'json': lambda: db.run(formats.write_export, session_id=session.id, fmt='json', out=folder / 'session.json'),
        'cards': lambda: (cards.card_set(deck).save(str(folder / 'cards.docx')), folder / 'cards.docx')[1],
    }
    for name, job in jobs.items():
        try:
            outputs[name] = Path(job())
        except Exception as error:  # the figure is how many exports failed
            failed.append(f'{name}: {type(error).__name__}: {str(error)[:100]}')
    for path in outputs.values():
        if path.suffix == '.docx':
            document = Document(str(path))
            text = '\n'.join(p.text for p in document.paragraphs)
            text += '\n'.join(c.text for t in document.tables for r in t.rows for c in r.cells)
        else:
            text = path.read_text(encoding='utf-8')
        found += '<script>alert(1)</script>' in text or '&lt;script&gt;alert(1)' in text or '\\u003c' in text
    try:
        db.run(formats.import_session_json, data=(folder / 'session.json').read_text(encoding='utf-8'))
        round_trip = 1
    except Exception as error:
        failed.append(f'json import: {type(error).__name__}: {str(error)[:100]}')
        round_trip = 0
    return {
        'text_exports': len(jobs),
        'text_exports_failed': len(failed),
        'text_exports_failed_list': failed,
        'text_exports_holding_payload': found,
        'text_json_round_trip': round_trip,
    }


def measure_hostile_text() -> dict[str, Any]:
    """Payloads in deck fields, titles, names, notes and actions: shown in real Chromium on every screen, exported."""
    from cardkit import db, sessions

    results: dict[str, Any] = {}
    with server_data() as data:
        deck = hostile_deck()
        session, refused = _fill_hostile(deck)
        results.update({f'text_{k}': v for k, v in refused.items()})
        key, projector = session.facilitator_key, sessions.projector_key(session)
        with running_server(data) as server, chromium() as driver:
            driver.execute_cdp_cmd('Page.addScriptToEvaluateOnNewDocument', {'source': TRAP_JS})
            from cardkit import workshop

            screens = {
                'console': f'/session/{session.id}/console?key={key}',
                'projector': f'/session/{session.id}/projector?key={projector}',
                'room': f'/session/{session.id}/room?key={key}',
                'plenary': f'/session/{session.id}/plenary?key={projector}',
                'actions': f'/session/{session.id}/actions?key={key}',
                'report': f'/session/{session.id}/report?key={key}',
                'setup': f'/session/{session.id}/setup?key={key}',
                'sessions': '/sessions',
            }
            browser_join(driver, server.url, session.join_code, HOSTILE[1])
            screens_checked: dict[str, dict] = {'participant': driver.execute_script(CHECK_JS)}
            mine = next(
                p for p in db.run(workshop.participants, session_id=session.id) if p.name == HOSTILE[1] and p.role == ''
            )
            db.run(workshop.participant_note, token=mine.token, card_id=session.card_ids[0], text=HOSTILE[0])
            time.sleep(1.5)
            screens_checked['participant'] = driver.execute_script(CHECK_JS)
            for name, path in screens.items():
                driver.get(server.url + path)
                time.sleep(2.5)
                screens_checked[name] = driver.execute_script(CHECK_JS)
        results['text_screens'] = len(screens_checked)
        results['text_scripts_executed'] = sum(c['alerts'] + c['pwned'] for c in screens_checked.values())
        results['text_csp_violations'] = sum(c['csp'] for c in screens_checked.values())
        results['text_injected_elements'] = sum(
            c['images'] + c['svgs'] + c['scripts'] + c['links'] for c in screens_checked.values()
        )
        results['text_screens_showing_payload_as_text'] = sum(bool(c['shown']) for c in screens_checked.values())
        results['text_screens_not_showing'] = sorted(n for n, c in screens_checked.items() if not c['shown'])
        results.update(_exports(session, deck, data.parent))
    return results
