"""Commands of the glossary feature: `workbench glossary check|list|add|audit|suggest|import|export`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from workbench.display import printable
from workbench.errors import WorkbenchError, file_errors
from workbench.glossary.files import ADDITIONS_FILE, DEFAULT_GLOSSARY_DIR

DEFAULT_DIR = DEFAULT_GLOSSARY_DIR
# The one default file for new entries: `add`, `import`, `suggest --write` and the review app's `g`.
DEFAULT_FILE = DEFAULT_DIR / ADDITIONS_FILE

glossary_app = typer.Typer(help="Check, list, edit, audit and exchange the glossary (glossary/*.tsv).",
                           no_args_is_help=True)

GLOSSARY_OPT = typer.Option(DEFAULT_DIR, "--glossary", "-g", help="Glossary file or folder.")


@glossary_app.command("check")
def check(files: Optional[list[Path]] = typer.Argument(None, metavar="GLOSSARY",
                                                       help="Glossary files or folders (default: glossary/).")) -> None:
    """Validate glossary files; print every problem with file and line (exit 1 if any)."""
    from workbench.glossary import check_files

    result = check_files(files or [DEFAULT_DIR])
    for problem in result.problems:
        typer.echo(printable(problem))
    n = len(result.problems)
    summary = f"{len(result.entries)} concepts in {len(result.files)} file(s)"
    if n:
        typer.echo(f"{n} problem{'s' if n != 1 else ''}; {summary}")
        raise typer.Exit(1)
    typer.echo(f"ok: {summary}, no problems")


@glossary_app.command("list")
def list_(grep: Optional[str] = typer.Option(None, "--grep", help="Only rows containing this text "
                                             "(case- and accent-insensitive)."),
          glossary: Path = GLOSSARY_OPT) -> None:
    """Print the concepts as TSV rows (zh, vi, en, note, file:line)."""
    from workbench.glossary import load_glossary
    from workbench.glossary.match import fold_accents

    key = fold_accents(grep.lower()) if grep else None
    shown = 0
    for entry in load_glossary(glossary).entries:
        row = entry.row()
        if key and key not in fold_accents(row.lower()):
            continue
        shown += 1
        typer.echo(printable(f"{row}\t{entry.where}"))
    typer.echo(f"{shown} concept(s)", err=True)


@glossary_app.command("add")
def add(zh: str = typer.Argument(..., metavar="ZH", help="The Chinese term(s), variants separated by '|'."),
        vi: str = typer.Argument(..., metavar="VI", help="The Vietnamese term(s)."),
        en: str = typer.Argument(..., metavar="EN", help="The English (the first variant is preferred)."),
        note: str = typer.Option("", "--note", help="Free text for the note column."),
        file: Path = typer.Option(DEFAULT_FILE, "--file", help="Glossary file to append to (the review app's "
                                  "g writes the same file)."),
        force: bool = typer.Option(False, "--force", help="Replace conflicting rows of FILE.")) -> None:
    """Add a concept (variants separated by '|'); refuses a conflict unless --force."""
    from workbench.glossary import add_entry

    result = _adding(lambda: add_entry(file, zh, vi, en, note=note, force=force))
    if result.action == "exists":
        typer.echo(printable(f"already in the glossary: {result.entry.where}: {result.entry.row()}"))
        return
    for old in result.replaced:
        typer.echo(printable(f"replaced {old.where}: {old.row()}"))
    typer.echo(printable(f"{result.action} {result.entry.where}: {result.entry.row()}"))


def _adding(add):
    """Run a glossary addition; a conflict says how to replace the row from here (--force)."""
    from workbench.glossary.edit import TermConflict

    try:
        return add()
    except TermConflict as exc:
        raise WorkbenchError(f"{exc}; add --force to replace it") from None


ALIGNED_ARG = typer.Argument(..., metavar="ALIGNED_FILE", help="An aligned file (aligned/*.jsonl).")


@glossary_app.command("audit")
def audit(aligned_file: Path = ALIGNED_ARG, glossary: Path = GLOSSARY_OPT) -> None:
    """Term issues of every bead: source terms whose glossary English is missing (exit 1 if any)."""
    from workbench.glossary import load_glossary, term_issues
    from workbench.store.journal import read_aligned_current

    gloss = load_glossary(glossary)
    aligned = read_aligned_current(aligned_file)
    issues = checked = no_english = 0
    for bead in aligned.beads:
        for lang, text, english in (("zh", bead.zh_text, bead.zh_en), ("vi", bead.vi_text, bead.vi_en)):
            if not text:
                continue
            if english is None:
                no_english += 1
                continue
            checked += 1
            for issue in term_issues(text, lang, english, gloss):
                issues += 1
                typer.echo(printable(f"{bead.notation} {issue.message}"))
    tail = f" ({no_english} without English, not checked)" if no_english else ""
    typer.echo(f"{issues} term issue{'s' if issues != 1 else ''} in {checked} sentence(s){tail}")
    if issues:
        raise typer.Exit(1)


@glossary_app.command("suggest")
def suggest(aligned_file: Path = ALIGNED_ARG,
            write: bool = typer.Option(False, "--write", help="Append the suggestions to the glossary."),
            file: Path = typer.Option(DEFAULT_FILE, "--file", help="Glossary file to write to (with --write)."),
            glossary: Path = GLOSSARY_OPT) -> None:
    """Propose name rows from Sino-Vietnamese readings in an aligned file (written only with --write)."""
    from workbench.glossary import add_entries, load_glossary, make_entry, suggest_from_aligned
    from workbench.store.journal import read_aligned_current

    gloss = load_glossary(glossary) if glossary.exists() else None
    suggestions = suggest_from_aligned(read_aligned_current(aligned_file), gloss)
    for s in suggestions:
        typer.echo(printable(f"{s.zh}\t{s.vi}\t{s.en}\t{s.kind}: reads {s.reading}; {', '.join(s.evidence)}"))
    if write and suggestions:
        results = _adding(lambda: add_entries(file, [make_entry(s.zh, s.vi, s.en, s.note) for s in suggestions]))
        added = sum(r.action == "added" for r in results)
        typer.echo(f"wrote {added} row(s) to {printable(file)}")
    else:
        typer.echo(f"{len(suggestions)} suggestion(s)" + ("" if write or not suggestions else "; --write adds them"))


@glossary_app.command("import")
def import_(fmt: str = typer.Argument(..., metavar="tbx|csv"),
            source: Path = typer.Argument(..., metavar="SOURCE", help="The TBX or CSV file to import."),
            file: Path = typer.Option(DEFAULT_FILE, "--file", help="Glossary file to add the concepts to."),
            force: bool = typer.Option(False, "--force", help="Replace conflicting rows of FILE.")) -> None:
    """Import concepts from TBX (ISO 30042) or CSV into a glossary file (one atomic write)."""
    from workbench.glossary import add_entries
    from workbench.glossary.exchange import read_exchange

    results = _adding(lambda: add_entries(file, read_exchange(fmt, source), force=force))
    counts = {a: sum(r.action == a for r in results) for a in ("added", "replaced", "exists")}
    typer.echo(f"{counts['added']} added, {counts['replaced']} replaced, {counts['exists']} already present "
               f"-> {printable(file)}")


@glossary_app.command("export")
def export(fmt: str = typer.Argument(..., metavar="tbx|csv"),
           out: Optional[Path] = typer.Option(None, "--out", help="Output file (default: standard output)."),
           glossary: Path = GLOSSARY_OPT) -> None:
    """Export the glossary as TBX-Basic (ISO 30042) or CSV."""
    from workbench.glossary import load_glossary
    from workbench.glossary.exchange import write_exchange
    from workbench.store.files import atomic_write_text

    entries = load_glossary(glossary).entries
    text = write_exchange(fmt, entries)
    if out is None:  # the data itself; on a terminal shown literally
        typer.echo(printable(text) if sys.stdout.isatty() else text, nl=False)
    else:
        from workbench.store.files import ensure_folder, output_exists

        if not output_exists(out):
            ensure_folder(out.parent)
        with file_errors(out):
            atomic_write_text(out, text)
        typer.echo(f"{len(entries)} concepts -> {printable(out)}", err=True)


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""
    app.add_typer(glossary_app, name="glossary")
