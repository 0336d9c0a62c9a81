"""Your organisation's decks: the list at `/decks/yours` and the deck editor at `/decks/yours/{org_deck_id}`.

The editor changes a draft (plain data in the deck file's shape) in place: every change is saved at once, and half a
second after the last one the draft is checked (with the words and line numbers of `cardkit validate` for the
downloadable YAML) and the selected card is previewed front and back exactly as the projector draws it.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import Callable
from typing import Any

from nicegui import background_tasks, ui
from nicegui.events import UploadEventArguments

from cardkit import authoring, live, sessions
from cardkit import library as deck_library
from cardkit.deck import Deck
from cardkit.deckfile import DeckError, Problem
from cardkit.errors import InputError, NotFound
from cardkit.models import OrgDeck, OrgDeckVersion
from cardkit.text import sentence
from cardkit.ui import design
from cardkit.ui.components.card_view import CardView
from cardkit.ui.components.confirm import ConfirmDialog
from cardkit.ui.components.deck_form import CardForm, deck_details, theme_fields
from cardkit.ui.components.words import counts, ordered, plural
from cardkit.ui.design import Text, aria

CHECK_AFTER = 0.5  # seconds after the last change

CSS = """
.ck-author-grid { display: grid; gap: 1.25rem; align-items: start;
                  grid-template-columns: 21rem minmax(0, 1fr) auto; grid-template-areas: 'outline form preview'; }
.ck-author-grid > * { min-width: 0; }
.ck-author-outline { grid-area: outline; position: sticky; top: 4.5rem; max-height: calc(100vh - 5.5rem);
                     overflow-y: auto; }
.ck-author-form { grid-area: form; display: flex; flex-direction: column; gap: 1rem; }
.ck-author-side { grid-area: preview; position: sticky; top: 4.5rem; display: flex; flex-direction: column;
                  gap: 0.5rem; }
@media (max-width: 1400px) {
  .ck-author-grid { grid-template-columns: minmax(0, 1fr) auto; grid-template-areas: 'outline preview' 'form preview'; }
  .ck-author-outline { position: static; max-height: none; }
  .ck-preview-frame { --ck-preview-scale: 0.22; }
}
@media (max-width: 1000px) {
  .ck-author-grid { grid-template-columns: minmax(0, 1fr); grid-template-areas: 'outline' 'form' 'preview'; }
  .ck-author-side { position: static; }
  .ck-preview-frame { --ck-preview-scale: 0.17; }
}
.ck-field-row { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: flex-start; }
.ck-field-row > .q-field:not(.w-28):not(.w-32):not(.w-44):not(.w-48) { flex: 1 1 12rem; }
.ck-subpanel { border: 1px solid var(--ck-line); border-radius: 8px; padding: 0.6rem; display: flex;
               flex-direction: column; gap: 0.4rem; }
.ck-outline { display: flex; flex-direction: column; gap: 0.6rem; }
.ck-issue { border: 1px solid var(--ck-line); border-left-width: 0.5rem; border-radius: 8px; padding: 0.35rem 0.5rem;
            display: flex; flex-direction: column; gap: 0.1rem; }
