"""Design constants (colours, type sizes for phone and projector, focus ring) and the shared page frame."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from nicegui import Client, app, ui
from nicegui.elements.mixins.text_element import TextElement

APP_NAME = 'Cardkit'
ACCESSIBILITY_URL = '/accessibility'
TAGLINE = 'Strategic card activities for supporting learner progression'

# Colours: every text/background pair below meets WCAG AA (4.5:1) or better.
INK = '#1B1B1B'  # body text on PAPER / PAGE: 16.7:1 and 15.3:1
MUTED = '#4A4F55'  # secondary text on PAPER: 8.4:1
PAPER = '#FFFFFF'
PAGE = '#F3F4F6'
LINE = '#C9CED6'  # borders (decoration only)
HEADER = '#1B2A38'  # header background, white text 14.6:1
ACCENT = '#1D4F91'  # links and primary buttons, white text 8.4:1
DANGER = '#A4262C'  # problems, white text 7.0:1; on PAPER 7.0:1
FOCUS = '#FFDD00'  # focus ring, with a FOCUS_EDGE halo so it shows on light and dark backgrounds
FOCUS_EDGE = '#0B0C0C'
WHITE = '#FFFFFF'
FALLBACK_BAND = '#35535E'


@dataclass(frozen=True)
class Palette:
    """Colours of a card's surroundings; the projector uses the high-contrast one."""

    ink: str
    muted: str
    paper: str
    page: str


NORMAL_PALETTE = Palette(ink=INK, muted=MUTED, paper=PAPER, page=PAGE)
PROJECTOR_PALETTE = Palette(ink='#000000', muted='#1B1B1B', paper='#FFFFFF', page='#FFFFFF')


@dataclass(frozen=True)
class TypeScale:
    """Font sizes of a card: the lead question, band, prompts and small print (CSS lengths)."""

    lead: str
    band: str
    prompt: str
    small: str


# `normal` is fluid: readable on a 360px phone and grows on wide screens; `projector` is sized for the back of a room
# at 1920x1080 (lead question 4.5vw = 86px, prompts 2vw = 38px) and falls back to `normal` on narrow screens.
SIZES = {
    'normal': TypeScale(
        lead='clamp(1.45rem, 0.9rem + 2.1vw, 2.9rem)',
        band='clamp(1rem, 0.9rem + 0.4vw, 1.35rem)',
        prompt='clamp(1.05rem, 0.95rem + 0.45vw, 1.4rem)',
        small='clamp(0.9rem, 0.85rem + 0.2vw, 1.05rem)',
    ),
    'projector': TypeScale(lead='4.5vw', band='1.9vw', prompt='2vw', small='1.45vw'),
}

HEX_COLOUR = re.compile(r'^#[0-9A-Fa-f]{6}$')


def safe_colour(value: str | None, fallback: str = FALLBACK_BAND) -> str:
    """The colour if it is exactly #RRGGBB, else the fallback: the only way a deck value may reach a style."""
    return value if isinstance(value, str) and HEX_COLOUR.fullmatch(value) else fallback


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours."""
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def ink_on(background: str) -> str:
    """White text on dark theme colours (all shipped ones); near-black on light colours a deck author might pick."""
    background = safe_colour(background)
    return WHITE if contrast(background, WHITE) >= 4.5 else '#111111'


def _size_rules(name: str, scale: TypeScale) -> str:
    return (
        f'.ck-size-{name} {{ --ck-lead: {scale.lead}; --ck-band: {scale.band}; '
        f'--ck-prompt: {scale.prompt}; --ck-small: {scale.small}; }}'
    )


CSS = f"""
:root {{ --ck-ink: {INK}; --ck-muted: {MUTED}; --ck-paper: {PAPER}; --ck-page: {PAGE}; --ck-line: {LINE};
        --ck-accent: {ACCENT}; --ck-danger: {DANGER}; }}
