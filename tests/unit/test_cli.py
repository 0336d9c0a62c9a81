"""The command line as a user meets it: every command's --help says what it does and shows an example, a wrong
command line gets exit code 2 and a hint, and `python -m cardkit` is the same program as `cardkit`."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cardkit.cli import cli, main

COMMANDS = sorted(cli.commands)


def test_the_group_lists_every_command_with_what_it_does(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(['--help']) == 0
    shown = capsys.readouterr().out
    assert COMMANDS == ['cards', 'decks', 'export', 'import', 'import-template', 'sessions', 'template', 'validate']
    for name in COMMANDS:
        line = next(line for line in shown.splitlines() if line.strip().startswith(f'{name} '))
        assert len(line.split(maxsplit=1)[1]) > 20 and not line.endswith('...'), line


@pytest.mark.parametrize('name', COMMANDS)
def test_each_command_explains_itself_with_an_example(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([name, '--help']) == 0
    shown = capsys.readouterr().out
    assert f'Usage: cardkit {name}' in shown
    assert 'Example:' in shown and f'cardkit {name}' in shown.split('Example:')[1]


def test_a_wrong_command_line_says_what_is_wrong(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(['nope']) == 2
    assert "No such command 'nope'" in capsys.readouterr().err
    assert main(['export']) == 2
    assert "Missing argument 'SESSION'" in capsys.readouterr().err
    assert main(['export', '1', '--format', 'pdf']) == 2
    assert "'pdf' is not one of 'docx', 'csv', 'md', 'json'" in capsys.readouterr().err


def test_python_m_cardkit_runs_the_same_commands() -> None:
    done = subprocess.run(
        [sys.executable, '-m', 'cardkit', 'validate', 'decks'], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert 'deck file(s) valid' in done.stderr
