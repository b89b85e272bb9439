"""Sentence alignment of a document and its translation (parallel) or of two
reports of the same event (comparable).

`align_sentences` is the one entry point; beads are `(src_ids, tgt_ids, score)`
with 0-based sentence ids and a score in [0, 1] (0 for one-sided beads). The result
is signed (`AlignmentResult.signature`), as sacrebleu signs its scores, so an
aligned file says what produced it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from workbench.align.comparable import ComparableParams, align_comparable
from workbench.align.mode import choose_mode, off_path_links
from workbench.align.parallel import ParallelParams, align_parallel
from workbench.align.signals import DEFAULT_WEIGHTS, Signals, build_signals
from workbench.errors import WorkbenchError

# Bump when the same inputs may align differently.
ALIGNER_VERSION = "2.6"
MODES = ("auto", "parallel", "comparable")
Bead = tuple[list[int], list[int], float]


@dataclass
class AlignmentResult:
    beads: list[Bead]
    mode: str    # "parallel" or "comparable": the mode actually used
    reason: str  # why that mode (for `auto`, the evidence it looked at)
    details: dict = field(default_factory=dict)  # what produced the beads (see `signature`)

    @property
    def signature(self) -> str:
        """One line: aligner version, mode and who chose it, signals that ran with their
        weights, embedding model, the document's calibration. E.g.
        `align:2.3|mode:parallel|chosen:auto|signals:cognate*1+anchor*0.25|length:0.5|embed:none|null:-0.023|len_ratio:2.6`."""
        d = self.details
        parts = [f"align:{d.get('version', ALIGNER_VERSION)}", f"mode:{self.mode}", f"chosen:{d.get('chosen', '?')}",
                 "signals:" + ("+".join(f"{k}*{_num(v)}" for k, v in d.get("signals", {}).items()) or "none"),
                 f"length:{_num(d.get('length', 0))}", f"embed:{d.get('embedding') or 'none'}"]
        cal = d.get("calibration", {})
        if "null" in cal:
            parts.append(f"null:{_num(cal['null'])}")
        if "len_ratio" in cal:
            parts.append(f"len_ratio:{_num(cal['len_ratio'])}")
        return "|".join(parts)


def _num(x: float) -> str:
    return f"{float(x):.4g}"


def _details(signals: Signals, chosen: str, reason: str, params: Any) -> dict:
    from workbench.align.embed import model_identity

    return {"aligner": "workbench.align", "version": ALIGNER_VERSION, "chosen": chosen, "reason": reason,
            "signals": {s.name: s.weight for s in signals.vectors} | {d.name: d.weight for d in signals.dense},
            "length": signals.len_weight,
            "embedding": model_identity() if signals.dense else None,
            "params": {k: v for k, v in vars(params).items() if k != "types"}, "calibration": {}}


def align_sentences(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str,
                    src_en: Sequence[str] | None = None, tgt_en: Sequence[str] | None = None,
                    mode: str = "auto", glossary: Any = None,
                    weights: dict[str, float] | None = None) -> AlignmentResult:
    """Align two lists of sentences; every sentence of both sides is in exactly one bead."""
    if mode not in MODES:
        raise WorkbenchError(f"unknown alignment mode {mode!r}; choose one of {', '.join(MODES)}")
    for name, side, english in (("source", src, src_en), ("target", tgt, tgt_en)):
        if english is not None and len(english) != len(side):
            raise WorkbenchError(f"the {name} English has {len(english)} lines but the {name} has "
                                 f"{len(side)} sentences; give one English line per sentence")
    src, tgt = list(src), list(tgt)
    chosen = mode
    if mode == "auto":
        # The mode is read from the cheap signals: no sentence embeddings for the probe.
        probe = build_signals(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights,
                              doc_length_ratio=False, length_from="text", embed_window=0)
        mode, reason, sizes_agree = choose_mode(probe, src_lang, tgt_lang)
        del probe  # long documents: not two sets of signals at once
        if mode == "comparable" and sizes_agree:
            return _compare_modes(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights, reason)
    else:
        reason = f"mode {mode} was asked for"
        chosen = "asked"
    return _align(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights, mode, chosen, reason)


def _compare_modes(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights, reason) -> AlignmentResult:
    """Both modes' alignments; parallel unless one of the comparable miner's confident links
    lies off the parallel path (see `mode.off_path_links`): with sizes that agree, a
    translation is the reading nothing contradicts."""
    comparable = _align(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights, "comparable", "auto", reason)
    parallel = _align(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights, "parallel", "auto", reason)
    off, total = off_path_links(parallel.beads, comparable.beads)
    facts = reason.split(": ", 1)[1] + f"; {total - off} of {total} confident links on the monotone path"
    best = comparable if off else parallel
    best.reason = f"{best.mode}: {facts}"
    best.details["reason"] = best.reason
    return best


def _align(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights, mode: str, chosen: str,
           reason: str) -> AlignmentResult:
    calibration: dict = {}
    if mode == "parallel":
        signals = build_signals(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights)
        params: Any = ParallelParams()
        beads = align_parallel(signals, params, calibration)
        learned = calibration.get("lexicon", {}).get("weight", 0.0)
    else:
        # No sentence embeddings here yet: the mining thresholds were set without them
        # and there is no gold comparable data to set them again.
        signals = build_signals(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights,
                                doc_length_ratio=False, embed_window=0)
        params = ComparableParams()
        beads = align_comparable(signals, params, calibration)
        learned = 0.0
    details = _details(signals, chosen, reason, params)
    details["calibration"] = calibration
    if learned > 0:  # the word-translation signal learned from the first pass (`lexicon`)
        details["signals"]["lexicon"] = learned
    if glossary is not None and signals.vectors:
        # Terms are extra features of the text signals, each worth this many words.
        details["signals"]["glossary"] = (weights or {}).get("glossary", DEFAULT_WEIGHTS["glossary"])
    return AlignmentResult(beads, mode, reason, details)


__all__ = ["AlignmentResult", "align_sentences", "Signals", "build_signals", "ParallelParams",
           "ComparableParams", "align_parallel", "align_comparable", "MODES", "ALIGNER_VERSION"]
