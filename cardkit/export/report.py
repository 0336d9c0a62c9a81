"""The Word report of a session: a pure function of the stored data, and a writer that saves it as a .docx file.

Layout
    A title page (the session title in the Title style; date, deck with version and source, way of working, the
    themes in play under the deck's own label, and a table of who was involved with what they brought), a contents
    page, then for each theme in play a Heading 1 and for each of its cards a Heading 2 holding the card's whole
    lead question with its points ("1.2 Why is progression important: to individual learners? to your
    organisation? nationally?"), the notes (List Bullet), the coaching questions grouped by the deck's stems
    ("Who …") and, for checklist cards, the rated items as a table and the unrated ones in a short summary. Then
    the action plan (Heading 1) with a table per term (Short / Medium / Long term, Heading 2 each) whose header
    row repeats on every page, and an appendix with the backs of the cards in play, footnote marks included.

Contents
    A TOC field shows no page numbers until something updates it, and LibreOffice does not on opening. So the
    contents are written out: each entry links to a bookmark on its heading and ends in a PAGEREF field to it,
    which LibreOffice works out as it lays out the pages and Word when it updates the fields on opening.

    Only built-in styles are used (Title, TOC Heading, toc 1-2, Heading 1-3, List Bullet, Table Grid), so the
    document takes the reader's Word theme and stays editable. Pages are A4 with "Page X of Y" in the footer.

Groups
    Notes made in breakout groups are shown under the group's name (a bold line) within each card; notes made in
    the plenary or with no group come first, without a label.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docx.document import Document
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from sqlmodel import Session

from cardkit import config, sessions, workshop
from cardkit.deck import Card, Deck, Point
from cardkit.export.docx_common import (
    add_bookmark,
    add_data_table,
    add_internal_link,
    add_labelled_lines,
    add_page_number_footer,
    add_page_reference,
    add_run,
    contents_style,
    format_paragraph,
    new_document,
    point_label,
    text_width_mm,
    update_fields_on_open,
)
from cardkit.models import TERM_TITLES, Action, CardSession, Note, NoteKind, Person
from cardkit.text import clean_text, sentence

Progress = Callable[[float, str], None]

ACTION_HEADER = ('What', 'Who', 'Resources', 'Status', 'Target date', 'Source card')
ACTION_WIDTHS_MM = (42, 20, 24, 20, 20, 44)  # 170 mm: A4 less 20 mm margins; the source card shows its question
RATING_HEADER = ('Item', 'Rating', 'Evidence', 'What needs to happen')
RATING_WIDTHS_MM = (50, 26, 47, 47)
PEOPLE_HEADER = ('Name', 'Role', 'Organisation', 'What they bring')
PEOPLE_WIDTHS_MM = (36, 34, 40, 60)
TABLE_STYLE = 'Table Grid'
TOC_LEVELS = 2
CANT_SPLIT_MAX = 1200  # rows with less text than this are kept on one page
TABLE_TEXT_PT = 9.5
POINT_INDENT_MM = 6.35  # the indent of a List Bullet paragraph
HEADING_MAX = 600  # only a lead question longer than any real card's is shortened in its heading (given in full below)
UNRATED_NAME_MAX = 60  # unrated checklist items are named this briefly in the summary (in full in the appendix)
FILE_STEM_MAX = 80
_NUMBERED_ID = re.compile(r'^\d+(\.\d+)*$')
# An asterisk ending a word or sentence ("... Leitch report.*", "learning *") points to the card's footnote.
_FOOTNOTE_MARK = re.compile(r'\S\s?\*(?=\s|$)')
_MARKED = re.compile(r'^\s*(\*|†|‡|\d+[.)]?\s)')


# --- the data ------------------------------------------------------------------------------------------------------


@dataclass
class ReportData:
    """Everything the report shows, read in one go."""

    session: CardSession
    deck: Deck
    people: list[Person]
    notes: list[Note]
    actions: list[Action]
    groups: dict[int, str]
    earlier: CardSession | None


def read_report_data(*, db: Session, session_id: int) -> ReportData:
    """Read a session and everything in it (raises NotFound for an unknown id)."""
    session = sessions.get_session(db=db, session_id=session_id)
    earlier = db.get(CardSession, session.follow_up_of) if session.follow_up_of is not None else None
    return ReportData(
        session,
        sessions.deck_of(db=db, session=session),
        sessions.people(db=db, session_id=session_id),
        sessions.notes(db=db, session_id=session_id),
        sessions.actions(db=db, session_id=session_id),
        {group.id: group.name for group in workshop.groups(db=db, session_id=session_id)},
        earlier,
    )


# --- the document --------------------------------------------------------------------------------------------------


def session_report(*, db: Session, session_id: int, progress: Progress | None = None) -> Document:
    """The Word report of a session, built from the stored data; progress(fraction, label) is told how far it is."""
    report = progress or (lambda fraction, label: None)
    report(0.0, 'Reading the session')
    data = read_report_data(db=db, session_id=session_id)
    return build_report(data, report)


def report_bytes(document: Document) -> bytes:
    """A report as the bytes of a .docx file, made in memory."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_report(data: ReportData, progress: Progress) -> Document:
    """The report of already-read session data."""
    session, deck = data.session, data.deck
    document = new_document(title=session.title, subject=f'{deck.title}: session report')
    add_page_number_footer(document.sections[0])
    writer = _Writer(document)
    progress(0.02, 'Writing the title page')
    _title_page(writer, data)
    # Pages start with a page-break-before, not a break after: a full contents page then leaves no blank page.
    writer.paragraph('Contents', 'TOC Heading').paragraph_format.page_break_before = True
    contents = writer.paragraph()
    update_fields_on_open(document)

    notes_by_card: dict[str, list[Note]] = {}
    for note in data.notes:
        notes_by_card.setdefault(note.card_id, []).append(note)
    in_play = set(session.card_ids)
    total = max(1, len(session.card_ids))
    done = 0
    for i, number in enumerate(session.theme_numbers):
        theme = deck.theme(number)
        writer.heading(theme_heading(deck, theme.number), 1).paragraph_format.page_break_before = i == 0
        if theme.summary:
            format_paragraph(writer.paragraph(theme.summary), keep_with_next=True)
        for card in theme.cards:
            if card.id not in in_play:
                continue
            progress(0.05 + 0.75 * done / total, f'Writing card {card.id}')
            _card_section(writer, data, card, notes_by_card.get(card.id, []))
            done += 1

    progress(0.82, 'Writing the action plan')
    _action_plan(writer, data)
    progress(0.92, 'Writing the appendix')
    _appendix(writer, data)
    _fill_contents(writer, contents)
    progress(1.0, 'Report ready')
    return document


