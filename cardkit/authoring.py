"""Organisations' own decks: create, edit a draft, validate it as `cardkit validate` would, publish versions.

A draft is the deck as plain data in the deck file's shape (what `deck_yaml` writes), kept as it is typed, so it may
be invalid while someone edits it. Validation dumps the draft to YAML and parses that text, so every problem names a
line and column of the YAML a user can download. Publishing stores the valid deck as a StoredDeck and numbers the
version; sessions keep the stored deck they started with, so later edits never change a running session.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError
from sqlmodel import Session, col, select

from cardkit import config, library
from cardkit.deck import Card, Deck
from cardkit.deckfile import MAX_BYTES, DeckError, Problem, deck_data, deck_yaml, draft_yaml, parse_deck
from cardkit.models import SHORT_MAX, OrgDeck, OrgDeckVersion, StoredDeck, utcnow
from cardkit.sessions import InputError, NotFound, store_deck, stored_deck
from cardkit.text import clean_text

MAX_DRAFT_BYTES = 1_000_000
MAX_UPLOAD_BYTES = MAX_BYTES
MAX_TEMPLATE_BYTES = 5_000_000
ID_MAX = 64
TITLE_MAX = 300
BLANK_TEMPLATE = 'blank-template'
SHIPPED, ORGANISATION = 'shipped', 'organisation'
_ID_PATTERN = re.compile(r'^[a-z0-9][a-z0-9-]*$')


class DeckEntry(NamedTuple):
    """A deck that can be used for a session: shipped, or the latest saved version of an organisation's deck."""

    deck: Deck
    origin: str  # 'shipped' | 'organisation'
    version: OrgDeckVersion | None

    @property
    def ref(self) -> str:
        """What `deck_for_session` takes: 'shipped:<deck id>' or 'org:<organisation deck number>'."""
        return f'org:{self.version.org_deck_id}' if self.version is not None else f'shipped:{self.deck.id}'


def yaml_filename(draft: dict[str, Any]) -> str:
    """The file name of a draft's YAML: its deck id when that is a proper id, else 'deck.yaml'."""
    deck_id = draft.get('id')
    return (
        f'{deck_id}.yaml'
        if isinstance(deck_id, str) and _ID_PATTERN.match(deck_id) and len(deck_id) <= ID_MAX
        else 'deck.yaml'
    )


def validate_draft(draft: dict[str, Any], name: str | None = None) -> list[Problem]:
    """Every problem of the draft, worded and placed exactly as `cardkit validate` reports them for its YAML file."""
    try:
        parse_deck(draft_yaml(draft), name or yaml_filename(draft))
    except DeckError as error:
        return error.problems
    return []


def check_draft(draft: dict[str, Any]) -> tuple[Deck | None, list[Problem]]:
    """The draft as a deck when it is valid, and its problems (as validate_draft) otherwise."""
    try:
        return draft_deck(draft), []
    except DeckError as error:
        return None, error.problems


def card_preview(
    draft: dict[str, Any], theme_index: int, card_index: int, deck: Deck | None = None
) -> tuple[Deck, Card, int, int] | None:
    """What to preview for a card of the draft: (deck, card, position, total), or None while the card is not valid.

    With the valid deck of the draft the card is taken from it; otherwise the card is checked on its own, in a
    stand-in deck holding just its strategic issue (so one card's problem does not hide the others' previews).
    """
    themes = draft.get('themes') if isinstance(draft.get('themes'), list) else []
    card_lists = [t.get('cards') if isinstance(t, dict) and isinstance(t.get('cards'), list) else [] for t in themes]
    if not (0 <= theme_index < len(themes) and 0 <= card_index < len(card_lists[theme_index])):
        return None
    position = sum(len(cards) for cards in card_lists[:theme_index]) + card_index + 1
    total = sum(len(cards) for cards in card_lists)
    if deck is not None and [len(t.cards) for t in deck.themes] == [len(cards) for cards in card_lists]:
        return deck, deck.themes[theme_index].cards[card_index], position, total
    theme = themes[theme_index] if isinstance(themes[theme_index], dict) else {}
    label = draft.get('theme_label')
    number = theme.get('number')
    title = theme.get('title')
    colour = theme.get('colour')
    stand_in = {
        'id': 'preview',
        'title': 'Preview',
        'theme_label': label if isinstance(label, str) and 0 < len(label.strip()) <= 60 else 'Strategic issue',
        'themes': [
            {
                'number': number if isinstance(number, int) and 1 <= number <= 999 else theme_index + 1,
                'title': title.strip()[:TITLE_MAX] if isinstance(title, str) and title.strip() else '…',
                'colour': colour if isinstance(colour, str) and re.fullmatch(r'#[0-9A-Fa-f]{6}', colour) else None,
                'cards': [card_lists[theme_index][card_index]],
            }
        ],
    }
    try:
        preview = Deck.model_validate(stand_in)
    except ValidationError:
        return None
    return preview, preview.cards[0], position, total


