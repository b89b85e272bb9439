"""Choosing between the parallel and the comparable aligner from the documents."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import bdtrc  # not scipy.stats: its import alone costs 44 MB

from workbench.align.fuse import BeadScorer
from workbench.align.signals import CHARS_PER_EN, Signals

SAMPLE_ROWS = 300      # source sentences looked at on long documents
BAND = 0.1             # the diagonal band, as a share of the document
MIN_DIAGONAL_SHARE = 0.5
ORDER_LEVEL = 0.01     # significance level of the diagonal's excess over chance


CELLS = 2_000_000       # score cells computed at once (memory stays bounded on long documents)


@dataclass
class _Sample:
    """Best matches of a sample of source sentences against every target sentence."""

    rows: np.ndarray      # sampled source sentences
    best: np.ndarray      # each one's best target
    score: np.ndarray     # and its score
    col_best: np.ndarray  # for every target, the index (into rows) of its best sampled source


def _sample(signals: Signals) -> _Sample:
    n, m = len(signals.src_len), len(signals.tgt_len)
    rows = np.unique(np.linspace(0, n - 1, min(n, SAMPLE_ROWS)).astype(int))
    scorer = BeadScorer(signals, 1, 1)
    best, score = np.zeros(len(rows), np.int64), np.zeros(len(rows))
    col_val, col_best = np.full(m, -np.inf), np.zeros(m, np.int64)
    step = max(1, CELLS // max(1, m))
    for k0 in range(0, len(rows), step):
        sim = scorer.pair_matrix(rows[k0:k0 + step])
        best[k0:k0 + step], score[k0:k0 + step] = sim.argmax(axis=1), sim.max(axis=1)
        top, arg = sim.max(axis=0), sim.argmax(axis=0) + k0
        better = top > col_val
        col_val[better], col_best[better] = top[better], arg[better]
    return _Sample(rows, best, score, col_best)


def _diagonal_share(signals: Signals, sample: _Sample) -> tuple[float, float]:
    """Share of sampled source sentences whose best target lies near the diagonal, and the
    probability of at least that share by chance (binomial, each best match anywhere).

    In a translation the best match of sentence i sits near position i * m / n;
    in two reports of the same event most best matches are elsewhere or weak. With weak
    signals (cognates on spoken or informal text) well under half of a translation's best
    matches are near the diagonal, yet several times more than chance puts there.
    """
    n, m = len(signals.src_len), len(signals.tgt_len)
    expected = (sample.rows + 0.5) * m / n
    half = max(2.0, BAND * m)
    near = np.abs(sample.best + 0.5 - expected) <= half
    cols = np.arange(m) + 0.5
    chance = float(np.mean([(np.abs(cols - e) <= half).mean() for e in expected]))
    k = int(near.sum())
    return float(near.mean()), float(bdtrc(k - 1, len(near), chance)) if k else 1.0


def _anchor_order(signals: Signals) -> tuple[float, int]:
    """Spearman correlation of the positions of anchors found once on each side."""
    for sig in signals.vectors:
        if sig.name != "anchor":
            continue
        src, tgt = sig.src.tocsc(), sig.tgt.tocsc()
        pos = []
        for f in range(src.shape[1]):
            s_rows = src.indices[src.indptr[f]:src.indptr[f + 1]]
            t_rows = tgt.indices[tgt.indptr[f]:tgt.indptr[f + 1]]
            if len(s_rows) == 1 and len(t_rows) == 1:
                pos.append((s_rows[0], t_rows[0]))
        if len(pos) >= 4:
            a = np.argsort(np.argsort([p[0] for p in pos]))
            b = np.argsort(np.argsort([p[1] for p in pos]))
            return float(np.corrcoef(a, b)[0, 1]), len(pos)
        return float("nan"), len(pos)
    return float("nan"), 0


MIN_MATCHED = 5  # mutual best matches needed to measure the documents' own length ratio


def expected_length_ratio(signals: Signals, src_lang: str, tgt_lang: str,
                          sample: _Sample | None = None) -> tuple[float, str]:
    """Target characters per source character in a translation of these documents, and where
    the figure comes from: the median over sentences that are each other's best match (the
    documents' own, when there are MIN_MATCHED of them), else the language pair's prior."""
    prior = CHARS_PER_EN.get(tgt_lang, 1.0) / CHARS_PER_EN.get(src_lang, 1.0)
    if not signals.vectors or len(signals.src_len) == 0 or len(signals.tgt_len) == 0:
        return prior, "prior"
    sample = sample or _sample(signals)
    mutual = sample.col_best[sample.best] == np.arange(len(sample.rows))
    ls, lt = signals.src_len[sample.rows[mutual]], signals.tgt_len[sample.best[mutual]]
    ok = (ls > 0) & (lt > 0) & (sample.score[mutual] > 0)
    if ok.sum() < MIN_MATCHED:
        return prior, "prior"
    return float(np.median(lt[ok] / ls[ok])), f"{int(ok.sum())} matched sentences"


def choose_mode(signals: Signals, src_lang: str = "", tgt_lang: str = "") -> tuple[str, str, bool]:
    """("parallel" | "comparable", a one-line reason naming the evidence, whether the sizes
    agree: a comparable verdict with agreeing sizes rests on order evidence only, which
    `confirm_comparable` then checks against both modes' alignments)."""
    n, m = len(signals.src_len), len(signals.tgt_len)
    if n == 0 or m == 0:
        return "comparable", "one side has no sentences", False
    count_ratio = max(n, m) / min(n, m)
    sample = _sample(signals) if signals.vectors else None
    expected, source = expected_length_ratio(signals, src_lang, tgt_lang, sample)
    length_ratio = float(signals.tgt_len.sum() / max(1.0, signals.src_len.sum()) / expected)
    share, p_order = _diagonal_share(signals, sample) if sample is not None else (0.0, 1.0)
    order, n_anchors = _anchor_order(signals)
    facts = (f"sentences {n}:{m}, length ratio {length_ratio:.2f} of the expected "
             f"({expected:.2f} from {source}), {share:.0%} of best matches on the diagonal "
             f"(chance p={p_order:.2g})")
    if n_anchors >= 4:
        facts += f", anchor order correlation {order:.2f} over {n_anchors} anchors"
    lengths_agree = count_ratio <= 2.0 and 0.5 <= length_ratio <= 2.0
    ordered = (share >= MIN_DIAGONAL_SHARE or p_order < ORDER_LEVEL
               or (n_anchors >= 8 and order >= 0.9 and share >= 0.3))
    if lengths_agree and ordered:
        return "parallel", "parallel: " + facts, True
    return "comparable", "comparable: " + facts, lengths_agree


def off_path_links(parallel: list, comparable: list) -> tuple[int, int]:
    """(comparable links sharing no sentence pair with any parallel bead, comparable links).

    The comparable miner's links are its confident matches, found in any order; when the
    monotone path holds every one of them, nothing in the documents contradicts reading
    them as a translation, and the parallel alignment adds the links the miner's
    thresholds left out. A confident match off the path is evidence of reordering."""
    pairs = {(i, j) for s, t, _ in parallel for i in s for j in t}
    links = [(s, t) for s, t, _ in comparable if s and t]
    off = sum(not any((i, j) in pairs for i in s for j in t) for s, t in links)
    return off, len(links)
