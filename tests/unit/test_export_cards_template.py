"""Printable card sets, the blank card template and its import, and their CLI commands.

Every produced file is saved and opened again with python-docx: A4 pages, fronts and backs mirrored for a
long-edge flip, theme colour bands, the chosen themes only, rows of identical exact height on both sides, long
cards on taller cards and refused when they cannot fit. The template is filled in the way a user would type into
its cells and imported back; damaged, foreign and incomplete templates give exact messages. The CLI is driven
through `cardkit.cli.main`. Rendering with LibreOffice checks the page counts (even for card sets).
"""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table, _Cell
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cardkit.cli import main
from cardkit.deck import Deck
from cardkit.deckfile import DeckError, deck_yaml, load_deck, parse_deck
from cardkit.export.cards import CardTooLongError, card_set
from cardkit.export.docx_common import (
    add_data_table,
    add_paragraph,
    add_toc,
    cell_shading,
    is_repeated_header,
    new_document,
    text_colour_on,
)
from cardkit.export.template import LEAD, PROMPTS, blank_template, import_template
from cardkit.library import shipped

FIXTURE = """
cardkit: 1
id: card-activity-fixture
title: Supporting learner progression
themes:
  - number: 1
    title: Exploring the idea of progression.
    cards:
      - id: '1.1'
        lead: What does the term 'progression' mean to you?
        prompts:
          - Progression is not time-limited; learners' aspirations will change over time.
          - Progression may be lateral or vertical, or a mixture of both.
      - id: '1.2'
        lead: 'Why is progression important:'
        lead_points: [to individual learners?, to your organisation?, nationally?]
        prompts:
          - text: 'For the individual, progression can:'
            points:
              - enhance their sense of self worth and confidence
              - be motivating and encourage further learning
          - text: 'For the organisation, successful learner progression can:'
            numbering: numbers
            points: [contribute to fulfilling its mission, raise staff morale]
          - Nationally, learner progression is vital.*
        footnotes:
          - "* Leitch, December 2006, 'Prosperity for all in the Global Economy: World Class Skills'. HM Treasury"
      - id: '1.3'
        lead: What are the barriers to progression for your learners?
        intro: 'Learners may:'
        prompts: [have low aspirations or confidence, have low language and literacy skills]
        links:
          - label: Excellence Gateway
            url: https://www.excellencegateway.org.uk/progression
  - number: 2
    title: Developing learners and teachers to enhance progression.
    colour: '#2E6B30'
    cards:
      - id: '2.1'
        lead: How do we develop learners' skills to manage their own progression?
  - number: 6
    title: Strategic actions required to support learner progression?
    colour: '#8C1D40'
    cards:
      - id: '6.1'
        lead: What do we need to do next?
        prompts: [What do we already do well?, What are the priorities in the short, medium and long term?]
      - id: '6.2'
        lead: Who needs to be involved?
        prompts: [Who internally in the organisation?]
      - id: '6.3'
        lead: What resources do we need?
        prompts: [What are the financial implications?]
"""


@pytest.fixture
def deck() -> Deck:
    return parse_deck(FIXTURE, 'fixture.yaml')


def reopen(document: Document, tmp_path: Path, name: str = 'out.docx') -> Document:
    path = tmp_path / name
    document.save(str(path))
    return docx.Document(str(path))


def card_tables(document: Document) -> list[Table]:
    """The sheet tables: front, back, front, back ..."""
    return list(document.tables)


def face_text(cell: _Cell) -> str:
    return '\n'.join(p.text for p in cell.paragraphs)


def band(cell: _Cell) -> _Cell | None:
    return cell.tables[0].cell(0, 0) if cell.tables else None


def flat(text: str) -> str:
    return re.sub(r'\s+', ' ', text).strip()


# --- card sets --------------------------------------------------------------------------------------------------------