def _fill_contents(writer: _Writer, placeholder: Paragraph) -> None:
    """Write the contents where the placeholder paragraph is: per heading its text, linked to the heading, and the
    number of the page it is on."""
    width = text_width_mm(writer.document.sections[0])
    styles = {
        level: contents_style(writer.document, level, indent_mm=POINT_INDENT_MM * (level - 1), right_mm=width)
        for level in range(1, TOC_LEVELS + 1)
    }
    at = placeholder
    for level, text, bookmark in writer.outline:
        paragraph = Paragraph(OxmlElement('w:p'), placeholder._parent)
        paragraph._p.style = styles[level]
        add_internal_link(paragraph, text, bookmark, bold=level == 1 or None)
        add_run(paragraph, '\t')
        add_page_reference(paragraph, bookmark)
        at._p.addnext(paragraph._p)
        at = paragraph
    placeholder._p.getparent().remove(placeholder._p)


class _Writer:
    """Adds paragraphs to the end of the body with the style objects looked up once."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self._style_ids: dict[str, str] = {}
        self.outline: list[tuple[int, str, str]] = []  # (level, text, bookmark) of the headings the contents list

    def paragraph(
        self,
        text: str = '',
        style: str = 'Normal',
        *,
        bold: bool | None = None,
        italic: bool | None = None,
        size_pt: float | None = None,
    ) -> Paragraph:
        """A paragraph at the end of the body; the style is set by id (python-docx would search all styles)."""
        paragraph = self.document.add_paragraph()
        if style != 'Normal':
            paragraph._p.style = self.style_id(style)
        if text:
            fast_run(paragraph, text, bold=bold, italic=italic, size_pt=size_pt)
        return paragraph

    def style_id(self, name: str) -> str:
        if name not in self._style_ids:
            self._style_ids[name] = self.document.styles[name].style_id
        return self._style_ids[name]

    def heading(self, text: str, level: int) -> Paragraph:
        text = _one_line(text)
        paragraph = self.paragraph(text, f'Heading {level}')
        if level <= TOC_LEVELS:
            number = len(self.outline) + 1
            bookmark = f'_Toc{number:08d}'
            add_bookmark(paragraph, bookmark, number)
            self.outline.append((level, text, bookmark))
        return paragraph

    def bullet(self, text: str) -> Paragraph:
        return self.paragraph(text, 'List Bullet')

    def note(self, text: str, style: str = 'Normal') -> Paragraph:
        """A short explanatory line in italics."""
        return self.paragraph(text, style, italic=True)

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> Table:
        return fast_table(self.document, header, rows, widths_mm)


def fast_table(container, header: Sequence[str], rows: Sequence[Sequence[str]], widths_mm: Sequence[float]) -> Table:
    """A data table (header row repeated on each page) whose rows are appended in linear time.

    python-docx's `table.add_row().cells` walks the whole table for every row, so long tables take quadratic time;
    this adds the rows' XML directly, with the column widths of the header row.
    """
    table = add_data_table(container, header, [], widths_mm=widths_mm, style=TABLE_STYLE, size_pt=TABLE_TEXT_PT)
    widths = [Mm(w) for w in widths_mm]
    tbl = table._tbl
    for values in rows:
        tr = tbl.add_tr()
        for width, value in zip(widths, values, strict=False):
            tc = tr.add_tc()
            tc.width = width
            _fast_cell(tc, table, value)
        if sum(len(value) for value in values) < CANT_SPLIT_MAX:
            tr.get_or_add_trPr().append(OxmlElement('w:cantSplit'))
    return table


def fast_run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    size_pt: float | None = None,
) -> None:
    """Append cleaned text as one run ('\\n' a line break, '\\t' a tab), formatting only what is asked for."""
    run = paragraph.add_run(clean_text(text))
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    if size_pt is not None:
        run.font.size = Pt(size_pt)


def _fast_cell(tc, table: Table, text: str) -> None:
    """Fill a new cell with one paragraph per line of cleaned text, in the table text size."""
    cell = _Cell(tc, table)
    for i, line in enumerate(clean_text(text).split('\n')):
        p = tc.p_lst[0] if i == 0 else tc.add_p()  # a new cell already holds an empty paragraph
        fast_run(Paragraph(p, cell), line, size_pt=TABLE_TEXT_PT)


def _one_line(text: str) -> str:
    return ' '.join(clean_text(text).split())


def _shorten(text: str, limit: int) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + '…'


def _long_date(value: date) -> str:
    return f'{value.day} {value:%B %Y}'


def _short_date(value: date | None) -> str:
    return f'{value.day} {value:%b %Y}' if value else ''


# --- title page ----------------------------------------------------------------------------------------------------


def _title_page(writer: _Writer, data: ReportData) -> None:
    session, deck = data.session, data.deck
    writer.paragraph(session.title, 'Title')
    writer.paragraph(f'Report of the {deck.title} session', size_pt=13)
    lines = [
        ('Date', _long_date(session.held_on)),
        ('Deck', f'{deck.title}' + (f' ({deck.subtitle})' if deck.subtitle else '') + f', version {deck.version}'),
    ]
    if deck.source:
        source = deck.source
        lines.append(('Source', ', '.join(part for part in (source.title, source.publisher, source.url) if part)))
    lines.append(('Way of working', sentence(session.way_of_working)))
    lines += [(f'{deck.theme_label} {n}', _one_line(deck.theme(n).title)) for n in session.theme_numbers]
    if session.follow_up_of is not None:
        earlier = f'{data.earlier.title} ({_long_date(data.earlier.held_on)})' if data.earlier else 'an earlier session'
        lines.append(('Follows up', earlier))
    add_labelled_lines(writer.document, lines)

    writer.paragraph('Who was involved', bold=True, size_pt=13)
    if data.people:
        writer.table(PEOPLE_HEADER, [(p.name, p.role, p.organisation, p.brings) for p in data.people], PEOPLE_WIDTHS_MM)
    else:
        writer.note('No one was recorded as involved.')


# --- cards ---------------------------------------------------------------------------------------------------------


def theme_heading(deck: Deck, number: int) -> str:
    """'Strategic issue 1: Exploring the idea of progression.', with the deck's own label for its themes."""
    return f'{deck.theme_label} {number}: {_one_line(deck.theme(number).title)}'


