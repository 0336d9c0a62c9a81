"""Other export formats: the action plan as CSV and Markdown, and the whole session as JSON (with its import).

The JSON format ("cardkit-session", version 1) is documented in docs/session-json.md. Exporting a session,
importing the file into another installation and exporting it there gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlmodel import Session

from cardkit import sessions, workshop
from cardkit.deck import Deck
from cardkit.export.report import card_reference, default_path, save_atomically
from cardkit.models import NOTE_MAX, SHORT_MAX, TERM_TITLES, ActionStatus, CardSession, NoteKind, Term

FORMAT = 'cardkit-session'
VERSION = 1
MAX_JSON_BYTES = 50_000_000
CSV_HEADER = ('Term', 'What', 'Who', 'Resources', 'Status', 'Target date', 'Source card', 'Progress')
MARKDOWN_HEADER = ('What', 'Who', 'Resources', 'Status', 'Target date', 'Source card', 'Progress')
_FORMULA_STARTS = ('=', '+', '-', '@', '\t', '\r')


# --- CSV and Markdown ------------------------------------------------------------------------------------------------


def _action_rows(db: Session, session_id: int) -> list[tuple[str, tuple[str, ...]]]:
    """(term, cells) for each action in term order; cells as in MARKDOWN_HEADER."""
    session = sessions.get_session(db=db, session_id=session_id)
    deck = sessions.deck_of(db=db, session=session)
    return [
        (
            action.term,
            (
                action.what,
                action.who,
                action.resources,
                action.status,
                action.target_date.isoformat() if action.target_date else '',
                card_reference(deck, action.card_id),
                action.review,
            ),
        )
        for action in sessions.actions(db=db, session_id=session_id)
    ]


def neutralise_formula(value: str) -> str:
    """Prefix a cell a spreadsheet would run as a formula (= + - @, tab, carriage return) with a single quote."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def actions_csv(*, db: Session, session_id: int) -> str:
    """The action plan as CSV text (write it with a BOM, as write_export does, so Excel reads it as UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator='\r\n')
    writer.writerow(CSV_HEADER)
    for term, cells in _action_rows(db, session_id):
        writer.writerow([neutralise_formula(value) for value in (TERM_TITLES.get(term, term), *cells)])
    return buffer.getvalue()


def _markdown_cell(value: str) -> str:
    """Text safe inside a Markdown table cell: HTML escaped, pipes escaped, line breaks as <br>, and brackets escaped,
    so no link or image (`[x](javascript:…)`, `![x](https://tracker…)`) comes alive when the file is shown."""
    value = value.replace('\\', '\\\\').replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
    value = value.replace('|', '\\|').replace('[', '\\[').replace(']', '\\]')
    return '<br>'.join(line.strip() for line in value.strip().split('\n'))


def actions_markdown(*, db: Session, session_id: int) -> str:
    """The action plan as Markdown: a heading and a table per term ('No actions.' for an empty term)."""
    session = sessions.get_session(db=db, session_id=session_id)
    by_term: dict[str, list[tuple[str, ...]]] = {term: [] for term in TERM_TITLES}
    for term, cells in _action_rows(db, session_id):
        by_term.setdefault(term, []).append(cells)
    lines = [f'# Action plan: {_markdown_cell(session.title)}', '', f'{session.held_on.isoformat()}', '']
    for term, label in TERM_TITLES.items():
        lines += [f'## {label}', '']
        rows = by_term[term]
        if not rows:
            lines += ['No actions.', '']
            continue
        lines.append('| ' + ' | '.join(MARKDOWN_HEADER) + ' |')
        lines.append('|' + '---|' * len(MARKDOWN_HEADER))
        lines += ['| ' + ' | '.join(_markdown_cell(value) for value in row) + ' |' for row in rows]
        lines.append('')
    return '\n'.join(lines)


# --- JSON export -----------------------------------------------------------------------------------------------------


def session_data(*, db: Session, session_id: int) -> dict[str, Any]:
    """The session as plain data in the cardkit-session format (see docs/session-json.md)."""
    session = sessions.get_session(db=db, session_id=session_id)
    deck = sessions.deck_of(db=db, session=session)
    notes = []
    for note in sessions.notes(db=db, session_id=session_id):
        entry: dict[str, Any] = {
            'card_id': note.card_id,
            'kind': note.kind,
            'text': note.text,
            'author': note.author,
            'hidden': note.hidden,
        }
        if note.kind == NoteKind.QUESTION.value:
            entry['stem'] = note.stem
        if note.kind == NoteKind.RATING.value:
            entry |= {'item_key': note.item_key, 'rating': note.rating, 'needs': note.needs}
        notes.append(entry)
    actions = [
        {
            'what': a.what,
            'term': a.term,
            'who': a.who,
            'resources': a.resources,
            'status': a.status,
            'target_date': a.target_date.isoformat() if a.target_date else None,
            'card_id': a.card_id,
            'progress': a.review,
        }
        for a in sessions.actions(db=db, session_id=session_id)
    ]
    return {
        'format': FORMAT,
        'version': VERSION,
        'session': {
            'title': session.title,
            'held_on': session.held_on.isoformat(),
            'way_of_working': session.way_of_working,
            'mode': session.mode,
            'theme_numbers': list(session.theme_numbers),
            'card_ids': list(session.card_ids),
            'discussed': list(session.discussed),
            'current_index': session.current_index,
            'flipped': session.flipped,
        },
        'deck': deck.model_dump(mode='json'),
        'people': [
            {'name': p.name, 'role': p.role, 'organisation': p.organisation, 'brings': p.brings}
            for p in sessions.people(db=db, session_id=session_id)
        ],
        'notes': notes,
        'actions': actions,
    }


def dump_json(data: dict[str, Any]) -> str:
    """The one serialisation of the format: sorted keys, two-space indent, UTF-8 text, a final newline."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + '\n'