def test_every_page_is_a4_with_equal_side_margins_and_a_page_number_footer(deck: Deck, tmp_path: Path) -> None:
    document = reopen(card_set(deck), tmp_path)
    assert len(document.sections) == 4  # two sheets of four cards (7 cards), front and back each
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert section.left_margin == section.right_margin  # the long-edge flip mirrors exactly
    footer = document.sections[0].footer.paragraphs[0]
    instructions = [node.text.strip() for node in footer._p.iter(qn('w:instrText'))]
    assert instructions == ['PAGE', 'NUMPAGES']
    assert footer.text.startswith('Page ') and ' of ' in footer.text


def test_headers_name_the_deck_side_and_sheet(deck: Deck, tmp_path: Path) -> None:
    document = reopen(card_set(deck), tmp_path)
    headers = [s.header.paragraphs[0].text for s in document.sections]
    assert headers[0].startswith('Supporting learner progression — fronts, sheet 1')
    assert headers[1] == 'Supporting learner progression — backs, sheet 1'
    assert headers[2].startswith('Supporting learner progression — fronts, sheet 2')
    assert headers[3] == 'Supporting learner progression — backs, sheet 2'


def test_backs_are_mirrored_for_a_long_edge_flip(deck: Deck, tmp_path: Path) -> None:
    front, back, *_ = card_tables(reopen(card_set(deck), tmp_path))
    assert "What does the term 'progression' mean to you?" in face_text(front.cell(0, 0))
    assert 'Progression may be lateral or vertical' in face_text(back.cell(0, 1))  # card 1's prompts
    assert 'Why is progression important:' in face_text(front.cell(0, 1))
    assert 'For the individual, progression can:' in face_text(back.cell(0, 0))
    assert 'What are the barriers' in face_text(front.cell(1, 0))
    assert 'have low aspirations or confidence' in face_text(back.cell(1, 1))
    assert 'How do we develop learners' in face_text(front.cell(1, 1))
    assert face_text(back.cell(1, 0)).strip() == '' and band(back.cell(1, 0)) is None  # 2.1 has no back


def test_fronts_have_id_lead_see_over_and_backs_have_points_footnotes_and_links(deck: Deck, tmp_path: Path) -> None:
    front, back, *_ = card_tables(reopen(card_set(deck), tmp_path))
    card_2 = face_text(front.cell(0, 1)).split('\n')
    assert card_2[0] == '1.2 Lead question'
    assert card_2[-1] == 'SEE OVER'
    assert '•\tto your organisation?' in card_2
    assert 'SEE OVER' not in face_text(front.cell(1, 1))  # 2.1 has no back
    prompts = face_text(back.cell(0, 0)).split('\n')
    assert prompts[0] == 'Discussion prompts 1.2'
    assert prompts[1:5] == [
        '•\tFor the individual, progression can:',
        'a)\tenhance their sense of self worth and confidence',
        'b)\tbe motivating and encourage further learning',
        '•\tFor the organisation, successful learner progression can:',
    ]
    assert prompts[5] == '1.\tcontribute to fulfilling its mission'
    footnote = back.cell(0, 0).paragraphs[-1]
    assert footnote.text.startswith('* Leitch') and footnote.runs[0].italic
    assert footnote.runs[0].font.size < back.cell(0, 0).paragraphs[1].runs[-1].font.size  # footnotes smaller
    assert 'Excellence Gateway: https://www.excellencegateway.org.uk/progression' in face_text(back.cell(1, 1))


def test_bands_are_shaded_in_the_theme_colour_with_readable_text(deck: Deck, tmp_path: Path) -> None:
    tables = card_tables(reopen(card_set(deck), tmp_path))
    front = tables[0]
    first = band(front.cell(0, 0))
    assert first is not None and first.text == 'Strategic issue 1 · Exploring the idea of progression.'
    assert cell_shading(first) == deck.colour_of(deck.theme(1)).upper()
    assert str(first.paragraphs[0].runs[0].font.color.rgb) == 'FFFFFF'
    second_theme = band(front.cell(1, 1))
    assert cell_shading(second_theme) == '#2E6B30'
    assert cell_shading(band(tables[2].cell(0, 0))) == '#8C1D40'


