"""Hostile text: script/HTML tags, `javascript:` URLs, Vue `{{ }}` template injection, RTL override, zero-width
joiners, emoji and control characters in the deck (title, theme, card leads, prompts), the session title, the people
involved, participants' names and roles, notes and actions.

Real Chromium (window.alert/confirm/prompt replaced by a counter before any page script, and a global flag an onerror
payload would set) opens the participant's phone view, console, projector, room, plenary, action plan, report page,
set-up and sessions list: scripts executed = 0, and no <img src=x>, <svg onload>, `javascript:` link or <script> from a
payload exists in the DOM. The payload is shown as text on the screens. The Word report, CSV, Markdown, JSON (and its
import) and the printable card set are written without failing. 100,000-character text is refused with a message.
"""

from __future__ import annotations

from reliability.text import measure_hostile_text


def test_payloads_are_shown_as_text_everywhere_and_exported() -> None:
    figures = measure_hostile_text()
    print(figures)
    assert figures['text_screens'] == 9
    assert figures['text_scripts_executed'] == 0
    assert figures['text_csp_violations'] == 0  # the pages work within their Content-Security-Policy
    assert figures['text_injected_elements'] == 0
    assert figures['text_screens_showing_payload_as_text'] >= 7, figures['text_screens_not_showing']
    assert figures['text_exports_failed'] == 0, figures['text_exports_failed_list']
    assert figures['text_json_round_trip'] == 1
    assert figures['text_long_accepted'] == 0
    assert figures['text_long_refused'] == 4
