"""Which Chinese report and which Vietnamese report tell the same event.

No translation model is needed. Every zh×vi candidate is scored from evidence
that survives translation:

- shared anchors (`workbench.anchors`): dates (9月24日 = 24-9), years,
  percentages, numbers ≥ 10, Latin-script names and acronyms;
- Vietnamese person names written in Han characters (潘文迈 = Phan Văn Mãi);
- Sino-Vietnamese cognates: the mean of the five best sentence matches
  (`CognateModel`, syllables weighted by rarity over every sentence given).

An event is what happened and when, so the score is the product of two
chances: that the reports speak of the same time, and of the same content.
Each is a noisy-OR, ``1 - Π(1 - p_i)``, of independent evidence items whose
strength `p` reflects how unlikely two unrelated reports are to share them (a
day and month is rarer than a year; a person's name rarer than a number).
Time starts from an even prior when neither report dates itself; reports that
both give dates but none in common, or both give years but none in common,
have it multiplied down: same-topic reports of another year (a dialogue held
every year) or another day share words and names but not dates.
Content starts from the cognate score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.anchors import extract_anchors
from workbench.document import Document
from workbench.errors import WorkbenchError
from workbench.hanviet import CognateModel, matched_names

THRESHOLD = 0.4
TIME_PRIOR = 0.5           # neither report's dates speak for or against
# Chance that sharing one anchor of this kind means the same time / the same story.
TIME_STRENGTH = {"date": 0.8, "month": 0.5, "year": 0.3}
CONTENT_STRENGTH = {"person": 0.4, "name": 0.3, "pct": 0.3, "num": 0.2}
SMALL_NUMBER = 10          # 1–9 turn up everywhere (lần 2, quận 1, 第二次): ignored
DATES_DIFFER = 0.3         # both give dates, none shared
YEARS_DIFFER = 0.5         # both give years, none shared
TOP_SENTENCES = 5


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
    skipped: list[WorkbenchError] = field(default_factory=list)  # files that could not be loaded


def _kind(key: str) -> str:
    return key.split(":", 1)[0]


def _usable(key: str) -> bool:
    kind, _, value = key.partition(":")
    return not (kind == "num" and float(value) < SMALL_NUMBER)


def _shown(key: str, text: str) -> str:
    kind, _, value = key.partition(":")
    if kind == "name":
        m = re.search(rf"(?<![A-Za-z0-9]){re.escape(value)}(?![A-Za-z0-9])", text, re.IGNORECASE)
        return m.group(0) if m else value
    return value + ("%" if kind == "pct" else "")


def _sort_key(value: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[/.]", value)[::-1]) + (value,)


def _cognate_score(model: CognateModel, zh: Document, vi: Document) -> float:
    zs = [s.text for s in zh.sentences]
    vs = [s.text for s in vi.sentences]
    if not zs or not vs:
        return 0.0
    best = sorted(model.matrix(zs, vs).max(axis=1), reverse=True)[:TOP_SENTENCES]
    return float(sum(best) / len(best))


def pair_documents(docs: list[Document], threshold: float = THRESHOLD) -> PairingResult:
    """Score every zh×vi candidate; keep those at or above `threshold`, best first.

    A zh report may pair with several vi reports (and the other way round); a report
    with no partner above the threshold is unpaired. Two reports of one language never pair.
    """
    zh_docs = [d for d in docs if d.lang == "zh"]
    vi_docs = [d for d in docs if d.lang == "vi"]
    anchors = {id(d): {k for k in extract_anchors(d.text, d.lang) if _usable(k)} for d in docs}
    model = CognateModel([s.text for d in zh_docs for s in d.sentences],
                         [s.text for d in vi_docs for s in d.sentences])
    pairs = []
    for z in zh_docs:
        for v in vi_docs:
            pairs.append(_score(z, v, anchors[id(z)], anchors[id(v)], model))
    kept = sorted((p for p in pairs if p.score >= threshold),
                  key=lambda p: (-p.score, p.zh.name, p.vi.name))
    in_pair = {id(p.zh) for p in kept} | {id(p.vi) for p in kept}
    return PairingResult(kept, [d for d in docs if id(d) not in in_pair])


_LABEL = {"date": "dates", "month": "months", "year": "years", "pct": "percentages",
          "num": "numbers", "name": "names", "person": "names"}


def _score(z: Document, v: Document, z_anchors: set[str], v_anchors: set[str],
           model: CognateModel) -> Pair:
    items = [(k, _shown(k, z.text)) for k in z_anchors & v_anchors]
    items += [("person:" + vi_name, f"{vi_name} ({zh_name})")
              for vi_name, zh_name in matched_names(z.text, v.text)]
    items.sort(key=lambda kv: (list(_LABEL).index(_kind(kv[0])), _sort_key(kv[1])))

    time_miss = 1.0 - TIME_PRIOR
    cognates = _cognate_score(model, z, v)
    content_miss = 1.0 - cognates
    shown: dict[str, list[str]] = {}
    for key, label in items:
        kind = _kind(key)
        if kind in TIME_STRENGTH:
            time_miss *= 1.0 - TIME_STRENGTH[kind]
        else:
            content_miss *= 1.0 - CONTENT_STRENGTH[kind]
        shown.setdefault(_LABEL[kind], []).append(label)
    time = 1.0 - time_miss
    notes = []
    for kind, penalty in (("date", DATES_DIFFER), ("year", YEARS_DIFFER)):
        zk = sorted((k.split(":")[1] for k in z_anchors if _kind(k) == kind), key=_sort_key)
        vk = sorted((k.split(":")[1] for k in v_anchors if _kind(k) == kind), key=_sort_key)
        if zk and vk and not set(zk) & set(vk):
            time *= penalty
            notes.append(f"{_LABEL[kind]} differ ({', '.join(zk)} vs {', '.join(vk)})")
    score = round(time * (1.0 - content_miss), 4)
    parts = [f"{label} {', '.join(values)}" for label, values in shown.items()]
    reason = "; ".join(parts + notes + [f"cognates {cognates:.2f}"])
    return Pair(z, v, score, reason)


def pair_directory(path: str | Path, threshold: float = THRESHOLD) -> PairingResult:
    """Load every report in folder `path` and pair them.

    Files that cannot be loaded are skipped and listed in `skipped`; a folder that
    does not exist, or holds no loadable zh or no loadable vi report, is an error.
    """
    from workbench.corpus import load_document
    from workbench.reports import list_reports

    folder = Path(path)
    listing = list_reports(folder)
    files = listing.files
    docs: list[Document] = []
    skipped = [WorkbenchError(reason, file) for file, reason in listing.skipped]
    for file in files:
        try:
            docs.append(load_document(file))
        except WorkbenchError as exc:
            skipped.append(exc)
    langs = {d.lang for d in docs}
    missing = [name for code, name in (("zh", "Chinese"), ("vi", "Vietnamese")) if code not in langs]
    if missing:
        found = f"{len(docs)} report(s) loaded"
        if skipped:
            found += "; skipped " + ", ".join(f"{Path(e.path or '?').name}" for e in skipped)
        raise WorkbenchError(f"no {' and no '.join(missing)} report to pair ({found})", folder)
    result = pair_documents(docs, threshold)
    result.skipped = skipped
    return result