def session_json(*, db: Session, session_id: int) -> str:
    """The whole session as JSON text in the cardkit-session format."""
    return dump_json(session_data(db=db, session_id=session_id))


# --- JSON import -----------------------------------------------------------------------------------------------------

_Short = Annotated[str, Field(max_length=SHORT_MAX)]
_Long = Annotated[str, Field(max_length=NOTE_MAX)]


class _In(BaseModel):
    model_config = ConfigDict(extra='forbid', strict=True)


class _SessionIn(_In):
    title: Annotated[str, Field(min_length=1, max_length=SHORT_MAX)]
    held_on: str
    way_of_working: Annotated[str, Field(min_length=1, max_length=SHORT_MAX)]  # one the deck offers: checked on start
    mode: Literal['facilitated', 'solo']
    theme_numbers: Annotated[list[int], Field(min_length=1)]
    card_ids: Annotated[list[str], Field(min_length=1)]
    discussed: list[str]
    current_index: Annotated[int, Field(ge=0)]
    flipped: bool


class _PersonIn(_In):
    name: Annotated[str, Field(min_length=1, max_length=SHORT_MAX)]
    role: _Short = ''
    organisation: _Short = ''
    brings: _Long = ''


class _NoteIn(_In):
    card_id: str
    kind: Literal['note', 'question', 'rating']
    text: _Long
    author: _Short = ''
    hidden: bool = False
    stem: str = ''
    item_key: str = ''
    rating: int | None = None
    needs: _Long = ''


class _ActionIn(_In):
    what: Annotated[str, Field(min_length=1, max_length=NOTE_MAX)]
    term: Literal[tuple(t.value for t in Term)]  # type: ignore[valid-type]
    who: _Short = ''
    resources: _Long = ''
    status: Literal[tuple(s.value for s in ActionStatus)]  # type: ignore[valid-type]
    target_date: str | None = None
    card_id: str = ''
    progress: _Long = ''


class _FileIn(_In):
    format: str
    version: int
    session: _SessionIn
    deck: dict[str, Any]
    people: list[_PersonIn]
    notes: list[_NoteIn]
    actions: list[_ActionIn]


def _where(loc: tuple[Any, ...]) -> str:
    text = ''
    for part in loc:
        text += f'[{part}]' if isinstance(part, int) else (f'.{part}' if text else str(part))
    return text or 'the file'


def _validation_message(error: ValidationError, prefix: str = '') -> str:
    first = error.errors()[0]
    message = first['msg']
    if first['type'] == 'extra_forbidden':
        message = 'is not a field of this format'
    elif first['type'] == 'missing':
        message = 'is missing'
    more = len(error.errors()) - 1
    extra = f' (and {more} more problem{"s" if more > 1 else ""})' if more else ''
    return f'{prefix}{_where(tuple(first["loc"]))}: {message}{extra}'


