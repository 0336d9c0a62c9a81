"""YAML <-> Deck: safe loading with limits, and every problem reported as FILE:LINE:COL: where: message."""

from __future__ import annotations

import difflib
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from cardkit.deck import Deck, Point

MAX_BYTES = 1_000_000
MAX_DEPTH = 16
MAX_NODES = 100_000
_STANDARD_TAGS = {f'tag:yaml.org,2002:{name}' for name in ('str', 'int', 'float', 'bool', 'null', 'map', 'seq')}

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem in a deck file."""

    file: str
    line: int | None
    column: int | None
    where: str
    message: str

    def __str__(self) -> str:
        position = f'{self.file}:{self.line}:{self.column}' if self.line is not None else self.file
        return f'{position}: {self.where}: {self.message}'


class DeckError(Exception):
    """A deck file that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__('\n'.join(str(p) for p in problems))


def load_deck(path: str | Path) -> Deck:
    """Load and validate a deck file; raise DeckError with every problem found."""
    path = Path(path)
    name = str(path)
    try:
        with path.open('rb') as handle:
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise DeckError([Problem(name, None, None, 'file', 'is a folder, not a deck file')]) from None
    except FileNotFoundError:
        raise DeckError([Problem(name, None, None, 'file', 'no such file')]) from None
    except OSError as error:
        raise DeckError([Problem(name, None, None, 'file', f'cannot be read ({error.strerror})')]) from None
    return parse_deck(data, name)


def parse_deck(data: bytes | str, name: str = '<deck>') -> Deck:
    """Parse deck YAML from bytes or text; raise DeckError with every problem found."""
    if isinstance(data, str):
        data = data.encode('utf-8', errors='surrogatepass')
    text = _decode(data, name)
    raw, marks, problems = _read_tree(text, name)
    if (problems and raw is None) or any(p.where in ('yaml', 'file') for p in problems):
        raise DeckError(problems)
    if not isinstance(raw, dict):
        kind = 'a list' if isinstance(raw, list) else 'a single value'
        raise DeckError(
            [
                Problem(
                    name,
                    *marks.get((), (1, 1)),
                    'deck',
                    f'the top level must be a mapping of deck fields (id, title, themes, ...), not {kind}',
                )
            ]
        )
    problems += [Problem(name, *_mark(marks, loc), _where(loc, raw), message) for loc, message in _duplicates(raw)]
    try:
        deck = Deck.model_validate(raw)
    except ValidationError as error:
        problems += _validation_problems(error, raw, marks, name)
        raise DeckError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0))) from None
    if problems:
        raise DeckError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return deck


def validate_files(paths: list[str | Path]) -> list[Problem]:
    """Every problem in the given files (empty when all are valid decks)."""
    problems: list[Problem] = []
    for path in paths:
        try:
            load_deck(path)
        except DeckError as error:
            problems.extend(error.problems)
    return problems


# --- reading -----------------------------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> str:
    if len(data) > MAX_BYTES:
        raise DeckError(
            [Problem(name, None, None, 'file', f'is larger than {MAX_BYTES:,} bytes; a deck must be smaller')]
        )
    if not data.strip():
        raise DeckError([Problem(name, None, None, 'file', 'is empty; a deck needs at least id, title and themes')])
    if data.startswith(b'\xef\xbb\xbf'):
        data = data[3:]
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as error:
        line, column = _position(data, error.start)
        raise DeckError(
            [
                Problem(
                    name, line, column, 'file', f'is not UTF-8 text (byte 0x{data[error.start]:02x}); save it as UTF-8'
                )
            ]
        ) from None
    if '\x00' in text:
        line, column = _position(data, data.index(b'\x00'))
        raise DeckError([Problem(name, line, column, 'file', 'contains binary data (a NUL byte); a deck is text')])
    return text


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    return before.count(b'\n') + 1, offset - (before.rfind(b'\n') + 1) + 1


_Loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)  # libyaml's parser when present: events only, no objects
_NULLS = {'', '~', 'null', 'Null', 'NULL'}
_INT = re.compile(r'^[-+]?[0-9]+$')