body.ck-body {{ background: var(--ck-page); color: var(--ck-ink); font-size: 1.0625rem; line-height: 1.5; }}
.ck-header {{ background: {HEADER}; color: {WHITE}; padding: 0.5rem 1rem; gap: 1rem; align-items: center; }}
.ck-header a, .ck-header a:visited {{ color: {WHITE}; text-decoration: none; }}
.ck-brand {{ font-weight: 700; font-size: 1.25rem; letter-spacing: 0.02em; padding: 0.25rem 0.4rem;
             border-radius: 4px; }}
.ck-brand:hover {{ text-decoration: underline; }}
.ck-nav {{ display: flex; gap: 0.25rem; flex-wrap: wrap; }}
.ck-nav-link {{ color: #FFFFFF; text-decoration: none; padding: 0.25rem 0.5rem; border-radius: 4px;
  font-size: 0.95rem; }}
.ck-nav-link:hover {{ text-decoration: underline; }}
.ck-header-title {{ font-size: 1rem; opacity: 0.95; overflow: hidden; text-overflow: ellipsis; white-space: nowrap;
                    min-width: 0; flex: 1; }}
.ck-main {{ width: 100%; max-width: 1280px; margin: 0 auto; padding: 1.25rem 1rem 1.5rem; display: flex;
            flex-direction: column; gap: 1rem; box-sizing: border-box; }}
.nicegui-content:has(> .ck-main) {{ padding: 0; }}
.ck-main.ck-wide {{ max-width: 1840px; }}
.ck-footer {{ width: 100%; max-width: 1280px; margin: 0 auto; padding: 0 1rem 1.25rem; box-sizing: border-box;
              font-size: 0.95rem; }}
.ck-footer.ck-wide {{ max-width: 1840px; }}
.ck-footer a.ck-footer-link, .ck-footer a.ck-footer-link:visited {{ color: var(--ck-accent);
    text-decoration: underline; text-underline-offset: 0.15em; padding: 0.25rem 0; }}
.ck-main h1 {{ font-size: clamp(1.6rem, 1.2rem + 1.5vw, 2.4rem); line-height: 1.2; margin: 0; font-weight: 700; }}
.ck-main h2 {{ font-size: clamp(1.3rem, 1.1rem + 0.8vw, 1.7rem); line-height: 1.25; margin: 0.5rem 0 0;
               font-weight: 700; }}
.ck-main h3 {{ font-size: 1.15rem; line-height: 1.3; margin: 0; font-weight: 700; }}
.ck-main p {{ margin: 0; }}
.ck-main a:not(.q-btn) {{ color: var(--ck-accent); text-decoration: underline; text-underline-offset: 0.15em; }}
.ck-muted {{ color: var(--ck-muted); }}
.ck-problem {{ color: var(--ck-danger); font-family: ui-monospace, monospace; font-size: 0.95rem;
               overflow-wrap: anywhere; }}
.ck-panel {{ background: var(--ck-paper); border: 1px solid var(--ck-line); border-radius: 10px; padding: 1rem 1.25rem;
             display: flex; flex-direction: column; gap: 0.6rem; }}
.ck-text-list {{ margin: 0; padding-left: 1.4rem; list-style: disc outside; }}
.ck-text-list li {{ margin: 0.2rem 0; }}
/* a line of an action (on the console and the action board): its name in bold, the value as typed */
.ck-action-line {{ font-size: 0.95rem; white-space: pre-wrap; overflow-wrap: anywhere; }}
.ck-action-line .ck-key {{ font-weight: 700; }}
.ck-swatch {{ display: inline-block; width: 1rem; height: 1rem; border-radius: 3px; flex: none; }}

/* library */
.ck-tiles {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr)); gap: 1rem; }}
.ck-main a.ck-tile {{ display: flex; flex-direction: column; gap: 0.4rem; background: var(--ck-paper);
                      color: var(--ck-ink); text-decoration: none; border: 1px solid var(--ck-line);
                      border-top: 0.5rem solid var(--ck-accent); border-radius: 10px; padding: 1rem 1.25rem;
                      transition: box-shadow 0.15s, transform 0.15s; }}