def draft_deck(draft: dict[str, Any], name: str | None = None) -> Deck:
    """The draft as a deck; DeckError with the problems when it is not valid."""
    return parse_deck(draft_yaml(draft), name or yaml_filename(draft))


# --- names and ids -------------------------------------------------------------------------------------------------


def safe_name(filename: str | None, default: str = 'upload.yaml') -> str:
    """A file name fit for messages only: path parts ('../', '..\\', 'C:') and control characters dropped."""
    name = clean_text(filename or '').replace('\n', '')
    name = re.split(r'[\\/:]', name)[-1].strip().lstrip('.').strip()
    name = ''.join(ch for ch in name if ch.isprintable())[:100]
    return name or default


def _used_ids(s: Session, *, but: int | None = None) -> dict[str, str]:
    """Deck ids in use, with what uses them."""
    used = {deck_id: f"the shipped deck '{deck.title}'" for deck_id, deck in library.shipped().decks.items()}
    for row in s.exec(select(OrgDeck)).all():
        if row.id != but:
            used.setdefault(row.deck_id, f"your organisation's deck '{row.title}'")
    return used


def _free_id(s: Session, wanted: str) -> str:
    """The wanted deck id, or it with the first free suffix (-2, -3 …)."""
    base = re.sub(r'[^a-z0-9-]+', '-', wanted.lower()).strip('-')[:ID_MAX] or 'our-deck'
    used = _used_ids(s)
    if base not in used:
        return base
    for n in range(2, 10_000):
        candidate = f'{base[: ID_MAX - len(str(n)) - 1]}-{n}'
        if candidate not in used:
            return candidate
    raise InputError('too many decks with this id; choose another id')


def id_clash(*, db: Session, org_deck_id: int, deck_id: str) -> str | None:
    """Why the deck id cannot be used by this organisation deck, or None when it is free."""
    user = _used_ids(db, but=org_deck_id).get(deck_id)
    return f"the deck id '{deck_id}' is already used by {user}; choose another id" if user else None


# --- creating ------------------------------------------------------------------------------------------------------


def skeleton(deck_id: str = 'our-deck', title: str = 'Our card activity') -> dict[str, Any]:
    """The smallest valid deck: one strategic issue with one card."""
    return {
        'cardkit': 1,
        'id': deck_id,
        'title': title,
        'version': '1',
        'themes': [
            {
                'number': 1,
                'title': 'Our first strategic issue',
                'cards': [{'id': '1.1', 'lead': 'Our first lead question?'}],
            }
        ],
    }


def _create(*, db: Session, draft: dict[str, Any], based_on: str = '', wanted_id: str | None = None) -> OrgDeck:
    _check_size(draft)
    deck_id = _free_id(db, wanted_id or str(draft.get('id') or 'our-deck'))
    draft = {**draft, 'id': deck_id}
    row = OrgDeck(deck_id=deck_id, title=_title_of(draft), draft=draft, based_on=based_on[:ID_MAX])
    db.add(row)
    db.flush()
    return row


