"""`cardkit …` / `python -m cardkit …`: one command group; each command says what it does, with an example.

The commands are plain click commands in `decks.py` and `sessions.py`; this module gathers them into the group, so
nothing imports back from here.
"""

from __future__ import annotations

from collections.abc import Sequence

import click

from cardkit.cli import decks, sessions


@click.group(context_settings={'help_option_names': ['-h', '--help'], 'max_content_width': 110, 'terminal_width': 110})
def cli() -> None:
    """Cardkit: the strategic card activity for supporting learner progression.

    Check and print decks, list and export sessions, and bring sessions and filled-in card templates in.
    `cardkit COMMAND --help` says more about each command.
    """


for command in (
    decks.validate,
    decks.list_decks,
    decks.cards,
    decks.template,
    decks.import_template,
    sessions.list_sessions,
    sessions.export,
    sessions.import_session,
):
    cli.add_command(command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; its exit code (0 done, 1 a problem it reported, 2 a wrong command line, 130 interrupted)."""
    try:
        result = cli.main(args=list(argv) if argv is not None else None, prog_name='cardkit', standalone_mode=False)
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except (click.Abort, KeyboardInterrupt):
        return 130
    return result if isinstance(result, int) else 0
