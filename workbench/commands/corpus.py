"""Commands of the corpus feature: `workbench segment FILE [--json]`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from workbench.display import markup_safe
from workbench.reports.document import Document


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""
    app.command("segment")(segment)


def segment(
    file: Path = typer.Argument(..., metavar="REPORT", help="A report: text, web page (HTML) or Word file (.docx), Chinese or Vietnamese."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of tables."),
) -> None:
    """Clean a report and split it into sentences; show what was dropped and why."""
    from workbench.reports.corpus import load_document

    doc = load_document(file)
    if as_json:
        typer.echo(json.dumps(document_json(doc), ensure_ascii=False, indent=2))
    else:
        print_document(doc)


def document_json(doc: Document) -> dict:
    return {
        "lang": doc.lang,
        "languages": doc.languages,
        "encoding": doc.encoding,
        "meta": doc.meta,
        "notes": doc.notes,
        "sentences": [{"text": s.text, "kind": s.kind, "start": s.start, "end": s.end}
                      for s in doc.sentences],
        "dropped": [{"text": d.text, "reason": d.reason, "line": d.line} for d in doc.dropped],
    }


def print_document(doc: Document) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    kinds = {k: sum(1 for s in doc.sentences if s.kind == k) for k in ("title", "body", "caption")}
    console.print(f"[bold]{markup_safe(doc.name)}[/bold]  language [bold]{doc.language_label}[/bold]  "
                  f"format [bold]{doc.meta.get('format', 'text')}[/bold]  "
                  f"encoding [bold]{doc.encoding}[/bold]  {len(doc.sentences)} sentences "
                  f"({kinds['title']} title, {kinds['body']} body, {kinds['caption']} caption), "
                  f"{len(doc.dropped)} lines dropped")
    shown = [f"{key} {value}" for key, value in doc.meta.items() if key != "format"]
    if shown:
        console.print(markup_safe("page: " + " · ".join(shown)), highlight=False)
    for note in doc.notes:
        console.print(f"note: {markup_safe(note)}", highlight=False)
    table = Table(title="Sentences", title_justify="left", show_lines=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("kind")
    table.add_column("offsets", justify="right", style="dim", no_wrap=True)
    table.add_column("text", overflow="fold")
    style = {"title": "bold", "caption": "italic cyan", "body": ""}
    for s in doc.sentences:
        table.add_row(str(s.index), s.kind, f"{s.start}-{s.end}", markup_safe(s.text), style=style[s.kind])
    console.print(table)
    if doc.dropped:
        dropped = Table(title="Dropped", title_justify="left")
        dropped.add_column("line", justify="right", style="dim")
        dropped.add_column("reason", style="yellow")
        dropped.add_column("text", overflow="fold", style="dim")
        for d in doc.dropped:
            dropped.add_row(str(d.line), markup_safe(d.reason), markup_safe(d.text))
        console.print(dropped)
