"""The folder batch job behind `workbench translate`.

Files and folders (every report below a folder: text, web page or .docx) in; each
report is loaded, cleaned and segmented, translated, and written as one output per input:
`NAME.en.txt` (one English line per source sentence) or `NAME.en.jsonl` (one
JSON object per sentence). Reports are translated in groups so that batches
span documents; each output is written atomically once its report is done.
A bad file is reported and skipped. Ctrl-C stops after the current batch's
commit; a re-run takes everything already translated from the memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from workbench.reports.document import Document
from workbench.errors import WorkbenchError
from workbench.store.files import atomic_write_text
from workbench.translate.base import LANGS, Translation

FORMATS = ("txt", "jsonl")
GROUP_SENTENCES = 512  # sentences per group: large batches, yet outputs appear steadily


@dataclass
class FileResult:
    path: Path
    output: Path | None = None
    lang: str = ""
    sentences: int = 0
    cached: int = 0
    truncated: int = 0
    flagged: int = 0  # sentences with MT warnings
    error: str | None = None


@dataclass
class BatchReport:
    files: list[FileResult] = field(default_factory=list)
    interrupted: bool = False

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.error]

    @property
    def written(self) -> list[FileResult]:
        return [f for f in self.files if f.output and not f.error]


def collect_inputs(paths: list[Path], warn: Callable[[str], None] | None = None) -> list[tuple[Path, Path]]:
    """(input file, output name without suffix, relative to the output folder).

    A folder gives its reports below it (`workbench.reports.list_reports`); every
    other file in it is skipped with one `warn` line.
    """
    from workbench.reports.listing import list_reports

    found: list[tuple[Path, Path]] = []
    for path in paths:
        if path.is_dir():
            listing = list_reports(path, recursive=True)
            for file, reason in listing.skipped:
                if warn is not None:
                    warn(f"skipped: {file}: {reason}")
            if not listing.files:
                raise WorkbenchError("folder holds no reports (text, web pages or .docx)", path)
            found += [(f, f.relative_to(path).with_suffix("")) for f in listing.files]
        elif path.is_file():
            found.append((path, Path(path.stem)))
        else:
            raise WorkbenchError("no such file or folder", path)
    return found


def output_path(out_dir: Path, stem: Path, fmt: str) -> Path:
    return out_dir / stem.parent / f"{stem.name}.en.{fmt}"


def render(doc: Document, translations: list[Translation], fmt: str) -> str:
    if fmt == "txt":
        return "".join(t.english.replace("\n", " ") + "\n" for t in translations)
    lines = []
    for sent, t in zip(doc.sentences, translations):
        row = {"index": sent.index, "kind": sent.kind, "source": t.source, "english": t.english,
               "model": t.model, "cached": t.cached, "truncated": t.truncated}
        if t.warning:
            row["warning"] = t.warning
        row.update(t.record())
        lines.append(json.dumps(row, ensure_ascii=False) + "\n")
    return "".join(lines)


def load_all(inputs: list[tuple[Path, Path]], report: BatchReport,
             warn: Callable[[str], None]) -> list[tuple[Document, FileResult, Path]]:
    """Load and segment every input; bad files become failed results."""
    from workbench.reports.corpus import load_document

    loaded = []
    for path, stem in inputs:
        result = FileResult(path)
        report.files.append(result)
        try:
            doc = load_document(path)
        except WorkbenchError as exc:
            result.error = str(exc)
        except (OSError, UnicodeError, ValueError) as exc:
            result.error = f"{path}: {exc}"
        else:
            result.lang, result.sentences = doc.lang, len(doc.sentences)
            loaded.append((doc, result, stem))
            continue
        warn(f"skipped: {result.error}")
    return loaded


def run_batch(paths: list[Path], out_dir: Path, open_translator: Callable[[tuple[str, ...]], object],
              fmt: str = "txt", progress: bool = True, stream: TextIO | None = None) -> BatchReport:
    """Translate every report in `paths` into `out_dir`.

    `open_translator(langs)` returns a translator with `translate_detailed`;
    it may raise MTUnavailable, which propagates (a usage error: nothing to do).
    """
    import sys

    from tqdm import tqdm

    if fmt not in FORMATS:
        raise WorkbenchError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    stream = stream or sys.stderr
    report = BatchReport()

    def warn(message: str) -> None:
        tqdm.write(message, file=stream)

    inputs = collect_inputs(paths, warn)

    docs = load_all(inputs, report, warn)
    langs = tuple(lang for lang in LANGS if any(doc.lang == lang for doc, _, _ in docs))
    if not docs:
        return report
    translator = open_translator(langs)

    claimed: dict[Path, Path] = {}
    groups: list[list[tuple[Document, FileResult, Path]]] = [[]]
    size = 0
    for item in docs:
        target = output_path(out_dir, item[2], fmt)
        if target in claimed:
            item[1].error = f"{item[0].path}: output {target} already written for {claimed[target]}"
            warn(f"skipped: {item[1].error}")
            continue
        claimed[target] = item[0].path
        if size >= GROUP_SENTENCES:
            groups.append([])
            size = 0
        groups[-1].append(item)
        size += len(item[0].sentences)

    total = sum(len(d.sentences) for group in groups for d, _, _ in group)
    bar = tqdm(total=total, unit=" sentences", disable=not progress, file=stream,
               dynamic_ncols=True, smoothing=0.1)
    try:
        for group in groups:
            _translate_group(group, translator, out_dir, fmt, bar.update, warn)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        bar.close()
    return report


def translate_documents(translator, docs: list[Document], lang: str,
                        progress: Callable[[int], None] | None = None) -> list[list[Translation]]:
    """Each document's sentences translated, all of them in one call (batches span documents)."""
    texts = [s.text for doc in docs for s in doc.sentences]
    translations = translator.translate_detailed(texts, lang, progress=progress)
    out, start = [], 0
    for doc in docs:
        out.append(translations[start:start + len(doc.sentences)])
        start += len(doc.sentences)
    return out


def _translate_group(group, translator, out_dir: Path, fmt: str, advance, warn) -> None:
    for lang in sorted({doc.lang for doc, _, _ in group}):
        members = [item for item in group if item[0].lang == lang]
        english = translate_documents(translator, [doc for doc, _, _ in members], lang, advance)
        for (doc, result, stem), mine in zip(members, english):
            target = output_path(out_dir, stem, fmt)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                atomic_write_text(target, render(doc, mine, fmt))
            except OSError as exc:
                result.error = f"{target}: cannot write: {exc}"
                warn(f"failed: {result.error}")
                continue
            result.output = target
            result.cached = sum(t.cached for t in mine)
            result.truncated = sum(t.truncated for t in mine)
            result.flagged = sum(bool(t.mt_warnings) for t in mine)
            if result.flagged:
                first = next(t for t in mine if t.mt_warnings)
                warn(f"warning: {doc.path}: {result.flagged} sentence(s) with MT warnings, e.g. "
                     f"{first.mt_warnings[0]} (see 'mt_warnings' in --format jsonl; "
                     "they are not kept in the translation memory)")
