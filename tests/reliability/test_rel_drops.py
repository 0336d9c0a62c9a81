"""Network drops on a participant's phone: real Chromium on /take-part against a real server process; Chrome DevTools
cuts the network (Network.emulateNetworkConditions offline) for 2 s and 10 s while the participant types a note and
presses Enter.

Asserted: the page reconnects by itself, every note sent before the drop is still listed, the participant is told
while offline (NiceGUI's "connection lost" notice is shown), and a reload brings them back to the same place (their
token is in the browser's user storage). What happened to the text typed during the drop is measured and printed
(`drop_*_during_sent`, `drop_*_during_kept_in_box`). The 60 s drop runs in `python -m cardkit.reliability --only drops`.
"""
from __future__ import annotations

from cardkit.reliability import measure_drops


def test_drops_of_2_and_10_seconds_lose_nothing_sent_and_tell_the_participant() -> None:
    figures = measure_drops((2, 10))
    print(figures)
    for seconds in (2, 10):
        assert figures[f'drop_{seconds}s_reconnected'] == 1
        assert figures[f'drop_{seconds}s_before_present'] == 1
        assert figures[f'drop_{seconds}s_told_during_drop'] == 1
        assert figures[f'drop_{seconds}s_during_kept_or_told'] == 1
    assert figures['drop_notes_lost'] == 0
    assert figures['drop_reload_same_place'] == 1