def _read_tree(text: str, name: str) -> tuple[Any, dict[Path_, tuple[int, int]], list[Problem]]:
    """Build plain dicts, lists and scalars from the YAML event stream, in one pass.

    Nothing is ever constructed from a tag: aliases, anchors and non-standard tags are refused, depth and size are
    bounded, duplicate keys are reported with both lines, and plain scalars follow YAML 1.2 (so `no` stays text).
    Returns the data, the (line, column) of every value and key, and the problems found.
    """
    problems: list[Problem] = []
    marks: dict[Path_, tuple[int, int]] = {}
    stack: list[list[Any]] = []  # [container, path, pending key or None, first-seen key lines]
    root: Any = _MISSING
    nodes = 0

    def problem(position: tuple[int, int], message: str) -> None:
        problems.append(Problem(name, *position, 'yaml', message))

    def place(value: Any, position: tuple[int, int], is_key_candidate: bool) -> list[Any] | None:
        """Attach a finished value to its parent; return the new frame for collections."""
        nonlocal root
        if not stack:
            marks[()] = position
            root = value
            return [value, (), None, {}] if isinstance(value, (dict, list)) else None
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            child_path = (*path, len(container))
            container.append(value)
        elif frame[2] is None:  # this value is a key
            if not is_key_candidate:
                problems.append(Problem(name, *position, _where(path, None), 'a key must be a plain name'))
                frame[2] = _SKIP
                return [value, (*path, '?'), None, {}] if isinstance(value, (dict, list)) else None
            key = str(value)
            if key in frame[3]:
                problems.append(
                    Problem(
                        name,
                        *position,
                        _where((*path, key), None),
                        f"duplicate key '{key}' (first given on line {frame[3][key]})",
                    )
                )
                frame[2] = _SKIP
            else:
                frame[3][key] = position[0]
                marks[(*path, key, '__key__')] = position
                frame[2] = key
            return None
        else:
            key, frame[2] = frame[2], None
            if key is _SKIP:
                return [value, (*path, '?'), None, {}] if isinstance(value, (dict, list)) else None
            child_path = (*path, key)
            container[key] = value
        marks[child_path] = position
        return [value, child_path, None, {}] if isinstance(value, (dict, list)) else None

    try:
        for event in yaml.parse(text, Loader=_Loader):
            mark = event.start_mark
            position = (mark.line + 1, mark.column + 1)
            if isinstance(event, yaml.AliasEvent):
                problem(position, f"alias '*{event.anchor}' is not allowed; write the content out in full")
                break
            if isinstance(event, yaml.NodeEvent):
                nodes += 1
                if event.anchor:
                    problem(position, f"anchor '&{event.anchor}' is not allowed; write the content out in full")
                    break
                tag = event.tag
                if tag and tag not in _STANDARD_TAGS and tag != '!':
                    shown = tag.replace('tag:yaml.org,2002:', '!!')
                    problem(position, f"tag '{shown}' is not allowed; a deck holds only text, numbers and lists")
                    break
                if nodes > MAX_NODES:
                    problem(position, f'has more than {MAX_NODES:,} values; a deck is never this large')
                    break
            if isinstance(event, yaml.ScalarEvent):
                place(_scalar(event), position, True)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    problem(position, f'nesting is deeper than {MAX_DEPTH} levels; a deck is never this deep')
                    break
                frame = place({} if isinstance(event, yaml.MappingStartEvent) else [], position, False)
                stack.append(frame)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                stack.pop()
            elif isinstance(event, yaml.DocumentStartEvent) and root is not _MISSING:
                problem(position, 'holds more than one document; a deck file holds one')
                break
    except yaml.MarkedYAMLError as error:
        problems.append(_syntax_problem(error, name))
    except yaml.YAMLError as error:
        problems.append(Problem(name, None, None, 'yaml', f'cannot be read: {error}'))
    if root is _MISSING and not problems:
        problems.append(
            Problem(name, None, None, 'file', 'holds no content; a deck needs at least id, title and themes')
        )
    return (None if root is _MISSING else root), marks, problems


_MISSING = object()
_SKIP = object()


