"""Shared python-docx helpers: A4 pages, page-number footers, fields, clean paragraphs, colours and tables.

Every helper that writes text passes it through `clean_text` first, so nothing a deck or a user typed can make
an invalid Word file. Only built-in styles of python-docx's default template are used ('Normal', 'Title',
'Heading 1'-'Heading 9', 'List Bullet', 'List Number', 'Table Grid', ...), so documents open with the reader's
own Word theme and stay editable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from cardkit.text import clean_text

A4_WIDTH_MM = 210
A4_HEIGHT_MM = 297
FONT = 'Arial'  # rendered as the metric-compatible Liberation Sans where Arial is not installed
WHITE = '#FFFFFF'
BLACK = '#000000'


# --- documents and pages -------------------------------------------------------------------------------------------


def new_document(
    *,
    title: str = '',
    subject: str = '',
    font: str = FONT,
    size_pt: float = 11,
    language: str = 'en-GB',
    margins_mm: float | tuple[float, float, float, float] = 20,
) -> Document:
    """A new A4 portrait document with the given margins (one value or top, right, bottom, left), font and title."""
    document = docx.Document()
    normal = document.styles['Normal']
    normal.font.name = font
    normal.font.size = Pt(size_pt)
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ('w:ascii', 'w:hAnsi', 'w:cs', 'w:eastAsia'):
        fonts.set(qn(attribute), font)
    set_language(document, language)
    for style_name in ('Title', 'Heading 1', 'Heading 2', 'Heading 3'):
        document.styles[style_name].font.name = font
    setup_a4(document.sections[0], margins_mm=margins_mm)
    properties = document.core_properties
    properties.title = clean_text(title)
    properties.subject = clean_text(subject)
    properties.author = 'Cardkit'
    return document


def setup_a4(
    section: Section,
    *,
    margins_mm: float | tuple[float, float, float, float] = 20,
    header_mm: float = 8,
    footer_mm: float = 8,
    landscape: bool = False,
) -> Section:
    """Make a section A4 (portrait or landscape) with margins (one value or top, right, bottom, left)."""
    top, right, bottom, left = (margins_mm,) * 4 if isinstance(margins_mm, (int, float)) else margins_mm
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (A4_HEIGHT_MM, A4_WIDTH_MM) if landscape else (A4_WIDTH_MM, A4_HEIGHT_MM)
    section.page_width, section.page_height = Mm(width), Mm(height)
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance, section.footer_distance = Mm(header_mm), Mm(footer_mm)
    section.gutter = Mm(0)
    return section


def text_width_mm(section: Section) -> float:
    """Width between the margins of a section, in millimetres."""
    return (section.page_width - section.left_margin - section.right_margin) / Mm(1)


def text_height_mm(section: Section) -> float:
    """Height between the margins of a section, in millimetres."""
    return (section.page_height - section.top_margin - section.bottom_margin) / Mm(1)


def new_section(document: Document, start: WD_SECTION = WD_SECTION.NEW_PAGE) -> Section:
    """A new section on a new page with the page setup of the previous one (headers and footers linked to it)."""
    return document.add_section(start)


def set_language(document: Document, language: str) -> None:
    """Set the proofing language of the document's default text (e.g. 'en-GB')."""
    r_pr = document.styles['Normal'].element.get_or_add_rPr()
    lang = r_pr.find(qn('w:lang'))
    if lang is None:
        lang = OxmlElement('w:lang')
        r_pr.append(lang)
    lang.set(qn('w:val'), language)


