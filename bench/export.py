"""Benchmark the Word report of a large session against writing the same text as plain paragraphs.

    python bench/export.py [--cards 18] [--notes 200] [--actions 300]

Builds a session (18 cards x 200 notes = 3,600 notes, 300 actions) in a temporary SQLite database, times
`session_report` + save, and, in the same run, a baseline: python-docx writing the same text as plain paragraphs
with no layout. Prints a table and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path


def build(cards: int, notes_per_card: int, actions: int) -> int:
    """A session with the given numbers of cards, notes per card and actions, written straight into the tables."""
    from cardkit import db, sessions
    from cardkit.deck import Deck
    from cardkit.models import Action, Note, Term

    themes = [
        {
            'number': t,
            'title': f'Strategic issue number {t}',
            'cards': [
                {
                    'id': f'{t}.{c}',
                    'lead': f'Lead question {t}.{c}: how do we support learner progression here?',
                    'prompts': ['A prompt to discuss.', {'text': 'Nested:', 'points': ['one', 'two']}],
                }
                for c in range(1, 4)
            ],
        }
        for t in range(1, (cards + 2) // 3 + 1)
    ]
    deck = Deck.model_validate({'id': 'bench', 'title': 'Benchmark deck', 'themes': themes})
    session = db.run(sessions.start_session, deck=deck, title='Benchmark session', people=[sessions.PersonIn('Ann')])
    card_ids = session.card_ids[:cards]
    terms = [t.value for t in Term]
    position = 0
    with db.write() as s:  # bulk insert: the use cases take one transaction per note
        for card_id in card_ids:
            for i in range(notes_per_card):
                position += 1
                kind, stem = ('question', 'how') if i % 4 == 3 else ('note', '')
                s.add(
                    Note(
                        session_id=session.id,
                        card_id=card_id,
                        kind=kind,
                        stem=stem,
                        position=position,
                        text=f'Note {i} on card {card_id}: we discussed how learners progress and what '
                        f'evidence we have that our approach works for them.',
                    )
                )
        for i in range(actions):
            s.add(
                Action(
                    session_id=session.id,
                    card_id=card_ids[i % len(card_ids)],
                    term=terms[i % 3],
                    what=f'Action {i}: agree who collects destination data and how often',
                    who='Raj',
                    resources='MIS team',
                    position=i + 1,
                )
            )
    return session.id


def baseline(session_id: int, out: Path) -> None:
    """The same text, one plain paragraph each, no styles, tables or fields."""
    import docx

    from cardkit import db, sessions

    document = docx.Document()
    session = db.run(sessions.get_session, session_id=session_id)
    deck = db.run(sessions.deck_of, session=session)
    document.add_paragraph(session.title)
    for card_id in session.card_ids:
        document.add_paragraph(deck.card(card_id).lead)
    for note in db.run(sessions.notes, session_id=session_id):
        document.add_paragraph(note.text)
    for action in db.run(sessions.actions, session_id=session_id):
        for value in (action.what, action.who, action.resources, action.status, action.card_id):
            document.add_paragraph(value)
    document.save(str(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--cards', type=int, default=18)
    parser.add_argument('--notes', type=int, default=200, help='notes per card')
    parser.add_argument('--actions', type=int, default=300)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix='cardkit-bench-') as folder:
        os.environ['DATABASE_URL'] = f'sqlite:///{folder}/bench.db'
        os.environ['CARDKIT_DATA_DIR'] = folder
        os.environ['CARDKIT_EXPORTS_DIR'] = folder
        from cardkit import db
        from cardkit.export.report import session_report

        session_id = build(args.cards, args.notes, args.actions)

        report_path, baseline_path = Path(folder) / 'report.docx', Path(folder) / 'baseline.docx'
        start = time.perf_counter()
        db.look(session_report, session_id=session_id).save(str(report_path))
        report_seconds = time.perf_counter() - start
        start = time.perf_counter()
        baseline(session_id, baseline_path)
        baseline_seconds = time.perf_counter() - start
        report_size, baseline_size = report_path.stat().st_size, baseline_path.stat().st_size

    ratio = report_seconds / baseline_seconds
    rows = [
        ('', 'seconds', 'file size'),
        ('report', f'{report_seconds:.2f}', f'{report_size / 1024:,.0f} KiB'),
        ('baseline', f'{baseline_seconds:.2f}', f'{baseline_size / 1024:,.0f} KiB'),
        ('ratio', f'{ratio:.2f}', ''),
    ]
    print(f'{args.cards} cards x {args.notes} notes = {args.cards * args.notes:,} notes, {args.actions} actions')
    for row in rows:
        print(f'{row[0]:<10}{row[1]:>10}{row[2]:>14}')
    print(
        json.dumps(
            {
                'notes': args.cards * args.notes,
                'actions': args.actions,
                'report_seconds': round(report_seconds, 3),
                'baseline_seconds': round(baseline_seconds, 3),
                'ratio': round(ratio, 2),
                'report_bytes': report_size,
                'baseline_bytes': baseline_size,
            }
        )
    )
    return 0


if __name__ == '__main__':
    sys.exit(main())
