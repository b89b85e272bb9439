"""Commands of the main job: `align` (one pair), `run` (a folder), `export` (TMX/TSV)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from workbench import export, pipeline
from workbench.commands.align import Mode
from workbench.errors import WorkbenchError
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
err = Console(stderr=True)


def _notify(message: str) -> None:
    err.print(f"[yellow]note:[/] {message}", highlight=False, soft_wrap=True)


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
    ) -> None:
        """Align the sentences of one Chinese and one Vietnamese report and write an aligned file."""
        summary = pipeline.align_pair(
            zh_file, vi_file, out_dir=out_dir, out=out, mt=mt.value, mode=mode.value,
            glossary=pipeline.load_glossary_if_any(glossary), model_zh=model_zh, model_vi=model_vi,
            notify=_notify)
        typer.echo(f"{summary.out}: {summary.beads} aligned beads, {summary.aligned_share:.0%} of sentences linked "
                   f"({summary.mode} mode, MT {'used' if summary.mt else 'not used'})")

    @app.command("run")
    def run_cmd(
        directory: Path = typer.Argument(..., help="Folder of zh and vi reports (e.g. seeds/)."),
        out: Path = typer.Option(Path("aligned"), "--out", help="Folder for the aligned files."),
        mt: MT = MT_OPTION,
        mode: Mode = MODE_OPTION,
        glossary: Path | None = GLOSSARY_OPTION,
        model_zh: str | None = MODEL_ZH_OPTION,
        model_vi: str | None = MODEL_VI_OPTION,
    ) -> None:
        """The main job: pair the reports in DIR, then align every pair into aligned/."""
        loaded_glossary = pipeline.load_glossary_if_any(glossary)
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("pairing reports", total=None)

            def progress(done: int, total: int, what: str) -> None:
                bar.update(task, completed=done, total=total, description=f"aligning {what}")

            result = pipeline.run_directory(
                directory, out_dir=out, mt=mt.value, mode=mode.value, glossary=loaded_glossary,
                model_zh=model_zh, model_vi=model_vi, notify=_notify, progress=progress)
        table = Table(title=f"workbench run {directory}")
        for column in ("zh", "vi"):
            table.add_column(column, no_wrap=True)
        for column in ("pair", "beads", "linked", "mode", "MT"):
            table.add_column(column, justify="right" if column in ("pair", "beads", "linked") else "left")
        for s in result.pairs:
            table.add_row(s.zh, s.vi, f"{s.pair_score:.2f}", str(s.beads), f"{s.aligned_share:.0%}", s.mode,
                          "yes" if s.mt else "no")
        Console(width=max(100, Console().width)).print(table)
        for s in result.pairs:
            typer.echo(f"wrote {s.out}")
        if result.unpaired:
            typer.echo("unpaired: " + ", ".join(result.unpaired))
        typer.echo(f"{len(result.pairs)} pairs aligned into {out}/")

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
            typer.echo(data, nl=False)
            return
        target = out or aligned_file.with_suffix(f".{fmt.value}")
        if target.resolve() == aligned_file.resolve():
            raise WorkbenchError("refusing to overwrite the aligned file itself", target)
        atomic_write_text(target, data)
        typer.echo(f"{target}: {count} translation units")
