"""The accessibility statement at `/accessibility`, on the model UK public-sector bodies publish: how accessible the
app is, what was tested and how, what is known not to work yet, and how to report a problem.

What it says about testing is what tests/browser/test_accessibility.py does: that test checks the axe-core version
installed is the one named here, so the statement cannot drift from the test run.
"""

from __future__ import annotations

from datetime import date

from nicegui import ui

from cardkit.ui import design
from cardkit.ui.design import Text

PREPARED = date(2026, 12, 2)
AXE_CORE_VERSION = '4.14.1'  # scripts/test.sh installs exactly this version
AXE_TAGS = ('wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa')
AXE_EXTRA_RULES = ('label-content-name-mismatch',)

SCREENS = (
    'the deck library, a deck page and the card viewer',
    'starting a session (set-up) and the list of sessions',
    "the facilitator's console and the projector",
    'the room (groups and plenary) and the plenary big screen',
    "the join page and the participant's pages on a phone: the card, notes, actions and voting",
    'the action plan and the report downloads',
    'solo mode',
    "your organisation's decks and the deck editor",
    'this statement',
)
SIZES = (
    '1366 × 768 (a laptop)',
    '390 × 844 (a phone, with touch emulation)',
    '1920 × 1080 (a projector or big screen: the projector and the plenary screen)',
)

# What is known not to meet WCAG 2.2 AA yet: (where, what, criterion). Each entry comes from the automated run and
# goes when the screen passes it.
# (where, what fails, the WCAG 2.2 success criterion): each entry is also a failing screen in the axe-core tests
KNOWN_ISSUES: tuple[tuple[str, str, str], ...] = ()


def content() -> None:
    with design.frame('Accessibility statement'):
        Text('h1', 'Accessibility statement for Cardkit')
        Text(
            'p',
            'This statement applies to this Cardkit web app: the deck library and card viewer, the screens a '
            'facilitator uses to run a workshop, the projector and big screens, the pages participants use on '
            'their phones, the action plan, the reports and the deck editor.',
        )
        Text(
            'p',
            'We want as many people as possible to be able to use it. You should be able to:',
        )
        bullets(
            [
                'zoom in up to 400%: the pages reflow to a narrow width without scrolling sideways',
                'move through the cards and every control with a keyboard alone: Tab, Enter, Space to turn the card '
                'over, ← and → to move between cards; a yellow ring shows where the keyboard is',
                'use a screen reader: pages have headings and landmarks, every control and field is named, and a '
                'new card or a card turned over is announced (on the projector, the phones and the card viewer)',
                'use voice control by saying what a button shows: each control is named by its visible words',
                'read every text: text and background colours have a contrast of at least 4.5 to 1, and the '
                'projector has a high-contrast mode (H)',
            ]
        )

        Text('h2', 'Compliance status')
        if KNOWN_ISSUES:
            Text(
                'p',
                'This app is partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2 '
                'AA standard, due to the non-compliances listed below.',
            ).mark('compliance')
        else:  # automated checks alone do not make an app fully compliant: no audit by hand has been done yet
            Text(
                'p',
                'This app is partially compliant with the Web Content Accessibility Guidelines (WCAG) version 2.2 '
                'AA standard: automated checks of every screen find no failures, but it has not yet been audited '
                'by hand with screen readers and other assistive technology.',
            ).mark('compliance')

        Text('h2', 'Non-accessible content')
        if KNOWN_ISSUES:
            Text('p', 'The content listed below does not yet meet WCAG 2.2 AA; each is being fixed.')
            with ui.element('ul').classes('ck-text-list').mark('known-issues'):
                for where, what, criterion in KNOWN_ISSUES:
                    Text('li', f'{where}: {what} This fails WCAG 2.2 success criterion {criterion}.')
        else:
            Text('p', 'We know of no content that fails WCAG 2.2 AA.').mark('known-issues')

        Text('h2', 'What we tested and how')
        Text(
            'p',
            f'Every change to Cardkit is tested automatically with axe-core {AXE_CORE_VERSION} (Deque Systems) in '
            'Chromium. The rules run are those tagged ' + ', '.join(AXE_TAGS) + ' — WCAG 2.0, 2.1 and 2.2, levels A '
            'and AA — together with ' + ', '.join(AXE_EXTRA_RULES) + ', which checks that every control’s '
            'accessible name contains its visible label (WCAG 2.5.3). A change is accepted only with no '
            'violations on any of these screens:',
        ).mark('tested-how')
        bullets(list(SCREENS), mark='tested-screens')
        Text(
            'p',
            'Each screen is tested with a workshop in progress (notes, participants in groups, proposed '
            'actions and votes, an organisation’s own deck) at these sizes:',
        )
        bullets(list(SIZES), mark='tested-sizes')
        Text('h3', 'Keyboard only')
        Text(
            'p',
            'An automated browser test runs a whole workshop with the keyboard alone — set-up, the cards, the '
            'room, groups, the plenary, the action plan and the Word report — pressing Tab to reach each control '
            'and Enter or Space to use it, and checks that the focus ring shows on every control it reaches. '
            'Others drive the card viewer with the arrow keys and Space.',
        )
        Text('h3', 'Screen readers')
        Text(
            'p',
            'The projector, the phones and the card viewer tell screen readers when another card is shown ("Card '
            '1.2, 2 of 18: …") and when the card is turned over, through a polite live region that speaks only '
            'when the card or its side changes. Automated tests read that live region in Chromium after each '
            'change. We have not yet tested by hand with NVDA, JAWS, VoiceOver or TalkBack.',
        )
        Text(
            'p',
            'Automated checks find many problems but not all of them, so we also welcome reports from the people '
            'who use Cardkit.',
        )

        Text('h2', 'Reporting accessibility problems')
        Text(
            'p',
            'If you find a problem not listed here, or you need something in a different format, tell the '
            'organisation that runs this Cardkit server: your facilitator, or its IT or digital team. Say which '
            'page you were on (its address), what you were trying to do, and the device, browser and any '
            'assistive technology you use.',
        ).mark('report-a-problem')

        Text('h2', 'Enforcement procedure')
        Text(
            'p',
            'In the UK, the Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public '
            'Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are '
            'not happy with how your complaint is answered, contact the Equality Advisory and Support Service '
            '(EASS).',
        )

        Text('h2', 'Preparation of this statement')
        Text(
            'p',
            f'This statement was prepared on {PREPARED:%-d %B %Y}. It was last reviewed on {PREPARED:%-d %B %Y}, '
            'from the automated tests described above.',
        ).mark('prepared')


def bullets(items: list[str], mark: str = '') -> None:
    with ui.element('ul').classes('ck-text-list').mark(mark):
        for item in items:
            Text('li', item)
