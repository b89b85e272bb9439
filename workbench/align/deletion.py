"""The gain of a one-sided bead from this document's unrelated sentence pairs.

Vecalign's deletion penalty, a percentile of the document's own costs: a sentence is left
alone only when linking it would gain less than the `pct` percentile of the gains of pairs
that are not linked (the band's 1-1 cells outside the previous pass's beads, with the
margin and length evidence the DP uses). Two one-sided beads stand for one link, so the
null is half that percentile. It is the null of every document that leaves sentences
out; one that leaves almost nothing out gets the stricter gap null
(`parallel._calibrated_null`), because there a weakly evidenced sentence belongs to its
neighbours' bead far more often than it stands alone.
"""

from __future__ import annotations

import numpy as np

Bead = tuple[list[int], list[int], float]


def unrelated_null(gains: np.ndarray, lo: np.ndarray, beads: list[Bead], pct: float) -> float:
    """Half the `pct` percentile of the band's 1-1 gains (DP rows x band cells, -inf outside)
    off the beads; 0 when there are none (then the other null applies)."""
    width = gains.shape[1]
    in_bead = np.zeros(gains.shape, dtype=bool)
    for src, tgt, _ in beads:
        for i in src:
            k = np.asarray(tgt, dtype=np.int64) + 1 - lo[i + 1]
            in_bead[i + 1, k[(k >= 0) & (k < width)]] = True
    unrelated = gains[np.isfinite(gains) & ~in_bead]
    return float(np.percentile(unrelated, pct)) / 2 if len(unrelated) else 0.0
