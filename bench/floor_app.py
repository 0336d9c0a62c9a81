"""The bare fan-out floor: one label per client, updated through one `nicegui.Event` per room.

    python bench/floor_app.py --port 8790

`/room/{r}` is a participant of room r: one label following the room's event. `/drive/{r}` is its facilitator: a
Next button whose click emits the event with the next card's text, so the baseline is driven through a socket `event`
like Cardkit's console. The room benchmark measures this app with the same harness and the same rooms, and reports
Cardkit's figures as ratios to it. FLOOR_GC_FREEZE=1 calls `gc.freeze()` at startup.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from nicegui import Event, app, ui

_rooms: dict[int, Event[str]] = {}
_bumps: dict[int, int] = {}


def next_text(room: int, n: int) -> str:
    """The text of room's n-th bump (the harness knows it in advance)."""
    return f'Room {room} card {n}: how do we support every learner to progress?'


def channel(room: int) -> Event[str]:
    if room not in _rooms:
        _rooms[room] = Event[str]()
    return _rooms[room]


@ui.page('/room/{room}')
def participant(room: int) -> None:
    label = ui.label(next_text(room, _bumps.get(room, 0)))
    channel(room).subscribe(label.set_text)


@ui.page('/drive/{room}')
def facilitator(room: int) -> None:
    def bump() -> None:
        _bumps[room] = _bumps.get(room, 0) + 1
        channel(room).emit(next_text(room, _bumps[room]))

    ui.button('Next', on_click=bump)


if __name__ in {'__main__', '__mp_main__'}:
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=8790)
    args = parser.parse_args([] if 'pytest' in sys.modules else sys.argv[1:])
    if os.environ.get('FLOOR_GC_FREEZE') == '1':
        app.on_startup(gc.freeze)
    ui.run(host='127.0.0.1', port=args.port, show=False, reload=False, title='floor')
