"""Floods from the room, against a real server process with simulated phones.

- A card holding 300 notes, the console and the room open on it: a new note from a phone costs each of them under
  10 KB of updates (one row, not the list) and reaches them within seconds. One phone then sends 60 notes as fast as
  it can: 10 are stored (the most anyone may send in a minute), the phone says why the rest were refused, another
  phone's note still arrives at once, and neither screen loses its connection.
- A note whose "Sent" never arrived (the page was gone before the answer), sent again after a reload: stored once.
- 300 phones behind one address join within 10 s, ten of them typing a wrong code first: all are admitted, none is
  told "Too many attempts".
"""

from __future__ import annotations

from cardkit import workshop
from reliability.floods import measure_hall, measure_note_flood, measure_resend


def test_a_new_note_costs_one_row_and_one_phone_cannot_flood_the_room() -> None:
    figures = measure_note_flood(on_card=300, burst=60)
    print(figures)
    assert figures['flood_console_bytes_per_note'] < 10 * 1024
    assert figures['flood_room_bytes_per_note'] < 10 * 1024
    assert figures['flood_note_to_console_s_max'] < 5
    assert figures['flood_note_to_room_s_max'] < 5
    assert figures['flood_stored_of_one_phone'] == workshop.SENT_PER_MINUTE
    assert figures['flood_refusal_shown_on_the_phone'] == 1
    assert figures['flood_screens_still_connected'] == 1
    assert figures['flood_tracebacks'] == 0


def test_a_note_resent_after_its_answer_was_lost_is_stored_once() -> None:
    figures = measure_resend(rounds=6)
    print(figures)
    assert figures['resend_notes_stored'] == 6
    assert figures['resend_duplicates'] == 0


def test_a_hall_behind_one_address_joins_without_a_refusal() -> None:
    figures = measure_hall(phones=300, seconds=10, mistakes=10)
    print(figures)
    assert figures['hall_admitted'] == figures['hall_participants_stored'] == 300
    assert figures['hall_told_too_many_attempts'] == 0
    assert figures['hall_failed_otherwise'] == 0
    assert figures['hall_tracebacks'] == 0