def card_lead(card: Card) -> str:
    """The card's whole lead question on one line, its points included ('Why is progression important: to
    individual learners? to your organisation? nationally?')."""
    text = _one_line(card.lead)
    for point in _flatten(card.lead_points):
        # points without their own punctuation are kept apart with a semicolon, as a list in a sentence is
        text += (' ' if not text or text[-1] in '?!.:;,' else '; ') + point
    return text


def _flatten(points: Sequence[Point]) -> list[str]:
    texts: list[str] = []
    for point in points:
        if point.text.strip():
            texts.append(_one_line(point.text))
        texts += _flatten(point.points)
    return texts


def card_heading(card: Card) -> str:
    """'1.1 What does the term …' for numbered cards, the lead alone for named cards ('Learners')."""
    lead = _shorten(card_lead(card), HEADING_MAX)
    return f'{card.id} {lead}' if _NUMBERED_ID.match(card.id) else lead


def _group_label(data: ReportData, note: Note) -> str:
    """The name of the breakout group a note was made in ('' for the plenary or no group)."""
    return data.groups.get(note.group_id, '') if note.group_id is not None else ''


def _by_group(data: ReportData, notes: Sequence[Note]) -> list[tuple[str, list[Note]]]:
    """Notes in (group label, notes) blocks: ungrouped first, then the groups in their order."""
    blocks: dict[str, list[Note]] = {}
    for note in notes:
        blocks.setdefault(_group_label(data, note), []).append(note)
    order = {'': -1} | {name: i for i, name in enumerate(data.groups.values())}
    return sorted(blocks.items(), key=lambda item: order.get(item[0], len(order)))