def test_every_lead_question_is_printed_once(deck: Deck, tmp_path: Path) -> None:
    tables = card_tables(reopen(card_set(deck), tmp_path))
    fronts = '\n'.join(face_text(cell) for table in tables[0::2] for row in table.rows for cell in row.cells)
    for card in deck.cards:
        assert fronts.count(card.lead) == 1, card.id


def test_a_subset_of_themes_in_the_given_order(deck: Deck, tmp_path: Path) -> None:
    tables = card_tables(reopen(card_set(deck, [6, 1]), tmp_path))
    fronts = '\n'.join(face_text(cell) for table in tables[0::2] for row in table.rows for cell in row.cells)
    chosen = [c for n in (6, 1) for c in deck.theme(n).cards]
    for card in chosen:
        assert card.lead in fronts
    assert deck.card('2.1').lead not in fronts
    assert face_text(tables[0].cell(0, 0)).startswith('6.1 Lead question')
    assert len(tables) == 4  # 6 cards: two sheets


def test_unknown_theme_is_refused(deck: Deck) -> None:
    with pytest.raises(ValueError, match=r"theme 5 is not in deck 'card-activity-fixture' \(its themes: 1, 2, 6\)"):
        card_set(deck, [1, 5])


def test_rows_have_the_same_exact_height_on_both_sides(deck: Deck, tmp_path: Path) -> None:
    tables = card_tables(reopen(card_set(deck), tmp_path))
    for front, back in zip(tables[0::2], tables[1::2], strict=False):
        assert len(front.rows) == len(back.rows)
        for front_row, back_row in zip(front.rows, back.rows, strict=False):
            assert front_row.height_rule == back_row.height_rule == WD_ROW_HEIGHT_RULE.EXACTLY
            assert front_row.height == back_row.height
        assert sum(row.height for row in front.rows) <= Mm(267)  # the page height between the margins


def long_deck(prompt_words: int, prompts: int = 12) -> Deck:
    words = ' '.join(['progression'] * prompt_words)
    data = parse_deck(FIXTURE).model_dump()
    data['themes'][0]['cards'][1]['prompts'] = [f'{i} {words}' for i in range(prompts)]
    return Deck.model_validate(data)


def test_a_long_back_gets_a_taller_card_on_both_sides_with_smaller_type(tmp_path: Path) -> None:
    deck = long_deck(25)  # ~4,500 characters on the back of 1.2
    tables = card_tables(reopen(card_set(deck), tmp_path))
    front, back = tables[0], tables[1]
    assert len(front.rows) == len(back.rows) == 1  # a full-height row: 1.1 and 1.2 on a sheet of their own
    assert front.rows[0].height == back.rows[0].height
    assert abs(front.rows[0].height - Mm(264)) < Mm(0.1)
    assert 'Why is progression important:' in face_text(front.cell(0, 1))
    sizes = {run.font.size.pt for p in back.cell(0, 0).paragraphs[1:] for run in p.runs if run.font.size}
    assert min(sizes) >= 7 and max(sizes) < 10
    assert len(tables) % 2 == 0


def test_a_longer_back_gets_a_whole_sheet_side_and_keeps_the_card_order(tmp_path: Path) -> None:
    tables = card_tables(reopen(card_set(long_deck(40)), tmp_path))  # ~6,800 characters
    assert [len(t.rows) for t in tables[:4]] == [1, 1, 1, 1]
    assert 'What does the term' in face_text(tables[0].cell(0, 0))  # 1.1 keeps its place, alone on sheet 1
    front, back = tables[2], tables[3]
    assert front.rows[0].height == back.rows[0].height
    assert abs(front.rows[0].height - Mm(264)) < Mm(0.1)
    assert len(front.rows[0].cells) == 2 and front.cell(0, 0)._tc is front.cell(0, 1)._tc  # both columns
    assert 'Why is progression important:' in face_text(front.cell(0, 0))
    assert 'Discussion prompts 1.2' in face_text(back.cell(0, 0))