.ck-main a.ck-tile:hover {{ box-shadow: 0 4px 14px rgba(0, 0, 0, 0.15); transform: translateY(-2px); }}
.ck-tile .ck-tile-title {{ margin: 0; font-size: 1.3rem; font-weight: 700; line-height: 1.25;
                           color: var(--ck-accent); }}
.ck-tile-open {{ margin-top: auto; font-weight: 700; color: var(--ck-accent); }}

/* deck overview */
.ck-theme {{ border-radius: 10px; overflow: hidden; background: var(--ck-paper); border: 1px solid var(--ck-line); }}
.ck-theme-band {{ padding: 0.6rem 1rem; font-weight: 700; font-size: 1.15rem; }}
.ck-theme-body {{ padding: 0.6rem 1rem 1rem; display: flex; flex-direction: column; gap: 0.4rem; }}
.ck-card-links {{ list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.35rem; }}
.ck-card-links li {{ display: flex; gap: 0.6rem; align-items: baseline; }}
.ck-card-links .ck-num {{ font-weight: 700; min-width: 3.2rem; flex: none; }}
.ck-main a.ck-button {{ display: inline-block; background: var(--ck-accent); color: {WHITE}; text-decoration: none;
                        font-weight: 700; padding: 0.6rem 1.1rem; border-radius: 6px; align-self: flex-start; }}
.ck-main a.ck-button:hover {{ text-decoration: underline; }}

/* card: the frame takes clicks and adds no box of its own; the card is the face inside it */
.ck-card-frame {{ display: contents; }}
{_size_rules('normal', SIZES['normal'])}
{_size_rules('projector', SIZES['projector'])}
@media (max-width: 700px) {{ {_size_rules('projector', SIZES['normal'])} }}
.ck-card {{ background: var(--ck-paper); color: var(--ck-ink); border-radius: 14px; overflow: hidden; width: 100%;
            box-shadow: 0 2px 4px rgba(0, 0, 0, 0.12), 0 10px 28px rgba(0, 0, 0, 0.12); cursor: pointer;
            display: flex; flex-direction: column; border: 1px solid var(--ck-line); overflow-wrap: break-word; }}