def create_from_scratch(*, db: Session, title: str = 'Our card activity') -> OrgDeck:
    """A new organisation deck with one strategic issue and one card to start from."""
    title = clean_text(title).strip()[:TITLE_MAX] or 'Our card activity'
    return _create(db=db, draft=skeleton(title=title), wanted_id=title)


def create_from_blank(*, db: Session) -> OrgDeck:
    """A new organisation deck from the blank template (a strategic issue with three cards to fill in)."""
    template = library.shipped().decks.get(BLANK_TEMPLATE)
    if template is None:
        raise NotFound('the blank template deck (decks/blank-template.yaml) is not available')
    draft = deck_data(template)
    draft.pop('source', None)
    draft['title'] = 'Our card activity'
    return _create(db=db, draft=draft, based_on=BLANK_TEMPLATE, wanted_id='our-deck')


def copy_shipped(*, db: Session, deck_id: str) -> OrgDeck:
    """A copy of a shipped deck to tailor: id '<id>-ours', title '<title> (our copy)'."""
    deck = library.shipped().decks.get(deck_id)
    if deck is None:
        raise NotFound(f"no shipped deck '{deck_id}'")
    draft = deck_data(deck)
    suffix = ' (our copy)'
    draft['title'] = deck.title[: TITLE_MAX - len(suffix)] + suffix
    return _create(db=db, draft=draft, based_on=deck.id, wanted_id=f'{deck.id[: ID_MAX - 5]}-ours')


def _adopt(db: Session, deck: Deck, shown_name: str) -> OrgDeck:
    """A checked deck from a file becomes an organisation deck (renamed if its id is taken) with a first version."""
    row = _create(db=db, draft=deck_data(deck), based_on=deck.id)
    publish(db=db, org_deck_id=row.id, note=f'From {shown_name}'[:SHORT_MAX])
    return get(db=db, org_deck_id=row.id)


def upload_yaml(*, db: Session, filename: str | None, data: bytes) -> OrgDeck:
    """An uploaded deck YAML file as an organisation deck; DeckError (problems with line numbers) when it is not one.

    The file name comes from the browser: it is only shown in messages, never used as a path.
    """
    name = safe_name(filename)
    if len(data) > MAX_UPLOAD_BYTES:
        raise DeckError(
            [Problem(name, None, None, 'file', f'is larger than {MAX_UPLOAD_BYTES:,} bytes; a deck must be smaller')]
        )
    return _adopt(db, parse_deck(data, name), name)


def import_word_template(*, db: Session, filename: str | None, data: bytes) -> OrgDeck:
    """A filled-in Word card template as an organisation deck; DeckError with the problems otherwise."""
    from cardkit.export.template import import_template

    name = safe_name(filename, 'template.docx')
    if len(data) > MAX_TEMPLATE_BYTES:
        raise DeckError(
            [
                Problem(
                    name,
                    None,
                    None,
                    'file',
                    f'is larger than {MAX_TEMPLATE_BYTES:,} bytes; a card template is never this large',
                )
            ]
        )
    return _adopt(db, import_template(data, name), name)


# --- drafts --------------------------------------------------------------------------------------------------------


def _check_size(draft: Any) -> None:
    if not isinstance(draft, dict):
        raise InputError('a draft must be a mapping of deck fields')
    size = len(json.dumps(draft, ensure_ascii=False).encode('utf-8', errors='surrogatepass'))
    if size > MAX_DRAFT_BYTES:
        raise InputError(
            f'this deck is {size:,} bytes long; the limit is {MAX_DRAFT_BYTES:,} bytes '
            '(1 MB): shorten the text or split it into two decks. The last change was not saved.'
        )


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(key)): _clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def _title_of(draft: dict[str, Any]) -> str:
    title = draft.get('title')
    return clean_text(title).strip()[:TITLE_MAX] if isinstance(title, str) else ''


def get(*, db: Session, org_deck_id: int) -> OrgDeck:
    row = db.get(OrgDeck, org_deck_id)
    if row is None:
        raise NotFound(f'no organisation deck {org_deck_id}')
    return row