def _iso_date(value: str | None, where: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{where}: '{value}' is not a date like 2026-12-31") from None


def parse_session_file(data: str | bytes | dict[str, Any]) -> tuple[_FileIn, Deck]:
    """Check a cardkit-session file completely; raise ValueError naming the first problem."""
    if isinstance(data, (bytes, bytearray)):
        if len(data) > MAX_JSON_BYTES:
            raise ValueError(f'the file is {len(data):,} bytes; session files are at most {MAX_JSON_BYTES:,}')
        try:
            data = bytes(data).decode('utf-8-sig')
        except UnicodeDecodeError as error:
            raise ValueError(f'the file is not UTF-8 text (byte {error.start})') from None
    if isinstance(data, str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as error:
            raise ValueError(f'not valid JSON: line {error.lineno} column {error.colno}: {error.msg}') from None
    if not isinstance(data, dict):
        raise ValueError(f'a session file holds a JSON object, not {type(data).__name__}')
    if data.get('format') != FORMAT:
        raise ValueError(
            f'not a Cardkit session file: \'format\' is {json.dumps(data.get("format"))}, expected "{FORMAT}"'
        )
    if data.get('version') != VERSION:
        raise ValueError(
            f'session file version {json.dumps(data.get("version"))} is not supported '
            f'(this Cardkit reads version {VERSION})'
        )
    try:
        parsed = _FileIn.model_validate(data)
    except ValidationError as error:
        raise ValueError(_validation_message(error)) from None
    try:
        deck = Deck.model_validate(parsed.deck)
    except ValidationError as error:
        raise ValueError(_validation_message(error, 'deck.')) from None
    _check_references(parsed, deck)
    return parsed, deck


def _check_references(parsed: _FileIn, deck: Deck) -> None:
    """The session's cards, stems, checklist items and ratings must exist in the file's deck."""
    session = parsed.session
    known = [t.number for t in deck.themes]
    for number in session.theme_numbers:
        if number not in known:
            raise ValueError(f'session.theme_numbers: the deck has no theme {number}')
    expected = [card.id for n in session.theme_numbers for card in deck.theme(n).cards]
    if session.card_ids != expected:
        raise ValueError("session.card_ids: do not match the cards of the session's themes in the deck")
    if (
        not session.discussed
        or session.discussed[0] != expected[0]
        or len(set(session.discussed)) != len(session.discussed)
        or not set(session.discussed) <= set(expected)
    ):
        raise ValueError('session.discussed: must list cards of the session, the first card first, each once')
    if session.current_index >= len(expected) or expected[session.current_index] not in session.discussed:
        raise ValueError('session.current_index: must point to a discussed card of the session')
    _iso_date(session.held_on, 'session.held_on')
    stems = [s.lower() for s in deck.stems()]
    for i, note in enumerate(parsed.notes):
        where = f'notes[{i}]'
        if note.card_id not in expected:
            raise ValueError(f"{where}.card_id: card '{note.card_id}' is not in the session")
        if note.kind == 'question' and note.stem not in stems:
            raise ValueError(f"{where}.stem: '{note.stem}' is not one of the deck's stems ({', '.join(stems)})")
        if note.kind != 'rating' and not note.text.strip():
            raise ValueError(f'{where}.text: is empty')
        if note.kind == 'rating':
            card = deck.card(note.card_id)
            if note.item_key not in dict(card.item_labels()):
                raise ValueError(f"{where}.item_key: card '{note.card_id}' has no checklist item '{note.item_key}'")
            if note.rating is not None and not 0 <= note.rating < len(deck.scale_of(card)):
                raise ValueError(f'{where}.rating: must be 0 to {len(deck.scale_of(card)) - 1} or null')
    in_deck = {card.id for card in deck.cards}
    for i, action in enumerate(parsed.actions):
        if action.card_id and action.card_id not in in_deck:  # carried actions may come from cards not in play
            raise ValueError(f"actions[{i}].card_id: the deck has no card '{action.card_id}'")
        _iso_date(action.target_date, f'actions[{i}].target_date')


def import_session_json(*, db: Session, data: str | bytes | dict[str, Any]) -> CardSession:
    """Import a cardkit-session file as a new session (new facilitator key), in the one transaction it is given;
    raise ValueError if it is not valid (nothing of it is then stored, as the transaction does not commit)."""
    parsed, deck = parse_session_file(data)
    sessions.store_deck(db=db, deck=deck, origin='imported')
    spec = parsed.session
    session = sessions.start_session(
        db=db,
        deck=deck,
        title=spec.title,
        theme_numbers=spec.theme_numbers,
        held_on=date.fromisoformat(spec.held_on),
        way_of_working=spec.way_of_working,
        mode=spec.mode,
        people=[sessions.PersonIn(p.name, p.role, p.organisation, p.brings) for p in parsed.people],
    )
    try:
        _fill(db, session, parsed)
    except ValueError as error:
        raise ValueError(f'the session could not be imported: {error}') from None
    return sessions.get_session(db=db, session_id=session.id)


def _fill(db: Session, session: CardSession, parsed: _FileIn) -> None:
    sid = session.id
    for card_id in parsed.session.discussed[1:]:
        sessions.go_to_card(db=db, session_id=sid, card_id=card_id)
    sessions.go_to(db=db, session_id=sid, index=parsed.session.current_index, flipped=parsed.session.flipped)
    for note in parsed.notes:
        if note.kind == NoteKind.RATING.value:
            added = sessions.rate_item(
                db=db,
                session_id=sid,
                card_id=note.card_id,
                item_key=note.item_key,
                rating=note.rating,
                evidence=note.text,
                needs=note.needs,
                author=note.author,
            )
        else:
            added = sessions.add_note(
                db=db,
                session_id=sid,
                card_id=note.card_id,
                text=note.text,
                kind=note.kind,
                stem=note.stem,
                author=note.author,
            )
        if note.hidden:
            workshop.hide_note(db=db, note_id=added.id)
    in_play = set(session.card_ids)
    for action in parsed.actions:
        card_id = action.card_id if action.card_id in in_play else ''
        added = sessions.add_action(
            db=db,
            session_id=sid,
            what=action.what,
            term=action.term,
            who=action.who,
            resources=action.resources,
            status=action.status,
            target_date=action.target_date,
            card_id=card_id,
        )
        if action.progress:
            sessions.update_action(db=db, action_id=added.id, review=action.progress)
        if action.card_id and not card_id:
            added.card_id = action.card_id  # carried over from a card not in play: add_action takes only those
            db.add(added)


# --- files -----------------------------------------------------------------------------------------------------------

FORMATS = ('docx', 'csv', 'md', 'json')


MEDIA_TYPES = {
    'docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'csv': 'text/csv',
    'md': 'text/markdown',
    'json': 'application/json',
}


@dataclass(frozen=True)
class Export:
    """An export made in memory: its file name and bytes (a download is never left on the server's disk)."""

    name: str
    data: bytes
    media_type: str


def export(*, db: Session, session_id: int, fmt: str, progress: Callable[[float, str], None] | None = None) -> Export:
    """The session in a format (docx, csv, md, json), in memory."""
    from cardkit.export.report import build_report, read_report_data, report_bytes

    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}' (choose one of: {', '.join(FORMATS)})")
    session = sessions.get_session(db=db, session_id=session_id)
    if fmt == 'docx':
        report = progress or (lambda fraction, label: None)
        report(0.0, 'Reading the session')
        payload = report_bytes(build_report(read_report_data(db=db, session_id=session_id), report))
    elif fmt == 'csv':
        payload = ('\ufeff' + actions_csv(db=db, session_id=session_id)).encode('utf-8')
    elif fmt == 'md':
        payload = actions_markdown(db=db, session_id=session_id).encode('utf-8')
    else:
        payload = session_json(db=db, session_id=session_id).encode('utf-8')
    return Export(default_path(session, fmt).name, payload, MEDIA_TYPES[fmt])


def write_export(
    *,
    db: Session,
    session_id: int,
    fmt: str,
    out: Path | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Path:
    """Write the session in a format (docx, csv, md, json) to `out` or the exports folder; return the path."""
    made = export(db=db, session_id=session_id, fmt=fmt, progress=progress)
    path = Path(out) if out is not None else default_path(sessions.get_session(db=db, session_id=session_id), fmt)
    return save_atomically(path, lambda temporary: temporary.write_bytes(made.data))
