"""A word-translation signal learned from the document itself (the second pass of Hunalign
and Bleualign, with IBM Model 1's association).

The model-free signals see only what the two languages share by their history or their
script (Sino-Vietnamese cognates, numbers, names) and length; a native Vietnamese word or
any other non-cognate vocabulary carries no evidence. Yet a document that repeats its
words teaches their translations: the parallel aligner's first pass gives links, and a
few EM iterations of IBM Model 1 (with a null word) over them estimate t(target unit |
source unit). Units are Han characters for Chinese and words (cut to five letters) for
other languages.

A source sentence then becomes the sum of its units' translation distributions, a
vector over the target vocabulary, which is compared with the target sentence's own
words by the same tf-idf cosine as every other bag-like signal (so a bead is scored on
its concatenated text).

Three guards keep the signal honest:
- cross-fitting: the links are split in two by the parity of their source sentence, and
  the sentences of each half are projected with the model learned on the other half, so
  a first-pass link never scores itself (the signal cannot merely repeat the first pass);
  only target units found in both halves' links are modelled, so neither half's model
  pulls sentences towards the other half's own words;
- evidence: the cross-fitted signal is used only when, on the band, the first-pass links
  beat the other cells of their rows by EVIDENCE_T standard errors (a t test). On short
  news documents (a few dozen sentences) it does not: its held-out links beat their
  neighbours about as often as chance, so zh/vi news is left to the cognates;
- weight: Fisher's linear discriminant for two classes (links, other cells of the band)
  weighs each signal of a mean by its gap between the classes over their variance; the
  learned signal's weight against the other signals' total is its Fisher score over that
  of their fused score.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np
from scipy import sparse

from workbench.align.signals import IDF_POWER, Signal, word_bag
from workbench.textfacts import HAN

EM_ITERATIONS = 5
MIN_UNIT_COUNT = 2  # a source unit seen in fewer training links has no estimate worth keeping
KEEP = 5            # translations kept per source unit (the largest t(e|f))
MIN_PROB = 0.05     # and only those at least this likely
MAX_LINKS = 4000    # training links per half (a long document has evidence to spare)
MIN_LINKS = 4       # per fold
EVIDENCE_T = 2.0    # the links must beat their rows' other cells by two standard errors


def units(text: str, lang: str) -> list[str]:
    """The units of a sentence: Han characters for Chinese, else words cut to five letters."""
    if lang in ("zh", "ja"):
        return HAN.findall(text)
    return word_bag(text)


def _bags(texts: Sequence[str], lang: str, vocab: dict[str, int]) -> sparse.csr_matrix:
    """Count rows over `vocab` (grown as new units come)."""
    rows, cols = [], []
    for r, t in enumerate(texts):
        for u in units(t, lang):
            rows.append(r)
            cols.append(vocab.setdefault(u, len(vocab)))
    return sparse.csr_matrix((np.ones(len(rows), np.float64), (rows, cols)), shape=(len(texts), max(1, len(vocab))))


def ibm1(src: sparse.csr_matrix, tgt: sparse.csr_matrix, iterations: int = EM_ITERATIONS) -> sparse.csr_matrix:
    """t(e | f) by IBM Model 1 with a null word over aligned rows of `src` and `tgt`
    (unit counts): a sparse (source units x target units) matrix, pruned to the KEEP
    likeliest translations of each source unit seen MIN_UNIT_COUNT times or more."""
    n_f, n_e = src.shape[1], tgt.shape[1]
    null = n_f
    # One entry per (link, source unit incl. null, target unit of the link).
    pf, pe, pg, pfc, pec = [], [], [], [], []
    group = 0
    for k in range(src.shape[0]):
        fs = np.append(src.indices[src.indptr[k]:src.indptr[k + 1]], null)
        fc = np.append(src.data[src.indptr[k]:src.indptr[k + 1]], 1.0)
        es = tgt.indices[tgt.indptr[k]:tgt.indptr[k + 1]]
        ec = tgt.data[tgt.indptr[k]:tgt.indptr[k + 1]]
        if len(es) == 0 or len(fs) == 1:
            continue
        pf.append(np.repeat(fs, len(es)))
        pfc.append(np.repeat(fc, len(es)))
        pe.append(np.tile(es, len(fs)))
        pec.append(np.tile(ec, len(fs)))
        pg.append(np.tile(np.arange(group, group + len(es)), len(fs)))
        group += len(es)
    if not pf:
        return sparse.csr_matrix((n_f, n_e))
    f, e, g, fc, ec = (np.concatenate(x) for x in (pf, pe, pg, pfc, pec))
    pairs, pid = np.unique(f.astype(np.int64) * n_e + e, return_inverse=True)
    pair_f = pairs // n_e
    # Start from co-occurrence counts normalised per source unit.
    t = np.bincount(pid, weights=fc * ec, minlength=len(pairs))
    t /= np.bincount(pair_f, weights=t, minlength=n_f + 1)[pair_f]
    for _ in range(iterations):
        # Each target occurrence is explained by one source token of its link (or null).
        p = t[pid] * fc
        z = np.bincount(g, weights=p, minlength=group)
        c = np.bincount(pid, weights=p / np.maximum(z[g], 1e-300) * ec, minlength=len(pairs))
        t = c / np.maximum(np.bincount(pair_f, weights=c, minlength=n_f + 1)[pair_f], 1e-300)
    seen = np.asarray(src.sum(axis=0)).ravel()
    keep = (pair_f < n_f) & (t >= MIN_PROB)
    keep &= seen[np.minimum(pair_f, n_f - 1)] >= MIN_UNIT_COUNT
    pf_k, pe_k, t_k = pair_f[keep], pairs[keep] % n_e, t[keep]
    # The KEEP largest per source unit.
    order = np.lexsort((-t_k, pf_k))
    pf_k, pe_k, t_k = pf_k[order], pe_k[order], t_k[order]
    first = np.searchsorted(pf_k, np.arange(n_f))
    rank = np.arange(len(pf_k)) - first[pf_k]
    top = rank < KEEP
    return sparse.csr_matrix((t_k[top], (pf_k[top], pe_k[top])), shape=(n_f, n_e))


def lexical_signal(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str,
                   links: Sequence[tuple[int, int]], folds: int = 2) -> Signal | None:
    """The learned signal (weight 1, to be set by the caller) from 1-1 links (source,
    target), cross-fitted over `folds` folds of source positions (1: none, the model scores
    its own training links); None when a fold has fewer than MIN_LINKS links."""
    links = sorted(links)
    k = max(1, folds)
    if min(sum(1 for i, _ in links if i % k == h) for h in range(k)) < MIN_LINKS:
        return None
    s_bags, t_bags = _bags(src, src_lang, {}), _bags(tgt, tgt_lang, {})
    fold_of = np.arange(len(src)) % k
    # Only target units found in the links of two folds or more are modelled, so that every
    # fold's model has seen them: a unit seen in one fold alone would be learned as a
    # translation by the other models and pull that fold's targets towards their sources.
    link_fold = np.array([fold_of[i] for i, _ in links])
    link_t = t_bags[[j for _, j in links]]
    in_folds = np.zeros(t_bags.shape[1])
    for h in range(k):
        in_folds += np.asarray(link_t[link_fold == h].sum(axis=0)).ravel() > 0
    t_bags = sparse.csr_matrix(t_bags @ sparse.diags((in_folds >= min(2, k)).astype(np.float64)))
    t_bags.eliminate_zeros()
    rows = np.arange(len(src))
    parts = []
    for h in range(k):
        train = [link for link, f in zip(links, link_fold) if f != h or k == 1]
        if len(train) > MAX_LINKS:  # evenly spread
            train = [train[q] for q in np.linspace(0, len(train) - 1, MAX_LINKS).astype(int)]
        table = ibm1(s_bags[[i for i, _ in train]], t_bags[[j for _, j in train]])
        held = rows[fold_of == h]
        parts.append((held, s_bags[held] @ table))
    order = np.concatenate([r for r, _ in parts])
    inv = np.empty_like(order)
    inv[order] = np.arange(len(order))
    proj = sparse.vstack([p for _, p in parts], format="csr")[inv]
    # tf-idf over the target vocabulary, as the other signals.
    df = np.bincount(t_bags.indices, minlength=t_bags.shape[1]) + np.bincount(proj.indices, minlength=t_bags.shape[1])
    idf = (np.log((1 + len(src) + len(tgt)) / (1 + df)) + 1.0) ** IDF_POWER
    proj = sparse.csr_matrix(proj.multiply(idf[None, :]), dtype=np.float32)
    tgt_vec = sparse.csr_matrix(t_bags.multiply(idf[None, :]), dtype=np.float32)
    return Signal("lexicon", proj, tgt_vec, 1.0, False)


def weigh(lex_scores: np.ndarray, base_scores: np.ndarray, is_link: np.ndarray, total: float
          ) -> tuple[float, float]:
    """(weight of the learned signal, t statistic of its evidence) from the 1-1 scores of the
    band's cells under it and under the other signals (NaN: no such cell), `is_link` marking
    the first pass's links, `total` the other signals' weight in the mean."""
    evidence = held_out_evidence(lex_scores, is_link)
    if evidence < EVIDENCE_T:
        return 0.0, evidence
    if total <= 0:  # the only content signal: its weight in a mean of one does not matter
        return 1.0, evidence
    ok = np.isfinite(lex_scores) & np.isfinite(base_scores)
    base = fisher_score(base_scores[ok], is_link[ok])
    if base <= 0:
        return 0.0, evidence
    return total * fisher_score(lex_scores[ok], is_link[ok]) / base, evidence


def fisher_score(values: np.ndarray, is_link: np.ndarray) -> float:
    """Gap between links and other cells over their pooled variance (0 when no gap)."""
    pos, neg = values[is_link], values[~is_link]
    if len(pos) < 2 or len(neg) < 2:
        return 0.0
    gap = float(pos.mean() - neg.mean())
    var = (pos.var() * len(pos) + neg.var() * len(neg)) / (len(pos) + len(neg))
    return max(0.0, gap) / max(var, 1e-9)


def held_out_evidence(scores: np.ndarray, is_link: np.ndarray) -> float:
    """t statistic of the links' lead over the other cells of their band rows: per link row,
    the link's score minus the mean of the row's other cells (NaN: no cell), then the mean
    lead over its standard error. The cross-fitted signal has demonstrated evidence only
    when this is well above 0."""
    rows = np.flatnonzero(is_link.any(axis=1))
    if len(rows) < 3:
        return 0.0
    sub, mask = scores[rows], is_link[rows]
    link = np.nansum(np.where(mask, sub, np.nan), axis=1)
    others = np.where(mask, np.nan, sub)
    with np.errstate(invalid="ignore"):
        lead = link - np.nanmean(others, axis=1)
    lead = lead[np.isfinite(lead)]
    if len(lead) < 3:
        return 0.0
    sd = lead.std(ddof=1)
    return float(lead.mean() / (sd / np.sqrt(len(lead)))) if sd > 0 else 0.0
