"""The app's edge under attack, against a real server process.

- DNS rebinding: a browser on the server's machine, asked by a page of another site whose name now resolves to
  127.0.0.1, requests every facilitator page (the sessions list, set-up, authoring, a console and a room with their
  keys): each is refused and no key reaches it; the same list asked for by 127.0.0.1 itself holds the key (so the
  check can see a leak). A local proxy that passes on its public name, or adds X-Forwarded-For without being listed
  in CARDKIT_TRUSTED_PROXIES, gets the sign-in page. A socket from the other site's origin is refused (403). A 20 MB
  upload posted straight to the deck upload (limit 1 MB) is refused (413), and every file the server keeps in its data
  folder (database, secrets, browser storage) is readable by its user only.
- A page that only loaded /join sends 5,000 log messages of 9 KB and 8,000 malformed or misdirected socket
  messages: the log grows by a few lines, with no traceback, and the pages stay connected.
- 1,100 connections that send half a request, against a server started with Debian's usual open-file limit of
  1,024: another address is answered meanwhile, the server closes them once their headers are overdue, and then the
  same address is answered too.
"""

from __future__ import annotations

from reliability.edge import measure_log_flood, measure_rebinding, measure_slow_connections


def test_a_page_of_another_site_gets_nothing_of_the_facilitators_pages() -> None:
    figures = measure_rebinding()
    print(figures)
    assert figures['edge_foreign_host_refused'] == figures['edge_foreign_host_requests'] == 6
    assert figures['edge_keys_to_foreign_host'] == 0
    assert figures['edge_keys_with_own_host'] == 1
    assert figures['edge_keys_via_unconfigured_proxy'] == 0
    assert figures['edge_foreign_origin_socket_status'] == 403
    assert figures['edge_own_origin_socket_status'] == 101
    assert figures['edge_rebinding_tracebacks'] == 0
    assert figures['edge_upload_oversize_status'] == 413  # the limit holds on the server, not only in the page
    assert figures['edge_upload_oversize_stored'] == 0
    assert figures['edge_files_not_0600'] == 0, figures['edge_files_not_0600_list']


def test_a_page_cannot_fill_the_log_or_make_tracebacks() -> None:
    figures = measure_log_flood(log_events=5000, forged=2000)
    print(figures)
    assert figures['edge_log_bytes_sent'] > 40_000_000
    assert figures['edge_log_bytes_written'] < 64 * 1024
    assert figures['edge_flood_tracebacks'] == 0
    assert figures['edge_pages_still_connected'] == 1
    assert figures['edge_server_answers_after_flood'] == 1


def test_the_server_answers_through_a_thousand_slow_connections() -> None:
    figures = measure_slow_connections(1100, open_files=1024)
    print(figures)
    assert figures['edge_slow_other_address_answered'] == 1
    assert figures['edge_slow_other_address_seconds'] < 5
    assert figures['edge_slow_held_by_server_at_first'] < 1100  # one address cannot hold them all
    assert figures['edge_slow_held_after_12s'] == 0
    assert figures['edge_slow_same_address_answered_after'] == 1
    assert figures['edge_slow_tracebacks'] == 0
