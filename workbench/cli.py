"""The `workbench` command: one thin layer that parses options and calls the library.

Each feature keeps its commands in `workbench/commands/<feature>.py`, which
registers them on `app`. User errors (`WorkbenchError`) become one line on
stderr and exit code 2.
"""

from __future__ import annotations

import sys

import typer

from workbench import __version__
from workbench.commands import register_all
from workbench.errors import WorkbenchError

app = typer.Typer(
    name="workbench",
    help="Pair, translate, align and review Chinese/Vietnamese news reports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"workbench {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    """Pair, translate, align and review Chinese/Vietnamese news reports."""


register_all(app)


def main() -> None:
    try:
        app()
    except WorkbenchError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