def save_draft(*, db: Session, org_deck_id: int, draft: dict[str, Any]) -> OrgDeck:
    """Keep the draft as it is, valid or not (autosave); only a draft over 1 MB is refused."""
    _check_size(draft)
    draft = _clean(draft)
    row = db.get(OrgDeck, org_deck_id)
    if row is None:
        raise NotFound(f'no organisation deck {org_deck_id}')
    row.draft = draft
    row.title = _title_of(draft) or row.title
    row.updated_at = utcnow()
    db.add(row)
    return row


def archive(*, db: Session, org_deck_id: int, archived: bool = True) -> OrgDeck:
    """Put a deck away (or back): archived decks are not listed and cannot be picked for new sessions."""
    row = db.get(OrgDeck, org_deck_id)
    if row is None:
        raise NotFound(f'no organisation deck {org_deck_id}')
    row.archived = archived
    row.updated_at = utcnow()
    db.add(row)
    return row


def org_decks(*, db: Session, archived: bool = False) -> list[OrgDeck]:
    """The organisation's decks (or the archived ones), most recently changed first."""
    return list(
        db.exec(
            select(OrgDeck)
            .where(OrgDeck.archived == archived)
            .order_by(col(OrgDeck.updated_at).desc(), col(OrgDeck.id).desc())
        ).all()
    )


# --- versions ------------------------------------------------------------------------------------------------------


def publish(*, db: Session, org_deck_id: int, note: str = '') -> OrgDeckVersion:
    """Save the valid draft as the next version; the same content as the latest version adds no new one.

    Raises DeckError when the draft has problems, InputError when its deck id is used by another deck.
    """
    row = get(db=db, org_deck_id=org_deck_id)
    deck = draft_deck(row.draft)
    if reason := id_clash(db=db, org_deck_id=org_deck_id, deck_id=deck.id):
        raise InputError(reason, field='id')
    note = clean_text(note or '').strip()
    if len(note) > SHORT_MAX:
        raise InputError(f'the note is {len(note):,} characters long; the limit is {SHORT_MAX}')
    stored = store_deck(db=db, deck=deck, origin=ORGANISATION)
    latest = _latest(db, org_deck_id)
    current = db.get(OrgDeck, org_deck_id)
    current.deck_id, current.title, current.updated_at = deck.id, deck.title, utcnow()
    db.add(current)
    if latest is not None and latest.stored_deck_id == stored.id:
        return latest
    version = OrgDeckVersion(
        org_deck_id=org_deck_id, number=(latest.number + 1) if latest else 1, stored_deck_id=stored.id, note=note
    )
    db.add(version)
    db.flush()
    return version


def _latest(db: Session, org_deck_id: int) -> OrgDeckVersion | None:
    return db.exec(
        select(OrgDeckVersion)
        .where(OrgDeckVersion.org_deck_id == org_deck_id)
        .order_by(col(OrgDeckVersion.number).desc())
    ).first()


def versions(*, db: Session, org_deck_id: int) -> list[OrgDeckVersion]:
    """Saved versions of an organisation deck, oldest first."""
    return list(
        db.exec(
            select(OrgDeckVersion).where(OrgDeckVersion.org_deck_id == org_deck_id).order_by(col(OrgDeckVersion.number))
        ).all()
    )


def latest_version(*, db: Session, org_deck_id: int) -> OrgDeckVersion | None:
    return _latest(db, org_deck_id)


def version_deck(*, db: Session, version: OrgDeckVersion) -> Deck:
    """The deck content saved as this version."""
    return stored_deck(db=db, stored_deck_id=version.stored_deck_id)


def all_decks(*, db: Session) -> list[DeckEntry]:
    """Every deck a session can use: the shipped ones, then the organisation's (latest saved version of each)."""
    entries = [DeckEntry(deck, SHIPPED, None) for deck in library.shipped().decks.values()]
    rows = db.exec(
        select(OrgDeck)
        .where(OrgDeck.archived == False)  # noqa: E712
        .order_by(col(OrgDeck.title), col(OrgDeck.id))
    ).all()
    latest = [v for v in (_latest(db, row.id) for row in rows) if v is not None]
    return entries + [DeckEntry(version_deck(db=db, version=v), ORGANISATION, v) for v in latest]