def _card_section(writer: _Writer, data: ReportData, card: Card, notes: list[Note]) -> None:
    writer.heading(card_heading(card), 2)
    if len(lead := card_lead(card)) > HEADING_MAX:
        writer.paragraph(lead)  # the heading had to shorten it
    visible = [n for n in notes if not n.hidden]
    free = [n for n in visible if n.kind == NoteKind.NOTE.value]
    questions = [n for n in visible if n.kind == NoteKind.QUESTION.value]
    ratings = [n for n in visible if n.kind == NoteKind.RATING.value]

    if card.kind == 'checklist':
        _ratings_table(writer, data, card, ratings)
    if free:
        writer.heading('Notes', 3)
        for label, block in _by_group(data, free):
            if label:
                writer.paragraph(label, bold=True)
            for note in block:
                writer.bullet(note.text)
    if questions:
        writer.heading('Coaching questions', 3)
        stems = data.deck.stems()
        order = {stem.lower(): i for i, stem in enumerate(stems)}
        own_words = {stem.lower(): stem for stem in stems}
        for label, block in _by_group(data, questions):
            if label:
                writer.paragraph(label, bold=True)
            by_stem: dict[str, list[Note]] = {}
            for note in block:
                by_stem.setdefault(note.stem, []).append(note)
            for stem in sorted(by_stem, key=lambda s: order.get(s, len(order))):
                word = own_words.get(stem.lower(), stem)
                label_paragraph = writer.paragraph(f'{sentence(word)} …', bold=True, italic=True)
                format_paragraph(label_paragraph, space_after_pt=2, keep_with_next=True)
                for note in by_stem[stem]:
                    writer.bullet(note.text)
    if not (free or questions or ratings):
        discussed = card.id in data.session.discussed
        writer.note('No notes were recorded.' if discussed else 'Not discussed in this session.')


def _ratings_table(writer: _Writer, data: ReportData, card: Card, ratings: list[Note]) -> None:
    """The rated items as a table (with their points and the deck's own scale words), the unrated ones summed up
    in a line or two: a solo session that rated one item does not run to pages of 'Not rated'."""
    scale = data.deck.scale_of(card)
    by_item = {n.item_key: n for n in ratings}
    rows = []
    unrated: list[tuple[str, str]] = []  # (group heading, short name) of each item with no rating
    total = 0
    for g, group in enumerate(card.groups, 1):
        for i, item in enumerate(group.items, 1):
            total += 1
            note = by_item.get(f'{g}.{i}')
            rated = note is not None and note.rating is not None and 0 <= note.rating < len(scale)
            if not rated and not (note and (note.text.strip() or note.needs.strip())):
                label = point_label(group.numbering, i - 1) if group.numbering != 'bullets' else ''
                unrated.append((group.heading, f'{label} {_short_name(item.text)}'.strip()))
                continue
            text = '\n'.join([f'{group.heading}: {item.text}' if group.heading else item.text, *_point_lines(item)])
            rows.append((text, scale[note.rating] if rated else 'Not rated', note.text, note.needs))
    writer.heading('Evidence', 3)
    if rows:
        writer.table(RATING_HEADER, rows, RATING_WIDTHS_MM)
    if unrated:
        _unrated_summary(writer, unrated, total)


