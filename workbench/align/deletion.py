"""A bound on the gain of a one-sided bead from this document's unrelated sentence pairs.

The calibrated null (`-null_share x gap`, `calibrate`) scales with how far links stand
above the rest. Where the signals are weak (cognates on spoken, literary or informal text)
the gap is small, the null near 0, and sentences whose partner is there but weakly
evidenced are left alone. The bound is Vecalign's deletion penalty, a percentile of the
document's own costs: a sentence is left alone only when linking it would gain less than
the `pct` percentile of the gains of pairs that are not linked (the band's 1-1 cells
outside the previous pass's beads, with the margin and length evidence the DP uses). Two
one-sided beads stand for one link, so the bound is half that percentile. Strong signals
(MT English, embeddings) give a large gap and a null below the bound, which then does
nothing.
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
