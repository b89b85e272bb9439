"""Commands of the align feature: `align-sentences` and `evaluate align`."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import typer

from workbench.errors import WorkbenchError


class Lang(str, Enum):
    zh = "zh"
    vi = "vi"
    en = "en"


class Mode(str, Enum):
    auto = "auto"
    parallel = "parallel"
    comparable = "comparable"


def _read_lines(path: Path, what: str) -> list[str]:
    """One sentence a line, every line kept (line k is sentence k - 1)."""
    from workbench.reports.corpus import load_text

    try:
        text, _ = load_text(path)
    except OSError as exc:
        raise WorkbenchError(f"cannot read {what}: {exc.strerror or exc}", path) from None
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise WorkbenchError(f"the {what} is empty; give one sentence per line", path)
    return lines


def _english(path: Path | None, side: list[str], side_path: Path, what: str) -> list[str] | None:
    if path is None:
        return None
    english = _read_lines(path, f"{what} English")
    if len(english) != len(side):
        raise WorkbenchError(
            f"{len(english)} lines of English for the {len(side)} sentences of {side_path}; "
            "give one English line per sentence", path, min(len(english), len(side)) + 1)
    return english


def _split_files(args: list[str]) -> tuple[list[str], list[str]]:
    """`--gold G1 G2 --test T1 T2` (or repeated `--gold G1 --gold G2`) -> (golds, tests)."""
    golds: list[str] = []
    tests: list[str] = []
    target: list[str] | None = None
    for arg in args:
        if arg in ("--gold", "-g"):
            target = golds
        elif arg in ("--test", "-t"):
            target = tests
        elif arg.startswith("--gold="):
            golds.append(arg.split("=", 1)[1])
        elif arg.startswith("--test="):
            tests.append(arg.split("=", 1)[1])
        elif arg.startswith("-"):
            raise WorkbenchError(f"unknown option {arg}; use --gold FILES... --test FILES...")
        elif target is None:
            raise WorkbenchError(f"{arg}: say whether it is a --gold or a --test file")
        else:
            target.append(arg)
    if not golds or not tests:
        raise WorkbenchError("give the gold files with --gold and the aligner's files with --test")
    return golds, tests


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""

    @app.command("align-sentences")
    def align_sentences_cmd(
        src: Path = typer.Argument(..., help="Source sentences, one per line."),
        tgt: Path = typer.Argument(..., help="Target sentences, one per line."),
        src_lang: Lang = typer.Option(Lang.zh, "--src-lang", help="Language of SRC."),
        tgt_lang: Lang = typer.Option(Lang.en, "--tgt-lang", help="Language of TGT."),
        src_en: Path = typer.Option(None, "--src-en", help="English of each SRC line (e.g. a .trans file)."),
        tgt_en: Path = typer.Option(None, "--tgt-en", help="English of each TGT line."),
        mode: Mode = typer.Option(Mode.auto, "--mode", help="parallel (a translation), comparable "
                                  "(two reports of one event) or auto (decide from the texts)."),
        signed: bool = typer.Option(False, "--signed", help="Start the output with a `# aligner: "
                                    "SIGNATURE` line (evaluate align reads and echoes it)."),
    ) -> None:
        """Align two files of sentences; print one bead a line, e.g. `[0, 1]:[2]` (0-based)."""
        from workbench.align import align_sentences
        from workbench.evaluate import format_bead

        src_lines = _read_lines(src, "source file")
        tgt_lines = _read_lines(tgt, "target file")
        result = align_sentences(
            src_lines, tgt_lines, src_lang.value, tgt_lang.value,
            src_en=_english(src_en, src_lines, src, "source"),
            tgt_en=_english(tgt_en, tgt_lines, tgt, "target"),
            mode=mode.value)
        typer.echo(f"mode: {result.reason}", err=True)
        typer.echo(f"signature: {result.signature}", err=True)
        if signed:
            typer.echo(f"# aligner: {result.signature}")
        typer.echo("\n".join(format_bead(s, t) for s, t, _ in result.beads))

    evaluate_app = typer.Typer(help="Measure quality against gold files.", no_args_is_help=True)
    app.add_typer(evaluate_app, name="evaluate")

    @evaluate_app.command("align", context_settings={"allow_extra_args": True, "ignore_unknown_options": True,
                                                     "help_option_names": ["--help", "-h"]})
    def evaluate_align_cmd(ctx: typer.Context) -> None:
        """Strict and lax precision/recall/F1 of bead files: --gold G1 G2... --test T1 T2...

        Files are paired in order; counts are summed over all pairs (Thompson & Koehn 2019).
        Lines starting with # are comments; a `# aligner: SIGNATURE` line in a test file
        is echoed, so the scores say what produced the beads.
        """
        from workbench.evaluate import evaluate_files

        golds, tests = _split_files(list(ctx.args))
        scores = evaluate_files(golds, tests)
        typer.echo(f"{'':8}{'precision':>10}{'recall':>10}{'f1':>10}")
        for name, s in (("strict", scores.strict), ("lax", scores.lax)):
            typer.echo(f"{name:8}{s.precision:>10.4f}{s.recall:>10.4f}{s.f1:>10.4f}")
        typer.echo(f"signature: {scores.signature}")
        for aligner in scores.aligners:
            typer.echo(f"aligned by: {aligner}")

    @evaluate_app.command("mt")
    def evaluate_mt_cmd(
        hyp: Path = typer.Option(..., "--hyp", help="Machine translation, one sentence a line."),
        ref: Path = typer.Option(..., "--ref", help="Reference translation, line-parallel to --hyp."),
    ) -> None:
        """BLEU and chrF (sacrebleu) of a translation against a line-parallel reference."""
        from workbench.evaluate import score_translations

        hyps, refs = _read_lines(hyp, "translation"), _read_lines(ref, "reference")
        if len(hyps) != len(refs):
            raise WorkbenchError(f"{len(hyps)} lines against {len(refs)} lines of {ref}; give one line each",
                                 hyp, min(len(hyps), len(refs)) + 1)
        scores = score_translations(hyps, refs)
        typer.echo(f"BLEU {scores.bleu:.2f}  chrF {scores.chrf:.2f}  ({scores.sentences} sentences)")
        typer.echo(scores.signature)
