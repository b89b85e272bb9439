"""Commands of the review feature: `workbench review`, `workbench search`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from workbench.commands.options import BACKEND_OPTION, GLOSSARY_OPTION, MODEL_VI_OPTION, MODEL_ZH_OPTION, MT, MT_OPTION
from workbench.display import markup_safe, printable
from workbench.errors import WorkbenchError

DEFAULT_FOLDER = Path("aligned")


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""

    @app.command("review")
    def review(
        paths: list[Path] | None = typer.Argument(
            None, metavar="PATH", show_default=False,
            help="Nothing: the project view of aligned/. A folder: the project view of its aligned files. "
                 "An aligned file: open it. A zh report and a vi report: align them into aligned/ first."),
        read_only: bool = typer.Option(False, "--read-only", help="Open without a lock; nothing is saved."),
        glossary: Path | None = GLOSSARY_OPTION,
        mt: MT = MT_OPTION,
        model_zh: str | None = MODEL_ZH_OPTION,
        model_vi: str | None = MODEL_VI_OPTION,
        backend: str = BACKEND_OPTION,
    ) -> None:
        """Review aligned pairs in the terminal: confirm links, fix alignments, English and terms.

        The project view lists every aligned file with its progress; enter opens one, and
        > / < / p move between files without leaving the app.
        """
        from workbench.review.project import Project

        paths = paths or []
        session = project = None
        if len(paths) == 2:
            session = _open(_align_first(*paths, mt=mt.value, model_zh=model_zh, model_vi=model_vi,
                                         backend=backend, glossary=glossary), read_only, glossary)
        elif len(paths) > 2:
            raise WorkbenchError("give nothing (the project view of aligned/), a folder, one aligned file, "
                                 "or a zh report and a vi report")
        else:
            target = paths[0] if paths else DEFAULT_FOLDER
            if paths and not target.exists() and target.suffix != ".jsonl":
                raise WorkbenchError("no such file or folder (give an aligned file, a folder of them, or "
                                     "nothing for aligned/)", target)
            if target.is_dir() or not paths:
                project = Project(_aligned_folder(target, given=bool(paths)))
            else:
                _check_aligned(target)
                session = _open(target, read_only, glossary)
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            if session is not None:
                session.close()  # checked after opening, so a locked or broken file says so first
            raise WorkbenchError("the review app needs a terminal (stdin and stdout are not one here); "
                                 "`workbench export` and `workbench search` work without one")
        from workbench.tui.app import ReviewApp

        app = ReviewApp(session, project=project, read_only=read_only, glossary_dir=glossary,
                        glossary=None if session is None else session.glossary)
        if session is not None and session.lock is not None and session.lock.took_over:
            typer.echo(f"note: took over a stale lock left by pid {session.lock.took_over.get('pid')}", err=True)
        if session is not None and session.restored:
            typer.echo(f"{printable(session.path)}: restored {session.restored} edits from the journal of a "
                       f"review that did not end (they are saved now)", err=True)
        try:
            app.run()
        finally:
            app.close_session()
        failed = [c for c in app.closed if c.save_error is not None]
        if app.ended_by is not None:  # saved and unlocked; the terminal may be gone, so print nothing
            raise typer.Exit(128 + app.ended_by)
        last = {str(c.path): c for c in app.closed if not c.read_only}  # each file once, as left last
        for closed in last.values():
            typer.echo(f"{printable(closed.path)}: {closed.progress.line()}")
        if failed:
            c = failed[0]
            where = f"; every edit is kept in {printable(c.journal)} and is restored when the file is opened again" \
                if c.journal is not None else ""
            raise WorkbenchError(f"{c.save_error}{where}", c.path)

    @app.command("search")
    def search_cmd(
        query: str = typer.Argument(..., metavar="QUERY", help="A word, a name or a glossary term (zh, vi or en)."),
        paths: list[Path] | None = typer.Argument(None, metavar="PATH", show_default=False,
                                                  help="Aligned files or folders of them (default: aligned/)."),
        glossary: Path | None = GLOSSARY_OPTION,
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object instead of lines."),
    ) -> None:
        """Concordance: every bead of the aligned files holding QUERY, widened by the glossary
        (潘文迈 also finds Phan Văn Mãi) and Sino-Vietnamese readings. Exit 1 when nothing is found."""
        from workbench.glossary.model import load_glossary_if_any
        from workbench.review.search import search

        from workbench.review.project import aligned_files

        targets = paths or [_aligned_folder(DEFAULT_FOLDER, given=False)]
        for target in targets:
            if not target.exists():
                raise WorkbenchError("no such file or folder", target)
            if target.is_file():
                _check_aligned(target)
            elif not aligned_files(target):
                raise WorkbenchError("no aligned files (*.jsonl) in this folder; `workbench run` makes them", target)
        # a file named on the line must be whole (file:line, exit 2); one in a folder is skipped
        result = search(targets, query, load_glossary_if_any(glossary), strict_files=True)
        for error in result.errors:
            typer.echo(f"skipped: {printable(error)}", err=True)
        if as_json:
            typer.echo(json.dumps({"query": result.terms.query, "terms": result.terms.as_json(), "files": result.files,
                                   "hits": [h.as_json() for h in result.hits]}, ensure_ascii=False, indent=2))
        else:
            _print_hits(result)
        if not result.hits:
            raise typer.Exit(1)


def _print_hits(result) -> None:
    from rich.console import Console

    from workbench.review.search import field_text

    console = Console(highlight=False, soft_wrap=True)
    terms = result.terms
    widened = [t for t in [*terms.zh, *terms.vi, *terms.en] if t != terms.query]
    if widened:
        console.print(markup_safe(f"also looked for: {', '.join(dict.fromkeys(widened))}"), style="dim")
    for hit in result.hits:
        console.print(f"[bold]{markup_safe(hit.path)}[/bold]:{hit.index + 1}  {hit.bead.notation}  {hit.bead.status}")
        for name in ("zh", "vi", "zh_en", "vi_en"):
            matches = [m for m in hit.matches if m.field == name]
            if not matches:
                continue
            text, line, pos = field_text(hit.bead, name), f"  {name:<6}", 0
            for m in matches:
                line += markup_safe(text[pos:m.start]) + f"[reverse]{markup_safe(text[m.start:m.end])}[/reverse]"
                pos = m.end
            console.print(line + markup_safe(text[pos:]) + f"  [dim]({', '.join(sorted({m.via for m in matches}))})[/dim]")
    console.print(f"{len(result.hits)} bead{'s' if len(result.hits) != 1 else ''} in {result.files} "
                  f"file{'s' if result.files != 1 else ''}")


def _open(path: Path, read_only: bool, glossary: Path | None):
    """Open one aligned file; a lock held elsewhere: ask to open read-only on a terminal, else refuse."""
    from workbench.store import locking
    from workbench.review.session import ReviewSession

    try:
        return ReviewSession.open(path, read_only=read_only, glossary_dir=glossary)
    except locking.FileLocked as exc:
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise
        typer.echo(f"error: {printable(exc)}", err=True)
        if not typer.confirm("Open it read-only instead?", default=True):
            raise typer.Exit(2) from None
        return ReviewSession.open(path, read_only=True, glossary_dir=glossary)


def _aligned_folder(folder: Path, given: bool) -> Path:
    """A folder to show in the project view; a folder of reports is refused with what to run."""
    from workbench.review.project import aligned_files
    from workbench.reports.listing import list_reports

    if not folder.exists():
        if given:
            raise WorkbenchError("no such folder", folder)
        raise WorkbenchError("no aligned files yet: `workbench run FOLDER` aligns a folder of reports "
                             "into aligned/", folder)
    if aligned_files(folder):
        return folder
    reports = list_reports(folder).files
    if reports:
        raise WorkbenchError(f"a folder of reports, not of aligned files: run `workbench run {folder}` to "
                             f"align them (into aligned/), then `workbench review`; or review one pair with "
                             f"`workbench review ZH VI`", folder)
    raise WorkbenchError("no aligned files in this folder: `workbench run FOLDER --out-dir "
                         f"{folder}` aligns a folder of reports into it", folder)


def _check_aligned(path: Path) -> None:
    """Refuse a report (or anything else) given where an aligned file is expected, saying what to run."""
    from workbench.review.project import is_aligned_file
    from workbench.store.aligned import read_bytes

    read_bytes(path)  # a missing or unreadable file: that is the message
    if path.suffix == ".jsonl" or is_aligned_file(path):
        return  # an aligned file, or meant as one: reading it says exactly what is wrong
    from workbench.reports.corpus import load_document

    try:
        load_document(path)
    except WorkbenchError:
        raise WorkbenchError("is not an aligned file (aligned files are written by `workbench run` and "
                             "`workbench align`)", path) from None
    raise WorkbenchError("is a report, not an aligned file: to review a pair give both reports "
                         "(`workbench review ZH VI`), or align a folder first (`workbench run FOLDER`)", path)


def _align_first(zh_file: Path, vi_file: Path, *, mt: str = "auto", model_zh: str | None = None,
                 model_vi: str | None = None, backend: str = "auto", glossary: Path | None = None) -> Path:
    """Align the pair into aligned/, unless an aligned file for it is already there and its reports
    are unchanged: then it is opened as it is, review and all (re-runs keep the review anyway)."""
    from workbench.commands.pipeline import _notify
    from workbench.glossary.model import load_glossary_if_any
    from workbench.run.pair import align_pair, reports_changed
    from workbench.store.aligned import aligned_name

    existing = None
    for first, second in ((zh_file, vi_file), (vi_file, zh_file)):
        if (DEFAULT_FOLDER / aligned_name(first, second)).is_file():
            existing = DEFAULT_FOLDER / aligned_name(first, second)
            if not reports_changed(existing, zh_file, vi_file):
                typer.echo(f"reviewing the existing {printable(existing)}", err=True)
                return existing
            break
    summary = align_pair(zh_file, vi_file, out_dir=DEFAULT_FOLDER, out=existing, mt=mt,
                         glossary=load_glossary_if_any(glossary), model_zh=model_zh, model_vi=model_vi,
                         backend=backend, notify=_notify)
    for line in summary.review_lines():  # the reports changed: aligned again, keeping the review
        typer.echo(line, err=True)
    return summary.out
