"""Commands of the main job: `align` (one pair), `run` (a folder), `export` (TMX/TSV/HTML)."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from workbench.commands.align import Mode
from workbench.commands.options import (
    BACKEND_OPTION,
    DISCARD_OPTION,
    GLOSSARY_OPTION,
    MODEL_VI_OPTION,
    MODEL_ZH_OPTION,
    MT,
    MT_OPTION,
    OUT_DIR_HIDDEN_ALIAS,
    RAY_OPTION,
    RECUT_OPTION,
    WORKERS_OPTION,
)
from workbench.display import markup_safe, printable
from workbench.errors import WorkbenchError, file_errors
from workbench.export.html import export_folder, pair_page
from workbench.export.links import exportable
from workbench.export.tmx import to_tmx
from workbench.export.tsv import to_tsv
from workbench.glossary.model import load_glossary_if_any
from workbench.run.folder import default_out_note, out_dir_beside, run_directory
from workbench.run.pair import PairSummary, align_pair
from workbench.store.files import atomic_write_text, ensure_folder, output_exists
from workbench.store.journal import read_aligned_current
from workbench.run.stopping import Terminated, terminate_as_interrupt


class ExportFormat(str, Enum):
    tmx = "tmx"
    tsv = "tsv"
    html = "html"


MODE_OPTION = typer.Option(Mode.auto, "--mode", help="Alignment mode.")
err = Console(stderr=True)


def check_workers(workers: int | None, ray: str | None) -> None:
    if workers is not None and ray is not None:
        raise WorkbenchError("--workers is for this machine; with --ray the cluster's CPUs align the pairs")


def _notify(message: str) -> None:
    err.print(f"[yellow]note:[/] {markup_safe(message)}", highlight=False, soft_wrap=True)


def _progress() -> Progress:
    """A progress bar on a terminal only: piped or captured stderr stays free of it."""
    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=err, transient=True, disable=not err.is_terminal)


def _print_review(summary: PairSummary) -> None:
    for line in summary.review_lines():
        typer.echo(line)


def _counts(summaries: list[PairSummary]) -> str:
    """What the aligned files hold together, in the numbers of the files."""
    def total(field: str) -> int:
        return sum(getattr(s, field) for s in summaries)

    return (f"{total('beads')} beads: {total('links')} links, unaligned zh {total('unaligned_zh')}, "
            f"vi {total('unaligned_vi')}")


def _review_command(folder: Path) -> str:
    return "workbench review" if Path(folder) == Path("aligned") else f"workbench review {folder}"


def register(app: typer.Typer) -> None:
    @app.command("align")
    def align_cmd(
        zh_file: Path = typer.Argument(..., metavar="ZH_REPORT", help="The Chinese report."),
        vi_file: Path = typer.Argument(..., metavar="VI_REPORT", help="The Vietnamese report."),
        out: Path | None = typer.Option(None, "--out", help="Output file (default <out-dir>/<zh>__<vi>.jsonl)."),
        out_dir: Path = typer.Option(Path("aligned"), "--out-dir", help="Folder for the default output name."),
        mt: MT = MT_OPTION,
        mode: Mode = MODE_OPTION,
        glossary: Path | None = GLOSSARY_OPTION,
        model_zh: str | None = MODEL_ZH_OPTION,
        model_vi: str | None = MODEL_VI_OPTION,
        backend: str = BACKEND_OPTION,
        discard_review: bool = DISCARD_OPTION,
        recut: bool = RECUT_OPTION,
    ) -> None:
        """Align the sentences of one Chinese and one Vietnamese report and write an aligned file.

        An existing aligned file keeps every bead a reviewer touched; when only the glossary changed
        its cut is kept and scored again (--recut aligns the untouched beads again).
        """
        summary = align_pair(
            zh_file, vi_file, out_dir=out_dir, out=out, mt=mt.value, mode=mode.value,
            glossary=load_glossary_if_any(glossary), model_zh=model_zh, model_vi=model_vi,
            notify=_notify, discard_review=discard_review, backend=backend, recut=recut)
        typer.echo(f"{printable(summary.out)}: {_counts([summary])} ({summary.mode} mode, "
                   f"MT {'used' if summary.mt else 'not used'})")
        _print_review(summary)
        typer.echo(f"next: workbench review {printable(summary.out)}")

    @app.command("run")
    def run_cmd(
        folder: Path = typer.Argument(..., metavar="FOLDER", help="A folder of zh and vi reports (e.g. seeds/)."),
        out_dir: Path | None = typer.Option(None, "--out-dir", help="Folder for the aligned files (default: aligned/)."),
        out_alias: Path | None = OUT_DIR_HIDDEN_ALIAS,
        mt: MT = MT_OPTION,
        mode: Mode = MODE_OPTION,
        glossary: Path | None = GLOSSARY_OPTION,
        model_zh: str | None = MODEL_ZH_OPTION,
        model_vi: str | None = MODEL_VI_OPTION,
        backend: str = BACKEND_OPTION,
        discard_review: bool = DISCARD_OPTION,
        recut: bool = RECUT_OPTION,
        workers: int | None = WORKERS_OPTION,
        ray: str | None = RAY_OPTION,
    ) -> None:
        """The main job: pair the reports in FOLDER, then align every pair into aligned/.

        Pairs are aligned in parallel; a pair whose aligned file is up to date is skipped, so an
        interrupted run resumes. Existing aligned files keep their review. Exit 1 when the job
        finished but skipped inputs (a report that cannot be loaded, a pair open in review, a pair
        that failed); 2 on an error.
        """
        out = out_dir or out_alias or Path("aligned")
        if folder.is_file():
            raise WorkbenchError("is a file: `workbench run` takes a folder of reports "
                                 "(to align one pair: `workbench align ZH_REPORT VI_REPORT`)", folder)
        note = None if out_dir or out_alias or not folder.is_dir() else default_out_note(folder)
        if note:  # the first line: a folder elsewhere would mix its files into this directory's project
            typer.echo(f"note: {printable(note)}", err=True)
            if sys.stdin.isatty() and sys.stderr.isatty() and typer.confirm(
                    f"Write into {printable(out_dir_beside(folder))}/ instead?", default=True, err=True):
                out = out_dir_beside(folder)
        check_workers(workers, ray)
        loaded_glossary = load_glossary_if_any(glossary)
        with _progress() as bar:
            task = bar.add_task("pairing reports", total=None)

            def progress(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total or None, description=markup_safe(what))

            try:
                with terminate_as_interrupt():
                    result = run_directory(
                        folder, out_dir=out, mt=mt.value, mode=mode.value, glossary=loaded_glossary,
                        model_zh=model_zh, model_vi=model_vi, notify=_notify, progress=progress,
                        discard_review=discard_review, backend=backend, workers=workers, ray=ray, recut=recut)
            except KeyboardInterrupt as stop:
                typer.echo(("terminated" if isinstance(stop, Terminated) else "interrupted")
                           + ": the pairs written so far are kept; run the same command again "
                           "to resume", err=True)
                raise typer.Exit(143 if isinstance(stop, Terminated) else 130) from None
        table = Table(title=markup_safe(f"workbench run {folder}"))
        for column in ("zh", "vi"):
            table.add_column(column, no_wrap=True)
        for column in ("pair", "beads", "links", "unaligned zh", "vi", "kept", "realigned", "mode", "MT"):
            table.add_column(column, justify="left" if column in ("mode", "MT") else "right")
        rows = [(s, False) for s in result.pairs] + [(s, True) for s in result.unchanged]
        for s, unchanged in rows:
            r = s.review
            kept, realigned = ("-", "up to date") if unchanged else \
                (str(r.kept), "cut kept" if r.kept_cut else str(r.realigned)) if r.existed else ("-", "-")
            table.add_row(markup_safe(s.zh), markup_safe(s.vi), f"{s.pair_score:.2f}", str(s.beads), str(s.links),
                          str(s.unaligned_zh), str(s.unaligned_vi), kept, realigned, s.mode, "yes" if s.mt else "no")
        if result.pairs or result.unchanged:
            Console(width=max(140, Console().width)).print(table)  # room for "comparable" beside two file names
        for s in result.pairs:
            if not s.review.existed:
                typer.echo(f"wrote {printable(s.out)}")
            _print_review(s)
        if result.unpaired:
            typer.echo("unpaired: " + ", ".join(printable(name) for name in result.unpaired))
        for line in result.ignored + result.skipped:
            typer.echo(f"skipped: {printable(line)}", err=True)
        for line in result.failed:
            typer.echo(f"failed: {printable(line)}", err=True)
        n = len(result.pairs)
        typer.echo(f"{n} pair{'' if n == 1 else 's'} aligned into {printable(out)}/"
                   + (f" ({_counts(result.pairs)})" if n else "")
                   + (f"; {len(result.up_to_date)} up to date, not aligned again" if result.up_to_date else "")
                   + (f"; {len(result.skipped)} input(s) skipped" if result.skipped else "")
                   + (f"; {len(result.failed)} pair(s) failed" if result.failed else ""))
        if n or result.up_to_date:
            typer.echo(f"next: {printable(_review_command(out))} (every aligned file, with its progress)")
        if not result.complete:
            raise typer.Exit(1)

    @app.command("export")
    def export_cmd(
        fmt: ExportFormat = typer.Argument(..., metavar="tmx|tsv|html", help="Export format."),
        aligned_file: Path = typer.Argument(..., metavar="ALIGNED_FILE", help="An aligned file (aligned/*.jsonl); "
                                            "for html also a folder of them."),
        include_auto: bool = typer.Option(False, "--include-auto", help="Also the links nobody has decided yet "
                                          "(marked x-status auto); rejected links never."),
        confirmed_only: bool = typer.Option(False, "--confirmed-only", hidden=True),  # the default now
        out: Path | None = typer.Option(None, "--out", help="Output file ('-' for stdout; default beside the input)."),
        out_dir: Path | None = typer.Option(None, "--out-dir", help="html of a folder: where the pages and "
                                            "index.html go (default: the folder itself)."),
        glossary: Path | None = GLOSSARY_OPTION,
    ) -> None:
        """Export the confirmed links of an aligned file as TMX 1.4b or TSV, as a reviewer left it;
        or the whole pair as an HTML page to read in a browser (a folder: a page per file and an index)."""
        if fmt is ExportFormat.html:
            _export_html(aligned_file, out, out_dir, include_auto, glossary)
            return
        if out_dir is not None:
            raise WorkbenchError(f"--out-dir is for `export html FOLDER`; {fmt.value} takes --out FILE")
        if aligned_file.is_dir():
            raise WorkbenchError(f"is a folder: `export {fmt.value}` takes one aligned file "
                                 "(`export html` also takes a folder)", aligned_file)
        aligned = read_aligned_current(aligned_file)
        if fmt is ExportFormat.tmx:
            data = to_tmx(aligned, include_auto).decode("utf-8")
        else:
            data = to_tsv(aligned, include_auto)
        count = len(exportable(aligned, include_auto))
        target = _write_export(data, out, aligned_file, fmt.value)
        if target is None:
            return
        left = 0 if include_auto else len(exportable(aligned, True)) - count
        typer.echo(f"{printable(target)}: {count} link{'' if count == 1 else 's'}"
                   + (f" ({'confirmed and undecided' if include_auto else 'confirmed'})")
                   + (f"; {left} undecided link{'' if left == 1 else 's'} left out (--include-auto adds them)"
                      if left else ""))


def _write_export(data: str, out: Path | None, aligned_file: Path, suffix: str) -> Path | None:
    """Write an export to `out` (default: beside the aligned file), or print it for `-` (None returned)."""
    if str(out) == "-":
        typer.echo(printable(data) if sys.stdout.isatty() else data, nl=False)
        return None
    target = out or aligned_file.with_suffix(f".{suffix}")
    if os.path.realpath(target) == os.path.realpath(aligned_file):
        raise WorkbenchError("refusing to overwrite the aligned file itself", target)
    if not output_exists(target):
        ensure_folder(target.parent)
    with file_errors(target):
        atomic_write_text(target, data)
    return target


def _export_html(source: Path, out: Path | None, out_dir: Path | None, include_auto: bool,
                 glossary_path: Path | None) -> None:
    if include_auto:
        raise WorkbenchError("--include-auto is for tmx and tsv: the html page shows every bead with its status")
    glossary = load_glossary_if_any(glossary_path)
    if source.is_dir():
        if out is not None:
            raise WorkbenchError("is a folder: it gets a page per aligned file and an index; give --out-dir DIR, "
                                 "not --out", source)
        target_dir = out_dir or source
        rows = export_folder(source, target_dir, glossary)
        for row in rows:
            if row.error:
                typer.echo(f"skipped: {printable(row.error)}", err=True)
        done = [r for r in rows if not r.error]
        typer.echo(f"{printable(target_dir / 'index.html')}: {len(done)} pair page{'' if len(done) == 1 else 's'}"
                   + (f"; {len(rows) - len(done)} file(s) could not be read" if len(done) < len(rows) else ""))
        if len(done) < len(rows):
            raise typer.Exit(1)
        return
    if out_dir is not None:
        raise WorkbenchError("--out-dir is for a folder of aligned files; one file takes --out FILE")
    aligned = read_aligned_current(source)
    data = pair_page(aligned, glossary, source=source.name)
    target = _write_export(data, out, source, "html")
    if target is None:
        return
    links = sum(1 for b in aligned.beads if b.zh and b.vi)
    typer.echo(f"{printable(target)}: {len(aligned.beads)} beads ({links} links); open it in a browser")
