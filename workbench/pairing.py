"""Which Chinese report and which Vietnamese report tell the same event.

No translation model is needed. Each report becomes a bag of evidence that
survives translation, each item weighted by its rarity in the folder
(smoothed IDF over every report of both languages):

- Sino-Vietnamese reading bigrams (`workbench.crosslingual.hanviet`): 内在动力 and "động lực
  nội tại" share "noi tai" and "dong luc"; Vietnamese names written in Han
  characters (潘文迈 = Phan Văn Mãi) match this way too;
- numbers ≥ 10 and percentages (`workbench.crosslingual.anchors`), read in each language's
  own notation (588万 = 5,88 triệu);
- Latin-script names and acronyms, which count only beside other evidence.

**Similarity.** The weighted Dice overlap of two reports' evidence, times a
time factor: P(same time | time evidence) / P(same time | none), so 1 when
either report says nothing about time. Shared text dates, months and years,
and page dates (`Document.meta["date"]`) within `PAGE_DATE_WINDOW` days of each
other or of the other report's text dates raise it; dates that both reports
give but do not share, years likewise, and page dates further apart lower it:
another year's edition of a recurring event stays apart.

**Calibration.** Raw similarities do not compare across reports (a long report
overlaps everything more; some topics share more vocabulary), so the score is a
ratio margin, as in bitext mining (Artetxe & Schwenk 2019): the candidate's
similarity over its reports' background, the mean similarity of each report's
`MARGIN_K` best candidates, taking the higher of the two backgrounds (a pair
must stand out for both reports). The background counts every candidate without
the evidence against it, so dates that rule one candidate out do not make the
others stand out. A report with fewer than `MARGIN_K` candidates is filled up
with what unrelated reports of the folder reach (the median of the candidates
that are no report's best, at least `BACKGROUND`). The score shown is
`1 - 1/margin`, the share of the similarity above the background; a threshold
on it means the same with dates and without.

**Names.** A pair's shared Latin names count only when the rest of its evidence
already stands out of the background (margin without names ≥ 1): two different
stories about one person do not pair on that person's name.

**Blocking.** Only plausible candidates are scored in full: each report's
`CANDIDATES` best by shared rare evidence (keys held by at most `RARE_DF`
reports: bigrams, numbers, names, text dates and page-date windows), and every
pair that alone shares an anchor. Time and memory grow with the size of the
input, not with zh × vi.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from scipy import sparse

from workbench.crosslingual.anchors import anchor_sort_key, extract_anchors
from workbench.reports.document import Document
from workbench.errors import WorkbenchError
from workbench.crosslingual.hanviet import bigram_space, matched_names, vi_bigram_keys, zh_bigram_keys

THRESHOLD = 0.1            # 1 - 1/margin: the pair beats both backgrounds by 1/0.9 = 11 %
MARGIN_K = 4               # candidates in each report's background (Artetxe & Schwenk's k)
BACKGROUND = 0.02          # similarity of unrelated reports, fills a background short of K
CANDIDATES = 10            # candidates per report scored in full
RARE_DF = 100              # evidence in more reports than this does not propose candidates
SMALL_NUMBER = 10          # 1–9 turn up everywhere (lần 2, quận 1, 第二次): ignored
PAGE_DATE_WINDOW = 3       # days between page dates (or a page date and a text date) of one event
# Chance that sharing one anchor of this kind means the same time; time starts from TIME_PRIOR.
TIME_PRIOR = 0.5
TIME_STRENGTH = {"date": 0.8, "month": 0.5, "year": 0.3}
DATES_DIFFER = 0.3         # both give dates (or page dates), none shared
YEARS_DIFFER = 0.5         # both give years, none shared
SHOWN = 12                 # evidence items of one kind listed in a reason
_CHUNK = 4096              # pairs (or rows) per sparse product, bounding memory


@dataclass(frozen=True)
class Pair:
    """A zh report and a vi report judged to tell the same event."""

    zh: Document
    vi: Document
    score: float
    reason: str


@dataclass
class PairingResult:
    pairs: list[Pair]                   # best first
    unpaired: list[Document]
    skipped: list[WorkbenchError] = field(default_factory=list)  # reports that could not be loaded
    ignored: list[tuple[Path, str]] = field(default_factory=list)  # files that are not reports, and why


# --- evidence of one report ---------------------------------------------------------

@dataclass(frozen=True)
class _Time:
    dates: frozenset[str]      # "24/9"
    months: frozenset[str]     # "9/2024"
    years: frozenset[str]      # "2024"
    page: date | None          # the page's own date (Document.meta["date"])

    @property
    def empty(self) -> bool:
        return not (self.dates or self.months or self.years or self.page)


@dataclass
class _Report:
    doc: Document
    anchors: frozenset[str]    # usable anchor keys of every kind
    time: _Time
    bigrams: np.ndarray        # zh: (adjacent pairs, combinations); vi: candidate bigram keys
    others: np.ndarray         # vi: bigrams that match readings only without tones
    content: list[int] = field(default_factory=list)   # ids of numbers and percentages
    names: frozenset[int] = frozenset()                 # ids of Latin names
    when: list[int] = field(default_factory=list)       # ids of date keys (blocking only)


def _usable(key: str) -> bool:
    kind, _, value = key.partition(":")
    return not (kind == "num" and float(value) < SMALL_NUMBER)


def _page_date(doc: Document) -> date | None:
    try:
        return date.fromisoformat(str(doc.meta.get("date", ""))[:10])
    except ValueError:
        return None


def _report(doc: Document) -> _Report:
    anchors = frozenset(k for k in extract_anchors(doc.text, doc.lang) if _usable(k))
    by_kind: dict[str, set[str]] = {}
    for k in anchors:
        kind, _, value = k.partition(":")
        by_kind.setdefault(kind, set()).add(value)
    time = _Time(frozenset(by_kind.get("date", ())), frozenset(by_kind.get("month", ())),
                 frozenset(by_kind.get("year", ())), _page_date(doc))
    if doc.lang == "zh":
        return _Report(doc, anchors, time, zh_bigram_keys(doc.text), np.empty(0, np.int64))
    cand, others = vi_bigram_keys(doc.text)
    return _Report(doc, anchors, time, cand, others)


def _window_keys(t: _Time) -> set[str]:
    """Date keys a report's time may meet another's on: its text dates, and every day
    within PAGE_DATE_WINDOW of its page date."""
    keys = {"date:" + d for d in t.dates}
    if t.page:
        for delta in range(-PAGE_DATE_WINDOW, PAGE_DATE_WINDOW + 1):
            day = t.page + timedelta(days=delta)
            keys.add(f"date:{day.day}/{day.month}")
    return keys


# --- time -------------------------------------------------------------------------------

def _nearest_day(day_month: str, around: date) -> date | None:
    """The date with this day/month closest to `around` (a text date carries no year)."""
    d, _, m = day_month.partition("/")
    best = None
    for year in (around.year - 1, around.year, around.year + 1):
        try:
            candidate = date(year, int(m), int(d))
        except ValueError:
            continue
        if best is None or abs((candidate - around).days) < abs((best - around).days):
            best = candidate
    return best


def _page_meets_text(page: date, text: _Time) -> str | None:
    for dm in _in_order("date", text.dates):
        day = _nearest_day(dm, page)
        if day and abs((day - page).days) <= PAGE_DATE_WINDOW:
            return dm
    return None


def _in_order(kind: str, values) -> list[str]:
    return sorted(values, key=lambda value: anchor_sort_key(f"{kind}:{value}"))


def _time_factor(z: _Time, v: _Time, labels: bool = False
                 ) -> tuple[float, list[tuple[str, str]], list[str]]:
    """(factor, shared time evidence as (kind, label), notes on disagreement); the labels
    and notes only when `labels` (scoring needs the factor alone).

    The factor is P(same time | evidence) / P(same time | nothing known): 1 without any
    time evidence, above 1 for shared dates, below 1 for dates that disagree.
    """
    shared: list[tuple[str, str]] = []
    notes: list[str] = []
    penalty = 1.0
    if z.page and v.page:
        if abs((z.page - v.page).days) <= PAGE_DATE_WINDOW:
            pages = sorted({z.page.isoformat(), v.page.isoformat()})
            shared.append(("date", ("page date " if len(pages) == 1 else "page dates ")
                           + ", ".join(pages)))
        else:
            penalty *= DATES_DIFFER * (YEARS_DIFFER if z.page.year != v.page.year else 1.0)
            notes.append(f"page dates differ ({z.page.isoformat()} vs {v.page.isoformat()})")
    else:
        for page, other in ((z.page, v), (v.page, z)):
            met = _page_meets_text(page, other) if page else None
            if met:
                shared.append(("date", f"page date {page.isoformat()} = {met}"))
    for kind, zk, vk in (("date", z.dates, v.dates), ("month", z.months, v.months),
                         ("year", z.years, v.years)):
        both = zk & vk
        shared.extend((kind, value) for value in (_in_order(kind, both) if labels else both))
        if kind != "month" and zk and vk and not both:
            penalty *= DATES_DIFFER if kind == "date" else YEARS_DIFFER
            if labels:
                notes.append(f"{kind}s differ ({', '.join(_in_order(kind, zk))} vs "
                             f"{', '.join(_in_order(kind, vk))})")
    miss = 1.0 - TIME_PRIOR
    for kind, _ in shared:
        miss *= 1.0 - TIME_STRENGTH[kind]
    return (1.0 - miss) / TIME_PRIOR * penalty, shared, notes


# --- the collection ------------------------------------------------------------------

class _Collection:
    """Every report's evidence as sparse rows over one key space, weighted by rarity."""

    def __init__(self, reports: list[_Report]):
        zh = [r for r in reports if r.doc.lang == "zh"]
        vi = [r for r in reports if r.doc.lang == "vi"]
        self.zh, self.vi = zh, vi
        base = bigram_space()
        vocab: dict[str, int] = {}

        def ids(keys) -> list[int]:
            return [vocab.setdefault(k, base + len(vocab)) for k in sorted(keys)]

        for r in reports:
            r.content = ids(k for k in r.anchors if k.startswith(("num:", "pct:")))
            r.names = frozenset(ids(k for k in r.anchors if k.startswith("name:")))
            r.when = ids(_window_keys(r.time) | {"month:" + m for m in r.time.months})
        size = base + len(vocab)
        keys = [self._keys(r) for r in zh], [self._keys(r) for r in vi]
        df_zh, df_vi = (np.bincount(np.concatenate(k or [np.empty(0, np.int64)]), minlength=size)
                        for k in keys)
        df = df_zh + df_vi
        self.weight = 1.0 + np.log((len(reports) + 1) / (df + 1.0))
        w = self.weight
        self.mass_zh = np.array([_group_max(w, r.bigrams) + w[r.content].sum()
                                 + w[list(r.names)].sum() for r in zh])
        self.mass_vi = np.array([w[r.bigrams].sum() + w[r.content].sum()
                                 + w[list(r.names)].sum() for r in vi])
        self.zh_rows = _rows([np.concatenate([_flat(r.bigrams), r.content]) for r in zh], w, size)
        self.vi_all = _rows([np.concatenate([r.bigrams, r.others, r.content]) for r in vi], None, size)
        self.vi_other = _rows([r.others for r in vi], None, size)
        rare = df <= RARE_DF
        self.zh_block = _rows([k[rare[k]] for k in keys[0]], w, size)
        self.vi_block = _rows([k[rare[k]] for k in keys[1]], None, size)
        # An anchor (number, name, date) that one zh and one vi report alone share
        # proposes that pair whatever else the two reports hold.
        unique = (df_zh == 1) & (df_vi == 1)
        unique[:base] = False
        self.unique_pairs = _owners_pairs([k[unique[k]] for k in keys[0]],
                                          [k[unique[k]] for k in keys[1]])

    @staticmethod
    def _keys(r: _Report) -> np.ndarray:
        """Every key of a report once: bigrams, numbers, names and date keys."""
        bigrams = _flat(r.bigrams) if r.doc.lang == "zh" else np.concatenate([r.bigrams, r.others])
        extra = np.array(sorted(set(r.content) | r.names | set(r.when)), dtype=np.int64)
        return np.unique(np.concatenate([bigrams, extra]))


