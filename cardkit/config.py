"""Settings from the environment, with defaults that run on one machine with no set-up."""
from __future__ import annotations

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


def _generated(name: str, random_bytes: int) -> str:
    """A random value made once for this installation, in a file of the data folder that only its owner can read."""
    path = data_dir() / name
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(random_bytes), encoding='utf-8')
    return path.read_text(encoding='utf-8').strip()


def trust_loopback() -> bool:
    """Whether a browser on this machine counts as the facilitator (CARDKIT_TRUST_LOOPBACK, default yes)."""
    return os.environ.get('CARDKIT_TRUST_LOOPBACK', '1') not in ('0', 'false', 'no')


def gc_freeze() -> bool:
    """Keep open pages out of full garbage collections (`cardkit.heap`); CARDKIT_GC_FREEZE=0 turns it off."""
    return os.environ.get('CARDKIT_GC_FREEZE', '1') not in ('0', 'false', 'no')
