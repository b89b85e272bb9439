"""The main job: load, translate (when a model is there), align, write `aligned/` files.

`align_pair` handles one zh/vi report pair; `run_directory` pairs the reports of a
folder first, then aligns every pair. Both work without a translation model: the
aligner then uses the model-free signals (Sino-Vietnamese cognates, anchors,
glossary terms, length) and the English fields stay empty.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.document import Document
from workbench.errors import WorkbenchError
from workbench.store import AlignedFile, aligned_name, make_bead, write_aligned

Notify = Callable[[str], None]

DEFAULT_GLOSSARY_DIR = Path("glossary")


@dataclass
class MTContext:
    """The translators found, per source language, and why the others are missing (said once)."""

    translators: dict[str, Any] = field(default_factory=dict)
    message: str | None = None
    _said: bool = field(default=False, repr=False)

    def say_once(self, notify: Notify) -> None:
        if self.message and not self._said:
            notify(self.message)
            self._said = True

    def english(self, doc: Document) -> list[str] | None:
        details = self.translations(doc)
        return None if details is None else [t.english for t in details]

    def translations(self, doc: Document) -> list[Any] | None:
        """Each sentence's `workbench.translate.Translation` (English, MT warnings, provenance)."""
        translator = self.translators.get(doc.lang)
        if translator is None:
            return None
        texts = [s.text for s in doc.sentences]
        if hasattr(translator, "translate_detailed"):
            return list(translator.translate_detailed(texts, doc.lang))
        from workbench.translate import Translation
        return [Translation(t, e, "", False) for t, e in zip(texts, translator.translate(texts, doc.lang))]

    def identity(self, lang: str) -> str | None:
        translator = self.translators.get(lang)
        return translator.identity(lang) if translator is not None else None


def open_mt(mt: str = "auto", model_zh: str | None = None, model_vi: str | None = None,
            glossary: Any = None) -> MTContext:
    """`mt="none"` skips translation; `"auto"` uses each language's model when found locally.

    A glossary protects its terms through the translator's term hook.
    """
    if mt == "none":
        return MTContext()
    if mt != "auto":
        raise WorkbenchError(f"--mt must be 'auto' or 'none', not {mt!r}")
    from workbench.translate import try_open_translator

    hook = glossary.term_hook() if glossary is not None else None
    context, missing = MTContext(), []
    for lang in ("zh", "vi"):
        translator, message = try_open_translator(model_zh=model_zh, model_vi=model_vi, langs=(lang,),
                                                  term_hook=hook)
        if translator is None:
            missing.append(message)
        else:
            context.translators[lang] = translator
    if missing:
        context.message = ("machine translation unavailable, aligning without English for "
                           f"{'these languages' if len(missing) > 1 else 'this language'}: " + "; ".join(missing))
    return context


def load_glossary_if_any(path: str | Path | None) -> Any:
    """The glossary in `path` (default `glossary/` when it exists), or None."""
    target = Path(path) if path is not None else DEFAULT_GLOSSARY_DIR
    if path is None and not target.exists():
        return None
    from workbench.glossary import load_glossary

    return load_glossary(target)


def glossary_hash(glossary: Any) -> str | None:
    if glossary is None:
        return None
    digest = hashlib.sha256()
    for entry in glossary.entries:
        digest.update("\t".join(["|".join(entry.zh), "|".join(entry.vi), "|".join(entry.en)]).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]


def _side(doc: Document, mt: list[Any] | None) -> dict[str, Any]:
    return {
        "file": doc.name,
        "sha256": doc.sha256,
        "title": doc.title,
        "lang": doc.lang,
        "sentences": [
            {"text": s.text, "kind": s.kind, "en": mt[i].english if mt is not None else None,
             **(mt[i].record() if mt is not None else {})}  # MT warnings, glossary post-edits
            for i, s in enumerate(doc.sentences)
        ],
    }