class OrgDeckSummary(NamedTuple):
    """An organisation deck as its list shows it: the draft's row, its saved versions and the latest one's deck."""

    row: OrgDeck
    versions: int
    latest: OrgDeckVersion | None
    deck: Deck | None


def summaries(*, db: Session, archived: bool = False) -> list[OrgDeckSummary]:
    """The organisation's decks (or the archived ones) with their versions, most recently changed first."""
    result = []
    for row in org_decks(db=db, archived=archived):
        saved = versions(db=db, org_deck_id=row.id)
        latest = saved[-1] if saved else None
        deck = version_deck(db=db, version=latest) if latest is not None else None
        result.append(OrgDeckSummary(row, len(saved), latest, deck))
    return result


def deck_for_session(*, db: Session, deck_ref: str) -> Deck:
    """The deck a reference names: 'shipped:<id>' (or a bare shipped id), or 'org:<n>' for its latest version."""
    kind, _, value = deck_ref.partition(':')
    if not _:
        kind, value = SHIPPED, deck_ref
    if kind == SHIPPED:
        deck = library.shipped().decks.get(value)
        if deck is None:
            raise NotFound(f"no shipped deck '{value}'")
        return deck
    if kind == 'org' and value.isdigit():
        row = get(db=db, org_deck_id=int(value))
        version = latest_version(db=db, org_deck_id=row.id)
        if version is None or row.archived:
            raise NotFound(f"the deck '{row.title}' has no saved version to run a session with")
        return version_deck(db=db, version=version)
    raise NotFound(f"no deck '{deck_ref}'")


def stored_origin(*, db: Session, stored_deck_id: int) -> str:
    return db.exec(select(StoredDeck.origin).where(StoredDeck.id == stored_deck_id)).one()


# --- files ---------------------------------------------------------------------------------------------------------


def write_to_folder(*, db: Session, org_deck_id: int, folder: str | Path) -> Path:
    """Write the valid draft as <deck id>.yaml inside the folder (and nowhere else); return the file written."""
    row = get(db=db, org_deck_id=org_deck_id)
    deck = draft_deck(row.draft)
    base = Path(folder).resolve()
    if not base.is_dir():
        raise InputError(f'{base} is not a folder')
    target = (base / f'{deck.id}.yaml').resolve()
    if target.parent != base or target.name != f'{deck.id}.yaml':
        raise InputError(f'cannot write {deck.id}.yaml: it would land outside {base}')
    text = deck_yaml(deck)
    handle, temporary = tempfile.mkstemp(dir=base, prefix='.cardkit-', suffix='.yaml')
    try:
        with os.fdopen(handle, 'w', encoding='utf-8') as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def default_folder() -> Path:
    """Where 'Write to folder' puts deck files: the exports folder."""
    return config.exports_dir()


# --- editing helpers (plain data, used by the editor) ----------------------------------------------------------------

_MARKER = re.compile(r'^(?:(?P<letter>[a-zA-Z])\)|(?P<number>\d{1,3})[.)]|(?P<bullet>[-•]))(?:\s+|$)')
_NUMBERING_OF = {'letter': 'letters', 'number': 'numbers', 'bullet': 'bullets'}


def points_from_text(text: str) -> list[Any]:
    """Points typed one per line; an indented line, or one starting 'a)', is a point of the line above.

    The marker of a nested line ('a)', '1.', '-') is dropped and sets the numbering (letters when there is none);
    a '- ' in front of a top-level line is dropped too.
    """
    roots: list[dict[str, Any]] = []
    stack: list[tuple[int, dict[str, Any]]] = []
    for raw in clean_text(text or '').split('\n'):
        expanded = raw.expandtabs(4)
        body = expanded.strip()
        if not body:
            continue
        indent = len(expanded) - len(expanded.lstrip())
        match = _MARKER.match(body)
        kind = next((k for k, v in match.groupdict().items() if v), None) if match else None
        if indent == 0 and kind == 'letter' and stack:
            indent = 1
        if match and (indent > 0 or kind == 'bullet'):
            body = body[match.end() :].strip() or body
        point: dict[str, Any] = {'text': body}
        while stack and stack[-1][0] >= indent:
            stack.pop()
        if stack:
            parent = stack[-1][1]
            if not parent.get('points'):
                parent['numbering'] = _NUMBERING_OF[kind] if kind else 'letters'
            parent.setdefault('points', []).append(point)
        else:
            roots.append(point)
        stack.append((indent, point))
    return [_compact(point) for point in roots]


