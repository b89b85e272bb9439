"""Monotonic alignment of texts that translate each other, wholly or in part.

Search (linear in the length, the Vecalign/Bertalign idea):
1. coarse-to-fine band: sentences are grouped into blocks (block size chosen so the
   block-by-block matrix stays under `max_cells`), the best monotonic chain of
   matching blocks is found, then refined with blocks `refine` times smaller inside
   a band around it, down to blocks of a few sentences;
2. a dynamic programme in a band of +-`half_width` target sentences around that
   path, over 0-1, 1-0 and the `types` of beads (every a-b with a + b <= 7 and both
   at most 6), each bead scored on its concatenated text. Bead scores are computed
   for `chunk_rows` source rows at a time, so memory grows with the length times
   the band width, never with the square of the length.

The model (one for translations, partial translations and deletions): a two-sided
bead gains its fused score minus `margin` x the length-weighted mean of its
sentences' best 1-1 scores in the band (hubness), minus `extra` per sentence beyond
1-1, plus the log-likelihood ratios of its length ratio (`length_evidence`, see
`calibrate`) and of the punctuation its sides share or do not (`punct_evidence`, see
`punctuation`), both turned into gain with the document's gain per nat; a one-sided
bead ([i]:[] or []:[j]) gains the document's null, set from the document's own score
distribution (`deletion`; stricter, from `calibrate.Calibration`'s gap, where the document
leaves almost nothing out: `_calibrated_null`). A first pass
with the prior null finds the links the calibration is measured on; the next passes
align with the calibrated null, the document's own length ratio and what a shared
punctuation mark is worth on it, the last one also
with a word-translation signal learned from the previous pass's links when it shows
evidence on this document (`lexicon`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy import sparse

from workbench.align.calibrate import Calibration, calibrate, length_llr
from workbench.align.deletion import unrelated_null
from workbench.align.fuse import BeadScorer
from workbench.align.punctuation import Marks, calibrate_marks, document_marks
from workbench.align.signals import DenseSignal, Signal, Signals

Bead = tuple[list[int], list[int], float]


@dataclass(frozen=True)
class ParallelParams:
    """Hyper-parameters of the parallel aligner (chosen on the dev sets, see README)."""

    types: tuple[tuple[int, int], ...] = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1), (2, 2), (1, 4), (4, 1),
                                         (2, 3), (3, 2), (1, 5), (5, 1), (3, 3), (2, 4), (4, 2),
                                         (1, 6), (6, 1), (2, 5), (5, 2), (3, 4), (4, 3))
    extra: float = 0.03       # cost per sentence beyond a 1-1 bead (prefers simple beads on ties)
    prior_null: float = -0.1  # gain of a one-sided bead in the first pass (before calibration)
    null_percentile: float = 10.0  # calibrated null: half this percentile of the unrelated pairs' gains,
    parallel_below: float = 0.04  # or, where a pass left less than this share of the text alone
                                  # (and the document has at least two sentences' worth of it),
    null_share: float = 0.4   # -null_share x the link/non-link gain gap if lower (`_calibrated_null`)
    punct_evidence: float = 1.5  # weight of the punctuation log-likelihood ratio (`punctuation`)
    length_evidence: float = 0.5  # weight of the length log-likelihood ratio (in content units)
    margin: float = 0.5       # weight of the neighbourhood mean subtracted from a bead's score (hubness)
    margin_k: int = 3
    margin_power: float = 1.5  # a sentence weighs length ** margin_power in the margin's mean (0: plain mean)
    rounds: int = 2           # calibrate-and-realign rounds after the first pass (0: none)
    lexicon: bool = True      # the last round adds a word-translation signal learned from the links
    half_width: int = 10      # band half-width in target sentences around the coarse path
    max_cells: int = 1_000_000  # size limit of the coarsest block matrix
    refine: int = 8           # each finer level's blocks are this many times smaller
    sketch_dim: int = 1024
    chunk_rows: int = 1024    # source rows whose bead scores are held at once


def align_parallel(signals: Signals, params: ParallelParams | None = None,
                   info: dict | None = None) -> list[Bead]:
    """Monotonic beads covering every sentence of both sides, in reading order.

    `info`, when given, receives what the calibration measured (null, length ratio...).
    """
    params = params or ParallelParams()
    n, m = len(signals.src_len), len(signals.tgt_len)
    if n == 0 or m == 0:
        return [([i], [], 0.0) for i in range(n)] + [([], [j], 0.0) for j in range(m)]
    lo, width = band(signals, params)
    banded = _Banded(signals, params, lo, width)
    beads = best_path(banded.row, params.prior_null, lo, width, n, m, banded.types)
    if info is not None:
        info.update({"null": params.prior_null, "len_ratio": float(signals.len_ratio), "calibrated": False})
    marks = (document_marks(signals.texts[0], signals.texts[1])
             if params.punct_evidence and signals.texts is not None else None)
    for r in range(params.rounds):
        if params.lexicon and r == params.rounds - 1:
            signals, banded = _with_lexicon(signals, banded, beads, params, lo, width, info)
        cal = calibrate(signals, beads, banded.one_gain(), lo)
        if cal is None:
            break
        if marks is not None:
            marks = calibrate_marks(marks, [(s[0], t[0]) for s, t, _ in beads if len(s) == 1 and len(t) == 1])
        banded = _Banded(replace(signals, len_ratio=cal.len_ratio), params, lo, width, cal, marks)
        null, rule = _calibrated_null(banded, beads, first=r == 0)
        beads = best_path(banded.row, null, lo, width, n, m, banded.types)
        if info is not None:
            info.update(cal.describe(), null=round(null, 4), null_rule=rule, calibrated=True)
            if marks is not None:
                info["punct"] = {"matched": round(marks.matched, 3), "unmatched": round(marks.unmatched, 3)}
    return beads


def _calibrated_null(banded: "_Banded", beads: list[Bead], first: bool) -> tuple[float, str]:
    """The gain of a one-sided bead on this document, and which rule set it.

    The percentile of the unrelated pairs' gains (`deletion`) is the null of a document that
    leaves text out. A document whose last pass under that null left less than
    `parallel_below` of its text alone (sentence lengths, the source's in target units, as
    a short aside left alone says little about the document) reads as a whole translation:
    there a sentence stands alone only when linking it loses `null_share` of the
    link/non-link gap, the stricter null, so a weakly evidenced sentence joins its
    neighbours' bead instead of being dropped. The first calibrated round always uses the
    percentile, so the share is measured under it. A document too short for that share to
    span two sentences keeps the percentile: there one sentence alone or not decides, and
    a whole translation with one aside alone cannot be told from a document that leaves
    text out (news of a dozen sentences a side).
    """
    params, sig = banded.params, banded.signals
    by_gap = -params.null_share * banded.cal.gap
    if params.null_percentile <= 0:
        return by_gap, "gap"
    null = unrelated_null(banded.one_full(), banded.lo, beads, params.null_percentile)
    ls = np.asarray(sig.src_len, float) * sig.len_ratio
    lt = np.asarray(sig.tgt_len, float)
    alone = sum(ls[s].sum() + lt[t].sum() for s, t, _ in beads if not s or not t)
    readable = (len(ls) + len(lt)) * params.parallel_below >= 2
    if not first and readable and alone < params.parallel_below * (ls.sum() + lt.sum()) and by_gap < null:
        return by_gap, "gap"
    return null, "percentile"


def _with_lexicon(signals: Signals, banded: "_Banded", beads: list[Bead], params: ParallelParams,
                  lo: np.ndarray, width: int, info: dict | None) -> tuple[Signals, "_Banded"]:
    """The signals plus the word-translation signal learned from the 1-1 links of `beads`
    (`workbench.align.lexicon`), and the band's gains under them; unchanged when the signal
    cannot be learned or shows no evidence on this document."""
    from workbench.align.lexicon import lexical_signal, weigh

    if signals.texts is None:
        return signals, banded
    src, tgt, src_lang, tgt_lang = signals.texts
    links = [(s[0], t[0]) for s, t, _ in beads if len(s) == 1 and len(t) == 1]
    lex = lexical_signal(src, tgt, src_lang, tgt_lang, links)
    if lex is None:
        return signals, banded
    alone = _Banded(replace(signals, vectors=[lex], dense=[], len_weight=0.0),
                    replace(params, margin=0.0), lo, width)
    is_link = np.zeros(banded.one.shape, dtype=bool)
    for i, j in links:
        k = j + 1 - lo[i + 1]
        if 0 <= k < width:
            is_link[i + 1, k] = True
    # The others' weight in the fused mean (anchors count only where present).
    total = (sum(v.weight for v in signals.vectors if v.always_present) + sum(d.weight for d in signals.dense)
             or sum(v.weight for v in signals.vectors))
    finite = lambda a: np.where(np.isfinite(a), a, np.nan).astype(np.float64)
    weight, evidence = weigh(finite(alone.one), finite(banded.one), is_link, total)
    if info is not None:
        info["lexicon"] = {"weight": round(float(weight), 4), "t": round(float(evidence), 2)}
    if weight <= 0:
        return signals, banded
    lex.weight = weight
    now = banded.signals  # with the calibrated length ratio of the last round
    return (replace(signals, vectors=signals.vectors + [lex]),
            _Banded(replace(now, vectors=now.vectors + [lex]), params, lo, width, banded.cal, banded.marks))


# ---- the band ---------------------------------------------------------------------------------

def _block_sum(mat: sparse.csr_matrix, k: int) -> sparse.csr_matrix:
    n = mat.shape[0]
    nb = max(1, math.ceil(n / k))
    agg = sparse.csr_matrix((np.ones(n), (np.arange(n) // k, np.arange(n))), shape=(nb, n))
    return sparse.csr_matrix(agg @ mat)


def _sketch(mat: sparse.csr_matrix, dim: int, seed: int = 0) -> np.ndarray:
    """Count sketch: a random signed hashing of the features to `dim` dense columns."""
    rng = np.random.default_rng(seed)
    f = mat.shape[1]
    proj = sparse.csr_matrix((rng.choice([-1.0, 1.0], f), (np.arange(f), rng.integers(0, dim, f))), shape=(f, dim))
    return (mat @ proj).toarray()


def _unit(rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)


def _row_norms(mat: sparse.csr_matrix) -> np.ndarray:
    return np.sqrt(np.asarray(mat.multiply(mat).sum(axis=1)).ravel())


def block_similarity(signals: Signals, k: int, blo: np.ndarray, bwidth: int, params: ParallelParams) -> np.ndarray:
    """Weighted mean of per-signal cosines between blocks of k sentences, for block row r
    against block columns blo[r] .. blo[r] + bwidth - 1 (a full matrix when the band is)."""
    from workbench.align.fuse import band_dots

    nb = math.ceil(len(signals.src_len) / k)
    mb = math.ceil(len(signals.tgt_len) / k)
    total = np.zeros((nb, bwidth))
    weight = 0.0
    for sig in signals.vectors:
        xs, ys = _block_sum(sig.src, k), _block_sum(sig.tgt, k)
        if bwidth >= mb and nb * mb > 250_000:  # the whole matrix, too big for exact cosines
            sim = _unit(_sketch(xs, params.sketch_dim)) @ _unit(_sketch(ys, params.sketch_dim)).T
        else:
            g = band_dots(xs, ys, blo, bwidth)
            cols = np.clip(blo[:, None] + np.arange(bwidth)[None, :], 0, mb - 1)
            den = _row_norms(xs)[:, None] * _row_norms(ys)[cols]
            sim = g / np.where(den > 0, den, 1.0)
        total += sig.weight * sim
        weight += sig.weight
    return total / weight if weight else total


def _top_band_mean(sim: np.ndarray, blo: np.ndarray, mb: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Mean of the k best values of each band row and of each (absolute) column."""
    nb, bw = sim.shape
    cols = blo[:, None] + np.arange(bw)[None, :]
    ok = cols < mb
    rows = np.broadcast_to(np.arange(nb)[:, None], sim.shape)
    return _top_mean(rows[ok], sim[ok], nb, k), _top_mean(cols[ok], sim[ok], mb, k)


