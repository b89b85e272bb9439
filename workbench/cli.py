"""The `workbench` command: one thin layer that parses options and calls the library.

Each feature keeps its commands in `workbench/commands/<feature>.py`, which
registers them on `app`. User errors (`WorkbenchError`) become one line on
stderr and exit code 2; so does, as a last line of defence, any file error
(`OSError`) a command did not turn into a clearer message. The line is shown
literally: a file name or report text in it cannot act on the terminal.
"""

from __future__ import annotations

import sqlite3
import sys

import typer
from typer.core import TyperGroup

from workbench import __version__
from workbench.commands import register_all
from workbench.display import printable
from workbench.errors import WorkbenchError, os_failure


def error_line(exc: BaseException) -> str:
    """The one stderr line for an error: literal (no control characters), on one line."""
    return "error: " + printable(exc).replace("\n", "\u2424")


def _library_reads_paths(command) -> None:
    """Leave reading to the commands (one line naming file and reason), not to typer's
    multi-line usage panel that its default `readable=True` path check prints."""
    for param in getattr(command, "params", []):
        # typer keeps the check in the parameter's info (older typer: in its click.Path type)
        info = getattr(getattr(param, "type_descriptor", None), "parameter_info", None)
        for holder in (info, getattr(param, "type", None)):
            if hasattr(holder, "readable"):
                holder.readable = False
    for sub in getattr(command, "commands", {}).values():
        _library_reads_paths(sub)


def _plain_flags(command, ctx) -> None:
    """A flag takes no value: help shows `--json`, not typer's `--json <bool>`."""
    params = list(getattr(command, "params", []))
    help_option = command.get_help_option(ctx) if hasattr(command, "get_help_option") else None
    for param in params + ([help_option] if help_option is not None else []):
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        _plain_flags(sub, ctx)


class _Group(TyperGroup):
    """Every command's errors end here, also under typer's CliRunner (tests run in-process)."""

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None:
            _library_reads_paths(command)
            _plain_flags(command, ctx)
        return command

    def get_params(self, ctx):
        _plain_flags(self, ctx)
        return super().get_params(ctx)

    def main(self, args=None, *rest, **kwargs):
        from workbench.run.cluster import ray_flag_args  # `--ray` with an optional address

        return super().main(ray_flag_args(list(sys.argv[1:] if args is None else args)), *rest, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except WorkbenchError as exc:
            fail = exc
        except OSError as exc:  # a file error no command named more precisely
            fail = os_failure(exc, action="read or write")
        except sqlite3.Error as exc:
            fail = WorkbenchError(f"database error: {exc}")
        typer.echo(error_line(fail), err=True)
        raise typer.Exit(getattr(fail, "exit_code", 2))


app = typer.Typer(
    cls=_Group,
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
    except WorkbenchError as exc:  # raised outside a command (e.g. while parsing options)
        typer.echo(error_line(exc), err=True)
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
