"""Access: nobody gets where they don't belong.

- 10,000 join-code guesses from one address through the join page's look-up (real database): none finds a session,
  the throttle refuses from the 6th try, and at most 5 a minute (300 an hour) are even looked up.
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
- The join page itself (a simulated browser typing wrong codes) says "Too many attempts" within 6 tries.
"""
from __future__ import annotations

from cardkit import workshop
from reliability.access import measure_access


def test_the_throttle_admits_five_tries_a_minute_per_address() -> None:
    throttle = workshop.JoinThrottle(limit=5, window=60)
    allowed = [throttle.allow('203.0.113.1', now=0.005 * n) for n in range(10_000)]  # 10,000 tries in 50 s
    assert allowed[:5] == [True] * 5 and not any(allowed[5:])
    assert throttle.allow('198.51.100.2', now=1.0)  # another address is not held back
    assert throttle.allow('203.0.113.1', now=200.0)  # nor the same one once the window has passed


def test_guessing_forging_and_direct_urls_gain_nothing() -> None:
    figures = measure_access(10_000)
    print(figures)
    assert figures['access_guesses_found_session'] == 0
    assert figures['access_guesses_admitted'] == 5
    assert figures['access_throttled_from_try'] == 6
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
    assert figures['access_join_page_throttled_at_try'] <= 6