def _owners_pairs(zh_keys: list[np.ndarray], vi_keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(zh index, vi index) of the reports holding each key; every key has one owner a side."""
    def owners(keys: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        rows = np.repeat(np.arange(len(keys)), [len(k) for k in keys])
        flat = np.concatenate(keys) if keys else np.empty(0, np.int64)
        order = np.argsort(flat, kind="stable")
        return flat[order], rows[order]

    zk, zr = owners(zh_keys)
    vk, vr = owners(vi_keys)
    return zr, vr[np.searchsorted(vk, zk)] if len(zk) else np.empty(0, np.int64)


def _flat(groups: np.ndarray) -> np.ndarray:
    """Distinct valid keys of a zh report's (pairs, combinations) array."""
    return np.unique(groups[groups >= 0]) if groups.ndim == 2 else groups


def _group_max(weight: np.ndarray, groups: np.ndarray) -> float:
    """Sum over adjacent character pairs of their best-weighted reading combination."""
    if groups.size == 0:
        return 0.0
    w = np.where(groups >= 0, weight[np.maximum(groups, 0)], 0.0)
    return float(w.max(axis=1).sum())


def _rows(keys: list[np.ndarray], weight: np.ndarray | None, size: int) -> sparse.csr_matrix:
    """CSR matrix with one row per report: `weight` of each key, or 1."""
    keys = [np.unique(np.asarray(k, dtype=np.int64)) for k in keys]
    indptr = np.concatenate([[0], np.cumsum([len(k) for k in keys])])
    cols = np.concatenate(keys) if keys else np.empty(0, np.int64)
    data = weight[cols] if weight is not None else np.ones(len(cols))
    return sparse.csr_matrix((data, cols, indptr), shape=(len(keys), size))


# --- candidates and scores ------------------------------------------------------------

def _top_per_group(groups: np.ndarray, values: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k largest values of each group (ties: first index first)."""
    order = np.lexsort((np.arange(len(values)), -values, groups))
    g = groups[order]
    rank = np.arange(len(g)) - np.searchsorted(g, g, side="left")
    return order[rank < k]


def _candidates(c: _Collection) -> tuple[np.ndarray, np.ndarray]:
    """(zh index, vi index) of every pair among the CANDIDATES best of either report by
    shared rare evidence; pairs that share none are never candidates."""
    vi_t = c.vi_block.T.tocsr()
    best_i = np.empty(0, np.int64)
    best_j = np.empty(0, np.int64)
    best_v = np.empty(0)
    rows_i, rows_j = [], []
    for start in range(0, c.zh_block.shape[0], _CHUNK):
        block = (c.zh_block[start:start + _CHUNK] @ vi_t).tocoo()
        i = block.row.astype(np.int64) + start
        j = block.col.astype(np.int64)
        v = block.data
        keep = _top_per_group(i, v, CANDIDATES)
        rows_i.append(i[keep])
        rows_j.append(j[keep])
        # Running top CANDIDATES of every vi report over the chunks seen so far.
        best_i, best_j, best_v = (np.concatenate([best_i, i]), np.concatenate([best_j, j]),
                                  np.concatenate([best_v, v]))
        keep = _top_per_group(best_j, best_v, CANDIDATES)
        best_i, best_j, best_v = best_i[keep], best_j[keep], best_v[keep]
    i = np.concatenate(rows_i + [best_i, c.unique_pairs[0]])
    j = np.concatenate(rows_j + [best_j, c.unique_pairs[1]])
    pairs = np.unique(i * max(1, len(c.vi)) + j)
    return pairs // max(1, len(c.vi)), pairs % max(1, len(c.vi))


def _rowwise_dot(a: sparse.csr_matrix, b: sparse.csr_matrix, i: np.ndarray,
                 j: np.ndarray) -> np.ndarray:
    """a[i[n]] · b[j[n]] for every n, in chunks."""
    out = np.zeros(len(i))
    for start in range(0, len(i), _CHUNK):
        sl = slice(start, start + _CHUNK)
        out[sl] = np.asarray(a[i[sl]].multiply(b[j[sl]]).sum(axis=1)).ravel()
    return out


def _background(groups: np.ndarray, values: np.ndarray, n: int, fill: float) -> np.ndarray:
    """Mean of each report's MARGIN_K best candidate scores, `fill` for missing ones."""
    keep = _top_per_group(groups, values, MARGIN_K)
    total = np.bincount(groups[keep], weights=values[keep], minlength=n)
    count = np.bincount(groups[keep], minlength=n)
    return (total + (MARGIN_K - count) * fill) / MARGIN_K


def _unrelated_level(i: np.ndarray, j: np.ndarray, values: np.ndarray) -> float:
    """What unrelated reports of this folder reach: the median of the candidates that are
    no report's best, never below BACKGROUND (and BACKGROUND when every candidate is)."""
    rest = np.ones(len(values), dtype=bool)
    rest[_top_per_group(i, values, 1)] = False
    rest[_top_per_group(j, values, 1)] = False
    return max(BACKGROUND, float(np.median(values[rest]))) if rest.any() else BACKGROUND


def _margin(i: np.ndarray, j: np.ndarray, own: np.ndarray, bar: np.ndarray,
            nz: int, nv: int) -> np.ndarray:
    """Each candidate's own similarity over the higher of both reports' backgrounds,
    which take every candidate at its best (`bar`: all evidence for it, none against)."""
    fill = _unrelated_level(i, j, bar)
    bg = np.maximum(_background(i, bar, nz, fill)[i], _background(j, bar, nv, fill)[j])
    return np.divide(own, bg, out=np.zeros_like(own), where=bg > 0)


@dataclass
class _Scored:
    i: np.ndarray              # zh report of each candidate
    j: np.ndarray              # vi report of each candidate
    margin: np.ndarray
    content: np.ndarray        # weighted Dice of bigrams, numbers and counted names
    names_counted: np.ndarray  # bool


def _score_candidates(c: _Collection) -> _Scored:
    i, j = _candidates(c)
    matched = _rowwise_dot(c.zh_rows, c.vi_all, i, j)
    extra = _rowwise_dot(c.zh_rows, c.vi_other, i, j)
    total = c.mass_zh[i] + c.mass_vi[j] + extra
    names = np.array([c.weight[list(c.zh[a].names & c.vi[b].names)].sum()
                      for a, b in zip(i.tolist(), j.tolist())])
    factor = np.array([1.0 if c.zh[a].time.empty or c.vi[b].time.empty
                       else _time_factor(c.zh[a].time, c.vi[b].time)[0]
                       for a, b in zip(i.tolist(), j.tolist())])
    with np.errstate(divide="ignore", invalid="ignore"):
        without_names = np.where(total > 0, 2 * matched / total, 0.0)
        with_names = np.where(total > 0, 2 * (matched + names) / total, 0.0)
    nz, nv = len(c.zh), len(c.vi)
    # The background takes every candidate without the evidence against it: dates that
    # disagree lower that candidate, not the bar the others must clear. Names count only
    # where the rest of the evidence already stands out of the background.
    lift = np.maximum(factor, 1.0)
    counted = _margin(i, j, without_names * factor, without_names * lift, nz, nv) >= 1.0
    content = np.where(counted, with_names, without_names)
    return _Scored(i, j, _margin(i, j, content * factor, content * lift, nz, nv), content, counted)


# --- reasons ---------------------------------------------------------------------------

_LABEL = {"date": "dates", "month": "months", "year": "years", "pct": "percentages",
          "num": "numbers", "name": "names"}


def _shown(key: str, text: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "name":
        m = re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", text, re.IGNORECASE)
        return m.group(0) if m else value
    return value + ("%" if kind == "pct" else "")


def _reason(z: _Report, v: _Report, content: float, counted: bool, margin: float) -> str:
    _, time_items, notes = _time_factor(z.time, v.time, labels=True)
    # label -> items, each (anchor key to show as the zh text writes it, or None; text)
    found: dict[str, list[tuple[str | None, str]]] = {}
    for kind, label in time_items:
        group = "dates" if label.startswith("page date") else _LABEL[kind]
        found.setdefault(group, []).append((None, label))
    for key in sorted(z.anchors & v.anchors, key=anchor_sort_key):
        kind = key.partition(":")[0]
        if kind in ("pct", "num") or (kind == "name" and counted):
            found.setdefault(_LABEL[kind], []).append((key, ""))
    found.setdefault("names", []).extend(
        (None, f"{vi_name} ({zh_name})") for vi_name, zh_name in matched_names(z.doc.text, v.doc.text))
    parts = []
    for label, items in found.items():
        if items:
            shown = [_shown(key, z.doc.text) if key else text for key, text in items[:SHOWN]]
            more = f" (+{len(items) - SHOWN} more)" if len(items) > SHOWN else ""
            parts.append(f"{label} {', '.join(shown)}{more}")
    if not counted and any(k.startswith("name:") for k in z.anchors & v.anchors):
        parts.append("shared names not counted (no other evidence)")
    return "; ".join(parts + notes + [f"overlap {content:.2f}", f"margin {margin:.2f}"])


# --- entry points ----------------------------------------------------------------------

def pair_documents(docs: list[Document], threshold: float = THRESHOLD) -> PairingResult:
    """Pair zh and vi reports: candidates whose calibrated score is at or above
    `threshold`, best first.

    A zh report may pair with several vi reports (and the other way round); a report
    with no partner above the threshold is unpaired. Two reports of one language never pair.
    """
    reports = [_report(d) for d in docs if d.lang in ("zh", "vi")]
    c = _Collection(reports)
    pairs: list[Pair] = []
    if c.zh and c.vi:
        scored = _score_candidates(c)
        score = np.maximum(0.0, 1.0 - 1.0 / np.maximum(scored.margin, 1e-12))
        for n in np.flatnonzero(score >= threshold - 1e-12).tolist():
            z, v = c.zh[scored.i[n]], c.vi[scored.j[n]]
            reason = _reason(z, v, float(scored.content[n]), bool(scored.names_counted[n]),
                             float(scored.margin[n]))
            pairs.append(Pair(z.doc, v.doc, round(float(score[n]), 4), reason))
    pairs.sort(key=lambda p: (-p.score, p.zh.name, p.vi.name))
    in_pair = {id(p.zh) for p in pairs} | {id(p.vi) for p in pairs}
    return PairingResult(pairs, [d for d in docs if id(d) not in in_pair])


def pair_directory(path: str | Path, threshold: float = THRESHOLD) -> PairingResult:
    """Load every report in folder `path` and pair them.

    Reports that cannot be loaded are listed in `skipped`, files that are not reports
    (images, the workbench's own outputs) in `ignored`; a folder that does not exist,
    or holds no loadable zh or no loadable vi report, is an error.
    """
    from workbench.reports.corpus import load_document
    from workbench.reports.listing import list_reports

    folder = Path(path)
    listing = list_reports(folder)
    files = listing.files
    docs: list[Document] = []
    skipped: list[WorkbenchError] = []
    for file in files:
        try:
            docs.append(load_document(file))
        except WorkbenchError as exc:
            skipped.append(exc)
    langs = {d.lang for d in docs}
    missing = [name for code, name in (("zh", "Chinese"), ("vi", "Vietnamese")) if code not in langs]
    if missing:
        found = f"{len(docs)} report(s) loaded"
        passed = [Path(e.path or "?").name for e in skipped] + [file.name for file, _ in listing.skipped]
        if passed:
            found += "; skipped " + ", ".join(passed)
        raise WorkbenchError(f"no {' and no '.join(missing)} report to pair ({found})", folder)
    result = pair_documents(docs, threshold)
    result.skipped = skipped
    result.ignored = listing.skipped
    return result
