"""Text hygiene shared by models, storage and exports."""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 (and so Word) cannot hold: C0 controls other than tab/newline/carriage return, U+FFFE/U+FFFF,
# and lone surrogates.
_BAD_CHARS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')


def sentence(text: str) -> str:
    """The text with a capital first letter, the rest as written: a message, a stored value shown on its own."""
    return text[:1].upper() + text[1:]


def clean_text(value: str) -> str:
    """Return the text without characters that cannot be stored or exported; newlines become \\n."""
    return _BAD_CHARS.sub('', value.replace('\r\n', '\n').replace('\r', '\n'))


_JOINERS = '\u200c\u200d'  # zero-width (non-)joiner: part of emoji sequences and of some scripts' spelling
_LATIN_END = 0x2FF  # up to here joiners change nothing visible, so 'A\u200dnn' would pass for 'Ann'


def clean_name(value: str) -> str:
    """A person's name, role or organisation as others will see it: no invisible format characters (bidirectional
    overrides that turn 'evil.exe' round, zero-width spaces), except joiners inside an emoji or a script that needs
    them; runs of spaces become one."""
    value = clean_text(value)
    kept = []
    for index, char in enumerate(value):
        if unicodedata.category(char) == 'Cf':
            inside = (
                0 < index < len(value) - 1
                and min(ord(value[index - 1]), ord(value[index + 1])) > _LATIN_END
                and not value[index - 1].isspace()
                and not value[index + 1].isspace()
            )
            if not (char in _JOINERS and inside):
                continue
        kept.append(' ' if char in '\n\t' else char)
    return ' '.join(''.join(kept).split())


def blocks(text: str) -> list[tuple[str, str]]:
    """Split light text into ('para' | 'bullet', text) blocks: blank lines part paragraphs, '- ' starts a bullet."""
    result: list[tuple[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            result.append(('para', ' '.join(para)))
            para.clear()

    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            flush()
        elif stripped.startswith('- '):
            flush()
            result.append(('bullet', stripped[2:].strip()))
        else:
            para.append(stripped)
    flush()
    return result
