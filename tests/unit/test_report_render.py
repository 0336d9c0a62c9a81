"""The Word report as LibreOffice lays it out: rendered to PDF, its text read back page by page.

The contents must give, for each heading, the page the heading really is on (a TOC field would show none until
updated, and LibreOffice does not update it on opening); a solo session with one rating must not run to pages of
'Not rated'. LibreOffice and poppler are part of the test set-up (scripts/test.sh installs them): without them
these tests fail rather than pass unseen."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx

from cardkit import db
from cardkit import sessions as svc
from cardkit.deckfile import load_deck
from cardkit.export.report import write_report

DECKS = Path(__file__).resolve().parents[2] / 'decks'


def render(docx_path: Path, tmp_path: Path) -> list[str]:
    """The text of each page of the document as LibreOffice renders it."""
    for tool in ('soffice', 'pdftotext'):
        assert shutil.which(tool), f'{tool} is needed to check the report as rendered: run scripts/test.sh'
    subprocess.run(
        [
            'soffice',
            '--headless',
            f'-env:UserInstallation=file://{tmp_path}/lo',
            '--convert-to',
            'pdf',
            '--outdir',
            str(tmp_path),
            str(docx_path),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / f'{docx_path.stem}.pdf'
    text = subprocess.run(['pdftotext', str(pdf), '-'], check=True, capture_output=True, text=True).stdout
    return text.split('\f')[:-1]  # pdftotext ends every page with a form feed


def flat(text: str) -> str:
    """Text with line wrapping undone: one space between words, none after a hyphen a line ended on."""
    return re.sub(r'-\s+', '-', ' '.join(text.split()))


def contents_texts(path: Path) -> list[str]:
    document = docx.Document(str(path))
    return [p.text.rstrip('\t') for p in document.paragraphs if p.style.name in ('toc 1', 'toc 2')]


def full_session() -> int:
    """Every theme of the card activity, with notes and a coaching question on every card and a few actions."""
    deck = load_deck(DECKS / 'card-activity.yaml')
    session = db.run(svc.start_session, deck=deck, title='SMT away day: learner progression', held_on=date(2026, 12, 1))
    for card in deck.cards:
        db.run(svc.go_to_card, session_id=session.id, card_id=card.id)
        for n in range(3):
            db.run(svc.add_note, session_id=session.id, card_id=card.id, text=f'Note {n + 1} on card {card.id}')
        db.run(svc.add_note, session_id=session.id, card_id=card.id, kind='question', stem='how', text='How?')
    for term, card_id in (('short', '1.2'), ('medium', '4.1'), ('long', '6.1')):
        db.run(svc.add_action, session_id=session.id, what=f'Act on {card_id}', term=term, card_id=card_id)
    return session.id


def test_each_contents_entry_gives_the_page_its_heading_is_on(tmp_path):
    path = db.run(write_report, session_id=full_session(), out=tmp_path / 'full.docx')
    pages = [flat(page) for page in render(path, tmp_path)]
    assert len(pages) > 8
    for number, page in enumerate(pages, 1):
        assert f'Page {number} of {len(pages)}' in page  # the PDF's pages are the pages the report numbers

    entries = contents_texts(path)
    assert len(entries) == 29  # 6 issues, 18 cards, the action plan and its 3 terms, the appendix
    start = next(i for i, page in enumerate(pages) if page.startswith('Contents'))
    contents = ' '.join(pages[start : start + 3])
    listed = []
    for entry in entries:
        found = re.search(re.escape(flat(entry)) + r' ?\.{3,} ?(\d+)\b', contents)
        assert found, f'no page number for {entry!r} in the contents as rendered'
        listed.append(int(found.group(1)))
        contents = contents[found.end() :]
    assert listed == sorted(listed) and len(set(listed)) > 4

    first_body = max(i for i, page in enumerate(pages) if 'Contents' in page) + 1  # after the contents pages
    for entry, page_number in zip(entries, listed, strict=True):
        on = next((i + 1 for i in range(first_body, len(pages)) if flat(entry) in pages[i]), None)
        assert on == page_number, f'{entry!r} is listed on page {page_number} but is on page {on}'


def test_a_solo_report_with_one_rating_stays_short(tmp_path):
    deck = load_deck(DECKS / 'progress-reviews.yaml')
    session = db.run(svc.start_session, deck=deck, title='On my own', mode='solo', held_on=date(2026, 12, 1))
    db.run(svc.rate_item, session_id=session.id, card_id='learners', item_key='1.1', rating=2, evidence='Files')
    path = db.run(write_report, session_id=session.id, out=tmp_path / 'solo.docx')
    pages = [flat(page) for page in render(path, tmp_path)]

    text = ' '.join(pages)
    checklists = [card for card in deck.cards if card.kind == 'checklist']
    assert text.count('Not rated') == len(checklists)  # one summary per card, not one row per item
    assert 'Not rated: 10 of 11 items' in text and 'Some evidence Evidence Files' in text
    first = next(i for i, page in enumerate(pages) if page.startswith(f'{deck.theme_label} 1: '))
    plan = next(i for i, page in enumerate(pages) if page.startswith('Action plan'))
    assert plan - first <= 2, f'the {len(checklists)} cards take {plan - first} pages'
    assert len(pages) <= 7
