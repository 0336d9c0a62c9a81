"""Access: nobody gets where they don't belong.

- 10,000 join-code guesses from one address in 50 s through the join page's look-up (real database): none finds a
  session, the throttle refuses once the address's 30 wrong codes are used up, and at most 300 an hour are even
  looked up (as with the old limit of 5 a minute; a hall joining with the right code is tested in test_rel_floods).
- A closed session's code admits no one (use case and join page).
- Against a real server with CARDKIT_TRUST_LOOPBACK=0: every facilitator page (console, room, actions, report,
  set-up, solo) without a key, with a wrong key and with the view-only projector key, the projector/plenary without or
  with a wrong key, and the sessions list and new-session page: none shows the session (its unique title) or its key.
- Forged socket events: a participant's socket sends `event` messages carrying the console's element and listener ids
  (taken from a console page open at the same time), the phone's own Send button id with console listener ids, the
  phone's group "Next" (it is in no group) and a made-up client id: the session's state does not change, the console
  stays connected, and the console's client id never appears in the participant's page.
- The facilitator key, the projector key and the installation's facilitator code appear nowhere in the HTML or the
  elements of /join/CODE and /take-part as a participant sees them.
- The join page itself (a simulated browser typing wrong codes) says "Too many attempts" once they are used up.
"""

from __future__ import annotations

from cardkit import workshop
from reliability.access import measure_access


def test_guessing_forging_and_direct_urls_gain_nothing() -> None:
    figures = measure_access(10_000)
    print(figures)
    assert figures['access_guesses_found_session'] == 0
    burst = workshop.WrongCodes().burst
    assert figures['access_guesses_admitted'] <= burst + 50 / workshop.WrongCodes().refill + 1  # in 50 s
    assert figures['access_throttled_from_try'] == burst + 1
    assert figures['access_guesses_admitted_per_hour'] <= 300
    assert figures['access_genuine_code_other_address_ok'] == 1
    assert figures['access_closed_session_admitted'] == 0
    assert figures['access_closed_code_admitted_ui'] == 0
    assert figures['access_direct_urls_opened'] == 0, figures['access_direct_urls_opened_list']
    assert figures['access_direct_urls_refused'] == 6 * 3 + 2 * 2 + 2
    assert figures['access_forged_events_sent'] >= 4
    assert figures['access_forged_events_that_changed_the_session'] == 0
    assert figures['access_console_still_connected'] == 1
    assert figures['access_console_client_id_in_phone_page'] == 0
    assert figures['access_keys_in_participant_pages'] == 0
    assert figures['access_join_page_throttled_at_try'] is not None
    assert figures['access_join_page_throttled_at_try'] <= burst + 1