def align_documents(zh_doc: Document, vi_doc: Document, mt: MTContext | None = None,
                    glossary: Any = None, mode: str = "auto") -> AlignedFile:
    """Translate (if possible) and align two loaded reports into an AlignedFile."""
    from workbench.align import align_sentences

    if zh_doc.lang != "zh" or vi_doc.lang != "vi":
        raise WorkbenchError(
            f"expected a Chinese and a Vietnamese report, got {zh_doc.name} ({zh_doc.lang}) "
            f"and {vi_doc.name} ({vi_doc.lang})")
    mt = mt or MTContext()
    zh_mt, vi_mt = mt.translations(zh_doc), mt.translations(vi_doc)
    zh_en = [t.english for t in zh_mt] if zh_mt is not None else None
    vi_en = [t.english for t in vi_mt] if vi_mt is not None else None
    result = align_sentences(
        [s.text for s in zh_doc.sentences], [s.text for s in vi_doc.sentences], "zh", "vi",
        src_en=zh_en, tgt_en=vi_en, mode=mode, glossary=glossary)
    header = AlignedFile.make_header(
        zh=_side(zh_doc, zh_mt), vi=_side(vi_doc, vi_mt),
        models={"zh": mt.identity("zh"), "vi": mt.identity("vi")},
        glossary=glossary_hash(glossary), mode=result.mode, mode_reason=result.reason)
    beads = [make_bead(header, list(zh_ids), list(vi_ids), score) for zh_ids, vi_ids, score in result.beads]
    return AlignedFile(header=header, beads=beads)


def load_pair(zh_path: str | Path, vi_path: str | Path) -> tuple[Document, Document]:
    """Load two reports; accepts them in either order, insists on one zh and one vi."""
    from workbench.corpus import load_document

    a, b = load_document(zh_path), load_document(vi_path)
    if a.lang == "vi" and b.lang == "zh":
        a, b = b, a
    if (a.lang, b.lang) != ("zh", "vi"):
        raise WorkbenchError(
            f"need one Chinese and one Vietnamese report; {a.name} is {a.lang}, {b.name} is {b.lang}")
    return a, b


def align_pair(zh_path: str | Path, vi_path: str | Path, out_dir: str | Path = "aligned",
               out: str | Path | None = None, mt: str | MTContext = "auto", mode: str = "auto",
               glossary: Any = None, model_zh: str | None = None, model_vi: str | None = None,
               notify: Notify = print) -> "PairSummary":
    """Align one report pair and write `out` (default `out_dir/<zh>__<vi>.jsonl`) atomically."""
    zh_doc, vi_doc = load_pair(zh_path, vi_path)
    context = mt if isinstance(mt, MTContext) else open_mt(mt, model_zh, model_vi, glossary)
    context.say_once(notify)
    aligned = align_documents(zh_doc, vi_doc, context, glossary, mode)
    target = Path(out) if out is not None else Path(out_dir) / aligned_name(zh_doc.name, vi_doc.name)
    write_aligned(target, aligned)
    return summarize(aligned, target)


@dataclass
class PairSummary:
    zh: str
    vi: str
    pair_score: float | None  # None when the pair was given, not found by pairing
    out: Path
    beads: int
    aligned_share: float  # share of sentences (both sides) inside a two-sided bead
    mode: str
    mt: bool


def summarize(aligned: AlignedFile, out: Path, pair_score: float | None = None) -> PairSummary:
    n_zh = len(aligned.header["zh"]["sentences"])
    n_vi = len(aligned.header["vi"]["sentences"])
    linked = sum(len(b.zh) + len(b.vi) for b in aligned.beads if b.zh and b.vi)
    return PairSummary(
        zh=aligned.header["zh"]["file"], vi=aligned.header["vi"]["file"], pair_score=pair_score, out=out,
        beads=sum(1 for b in aligned.beads if b.zh and b.vi),
        aligned_share=linked / max(1, n_zh + n_vi), mode=aligned.header.get("mode", ""),
        mt=any(aligned.header.get("models", {}).values()))


@dataclass
class RunResult:
    pairs: list[PairSummary]
    unpaired: list[str]
    mt_message: str | None


def run_directory(directory: str | Path, out_dir: str | Path = "aligned", mt: str = "auto",
                  mode: str = "auto", glossary: Any = None, model_zh: str | None = None,
                  model_vi: str | None = None, notify: Notify = print,
                  progress: Callable[[int, int, str], None] | None = None) -> RunResult:
    """Pair the reports in `directory`, then align every pair into `out_dir`."""
    from workbench.pairing import pair_directory

    pairing = pair_directory(directory)
    context = open_mt(mt, model_zh, model_vi, glossary)
    context.say_once(notify)
    summaries = []
    for number, pair in enumerate(pairing.pairs):
        if progress:
            progress(number, len(pairing.pairs), f"{pair.zh.name} ↔ {pair.vi.name}")
        aligned = align_documents(pair.zh, pair.vi, context, glossary, mode)
        target = Path(out_dir) / aligned_name(pair.zh.name, pair.vi.name)
        write_aligned(target, aligned)
        summaries.append(summarize(aligned, target, pair.score))
    if progress:
        progress(len(pairing.pairs), len(pairing.pairs), "done")
    return RunResult(pairs=summaries, unpaired=[d.name for d in pairing.unpaired], mt_message=context.message)