def _compact(point: dict[str, Any]) -> Any:
    if not point.get('points'):
        return point['text']
    result: dict[str, Any] = {'text': point['text'], 'points': [_compact(p) for p in point['points']]}
    if point.get('numbering', 'letters') != 'letters':
        result['numbering'] = point['numbering']
    return result


def points_to_text(points: Any, depth: int = 0, numbering: str = 'letters') -> str:
    """The editing text of points (the reverse of points_from_text)."""
    if not isinstance(points, list):
        return ''
    lines: list[str] = []
    for index, point in enumerate(points):
        text = point if isinstance(point, str) else point.get('text', '') if isinstance(point, dict) else str(point)
        marker = ''
        if depth:
            marker = {'numbers': f'{index + 1}. ', 'bullets': '- '}.get(numbering, f'{_letter(index)}) ')
        lines.append('    ' * depth + marker + str(text))
        if isinstance(point, dict) and point.get('points'):
            lines.append(points_to_text(point['points'], depth + 1, str(point.get('numbering', 'letters'))))
    return '\n'.join(line for line in lines if line)


def _letter(index: int) -> str:
    letters = ''
    while True:
        letters = chr(ord('a') + index % 26) + letters
        index = index // 26 - 1
        if index < 0:
            return letters


def lines_of(text: str) -> list[str]:
    """Non-empty lines, trimmed (for lists of short texts such as an evidence scale)."""
    return [line.strip() for line in clean_text(text or '').split('\n') if line.strip()]


def move(items: list[Any], index: int, direction: int) -> int:
    """Swap an item with its neighbour; return its new index."""
    other = index + direction
    if 0 <= index < len(items) and 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
        return other
    return index


def new_theme(draft: dict[str, Any]) -> dict[str, Any]:
    """Append a strategic issue numbered after the highest number, with one card; return it."""
    themes = draft.setdefault('themes', [])
    if not isinstance(themes, list):
        themes = draft['themes'] = []
    numbers = [t.get('number') for t in themes if isinstance(t, dict) and isinstance(t.get('number'), int)]
    number = max(numbers, default=0) + 1
    theme: dict[str, Any] = {'number': number, 'title': 'Our strategic issue', 'cards': []}
    themes.append(theme)
    new_card(draft, theme)
    return theme


def new_card(draft: dict[str, Any], theme: dict[str, Any], kind: str = 'question') -> dict[str, Any]:
    """Append a card with the next free id '<issue>.<n>' to a strategic issue; return it."""
    cards = theme.setdefault('cards', [])
    if not isinstance(cards, list):
        cards = theme['cards'] = []
    used = {str(c.get('id')) for t in _dicts(draft.get('themes')) for c in _dicts(t.get('cards'))}
    prefix = theme.get('number', len(_dicts(draft.get('themes'))))
    n = len(cards) + 1
    while f'{prefix}.{n}' in used:
        n += 1
    card: dict[str, Any] = {'id': f'{prefix}.{n}', 'lead': 'A new lead question?'}
    if kind == 'checklist':
        card.update(kind='checklist', lead='A new checklist', groups=[{'items': ['A first item to rate']}])
    cards.append(card)
    return card


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def deck_refs(entries: Iterable[DeckEntry]) -> dict[str, str]:
    """Select options for a deck list: reference -> 'title (Shipped | Your organisation, version n)'."""
    return {
        e.ref: f'{e.deck.title} (Your organisation, version {e.version.number})'
        if e.version
        else f'{e.deck.title} (Shipped)'
        for e in entries
    }