def block_path(sim: np.ndarray, blo: np.ndarray, mb: int) -> list[tuple[int, int]]:
    """Best monotonic 1-1 chain of band cells, each worth its margin over its row and column."""
    nb, bw = sim.shape
    row_ref, col_ref = _top_band_mean(sim, blo, mb, 4)
    cols = np.clip(blo[:, None] + np.arange(bw)[None, :], 0, mb - 1)
    gain = sim - (row_ref[:, None] + col_ref[cols]) / 2
    gain = np.where(gain > 0, gain, 0.0) + 1e-9 * (gain > 0)
    gain[blo[:, None] + np.arange(bw)[None, :] >= mb] = -np.inf
    # As a bead DP: DP row i ends block i - 1; a band cell k of row i is block column lo + k - 1.
    lo = np.concatenate([[0], np.minimum(blo, mb)])
    width = bw + 1
    cell = np.full((nb + 1, width), -np.inf)
    cell[1:, 1:] = gain
    beads = best_path(lambda i: ([cell[i]], [cell[i]]), 0.0, lo, width, nb, mb, [(1, 1)])
    return [(s[0], t[0]) for s, t, _ in beads if s and t]


def band(signals: Signals, params: ParallelParams) -> tuple[np.ndarray, int]:
    """Window start `lo[i]` for every DP row i in 0..n, and the window width."""
    n, m = len(signals.src_len), len(signals.tgt_len)
    k = max(1, math.ceil(math.sqrt(n * m / params.max_cells)))
    path: list[tuple[int, int]] = []
    if signals.vectors:
        nb, mb = math.ceil(n / k), math.ceil(m / k)
        full = np.zeros(nb, np.int64)
        path = block_path(block_similarity(signals, k, full, mb, params), full, mb)
        while k > 2:  # refine inside a band around the path, with smaller blocks
            finer = max(1, math.ceil(k / params.refine))
            blo, bwidth = _block_band(path, k, finer, n, m, params.half_width)
            path = block_path(block_similarity(signals, finer, blo, bwidth, params), blo, math.ceil(m / finer))
            k = finer
    xs, ys = _path_points(path, k, n, m)
    centre = np.interp(np.arange(n + 1), xs, ys)
    return _window(centre, params.half_width + 2 * (k - 1), m + 1)


