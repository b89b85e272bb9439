"""Commands of the pairing feature: `workbench pair DIR [--json]`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from workbench.display import json_text, markup_safe, printable

if TYPE_CHECKING:
    from workbench.pairing import PairingResult


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""
    app.command("pair")(pair)


def pair(
    folder: Path = typer.Argument(..., metavar="FOLDER", help="A folder of Chinese and Vietnamese reports."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of a table."),
    threshold: float | None = typer.Option(
        None, "--threshold", min=0.0, max=1.0,
        help="Lowest score that still pairs two reports (default 0.1; a score is 1 - 1/margin "
             "over both reports' best candidates)."),
) -> None:
    """Find which zh and vi reports tell the same event (no translation model needed).

    Exit 1 when a report of the folder could not be loaded (listed as `skipped:`), as `run` does.
    """
    from workbench.pairing import THRESHOLD, pair_directory

    result = pair_directory(folder, threshold=THRESHOLD if threshold is None else threshold)
    for line in [f"{file}: {why}" for file, why in result.ignored] + [str(exc) for exc in result.skipped]:
        typer.echo(f"skipped: {printable(line)}", err=True)
    if as_json:
        typer.echo(json_text(result_json(result)))
    else:
        print_result(result)
    if result.skipped:
        raise typer.Exit(1)


def result_json(result: PairingResult) -> dict:
    return {
        "pairs": [{"zh": p.zh.name, "vi": p.vi.name, "score": p.score, "reason": p.reason}
                  for p in result.pairs],
        "unpaired": [d.name for d in result.unpaired],
    }


def print_result(result: PairingResult) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="Pairs (best first)", title_justify="left")
    table.add_column("zh", no_wrap=True)
    table.add_column("vi", no_wrap=True)
    table.add_column("score", justify="right")
    table.add_column("evidence", overflow="fold")
    for p in result.pairs:
        table.add_row(markup_safe(p.zh.name), markup_safe(p.vi.name), f"{p.score:.2f}", markup_safe(p.reason))
    if result.pairs:
        console.print(table)
    else:
        console.print("No pairs above the threshold.")
    if result.unpaired:
        console.print("[bold]Unpaired:[/bold] " + ", ".join(
            f"{markup_safe(d.name)} ({d.lang})" for d in result.unpaired))
