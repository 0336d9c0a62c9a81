"""Printable card sets: A4 sheets of cards for double-sided printing, each back behind its front.

Layout
    Each sheet is two pages: a page of fronts, then a page of backs. Cards sit in a grid of 2 columns x 2 rows
    (93 x 132 mm each, dashed grey borders as cut lines). On the back page the columns are mirrored, so the
    back of the card at (row r, column c) is at (r, 1 - c): printed double-sided and flipped on the LONG edge,
    each back lands behind its front. Left and right margins are equal, so the mirror is exact; the top and
    bottom do not move in a long-edge flip. Text keeps 4 mm inside the cut lines, so a printer's usual
    front-to-back misregistration does not cut it. Each card has a band in its theme's colour ("Strategic
    issue 1 · Exploring the idea of progression."), its id, and on the front the lead question (large) and
    "SEE OVER" when it has a back; the back has the discussion prompts with their nested points (a), b) ...,
    numbers or bullets, as the deck says), smaller footnotes, and links written out as text with their
    address. Checklist cards show task and context on the front and their groups of items, the evidence
    scale and footnotes on the back (the task moves to the back when the front would get too small).

Long text
    Every row has an EXACT height, identical on the front and the back page: this is what keeps fronts and
    backs aligned and guarantees that every sheet is exactly two pages, so the fronts and backs of all later
    sheets stay paired (a row that grew would push the rest of the document by a page and put every following
    back behind the wrong front). So text is made to fit instead of letting rows grow on their own:

    1. The text height is estimated with the font's real character widths (Arial, metric-compatible with
       Liberation Sans) and only 90% of the card is planned for, as a margin for the renderer's differences.
    2. The lead question shrinks from 20 pt and the other text from 10 pt, in steps, down to 7 pt.
    3. A card that still does not fit gets a taller card: a row of full sheet height (front AND back row
       alike, with its neighbour in the row). If that is not enough, the card gets a whole sheet side to
       itself (both columns) on a new sheet; cards keep their order even if a sheet before it stays half full.
    4. A card whose text would not fit even on a whole A4 side at 7 pt (several thousand words) is refused
       with `CardTooLongError` naming the card; nothing is ever clipped or "continued" on another sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from docx.document import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell

from cardkit.deck import Card, Deck, Point, Theme
from cardkit.export.docx_common import (
    WHITE,
    add_page_number_footer,
    add_run,
    contrast,
    format_paragraph,
    new_document,
    new_section,
    point_label,
    set_cell_borders,
    set_cell_margins,
    set_fixed_layout,
    set_header_text,
    set_row_height,
    set_table_borders,
    set_table_cell_margins,
    setup_a4,
    shade_cell,
    text_colour_on,
)
from cardkit.text import blocks, clean_text

COLUMNS = 2
ROWS = 2
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_SIDE_MM = 15, 15, 12
CARD_WIDTH_MM = (210 - 2 * MARGIN_SIDE_MM) / COLUMNS  # 93 mm
CARD_HEIGHT_MM = 132.0  # two rows (264 mm) leave room in the 267 mm between the margins
PADDING_MM = 4.0  # text keeps this far inside the cut lines
BAND_PADDING_MM = 1.5
FILL = 0.90  # share of a card's height the estimated text may use
LEAD_SIZES = (20, 18, 16, 14, 13, 12, 11, 10, 9, 8, 7)
BODY_SIZES = (10, 9.5, 9, 8.5, 8, 7.5, 7)
MIN_BODY_PT = 7
LABEL_PT = 8
BAND_PT = 9
LINE_FACTOR = 1.17  # line height / font size for Arial at single spacing, rounded up
PT_MM = 25.4 / 72
CUT_COLOUR = '#8C8C8C'
TEXT_COLOUR = '#1A1A1A'

Size = Literal['normal', 'tall', 'wide']
Role = Literal['lead', 'lead_point', 'body', 'small', 'label', 'heading']


class CardTooLongError(ValueError):
    """A card whose text cannot be printed on one A4 side even in the smallest type."""


def card_set(deck: Deck, themes: list[int] | None = None) -> Document:
    """Printable cards of the given themes (numbers, in this order; default all), fronts and backs on facing pages."""
    chosen = _chosen_themes(deck, themes)
    slots = [_Slot(theme, card) for theme in chosen for card in theme.cards]
    if not slots:
        raise ValueError('the chosen themes have no cards to print')
    sheets = _plan(deck, slots)
    document = new_document(
        title=f'{deck.title}: printable cards',
        subject='Card set for double-sided printing',
        size_pt=10,
        language=deck.language or 'en-GB',
        margins_mm=(MARGIN_TOP_MM, MARGIN_SIDE_MM, MARGIN_BOTTOM_MM, MARGIN_SIDE_MM),
    )
    setup_a4(
        document.sections[0],
        margins_mm=(MARGIN_TOP_MM, MARGIN_SIDE_MM, MARGIN_BOTTOM_MM, MARGIN_SIDE_MM),
        header_mm=6,
        footer_mm=6,
    )
    add_page_number_footer(document.sections[0], size_pt=8)
    first = True
    for number, sheet in enumerate(sheets, 1):
        for side in ('front', 'back'):
            section = document.sections[0] if first else new_section(document)
            first = False
            hint = ' · print double-sided, flip on long edge' if side == 'front' else ''
            set_header_text(section, f'{deck.title} — {side}s, sheet {number}{hint}', size_pt=8)
            _sheet_table(document, deck, sheet, side)
    _end_section_paragraphs(document)
    return document


# --- choosing and planning ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    theme: Theme
    card: Card


@dataclass
class _Row:
    size: Size
    slots: list[_Slot]

    @property
    def height_mm(self) -> float:
        return CARD_HEIGHT_MM if self.size == 'normal' else CARD_HEIGHT_MM * ROWS

    @property
    def units(self) -> int:
        return 1 if self.size == 'normal' else ROWS


def _chosen_themes(deck: Deck, numbers: list[int] | None) -> list[Theme]:
    if numbers is None:
        return list(deck.themes)
    known = [theme.number for theme in deck.themes]
    chosen: list[Theme] = []
    for number in numbers:
        if number not in known:
            raise ValueError(f"theme {number} is not in deck '{deck.id}' (its themes: {', '.join(map(str, known))})")
        theme = deck.theme(number)
        if theme not in chosen:
            chosen.append(theme)
    return chosen


def _plan(deck: Deck, slots: list[_Slot]) -> list[list[_Row]]:
    """Rows of two cards (or one wide card), packed two normal rows or one tall row to a sheet."""
    rows: list[_Row] = []
    pending: list[tuple[_Slot, Size]] = []

    def flush() -> None:
        if pending:
            size: Size = 'tall' if any(s == 'tall' for _, s in pending) else 'normal'
            rows.append(_Row(size, [slot for slot, _ in pending]))
            pending.clear()

    for slot in slots:
        size = _size_needed(deck, slot)
        if size == 'wide':
            flush()
            rows.append(_Row('wide', [slot]))
            continue
        pending.append((slot, size))
        if len(pending) == COLUMNS:
            flush()
    flush()
    sheets: list[list[_Row]] = []
    for row in rows:
        if not sheets or sum(r.units for r in sheets[-1]) + row.units > ROWS:
            sheets.append([])
        sheets[-1].append(row)
    return sheets


def _card_box(size: Size) -> tuple[float, float]:
    """(text width, card height) in mm of a card of this size."""
    width = CARD_WIDTH_MM * (COLUMNS if size == 'wide' else 1)
    height = CARD_HEIGHT_MM * (1 if size == 'normal' else ROWS)
    return width - 2 * PADDING_MM, height


def _size_needed(deck: Deck, slot: _Slot) -> Size:
    for size in ('normal', 'tall', 'wide'):
        width, height = _card_box(size)
        task_front = _task_on_front(deck, slot)
        front = _front(deck, slot, task_front)
        back = _back(deck, slot, not task_front)
        if _fit(front, deck, slot, width, height) and (not back or _fit(back, deck, slot, width, height)):
            return size
    raise CardTooLongError(
        f'card {slot.card.id} is too long to print: even in {MIN_BODY_PT} pt type it does not fit '
        f'on one side of an A4 sheet; shorten its text or split it into several cards'
    )


# --- what a card face holds ----------------------------------------------------------------------------------------


@dataclass
class _Para:
    """A paragraph of a card face, before type sizes are chosen."""

    text: str
    role: Role
    label: str = ''  # bullet or 'a)' hung in the left indent
    level: int = 0  # 0: no indent; 1: a top-level point; 2: a nested point ...
    bold: bool = False
    italic: bool = False
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT
    space_before: float = 0  # pt


@dataclass
class _Face:
    paras: list[_Para] = field(default_factory=list)

    def add(self, *args: object, **kwargs: object) -> None:
        self.paras.append(_Para(*args, **kwargs))  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.paras)


def _band_text(deck: Deck, theme: Theme) -> str:
    title = theme.title.strip()
    return f'{deck.theme_label} {theme.number} · {title}'


def _task_on_front(deck: Deck, slot: _Slot) -> bool:
    """Checklist tasks go on the front unless the front would then need type smaller than 8.5 pt."""
    card = slot.card
    if card.kind != 'checklist' or not card.task:
        return False
    width, height = _card_box('normal')
    sizes = _fit(_front(deck, slot, True), deck, slot, width, height)
    return sizes is not None and sizes[1] >= 8.5


def _front(deck: Deck, slot: _Slot, task_on_front: bool) -> _Face:
    card = slot.card
    face = _Face()
    if card.kind == 'checklist':
        face.add(f'{card.id} · Checklist', 'label', bold=True)
        face.add(card.lead, 'lead', bold=True)
        if card.context:
            face.add(card.context, 'body', italic=True, space_before=4)
        if task_on_front and card.task:
            _add_light_text(face, card.task, space_before=4)
    else:
        face.add(f'{card.id} Lead question', 'label', bold=True)
        face.add(card.lead, 'lead', bold=True)
        _add_points(face, card.lead_points, 'bullets', 'lead_point', 1)
    has_back = card.has_back and (
        card.kind != 'checklist' or bool(card.groups or card.footnotes or card.links or card.intro or not task_on_front)
    )
    if has_back:
        face.add('SEE OVER', 'label', bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT, space_before=8)
    return face


def _back(deck: Deck, slot: _Slot, task_on_back: bool) -> _Face:
    card = slot.card
    face = _Face()
    if not card.has_back:
        return face
    if card.kind == 'checklist':
        face.add(f'{card.id} · {card.lead}', 'label', bold=True)
        if task_on_back and card.task:
            _add_light_text(face, card.task)
        for group in card.groups:
            if group.heading:
                face.add(group.heading, 'heading', bold=True, space_before=3)
            _add_points(face, group.items, group.numbering, 'body', 1)
        scale = deck.scale_of(card)
        face.add(f'How strong is the evidence? {" · ".join(scale)}', 'small', italic=True, space_before=3)
    else:
        face.add(f'Discussion prompts {card.id}', 'label', bold=True)
        if card.intro:
            _add_light_text(face, card.intro)
        _add_points(face, card.prompts, 'bullets', 'body', 1)
    if card.intro and card.kind == 'checklist':
        _add_light_text(face, card.intro)
    for i, note in enumerate(card.footnotes):
        face.add(note.text, 'small', italic=True, space_before=4 if i == 0 else 0)
        _add_points(face, note.points, note.numbering, 'small', 1)
    for i, link in enumerate(card.links):
        face.add(
            f'{link.label}: {link.url}' if link.label.strip() else link.url, 'small', space_before=4 if i == 0 else 0
        )
    return face


def _add_light_text(face: _Face, text: str, space_before: float = 0) -> None:
    for i, (kind, line) in enumerate(blocks(text)):
        if kind == 'bullet':
            face.add(line, 'body', label='•', level=1)
        else:
            face.add(line, 'body', space_before=space_before if i == 0 else 2)


def _add_points(face: _Face, points: Sequence[Point], numbering: str, role: Role, level: int) -> None:
    for index, point in enumerate(points):
        face.add(point.text, role, label=point_label(numbering, index), level=level)
        _add_points(face, point.points, point.numbering, 'small' if role == 'small' else role, level + 1)


# --- type sizes ------------------------------------------------------------------------------------------------------


def _sizes(role: Role, lead_pt: float, body_pt: float) -> float:
    return {
        'lead': lead_pt,
        'lead_point': max(body_pt, round(lead_pt * 0.85 * 2) / 2),
        'body': body_pt,
        'heading': body_pt,
        'small': max(MIN_BODY_PT, body_pt - 1),
        'label': LABEL_PT,
    }[role]


def _indent_mm(level: int) -> tuple[float, float]:
    """(left indent, hanging part) for a point at this level."""
    if level <= 0:
        return 0.0, 0.0
    return 4.5 + 5.0 * (level - 1), 4.5 if level == 1 else 5.0


def _space_after(role: Role, size: float) -> float:
    return {'lead': size * 0.5, 'lead_point': 2, 'label': 3, 'heading': 1}.get(role, 1.5)


def _band_height_mm(text: str, width_mm: float) -> float:
    lines = _wrapped_lines(text, BAND_PT, True, width_mm - 2 * BAND_PADDING_MM)
    return lines * BAND_PT * LINE_FACTOR * PT_MM + 2 * BAND_PADDING_MM + 2  # + the gap below the band


def _fit(face: _Face, deck: Deck, slot: _Slot, width_mm: float, height_mm: float) -> tuple[float, float] | None:
    """The largest (lead, body) type sizes at which the face fits the card, or None."""
    available = height_mm * FILL - 2 * PADDING_MM - _band_height_mm(_band_text(deck, slot.theme), width_mm)
    has_lead = any(p.role == 'lead' for p in face.paras)
    for body in BODY_SIZES:
        for lead in LEAD_SIZES if has_lead else (body,):
            if lead < body:
                break
            if _face_height_mm(face, lead, body, width_mm) <= available:
                return lead, body
    return None


def _face_height_mm(face: _Face, lead_pt: float, body_pt: float, width_mm: float) -> float:
    total_pt = 0.0
    for para in face.paras:
        size = _sizes(para.role, lead_pt, body_pt)
        indent, _ = _indent_mm(para.level)
        lines = _wrapped_lines(para.text, size, para.bold, width_mm - indent)
        total_pt += para.space_before + lines * size * LINE_FACTOR + _space_after(para.role, size)
    return total_pt * PT_MM


# Advance widths (1/1000 em) of Arial / Liberation Sans for ' ' to '~'; other characters are taken as wide.
_REGULAR = (
    278,
    278,
    355,
    556,
    556,
    889,
    667,
    191,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    278,
    278,
    584,
    584,
    584,
    556,
    1015,
    667,
    667,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    500,
    667,
    556,
    833,
    722,
    778,
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    278,
    278,
    278,
    469,
    556,
    333,
    556,
    556,
    500,
    556,
    556,
    278,
    556,
    556,
    222,
    222,
    500,
    222,
    833,
    556,
    556,
    556,
    556,
    333,
    500,
    278,
    556,
    500,
    722,
    500,
    500,
    500,
    334,
    260,
    334,
    584,
)
_BOLD = (
    278,
    333,
    474,
    556,
    556,
    889,
    722,
    238,
    333,
    333,
    389,
    584,
    278,
    333,
    278,
    278,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    556,
    333,
    333,
    584,
    584,
    584,
    611,
    975,
    722,
    722,
    722,
    722,
    667,
    611,
    778,
    722,
    278,
    556,
    722,
    611,
    833,
    722,
    778,
    667,
    778,
    722,
    667,
    611,
    722,
    667,
    944,
    667,
    667,
    611,
    333,
    278,
    333,
    584,
    556,
    333,
    556,
    611,
    556,
    611,
    556,
    333,
    611,
    611,
    278,
    278,
    556,
    278,
    889,
    611,
    611,
    611,
    611,
    389,
    556,
    333,
    611,
    556,
    778,
    556,
    556,
    500,
    389,
    280,
    389,
    584,
)
_OTHER = {'’': 278, '‘': 278, '“': 500, '”': 500, '–': 556, '—': 1000, '•': 350, '·': 333, '…': 1000}


def _text_width_mm(text: str, size_pt: float, bold: bool) -> float:
    table = _BOLD if bold else _REGULAR
    units = 0
    for char in text:
        code = ord(char)
        units += table[code - 32] if 32 <= code < 127 else _OTHER.get(char, 1000 if code > 0x2E80 else 611)
    return units / 1000 * size_pt * PT_MM


def _wrapped_lines(text: str, size_pt: float, bold: bool, width_mm: float) -> int:
    """Lines the text takes when wrapped at spaces into the width (words longer than a line are broken)."""
    lines = 0
    space = _text_width_mm(' ', size_pt, bold)
    for paragraph in clean_text(text).split('\n'):
        lines += 1
        used = 0.0
        for word in paragraph.split():
            word_width = _text_width_mm(word, size_pt, bold)
            if used and used + space + word_width <= width_mm:
                used += space + word_width
                continue
            if used:
                lines += 1
            while word_width > width_mm:  # a long address is broken across lines
                lines += 1
                word_width -= width_mm
            used = word_width
    return max(lines, 1)


# --- writing the document ------------------------------------------------------------------------------------------


def _sheet_table(document: Document, deck: Deck, sheet: list[_Row], side: str) -> Table:
    table = document.add_table(rows=len(sheet), cols=COLUMNS)
    set_fixed_layout(table, [CARD_WIDTH_MM] * COLUMNS)
    set_table_borders(table, 'nil')
    set_table_cell_margins(table, top_mm=PADDING_MM, right_mm=PADDING_MM, bottom_mm=PADDING_MM, left_mm=PADDING_MM)
    for r, row in enumerate(sheet):
        set_row_height(table.rows[r], row.height_mm, exact=True)
        if row.size == 'wide':
            cells = [table.cell(r, 0).merge(table.cell(r, COLUMNS - 1))]
        else:
            cells = list(table.rows[r].cells)
            if side == 'back':
                cells.reverse()  # long-edge flip: the back of column c is printed in column COLUMNS - 1 - c
        for slot, cell in zip(row.slots, cells, strict=False):
            _write_card(cell, deck, slot, row.size, side)
    return table


def _write_card(cell: _Cell, deck: Deck, slot: _Slot, size: Size, side: str) -> None:
    width, height = _card_box(size)
    task_front = _task_on_front(deck, slot)
    face = _front(deck, slot, task_front) if side == 'front' else _back(deck, slot, not task_front)
    set_cell_borders(cell, 'dashed', size_pt=0.5, colour=CUT_COLOUR)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    if not face:
        return  # a card with no back leaves its place on the back page blank (but still marked for cutting)
    sizes = _fit(face, deck, slot, width, height)
    if sizes is None:  # _plan chose the size so that both faces fit
        raise CardTooLongError(f'card {slot.card.id} does not fit its card')
    lead_pt, body_pt = sizes
    colour = deck.colour_of(slot.theme)
    _write_band(cell, _band_text(deck, slot.theme), colour, width)
    accent = colour if contrast(colour, WHITE) >= 4.5 else TEXT_COLOUR
    paragraphs = [cell.paragraphs[-1]] + [cell.add_paragraph() for _ in face.paras[1:]]
    for paragraph, para in zip(paragraphs, face.paras, strict=False):
        size = _sizes(para.role, lead_pt, body_pt)
        indent, hanging = _indent_mm(para.level)
        format_paragraph(
            paragraph,
            align=para.align,
            space_before_pt=para.space_before,
            space_after_pt=_space_after(para.role, size),
            indent_mm=indent,
            hanging_mm=hanging,
            line_spacing=1.0,
        )
        colour_of_text = accent if para.role in ('label', 'heading') else TEXT_COLOUR
        if para.label:
            paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(indent))
            add_run(paragraph, f'{para.label}\t', size_pt=size, colour=colour_of_text, bold=para.bold)
        add_run(paragraph, para.text, size_pt=size, bold=para.bold, italic=para.italic, colour=colour_of_text)


def _write_band(cell: _Cell, text: str, colour: str, width_mm: float) -> None:
    """The theme-coloured band at the top of a card: a one-cell table inside the card's cell."""
    for paragraph in cell.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    band = cell.add_table(1, 1)  # python-docx adds the paragraph that must follow a nested table
    set_fixed_layout(band, [width_mm])
    set_table_borders(band, 'nil')
    band_cell = band.cell(0, 0)
    shade_cell(band_cell, colour)
    pad = BAND_PADDING_MM
    set_cell_margins(band_cell, top_mm=pad, right_mm=pad, bottom_mm=pad, left_mm=pad)
    paragraph = band_cell.paragraphs[0]
    format_paragraph(paragraph, space_before_pt=0, space_after_pt=0, line_spacing=1.0)
    add_run(paragraph, text, bold=True, size_pt=BAND_PT, colour=text_colour_on(colour))
    cell.paragraphs[-1].paragraph_format.space_before = Pt(2)


def _end_section_paragraphs(document: Document) -> None:
    """Make the body paragraphs after the sheet tables (they carry the section breaks) take almost no room.

    A normal empty paragraph after a full-page table would not fit on the page and would add a blank page.
    """
    body = document.element.body
    if len(body) > 1 and body[-2].tag == qn('w:tbl'):
        document.add_paragraph()  # the document must end with a paragraph, not a table
    for paragraph in document.paragraphs:
        format_paragraph(paragraph, space_before_pt=0, space_after_pt=0)
        paragraph.paragraph_format.line_spacing = Pt(1)
        p_pr = paragraph._p.get_or_add_pPr()
        marks = OxmlElement('w:rPr')
        size = OxmlElement('w:sz')
        size.set(qn('w:val'), '2')
        marks.append(size)
        section_break = p_pr.find(qn('w:sectPr'))
        if section_break is not None:
            section_break.addprevious(marks)
        else:
            p_pr.append(marks)