def test_a_card_too_long_for_a_whole_sheet_is_refused_by_name() -> None:
    with pytest.raises(CardTooLongError, match=r'^card 1\.2 is too long to print: even in 7 pt type'):
        card_set(long_deck(300, prompts=20))


@pytest.mark.parametrize('deck_id', sorted(shipped().decks))
def test_every_shipped_deck_prints(deck_id: str, tmp_path: Path) -> None:
    deck = shipped().get(deck_id)
    tables = card_tables(reopen(card_set(deck), tmp_path))
    assert len(tables) % 2 == 0
    text = '\n'.join(face_text(cell) for table in tables for row in table.rows for cell in row.cells)
    for card in deck.cards:
        assert flat(card.lead) in flat(text)


def test_shared_helpers_clean_text_repeat_table_headers_and_add_fields(tmp_path: Path) -> None:
    document = new_document(title='Report\x00')
    add_paragraph(document, 'Bad \x01characters\x0b gone', 'Heading 1')
    add_toc(document)
    add_data_table(document, ['What', 'Who'], [['Plan \x02it', 'Sam']], widths_mm=[120, 50])
    again = reopen(document, tmp_path)
    assert again.core_properties.title == 'Report'
    assert again.paragraphs[0].text == 'Bad characters gone' and again.paragraphs[0].style.name == 'Heading 1'
    assert any('TOC \\o "1-3"' in node.text for node in again.element.body.iter(qn('w:instrText')))
    table = again.tables[0]
    assert is_repeated_header(table.rows[0]) and not is_repeated_header(table.rows[1])
    assert table.cell(1, 0).text == 'Plan it'
    assert text_colour_on('#1F5F8B') == '#FFFFFF' and text_colour_on('#F5E663') == '#000000'


# --- the blank template and its import -------------------------------------------------------------------------------


def value_cells(document: Document, label: str) -> list[_Cell]:
    """The cells a user types into, next to each cell labelled so."""
    return [row.cells[1] for table in document.tables for row in table.rows if row.cells[0].text.strip() == label]


def type_lines(cell: _Cell, lines: list[str]) -> None:
    """Type lines into a cell as a user would: one paragraph per line."""
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def filled_template(tmp_path: Path) -> Document:
    document = reopen(blank_template(), tmp_path, 'blank.docx')
    value_cells(document, 'Deck title')[0].text = 'Our progression cards'
    value_cells(document, 'Strategic issue number')[0].text = '7'
    value_cells(document, 'Strategic issue title')[0].text = 'Working with employers.'
    value_cells(document, LEAD)[0].text = 'How do employers support progression?'
    type_lines(
        value_cells(document, PROMPTS)[0],
        ['Employers can:', '\ta) offer placements', '\tb) mentor learners', 'Who leads our employer links?'],
    )
    value_cells(document, LEAD)[1].text = 'What do employers need from us?'
    return document


