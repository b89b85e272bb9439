"""Commands of the main job: `align` (one pair), `run` (a folder), `export` (TMX/TSV)."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from workbench import export, pipeline
from workbench.commands.align import Mode
from workbench.display import markup_safe, printable
from workbench.errors import WorkbenchError, file_errors
from workbench.store import atomic_write_text, read_aligned


class MT(str, Enum):
    auto = "auto"
    none = "none"


class ExportFormat(str, Enum):
    tmx = "tmx"
    tsv = "tsv"


# Options shared by `align` and `run`.
MT_OPTION = typer.Option(MT.auto, "--mt", help="auto: translate when a model is found; none: never.")
MODE_OPTION = typer.Option(Mode.auto, "--mode", help="Alignment mode.")
GLOSSARY_OPTION = typer.Option(None, "--glossary", help="Glossary folder or file (default: glossary/ when it exists).")
MODEL_ZH_OPTION = typer.Option(None, "--model-zh", help="zh→en model id or folder.")
MODEL_VI_OPTION = typer.Option(None, "--model-vi", help="vi→en model id or folder.")
DISCARD_OPTION = typer.Option(False, "--discard-review", help="Align existing files afresh, dropping their review "
                              "(the previous file is still kept in .backup/).")
WORKERS_OPTION = typer.Option(None, "--workers", min=1, help="Pairs aligned at once, each in its own process "
                              "(default: the cores available).")
RAY_OPTION = typer.Option(None, "--ray", metavar="[ADDRESS]",
                          help="Run on a Ray cluster: alone for the one ray.init() finds (else one started here), "
                               "auto, HOST:PORT or ray://HOST:PORT (needs Ray: the ray extra).")
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


def _print_review(summary: pipeline.PairSummary) -> None:
    for line in summary.review_lines():
        typer.echo(line)


def register(app: typer.Typer) -> None:
    @app.command("align")
    def align_cmd(
        zh_file: Path = typer.Argument(..., help="The Chinese report."),
        vi_file: Path = typer.Argument(..., help="The Vietnamese report."),
        out: Path | None = typer.Option(None, "--out", help="Output file (default aligned/<zh>__<vi>.jsonl)."),
        out_dir: Path = typer.Option(Path("aligned"), "--out-dir", help="Folder for the default output name."),
        mt: MT = MT_OPTION,
        mode: Mode = MODE_OPTION,
        glossary: Path | None = GLOSSARY_OPTION,
        model_zh: str | None = MODEL_ZH_OPTION,
        model_vi: str | None = MODEL_VI_OPTION,
        discard_review: bool = DISCARD_OPTION,
    ) -> None:
        """Align the sentences of one Chinese and one Vietnamese report and write an aligned file.

        An existing aligned file keeps every bead a reviewer touched; the rest is aligned again.
        """
        summary = pipeline.align_pair(
            zh_file, vi_file, out_dir=out_dir, out=out, mt=mt.value, mode=mode.value,
            glossary=pipeline.load_glossary_if_any(glossary), model_zh=model_zh, model_vi=model_vi,
            notify=_notify, discard_review=discard_review)
        typer.echo(f"{printable(summary.out)}: {summary.beads} aligned beads, {summary.aligned_share:.0%} of "
                   f"sentences linked ({summary.mode} mode, MT {'used' if summary.mt else 'not used'})")
        _print_review(summary)

    @app.command("run")
    def run_cmd(
        directory: Path = typer.Argument(..., help="Folder of zh and vi reports (e.g. seeds/)."),
        out: Path = typer.Option(Path("aligned"), "--out", help="Folder for the aligned files."),
        mt: MT = MT_OPTION,
        mode: Mode = MODE_OPTION,
        glossary: Path | None = GLOSSARY_OPTION,
        model_zh: str | None = MODEL_ZH_OPTION,
        model_vi: str | None = MODEL_VI_OPTION,
        discard_review: bool = DISCARD_OPTION,
        workers: int | None = WORKERS_OPTION,
        ray: str | None = RAY_OPTION,
    ) -> None:
        """The main job: pair the reports in DIR, then align every pair into aligned/.

        Pairs are aligned in parallel; a pair whose aligned file is up to date is skipped, so an
        interrupted run resumes. Existing aligned files keep their review. Exit 1 when the job
        finished but skipped inputs (a report that cannot be loaded, a pair open in review, a pair
        that failed); 2 on an error.
        """
        if directory.is_file():
            raise WorkbenchError("is a file: `workbench run` takes a folder of reports "
                                 "(to align one pair: `workbench align ZH VI`)", directory)
        check_workers(workers, ray)
        loaded_glossary = pipeline.load_glossary_if_any(glossary)
        with _progress() as bar:
            task = bar.add_task("pairing reports", total=None)

            def progress(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total or None, description=markup_safe(what))

            try:
                result = pipeline.run_directory(
                    directory, out_dir=out, mt=mt.value, mode=mode.value, glossary=loaded_glossary,
                    model_zh=model_zh, model_vi=model_vi, notify=_notify, progress=progress,
                    discard_review=discard_review, workers=workers, ray=ray)
            except KeyboardInterrupt:
                typer.echo("interrupted: the pairs written so far are kept; run the same command again "
                           "to resume", err=True)
                raise typer.Exit(130) from None
        table = Table(title=markup_safe(f"workbench run {directory}"))
        for column in ("zh", "vi"):
            table.add_column(column, no_wrap=True)
        for column in ("pair", "beads", "linked", "kept", "realigned", "mode", "MT"):
            table.add_column(column, justify="left" if column in ("mode", "MT") else "right")
        for s in result.pairs:
            r = s.review
            table.add_row(markup_safe(s.zh), markup_safe(s.vi), f"{s.pair_score:.2f}", str(s.beads),
                          f"{s.aligned_share:.0%}", str(r.kept) if r.existed else "-", str(r.realigned),
                          s.mode, "yes" if s.mt else "no")
        Console(width=max(130, Console().width)).print(table)
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
        typer.echo(f"{len(result.pairs)} pairs aligned into {printable(out)}/"
                   + (f"; {len(result.up_to_date)} up to date, not aligned again" if result.up_to_date else "")
                   + (f"; {len(result.skipped)} input(s) skipped" if result.skipped else "")
                   + (f"; {len(result.failed)} pair(s) failed" if result.failed else ""))
        if not result.complete:
            raise typer.Exit(1)

    @app.command("export")
    def export_cmd(
        fmt: ExportFormat = typer.Argument(..., metavar="tmx|tsv", help="Export format."),
        aligned_file: Path = typer.Argument(..., help="An aligned/*.jsonl file."),
        confirmed_only: bool = typer.Option(False, "--confirmed-only", help="Only beads a reviewer confirmed."),
        out: Path | None = typer.Option(None, "--out", help="Output file ('-' for stdout; default beside the input)."),
    ) -> None:
        """Export the two-sided beads of an aligned file as TMX 1.4 or TSV (rejected beads never)."""
        aligned = read_aligned(aligned_file)
        if fmt is ExportFormat.tmx:
            data = export.to_tmx(aligned, confirmed_only).decode("utf-8")
        else:
            data = export.to_tsv(aligned, confirmed_only)
        count = len(export.exportable(aligned, confirmed_only))
        if str(out) == "-":
            typer.echo(printable(data) if sys.stdout.isatty() else data, nl=False)
            return
        target = out or aligned_file.with_suffix(f".{fmt.value}")
        if os.path.realpath(target) == os.path.realpath(aligned_file):
            raise WorkbenchError("refusing to overwrite the aligned file itself", target)
        if not pipeline.output_exists(target):
            pipeline.ensure_folder(target.parent)
        with file_errors(target):
            atomic_write_text(target, data)
        typer.echo(f"{printable(target)}: {count} translation units")