def set_header_text(
    section: Section,
    text: str,
    *,
    size_pt: float = 9,
    colour: str = '#555555',
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    """Give a section its own one-line header (not linked to the previous section)."""
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.alignment = align
    add_run(paragraph, text, size_pt=size_pt, colour=colour)
    return paragraph


def add_page_number_footer(
    section: Section,
    template: str = 'Page {PAGE} of {NUMPAGES}',
    *,
    size_pt: float = 9,
    colour: str = '#555555',
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
) -> Paragraph:
    """Footer 'Page X of Y' built from PAGE and NUMPAGES fields; later sections keep it while linked."""
    footer = section.footer
    footer.is_linked_to_previous = False
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    for part in _split_fields(template):
        if part in ('{PAGE}', '{NUMPAGES}'):
            add_field(paragraph, part[1:-1], '1', size_pt=size_pt, colour=colour)
        elif part:
            add_run(paragraph, part, size_pt=size_pt, colour=colour)
    return paragraph


def _split_fields(template: str) -> list[str]:
    parts: list[str] = []
    rest = template
    while rest:
        starts = [i for i in (rest.find('{PAGE}'), rest.find('{NUMPAGES}')) if i >= 0]
        if not starts:
            parts.append(rest)
            break
        start = min(starts)
        end = rest.index('}', start) + 1
        parts += [rest[:start], rest[start:end]]
        rest = rest[end:]
    return parts


def add_field(
    paragraph: Paragraph, instruction: str, placeholder: str = '', *, dirty: bool = False, **run_format: Any
) -> None:
    """Append a complex field (e.g. 'PAGE', 'NUMPAGES', 'TOC \\o "1-3"') showing `placeholder` until updated.

    `dirty` marks the field for Word to update when the file opens (page numbers update on their own).
    """

    def fld_char(kind: str) -> Run:
        run = add_run(paragraph, '', **run_format)
        element = OxmlElement('w:fldChar')
        element.set(qn('w:fldCharType'), kind)
        if kind == 'begin' and dirty:
            element.set(qn('w:dirty'), 'true')
        run._r.append(element)
        return run

    fld_char('begin')
    run = add_run(paragraph, '', **run_format)
    instr = OxmlElement('w:instrText')
    instr.set(qn('xml:space'), 'preserve')
    instr.text = f' {instruction} '
    run._r.append(instr)
    fld_char('separate')
    add_run(paragraph, placeholder, **run_format)
    fld_char('end')


def add_toc(
    document: Document,
    levels: str = '1-3',
    *,
    title: str = 'Contents',
    placeholder: str = 'Right-click and choose Update Field to show the table of contents.',
) -> Paragraph:
    """A heading and a table-of-contents field over the given heading levels; Word fills it in when updated."""
    if title:
        document.add_paragraph(clean_text(title), style='Heading 1')
    paragraph = document.add_paragraph()
    add_field(paragraph, f'TOC \\o "{levels}" \\h \\z \\u', placeholder, dirty=True)
    update_fields_on_open(document)
    return paragraph


def update_fields_on_open(document: Document) -> None:
    """Ask Word to update the document's fields (page references, tables of contents) when it opens the file."""
    settings = document.settings.element
    if settings.find(qn('w:updateFields')) is None:
        update = OxmlElement('w:updateFields')
        update.set(qn('w:val'), 'true')
        settings.append(update)


def add_bookmark(paragraph: Paragraph, name: str, bookmark_id: int) -> None:
    """Put a bookmark round the whole paragraph (after its properties), for page references and links to it.

    Names starting with '_' (as Word's own '_Toc…') are hidden from Word's bookmark list."""
    start = OxmlElement('w:bookmarkStart')
    start.set(qn('w:id'), str(bookmark_id))
    start.set(qn('w:name'), name)
    end = OxmlElement('w:bookmarkEnd')
    end.set(qn('w:id'), str(bookmark_id))
    p = paragraph._p
    p.insert(1 if p.pPr is not None else 0, start)
    p.append(end)


def add_page_reference(paragraph: Paragraph, bookmark: str, placeholder: str = '', **run_format: Any) -> None:
    """The number of the page a bookmark is on (a PAGEREF field).

    LibreOffice works it out as it lays the pages out; Word when it updates fields (see update_fields_on_open)."""
    add_field(paragraph, f'PAGEREF {bookmark} \\h', placeholder, **run_format)


def add_internal_link(paragraph: Paragraph, text: str, bookmark: str, **run_format: Any) -> Run:
    """Text that, clicked in Word, LibreOffice or a PDF made from them, goes to a bookmark of the document."""
    link = OxmlElement('w:hyperlink')
    link.set(qn('w:anchor'), bookmark)
    link.set(qn('w:history'), '1')
    run = add_run(paragraph, text, **run_format)
    paragraph._p.append(link)
    link.append(run._r)
    return run


def contents_style(document: Document, level: int, *, indent_mm: float, right_mm: float) -> str:
    """The built-in 'toc N' paragraph style (Word's own contents style, so its theme applies), given a right-aligned
    dotted tab stop at `right_mm` for the page number; returns its style id."""
    name = f'toc {level}'
    try:
        style = document.styles[name]
    except KeyError:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles['Normal']
        style.next_paragraph_style = document.styles['Normal']
        style.hidden = False
        style.unhide_when_used = True
        fmt = style.paragraph_format
        fmt.left_indent = Mm(indent_mm)
        fmt.right_indent = Mm(10)  # long entries wrap before the page numbers' column
        fmt.space_after = Pt(3)
        fmt.tab_stops.add_tab_stop(Mm(right_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    return style.style_id


def add_page_break(document: Document) -> None:
    """Start a new page (within the same section)."""
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


# --- text ------------------------------------------------------------------------------------------------------------


def add_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size_pt: float | None = None,
    colour: str | None = None,
    font: str | None = None,
) -> Run:
    """Append a run of cleaned text with optional formatting ('\\n' becomes a line break)."""
    run = paragraph.add_run(clean_text(text))
    run.bold, run.italic = bold, italic
    if size_pt is not None:
        run.font.size = Pt(size_pt)
    if colour is not None:
        run.font.color.rgb = rgb(colour)
    if font is not None:
        run.font.name = font
    return run


def add_paragraph(
    container: Any,
    text: str = '',
    style: str | None = None,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size_pt: float | None = None,
    colour: str | None = None,
    align: WD_ALIGN_PARAGRAPH | None = None,
    space_before_pt: float | None = None,
    space_after_pt: float | None = None,
    indent_mm: float | None = None,
    hanging_mm: float | None = None,
    keep_with_next: bool | None = None,
) -> Paragraph:
    """Add a paragraph of cleaned text to a document, cell, header or footer, in a built-in style."""
    paragraph = container.add_paragraph(style=style)
    if text:
        add_run(paragraph, text, bold=bold, italic=italic, size_pt=size_pt, colour=colour)
    format_paragraph(
        paragraph,
        align=align,
        space_before_pt=space_before_pt,
        space_after_pt=space_after_pt,
        indent_mm=indent_mm,
        hanging_mm=hanging_mm,
        keep_with_next=keep_with_next,
    )
    return paragraph


def format_paragraph(
    paragraph: Paragraph,
    *,
    align: WD_ALIGN_PARAGRAPH | None = None,
    space_before_pt: float | None = None,
    space_after_pt: float | None = None,
    indent_mm: float | None = None,
    hanging_mm: float | None = None,
    keep_with_next: bool | None = None,
    line_spacing: float | None = None,
) -> Paragraph:
    """Set alignment, spacing and indents of a paragraph (None leaves a setting to the style)."""
    fmt = paragraph.paragraph_format
    if align is not None:
        paragraph.alignment = align
    if space_before_pt is not None:
        fmt.space_before = Pt(space_before_pt)
    if space_after_pt is not None:
        fmt.space_after = Pt(space_after_pt)
    if indent_mm is not None:
        fmt.left_indent = Mm(indent_mm)
    if hanging_mm is not None:
        fmt.first_line_indent = Mm(-hanging_mm)
    if keep_with_next is not None:
        fmt.keep_with_next = keep_with_next
    if line_spacing is not None:
        fmt.line_spacing = line_spacing
    return paragraph


def add_labelled_lines(container: Any, items: Iterable[tuple[str, str]], **run_format: Any) -> Paragraph:
    """One paragraph of 'Label: value' lines (label bold), separated by line breaks."""
    paragraph = container.add_paragraph()
    for i, (label, value) in enumerate(items):
        if i:
            add_run(paragraph, '\n', **run_format)
        add_run(paragraph, f'{label}: ', bold=True, **run_format)
        add_run(paragraph, value, **run_format)
    return paragraph


def point_label(numbering: str, index: int) -> str:
    """The label of the index-th (0-based) point: 'a)', '1.' or a bullet."""
    if numbering == 'letters':
        return f'{_letters(index)})'
    if numbering == 'numbers':
        return f'{index + 1}.'
    return '•'


def _letters(index: int) -> str:
    label = ''
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(ord('a') + remainder) + label
    return label


# --- colours ---------------------------------------------------------------------------------------------------------


def hex_colour(value: str) -> str:
    """Normalise '#1f5f8b' / '1F5F8B' to '1F5F8B' (the form Word's XML uses)."""
    value = value.strip().lstrip('#').upper()
    if len(value) != 6 or any(ch not in '0123456789ABCDEF' for ch in value):
        raise ValueError(f'not a colour: {value!r}')
    return value


def rgb(value: str) -> RGBColor:
    """RGBColor from '#RRGGBB'."""
    return RGBColor.from_string(hex_colour(value))


def luminance(value: str) -> float:
    """Relative luminance (WCAG) of '#RRGGBB'."""
    channels = [int(hex_colour(value)[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour_on(background: str) -> str:
    """White or black, whichever reads better on the background."""
    return WHITE if contrast(background, WHITE) >= contrast(background, BLACK) else BLACK


def tint(value: str, amount: float) -> str:
    """Mix a colour with white: amount 0 keeps it, 1 gives white."""
    channels = [int(hex_colour(value)[i : i + 2], 16) for i in (0, 2, 4)]
    return '#' + ''.join(f'{round(c + (255 - c) * amount):02X}' for c in channels)


# --- tables -----------------------------------------------------------------------------------------------------------


def shade_cell(cell: _Cell, colour: str) -> None:
    """Fill a table cell with a solid colour."""
    tc_pr = cell._tc.get_or_add_tcPr()
    for old in tc_pr.findall(qn('w:shd')):
        tc_pr.remove(old)
    shd = OxmlElement('w:shd')
    shd.set(qn('w:val'), 'clear')
    shd.set(qn('w:color'), 'auto')
    shd.set(qn('w:fill'), hex_colour(colour))
    _insert_in_order(tc_pr, shd, _TC_PR_ORDER)


def cell_shading(cell: _Cell) -> str | None:
    """The fill colour of a cell as '#RRGGBB', or None."""
    shd = cell._tc.tcPr.find(qn('w:shd')) if cell._tc.tcPr is not None else None
    fill = shd.get(qn('w:fill')) if shd is not None else None
    return f'#{fill.upper()}' if fill and fill.lower() != 'auto' else None


_TC_PR_ORDER = [
    'cnfStyle',
    'tcW',
    'gridSpan',
    'hMerge',
    'vMerge',
    'tcBorders',
    'shd',
    'noWrap',
    'tcMar',
    'textDirection',
    'tcFitText',
    'vAlign',
    'hideMark',
]
_TBL_PR_ORDER = [
    'tblStyle',
    'tblpPr',
    'tblOverlap',
    'bidiVisual',
    'tblStyleRowBandSize',
    'tblStyleColBandSize',
    'tblW',
    'jc',
    'tblCellSpacing',
    'tblInd',
    'tblBorders',
    'shd',
    'tblLayout',
    'tblCellMar',
    'tblLook',
]
_TR_PR_ORDER = [
    'cnfStyle',
    'divId',
    'gridBefore',
    'gridAfter',
    'wBefore',
    'wAfter',
    'cantSplit',
    'trHeight',
    'tblHeader',
    'tblCellSpacing',
    'jc',
    'hidden',
]


def _insert_in_order(parent: Any, child: Any, order: list[str]) -> None:
    """Insert child into parent before the first sibling that must follow it in the schema."""
    name = child.tag.split('}')[1]
    later = set(order[order.index(name) + 1 :]) if name in order else set()
    for i, existing in enumerate(parent):
        if existing.tag.split('}')[1] in later:
            parent.insert(i, child)
            return
    parent.append(child)


def _replace(parent: Any, tag: str, order: list[str]) -> Any:
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    element = OxmlElement(tag)
    _insert_in_order(parent, element, order)
    return element


def _borders(element: Any, edges: Sequence[str], style: str, size_eighths: int, colour: str, space: int = 0) -> None:
    for edge in edges:
        border = OxmlElement(f'w:{edge}')
        border.set(qn('w:val'), style)
        border.set(qn('w:sz'), str(size_eighths))
        border.set(qn('w:space'), str(space))
        border.set(qn('w:color'), hex_colour(colour) if style != 'nil' else 'auto')
        element.append(border)


def set_table_borders(
    table: Table, style: str = 'single', *, size_pt: float = 0.5, colour: str = '#000000', inside: bool = True
) -> None:
    """Borders around and (with inside) between all cells: style 'single', 'dashed', 'dotted' or 'nil'."""
    tbl_pr = table._tbl.tblPr
    borders = _replace(tbl_pr, 'w:tblBorders', _TBL_PR_ORDER)
    edges = ['top', 'left', 'bottom', 'right'] + (['insideH', 'insideV'] if inside else [])
    _borders(borders, edges, style, max(2, round(size_pt * 8)), colour)
    if not inside:
        _borders(borders, ['insideH', 'insideV'], 'nil', 0, colour)


def set_cell_borders(
    cell: _Cell,
    style: str = 'single',
    *,
    size_pt: float = 0.5,
    colour: str = '#000000',
    edges: Sequence[str] = ('top', 'left', 'bottom', 'right'),
) -> None:
    """Borders of one cell (overriding the table's borders on those edges)."""
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = _replace(tc_pr, 'w:tcBorders', _TC_PR_ORDER)
    _borders(borders, edges, style, max(2, round(size_pt * 8)), colour)


def set_table_cell_margins(
    table: Table, *, top_mm: float = 1, right_mm: float = 1.9, bottom_mm: float = 1, left_mm: float = 1.9
) -> None:
    """Default inner margins of all cells of a table."""
    margins = _replace(table._tbl.tblPr, 'w:tblCellMar', _TBL_PR_ORDER)
    _margins(margins, top_mm, right_mm, bottom_mm, left_mm)


def set_cell_margins(
    cell: _Cell, *, top_mm: float = 1, right_mm: float = 1.9, bottom_mm: float = 1, left_mm: float = 1.9
) -> None:
    """Inner margins of one cell."""
    margins = _replace(cell._tc.get_or_add_tcPr(), 'w:tcMar', _TC_PR_ORDER)
    _margins(margins, top_mm, right_mm, bottom_mm, left_mm)


def _margins(element: Any, top: float, right: float, bottom: float, left: float) -> None:
    for edge, value in (('top', top), ('left', left), ('bottom', bottom), ('right', right)):
        margin = OxmlElement(f'w:{edge}')
        margin.set(qn('w:w'), str(round(Mm(value).twips)))
        margin.set(qn('w:type'), 'dxa')
        element.append(margin)


def set_fixed_layout(table: Table, widths_mm: Sequence[float]) -> None:
    """Fixed column widths (Word and LibreOffice then never resize columns to fit content)."""
    table.autofit = False
    layout = _replace(table._tbl.tblPr, 'w:tblLayout', _TBL_PR_ORDER)
    layout.set(qn('w:type'), 'fixed')
    width = _replace(table._tbl.tblPr, 'w:tblW', _TBL_PR_ORDER)
    width.set(qn('w:w'), str(round(Mm(sum(widths_mm)).twips)))
    width.set(qn('w:type'), 'dxa')
    for grid_col, width_mm in zip(table._tbl.tblGrid.findall(qn('w:gridCol')), widths_mm, strict=False):
        grid_col.set(qn('w:w'), str(round(Mm(width_mm).twips)))
    for row in table.rows:
        for cell, width_mm in zip(row.cells, widths_mm, strict=False):
            cell.width = Mm(width_mm)


def set_row_height(row: _Row, height_mm: float, *, exact: bool = True, cant_split: bool = True) -> None:
    """Row height, exact (content beyond it is not shown) or at least; optionally never split across pages."""
    row.height = Mm(height_mm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    if cant_split:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn('w:cantSplit')) is None:
            _insert_in_order(tr_pr, OxmlElement('w:cantSplit'), _TR_PR_ORDER)


def set_repeat_table_header(row: _Row) -> None:
    """Repeat this (first) row at the top of every page the table runs onto (w:tblHeader)."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn('w:tblHeader')) is None:
        header = OxmlElement('w:tblHeader')
        header.set(qn('w:val'), 'true')
        _insert_in_order(tr_pr, header, _TR_PR_ORDER)


def is_repeated_header(row: _Row) -> bool:
    """Whether the row is marked to repeat on each page."""
    tr_pr = row._tr.trPr
    return tr_pr is not None and tr_pr.find(qn('w:tblHeader')) is not None


def add_data_table(
    container: Any,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    widths_mm: Sequence[float] | None = None,
    style: str = 'Table Grid',
    size_pt: float | None = None,
    header_fill: str = '#DDDDDD',
) -> Table:
    """A table in a built-in style whose bold, shaded header row repeats on every page it runs onto."""
    rows = [list(row) for row in rows]
    table = container.add_table(1, len(header))
    table.style = style
    for cell, text in zip(table.rows[0].cells, header, strict=False):
        cell.paragraphs[0].text = ''
        add_run(cell.paragraphs[0], text, bold=True, size_pt=size_pt)
        shade_cell(cell, header_fill)
    set_repeat_table_header(table.rows[0])
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            write_cell(cell, value, size_pt=size_pt)
    if widths_mm:
        set_fixed_layout(table, widths_mm)
    return table


def write_cell(cell: _Cell, text: str, **run_format: Any) -> Paragraph:
    """Replace a cell's content with cleaned text (one paragraph per line)."""
    lines = clean_text(text).split('\n') or ['']
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._p.getparent().remove(extra._p)
    for run in list(first.runs):
        run._r.getparent().remove(run._r)
    add_run(first, lines[0], **run_format)
    for line in lines[1:]:
        add_run(cell.add_paragraph(), line, **run_format)
    return first