.ck-outline-row { display: flex; align-items: center; gap: 0.15rem; border-radius: 6px; }
.ck-outline-row.ck-selected { background: #E6EEF8; outline: 2px solid var(--ck-accent); }
.ck-outline-row .ck-pick { flex: 1; min-width: 0; justify-content: flex-start; text-align: left; }
.ck-outline-row .ck-pick .q-btn__content { justify-content: flex-start; flex-wrap: nowrap; min-width: 0; }
.ck-outline-row .ck-pick .block { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ck-outline-row.ck-card-row { padding-left: 1.2rem; }
.ck-outline-row .q-btn.ck-tool { min-width: 2.25rem; min-height: 2.25rem; }
.ck-outline-row .q-btn.ck-tool:disabled { opacity: 0.25 !important; }
.ck-issue-head .ck-pick { font-weight: 700; }
.ck-issue-head .ck-pick .block { white-space: normal; text-align: left; }
.ck-outline-add { display: flex; flex-wrap: wrap; gap: 0 0.5rem; padding: 0.1rem 0 0.2rem 1.2rem; }
.ck-outline-add .q-btn { font-size: 0.9rem; }
/* the up, down and remove buttons show on the chosen row, and on the row under the mouse or keyboard focus */
.ck-outline-row:not(.ck-selected):not(:hover):not(:focus-within) .ck-tool { display: none; }
.ck-points textarea { font-family: ui-monospace, monospace; font-size: 0.95rem; }
.ck-toolbar-author { display: flex; flex-wrap: wrap; gap: 0.6rem; align-items: center; }
.ck-save-reason { color: var(--ck-danger); font-weight: 600; }
.ck-status { font-size: 0.95rem; color: var(--ck-muted); }
.ck-status.ck-status-error { color: var(--ck-danger); font-weight: 700; }
.ck-preview-label { font-weight: 700; font-size: 0.95rem; color: var(--ck-muted); text-transform: uppercase;
                    letter-spacing: 0.06em; }
.ck-preview-frame { --ck-preview-scale: 0.27; width: calc(1920px * var(--ck-preview-scale));
                    height: calc(1080px * var(--ck-preview-scale)); overflow: hidden; border-radius: 6px;
                    border: 1px solid var(--ck-line); background: #E9EBEE; flex: none; box-sizing: content-box; }
.ck-preview-stage { width: 1920px; height: 1080px; box-sizing: border-box; padding: 23px 31px 15px; display: flex;
                    flex-direction: column; gap: 15px; transform: scale(var(--ck-preview-scale));
                    transform-origin: 0 0; }
.ck-preview-stage .ck-card { cursor: default; flex: 1; min-height: 0; }
.ck-preview-stage .ck-band-progress { display: none; }
.ck-preview-stage .ck-card.ck-size-projector { --ck-lead: calc(86.4px * var(--ck-fit, 1)); --ck-band: 36.48px;
                                               --ck-prompt: calc(38.4px * var(--ck-fit, 1));
                                               --ck-small: calc(27.84px * var(--ck-fit, 1)); }
.ck-preview-stage .ck-size-projector .ck-face { min-height: 0; flex: 1; }
.ck-preview-foot { font-size: 30.72px; font-weight: 800; color: #000; font-variant-numeric: tabular-nums; }
.ck-preview-empty { display: flex; align-items: center; justify-content: center; height: 100%; padding: 1rem;
                    text-align: center; color: var(--ck-muted); }
.ck-deck-row { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; }
.ck-badge { display: inline-block; font-size: 0.8rem; font-weight: 700; border-radius: 999px; padding: 0.05rem 0.6rem;
            background: #E6EEF8; color: var(--ck-accent); }
.ck-start-grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 19rem), 1fr)); gap: 1rem; }
.ck-start-grid .ck-panel { height: 100%; }
"""

# Shrink a preview card's text until it fits its 1920x1080 stage, as the projector does on its screen. Constant code.
FIT_JS = """<script>
(() => {
  const fitAll = () => document.querySelectorAll('.ck-preview-stage .ck-card').forEach((card) => {
    let scale = 1;
    card.style.setProperty('--ck-fit', scale);
    while (card.scrollHeight > card.clientHeight + 1 && scale > 0.5) {
      scale -= 0.04; card.style.setProperty('--ck-fit', scale.toFixed(2));
    }
  });
  let queued = false;
  const soon = () => { if (!queued) { queued = true; requestAnimationFrame(() => { queued = false; fitAll(); }); } };
  window.addEventListener('load', () => {
    new MutationObserver((changes) => {
      if (changes.some((c) => c.target.closest && c.target.closest('.ck-preview-stage'))) soon();
    }).observe(document.body, {childList: true, subtree: true, characterData: true});
    soon();
  });
})();
</script>"""


# --- the list of your decks ----------------------------------------------------------------------------------------


async def library() -> None:
    """The page: your organisation's decks with their versions, and the ways to start a new one."""
    ui.add_css(CSS)
    with design.frame('Your decks'):
        page = YourDecks()
    await page.load()


class YourDecks:
    """New deck buttons, uploads with their problems, and the list of decks."""

    def __init__(self) -> None:
        self.problems: tuple[str, list[Problem]] | None = None
        self.listed: list[authoring.OrgDeckSummary] = []
        self.archived: list[authoring.OrgDeckSummary] = []
        Text('h1', "Your organisation's decks")
        Text(
            'p',
            'Write your own strategic issues and cards, or tailor a copy of a shipped deck. Save a version '
            'when a deck is ready: sessions can then use it, and each session keeps the version it started '
            'with.',
        ).classes('ck-muted')
        self.start_new()
        self.upload_problems()
        self.decks()

    def start_new(self) -> None:
        shipped = {
            d.id: d.title for d in ordered(deck_library.shipped().decks.values()) if d.id != authoring.BLANK_TEMPLATE
        }
        with ui.element('section').classes('ck-start-grid').mark('start-new'):
            with ui.element('div').classes('ck-panel'):
                Text('h2', 'Start a new deck')
                ui.button(
                    'New from scratch', icon='add', on_click=lambda: self.create(authoring.create_from_scratch)
                ).props('unelevated no-caps').mark('new-scratch')
                ui.button(
                    'From the blank template', icon='article', on_click=lambda: self.create(authoring.create_from_blank)
                ).props('outline no-caps').mark('new-blank')
                Text('p', 'The blank template is one strategic issue with three cards to fill in.').classes('ck-hint')
            with ui.element('div').classes('ck-panel'):
                Text('h2', 'Copy a shipped deck')
                choice = (
                    ui.select(shipped, value=next(iter(shipped), None), label='Shipped deck')
                    .props('outlined dense')
                    .classes('w-full')
                    .mark('copy-select')
                )
                ui.button(
                    'Copy it',
                    icon='content_copy',
                    on_click=lambda: self.create(authoring.copy_shipped, deck_id=choice.value),
                ).props('outline no-caps').mark('copy')
                Text('p', 'Add your own strategic issues to it, reword its cards or leave some out.').classes('ck-hint')
            with ui.element('div').classes('ck-panel'):
                Text('h2', 'Bring in a file')
                Text('p', 'A deck YAML file (at most 1 MB) or a filled-in Word card template (.docx).').classes(
                    'ck-hint'
                )
                with ui.element('div').classes('flex flex-wrap gap-2'):
                    self._upload(
                        'Upload a deck file (.yaml)',
                        '.yaml,.yml',
                        'yaml',
                        authoring.upload_yaml,
                        authoring.MAX_UPLOAD_BYTES,
                        'deck YAML files',
                    )
                    self._upload(
                        'Import a Word template (.docx)',
                        '.docx',
                        'docx',
                        authoring.import_word_template,
                        authoring.MAX_TEMPLATE_BYTES,
                        'card templates',
                    )

    def _upload(self, label: str, accept: str, kind: str, use_case: Callable[..., Any], limit: int, what: str) -> None:
        """A named button that opens the file picker of an uploader kept out of sight: Quasar's own has an unnamed
        button wrapped round an unlabelled file input."""
        upload = (
            ui.upload(
                auto_upload=True,
                max_file_size=limit,
                on_upload=lambda e: self.uploaded(e, use_case),
                on_rejected=lambda: self.rejected(what, limit),
            )
            .props(f'accept="{accept}"')
            .classes('hidden')
            .mark(f'upload-{kind}')
        )
        ui.button(label, icon='upload_file', on_click=lambda: upload.run_method('pickFiles')).props(
            'outline no-caps'
        ).mark(f'pick-{kind}')

    async def load(self) -> None:
        """Read the decks and their versions off the event loop, then draw the list."""
        self.listed = await live.look(authoring.summaries)
        self.archived = await live.look(authoring.summaries, archived=True)
        self.decks.refresh()

    async def create(self, make: Any, **arguments: Any) -> None:
        try:
            row = await live.do(make, **arguments)
        except (InputError, NotFound) as error:
            ui.notify(str(error), type='warning')
            return
        ui.navigate.to(f'/decks/yours/{row.id}')

    async def uploaded(self, e: UploadEventArguments, adopt: Any) -> None:
        name = authoring.safe_name(e.file.name)
        try:
            limit = (
                authoring.MAX_TEMPLATE_BYTES if adopt is authoring.import_word_template else authoring.MAX_UPLOAD_BYTES
            )
            if e.file.size() > limit:
                raise DeckError(
                    [Problem(name, None, None, 'file', f'is larger than {limit:,} bytes; a deck must be smaller')]
                )
            row = await live.do(adopt, filename=e.file.name, data=await e.file.read())
        except DeckError as error:
            self.problems = (name, error.problems)
            self.upload_problems.refresh()
            return
        except (InputError, NotFound) as error:
            self.problems = (name, [Problem(name, None, None, 'file', str(error))])
            self.upload_problems.refresh()
            return
        if row.based_on and row.based_on != row.deck_id and adopt is authoring.upload_yaml:
            ui.notify(f"The deck id '{row.based_on}' was already in use, so this deck is called '{row.deck_id}'.")
        ui.navigate.to(f'/decks/yours/{row.id}')

    def rejected(self, what: str, limit: int) -> None:
        self.problems = (
            'The file',
            [
                Problem(
                    'The file',
                    None,
                    None,
                    'file',
                    f'was not uploaded: {what} must be at most {limit:,} bytes ({limit // 1_000_000} MB)',
                )
            ],
        )
        self.upload_problems.refresh()

    @ui.refreshable_method
    def upload_problems(self) -> None:
        if self.problems is None:
            return
        name, problems = self.problems
        with ui.element('section').classes('ck-panel').props('role=alert').mark('upload-problems'):
            Text('h2', f'“{name}” could not be used')
            Text(
                'p',
                'Fix these problems in the file and upload it again; each line names the line and column of the file.',
            ).classes('ck-muted')
            with ui.element('ul').classes('ck-text-list'):
                for problem in problems:
                    Text('li', str(problem)).classes('ck-problem')

    @ui.refreshable_method
    def decks(self) -> None:
        Text('h2', 'Your decks')
        if not self.listed:
            Text('p', 'None yet: start one above.').classes('ck-muted').mark('no-org-decks')
        for summary in self.listed:
            self.deck_row(summary)
        if self.archived:
            with ui.expansion(f'Archived decks ({len(self.archived)})').classes('w-full').mark('archived'):
                for summary in self.archived:
                    row = summary.row
                    with ui.element('div').classes('ck-deck-row'):
                        Text('span', row.title or row.deck_id)
                        ui.button('Restore', on_click=lambda r=row: self.archive(r, False)).props(
                            'flat no-caps dense'
                        ).mark(f'restore-{row.id}')

    def deck_row(self, summary: authoring.OrgDeckSummary) -> None:
        row, versions = summary.row, summary.versions
        with ui.element('article').classes('ck-panel').mark(f'org-deck-{row.id}'):
            with ui.element('div').classes('ck-deck-row'):
                Text('h3', row.title or row.deck_id).classes('text-xl')
                Text('span', 'Your organisation').classes('ck-badge')
            details = f'Deck id {row.deck_id}'
            if row.based_on:
                details += f' · based on {row.based_on}'
            Text('p', details).classes('ck-muted')
            if summary.latest is not None and summary.deck is not None:
                latest, deck = summary.latest, summary.deck
                note = f': {latest.note}' if latest.note else ''
                Text(
                    'p', f'Version {latest.number} saved {latest.created_at:%d %b %Y %H:%M}{note} · {counts(deck)}'
                ).mark(f'org-deck-version-{row.id}')
            else:
                Text('p', 'Draft only: save a version in the editor to use it for sessions.').classes('ck-muted')
            with ui.element('div').classes('ck-deck-row'):
                ui.link('Edit', f'/decks/yours/{row.id}').classes('ck-button').mark(f'edit-{row.id}')
                if versions:
                    ui.link('Start a session with it', f'/sessions/new?deck=org:{row.id}').mark(f'start-{row.id}')
                ui.button('Archive', icon='inventory_2', on_click=lambda r=row: self.confirm_archive(r)).props(
                    'flat no-caps'
                ).mark(f'archive-{row.id}')

    async def confirm_archive(self, row: OrgDeck) -> None:
        if await ConfirmDialog(
            f'Archive “{row.title or row.deck_id}”?',
            confirm='Archive',
            danger=False,
            detail='It leaves this list and cannot be picked for new sessions; sessions that used '
            'it keep their cards. You can restore it later.',
        ).ask():
            await self.archive(row, True)

    async def archive(self, row: OrgDeck, archived: bool) -> None:
        await live.do(authoring.archive, org_deck_id=row.id, archived=archived)
        await self.load()


# --- the editor ----------------------------------------------------------------------------------------------------


async def editor(org_deck_id: int) -> None:
    """The page: edit a deck's details, strategic issues and cards, with a live preview and its problems."""
    ui.add_css(CSS)
    ui.add_head_html(FIT_JS)
    try:
        row = await live.look(authoring.get, org_deck_id=org_deck_id)
    except NotFound:
        with design.frame('Edit deck'):
            design.not_found('This deck does not exist', "Your organisation's decks", '/decks/yours')
        return
    clash = await live.look(authoring.id_clash, org_deck_id=row.id, deck_id=str(row.draft.get('id', '')))
    saved = await live.look(authoring.versions, org_deck_id=row.id)
    latest = await live.look(authoring.version_deck, version=saved[-1]) if saved else None
    with design.frame('Edit deck', wide=True):
        Editor(row, clash, saved, latest)


def preview_card() -> CardView:
    """A card drawn as the projector draws it; clicking does not turn it (front and back are both shown)."""
    return CardView('projector', clickable=False)


class Editor:
    """The draft being edited, the selected card, and when it was last saved and checked."""

    def __init__(
        self, row: OrgDeck, clash: str | None, saved: list[OrgDeckVersion], latest: Deck | None = None
    ) -> None:
        self.row = row
        self.saved_versions = saved
        self.latest_hash = sessions.deck_hash(latest) if latest is not None else None  # the latest version's content
        self.draft: dict[str, Any] = copy.deepcopy(row.draft)
        self.selected: tuple[int | None, int | None] = (0, 0) if self._cards(0) else (0, None)
        self.changes = self.saved = self.checked = 0
        self.last_change = 0.0
        self.deck: Deck | None = None
        self.problems: list[Problem] = []
        self.clash: str | None = None
        self._save_lock = asyncio.Lock()
        self._checking = False
        self.build()
        self.deck, self.problems = authoring.check_draft(self.draft)
        self.clash = clash
        self.show_results()
        ui.timer(0.2, self.tick)

    # --- the draft's parts ---

    def _themes(self) -> list[Any]:
        themes = self.draft.get('themes')
        return themes if isinstance(themes, list) else []

    def _cards(self, t: int | None) -> list[Any]:
        themes = self._themes()
        if t is None or not 0 <= t < len(themes) or not isinstance(themes[t], dict):
            return []
        cards = themes[t].get('cards')
        return cards if isinstance(cards, list) else []

    def _label(self) -> str:
        label = self.draft.get('theme_label')
        return label.strip() if isinstance(label, str) and label.strip() else 'Strategic issue'

    def _themes_and_cards(self) -> str:
        """'Strategic issues and cards', 'Huddle topics and cards': what the outline holds, in the deck's words."""
        themes = plural(self._label(), 2).removeprefix('2 ')
        return f'{sentence(themes)} and cards'

    def _title(self) -> str:
        title = self.draft.get('title')
        return title.strip() if isinstance(title, str) and title.strip() else '(no title yet)'

    # --- drawing ---

    def build(self) -> None:
        self.root = ui.element('div').classes('hidden')  # dialogs live here, outside the parts that redraw
        with ui.element('div').classes('ck-deck-row'):
            self.heading = Text('h1', f'Edit deck: {self._title()}').mark('editor-heading')
            Text('span', 'Your organisation').classes('ck-badge')
            self.status = ui.label('All changes saved').classes('ck-status').props('role=status').mark('save-status')
        self.toolbar()
        with ui.element('div').classes('ck-author-grid'):
            with (
                aria(ui.element('nav'), label=self._themes_and_cards())
                .classes('ck-panel ck-author-outline')
                .mark('outline-panel') as self.outline_nav
            ):
                self.outline_heading = Text('h2', self._themes_and_cards()).mark('outline-heading')
                Text('p', 'Choose a card to edit it and see it in the preview.').classes('ck-hint')
                self.outline()
            with ui.element('div').classes('ck-author-form'):
                with (
                    ui.element('section').classes('ck-panel').mark('deck-details'),
                    ui.expansion('Deck details: title, id, version, introduction …', value=not self._themes())
                    .classes('w-full')
                    .mark('deck-details-toggle'),
                ):
                    deck_details(self.draft, self.changed)
                with ui.element('section').classes('ck-panel').mark('detail'):
                    self.detail()
                with ui.element('section').classes('ck-panel').mark('problems-panel'):
                    self.problem_list()
            with ui.element('aside').classes('ck-author-side').mark('preview'):
                Text('h2', 'Preview: as the projector shows it')
                Text('span', 'Front').classes('ck-preview-label')
                with ui.element('div').classes('ck-preview-frame').mark('preview-front'):
                    with ui.element('div').classes('ck-preview-stage') as self.front_stage:
                        self.front = preview_card()
                        self.front_foot = ui.label().classes('ck-preview-foot')
                    self.front_empty = Text('p', '').classes('ck-preview-empty').mark('preview-empty')
                Text('span', 'Back (SEE OVER)').classes('ck-preview-label')
                with ui.element('div').classes('ck-preview-frame').mark('preview-back'):
                    with ui.element('div').classes('ck-preview-stage') as self.back_stage:
                        self.back = preview_card()
                        self.back_foot = ui.label().classes('ck-preview-foot')
                    self.back_empty = Text('p', '').classes('ck-preview-empty')

    def toolbar(self) -> None:
        with ui.element('div').classes('ck-toolbar-author'):
            self.note = (
                ui.input('Note for this version (optional)')
                .props('outlined dense maxlength=200')
                .classes('w-72')
                .mark('version-note')
            )
            self.save_button = (
                ui.button('Save version', icon='bookmark_added', on_click=self.publish)
                .props('unelevated no-caps')
                .mark('save-version')
            )
            ui.button('Download YAML', icon='download', on_click=self.download).props('outline no-caps').mark(
                'download-yaml'
            )
            ui.button('Write to folder', icon='drive_folder_upload', on_click=self.write_to_folder).props(
                'flat no-caps'
            ).mark('write-folder')
            ui.link("Your organisation's decks", '/decks/yours')
        with ui.element('div').classes('ck-deck-row'):
            self.save_reason = Text('p', '').classes('ck-save-reason').mark('save-reason')
            self.versions_line = Text('p', '').classes('ck-muted').mark('versions')
        self._show_versions()

    def _outline_key(self) -> str:
        """What the outline shows of the draft, to redraw it only when that changed."""
        keys = ('number', 'title', 'colour', 'id', 'lead', 'kind')
        return repr(
            [
                (
                    tuple(t.get(k) for k in keys),
                    [tuple(c.get(k) for k in keys) for c in self._cards(i) if isinstance(c, dict)],
                )
                for i, t in enumerate(self._themes())
                if isinstance(t, dict)
            ]
            + [self._label(), self.selected]
        )

    @ui.refreshable_method
    def outline(self) -> None:
        self._drawn_outline = self._outline_key()
        themes = self._themes()
        label = self._label()
        selected_t, selected_c = self.selected
        with ui.element('div').classes('ck-outline').mark('outline'):
            for t, item in enumerate(themes):
                issue = item if isinstance(item, dict) else {}
                cards = self._cards(t)
                n = t + 1
                colour = design.safe_colour(
                    issue.get('colour') if isinstance(issue.get('colour'), str) else None, fallback=LINE_COLOUR
                )
                with ui.element('div').classes('ck-issue').style(f'border-left-color:{colour}').mark(f'issue-{n}'):
                    head = 'ck-outline-row ck-issue-head' + (
                        ' ck-selected' if t == selected_t and selected_c is None else ''
                    )
                    with ui.element('div').classes(head):
                        title = issue.get('title') if isinstance(issue.get('title'), str) else ''
                        ui.button(
                            f'{label} {issue.get("number", "?")}: {title or "(no title yet)"}',
                            on_click=lambda t=t: self.select(t, None),
                        ).props('flat no-caps dense').classes('ck-pick').mark(f'select-issue-{n}')
                        self._tools(
                            f'issue-{n}',
                            f'{label} {issue.get("number", n)}',
                            t,
                            len(themes),
                            lambda d, t=t: self.move_issue(t, d),
                            lambda t=t: self.remove_issue(t),
                        )
                    for c, card_item in enumerate(cards):
                        card = card_item if isinstance(card_item, dict) else {}
                        selected = ' ck-selected' if (t, c) == (selected_t, selected_c) else ''
                        with ui.element('div').classes('ck-outline-row ck-card-row' + selected):
                            lead = card.get('lead') if isinstance(card.get('lead'), str) else ''
                            kind = ' (checklist)' if card.get('kind') == 'checklist' else ''
                            ui.button(
                                f'{card.get("id", "?")}{kind}  {lead or "(no lead question yet)"}',
                                on_click=lambda t=t, c=c: self.select(t, c),
                            ).props('flat no-caps dense').classes('ck-pick').mark(f'select-card-{n}-{c + 1}')
                            self._tools(
                                f'card-{n}-{c + 1}',
                                f'card {card.get("id", c + 1)}',
                                c,
                                len(cards),
                                lambda d, t=t, c=c: self.move_card(t, c, d),
                                lambda t=t, c=c: self.remove_card(t, c),
                            )
                    with ui.element('div').classes('ck-outline-add'):
                        ui.button('+ Add a card', on_click=lambda t=t: self.add_card(t, 'question')).props(
                            'flat no-caps dense'
                        ).mark(f'add-card-{n}')
                        ui.button('+ Add a checklist', on_click=lambda t=t: self.add_card(t, 'checklist')).props(
                            'flat no-caps dense'
                        ).mark(f'add-checklist-{n}')
            ui.button(f'Add a {label.lower()}', icon='add_box', on_click=self.add_issue).props(
                'outline no-caps'
            ).classes('self-start').mark('add-issue')

    def _tools(self, marker: str, name: str, index: int, count: int, move: Any, remove: Any) -> None:
        """Up, down and remove buttons for an issue or a card of the outline."""
        up = (
            ui.button(icon='arrow_upward', on_click=lambda: move(-1))
            .props('flat round dense')
            .classes('ck-tool')
            .mark(f'{marker}-up')
        )
        aria(up, label=f'Move {name} up')
        up.set_enabled(index > 0)
        down = (
            ui.button(icon='arrow_downward', on_click=lambda: move(1))
            .props('flat round dense')
            .classes('ck-tool')
            .mark(f'{marker}-down')
        )
        aria(down, label=f'Move {name} down')
        down.set_enabled(index < count - 1)
        gone = (
            ui.button(icon='delete', on_click=remove)
            .props('flat round dense')
            .classes('ck-tool')
            .mark(f'{marker}-remove')
        )
        aria(gone, label=f'Remove {name}')

    @ui.refreshable_method
    def detail(self) -> None:
        t, c = self.selected
        themes = self._themes()
        if t is None or not 0 <= t < len(themes) or not isinstance(themes[t], dict):
            Text('p', f'Add a {self._label().lower()} to start.').classes('ck-muted')
            self.card_heading = None
            return
        issue = themes[t]
        Text('h2', f'{self._label()} {issue.get("number", t + 1)}').mark('issue-heading')
        theme_fields(issue, self._label(), self.changed)
        cards = self._cards(t)
        if c is None or not 0 <= c < len(cards) or not isinstance(cards[c], dict):
            self.card_heading = None
            Text('p', 'Choose one of its cards above, or add one.').classes('ck-muted')
            return
        ui.separator()
        self.card_heading = Text('h2', f'Card {cards[c].get("id", "")}').mark('card-heading')
        CardForm(cards[c], self.changed, self.changed)

    @ui.refreshable_method
    def problem_list(self) -> None:
        name = authoring.yaml_filename(self.draft)
        if not self.problems and not self.clash:
            Text('h2', 'No problems')
            Text('p', self._valid_draft_text()).classes('ck-muted').mark('no-problems')
            return
        count = len(self.problems) + bool(self.clash)
        Text('h2', f'Problems ({count})').mark('problems-heading')
        Text('p', f'As `cardkit validate {name}` reports them for the downloaded file.').classes('ck-muted')
        with ui.element('ul').classes('ck-text-list').mark('problems'):
            for problem in self.problems:
                Text('li', str(problem)).classes('ck-problem')
            if self.clash:
                Text('li', f'{name}: id: {self.clash}').classes('ck-problem')

    # --- changes ---

    def changed(self) -> None:
        """A field changed: save the draft now, check it and redraw the preview shortly."""
        self.changes += 1
        self.last_change = time.monotonic()
        self.status.set_text('Saving…')
        self._show_names()
        background_tasks.create(self.save(), name='save deck draft')

    async def save(self) -> bool:
        """Save the latest draft (one save at a time; a later call saves whatever changed meanwhile)."""
        async with self._save_lock:
            if self.saved >= self.changes:
                return True
            number, snapshot = self.changes, copy.deepcopy(self.draft)
            try:
                await live.do(authoring.save_draft, org_deck_id=self.row.id, draft=snapshot)
            except InputError as error:
                self.status.set_text(sentence(str(error)))
                self.status.classes(add='ck-status-error')
                return False
            self.saved = number
            if self.saved >= self.changes:
                self.status.set_text('All changes saved')
                self.status.classes(remove='ck-status-error')
            return True

    async def tick(self) -> None:
        if self.checked >= self.changes or self._checking or time.monotonic() - self.last_change < CHECK_AFTER:
            return
        self._checking = True
        try:
            number, snapshot = self.changes, copy.deepcopy(self.draft)
            self.deck, self.problems = await live.off_loop(authoring.check_draft, snapshot)
            self.clash = await live.look(
                authoring.id_clash, org_deck_id=self.row.id, deck_id=str(snapshot.get('id', ''))
            )
            self.checked = number
            if self._outline_key() != self._drawn_outline:
                self.outline.refresh()
            self.show_results()
        finally:
            self._checking = False

    def show_results(self) -> None:
        """Problems, the save button and the preview for the draft as last checked."""
        self.problem_list.refresh()
        count = len(self.problems) + bool(self.clash)
        self.save_button.set_enabled(count == 0)
        self.save_reason.set_text(
            ''
            if count == 0
            else f'Save version is off until the {count} problem{"s" if count > 1 else ""} listed '
            'under the editor are fixed.'
        )
        if self.card_heading is not None:
            t, c = self.selected
            self.card_heading.set_text(f'Card {self._cards(t)[c].get("id", "")}')
        self.show_preview()

    def show_preview(self) -> None:
        t, c = self.selected
        checked = self.deck if self.checked >= self.changes else None  # a deck checked before the last change is stale
        found = authoring.card_preview(self.draft, t, c, checked) if t is not None and c is not None else None
        for view, stage, foot, empty in (
            (self.front, self.front_stage, self.front_foot, self.front_empty),
            (self.back, self.back_stage, self.back_foot, self.back_empty),
        ):
            shown = found is not None and (view is self.front or found[1].has_back)
            stage.set_visibility(shown)
            empty.set_visibility(not shown)
            if found is not None and shown:
                deck, card, position, total = found
                view.show(deck, card, flipped=view is self.back, position=position, total=total)
                foot.set_text(f'{position} / {total}')
        if found is None:
            self.front_empty.set_text(
                'Choose a card to preview it.'
                if c is None
                else 'The preview appears when this card has no problems (see the list).'
            )
        else:
            self.back_empty.set_text('This card has no back: nothing to see over.')

    async def select(self, t: int | None, c: int | None) -> None:
        """Show an issue (and one of its cards) in the form and the preview."""
        self.selected = (t, c)
        await self.outline.refresh()
        await self.detail.refresh()
        self.show_results()

    async def structure_changed(self, t: int | None, c: int | None) -> None:
        self.changed()
        await self.select(t, c)

    async def add_issue(self) -> None:
        authoring.new_theme(self.draft)
        t = len(self._themes()) - 1
        await self.structure_changed(t, 0)

    async def add_card(self, t: int, kind: str) -> None:
        authoring.new_card(self.draft, self._themes()[t], kind)
        await self.structure_changed(t, len(self._cards(t)) - 1)

    async def move_issue(self, t: int, direction: int) -> None:
        new = authoring.move(self._themes(), t, direction)
        selected_t, selected_c = self.selected
        if selected_t == t:
            selected_t = new
        elif selected_t == new:
            selected_t = t
        await self.structure_changed(selected_t, selected_c)

    async def move_card(self, t: int, c: int, direction: int) -> None:
        new = authoring.move(self._cards(t), c, direction)
        selected_t, selected_c = self.selected
        if selected_t == t and selected_c == c:
            selected_c = new
        elif selected_t == t and selected_c == new:
            selected_c = c
        await self.structure_changed(selected_t, selected_c)

    async def remove_issue(self, t: int) -> None:
        issue = self._themes()[t]
        name = f'{self._label()} {issue.get("number", t + 1)}' if isinstance(issue, dict) else self._label()
        count = len(self._cards(t))
        with self.root:
            dialog = ConfirmDialog(
                f'Remove {name} and its {count} card{"s" if count != 1 else ""}?',
                detail='Saved versions keep it; this draft will not.',
                confirm='Remove',
            )
        if not await dialog.ask():
            return
        del self._themes()[t]
        remaining = len(self._themes())
        new_t = min(t, remaining - 1) if remaining else None
        await self.structure_changed(new_t, 0 if self._cards(new_t) else None)

    async def remove_card(self, t: int, c: int) -> None:
        card = self._cards(t)[c]
        name = f'card {card.get("id", c + 1)}' if isinstance(card, dict) else 'this card'
        with self.root:
            dialog = ConfirmDialog(
                f'Remove {name}?', detail='Saved versions keep it; this draft will not.', confirm='Remove'
            )
        if not await dialog.ask():
            return
        del self._cards(t)[c]
        cards = len(self._cards(t))
        await self.structure_changed(t, min(c, cards - 1) if cards else None)

    # --- saving versions and files ---

    def _valid_draft_text(self) -> str:
        """What a valid draft is to sessions: not saved yet, the latest version, or changed since it."""
        if not self.saved_versions:
            return 'This draft is a valid deck. ' + NOT_SAVED
        number = self.saved_versions[-1].number
        checked = self.deck if self.checked >= self.changes else None
        if checked is not None and sessions.deck_hash(checked) == self.latest_hash:
            return f'This draft is a valid deck, the same as version {number}, which sessions can use.'
        return f'This draft is a valid deck with changes since version {number}: save a version to use them.'

    def _show_versions(self) -> None:
        saved = self.saved_versions
        if saved:
            latest = saved[-1]
            earlier = f' ({len(saved)} versions in all)' if len(saved) > 1 else ''
            self.versions_line.set_text(
                f'Version {latest.number} saved {latest.created_at:%d %b %Y %H:%M}; sessions can use it{earlier}.'
            )
        else:
            self.versions_line.set_text(NOT_SAVED)

    def _show_names(self) -> None:
        """The heading and the outline's name follow the deck's title and what it calls its themes as typed."""
        heading = f'Edit deck: {self._title()}'
        if self.heading.text != heading:
            self.heading.set_text(heading)
        outline = self._themes_and_cards()
        if self.outline_heading.text != outline:
            self.outline_heading.set_text(outline)
            aria(self.outline_nav, label=outline)
            self.outline_nav.update()

    async def publish(self) -> None:
        if not await self.save():
            return
        before = self.saved_versions[-1] if self.saved_versions else None
        try:
            version = await live.do(authoring.publish, org_deck_id=self.row.id, note=self.note.value or '')
        except DeckError as error:
            ui.notify(f'Not saved: the draft has {len(error.problems)} problem(s); see the list.', type='warning')
            return
        except InputError as error:
            ui.notify(f'Not saved: {error}', type='warning')
            return
        if before is not None and version.id == before.id:
            ui.notify(f'Nothing changed since version {version.number}; no new version was saved.')
        else:
            ui.notify(f'Saved as version {version.number}.', type='positive')
            self.note.set_value('')
        self.saved_versions = await live.look(authoring.versions, org_deck_id=self.row.id)
        self.latest_hash = sessions.deck_hash(await live.look(authoring.version_deck, version=self.saved_versions[-1]))
        self._show_versions()
        self.problem_list.refresh()

    async def download(self) -> None:
        await self.save()
        ui.download.content(
            authoring.draft_yaml(self.draft).encode('utf-8'), authoring.yaml_filename(self.draft), 'application/yaml'
        )

    async def write_to_folder(self) -> None:
        if not await self.save():
            return
        try:
            path = await live.look(
                authoring.write_to_folder, org_deck_id=self.row.id, folder=authoring.default_folder()
            )
        except DeckError as error:
            ui.notify(f'Not written: the draft has {len(error.problems)} problem(s); see the list.', type='warning')
            return
        except (InputError, OSError) as error:
            ui.notify(f'Not written: {error}', type='warning')
            return
        ui.notify(f'Written to {path}', type='positive')


LINE_COLOUR = design.LINE
NOT_SAVED = 'Not saved as a version yet: save a version to use it in a session.'
