"""Supply chain and secrets: the storage secret and the facilitator code are generated per installation (two data
folders give two different values, each file mode 0600, kept across starts), and no tracked file is a generated secret
or database or holds a long random-looking literal. (pip-audit needs an advisory service that this machine cannot reach;
`python -m reliability --only supply` reports whether it can.)
"""

from __future__ import annotations

from reliability.supply import measure_repo_secrets, measure_secrets


def test_secrets_are_made_per_installation_and_kept_private() -> None:
    figures = measure_secrets()
    assert figures['secrets_differ_per_installation'] == 1
    assert figures['secrets_min_length'] >= 16
    assert figures['secrets_files_not_0600'] == 0


def test_no_secret_is_committed() -> None:
    figures = measure_repo_secrets()
    assert figures['repo_files_checked'] > 50
    assert figures['repo_secret_files_tracked'] == 0
    assert figures['repo_random_literals'] == 0, figures['repo_random_literals_list']