def _syntax_problem(error: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    problem = (error.problem or 'syntax error').strip()
    if 'maximum nesting depth' in problem:
        position = (mark.line + 1, mark.column + 1) if mark else (None, None)
        return Problem(name, *position, 'yaml', f'nesting is deeper than {MAX_DEPTH} levels; a deck is never this deep')
    context = f' ({error.context.strip()})' if error.context else ''
    if mark is None:
        return Problem(name, None, None, 'yaml', f'syntax error: {problem}{context}')
    return Problem(name, mark.line + 1, mark.column + 1, 'yaml', f'syntax error: {problem}{context}')


def _scalar(event: yaml.ScalarEvent) -> Any:
    """YAML 1.2 core-schema plain scalars: null, true/false and whole numbers; everything else stays text."""
    value = event.value
    if event.style or event.tag == 'tag:yaml.org,2002:str' or not event.implicit[0]:
        return value
    if value in _NULLS:
        return None
    if value in ('true', 'True', 'TRUE', 'false', 'False', 'FALSE'):
        return value.lower() == 'true'
    if _INT.match(value):
        return int(value)
    return value  # floats stay as written: a version such as 1.10 must not become 1.1


def _duplicates(raw: dict[str, Any]) -> list[tuple[Path_, str]]:
    """Theme numbers and card ids used twice, found in the raw data so they are reported with other problems."""
    found: list[tuple[Path_, str]] = []
    numbers: set[Any] = set()
    ids: dict[str, Any] = {}
    themes = raw.get('themes')
    for t, theme in enumerate(themes if isinstance(themes, list) else []):
        if not isinstance(theme, dict):
            continue
        number = theme.get('number')
        if isinstance(number, (int, str)) and number in numbers:
            found.append((('themes', t, 'number'), f'theme number {number} is used twice'))
        numbers.add(number)
        cards = theme.get('cards')
        for c, card in enumerate(cards if isinstance(cards, list) else []):
            card_id = card.get('id') if isinstance(card, dict) else None
            if not isinstance(card_id, (str, int)):
                continue
            if str(card_id) in ids:
                found.append(
                    (
                        ('themes', t, 'cards', c, 'id'),
                        f"card id '{card_id}' is used twice (first in theme {ids[str(card_id)]})",
                    )
                )
            else:
                ids[str(card_id)] = number
    return found


# --- reporting ---------------------------------------------------------------------------------------------------

_MESSAGES = {
    'missing': 'is required',
    'string_type': 'must be text',
    'int_type': 'must be a whole number',
    'int_parsing': 'must be a whole number',
    'list_type': 'must be a list (lines starting with "- ")',
    'dict_type': 'must be a mapping of fields',
    'model_type': 'must be a mapping of fields',
    'model_attributes_type': 'must be a mapping of fields',
}


def _validation_problems(
    error: ValidationError, raw: Any, marks: dict[Path_, tuple[int, int]], name: str
) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[Path_, str]] = set()
    for item in error.errors(include_url=False):
        loc = tuple(part for part in item['loc'] if part not in ('function-after[_from_string(), Point]',))
        message = _message(item, loc)
        if (loc, message) in seen:
            continue
        seen.add((loc, message))
        mark_loc = (*loc, '__key__') if item['type'] == 'extra_forbidden' else loc
        problems.append(Problem(name, *_mark(marks, mark_loc), _where(loc, raw), message))
    problems.sort(key=lambda p: (p.line or 0, p.column or 0))
    return problems