def as_bytes(document: Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_blank_template_is_an_a4_form_with_labelled_cells(tmp_path: Path) -> None:
    document = reopen(blank_template(4), tmp_path)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert document.paragraphs[0].style.name == 'Title'
    assert any(p.style.name == 'List Bullet' and 'one prompt per line' in p.text for p in document.paragraphs)
    for label, count in (
        ('Deck title', 1),
        ('Deck id', 1),
        ('Strategic issue number', 1),
        ('Strategic issue title', 1),
        (LEAD, 4),
        (PROMPTS, 4),
    ):
        cells = value_cells(document, label)
        assert len(cells) == count, label
        assert all(cell.text == '' for cell in cells)
    assert [c.text for t in document.tables for r in t.rows for c in r.cells[:1] if c.text.startswith('Card ')] == [
        'Card 1',
        'Card 2',
        'Card 3',
        'Card 4',
    ]


def test_a_filled_template_imports_as_a_deck(tmp_path: Path) -> None:
    deck = import_template(as_bytes(filled_template(tmp_path)), 'ours.docx')
    assert (deck.id, deck.title) == ('our-progression-cards', 'Our progression cards')
    theme = deck.theme(7)
    assert theme.title == 'Working with employers.'
    assert [card.id for card in theme.cards] == ['7.1', '7.2']
    first, second = theme.cards
    assert first.lead == 'How do employers support progression?'
    assert [p.text for p in first.prompts] == ['Employers can:', 'Who leads our employer links?']
    assert [p.text for p in first.prompts[0].points] == ['offer placements', 'mentor learners']
    assert first.prompts[0].numbering == 'letters'
    assert second.lead == 'What do employers need from us?' and not second.has_back


def test_a_copied_strategic_issue_block_becomes_a_second_theme(tmp_path: Path) -> None:
    document = filled_template(tmp_path)
    issue_table = document.tables[-1]._tbl
    copied = copy.deepcopy(issue_table)
    issue_table.addnext(copied)
    second = document.tables[-1]
    for row in second.rows:
        label = row.cells[0].text.strip()
        if label in ('Strategic issue number', 'Strategic issue title', LEAD, PROMPTS):
            row.cells[1].text = ''
    value_cells(document, 'Strategic issue title')[1].text = 'Next steps'
    value_cells(document, LEAD)[3].text = 'What do we need to do next?'
    type_lines(value_cells(document, PROMPTS)[3], ['What do we already do well?', '  - our data', '  - our staff'])
    deck = import_template(as_bytes(document), 'two.docx')
    assert [(t.number, t.title) for t in deck.themes] == [(7, 'Working with employers.'), (8, 'Next steps')]
    card = deck.theme(8).cards[0]
    assert card.id == '8.1' and card.lead == 'What do we need to do next?'
    assert [p.text for p in card.prompts[0].points] == ['our data', 'our staff']
    assert card.prompts[0].numbering == 'bullets'


def test_an_imported_template_prints_and_round_trips_through_yaml(tmp_path: Path) -> None:
    deck = import_template(as_bytes(filled_template(tmp_path)), 'ours.docx')
    assert parse_deck(deck_yaml(deck), 'again.yaml') == deck
    tables = card_tables(reopen(card_set(deck), tmp_path))
    assert 'How do employers support progression?' in face_text(tables[0].cell(0, 0))


point_text = (
    st.text(
        alphabet=st.characters(whitelist_categories=('L', 'N'), whitelist_characters=" ?,'"), min_size=1, max_size=40
    )
    .map(str.strip)
    .filter(lambda s: s and not re.match(r'^\w[).]\s', s))
)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prompts=st.lists(st.tuples(point_text, st.lists(point_text, max_size=3)), min_size=1, max_size=4))
def test_prompts_typed_one_per_line_come_back_as_typed(prompts: list[tuple[str, list[str]]]) -> None:
    document = blank_template(1)
    value_cells(document, 'Deck title')[0].text = 'Typed'
    value_cells(document, 'Strategic issue title')[0].text = 'Issue'
    value_cells(document, LEAD)[0].text = 'Lead?'
    lines = []
    for text, points in prompts:
        lines.append(text)
        lines += [f'\t{chr(ord("a") + i)}) {point}' for i, point in enumerate(points)]
    type_lines(value_cells(document, PROMPTS)[0], lines)
    card = import_template(as_bytes(document), 'typed.docx').cards[0]
    assert [(p.text, [q.text for q in p.points]) for p in card.prompts] == prompts


def problems_of(data: bytes | str | Path, name: str = 'bad.docx') -> list[str]:
    with pytest.raises(DeckError) as caught:
        import_template(data, name)
    return [str(problem) for problem in caught.value.problems]


def test_bad_files_are_refused_with_clear_messages(tmp_path: Path) -> None:
    assert problems_of(b'%PDF-1.4 not a word file') == [
        'bad.docx: file: is not a Word .docx file; save the template as a Word document (.docx) and try again'
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, 'w') as archive:
        archive.writestr('hello.txt', 'not a document')
    assert problems_of(buffer.getvalue()) == [
        'bad.docx: file: is damaged or is not a Word .docx document; open it in Word, save it as .docx and try again'
    ]
    assert problems_of(as_bytes(blank_template())[:3000]) == problems_of(buffer.getvalue())  # a cut-off file
    big = tmp_path / 'big.docx'
    big.write_bytes(b'PK' + b'\0' * 5_000_001)
    assert problems_of(big, 'big.docx') == [
        'big.docx: file: is larger than 5 MB (5,000,003 bytes); a card template is much smaller, so this cannot be one'
    ]
    assert problems_of(b'') == ['bad.docx: file: is empty; choose a filled-in card template (.docx)']


