"""What one pair of documents says about its own alignment: the scale of its scores, its
length ratio and how tightly its links keep to it.

Signals differ in strength from document to document (MT English and sentence
embeddings separate links from the rest far better than Sino-Vietnamese cognates on
news translated from English), so one constant null gain cannot be right for all.
The parallel aligner's first pass gives links; against the other cells of the band,
those links set:

- `gap`: mean 1-1 gain of the links minus the mean gain of the band's other cells.
  In a document that leaves almost nothing out a one-sided bead gains `-null_share * gap`
  (`parallel._calibrated_null`): a sentence is left alone when the best place for it
  gains less than that share of what a typical link gains over a typical non-link.
- `len_ratio`, `len_sd`: median and robust spread of log(target length / source length)
  over the links (a translation's length ratio differs by language pair, genre and
  translator; the documents' total ratio is biased by whatever one side leaves out).
- `len_sd_random`: the same spread over all sentence pairs.
- `length_scale`: the pooled variance of link and non-link gains over `gap`, the gain
  that one nat of evidence is worth in this document (for two Gaussian classes of equal
  variance, the log-likelihood ratio of a gain g is gap / var * g + const). The length
  evidence of a bead, a log-likelihood ratio in nats (`length_llr`), is converted with
  it: where the content signals separate links well (small variance for the gap) length
  counts little, where they barely do (cognates on translated news) it counts much.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

MIN_LINKS = 3          # fewer links than this in the first pass: no calibration
MIN_LEN_SD = 0.05      # floor of the links' log length ratio spread
LLR_FLOOR = -5.0       # a bead's length evidence is bounded below (nats)
RANDOM_PAIRS = 100_000  # sentence pairs sampled for the spread of unrelated lengths


@dataclass(frozen=True)
class Calibration:
    len_ratio: float      # target length per source length on the links (median)
    len_sd: float         # robust sd of the links' log length ratio
    len_sd_random: float  # robust sd of all sentence pairs' log length ratio
    gap: float            # mean link gain minus mean non-link gain (1-1, in the band)
    length_scale: float   # gain per nat of evidence
    links: int            # links measured

    def describe(self) -> dict:
        return {"len_ratio": round(self.len_ratio, 3), "len_sd": round(self.len_sd, 3),
                "gap": round(self.gap, 4), "length_scale": round(self.length_scale, 4), "links": self.links}


def _robust_sd(x: np.ndarray, centre: float) -> float:
    return float(1.4826 * np.median(np.abs(x - centre)))


def calibrate(signals, beads: Sequence[tuple[list[int], list[int], float]], one_gain: np.ndarray,
              lo: np.ndarray) -> Calibration | None:
    """Calibration from a first alignment pass; None when it found too few links to measure."""
    src_len, tgt_len = np.asarray(signals.src_len, float), np.asarray(signals.tgt_len, float)
    links = [(s, t) for s, t, _ in beads if s and t]
    ls = np.array([src_len[s].sum() for s, _ in links])
    lt = np.array([tgt_len[t].sum() for _, t in links])
    keep = (ls > 0) & (lt > 0)
    if keep.sum() < MIN_LINKS:
        return None
    x = np.log(lt[keep] / ls[keep])
    mu = float(np.median(x))
    sd = max(MIN_LEN_SD, _robust_sd(x, mu))
    rng = np.random.default_rng(0)
    n, m = len(src_len), len(tgt_len)
    size = min(RANDOM_PAIRS, n * m)
    rs, rt = src_len[rng.integers(0, n, size)], tgt_len[rng.integers(0, m, size)]
    ok = (rs > 0) & (rt > 0)
    sd_random = max(1.5 * sd, _robust_sd(np.log(rt[ok] / rs[ok]), mu)) if ok.any() else 3 * sd

    width = one_gain.shape[1]
    in_bead = np.zeros(one_gain.shape, dtype=bool)
    pos = []
    for s, t in links:
        for i in s:
            k = np.asarray(t) + 1 - lo[i + 1]
            in_bead[i + 1, k[(k >= 0) & (k < width)]] = True
        if len(s) == 1 and len(t) == 1:
            k = t[0] + 1 - lo[s[0] + 1]
            if 0 <= k < width:
                pos.append(float(one_gain[s[0] + 1, k]))
    pos = np.array([p for p in pos if np.isfinite(p)])
    neg = one_gain[np.isfinite(one_gain) & ~in_bead].astype(np.float64)
    if len(pos) < MIN_LINKS or len(neg) < MIN_LINKS:
        return None
    gap = float(pos.mean() - neg.mean())
    if gap <= 0:
        return None
    var = (pos.var() * len(pos) + neg.var() * len(neg)) / (len(pos) + len(neg))
    return Calibration(float(np.exp(mu)), sd, float(sd_random), gap, float(var / gap), len(links))


def length_llr(src_len: np.ndarray, tgt_len: np.ndarray, cal: Calibration) -> np.ndarray:
    """Log-likelihood ratio (nats) of a bead's length ratio: under the links' log-normal
    against under unrelated pairs', bounded below by LLR_FLOOR."""
    x = np.log(np.maximum(tgt_len, 1.0) / np.maximum(src_len * cal.len_ratio, 1.0))
    sm, sr = cal.len_sd, cal.len_sd_random
    llr = -0.5 * (x / sm) ** 2 + 0.5 * (x / sr) ** 2 + np.log(sr / sm)
    return np.maximum(llr, LLR_FLOOR)