def _message(item: dict[str, Any], loc: Path_) -> str:
    kind = item['type']
    if kind == 'extra_forbidden':
        field = str(loc[-1])
        known = _fields_at(loc[:-1])
        close = difflib.get_close_matches(field, known, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else (f' (allowed: {", ".join(known)})' if known else '')
        return f"unknown field '{field}'{hint}"
    if kind == 'missing':
        return 'is required but missing'
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind == 'string_too_short':
        return 'must not be empty'
    if kind == 'too_short':
        return f'needs at least {item["ctx"].get("min_length", 1)} entry'
    if kind == 'string_too_long':
        return f'is too long (at most {item["ctx"]["max_length"]:,} characters)'
    if kind == 'string_pattern_mismatch':
        return _pattern_message(loc)
    if kind == 'literal_error':
        return f'must be one of {item["ctx"]["expected"]}'
    if kind in ('greater_than_equal', 'less_than_equal'):
        return f'is out of range ({item["msg"].lower()})'
    message = str(item['msg'])
    return message.removeprefix('Value error, ')


def _pattern_message(loc: Path_) -> str:
    field = loc[-1] if loc else ''
    if field == 'id' and len(loc) == 1:
        return 'must be lowercase letters, digits and dashes (e.g. my-deck)'
    if field == 'id':
        return 'must be letters, digits, dots, dashes or underscores (e.g. 1.1)'
    if field == 'colour':
        return "must be a colour like '#1F5F8B'"
    return 'has the wrong form'


def _fields_at(loc: Path_) -> list[str]:
    """Field names of the model found at this location of a deck."""
    model: Any = Deck
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[part].annotation if part in getattr(model, 'model_fields', {}) else None
        model = _inner_model(annotation)
        if model is None:
            return []
    return sorted(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, str):
        return Point if annotation.startswith('list[Point') else None
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    if isinstance(annotation, types.UnionType):
        return None
    return None


def _mark(marks: dict[Path_, tuple[int, int]], loc: Path_) -> tuple[int | None, int | None]:
    """Position of the nearest located part of the path (a missing field points at its parent)."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in marks:
            return marks[loc[:end]]
        if (*loc[:end], '__key__') in marks:
            return marks[(*loc[:end], '__key__')]
    return None, None


def _where(loc: Path_, raw: Any) -> str:
    """A reader's description of a location: 'theme 2 > card 2.1 > prompts 3'."""
    parts: list[str] = []
    node = raw
    i = 0
    while i < len(loc):
        part = loc[i]
        child = node.get(part) if isinstance(node, dict) and isinstance(part, str) else None
        if part in ('themes', 'cards', 'sections', 'groups') and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            index = loc[i + 1]
            item = child[index] if isinstance(child, list) and index < len(child) else None
            label = {'themes': 'theme', 'cards': 'card', 'sections': 'section', 'groups': 'group'}[part]
            key = {'themes': 'number', 'cards': 'id', 'sections': 'title', 'groups': 'heading'}[part]
            ident = item.get(key) if isinstance(item, dict) else None
            parts.append(
                f'{label} {ident}'
                if isinstance(ident, (str, int)) and str(ident).strip() and part != 'sections' and part != 'groups'
                else f'{label} #{index + 1}'
            )
            node = item
            i += 2
            continue
        if isinstance(part, int):
            if parts:
                parts[-1] = f'{parts[-1]} #{part + 1}'
            else:
                parts.append(f'#{part + 1}')
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            parts.append(str(part))
            node = child
        i += 1
    return ' > '.join(parts) if parts else 'deck'


# --- writing -----------------------------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing text with line breaks as `|` blocks (PyYAML falls back to quotes when it must)."""


_NOT_TEXT_WHEN_PLAIN = re.compile(r'^(?:[-+]?[0-9]+|~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$')


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Quote what the deck loader (YAML 1.2) would not read back as text, and YAML's other line breaks."""
    if any(ch in value for ch in '\x85\u2028\u2029'):
        style: str | None = '"'
    elif '\n' in value:
        style = '|'
    elif not value or _NOT_TEXT_WHEN_PLAIN.match(value):
        style = "'"
    else:
        style = None
    return dumper.represent_scalar('tag:yaml.org,2002:str', value, style=style)


_Dumper.add_representer(str, _represent_str)


def deck_data(deck: Deck) -> dict[str, Any]:
    """A deck as draft data: the deck file's fields, defaults left out, points without nesting written as text."""
    return {'cardkit': deck.cardkit, **_plain(deck.model_dump(mode='json', exclude_defaults=True))}


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {'text'} and isinstance(value['text'], str):
            return value['text']
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def draft_yaml(draft: dict[str, Any]) -> str:
    """The draft as deck YAML (valid or not); the text that validation reads and that users download."""
    return yaml.dump(draft, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)


def deck_yaml(deck: Deck, *, source: str = '') -> str:
    """A deck as YAML that loads back as an equal deck (with a note of the card template it was read from)."""
    header = f'# Imported from the card template {source}.\n' if source else ''
    return header + draft_yaml(deck_data(deck))
