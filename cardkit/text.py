"""Text hygiene shared by models, storage and exports."""
from __future__ import annotations

import re

# Characters XML 1.0 (and so Word) cannot hold: C0 controls other than tab/newline/carriage return, U+FFFE/U+FFFF,
# and lone surrogates.
_BAD_CHARS = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]')


def clean_text(value: str) -> str:
    """Return the text without characters that cannot be stored or exported; newlines become \\n."""
    return _BAD_CHARS.sub('', value.replace('\r\n', '\n').replace('\r', '\n'))


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