.ck-card.ck-size-projector {{ --ck-ink: {PROJECTOR_PALETTE.ink}; --ck-muted: {PROJECTOR_PALETTE.muted};
                              border-width: 2px; border-color: #000; }}
.ck-band {{ display: grid; grid-template-columns: auto 1fr auto; grid-template-areas: 'number title progress';
            align-items: baseline; column-gap: 0.75em; row-gap: 0.2em; padding: 0.7em 1.1em;
            font-size: var(--ck-band); line-height: 1.25; }}
.ck-band-number {{ grid-area: number; font-weight: 800; white-space: nowrap; }}
.ck-band-title {{ grid-area: title; font-weight: 600; min-width: 0; }}
.ck-band-progress {{ grid-area: progress; white-space: nowrap; font-weight: 600; text-align: right; }}
@media (max-width: 700px) {{
  .ck-band {{ grid-template-columns: 1fr auto; grid-template-areas: 'number progress' 'title title'; }}
}}
.ck-face {{ padding: 1.1em 1.4em 1.4em; display: flex; flex-direction: column; gap: 0.75em;
            font-size: var(--ck-prompt); line-height: 1.45; min-height: 14em; }}
.ck-size-projector .ck-face {{ min-height: 55vh; padding: 1em 1.6em 1.2em; }}
.ck-card-id {{ font-size: var(--ck-small); font-weight: 700; color: var(--ck-muted); text-transform: uppercase;
               letter-spacing: 0.06em; }}
.ck-card .ck-lead {{ font-size: var(--ck-lead); line-height: 1.2; font-weight: 700; margin: auto 0; }}
.ck-lead-points {{ font-size: calc(var(--ck-lead) * 0.75); line-height: 1.25; font-weight: 600; }}
.ck-see-over {{ align-self: flex-end; font-size: var(--ck-small); font-weight: 800; letter-spacing: 0.12em;
                color: var(--ck-muted); }}
.ck-intro {{ font-weight: 600; }}
.ck-list {{ list-style: none; margin: 0; padding: 0; display: flex; flex-direction: column; gap: 0.35em; }}
.ck-list .ck-list {{ margin-top: 0.3em; }}
.ck-item {{ display: flex; gap: 0.5em; align-items: baseline; }}
.ck-marker {{ flex: none; min-width: 1.4em; font-weight: 700; }}
.ck-marker.ck-bullet {{ min-width: 0.8em; }}
.ck-item-body {{ flex: 1; min-width: 0; }}
.ck-card .ck-group-heading {{ font-size: inherit; font-weight: 800; margin-top: 0.3em; }}
.ck-context {{ font-style: italic; }}
.ck-small {{ font-size: var(--ck-small); color: var(--ck-muted); line-height: 1.4; }}
.ck-links {{ display: flex; flex-direction: column; gap: 0.25em; font-size: var(--ck-small); }}
.ck-links a {{ color: var(--ck-accent); text-decoration: underline; overflow-wrap: anywhere; }}
.ck-turn-a {{ animation: ck-turn-a 0.5s ease-out; }}
.ck-turn-b {{ animation: ck-turn-b 0.5s ease-out; }}
@keyframes ck-turn-a {{ from {{ transform: perspective(1400px) rotateY(-90deg); opacity: 0.2; }}
                        to {{ transform: perspective(1400px) rotateY(0); opacity: 1; }} }}
@keyframes ck-turn-b {{ from {{ transform: perspective(1400px) rotateY(-90deg); opacity: 0.2; }}
                        to {{ transform: perspective(1400px) rotateY(0); opacity: 1; }} }}
@media (prefers-reduced-motion: reduce) {{ .ck-turn-a, .ck-turn-b {{ animation: none; }} }}

/* card viewer */
.ck-toolbar {{ display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; }}
.ck-toolbar .q-btn {{ min-height: 2.75rem; font-size: 1rem; padding: 0 0.9rem; }}
@media (max-width: 700px) {{
  .ck-main {{ padding: 0.75rem 0.5rem 2rem; }}
  .ck-footer {{ padding: 0 0.5rem 1rem; }}
  .ck-toolbar {{ gap: 0.35rem; }}
  .ck-toolbar .q-btn {{ padding: 0 0.6rem; font-size: 0.95rem; }}
  .ck-wide-only {{ display: none !important; }}
  .ck-face {{ padding: 0.9em 1em 1.1em; }}
  .ck-panel {{ padding: 0.8rem 0.9rem; }}
}}
.ck-jump {{ display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }}
.ck-jump .q-btn {{ min-width: 3rem; min-height: 2.75rem; }}
.ck-hint {{ font-size: 0.95rem; color: var(--ck-muted); }}
.ck-sr-only {{ position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
               clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0; }}

/* keyboard focus: a yellow ring with a dark edge shows on white pages and on dark theme bands alike. It is drawn
   with box-shadow because Quasar buttons force `outline: 0`; the transparent outline shows in forced-colours mode. */
:focus-visible, .q-btn:focus-visible, a:focus-visible {{ outline: 3px solid transparent !important;
    box-shadow: 0 0 0 3px {FOCUS}, 0 0 0 6px {FOCUS_EDGE} !important; border-radius: 4px; }}
.q-btn:focus-visible .q-focus-helper {{ display: none; }}
/* a text field shows its ring round the whole field, not on the text inside it (where it hid the field's label) */
.q-field input:focus-visible, .q-field textarea:focus-visible {{ box-shadow: none !important; }}
.q-field--focused .q-field__control {{ box-shadow: 0 0 0 3px {FOCUS}, 0 0 0 6px {FOCUS_EDGE}; border-radius: 4px; }}
"""

# Space turns the card over in the viewer; stop it also scrolling the page when nothing in particular has focus.
SPACE_DOES_NOT_SCROLL_JS = """<script>
document.addEventListener('keydown', (e) => {
  if (e.key === ' ' && (e.target === document.body || e.target === document.documentElement)) e.preventDefault();
});
</script>"""

# For buttons: a mouse click does not leave focus on the button, so Space and the arrows keep driving the viewer.
NO_FOCUS_ON_MOUSE_DOWN = '(e) => e.preventDefault()'


class Text(TextElement):
    """Plain text in a semantic tag (h1, h2, h3, p, li, span); never interpreted as HTML."""

    TAGS = frozenset({'h1', 'h2', 'h3', 'p', 'li', 'span', 'div'})

    def __init__(self, tag: str, text: str = '') -> None:
        if tag not in self.TAGS:
            raise ValueError(f'unsupported tag {tag!r}')
        super().__init__(tag=tag, text=text)


@contextmanager
def frame(title: str | None = None, *, wide: bool = False, nav: bool = True) -> Iterator[ui.element]:
    """Shared page chrome: header with the app name linking home, and the main content area.

    Participants' and big-screen pages pass nav=False: they show no links into the facilitator's pages. Every page
    ends with a small footer linking to the accessibility statement.
    """
    ui.add_css(CSS)
    ui.colors(primary=ACCENT, negative=DANGER)
    ui.query('body').classes('ck-body')
    ui.page_title(f'{title} · {APP_NAME}' if title else APP_NAME)
    with ui.header().classes('ck-header'):
        if nav:
            aria(ui.link(APP_NAME, '/').classes('ck-brand'), label=f'{APP_NAME}: deck library')
        else:
            ui.label(APP_NAME).classes('ck-brand')
        if title:
            ui.label(title).classes('ck-header-title')
        if nav:
            ui.space()
            with ui.element('nav').props('aria-label="Main"').classes('ck-nav'):
                ui.link('Decks', '/').classes('ck-nav-link')
                ui.link('Sessions', '/sessions').classes('ck-nav-link')
                ui.link('New session', '/sessions/new').classes('ck-nav-link')
    with ui.element('main').classes('ck-main' + (' ck-wide' if wide else '')) as main:
        yield main
    with ui.element('footer').classes('ck-footer' + (' ck-wide' if wide else '')).mark('footer'):
        ui.link('Accessibility', ACCESSIBILITY_URL).classes('ck-footer-link').mark('accessibility-link')


def name_the_loading_bar() -> None:
    """Quasar's loading bar (shown while a request is out) is a progressbar: it needs a name (WCAG 4.1.2). Its
    settings reach every page as it is sent, so this is done once, at start-up."""
    app.config.quasar_config.setdefault('loadingBar', {})['aria-label'] = 'Loading'


def not_found(message: str, link_text: str, link_target: str) -> None:
    """A clear message for something that does not exist, with a way back."""
    with ui.element('div').classes('ck-panel').mark('not-found'):
        Text('h1', message)
        ui.link(link_text, link_target)


E = TypeVar('E', bound=ui.element)


def notify(page: ui.element | Client, message: str, **options: Any) -> None:
    """`ui.notify` on the page that `page` (its client, or an element that stays) belongs to.

    After an await, the element whose handler is running may have been redrawn away by a live update; `ui.notify`
    alone would then fail to find its page and the message would be lost."""
    if page.is_deleted:
        return
    with page:
        ui.notify(message, **options)


def aria(element: E, **attributes: str) -> E:
    """Set aria-* attributes as values, never through a props string (deck text may contain quotes)."""
    for name, value in attributes.items():
        element.props[f'aria-{name.replace("_", "-")}'] = value
    return element


def starts_with_words(text: str, words: str) -> bool:
    """`text` begins with `words` (whole words, case and spacing aside): "Previous card" with "Previous"."""
    text, words = ' '.join(text.split()).casefold(), ' '.join(words.split()).casefold()
    return bool(words) and text.startswith(words) and (len(text) == len(words) or not text[len(words)].isalnum())


def name_and_description(element: E, visible: str, description: str) -> E:
    """A control's accessible name that begins with what it shows (WCAG 2.5.3: a voice-control user says what they
    see): `description` is the name when it starts with the visible text, otherwise the name is the visible text
    and `description` its tooltip and accessible description (the title attribute gives both)."""
    if starts_with_words(description, visible):
        if description.strip() != visible.strip():
            aria(element, label=description)
    else:
        element.props['title'] = description
    return element
