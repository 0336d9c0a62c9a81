"""Supply chain and secrets."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


SECRET_FILES = ('secret.key', 'facilitator.code')
_RANDOM_LITERAL = re.compile(r'(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{32,64}(?![A-Za-z0-9_\-])')


def _entropy(text: str) -> float:
    import math

    counts = {c: text.count(c) for c in set(text)}
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def measure_secrets() -> dict[str, Any]:
    """Two data folders get two different storage secrets and facilitator codes, each file readable by its owner."""
    from cardkit import config

    saved = {name: os.environ.get(name) for name in ('CARDKIT_DATA_DIR', 'CARDKIT_SECRET', 'CARDKIT_FACILITATOR_CODE')}
    values: dict[str, list[str]] = {name: [] for name in SECRET_FILES}
    modes: list[int] = []
    try:
        os.environ.pop('CARDKIT_SECRET', None)
        os.environ.pop('CARDKIT_FACILITATOR_CODE', None)
        with tempfile.TemporaryDirectory() as folder:
            for n in range(2):
                os.environ['CARDKIT_DATA_DIR'] = str(Path(folder) / f'installation-{n}')
                values['secret.key'].append(config.storage_secret())
                values['facilitator.code'].append(config.facilitator_code())
                assert config.storage_secret() == values['secret.key'][-1]  # kept, not made anew each start
                modes += [(config.data_dir() / name).stat().st_mode & 0o777 for name in SECRET_FILES]
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    return {
        'secrets_differ_per_installation': int(all(len(set(v)) == 2 for v in values.values())),
        'secrets_min_length': min(len(x) for v in values.values() for x in v),
        'secrets_files_not_0600': sum(mode != 0o600 for mode in modes),
    }


def measure_repo_secrets(root: Path = ROOT) -> dict[str, Any]:
    """Tracked files: none is a generated secret or database, and no code or configuration file holds a long
    random-looking literal (32–64 characters of mixed case and digits, high entropy, as secrets.token_urlsafe makes).
    Decks and documents are prose and are not scanned for literals."""
    listed = subprocess.run(['git', 'ls-files', '-z'], cwd=root, capture_output=True, check=True).stdout
    files = [root / name for name in listed.decode().split('\0') if name]
    named = [
        str(f.relative_to(root))
        for f in files
        if f.name in SECRET_FILES or f.suffix in ('.db', '.key', '.pem') or f.name.startswith('.env')
    ]
    literals: list[str] = []
    for path in files:
        if path.suffix not in ('.py', '.toml', '.cfg', '.ini', '.json', '.sh', '.env', '') or not path.is_file():
            continue
        text = path.read_text(encoding='utf-8', errors='replace')
        for match in _RANDOM_LITERAL.finditer(text):
            word = match.group(0)
            mixed = sum(any(test(c) for c in word) for test in (str.islower, str.isupper, str.isdigit)) == 3
            if mixed and _entropy(word) > 4.2:
                literals.append(f'{path.relative_to(root)}: {word[:6]}…')
    return {
        'repo_files_checked': len(files),
        'repo_secret_files_tracked': len(named),
        'repo_random_literals': len(literals),
        'repo_random_literals_list': literals[:10],
    }


def measure_pip_audit(timeout: float = 180.0) -> dict[str, Any]:
    """Whether pip-audit can reach an advisory service from here, and if so the real count."""
    results: dict[str, Any] = {}
    for service in ('pypi', 'osv'):
        try:
            done = subprocess.run(
                [sys.executable, '-m', 'pip_audit', '--progress-spinner', 'off', '-s', service, '--format', 'json'],
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except (subprocess.TimeoutExpired, OSError) as error:
            results[f'audit_{service}'] = f'not run: {type(error).__name__}'
            continue
        try:
            report = json.loads(done.stdout)
        except ValueError:
            last = (done.stderr.strip().splitlines() or ['no output'])[-1]
            results[f'audit_{service}'] = f'unreachable: {last[:160]}'
            continue
        dependencies = report.get('dependencies', [])
        skipped = [d for d in dependencies if d.get('skip_reason')]
        if dependencies and len(skipped) == len(dependencies):
            reason = skipped[0]['skip_reason'][:60]
            results[f'audit_{service}'] = f'unreachable: all {len(skipped)} dependencies skipped ({reason})'
        else:
            results[f'audit_{service}_vulnerabilities'] = sum(len(d.get('vulns', [])) for d in dependencies)
            results[f'audit_{service}_audited'] = len(dependencies) - len(skipped)
    return results
