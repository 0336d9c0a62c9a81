"""Network drops on a participant's phone: real Chromium on /take-part against a real server process; Chrome DevTools
cuts the network (Network.emulateNetworkConditions offline) for 2 s and 10 s while the participant types a note and
presses Enter.

Asserted: the page reconnects by itself, every note sent before the drop is still listed, the participant is told
while offline (NiceGUI's "connection lost" notice is shown), and a reload brings them back to the same place (their
token is in the browser's user storage). The note typed during the drop is stored exactly once: either its Enter
reached the server when the network came back, or it is still in the box and pressing Enter again sends it (which of
the two happened depends on whether the socket noticed the drop before Enter; both are printed). A drop the page has
not noticed (outgoing packets vanish) is made on purpose too: the box still shows the text, and Enter or Send sends
what it shows, although the server never heard the typing; and if the page reloads before anything got through (as
after a drop longer than the server keeps a page), the browser's copy of the text is back in the box. And a note whose
answer never came back ("Sent" lost), after which the card moved on and the page reloaded on a busy phone (the box's
own updates reach the server a second late), is stored once: the browser's copy of it does not come back into the box
(the participant is told it had been sent already), and Enter, pressed if it did, would send it a second time. The
60 s drop runs in `python -m reliability --only drops`.
"""

from __future__ import annotations

from reliability.drops import measure_drops


def test_drops_of_2_and_10_seconds_lose_nothing_and_tell_the_participant() -> None:
    figures = measure_drops((2, 10))
    print(figures)
    for seconds in (2, 10):
        drop = {
            key.removeprefix(f'drop_{seconds}s_'): value
            for key, value in figures.items()
            if key.startswith(f'drop_{seconds}s_')
        }
        assert drop['box_empty_at_start'] == 1, drop
        assert drop['before_listed_at_once'] == 1, drop
        assert drop['reconnected'] == 1, drop
        assert drop['before_present'] == 1, drop
        assert drop['told_during_drop'] == 1, drop
        assert drop['during_stored'] == 1, drop
        assert drop['during_copies'] == 1, drop
        assert drop['box_empty_at_end'] == 1, drop
    # a drop the page had not noticed: the text is still in the box, and Enter sends what the box shows, once
    for how in ('enter', 'button', 'reload'):
        assert {key: value for key, value in figures.items() if key.startswith(f'drop_unnoticed_{how}_')} == {
            f'drop_unnoticed_{how}_kept_in_box': 1,
            f'drop_unnoticed_{how}_sent_on_retry': 1,
            f'drop_unnoticed_{how}_copies': 1,
            f'drop_unnoticed_{how}_box_empty_at_end': 1,
        }
    assert figures['drop_notes_lost'] == 0
    assert figures['drop_reload_same_place'] == 1
    # a note whose "Sent" was lost, the browser's copy of it after a reload on the next card: once only, and said so
    assert figures['drop_lost_answer_copies'] == 1
    assert figures['drop_lost_answer_back_in_box'] == 0
    assert figures['drop_lost_answer_told_sent_already'] == 1
    assert figures['drop_lost_answer_box_empty_at_end'] == 1