def _point_lines(point: Point, level: int = 0) -> list[str]:
    """The nested points of a point as indented, labelled lines ('    a) …')."""
    lines = []
    for i, child in enumerate(point.points):
        lines.append(f'{"   " * (level + 1)}{point_label(point.numbering, i)} {_one_line(child.text)}'.rstrip())
        lines += _point_lines(child, level + 1)
    return lines


def _short_name(text: str) -> str:
    """An item named briefly, cut at a word: its full wording is in the appendix."""
    text = _one_line(text).rstrip('.:;,')
    if len(text) <= UNRATED_NAME_MAX:
        return text
    cut = text[: UNRATED_NAME_MAX - 1]
    return (cut[: cut.rfind(' ')] if ' ' in cut else cut).rstrip(' ,;:') + '…'


def _unrated_summary(writer: _Writer, unrated: list[tuple[str, str]], total: int) -> None:
    count = f'all {total} items' if len(unrated) == total else f'{len(unrated)} of {total} items'
    paragraph = writer.paragraph()
    add_run(paragraph, 'Not rated: ', bold=True)
    add_run(paragraph, f'{count} (in full in the appendix)' if total > 1 else count)
    format_paragraph(paragraph, space_before_pt=6, space_after_pt=2, keep_with_next=True)
    by_heading: dict[str, list[str]] = {}
    for heading, name in unrated:
        by_heading.setdefault(heading, []).append(name)
    for heading, names in by_heading.items():
        line = writer.paragraph(f'{heading}: ' if heading else '', size_pt=TABLE_TEXT_PT)
        fast_run(line, '; '.join(names), size_pt=TABLE_TEXT_PT)
        format_paragraph(line, indent_mm=POINT_INDENT_MM, space_after_pt=4)


# --- action plan ---------------------------------------------------------------------------------------------------


def card_reference(deck: Deck, card_id: str) -> str:
    """How the action plan names a card: its number and whole lead question ('6.1 What do we need to do next?'),
    or the lead alone for named cards."""
    if not card_id:
        return ''
    try:
        card = deck.card(card_id)
    except KeyError:
        return card_id
    return card_heading(card)


def _action_plan(writer: _Writer, data: ReportData) -> None:
    writer.heading('Action plan', 1).paragraph_format.page_break_before = True
    if data.session.follow_up_of is not None:
        writer.note(
            'This session follows up an earlier one: actions still open then were carried over, '
            'with a note of their progress.'
        )
    by_term: dict[str, list[Action]] = {term: [] for term in TERM_TITLES}
    for action in data.actions:
        by_term.setdefault(action.term, []).append(action)
    for term, label in TERM_TITLES.items():
        writer.heading(label, 2)
        rows = by_term[term]
        if not rows:
            writer.note('No actions.')
            continue
        writer.table(ACTION_HEADER, [_action_row(data, a) for a in rows], ACTION_WIDTHS_MM)


def _action_row(data: ReportData, action: Action) -> tuple[str, ...]:
    what = action.what
    if action.carried_from is not None or action.review:
        progress = action.review or 'no progress noted yet'
        prefix = 'Carried over. ' if action.carried_from is not None else ''
        what = f'{what}\n{prefix}Progress: {progress}'
    return (
        what,
        action.who,
        action.resources,
        sentence(action.status),
        _short_date(action.target_date),
        card_reference(data.deck, action.card_id),
    )


# --- appendix ------------------------------------------------------------------------------------------------------


def _appendix(writer: _Writer, data: ReportData) -> None:
    writer.heading('Appendix: discussion prompts', 1).paragraph_format.page_break_before = True
    in_play = set(data.session.card_ids)
    written = 0
    for number in data.session.theme_numbers:
        for card in data.deck.theme(number).cards:
            if card.id in in_play and _card_back(writer, card):
                written += 1
    if not written:
        writer.note('The cards in play have no discussion prompts.')


