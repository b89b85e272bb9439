"""The gain of a one-sided bead, from the document's own score distribution."""

from __future__ import annotations

import numpy as np

Bead = tuple[list[int], list[int], float]


def document_null(gains: np.ndarray, lo: np.ndarray, beads: list[Bead], how: str) -> float:
    """Null gain from the 1-1 gains of the band (DP rows x band cells) and a previous pass's beads."""
    width = gains.shape[1]
    pos, best_other = [], []
    for s, t, _ in beads:
        if len(s) == 1 and len(t) == 1:
            i = s[0] + 1
            k = t[0] + 1 - lo[i]
            if not 0 <= k < width:
                continue
            row = gains[i].copy()
            pos.append(row[k])
            row[k] = -np.inf
            # the cells of the same bead's neighbours in the row are other candidates too
            fin = row[np.isfinite(row)]
            if len(fin):
                best_other.append(fin.max())
    if how.startswith("nonlink_q") and not beads:
        fin = gains[np.isfinite(gains)]
        return float(np.percentile(fin, float(how[9:]))) / 2 if len(fin) else -0.1
    pos, best_other = np.array(pos), np.array(best_other)
    in_bead = np.zeros(gains.shape, dtype=bool)
    for s_, t_, _ in beads:
        for i in s_:
            k = np.asarray(t_, dtype=np.int64) + 1 - lo[i + 1]
            in_bead[i + 1, k[(k >= 0) & (k < width)]] = True
    neg = gains[np.isfinite(gains) & ~in_bead]
    if len(pos) < 3:
        return -0.1
    if how.startswith("nonlink_q"):
        return float(np.percentile(neg, float(how[9:]))) / 2
    if how == "nonlink_mean":
        return float(neg.mean()) / 2
    if how == "rowbest":
        return float(np.median(best_other)) / 2
    if how == "mid":
        return float((np.median(pos) + np.median(best_other)) / 2) / 2
    if how == "rowbest_mean":
        return float(np.mean(best_other)) / 2
    raise ValueError(how)
