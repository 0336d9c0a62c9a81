"""The blank card template (the activity's last page as a Word form) and importing a filled-in one as a deck.

The form is made of two-column tables whose left cells hold fixed labels ('Deck title', 'Strategic issue
number', 'Strategic issue title', 'Lead question', 'Discussion prompts') and whose right cells are typed into.
Import reads every table row in document order and goes by the labels alone, so it does not matter whether a
user copies a whole strategic issue table, copies single card rows, or Word merges tables pasted next to each
other. In a 'Discussion prompts' cell each line is a prompt; a line that is indented (spaces, a tab, a paragraph
indent or a second-level list) or starts with 'a)' is a point of the prompt above it, and its marker ('a)', 'b.',
'1.', '-', '•') is dropped, its kind kept as the numbering. In a 'Lead question' cell the first lines are the
question and lines starting with a marker are its points.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from pydantic import ValidationError

from cardkit.deck import Deck
from cardkit.deckfile import DeckError, Problem
from cardkit.deckfile import _message as _validation_message  # the same wording as for YAML decks
from cardkit.export.docx_common import (
    add_page_number_footer,
    add_paragraph,
    new_document,
    set_fixed_layout,
    set_header_text,
    set_row_height,
    set_table_borders,
    shade_cell,
    write_cell,
)
from cardkit.text import clean_text

MAX_TEMPLATE_BYTES = 5_000_000
MAX_UNPACKED_BYTES = 50_000_000
LABEL_FILL = '#E3EAF1'
CARD_FILL = '#1F5F8B'
LABEL_WIDTH_MM, VALUE_WIDTH_MM = 48, 122

DECK_TITLE, DECK_ID = 'Deck title', 'Deck id'
ISSUE_NUMBER, ISSUE_TITLE = 'Strategic issue number', 'Strategic issue title'
LEAD, PROMPTS = 'Lead question', 'Discussion prompts'
_LABELS = {label.lower(): label for label in (DECK_TITLE, DECK_ID, ISSUE_NUMBER, ISSUE_TITLE, LEAD, PROMPTS)}
_LABELS['strategic issue'] = ISSUE_TITLE
_MARKER = re.compile(
    r'^\s*(?:(?P<letter>[a-zA-Z])[).]|(?P<number>\d{1,3})[).]|(?P<bullet>[-–•*▪◦·]))'
    r'(?:\s+|$)'
)
_LETTER_POINT = re.compile(r'^\s*[a-z]\)\s')

INSTRUCTIONS = [
    'Fill in the white cells; the shaded cells are labels that Cardkit reads, so keep their words as they are.',
    'Deck title: the name of your card set. Deck id is optional (lowercase letters, digits and dashes); when left '
    'empty it is made from the title.',
    'Strategic issue: its number and title (e.g. 1 and "Exploring the idea of progression."). To add another '
    'strategic issue, copy its whole table and paste it below. Cards are numbered 1.1, 1.2 … for you.',
    'Lead question: the question on the front of the card. Discussion prompts: one prompt per line. For points '
    'under a prompt, indent the line (Tab) and start it with a), b) … or "-".',
    'Leave cards you do not need empty; they are skipped. Then import the file in Cardkit (or run '
    '"cardkit import-template FILE").',
]


# --- the blank template ----------------------------------------------------------------------------------------------


def blank_template(n_cards: int = 3) -> Document:
    """A Word form for writing your own strategic issue: deck details, the issue, and n_cards card blocks."""
    if not 1 <= n_cards <= 50:
        raise ValueError('a template has between 1 and 50 cards')
    document = new_document(
        title='Card activity template', subject='Write your own strategic issue and cards', margins_mm=(18, 20, 18, 20)
    )
    section = document.sections[0]
    set_header_text(section, 'Cardkit — card activity template', size_pt=8)
    add_page_number_footer(section, size_pt=8)
    add_paragraph(document, 'Card activity template', 'Title')
    add_paragraph(document, 'How to fill it in', 'Heading 2')
    for line in INSTRUCTIONS:
        add_paragraph(document, line, 'List Bullet')
    add_paragraph(document, 'Deck details', 'Heading 1')
    _form_table(document, [(DECK_TITLE, 10), (DECK_ID, 10)])
    add_paragraph(document, 'Strategic issue', 'Heading 1')
    rows: list[tuple[str, float]] = [(ISSUE_NUMBER, 10), (ISSUE_TITLE, 14)]
    for k in range(1, n_cards + 1):
        rows += [(f'Card {k}', 0), (LEAD, 22), (PROMPTS, 60)]
    _form_table(document, rows)
    return document


def _form_table(document: Document, rows: list[tuple[str, float]]) -> Table:
    """Label | value rows; a height of 0 makes a full-width heading row (e.g. 'Card 1')."""
    table = document.add_table(rows=len(rows), cols=2)
    table.style = 'Table Grid'
    set_fixed_layout(table, [LABEL_WIDTH_MM, VALUE_WIDTH_MM])
    set_table_borders(table, 'single', size_pt=0.5, colour='#7F7F7F')
    for row, (label, height) in zip(table.rows, rows, strict=False):
        if height == 0:
            cell = row.cells[0].merge(row.cells[1])
            write_cell(cell, label, bold=True, colour='#FFFFFF')
            shade_cell(cell, CARD_FILL)
        else:
            write_cell(row.cells[0], label, bold=True)
            shade_cell(row.cells[0], LABEL_FILL)
        set_row_height(row, height or 6, exact=False)  # rows never split across pages
        if height == 0 or label == LEAD:  # a card's heading, lead question and prompts stay on one page
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = True
    return table


# --- importing a filled-in template ------------------------------------------------------------------------------


@dataclass
class _Card:
    block: int  # position of the card block in its strategic issue (1-based), for messages
    lead: list[tuple[int, str]] = field(default_factory=list)  # (indent level, text) lines
    prompts: list[tuple[int, str]] | None = None

    @property
    def empty(self) -> bool:
        return not self.lead and not self.prompts


@dataclass
class _Issue:
    position: int
    number: str = ''
    title: str = ''
    number_given: bool = False
    title_given: bool = False
    cards: list[_Card] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.number.strip() and not self.title.strip() and all(card.empty for card in self.cards)


def import_template(source: str | Path | bytes, name: str | None = None) -> Deck:
    """Read a filled-in card template (a path or the file's bytes) as a deck; raise DeckError listing the problems."""
    name = name or (str(source) if not isinstance(source, bytes) else 'template.docx')
    document = _open(source, name)
    fields, issues, found = _read_rows(document)
    if not found:
        raise DeckError(
            [
                _problem(
                    name,
                    'template',
                    "is not a Cardkit card template: no table with 'Lead question' "
                    'cells was found; start from a blank template',
                )
            ]
        )
    raw, where, problems = _build(fields, issues, name)
    if problems:
        raise DeckError(problems)
    try:
        return Deck.model_validate(raw)
    except ValidationError as error:
        raise DeckError(_validation_problems(error, where, name)) from None


def _problem(name: str, where: str, message: str) -> Problem:
    return Problem(name, None, None, where, message)


def _open(source: str | Path | bytes, name: str) -> Document:
    if isinstance(source, bytes):
        size = len(source)
        data: bytes | None = source
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
        except OSError as error:
            raise DeckError([_problem(name, 'file', f'cannot be read ({error.strerror})')]) from None
        if path.is_dir():
            raise DeckError([_problem(name, 'file', 'is a folder, not a Word file')])
        data = None
    if size > MAX_TEMPLATE_BYTES:
        raise DeckError(
            [
                _problem(
                    name,
                    'file',
                    f'is larger than 5 MB ({size:,} bytes); a card template is much smaller, so this cannot be one',
                )
            ]
        )
    if data is None:
        try:
            data = Path(source).read_bytes()  # type: ignore[arg-type]
        except OSError as error:
            raise DeckError([_problem(name, 'file', f'cannot be read ({error.strerror})')]) from None
    if not data:
        raise DeckError([_problem(name, 'file', 'is empty; choose a filled-in card template (.docx)')])
    if not data.startswith(b'PK\x03\x04'):
        raise DeckError(
            [
                _problem(
                    name, 'file', 'is not a Word .docx file; save the template as a Word document (.docx) and try again'
                )
            ]
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise DeckError(
                    [
                        _problem(
                            name,
                            'file',
                            'unpacks to more than 50 MB; a card template is much smaller, so this cannot be one',
                        )
                    ]
                )
            if archive.testzip() is not None:
                raise zipfile.BadZipFile('a damaged entry')
        return docx.Document(io.BytesIO(data))
    except DeckError:
        raise
    except Exception:  # python-docx and zipfile raise many kinds of errors on damaged files
        raise DeckError(
            [
                _problem(
                    name,
                    'file',
                    'is damaged or is not a Word .docx document; open it in Word, save it as .docx and try again',
                )
            ]
        ) from None


def _read_rows(document: Document) -> tuple[dict[str, str], list[_Issue], bool]:
    """Deck fields and strategic issues from the labelled rows of every table, in document order."""
    fields: dict[str, str] = {}
    issues: list[_Issue] = []
    found = False

    def issue() -> _Issue:
        if not issues:
            issues.append(_Issue(1))
        return issues[-1]

    def new_issue() -> _Issue:
        issues.append(_Issue(len(issues) + 1))
        return issues[-1]

    for table in _tables(document):
        for row in table.rows:
            cells = _distinct_cells(row)
            if not cells:
                continue
            label = _LABELS.get(_label_key(cells[0].text))
            if label is None:
                continue
            value = cells[1] if len(cells) > 1 else None
            if label in (DECK_TITLE, DECK_ID):
                fields[label] = _single_line(value)
            elif label == ISSUE_NUMBER:
                current = issues[-1] if issues else None
                if current is None or current.number_given or current.title_given or current.cards:
                    current = new_issue()
                current.number, current.number_given = _single_line(value), True
            elif label == ISSUE_TITLE:
                current = issues[-1] if issues else None
                if current is None or current.title_given or current.cards:
                    current = new_issue()
                current.title, current.title_given = _single_line(value), True
            elif label == LEAD:
                found = True
                current = issue()
                current.cards.append(_Card(len(current.cards) + 1, lead=_lines(value)))
            elif label == PROMPTS:
                found = True
                current = issue()
                if not current.cards or current.cards[-1].prompts is not None:
                    current.cards.append(_Card(len(current.cards) + 1))
                current.cards[-1].prompts = _lines(value)
    return fields, issues, found


def _tables(document: Document) -> list[Table]:
    """Top-level tables of the body in document order (tables inside content controls included)."""
    body = document.element.body
    return [
        Table(tbl, document._body)
        for tbl in body.iter(qn('w:tbl'))
        if not any(ancestor.tag == qn('w:tc') for ancestor in tbl.iterancestors())
    ]


def _distinct_cells(row: Any) -> list[_Cell]:
    cells: list[_Cell] = []
    seen: set[int] = set()
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _label_key(text: str) -> str:
    """A label cell's first line, lower case, without a trailing colon (users may add notes below it)."""
    first = clean_text(text).strip().split('\n')[0]
    return re.sub(r'\s+', ' ', first).strip().rstrip(':*').strip().lower()


def _single_line(cell: _Cell | None) -> str:
    if cell is None:
        return ''
    return re.sub(r'\s+', ' ', clean_text(cell.text)).strip()


def _lines(cell: _Cell | None) -> list[tuple[int, str]]:
    """(level, text) for each non-blank line of a cell: level 1 when indented or in a second-level list."""
    if cell is None:
        return []
    lines: list[tuple[int, str]] = []
    for paragraph in cell.paragraphs:
        indented = _indented(paragraph)
        for part in clean_text(paragraph.text).split('\n'):
            if not part.strip():
                continue
            level = 1 if indented or part[:1] in (' ', '\t', '\u00a0') else 0
            lines.append((level, part.strip()))
    return lines


def _indented(paragraph: Paragraph) -> bool:
    p_pr = paragraph._p.pPr
    numbered = p_pr is not None and p_pr.numPr is not None and p_pr.numPr.ilvl is not None
    if numbered and (p_pr.numPr.ilvl.val or 0) >= 1:
        return True
    indent = paragraph.paragraph_format.left_indent
    return indent is not None and indent > 0 and paragraph.alignment != WD_ALIGN_PARAGRAPH.CENTER


def _marker_kind(text: str) -> tuple[str | None, str]:
    """('letters' | 'numbers' | 'bullets' | None, text without its marker)."""
    match = _MARKER.match(text)
    if not match:
        return None, text
    kind = 'letters' if match['letter'] else 'numbers' if match['number'] else 'bullets'
    return kind, text[match.end() :].strip()


def _points(lines: list[tuple[int, str]]) -> list[Any]:
    """Prompts with their nested points from (level, text) lines."""
    prompts: list[dict[str, Any]] = []
    for level, text in lines:
        kind, bare = _marker_kind(text)
        nested = level >= 1 or bool(_LETTER_POINT.match(text))
        if nested and prompts and bare:
            parent = prompts[-1]
            if not parent['points']:
                parent['numbering'] = kind or 'bullets'
            parent['points'].append(bare)
        elif bare:
            top = bare if kind in ('bullets', 'numbers') else text  # 'A.' may start a sentence: keep it
            prompts.append({'text': top, 'points': [], 'numbering': 'letters'})
    return [_point(p) for p in prompts]


def _point(prompt: dict[str, Any]) -> Any:
    if not prompt['points']:
        return prompt['text']
    point: dict[str, Any] = {'text': prompt['text'], 'points': prompt['points']}
    if prompt['numbering'] != 'letters':
        point['numbering'] = prompt['numbering']
    return point


def _lead(lines: list[tuple[int, str]]) -> tuple[str, list[str]]:
    """The question (unmarked, unindented lines) and its points (the rest)."""
    question: list[str] = []
    points: list[str] = []
    for level, text in lines:
        kind, bare = _marker_kind(text)
        if (level or kind) and question:
            if bare:
                points.append(bare)
        else:
            question.append(text)
    return ' '.join(question), points


def _slug(text: str) -> str:
    return re.sub(r'[^a-z0-9]+', '-', text.lower()).strip('-')[:64].strip('-')


def _build(
    fields: dict[str, str], issues: list[_Issue], name: str
) -> tuple[dict[str, Any], dict[tuple[Any, ...], str], list[Problem]]:
    """The deck as plain data, a reader's name for each place in it, and the problems found on the way."""
    problems: list[Problem] = []
    where: dict[tuple[Any, ...], str] = {('title',): 'template > deck title', ('id',): 'template > deck id'}
    title = fields.get(DECK_TITLE, '')
    if not title:
        problems.append(_problem(name, 'template > deck title', "is missing; type the deck's title"))
    deck_id = fields.get(DECK_ID, '') or _slug(title) or _slug(Path(name).stem) or 'imported-deck'
    themes: list[dict[str, Any]] = []
    used: set[int] = set()
    filled = [issue for issue in issues if not issue.empty]
    if not filled:
        problems.append(
            _problem(
                name, 'template', 'nothing is filled in: type a strategic issue title and at least one lead question'
            )
        )
    previous = 0
    for issue in filled:
        place = f'template > strategic issue {issue.position}'
        number = previous + 1
        if issue.number.strip():
            digits = re.search(r'\d+', issue.number)
            if digits is None:
                problems.append(
                    _problem(
                        name,
                        f'{place} > number',
                        f"'{issue.number}' is not a number; type a whole number such as {previous + 1}",
                    )
                )
            else:
                number = int(digits.group())
        if number in used:
            problems.append(_problem(name, f'{place} > number', f'strategic issue number {number} is used twice'))
        used.add(number)
        previous = number
        if not issue.title.strip():
            problems.append(_problem(name, f'{place} > title', "is missing; type the strategic issue's title"))
        theme: dict[str, Any] = {'number': number, 'title': issue.title, 'cards': []}
        t = len(themes)
        where[('themes', t)] = place
        where[('themes', t, 'title')] = f'{place} > title'
        where[('themes', t, 'number')] = f'{place} > number'
        for card in issue.cards:
            card_place = f'{place} > card {card.block}'
            if card.empty:
                continue
            lead, lead_points = _lead(card.lead)
            if not lead:
                problems.append(
                    _problem(
                        name,
                        f'{card_place} > discussion prompts',
                        'have no lead question; type the lead question in the cell above them',
                    )
                )
                continue
            entry: dict[str, Any] = {'id': f'{number}.{len(theme["cards"]) + 1}', 'lead': lead}
            if lead_points:
                entry['lead_points'] = lead_points
            prompts = _points(card.prompts or [])
            if prompts:
                entry['prompts'] = prompts
            c = len(theme['cards'])
            where[('themes', t, 'cards', c)] = card_place
            where[('themes', t, 'cards', c, 'lead')] = f'{card_place} > lead question'
            where[('themes', t, 'cards', c, 'lead_points')] = f'{card_place} > lead question'
            where[('themes', t, 'cards', c, 'prompts')] = f'{card_place} > discussion prompts'
            theme['cards'].append(entry)
        if not theme['cards'] and not any(p.where.startswith(f'{place} > card') for p in problems):
            first = issue.cards[0].block if issue.cards else 1
            problems.append(
                _problem(
                    name,
                    f'{place} > card {first} > lead question',
                    'is empty; each strategic issue needs at least one lead question',
                )
            )
        themes.append(theme)
    raw = {'cardkit': 1, 'id': deck_id, 'title': title, 'themes': themes}
    return raw, where, problems


def _validation_problems(error: ValidationError, where: dict[tuple[Any, ...], str], name: str) -> list[Problem]:
    problems: list[Problem] = []
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item['loc'] if not (isinstance(part, str) and part.startswith('function-')))
        problem = _problem(name, _where(loc, where), _validation_message(item, loc))
        if problem not in problems:
            problems.append(problem)
    return problems


def _where(loc: tuple[Any, ...], where: dict[tuple[Any, ...], str]) -> str:
    """The nearest named place of a location, with the rest of the path ('> prompt 2')."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in where:
            rest = loc[end:]
            parts = [where[loc[:end]]]
            i = 0
            while i < len(rest):
                part = rest[i]
                if isinstance(part, int):
                    parts.append(f'#{part + 1}')
                elif part == 'points' and i + 1 < len(rest) and isinstance(rest[i + 1], int):
                    parts.append(f'point {rest[i + 1] + 1}')
                    i += 1
                elif part != 'text':
                    parts.append(str(part))
                i += 1
            text = ' > '.join(parts)
            return re.sub(r'discussion prompts > #(\d+)', r'discussion prompts > prompt \1', text)
    return 'template > ' + ' > '.join(str(part) for part in loc)