def _path_points(path: list[tuple[int, int]], k: int, n: int, m: int) -> tuple[list[float], list[float]]:
    """Sentence coordinates of a path of k-sentence blocks, from (0, 0) to (n, m), increasing."""
    xs, ys = [0.0], [0.0]
    for bi, bj in path:
        x, y = min(n, bi * k + k / 2), min(m, bj * k + k / 2)
        if x > xs[-1] and y > ys[-1] and x < n and y < m:
            xs.append(x)
            ys.append(y)
    return xs + [float(n)], ys + [float(m)]


def _window(centre: np.ndarray, half: int, cols: int) -> tuple[np.ndarray, int]:
    """Window starts around `centre` (one per row) over `cols` columns, and the width: the
    first window starts at column 0, the last ends at the last column, and each overlaps the
    one before (widened where the centre jumps, so a path always exists)."""
    width = min(cols, 2 * half + 1)
    while True:
        lo = np.clip(np.rint(centre).astype(np.int64) - width // 2, 0, cols - width)
        lo[0], lo[-1] = 0, cols - width
        lo = np.maximum.accumulate(lo)
        step = int(np.diff(lo).max()) if len(lo) > 1 else 0
        if step <= width - 1 or width == cols:
            return lo, width
        width = min(cols, step + width)


def _block_band(path: list[tuple[int, int]], k: int, unit: int, n: int, m: int, half_width: int
                ) -> tuple[np.ndarray, int]:
    """Band of block columns (blocks of `unit` sentences) around a path of k-sentence blocks:
    the first block column of each block row's window, and the window width."""
    xs, ys = _path_points(path, k, n, m)
    rows = math.ceil(n / unit)
    centre = np.interp((np.arange(rows) + 0.5) * unit, xs, ys) / unit - 0.5
    return _window(centre, math.ceil((half_width + 2 * (k - 1)) / unit), math.ceil(m / unit))


# ---- bead gains, a chunk of rows at a time ---------------------------------------------------

def _slice_signals(signals: Signals, s0: int, s1: int, t0: int, t1: int) -> Signals:
    """The signals of source sentences s0..s1-1 and target sentences t0..t1-1 (idf kept)."""
    def dense(d: DenseSignal) -> DenseSignal:
        cut = lambda w, a, b: {size: rows[a:max(a, b - size + 1)] for size, rows in w.items()}
        return replace(d, src=cut(d.src, s0, s1), tgt=cut(d.tgt, t0, t1))

    return replace(signals,
                   vectors=[Signal(v.name, v.src[s0:s1], v.tgt[t0:t1], v.weight, v.always_present)
                            for v in signals.vectors],
                   src_len=signals.src_len[s0:s1], tgt_len=signals.tgt_len[t0:t1],
                   dense=[dense(d) for d in signals.dense])


class _Banded:
    """Gains and scores of every bead type at the band cells of the DP rows, computed
    `chunk_rows` rows at a time."""

    def __init__(self, signals: Signals, params: ParallelParams, lo: np.ndarray, width: int,
                 cal: Calibration | None = None, marks: Marks | None = None):
        self.signals, self.params, self.lo, self.width, self.cal = signals, params, lo, width, cal
        self.types = list(params.types)
        self.n, self.m = len(signals.src_len), len(signals.tgt_len)
        self._chunk: tuple[int, int, list[np.ndarray], list[np.ndarray]] | None = None
        self._src_c = np.concatenate([[0.0], np.cumsum(signals.src_len)])
        self._tgt_c = np.concatenate([[0.0], np.cumsum(signals.tgt_len)])
        self.one = self._one_to_one()
        self._margin = _Margin(self, self.one) if params.margin else None
        self.marks = marks

    def scores(self, types: list[tuple[int, int]], r0: int, r1: int) -> dict[tuple[int, int], np.ndarray]:
        """Fused scores of beads ending at DP rows r0..r1-1: {type: (r1 - r0, width)}, -inf if invalid."""
        a_max = max(a for a, _ in types)
        b_max = max(b for _, b in types)
        s0 = max(0, r0 - a_max)
        t0 = max(0, int(self.lo[s0]) - b_max)
        t1 = min(self.m, int(self.lo[r1 - 1]) + self.width)
        sub = _slice_signals(self.signals, s0, r1 - 1, t0, t1)
        out = BeadScorer(sub, a_max, b_max).band_scores(types, self.lo[s0:r1] - t0, self.width)
        return {t: sc[r0 - s0:] for t, sc in out.items()}

    def _one_to_one(self) -> np.ndarray:
        """1-1 scores of the whole band, (n + 1, width) float32, -inf where invalid."""
        out = np.full((self.n + 1, self.width), -np.inf, dtype=np.float32)
        step = self.params.chunk_rows
        for r0 in range(1, self.n + 1, step):
            r1 = min(self.n + 1, r0 + step)
            out[r0:r1] = self.scores([(1, 1)], r0, r1)[(1, 1)]
        return out

    def one_gain(self) -> np.ndarray:
        """1-1 gains (scores less the margin) of the whole band, before length evidence."""
        if self._margin is None:
            return self.one
        return self.one - self.params.margin * self._margin.reference((1, 1), 0, self.n + 1)

    def one_full(self) -> np.ndarray:
        """1-1 gains of the whole band as the DP sees them (margin and length evidence in)."""
        g = self.one_gain().astype(np.float64)
        if self.cal is not None and self.params.length_evidence:
            ls, lt = self._span_lengths((1, 1), 0, self.n + 1)
            g = g + self.params.length_evidence * self.cal.length_scale * length_llr(ls, lt, self.cal)
        return g

    def row(self, i: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(gains, scores) of every type, in `self.types` order, of beads ending at DP row i."""
        if self._chunk is None or not self._chunk[0] <= i < self._chunk[1]:
            r0 = max(1, i)
            r1 = min(self.n + 1, r0 + self.params.chunk_rows)
            scores = self.scores(self.types, r0, r1)
            self._chunk = (r0, r1, self._gains(scores, r0, r1), [scores[t] for t in self.types])
        r0, _, gains, scores = self._chunk
        return [g[i - r0] for g in gains], [s[i - r0] for s in scores]

    def _gains(self, scores: dict, r0: int, r1: int) -> list[np.ndarray]:
        p = self.params
        out = []
        for t in self.types:
            g = scores[t] - p.extra * (t[0] + t[1] - 2)
            if self._margin is not None:
                g = g - p.margin * self._margin.reference(t, r0, r1)
            if self.cal is not None and p.length_evidence:
                ls, lt = self._span_lengths(t, r0, r1)
                g = g + p.length_evidence * self.cal.length_scale * length_llr(ls, lt, self.cal)
            if self.cal is not None and self.marks is not None:
                g = g + p.punct_evidence * self.cal.length_scale * self._mark_agreement(t, r0, r1)
            out.append(g)
        return out

    def _mark_agreement(self, t: tuple[int, int], r0: int, r1: int) -> np.ndarray:
        """Punctuation evidence (nats) of the beads of type t ending at rows r0..r1-1."""
        return self.marks.agreement(*self._spans(self.marks.src, self.marks.tgt, t, r0, r1))

    def _span_lengths(self, t: tuple[int, int], r0: int, r1: int) -> tuple[np.ndarray, np.ndarray]:
        """Source and target lengths of the beads of type t ending at the cells of rows r0..r1-1."""
        return self._spans(self._src_c, self._tgt_c, t, r0, r1)

    def _spans(self, sc: np.ndarray, tc: np.ndarray, t: tuple[int, int], r0: int, r1: int
               ) -> tuple[np.ndarray, np.ndarray]:
        """Sums over the source and target sentences of the beads of type t ending at the cells
        of rows r0..r1-1, from cumulative sums `sc` and `tc` (rows: sentences before, any
        trailing axes kept)."""
        a, b = t
        i = np.arange(r0, r1)[:, None]
        j = self.lo[r0:r1, None] + np.arange(self.width)[None, :]
        return (sc[np.clip(i, 0, self.n)] - sc[np.clip(i - a, 0, self.n)],
                tc[np.clip(j, 0, self.m)] - tc[np.clip(j - b, 0, self.m)])


class _Margin:
    """Length-weighted mean of a bead's sentences' best 1-1 scores in the band (hubness).

    A sentence that resembles many others (short, formulaic) has a high neighbourhood
    mean, so its links must beat that mean, not just a fixed threshold (Artetxe &
    Schwenk's margin, in its difference form). Each sentence weighs its length to the
    power `margin_power` (source lengths scaled to the target's), so a short fragment
    does not lower or raise the bar of a bead whose text lies elsewhere.
    """

    def __init__(self, banded: _Banded, one: np.ndarray):
        p, s = banded.params, banded.signals
        n, m, width, lo = banded.n, banded.m, banded.width, banded.lo
        self.banded = banded
        i_idx = np.broadcast_to(np.arange(n + 1)[:, None], one.shape)
        j_abs = lo[:, None] + np.arange(width)[None, :]
        ok = np.isfinite(one)
        src_ref = _top_mean(i_idx[ok] - 1, one[ok].astype(np.float64), n, p.margin_k)
        tgt_ref = _top_mean(j_abs[ok] - 1, one[ok].astype(np.float64), m, p.margin_k)
        src_w = (np.asarray(s.src_len * s.len_ratio, float) + 1e-9) ** p.margin_power
        tgt_w = (np.asarray(s.tgt_len, float) + 1e-9) ** p.margin_power
        cum = lambda v: np.concatenate([[0.0], np.cumsum(v)])
        self.src_c, self.tgt_c = cum(src_ref * src_w), cum(tgt_ref * tgt_w)
        self.src_wc, self.tgt_wc = cum(src_w), cum(tgt_w)

    def reference(self, t: tuple[int, int], r0: int, r1: int) -> np.ndarray:
        a, b = t
        bd = self.banded
        i1 = np.broadcast_to(np.arange(r0, r1)[:, None], (r1 - r0, bd.width))
        j1 = bd.lo[r0:r1, None] + np.arange(bd.width)[None, :]
        i0, j0 = np.clip(i1 - a, 0, bd.n), np.clip(j1 - b, 0, bd.m)
        i1, j1 = np.clip(i0 + a, 0, bd.n), np.clip(j0 + b, 0, bd.m)
        ref = self.src_c[i1] - self.src_c[i0] + self.tgt_c[j1] - self.tgt_c[j0]
        weight = self.src_wc[i1] - self.src_wc[i0] + self.tgt_wc[j1] - self.tgt_wc[j0]
        return ref / np.maximum(weight, 1e-12)


def _top_mean(keys: np.ndarray, values: np.ndarray, size: int, k: int) -> np.ndarray:
    """Mean of the k largest values per key (keys in 0..size-1); 0 where a key has none."""
    keep_in = (keys >= 0) & (keys < size)
    keys, values = keys[keep_in], values[keep_in]
    order = np.lexsort((-values, keys))
    keys, values = keys[order], values[order]
    first = np.searchsorted(keys, np.arange(size))
    rank = np.arange(len(keys)) - first[keys]
    keep = rank < k
    total = np.bincount(keys[keep], weights=values[keep], minlength=size)
    count = np.bincount(keys[keep], minlength=size)
    return total / np.maximum(count, 1)


# ---- the dynamic programme -----------------------------------------------------------------

def best_path(row_gains, null: float, lo: np.ndarray, width: int, n: int, m: int,
              types: list[tuple[int, int]]) -> list[Bead]:
    """The monotonic bead sequence of largest total gain; a one-sided bead gains `null`.

    `row_gains(i)` gives (gains, scores): for each of `types` in order, the gains of the
    beads ending at DP cells (i, lo[i] + k), k < width (-inf where there is no such bead),
    and the scores those beads are reported with.
    """
    moves = [(1, 0)] + list(types)  # (0, 1) is handled inside each row
    a_max = max(a for a, _ in moves)
    neg = -np.inf
    # Only the last a_max rows of totals are needed; back pointers and gains for all.
    d = np.full((a_max + 1, width), neg)
    back = np.full((n + 1, width), -1, dtype=np.int8)
    chosen = np.zeros((n + 1, width), dtype=np.float32)
    ks = np.arange(width)
    left = len(moves)  # back-pointer code of a (0, 1) bead
    d[0] = (lo[0] + ks) * null  # lo[0] == 0: the row is reached by (0, 1) beads only
    back[0, 1:] = left
    for i in range(1, n + 1):
        best = np.full(width, neg)
        arg = np.full(width, -1, dtype=np.int8)
        val = np.zeros(width)
        gains, scores = row_gains(i)
        for code, (a, b) in enumerate(moves):
            if a > i:
                continue
            shift = int(lo[i] - b - lo[i - a])
            prev = np.full(width, neg)
            k0, k1 = max(0, -shift), min(width, width - shift)
            if k0 >= k1:
                continue
            prev[k0:k1] = d[(i - a) % (a_max + 1), k0 + shift:k1 + shift]
            g = null if code == 0 else gains[code - 1]
            cand = prev + g
            better = cand > best
            best[better] = cand[better]
            arg[better] = code
            if code:
                val[better] = scores[code - 1][better]
        # (0, 1) beads move right inside the row: d[k] = max_k' (best[k'] + (k - k') * null)
        run = np.maximum.accumulate(best - ks * null) + ks * null
        from_left = run > best + 1e-9  # a tolerance: the shift and unshift above round
        arg[from_left] = left
        d[i % (a_max + 1)] = np.where(from_left, run, best)
        back[i] = arg
        chosen[i] = val
    return _backtrack(back, chosen, lo, moves, left, n, m, null)


def _backtrack(back, chosen, lo, moves, left, n, m, null) -> list[Bead]:
    """Beads from the back pointers, with the scores chosen (0 for one-sided beads)."""
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        code = int(back[i, j - lo[i]])
        if code == left:
            beads.append(([], [j - 1], 0.0))
            j -= 1
            continue
        if code < 0:
            raise RuntimeError(f"alignment band lost the path at ({i}, {j})")
        a, b = moves[code]
        score = float(chosen[i, j - lo[i]]) if b else 0.0
        beads.append((list(range(i - a, i)), list(range(j - b, j)), score))
        i, j = i - a, j - b
    return beads[::-1]
