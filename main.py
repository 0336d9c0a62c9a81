"""Cardkit's composition root: build the app, register each page beside its route, run."""

from __future__ import annotations

import argparse
import os
import sys

from nicegui import app, ui

from cardkit import config, heap, live, privacy
from cardkit.ui import (
    accessibility_page,
    actions_page,
    author_page,
    console,
    deck_view,
    design,
    join_page,
    library_page,
    participant_page,
    projector,
    report_page,
    room_page,
    sessions_page,
    setup_page,
    solo,
)
from cardkit.ui.access import facilitator_only
from cardkit.web import edge


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog='main.py', description='Run the Cardkit web app.')
    parser.add_argument('--host', default='127.0.0.1', help='address to listen on (0.0.0.0 for the whole room)')
    parser.add_argument('--port', type=int, default=8080)
    parser.add_argument('--reload', action='store_true', help='restart when the code changes (development)')
    return parser.parse_args(argv)


socket_guard = edge.install()  # host, origin and size checks, security headers, checked socket messages
design.name_the_loading_bar()

ui.page('/')(library_page.content)
ui.page('/deck/{deck_id}')(deck_view.deck_page)
ui.page('/deck/{deck_id}/card/{card_id}')(deck_view.card_page)
ui.page('/sessions')(facilitator_only(sessions_page.content))
ui.page('/sessions/new')(facilitator_only(setup_page.new_session))
ui.page('/session/{session_id}/setup')(setup_page.edit_session)
ui.page('/session/{session_id}/console')(console.content)
ui.page('/session/{session_id}/projector')(projector.content)
ui.page('/session/{session_id}/solo')(solo.content)
ui.page('/session/{session_id}/actions')(actions_page.content)
ui.page('/session/{session_id}/report')(report_page.content)
ui.page('/session/{session_id}/room')(room_page.content)
ui.page('/session/{session_id}/room/groups')(room_page.groups)
ui.page('/session/{session_id}/room/plenary')(room_page.plenary)
ui.page('/session/{session_id}/plenary')(room_page.plenary_screen)
ui.page('/join')(join_page.content)
ui.page('/accessibility')(accessibility_page.content)
ui.page('/join/{code}')(join_page.content)
ui.page('/take-part')(participant_page.content)
ui.page('/decks/yours')(facilitator_only(author_page.library))
ui.page('/decks/yours/{org_deck_id}')(facilitator_only(author_page.editor))


def purge_hourly() -> None:
    """Retention periods are enforced at start-up, then hourly (the timer is made once the server runs, so each
    start has its own)."""
    app.timer(3600, lambda: live.do(privacy.purge_expired, origin='retention'))


app.on_startup(purge_hourly)

if config.gc_freeze():  # short full garbage collections with a hall of phones connected
    heap_keeper = heap.HeapKeeper(last_activity=live.last_activity, sending=live.sending)

    def keep_heap() -> None:
        heap_keeper.start()
        app.timer(1.0, heap_keeper.tick)
        app.timer(0.1, heap_keeper.tidy)

    app.on_startup(keep_heap)
    app.on_connect(heap_keeper.opened)
    app.on_delete(heap_keeper.closed)

if __name__ in {'__main__', '__mp_main__'}:
    args = parse_args([] if 'pytest' in sys.modules else sys.argv[1:])
    os.umask(0o077)  # the database, browser storage and secrets are readable by this user only
    config.keep_files_private()
    if args.host not in ('127.0.0.1', 'localhost', '::1'):
        print(f'Facilitator code for other devices: {config.facilitator_code()}  (participants join at /join)')
    ui.run(
        host=args.host,
        port=args.port,
        title='Cardkit',
        reload=args.reload,
        show=False,
        storage_secret=config.storage_secret(),
        favicon='🃏',
        language='en-GB',
        reconnect_timeout=30,  # a phone that drops off for up to 30 s comes back to the same page, typing kept
        **edge.server_options(),
    )
