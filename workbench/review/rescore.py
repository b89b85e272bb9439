"""Scores of beads a reviewer re-cut, by the aligner's own fusion of signals.

A link, merge, split or move makes beads the aligner never scored. Their score comes
from `workbench.align.fuse.BeadScorer.score` over the signals of the whole document
pair, built the way the aligner built them for the file's mode, with the weights,
length weight and calibrated length ratio its signature (`aligner` in the header)
records. So a reviewer's bead and an aligner's bead are scored on one scale. A bead
with one side empty has no score (0.0 in the file, shown as "–", never exported).
The signals are built once per file, on first use (`prepare` may build them ahead).
"""

from __future__ import annotations

import threading
from dataclasses import replace
from typing import Any, Sequence


def parse_signature(signature: str | None) -> dict[str, Any]:
    """The fields of an aligner signature: mode, signal weights, length weight, embedding, len_ratio."""
    out: dict[str, Any] = {"weights": {}}
    for part in (signature or "").split("|"):
        key, _, value = part.partition(":")
        try:
            if key == "signals" and value != "none":
                for item in value.split("+"):
                    name, _, weight = item.partition("*")
                    out["weights"][name] = float(weight)
            elif key in ("length", "len_ratio"):
                out[key] = float(value)
            elif key in ("mode", "embed"):
                out[key] = value
        except ValueError:
            continue  # a field this version cannot read: the default stands
    return out


class Rescorer:
    """Scores beads of one aligned file's document pair (thread-safe, built lazily)."""

    def __init__(self, header: dict[str, Any], glossary: Any = None):
        self.header = header
        self.glossary = glossary
        self._lock = threading.Lock()
        self._scorer: Any = None
        self._signals: Any = None
        self._embedder: Any = None
        self._english: dict[str, list[str]] | None = None

    def prepare(self) -> None:
        """Build the signals now (seconds on documents of thousands of sentences)."""
        with self._lock:
            if self._scorer is not None:
                return
            from workbench.align.fuse import BeadScorer
            from workbench.align.signals import DEFAULT_WEIGHTS, build_signals

            sig = parse_signature(self.header.get("aligner"))
            mode = sig.get("mode") or self.header.get("mode")
            texts = {s: [x["text"] for x in self.header[s]["sentences"]] for s in ("zh", "vi")}
            english = {s: [x.get("en") for x in self.header[s]["sentences"]] for s in ("zh", "vi")}
            has_en = all(e is not None for side in english.values() for e in side)
            weights = dict(sig["weights"])
            if weights:  # signals the signature does not list did not run then: nor do they now
                for name in ("english", "words", "cognate", "anchor", "glossary"):
                    weights.setdefault(name, 0.0)
            if "length" in sig:
                weights["length"] = sig["length"]
            glossary = self.glossary if weights.get("glossary", DEFAULT_WEIGHTS["glossary"]) > 0 else None
            options: dict[str, Any] = {"embed_window": 0}  # embeddings: per bead, see `score`
            if mode != "parallel":
                options["doc_length_ratio"] = False  # comparable mode: the prior, then the links' ratio
            signals = build_signals(texts["zh"], texts["vi"], "zh", "vi",
                                    english["zh"] if has_en else None, english["vi"] if has_en else None,
                                    glossary, weights or None, **options)
            if "len_ratio" in sig:
                signals = replace(signals, len_ratio=sig["len_ratio"])
            embed = sig.get("embed")
            if embed and embed != "none" and has_en and signals.src_en is not None:
                from workbench.align.embed import get_embedder

                self._embedder = get_embedder()
                self._english = {"zh": list(english["zh"]), "vi": list(english["vi"])}
                self._embed_weight = weights.get("embed", DEFAULT_WEIGHTS["embed"])
            self._signals = signals
            self._scorer = BeadScorer(signals, 1, 1)

    def score(self, zh: Sequence[int], vi: Sequence[int]) -> float:
        """The bead's fused score in [0, 1], rounded as the files store it; 0.0 for a one-sided bead."""
        if not zh or not vi:
            return 0.0
        self.prepare()
        zh, vi = sorted(zh), sorted(vi)
        if self._embedder is None:
            return round(self._scorer.score(zh, vi), 4)
        return round(self._score_with_embeddings(zh, vi), 4)

    def _score_with_embeddings(self, zh: list[int], vi: list[int]) -> float:
        """The bead's own slice of the signals, each side embedded as the aligner embeds it: up
        to EMBED_WINDOW consecutive sentences as one text, longer sides as the sum of sentences."""
        from workbench.align.fuse import BeadScorer
        from workbench.align.signals import EMBED_FLOOR, EMBED_WINDOW, DenseSignal, Signal

        def windows(side: str, ids: list[int]) -> dict:
            english = self._english[side]
            if len(ids) <= EMBED_WINDOW and ids == list(range(ids[0], ids[0] + len(ids))):
                return {len(ids): self._embedder.embed([" ".join(english[i] for i in ids)]).astype(float)}
            return {1: self._embedder.embed([english[i] for i in ids]).astype(float)}

        s = self._signals
        sub = replace(s, vectors=[Signal(v.name, v.src[zh], v.tgt[vi], v.weight, v.always_present)
                                  for v in s.vectors],
                      src_len=s.src_len[zh], tgt_len=s.tgt_len[vi],
                      dense=[DenseSignal("embed", windows("zh", zh), windows("vi", vi), self._embed_weight,
                                         EMBED_FLOOR)])
        return BeadScorer(sub, 1, 1).score(list(range(len(zh))), list(range(len(vi))))
