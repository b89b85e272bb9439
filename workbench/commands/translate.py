"""Commands of the translate feature: `workbench translate`, `workbench models`."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Optional

import typer

from workbench.commands.options import BACKEND_OPTION, GLOSSARY_OPTION, MODEL_VI_OPTION, MODEL_ZH_OPTION, RAY_OPTION
from workbench.display import printable
from workbench.errors import WorkbenchError


def translate(
    paths: list[Path] = typer.Argument(..., metavar="PATH", help="Report files and/or folders (every report "
                                       "below: text, web page, .docx)."),
    out_dir: Optional[Path] = typer.Option(None, "--out-dir", "-o", help="Folder for the English outputs (required)."),
    out_alias: Optional[Path] = typer.Option(None, "--out", hidden=True),  # the name before --out-dir
    fmt: str = typer.Option("txt", "--format", "-f",
                            help="txt: one English line per source sentence; jsonl: one object per sentence."),
    model_zh: Optional[str] = MODEL_ZH_OPTION,
    model_vi: Optional[str] = MODEL_VI_OPTION,
    batch_tokens: int = typer.Option(4096, "--batch-tokens", min=1,
                                     help="Padded source tokens per batch."),
    beams: Optional[int] = typer.Option(None, "--beams", min=1, help="Beam size (default: the model's)."),
    max_length: Optional[int] = typer.Option(None, "--max-length", min=1,
                                             help="Longest English output in tokens (default: the model's)."),
    memory: Optional[Path] = typer.Option(None, "--memory",
                                          help="Translation memory file (default: in the user data dir)."),
    progress: Optional[bool] = typer.Option(None, "--progress/--no-progress",
                                            help="Show a progress bar (default: when stderr is a terminal)."),
    glossary: Optional[Path] = GLOSSARY_OPTION,
    no_glossary: bool = typer.Option(False, "--no-glossary", help="Translate without glossary term protection."),
    backend: str = BACKEND_OPTION,
    device: Optional[str] = typer.Option(None, "--device", help="cpu or cuda (default: cuda when present)."),
    compute_type: Optional[str] = typer.Option(
        None, "--compute-type", help="Precision, e.g. int8 (default for ctranslate2 on CPU), float32, float16."),
    split_tokens: int = typer.Option(80, "--split-tokens", min=0,
                                     help="Cut longer sentences at clause boundaries (source tokens; 0: never)."),
    ray: Optional[str] = RAY_OPTION,
) -> None:
    """Translate reports to English, one output file per input; resumable."""
    from workbench.glossary.enforce import GlossaryTermHook
    from workbench.glossary.model import load_glossary_if_any
    from workbench.store.files import writable_folder
    from workbench.translate import TranslationConfig, open_translator
    from workbench.translate.batch import FORMATS, run_batch

    out = out_dir or out_alias
    if out is None:
        raise WorkbenchError("give the folder for the English outputs with --out-dir DIR")
    if fmt not in FORMATS:
        raise WorkbenchError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    writable_folder(out)
    config = TranslationConfig(beams=beams, max_length=max_length, batch_tokens=batch_tokens,
                               memory_path=memory, backend=backend, device=device,
                               compute_type=compute_type, split_tokens=split_tokens)
    terms = None if no_glossary else load_glossary_if_any(glossary)
    hook = GlossaryTermHook(terms) if terms is not None else None
    opened = []
    session = None
    if ray is not None:
        from workbench.run.cluster import connect

        session = connect(ray)  # a bad address is said before any work
        typer.echo(f"note: {session.describe()}", err=True)

    def opener(langs: tuple[str, ...]):
        # On a cluster the device is the cluster's: decided with its resources, not this machine's.
        here = config if session is None else replace(config, device=None)
        opened.append(open_translator(model_zh, model_vi, langs=langs, config=here, term_hook=hook))
        if session is not None:
            session.translate_with_cluster({lang: opened[-1] for lang in langs}, asked=config, share=1.0)
        return opened[-1]

    try:
        report = run_batch(paths, out, opener, fmt=fmt,
                           progress=sys.stderr.isatty() if progress is None else progress,
                           stream=_Literal(sys.stderr))
    except KeyboardInterrupt:  # before the first batch (loading): nothing to keep
        typer.echo("interrupted", err=True)
        raise typer.Exit(130) from None
    finally:
        if session is not None:
            session.close()
    stats = opened[0].stats if opened else None
    written = report.written
    sentences = sum(f.sentences for f in written)
    summary = f"wrote {len(written)} file(s), {sentences} sentence(s) to {printable(out)}"
    if stats is not None:
        summary += f" ({stats.misses} translated, {stats.hits} from the translation memory"
        if session is not None:
            summary += f"; {session.sent()}"
        summary += ")"
    typer.echo(summary, err=True)
    if report.failed:
        typer.echo(f"{len(report.failed)} file(s) failed:", err=True)
        for f in report.failed:
            typer.echo(f"  {printable(f.error)}", err=True)
    if report.interrupted:
        typer.echo("interrupted: translations so far are kept; run the same command again to resume",
                   err=True)
        raise typer.Exit(130)
    if report.failed:
        raise typer.Exit(1)


class _Literal:
    """stderr for the batch job: file names in its messages are shown literally; the bar's \\r stays."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(printable(text).replace("\u240d", "\r"))

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def models(
    model_zh: Optional[str] = MODEL_ZH_OPTION,
    model_vi: Optional[str] = MODEL_VI_OPTION,
) -> None:
    """List the translation models on this machine and how to get missing ones."""
    from workbench.translate import LANGS
    from workbench.translate.memory import TranslationMemory, default_memory_path
    from workbench.translate.models import cached_marian_models, hf_cache_dir, how_to_get, locate

    overrides = {"zh": model_zh, "vi": model_vi}
    used: set[Path] = set()
    missing = []
    for lang in LANGS:
        loc = locate(lang, overrides[lang])
        if loc is None:
            missing.append(lang)
            typer.echo(f"{lang}->en  MISSING")
            continue
        used.add(loc.path)
        typer.echo(f"{lang}->en  {loc.name}  {_size(loc.size())}  {loc.path}  (from {loc.origin})")
    others = [m for m in cached_marian_models() if m.path not in used]
    if others:
        typer.echo(f"\nother models in the Hugging Face cache {hf_cache_dir()}:")
        for m in others:
            typer.echo(f"  {m.model_id}  {_size(m.size)}  {m.path}")
    for lang in missing:
        typer.echo("\n" + how_to_get(lang, overrides[lang]))
    from workbench.translate import TranslationConfig
    from workbench.translate.backends import choose_backend, ctranslate2_installed

    chosen = choose_backend(TranslationConfig())
    typer.echo(f"\nbackend (--backend auto): {chosen.backend} {chosen.compute_type} on {chosen.device}"
               + ("" if ctranslate2_installed() else "; pip install ctranslate2 (the [fast] extra) for int8, "
                  "several times faster on CPU"))
    memory = default_memory_path()
    if memory.exists():
        entries = TranslationMemory(memory).count()
        typer.echo(f"\ntranslation memory: {memory} ({entries} translations, {_size(memory.stat().st_size)})")
    else:
        typer.echo(f"\ntranslation memory: {memory} (not created yet)")


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""
    app.command("translate")(translate)
    app.command("models")(models)