def test_a_word_file_that_is_not_our_template_is_refused() -> None:
    other = docx.Document()
    other.add_paragraph('Minutes of the meeting')
    other.add_table(rows=2, cols=2).cell(0, 0).text = 'Agenda'
    assert problems_of(as_bytes(other), 'minutes.docx') == [
        "minutes.docx: template: is not a Cardkit card template: no table with 'Lead question' cells was found; "
        'start from a blank template'
    ]


def test_incomplete_templates_say_what_is_missing_and_where(tmp_path: Path) -> None:
    document = filled_template(tmp_path)
    value_cells(document, 'Strategic issue title')[0].text = ''
    value_cells(document, LEAD)[1].text = ''
    type_lines(value_cells(document, PROMPTS)[1], ['A prompt with no question'])
    assert problems_of(as_bytes(document)) == [
        "bad.docx: template > strategic issue 1 > title: is missing; type the strategic issue's title",
        'bad.docx: template > strategic issue 1 > card 2 > discussion prompts: have no lead question; type the lead '
        'question in the cell above them',
    ]
    empty = reopen(blank_template(), tmp_path, 'empty.docx')
    value_cells(empty, 'Deck title')[0].text = 'Deck'
    value_cells(empty, 'Strategic issue title')[0].text = 'An issue with no questions'
    assert problems_of(as_bytes(empty)) == [
        'bad.docx: template > strategic issue 1 > card 1 > lead question: is empty; each strategic issue needs at '
        'least one lead question'
    ]
    assert problems_of(as_bytes(blank_template())) == [
        "bad.docx: template > deck title: is missing; type the deck's title",
        'bad.docx: template: nothing is filled in: type a strategic issue title and at least one lead question',
    ]


def test_deck_rules_apply_to_templates_too(tmp_path: Path) -> None:
    document = filled_template(tmp_path)
    value_cells(document, 'Deck id')[0].text = 'Our Cards!'
    value_cells(document, LEAD)[0].text = 'x' * 20_001
    assert problems_of(as_bytes(document)) == [
        'bad.docx: template > deck id: must be lowercase letters, digits and dashes (e.g. my-deck)',
        'bad.docx: template > strategic issue 1 > card 1 > lead question: is too long (at most 20,000 characters)',
    ]


# --- the commands -----------------------------------------------------------------------------------------------------


def write_fixture(tmp_path: Path) -> Path:
    path = tmp_path / 'fixture.yaml'
    path.write_text(FIXTURE, encoding='utf-8')
    return path


def test_cards_command_writes_the_chosen_themes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / 'cards.docx'
    assert main(['cards', str(write_fixture(tmp_path)), '--themes', '1,6', '--out', str(out)]) == 0
    assert capsys.readouterr().out == f'wrote {out}\n'
    text = '\n'.join(face_text(c) for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells)
    assert 'What do we need to do next?' in text and 'How do we develop learners' not in text


def test_cards_command_by_shipped_id_writes_to_the_exports_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(['cards', 'progress-reviews']) == 0
    path = Path(os.environ['CARDKIT_EXPORTS_DIR']) / 'progress-reviews-cards.docx'
    assert capsys.readouterr().out == f'wrote {path}\n' and path.is_file()