def _card_back(writer: _Writer, card: Card) -> bool:
    """The back of a card (prompts, or the task and items of a checklist); False when it has none."""
    if not card.has_back:
        return False
    writer.heading(card_heading(card), 3)
    for text in (card.intro, card.task, card.context):
        if text:
            writer.paragraph(text)
    for point in card.prompts:
        _point(writer, point, '', 0)
    for group in card.groups:
        if group.heading:
            writer.paragraph(group.heading, bold=True)
        for i, item in enumerate(group.items):
            _point(writer, item, point_label(group.numbering, i) if group.numbering != 'bullets' else '', 0)
    marked = _refers_to_footnote(card)
    for i, footnote in enumerate(card.footnotes):
        text = footnote.text
        if i == 0 and marked and text and not _MARKED.match(text):
            text = f'* {text}'  # the mark the prompt points with
        if text:
            # a footnote is small text below the prompts, not one more prompt
            format_paragraph(writer.paragraph(text, size_pt=9), space_before_pt=6 if i == 0 else 0, space_after_pt=2)
        for j, child in enumerate(footnote.points):
            _point(writer, child, point_label(footnote.numbering, j), 0, size_pt=9)
    for link in card.links:
        writer.paragraph(f'{link.label}: {link.href}', size_pt=9)
    return True


def _refers_to_footnote(card: Card) -> bool:
    """Whether a text on the card's back carries an asterisk that points to its footnote."""
    texts = [card.intro, card.task, card.context, *_flatten(card.prompts)]
    texts += [t for group in card.groups for t in [group.heading, *_flatten(group.items)]]
    return bool(card.footnotes) and any(_FOOTNOTE_MARK.search(text) for text in texts if text)


def _point(writer: _Writer, point: Point, label: str, level: int, size_pt: float | None = None) -> None:
    """A prompt and its nested points, each labelled a), 1. or • as its parent says, indented by level."""
    if point.text and level == 0 and not label:
        writer.paragraph(point.text, 'List Bullet', size_pt=size_pt)
    elif point.text:
        paragraph = writer.paragraph(f'{label}\t{point.text}' if label else point.text, size_pt=size_pt)
        indent = POINT_INDENT_MM * (level + 1)
        format_paragraph(paragraph, indent_mm=indent, hanging_mm=POINT_INDENT_MM if label else None, space_after_pt=2)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(indent))
    for i, child in enumerate(point.points):
        _point(writer, child, point_label(point.numbering, i), level + 1, size_pt)


# --- files ---------------------------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\u202a-\u202e\u2066-\u2069]')


def safe_file_stem(title: str, session_id: int, held_on: date) -> str:
    """A file name stem from the title (no path separators, '..', control or reserved characters), max 80 chars."""
    text = _UNSAFE.sub(' ', clean_text(title))
    text = re.sub(r'\.{2,}', ' ', text)
    text = ' '.join(text.split()).strip(' .-')
    suffix = f' - session {session_id} - {held_on.isoformat()}'
    room = FILE_STEM_MAX - len(suffix)
    text = text[:room].rstrip(' .-') or 'Session'
    return f'{text}{suffix}'


def default_path(session: CardSession, extension: str) -> Path:
    """Where an export of the session goes unless told otherwise: the exports folder, named after the session."""
    return config.exports_dir() / f'{safe_file_stem(session.title, session.id, session.held_on)}.{extension}'


def save_atomically(out: Path, write: Callable[[Path], None]) -> Path:
    """Write through a temporary file in the same folder, then move it into place (no half-written files)."""
    out = Path(out)
    handle, temporary = tempfile.mkstemp(prefix='.cardkit-', suffix=out.suffix, dir=out.parent)
    os.close(handle)
    try:
        write(Path(temporary))
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out


def write_report(*, db: Session, session_id: int, out: Path | None = None, progress: Progress | None = None) -> Path:
    """Save the session's report as .docx (in the exports folder unless `out` is given) and return its path."""
    session = sessions.get_session(db=db, session_id=session_id)
    document = session_report(db=db, session_id=session_id, progress=progress)
    path = Path(out) if out is not None else default_path(session, 'docx')
    return save_atomically(path, lambda temporary: document.save(str(temporary)))
