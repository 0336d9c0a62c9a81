"""HeapKeeper: open pages leave the collector's walk; closed pages' cycles are freed when the room is quiet.

Freezing changes the whole process, so each story runs in a Python process of its own.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from cardkit.heap import HeapKeeper

ROOT = Path(__file__).resolve().parents[2]

STORY = textwrap.dedent("""
    import gc, json, weakref
    from cardkit.heap import HeapKeeper

    clock = [100.0]
    last = [0.0]
    sending = [True]
    keeper = HeapKeeper(last_activity=lambda: last[0], sending=lambda: sending[0], quiet_s=5, reclaim_after=2,
                        clock=lambda: clock[0])
    keeper.start()

    class Page:  # a page: many objects, and a cycle (a handler that refers back to its page)
        def __init__(self):
            self.elements = [{'text': str(i), 'props': {'n': [i]}} for i in range(20000)]
            self.handler = lambda: self

    pages = [Page() for _ in range(3)]
    for _ in pages:
        keeper.opened()
    before = len(gc.get_objects())
    while_sending = keeper.tick()  # a page still has a card change to send: no fold now
    clock[0] += 1
    still_sending = keeper.tick()
    clock[0] += 1
    did_fold = keeper.tick()  # pages keep being sent something (a room joining): the fold waited 2 s, it runs
    sending[0] = False
    walked_after_fold = len(gc.get_objects())
    keeper.opened()
    calm_fold = keeper.tick()  # another page, and nothing left to send: it is folded at once

    gone = weakref.ref(pages[0])
    del pages[0:2]  # two pages close: only their cycles keep them
    keeper.closed(); keeper.closed()
    last[0] = clock[0] - 1  # a card just changed: not now
    waited = keeper.tick()
    alive_while_busy = gone() is not None
    clock[0] += 10  # quiet
    did_reclaim = keeper.tick()
    print(json.dumps({'before': before, 'after_fold': walked_after_fold, 'fold': did_fold, 'waited': waited,
                      'while_sending': [while_sending, still_sending], 'calm_fold': calm_fold,
                      'alive_while_busy': alive_while_busy, 'reclaim': did_reclaim, 'freed': gone() is None,
                      'frozen': gc.get_freeze_count(), 'figures': keeper.figures.__dict__}))
""")


def test_pages_leave_the_walk_and_closed_pages_are_freed_once_the_room_is_quiet() -> None:
    import json

    done = subprocess.run(
        [sys.executable, '-c', STORY], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result['before'] > 3 * 60_000  # three pages' objects were walked by every full collection
    assert result['while_sending'] == [None, None] and result['fold'] == 'fold' and result['calm_fold'] == 'fold'
    assert result['after_fold'] < 2_000  # now only what is new is walked
    assert result['frozen'] > 60_000  # the open page is still kept out of the walk after the reclaim
    assert result['waited'] is None and result['alive_while_busy']  # no long pause right after a card change
    assert result['reclaim'] == 'reclaim' and result['freed']
    figures = result['figures']
    assert (figures['folds'], figures['reclaims']) == (2, 1)
    assert figures['longest_reclaim_ms'] > 0


def test_a_reclaim_is_not_put_off_for_ever() -> None:
    """Closed pages pile up in a room that is never quiet: past force_after the keeper reclaims anyway."""
    keeper = HeapKeeper(last_activity=lambda: 99.0, quiet_s=5, reclaim_after=2, force_after=4, clock=lambda: 100.0)
    keeper.reclaim = lambda: setattr(keeper, 'reclaimed', True)  # type: ignore[method-assign]  (this process)
    for _ in range(3):
        keeper.closed()
    assert keeper.tick() is None
    keeper.closed()
    assert keeper.tick() == 'reclaim' and keeper.reclaimed  # type: ignore[attr-defined]


def test_nothing_to_do_when_no_page_opened_or_closed() -> None:
    keeper = HeapKeeper(last_activity=lambda: 0.0, clock=lambda: 100.0)
    assert keeper.tick() is None


def test_tidy_runs_the_next_collection_between_announcements() -> None:
    """Young garbage is collected when no announcement is going out; the older generations when they are due, the
    oldest only once every page has been sent the last change, and at most once a minute (its pause is the
    longest)."""
    import gc
    import weakref

    clock = [100.0]
    last = [0.0]
    sending = [False]
    keeper = HeapKeeper(last_activity=lambda: last[0], sending=lambda: sending[0], busy_s=0.05, clock=lambda: clock[0])
    thresholds = gc.get_threshold()
    was_enabled = gc.isenabled()
    gc.disable()  # the counts below are the collector's own: nothing else may collect meanwhile
    try:
        gc.collect()

        class Node:
            pass

        node = Node()
        node.me = node  # type: ignore[attr-defined]  (a cycle: only a collection frees it)
        gone = weakref.ref(node)
        del node
        last[0] = clock[0] - 0.01  # a card has just been announced
        assert keeper.tidy() is None and gone() is not None
        last[0] = clock[0] - 0.06
        assert keeper.tidy() == 0 and gone() is None
        assert gc.get_count()[0] < 50

        for _ in range(thresholds[1]):
            gc.collect(0)
        assert keeper.tidy() == 1

        for _ in range(thresholds[2]):
            gc.collect(1)
        assert keeper.tidy() == 0  # due, but the keeper started less than a minute ago: only the young generation
        clock[0] += 60
        last[0] = clock[0] - 0.06
        sending[0] = True
        assert keeper.tidy() == 0  # a page has not been sent the last change yet
        sending[0] = False
        assert keeper.tidy() == 2
        assert gc.get_count()[2] == 0

        for _ in range(thresholds[2]):
            gc.collect(1)
        for _ in range(thresholds[1]):
            gc.collect(0)
        clock[0] += 30
        last[0] = clock[0] - 0.3
        assert keeper.tidy() == 1  # a full collection ran 30 s ago: the middle generation, which is due
        clock[0] += 30
        last[0] = clock[0] - 0.3
        assert keeper.tidy() == 2  # a minute on
        assert keeper.figures.tidies == 7 and keeper.figures.longest_tidy_ms > 0
    finally:
        if was_enabled:
            gc.enable()


def test_sending_means_a_connected_page_still_has_something_to_send(monkeypatch) -> None:
    """What the keeper waits for before a long pause: updates or messages queued for a page whose socket is open
    (a page that lost its socket keeps its queue until it reconnects or is deleted, and must not hold pauses off)."""
    from types import SimpleNamespace

    from nicegui import Client

    from cardkit import live

    def page(*, updates: dict | None = None, messages: list | None = None, connected: bool = True) -> SimpleNamespace:
        return SimpleNamespace(
            outbox=SimpleNamespace(updates=updates or {}, messages=messages or []), has_socket_connection=connected
        )

    pages = {'idle': page(), 'gone': page(updates={'c1': object()}, connected=False)}
    monkeypatch.setattr(Client, 'instances', pages)
    assert live.sending() is False
    pages['busy'] = page(messages=[('c2', 'update', {})])
    assert live.sending() is True
    pages['busy'] = page(updates={'c3': object()})
    assert live.sending() is True
