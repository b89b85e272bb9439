"""Mining the sentences that translate each other in two comparable reports.

No order is assumed. Each candidate pair gets the fused score and its ratio
margin (Artetxe & Schwenk 2019): the score divided by the mean of the k best
scores of its source sentence and of its target sentence. Pairs that are each
other's best match, with a margin and a score above thresholds, are linked; a
link then grows to a 1-2 or 2-1 bead when an adjacent, still unlinked sentence,
whose own best match is the link's other side, raises the score of the merged
bead (scored on the concatenated text). The links are mined twice: the second
time with the length ratio of the first links (the pair's own, not the language
pair's prior). All other sentences stay unaligned.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from workbench.align.calibrate import MIN_LINKS
from workbench.align.fuse import BeadScorer
from workbench.align.signals import Signals

Bead = tuple[list[int], list[int], float]


@dataclass(frozen=True)
class ComparableParams:
    k: int = 4                 # neighbours in the margin's denominator
    min_margin: float = 1.3    # ratio margin a link needs
    min_score: float = 0.15    # fused score a link needs
    merge_gain: float = 0.02   # how much a merge must raise the bead's score


def _top_k(values: np.ndarray, index: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The k largest `values` per row (unsorted) and their `index` entries."""
    if values.shape[1] <= k:
        return values, index
    part = np.argpartition(-values, k - 1, axis=1)[:, :k]
    return np.take_along_axis(values, part, 1), np.take_along_axis(index, part, 1)


def candidate_pairs(scorer: BeadScorer, k: int, cells: int = 2_000_000) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(rows, cols, scores) of every sentence's k best partners, both directions, with the
    row and column references of the ratio margin; computed in chunks of about `cells`
    scores, so memory stays linear in the document length."""
    n, m = scorer.n, scorer.m
    chunk = max(1, cells // max(1, m))
    kr, kc = min(k, m), min(k, n)
    row_val = np.zeros((n, kr))
    row_idx = np.zeros((n, kr), dtype=np.int64)
    col_val = np.full((m, 0), -np.inf)
    col_idx = np.zeros((m, 0), dtype=np.int64)
    for r0 in range(0, n, chunk):
        rows = np.arange(r0, min(n, r0 + chunk))
        sim = scorer.pair_matrix(rows)
        v, i = _top_k(sim, np.broadcast_to(np.arange(m), sim.shape), kr)
        row_val[rows], row_idx[rows] = v, i
        v, i = _top_k(np.concatenate([col_val, sim.T], axis=1),
                      np.concatenate([col_idx, np.broadcast_to(rows, (m, len(rows)))], axis=1), kc)
        col_val, col_idx = v, i
    row_ref = row_val.mean(axis=1)
    col_ref = col_val.mean(axis=1)
    pairs = {}
    for i in range(n):
        for v, j in zip(row_val[i], row_idx[i]):
            pairs[(i, int(j))] = v
    for j in range(m):
        for v, i in zip(col_val[j], col_idx[j]):
            pairs[(int(i), j)] = v
    keys = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    scores = np.array(list(pairs.values()))
    ref = (row_ref[keys[:, 0]] + col_ref[keys[:, 1]]) / 2
    margin = np.where(ref > 0, scores / np.where(ref > 0, ref, 1.0), 0.0)
    return keys, scores, margin


def mine_links(signals: Signals, params: ComparableParams) -> list[Bead]:
    """Aligned beads only (both sides non-empty), in no particular order."""
    scorer = BeadScorer(signals, 2, 2)
    n, m = scorer.n, scorer.m
    if n == 0 or m == 0:
        return []
    keys, sim, margin = candidate_pairs(scorer, params.k)
    # Mutual best by margin: the pair is the best of its source row and of its target column.
    best_of_row: dict[int, int] = {}
    best_of_col: dict[int, int] = {}
    for p in np.argsort(-margin, kind="stable"):
        i, j = int(keys[p, 0]), int(keys[p, 1])
        best_of_row.setdefault(i, p)
        best_of_col.setdefault(j, p)
    links: list[Bead] = []
    used_s: set[int] = set()
    used_t: set[int] = set()
    for i, p in best_of_row.items():
        j = int(keys[p, 1])
        if best_of_col.get(j) != p or margin[p] < params.min_margin or sim[p] < params.min_score:
            continue
        links.append(([i], [j], float(sim[p])))
        used_s.add(i)
        used_t.add(j)
    grown: list[Bead] = []
    for src, tgt, score in sorted(links, key=lambda b: -b[2]):
        src, tgt = list(src), list(tgt)
        # A sentence joins a link only when the link's other side is its own best match:
        # the merged bead's score alone would take in any neighbour that evens the lengths.
        options = []
        for i2 in (src[0] - 1, src[-1] + 1):
            if 0 <= i2 < n and i2 not in used_s and i2 in best_of_row and int(keys[best_of_row[i2], 1]) == tgt[0]:
                options.append((sorted(src + [i2]), tgt))
        for j2 in (tgt[0] - 1, tgt[-1] + 1):
            if 0 <= j2 < m and j2 not in used_t and j2 in best_of_col and int(keys[best_of_col[j2], 0]) == src[0]:
                options.append((src, sorted(tgt + [j2])))
        best = (src, tgt, score)
        for s2, t2 in options:
            merged = scorer.score(s2, t2)
            if merged > best[2] + params.merge_gain:
                best = (s2, t2, merged)
        used_s.update(best[0])
        used_t.update(best[1])
        grown.append(best)
    return grown


def links_length_ratio(signals: Signals, links: list[Bead]) -> float | None:
    """Median target/source length ratio over the links; None with fewer than MIN_LINKS."""
    ls = np.array([signals.src_len[s].sum() for s, _, _ in links])
    lt = np.array([signals.tgt_len[t].sum() for _, t, _ in links])
    ok = (ls > 0) & (lt > 0)
    return float(np.median(lt[ok] / ls[ok])) if ok.sum() >= MIN_LINKS else None


def align_comparable(signals: Signals, params: ComparableParams | None = None,
                     info: dict | None = None) -> list[Bead]:
    """Links plus unaligned singletons, covering every sentence once, in source order.

    A target-only singleton goes right after the bead holding the nearest earlier
    linked target sentence (before everything when there is none).
    """
    params = params or ComparableParams()
    n, m = len(signals.src_len), len(signals.tgt_len)
    links = mine_links(signals, params)
    ratio = links_length_ratio(signals, links)
    if ratio is not None:  # mine again with the pair's own length ratio instead of the prior
        links = mine_links(replace(signals, len_ratio=ratio), params)
    if info is not None:
        info.update(len_ratio=round(ratio if ratio is not None else float(signals.len_ratio), 3),
                    calibrated=ratio is not None)
    linked_s = {i for s, _, _ in links for i in s}
    linked_t = {j: min(s) for s, t, _ in links for j in t}
    keyed: list[tuple[tuple[float, int, int], Bead]] = []
    for bead in links:
        keyed.append(((min(bead[0]), 0, min(bead[1])), bead))
    for i in range(n):
        if i not in linked_s:
            keyed.append(((i, 0, -1), ([i], [], 0.0)))
    for j in range(m):
        if j in linked_t:
            continue
        before = [jj for jj in linked_t if jj < j]
        anchor = linked_t[max(before)] if before else -1
        keyed.append(((anchor, 1, j), ([], [j], 0.0)))
    keyed.sort(key=lambda kb: kb[0])
    return [bead for _, bead in keyed]
