"""The form parts of the deck editor: deck details, a strategic issue and a card, each editing the draft in place.

Every field writes straight into the draft (plain data in the deck file's shape) and calls `on_change`; it never
checks the value itself, so what was typed is kept as typed and the editor's validation names any problem with the
same words as `cardkit validate`. Deck text reaches the page only as input values and element text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from cardkit import authoring
from cardkit.deck import DEFAULT_COACHING_STEMS, DEFAULT_EVIDENCE_SCALE
from cardkit.ui.design import Text, aria

Changed = Callable[[], None]

POINTS_HINT = (
    'One point per line. For points under a point, indent the line (spaces or Tab) or start it with '
    'a), b) …; start it with 1. for numbers or - for bullets.'
)
NUMBERINGS = {'bullets': 'Bullets •', 'letters': 'Letters a) b) c)', 'numbers': 'Numbers 1. 2. 3.'}


def _set(container: dict[str, Any], key: str, value: Any, *, keep_empty: bool) -> None:
    if value in ('', [], None) and not keep_empty:
        container.pop(key, None)
    else:
        container[key] = value


def text_field(
    container: dict[str, Any],
    key: str,
    label: str,
    marker: str,
    on_change: Changed,
    *,
    multiline: bool = False,
    required: bool = False,
    hint: str = '',
) -> ui.input | ui.textarea:
    """An input (or a growing text area) for one text field of the draft."""
    value = container.get(key, '')
    value = value if isinstance(value, str) else '' if value is None else str(value)

    def changed(e: Any) -> None:
        _set(container, key, e.value or '', keep_empty=required)
        on_change()

    element = (ui.textarea if multiline else ui.input)(label, value=value, on_change=changed)
    element.props('outlined dense' + (' autogrow' if multiline else '')).classes('w-full').mark(marker)
    if hint:
        element.props['hint'] = hint
    return element


def number_field(container: dict[str, Any], key: str, label: str, marker: str, on_change: Changed) -> ui.input:
    """A whole number; anything else is kept as typed so validation can say what is wrong."""
    value = container.get(key, '')

    def changed(e: Any) -> None:
        text = (e.value or '').strip()
        container[key] = int(text) if text.isdigit() else text
        on_change()

    return (
        ui.input(label, value=str(value), on_change=changed)
        .props('outlined dense inputmode=numeric')
        .classes('w-28')
        .mark(marker)
    )


def points_field(
    container: dict[str, Any],
    key: str,
    label: str,
    marker: str,
    on_change: Changed,
    *,
    hint: str = POINTS_HINT,
    required: bool = False,
) -> ui.textarea:
    """Points (prompts, lead points, footnotes, checklist items) typed one per line; indented lines nest."""

    def changed(e: Any) -> None:
        _set(container, key, authoring.points_from_text(e.value or ''), keep_empty=required)
        on_change()

    element = (
        ui.textarea(label, value=authoring.points_to_text(container.get(key, [])), on_change=changed)
        .props('outlined dense autogrow')
        .classes('w-full ck-points')
        .mark(marker)
    )
    element.props['hint'] = hint
    return element


def lines_field(
    container: dict[str, Any], key: str, label: str, marker: str, on_change: Changed, *, hint: str = ''
) -> ui.textarea:
    """A list of short texts, one per line."""
    value = container.get(key, [])
    text = '\n'.join(str(v) for v in value) if isinstance(value, list) else str(value)

    def changed(e: Any) -> None:
        _set(container, key, authoring.lines_of(e.value or ''), keep_empty=False)
        on_change()

    element = (
        ui.textarea(label, value=text, on_change=changed)
        .props('outlined dense autogrow')
        .classes('w-full')
        .mark(marker)
    )
    if hint:
        element.props['hint'] = hint
    return element


def deck_details(draft: dict[str, Any], on_change: Changed) -> None:
    """Title, subtitle, id, version, what the deck calls its themes, introduction, coaching stems, evidence scale."""
    text_field(draft, 'title', 'Title', 'deck-title', on_change, required=True)
    text_field(draft, 'subtitle', 'Subtitle (optional)', 'deck-subtitle', on_change)
    with ui.element('div').classes('ck-field-row'):
        text_field(
            draft,
            'id',
            'Deck id',
            'deck-id',
            on_change,
            required=True,
            hint='Lowercase letters, digits and dashes; also the name of the downloaded file',
        )
        text_field(draft, 'version', 'Version', 'deck-version', on_change, hint='For example 2 or 2026-1')
        text_field(
            draft,
            'theme_label',
            'Its themes are called',
            'theme-label',
            on_change,
            hint='Strategic issue, Stage, Target group …',
        )
    text_field(
        draft,
        'introduction',
        'Introduction (optional)',
        'introduction',
        on_change,
        multiline=True,
        hint='A blank line starts a new paragraph; a line starting with "- " is a bullet',
    )
    lines_field(
        draft,
        'coaching_stems',
        'Coaching question starters, one per line (optional)',
        'coaching-stems',
        on_change,
        hint=f'Left empty: {", ".join(DEFAULT_COACHING_STEMS)}',
    )
    lines_field(
        draft,
        'evidence_scale',
        'Evidence scale for checklist cards, weakest first (optional)',
        'evidence-scale',
        on_change,
        hint=f'Left empty: {" · ".join(DEFAULT_EVIDENCE_SCALE)}',
    )


def theme_fields(theme: dict[str, Any], label: str, on_change: Changed) -> None:
    """Number, title, colour and summary of a strategic issue."""
    with ui.element('div').classes('ck-field-row'):
        number_field(theme, 'number', 'Number', 'issue-number', on_change)
        text_field(theme, 'title', f'{label} title', 'issue-title', on_change, required=True)
        colour = (
            ui.color_input(
                'Colour (optional)',
                value=str(theme.get('colour') or ''),
                on_change=lambda e: (_set(theme, 'colour', (e.value or '').strip(), keep_empty=False), on_change()),
            )
            .props('outlined dense')
            .classes('w-44')
            .mark('issue-colour')
        )
        colour.props['hint'] = 'A dark #RRGGBB colour'
    text_field(theme, 'summary', 'Summary (optional)', 'issue-summary', on_change, multiline=True)


class CardForm:
    """All fields of one card; switching between a question card and a checklist card redraws the form."""

    def __init__(self, card: dict[str, Any], on_change: Changed, on_kind: Changed) -> None:
        self.card = card
        self.on_change = on_change
        self.on_kind = on_kind
        self._stash: dict[str, Any] = {}
        self.draw()

    @ui.refreshable_method
    def draw(self) -> None:
        card, changed = self.card, self.on_change
        checklist = card.get('kind') == 'checklist'
        with ui.element('div').classes('ck-field-row'):
            text_field(card, 'id', 'Card id', 'card-id-field', changed, required=True, hint='e.g. 7.1').classes(
                remove='w-full', add='w-32'
            )
            kind = (
                ui.toggle(
                    {'question': 'Question card', 'checklist': 'Checklist card'},
                    value='checklist' if checklist else 'question',
                    on_change=lambda e: self.set_kind(e.value),
                )
                .props('no-caps unelevated toggle-color=primary')
                .mark('card-kind')
            )
            aria(kind, label='Kind of card')
        if checklist:
            text_field(
                card,
                'lead',
                'Checklist title (the front of the card)',
                'card-lead',
                changed,
                multiline=True,
                required=True,
            )
            text_field(card, 'task', 'Task (on the back, before the items)', 'card-task', changed, multiline=True)
            text_field(
                card, 'context', 'Context (optional, e.g. "Key worker: Tutor")', 'card-context', changed, multiline=True
            )
            self.groups()
            lines_field(
                card,
                'scale',
                'Evidence scale for this card, weakest first (optional)',
                'card-scale',
                changed,
                hint="Left empty: the deck's evidence scale",
            )
        else:
            text_field(
                card,
                'lead',
                'Lead question (the front of the card)',
                'card-lead',
                changed,
                multiline=True,
                required=True,
            )
            points_field(
                card,
                'lead_points',
                'Points under the lead question (optional)',
                'card-lead-points',
                changed,
                hint='One per line; shown as bullets under the question',
            )
            text_field(
                card,
                'intro',
                'Sentence before the prompts (optional, e.g. "Learners may:")',
                'card-intro',
                changed,
                multiline=True,
            )
            points_field(
                card, 'prompts', 'Discussion prompts (the back of the card, "SEE OVER")', 'card-prompts', changed
            )
        points_field(
            card,
            'footnotes',
            'Footnotes and references (optional)',
            'card-footnotes',
            changed,
            hint='One per line, shown small under the prompts',
        )
        self.links()

    def set_kind(self, kind: str) -> None:
        """Switch kind; fields only the other kind has are put aside, and come back when switching back."""
        card = self.card
        if kind == card.get('kind', 'question'):
            return
        question, checklist = ('lead_points', 'intro', 'prompts'), ('groups', 'task', 'context', 'scale')
        for key in checklist if kind == 'question' else question:
            if key in card:
                self._stash[key] = card.pop(key)
        for key in question if kind == 'question' else checklist:
            if key in self._stash:
                card[key] = self._stash.pop(key)
        if kind == 'checklist':
            card['kind'] = 'checklist'
            card.setdefault('groups', [{'items': ['A first item to rate']}])
        else:
            card.pop('kind', None)
        self.draw.refresh()
        self.on_kind()

    @ui.refreshable_method
    def groups(self) -> None:
        card = self.card
        groups = card.get('groups') if isinstance(card.get('groups'), list) else []
        Text('h3', 'Items to rate, in groups')
        for index, group in enumerate(groups):
            if not isinstance(group, dict):
                continue
            number = index + 1
            with ui.element('div').classes('ck-subpanel').mark(f'group-{number}'):
                with ui.element('div').classes('ck-field-row'):
                    text_field(
                        group,
                        'heading',
                        f'Group {number} heading (optional)',
                        f'group-heading-{number}',
                        self.on_change,
                    )
                    ui.select(
                        NUMBERINGS,
                        value=group.get('numbering', 'bullets'),
                        label='Items marked with',
                        on_change=lambda e, g=group: self._numbering(g, e.value),
                    ).props('outlined dense').classes('w-48').mark(f'group-numbering-{number}')
                    remove = (
                        ui.button(icon='delete', on_click=lambda i=index: self._remove(groups, i, self.groups))
                        .props('flat round')
                        .mark(f'remove-group-{number}')
                    )
                    aria(remove, label=f'Remove group {number}')
                points_field(
                    group, 'items', 'Items, one per line', f'group-items-{number}', self.on_change, required=True
                )
        ui.button(
            'Add a group of items',
            icon='add',
            on_click=lambda: self._add(card, 'groups', {'items': ['A new item to rate']}, self.groups),
        ).props('outline no-caps dense').mark('add-group')

    def _numbering(self, group: dict[str, Any], value: str) -> None:
        _set(group, 'numbering', value if value != 'bullets' else '', keep_empty=False)
        self.on_change()

    @ui.refreshable_method
    def links(self) -> None:
        card = self.card
        links = card.get('links') if isinstance(card.get('links'), list) else []
        if links:
            Text('h3', 'Links')
        for index, link in enumerate(links):
            if not isinstance(link, dict):
                continue
            number = index + 1
            with ui.element('div').classes('ck-field-row').mark(f'link-{number}'):
                text_field(link, 'label', 'Label', f'link-label-{number}', self.on_change, required=True)
                text_field(
                    link, 'url', 'Web address (https://… or www.…)', f'link-url-{number}', self.on_change, required=True
                )
                remove = (
                    ui.button(icon='delete', on_click=lambda i=index: self._remove(links, i, self.links))
                    .props('flat round')
                    .mark(f'remove-link-{number}')
                )
                aria(remove, label=f'Remove link {number}')
        ui.button(
            'Add a link',
            icon='add_link',
            on_click=lambda: self._add(card, 'links', {'label': '', 'url': 'https://'}, self.links),
        ).props('outline no-caps dense').mark('add-link')

    def _add(self, container: dict[str, Any], key: str, item: dict[str, Any], part: Any) -> None:
        if not isinstance(container.get(key), list):
            container[key] = []
        container[key].append(item)
        part.refresh()
        self.on_change()

    def _remove(self, items: list[Any], index: int, part: Any) -> None:
        del items[index]
        if not items:
            for key in ('links', 'groups'):
                if self.card.get(key) is items:
                    self.card.pop(key)
        part.refresh()
        self.on_change()
