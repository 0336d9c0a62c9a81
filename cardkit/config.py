"""Settings from the environment, with defaults that run on one machine with no set-up."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_made: set[Path] = set()  # folders already created (creating them on every database call is measurable)


def data_dir() -> Path:
    """Folder for the embedded database and generated secrets (CARDKIT_DATA_DIR, default ./data)."""
    path = Path(os.environ.get('CARDKIT_DATA_DIR', ROOT / 'data'))
    if path not in _made:
        path.mkdir(parents=True, exist_ok=True)
        _made.add(path)
    return path


def decks_dir() -> Path:
    """Folder of the shipped decks (CARDKIT_DECKS_DIR, default decks/)."""
    return Path(os.environ.get('CARDKIT_DECKS_DIR', ROOT / 'decks'))


def exports_dir() -> Path:
    """Folder where exported files are written (CARDKIT_EXPORTS_DIR, default exports/)."""
    path = Path(os.environ.get('CARDKIT_EXPORTS_DIR', ROOT / 'exports'))
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url() -> str:
    """DATABASE_URL, or an SQLite file in the data folder."""
    return os.environ.get('DATABASE_URL') or f'sqlite:///{data_dir() / "cardkit.db"}'


def storage_secret() -> str:
    """CARDKIT_SECRET, or a random secret generated once per installation and kept in the data folder."""
    return os.environ.get('CARDKIT_SECRET') or _generated('secret.key', 32)


def facilitator_code() -> str:
    """CARDKIT_FACILITATOR_CODE, or a code generated once per installation (data/facilitator.code).

    Browsers on other machines need it once to reach the facilitator pages (sessions list, set-up, authoring).
    """
    return os.environ.get('CARDKIT_FACILITATOR_CODE') or _generated('facilitator.code', 12)


def facilitator_token() -> str:
    """What a signed-in browser keeps instead of the facilitator code itself: a keyed digest of the code, so the
    browser storage on disk never holds the code (and a changed code signs every browser out)."""
    digest = hmac.new(storage_secret().encode(), b'facilitator:' + facilitator_code().encode(), hashlib.sha256)
    return digest.hexdigest()


def storage_dir() -> Path:
    """Where NiceGUI keeps each browser's storage (NICEGUI_STORAGE_PATH, default .nicegui in the working folder)."""
    return Path(os.environ.get('NICEGUI_STORAGE_PATH', '.nicegui')).resolve()


def keep_files_private() -> None:
    """Files that hold keys or people's words (database, secrets, browser storage) readable by their owner only,
    including those made before this rule."""
    for folder in (data_dir(), storage_dir()):
        if not folder.is_dir():
            continue
        folder.chmod(0o700)
        for path in folder.rglob('*'):
            if path.is_file() and not path.is_symlink():
                path.chmod(0o600)
            elif path.is_dir():
                path.chmod(0o700)


def _generated(name: str, random_bytes: int) -> str:
    """A random value made once for this installation, in a file of the data folder that only its owner can read."""
    path = data_dir() / name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(random_bytes), encoding='utf-8')
    return path.read_text(encoding='utf-8').strip()


def _list(name: str) -> tuple[str, ...]:
    return tuple(part for part in os.environ.get(name, '').replace(',', ' ').split() if part)


def allowed_hosts() -> tuple[str, ...]:
    """Names the app answers to besides addresses, loopback and this machine's own names (CARDKIT_ALLOWED_HOSTS,
    comma- or space-separated; `*.example.org` allows every name under it), e.g. the room's `cardkit.college.ac.uk`."""
    return _list('CARDKIT_ALLOWED_HOSTS')


def trusted_proxies() -> tuple[str, ...]:
    """Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (CARDKIT_TRUSTED_PROXIES: addresses or
    networks, e.g. `127.0.0.1`); none by default."""
    return _list('CARDKIT_TRUSTED_PROXIES')


def trust_loopback() -> bool:
    """Whether a browser on this machine counts as the facilitator (CARDKIT_TRUST_LOOPBACK, default yes)."""
    return os.environ.get('CARDKIT_TRUST_LOOPBACK', '1') not in ('0', 'false', 'no')


def gc_freeze() -> bool:
    """Keep open pages out of full garbage collections (`cardkit.heap`); CARDKIT_GC_FREEZE=0 turns it off."""
    return os.environ.get('CARDKIT_GC_FREEZE', '1') not in ('0', 'false', 'no')
