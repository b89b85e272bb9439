"""Quality checks of a bead, for the reviewer: what to look at before confirming it.

Kinds of flag (`KINDS`), each a short message:
- `numbers`: numbers (10 and up), percentages, years, months and dates (`workbench.crosslingual.anchors`)
  that one side of a two-sided bead gives and the other does not (9月24日 = 24-9 agree);
- `names`: a Vietnamese person name of the vi side not written in the zh side (neither by its
  Sino-Vietnamese characters, `hanviet.matched_names`, nor by a glossary entry), and a
  Latin-script name or acronym of the zh side missing from the vi side (Chinese transcribes
  foreign names into characters, so the other direction proves nothing);
- `terms`: a glossary concept found on one side whose terms are missing from the other side
  (the review session adds the English term issues, which a number key fixes);
- `mt`: the MT warnings of the side's sentences (`mt_warnings` in the header), until the
  reviewer edits that side's English;
- `length`: a vi/zh length ratio far from the document's own: more than
  max(2, e^(3·MAD)) times off the median ratio of the file's links (MAD of the log ratios),
  so a document whose links vary much in length is flagged less.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from typing import Any

from workbench.store.aligned import Bead

KINDS = ("numbers", "names", "terms", "mt", "length")
KIND_LABELS = {"numbers": "numbers and dates", "names": "names", "terms": "glossary terms",
               "mt": "MT warnings", "length": "length ratio"}
NUMBER_KINDS = ("date", "month", "year", "pct", "num")
MIN_NUMBER = 10  # smaller numbers are often words on the other side (hai, 两) and say little
MIN_LINKS = 5  # links needed before the document's own length ratio is trusted


@dataclass(frozen=True)
class Flag:
    kind: str      # one of KINDS
    message: str   # what disagrees, for people
    side: str = ""  # "zh" or "vi" when the flag is about one side


def _shown(key: str) -> str:
    kind, _, value = key.partition(":")
    return value.upper() if kind == "name" and len(value) <= 5 else value.title() if kind == "name" else value


def _number_keys(keys: set[str]) -> set[str]:
    out = set()
    for key in keys:
        kind, _, value = key.partition(":")
        if kind not in NUMBER_KINDS:
            continue
        if kind == "num":
            try:
                if abs(float(value)) < MIN_NUMBER:
                    continue
            except ValueError:
                pass
        out.add(key)
    return out


def _edited(bead: Bead, side: str) -> bool:
    return any(h.get("side") == side for h in bead.history)


class QA:
    """The flags of beads of one aligned file (cached; safe to call from a worker thread)."""

    def __init__(self, header: dict[str, Any], beads: list[Bead], glossary: Any = None):
        self.header = header
        self.glossary = glossary
        self._cache: dict[tuple, list[Flag]] = {}
        self.ratio, self.tolerance = self._length_model(beads)

    @staticmethod
    def _length_model(beads: list[Bead]) -> tuple[float | None, float]:
        """(median vi/zh length ratio of the links, tolerated factor), from the file as opened."""
        logs = [math.log(len(b.vi_text) / len(b.zh_text)) for b in beads
                if b.zh and b.vi and b.zh_text.strip() and b.vi_text.strip()]
        if len(logs) < MIN_LINKS:
            return None, 2.0
        median = statistics.median(logs)
        mad = statistics.median(abs(x - median) for x in logs)
        return math.exp(median), max(2.0, math.exp(3 * 1.4826 * mad))

    def flags(self, bead: Bead) -> list[Flag]:
        key = (tuple(bead.zh), tuple(bead.vi), _edited(bead, "zh"), _edited(bead, "vi"), bead.zh_text, bead.vi_text)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._compute(bead)
        return found

    def _compute(self, bead: Bead) -> list[Flag]:
        out: list[Flag] = []
        if bead.zh and bead.vi:
            out += self._numbers(bead) + self._names(bead) + self._terms(bead) + self._length(bead)
        out += self._mt(bead)
        return out

    # ----- the checks -------------------------------------------------------------------------
    def _numbers(self, bead: Bead) -> list[Flag]:
        from workbench.crosslingual.anchors import anchor_sort_key, extract_anchors

        zh = _number_keys(extract_anchors(bead.zh_text, "zh"))
        vi = _number_keys(extract_anchors(bead.vi_text, "vi"))
        out = []
        for side, only in (("zh", zh - vi), ("vi", vi - zh)):
            if only:
                other = "vi" if side == "zh" else "zh"
                shown = ", ".join(_shown(k) for k in sorted(only, key=anchor_sort_key))
                out.append(Flag("numbers", f"{side} gives {shown}; {other} does not", side))
        return out

    def _names(self, bead: Bead) -> list[Flag]:
        from workbench.crosslingual.anchors import extract_anchors
        from workbench.crosslingual.hanviet import matched_names
        from workbench.textfacts import fold_accents, vi_person_names

        out = []
        written = {name for name, _ in matched_names(bead.zh_text, bead.vi_text)}
        for name in dict.fromkeys(vi_person_names(bead.vi_text)):
            if name in written or self._in_glossary(name):
                continue  # a glossary name is checked with the other terms
            out.append(Flag("names", f"vi name {name} is not in zh", "vi"))
        zh_names = {k for k in extract_anchors(bead.zh_text, "zh") if k.startswith("name:")}
        vi_folded = fold_accents(bead.vi_text).lower()
        missing = sorted(k for k in zh_names if k.partition(":")[2] not in vi_folded)
        if missing:
            out.append(Flag("names", f"zh name {', '.join(_shown(k) for k in missing)} is not in vi", "zh"))
        return out

    def _in_glossary(self, vi_name: str) -> bool:
        return self.glossary is not None and self.glossary.lookup(vi_name, "vi", fold_accents=True) is not None

    def _terms(self, bead: Bead) -> list[Flag]:
        if self.glossary is None:
            return []
        zh = {m.entry.id: m for m in self.glossary.match(bead.zh_text, "zh")}
        vi = {m.entry.id: m for m in self.glossary.match(bead.vi_text, "vi", fold_accents=True)}
        out = []
        for side, mine, theirs in (("zh", zh, vi), ("vi", vi, zh)):
            other = "vi" if side == "zh" else "zh"
            missing = [f"{m.term} ({getattr(m.entry, other)[0]})" for concept, m in mine.items() if concept not in theirs]
            if missing:
                out.append(Flag("terms", f"{side} terms without their {other} term: {', '.join(missing)}", side))
        return out

    def _mt(self, bead: Bead) -> list[Flag]:
        out = []
        for side in ("zh", "vi"):
            if _edited(bead, side):
                continue  # the reviewer wrote this English: the MT's warnings no longer apply
            sentences = self.header[side]["sentences"]
            for i in getattr(bead, side):
                for warning in sentences[i].get("mt_warnings") or ():
                    out.append(Flag("mt", f"{side} MT {warning}", side))
        return out

    def _length(self, bead: Bead) -> list[Flag]:
        zh, vi = len(bead.zh_text.strip()), len(bead.vi_text.strip())
        if self.ratio is None or not zh or not vi:
            return []
        ratio = vi / zh
        off = ratio / self.ratio
        if 1 / self.tolerance <= off <= self.tolerance:
            return []
        return [Flag("length", f"vi/zh length {ratio:.1f}, the document's {self.ratio:.1f} "
                               f"({'longer' if off > 1 else 'shorter'} vi than usual)")]


def provenance(header: dict[str, Any], bead: Bead, side: str) -> list[str]:
    """Where a side's English came from, when not plain MT: glossary post-edits (with the raw MT)
    and the reviewer's edits."""
    notes = []
    if _edited(bead, side):
        notes.append("edited in review (earlier English in the history)")
        return notes
    sentences = header[side]["sentences"]
    for i in getattr(bead, side):
        if sentences[i].get("en_source") == "glossary":
            notes.append(f"glossary post-edit of the MT “{sentences[i].get('en_mt') or ''}”")
    return notes
