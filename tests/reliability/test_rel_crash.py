"""Crash: a real `python main.py` process is SIGKILLed at random moments while simulated participants send notes.

Each participant is a simulated browser speaking NiceGUI's protocol (reliability.simbrowser.SimBrowser): it joins at
/join/CODE, then on /take-part types a note into the page's own text box and presses its Send button, over a Socket.IO
connection, exactly as a phone does. A note is *confirmed* when the page showed "Sent", or listed it under "What you
sent" after a reload. When the server dies, the participant waits for it, reloads the page (its storage cookie brings
it back to the same place) and carries on: a note whose draft came back is sent again with the same client key.
At the end the database is read: confirmed notes missing = lost, the same note stored twice = duplicate.

CI runs 12 participants × 8 notes with 3 kills; `python -m reliability --only crash` runs 50 × 20 with 10.

A kill just after "Sent" can bring back the browser's draft of the note already sent with its client key; sent
again unchanged it is stored once, and a different note typed over it under that used key is stored as a new note
(add_note only folds a resend of the same text), so neither case loses or doubles a note.
"""

from __future__ import annotations

from reliability.crash import measure_crash


def test_notes_confirmed_before_a_kill_are_never_lost_or_doubled() -> None:
    figures = measure_crash(participants=12, notes=8, kills=3, seed=3, timeout=300)
    print(figures)
    assert figures['crash_kills'] == 3
    assert figures['crash_notes_confirmed'] == 12 * 8  # everyone carried on after every restart
    assert figures['crash_confirmed_lost'] == 0
    assert figures['crash_duplicates'] == 0
    assert figures['crash_places_lost_on_reload'] == 0
    assert figures['crash_participants_gave_up'] == 0
