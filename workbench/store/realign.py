"""Aligning a pair again without losing what a reviewer did (as InterText does).

A bead a person touched (confirmed, rejected, re-cut, edited, noted, term-fixed:
`Bead.touched`) is kept exactly; only the untouched stretches between such beads
are aligned again, with the kept beads as fixed points. When a report changed
since the file was written, each kept bead is carried over by the text of its
sentences (same sentences, same order, found in the new report); a bead whose
sentences are not all found cannot be kept and is listed.

    kept, lost = carry_over(previous, header)
    beads = fill(header, kept, align, mode)
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
from collections import defaultdict, deque
from collections.abc import Callable, Sequence
from typing import Any

from workbench.display import printable
from workbench.store.aligned import AlignedFile, Bead, join_sentences, make_bead

SIDES = ("zh", "vi")
# align(zh ids, vi ids, mode) -> beads over those ids: (zh ids, vi ids, score)
Align = Callable[[list[int], list[int], str], Sequence[tuple[list[int], list[int], float]]]


def sentence_texts(header: dict[str, Any], side: str) -> list[str]:
    sentences = header.get(side, {}).get("sentences")
    return [s.get("text", "") for s in sentences] if isinstance(sentences, list) else []


def map_sentences(old: list[str], new: list[str]) -> dict[int, int]:
    """Old sentence index -> new index of the same text: in order first, then moved ones."""
    if old == new:
        return {i: i for i in range(len(old))}
    mapping: dict[int, int] = {}
    for a, b, size in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_matching_blocks():
        mapping.update({a + k: b + k for k in range(size)})
    taken = set(mapping.values())
    free: dict[str, deque[int]] = defaultdict(deque)
    for j, text in enumerate(new):
        if j not in taken:
            free[text].append(j)
    for i, text in enumerate(old):
        if i not in mapping and free[text]:
            mapping[i] = free[text].popleft()
    return mapping


def describe(bead: Bead) -> str:
    """A touched bead in one line: its ids, what the reviewer did, the start of its text."""
    did = [bead.status] if bead.status != "auto" else []
    if bead.origin != "auto":
        did.append("re-cut")
    if bead.history:
        did.append("English edited")
    if bead.note:
        did.append(f"note {bead.note[:30]!r}")
    text = (bead.zh_text or bead.vi_text)[:24]
    return printable(f"{bead.notation} ({', '.join(did) or 'reviewed'}) “{text}…”")


def carry_over(previous: AlignedFile, header: dict[str, Any]) -> tuple[list[Bead], list[str]]:
    """The touched beads of `previous`, on the sentences of `header`; and those that could not be kept."""
    maps, old_texts, new_texts = {}, {}, {}
    for side in SIDES:
        old_texts[side], new_texts[side] = sentence_texts(previous.header, side), sentence_texts(header, side)
        maps[side] = map_sentences(old_texts[side], new_texts[side])
    kept: list[Bead] = []
    lost: list[str] = []
    used: dict[str, set[int]] = {side: set() for side in SIDES}
    for bead in previous.beads:
        if not bead.touched:
            continue
        ids: dict[str, list[int]] = {}
        why = None
        for side in SIDES:
            old_ids = getattr(bead, side)
            new_ids = [maps[side].get(i) for i in old_ids]
            if any(j is None for j in new_ids):
                why = f"its {side} sentence is no longer in {header[side].get('file', 'the report')}"
                break
            if used[side].intersection(new_ids) or len(set(new_ids)) != len(new_ids):
                why = "its sentences are in another kept bead"
                break
            if new_ids != sorted(new_ids) or (
                    join_sentences(side, [new_texts[side][j] for j in new_ids])
                    != join_sentences(side, [old_texts[side][i] for i in old_ids])):
                why = f"its {side} sentences are no longer in that order"
                break
            ids[side] = new_ids
        if why:
            lost.append(f"{describe(bead)}: {why}")
            continue
        for side in SIDES:
            used[side].update(ids[side])
        same = ids["zh"] == bead.zh and ids["vi"] == bead.vi
        kept.append(bead if same else dataclasses.replace(bead, zh=ids["zh"], vi=ids["vi"]))
    return kept, lost


def _chain(kept: list[Bead]) -> list[Bead]:
    """The two-sided kept beads that can serve as fixed points: the longest chain in order on both sides."""
    two = sorted((b for b in kept if b.zh and b.vi), key=lambda b: (min(b.zh), min(b.vi)))
    # Longest strictly increasing subsequence of vi positions (patience sorting, with back links).
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = [-1] * len(two)
    for k, bead in enumerate(two):
        pos = bisect.bisect_left(tails, min(bead.vi))
        if pos == len(tails):
            tails.append(min(bead.vi))
            tail_at.append(k)
        else:
            tails[pos], tail_at[pos] = min(bead.vi), k
        back[k] = tail_at[pos - 1] if pos else -1
    chain: list[Bead] = []
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        chain.append(two[k])
        k = back[k]
    return chain[::-1]


def gaps(n_zh: int, n_vi: int, kept: list[Bead], mode: str) -> list[tuple[list[int], list[int]]]:
    """The untouched stretches: (zh ids, vi ids) not in a kept bead, cut at the fixed points.

    Comparable reports assume no order, so all free sentences form one stretch there.
    """
    taken = {side: {i for b in kept for i in getattr(b, side)} for side in SIDES}
    free_zh = [i for i in range(n_zh) if i not in taken["zh"]]
    free_vi = [j for j in range(n_vi) if j not in taken["vi"]]
    if mode != "parallel":
        return [(free_zh, free_vi)]
    chain = _chain(kept)
    zh_marks, vi_marks = [min(b.zh) for b in chain], [min(b.vi) for b in chain]
    out: list[tuple[list[int], list[int]]] = [([], []) for _ in range(len(chain) + 1)]
    for i in free_zh:
        out[bisect.bisect_left(zh_marks, i)][0].append(i)
    for j in free_vi:
        out[bisect.bisect_left(vi_marks, j)][1].append(j)
    return out


def reading_order(beads: list[Bead]) -> list[Bead]:
    """Beads in zh order; a vi-only bead right after the bead holding the nearest earlier vi sentence.

    The order `workbench.align` gives comparable alignments, so kept and new beads read as one document.
    """
    linked = sorted((j, min(b.zh)) for b in beads if b.zh and b.vi for j in b.vi)
    vi_at = [j for j, _ in linked]

    def key(bead: Bead) -> tuple[int, int, int]:
        if bead.zh:
            return (min(bead.zh), 0, min(bead.vi) if bead.vi else -1)
        j = min(bead.vi)
        before = bisect.bisect_left(vi_at, j) - 1
        return (linked[before][1] if before >= 0 else -1, 1, j)

    return sorted(beads, key=key)


def fill(header: dict[str, Any], kept: list[Bead], align: Align, mode: str) -> tuple[list[Bead], int]:
    """Kept beads plus fresh beads for every untouched stretch, in reading order; and the fresh count."""
    n_zh, n_vi = len(sentence_texts(header, "zh")), len(sentence_texts(header, "vi"))
    fresh: list[Bead] = []
    for zh_ids, vi_ids in gaps(n_zh, n_vi, kept, mode):
        if zh_ids and vi_ids:
            found = align(zh_ids, vi_ids, mode)
        else:
            found = [([i], [], 0.0) for i in zh_ids] + [([], [j], 0.0) for j in vi_ids]
        fresh.extend(make_bead(header, list(z), list(v), score) for z, v, score in found)
    return reading_order(kept + fresh), len(fresh)