@pytest.mark.parametrize(
    ('argv', 'message'),
    [
        (['cards', 'no-such-deck'], "cardkit: unknown deck 'no-such-deck'; known decks: "),
        (
            ['cards', 'progress-reviews', '--themes', '1,9'],
            "cardkit: theme 9 is not in deck 'progress-reviews' (its themes: 1, 2, 3, 4)\n",
        ),
        (
            ['cards', 'progress-reviews', '--themes', 'one'],
            "cardkit: --themes must be theme numbers separated by commas, e.g. 1,6 (got 'one')\n",
        ),
        (
            ['cards', 'progress-reviews', '--out', '/nonexistent-folder/cards.docx'],
            'cardkit: cannot write /nonexistent-folder/cards.docx: No such file or directory\n',
        ),
        (['cards', 'missing.yaml'], 'missing.yaml: file: no such file\n'),
        (['template', '--cards', '0'], 'cardkit: --cards: a template has between 1 and 50 cards\n'),
    ],
)
def test_bad_command_input_is_one_line_on_stderr(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith(message) and captured.err.count('\n') == 1
    assert 'Traceback' not in captured.err and captured.out == ''


def test_unknown_deck_lists_the_known_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(['cards', 'nope']) == 1
    err = capsys.readouterr().err
    for deck_id in shipped().decks:
        assert deck_id in err


def test_template_and_import_template_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    blank = tmp_path / 'template.docx'
    assert main(['template', '--out', str(blank)]) == 0
    assert len(value_cells(docx.Document(str(blank)), LEAD)) == 3
    filled = tmp_path / 'filled.docx'
    filled_template(tmp_path).save(str(filled))
    deck_file = tmp_path / 'ours.yaml'
    capsys.readouterr()
    assert main(['import-template', str(filled), '--out', str(deck_file)]) == 0
    assert capsys.readouterr().out == f'wrote {deck_file} (deck our-progression-cards: 1 theme(s), 2 card(s))\n'
    deck = load_deck(deck_file)
    assert deck == import_template(filled)
    assert "id: '7.1'" in deck_file.read_text(encoding='utf-8')
    assert main(['import-template', str(filled), '--out', str(deck_file)]) == 1
    assert 'already exists' in capsys.readouterr().err
    assert main(['import-template', str(filled)]) == 0
    assert parse_deck(capsys.readouterr().out) == deck


def test_import_template_reports_problems_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blank = tmp_path / 'blank.docx'
    blank_template().save(str(blank))
    assert main(['import-template', str(blank)]) == 1
    captured = capsys.readouterr()
    assert captured.err == (
        f"{blank}: template > deck title: is missing; type the deck's title\n"
        f'{blank}: template: nothing is filled in: type a strategic issue title and at least one '
        f'lead question\n'
    )
    assert captured.out == ''


# --- rendering --------------------------------------------------------------------------------------------------------


def pdf_pages(path: Path) -> int:
    data = path.read_bytes()
    return len(re.findall(rb'/Type\s*/Page(?!s)', data))


def test_rendered_page_counts(deck: Deck, tmp_path: Path) -> None:
    assert shutil.which('soffice'), 'LibreOffice renders the card sets here; scripts/test.sh installs it'
    cards = tmp_path / 'cards.docx'
    card_set(deck).save(str(cards))
    subset = tmp_path / 'subset.docx'
    card_set(deck, [6]).save(str(subset))
    long = tmp_path / 'long.docx'
    card_set(long_deck(25)).save(str(long))
    template = tmp_path / 'template.docx'
    blank_template().save(str(template))
    profile = (tmp_path / 'lo-profile').as_uri()
    subprocess.run(
        [
            'soffice',
            f'-env:UserInstallation={profile}',
            '--headless',
            '--convert-to',
            'pdf',
            '--outdir',
            str(tmp_path),
            str(cards),
            str(subset),
            str(long),
            str(template),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    assert pdf_pages(tmp_path / 'cards.pdf') == 4  # 7 cards: two sheets, front and back
    assert pdf_pages(tmp_path / 'subset.pdf') == 2
    assert pdf_pages(tmp_path / 'long.pdf') == 6  # 1.1 and 1.2 on a tall sheet, then 1.3 - 6.3 on two sheets
    assert pdf_pages(tmp_path / 'template.pdf') == 2
