"""Sentence alignment of a document and its translation (parallel) or of two
reports of the same event (comparable).

`align_sentences` is the one entry point; beads are `(src_ids, tgt_ids, score)`
with 0-based sentence ids and a score in [0, 1] (0 for one-sided beads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from workbench.align.comparable import ComparableParams, align_comparable
from workbench.align.mode import choose_mode
from workbench.align.parallel import ParallelParams, align_parallel
from workbench.align.signals import Signals, build_signals
from workbench.errors import WorkbenchError

MODES = ("auto", "parallel", "comparable")
Bead = tuple[list[int], list[int], float]


@dataclass
class AlignmentResult:
    beads: list[Bead]
    mode: str    # "parallel" or "comparable": the mode actually used
    reason: str  # why that mode (for `auto`, the evidence it looked at)


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
    if mode == "auto":
        # The mode is read from the cheap signals: no sentence embeddings for the probe.
        probe = build_signals(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights,
                              doc_length_ratio=False, length_from="text", embed_window=0)
        mode, reason = choose_mode(probe, src_lang, tgt_lang)
    else:
        reason = f"mode {mode} was asked for"
    if mode == "parallel":
        signals = build_signals(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights)
        beads = align_parallel(signals, ParallelParams())
    else:
        # No sentence embeddings here yet: the mining thresholds were set without them
        # and there is no gold comparable data to set them again.
        signals = build_signals(src, tgt, src_lang, tgt_lang, src_en, tgt_en, glossary, weights,
                                doc_length_ratio=False, embed_window=0)
        beads = align_comparable(signals, ComparableParams())
    return AlignmentResult(beads, mode, reason)


__all__ = ["AlignmentResult", "align_sentences", "Signals", "build_signals", "ParallelParams",
           "ComparableParams", "align_parallel", "align_comparable", "MODES"]
