"""Settings from the environment, with defaults that run on one machine with no set-up."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """Folder for the embedded database and generated secrets (CARDKIT_DATA_DIR, default ./data)."""
    path = Path(os.environ.get('CARDKIT_DATA_DIR', ROOT / 'data'))
    path.mkdir(parents=True, exist_ok=True)
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
    if secret := os.environ.get('CARDKIT_SECRET'):
        return secret
    path = data_dir() / 'secret.key'
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32), encoding='utf-8')
    return path.read_text(encoding='utf-8').strip()
