"""Concordance: where a word, a name or a glossary concept occurs across aligned files.

A query is looked for in both texts and both Englishes of every bead, and widened:
- by the glossary: a query that is a term of a concept (any variant, in any language,
  accents ignored) brings every term of that concept (潘文迈 → Phan Văn Mãi, Phan Van Mai);
- by Sino-Vietnamese readings: Han characters are also looked for as their readings in the
  Vietnamese text (潘文迈 → phan văn mại, tones ignored), and a Vietnamese query of two or
  more syllables as characters having those readings in the Chinese (hội nghị → 会议).
Vietnamese and English match on word boundaries with accents and case ignored; Chinese
matches in simplified characters on both sides (a report in traditional characters holds 潘文迈
as 潘文邁). Files are read as reviewers left them (`read_aligned_current`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store.aligned import AlignedFile, Bead
from workbench.textfacts import HAN, fold_accents, simplified

FIELDS = ("zh", "vi", "zh_en", "vi_en")  # bead fields searched: text, text, English, English
FIELD_LANG = {"zh": "zh", "vi": "vi", "zh_en": "en", "vi_en": "en"}


@dataclass
class Terms:
    """What a query is looked for as, with why (`via`: "query", "glossary", "reading")."""

    query: str
    zh: dict[str, str] = field(default_factory=dict)      # term -> via
    vi: dict[str, str] = field(default_factory=dict)
    en: dict[str, str] = field(default_factory=dict)
    patterns: list[tuple[str, re.Pattern[str], str]] = field(default_factory=list)  # (lang, regex, shown as)
    concepts: list[str] = field(default_factory=list)    # glossary rows the query belongs to

    def as_json(self) -> dict[str, Any]:
        return {"zh": list(self.zh), "vi": list(self.vi), "en": list(self.en),
                "readings": {lang: [shown for side, _, shown in self.patterns if side == lang] for lang in ("zh", "vi")},
                "glossary": self.concepts}


@dataclass
class Match:
    field: str  # one of FIELDS
    start: int
    end: int
    via: str


@dataclass
class Hit:
    path: Path
    index: int  # bead index in the file (the app shows index + 1)
    bead: Bead
    matches: list[Match]

    def as_json(self) -> dict[str, Any]:
        b = self.bead
        return {"file": str(self.path), "bead": self.index + 1, "ids": b.notation, "status": b.status,
                "zh": b.zh_text, "vi": b.vi_text, "zh_en": b.zh_en, "vi_en": b.vi_en,
                "matches": [{"field": m.field, "start": m.start, "end": m.end,
                             "text": field_text(b, m.field)[m.start:m.end], "via": m.via} for m in self.matches]}


@dataclass
class SearchResult:
    terms: Terms
    hits: list[Hit] = field(default_factory=list)
    files: int = 0  # files searched
    errors: list[str] = field(default_factory=list)  # files that could not be read, one line each

    @property
    def hit_files(self) -> int:
        """Files holding at least one hit."""
        return len({h.path for h in self.hits})

    def summary(self) -> str:
        """`3 beads in 1 file (2 files searched)`: the files the hits are in, and how many were searched."""
        n, k = len(self.hits), self.hit_files
        out = f"{n} bead{'s' if n != 1 else ''}" + (f" in {k} file{'s' if k != 1 else ''}" if n else "")
        if k != self.files:
            out += f" ({self.files} file{'s' if self.files != 1 else ''} searched)"
        return out


def field_text(bead: Bead, name: str) -> str:
    return {"zh": bead.zh_text, "vi": bead.vi_text, "zh_en": bead.zh_en or "", "vi_en": bead.vi_en or ""}[name]


def _fold(text: str) -> str:
    """Accents and case removed, length kept (offsets into it are offsets into `text`)."""
    return fold_accents(text).lower()


def expand(query: str, glossary: Any = None) -> Terms:
    """The terms and patterns a query is looked for as."""
    query = unicodedata.normalize("NFC", " ".join(query.split()))
    if not query:
        raise WorkbenchError("give a word, a name or a term to search for")
    terms = Terms(query)
    han = bool(HAN.search(query))
    terms.zh[query] = "query"  # also a Latin query: numbers and acronyms stand as such in Chinese
    if not han:
        terms.vi[query] = "query"
        terms.en[query] = "query"
    if glossary is not None:
        for lang in ("zh",) if han else ("vi", "en"):
            entry = glossary.lookup(query, lang, fold_accents=lang != "zh")
            if entry is None:
                continue
            if entry.row() in terms.concepts:
                continue
            terms.concepts.append(entry.row())
            for side in ("zh", "vi", "en"):
                for term in getattr(entry, side):
                    getattr(terms, side).setdefault(term, "glossary")
    for term in list(terms.zh):
        reading = _reading_pattern(term)
        if reading is not None:
            terms.patterns.append(("vi", *reading))
    for term in list(terms.vi):
        chars = _han_pattern(term)
        if chars is not None:
            terms.patterns.append(("zh", chars, " ".join(term.split())))
    return terms


def _reading_pattern(zh: str) -> tuple[re.Pattern[str], str] | None:
    """The Vietnamese syllables a Han term reads as (every reading of each character), or None
    when a character has no reading or the term is a single character (too common alone)."""
    from workbench.crosslingual.hanviet import readings

    chars = [c for c in zh if HAN.match(c)]
    if len(chars) < 2 or len(chars) != len(zh.replace(" ", "")):
        return None
    options = [readings(c) for c in chars]
    if not all(options):
        return None
    body = r"\s+".join("(?:" + "|".join(map(re.escape, o)) + ")" for o in options)
    shown = " ".join(o[0] for o in options)
    return re.compile(rf"(?<!\w){body}(?!\w)"), shown


def _han_pattern(vi: str) -> re.Pattern[str] | None:
    """Han characters whose readings spell a Vietnamese term of two or more syllables, or None."""
    from workbench.crosslingual.hanviet import _name_pattern  # the characters of each toneless reading
    from workbench.textfacts import strip_tones

    syllables = tuple(strip_tones(s) for s in vi.split())
    if len(syllables) < 2 or not all(s.isalpha() for s in syllables):
        return None
    return _name_pattern(syllables)


def _word(term: str, edge: str = r"\w") -> re.Pattern[str]:
    """`term` folded, as a whole word (`edge`: the characters a word is made of)."""
    return re.compile(rf"(?<!{edge}){re.escape(_fold(term))}(?!{edge})")


class Matcher:
    """A compiled query: finds its matches in a bead."""

    def __init__(self, terms: Terms):
        self.terms = terms
        self.zh = [(simplified(t), via) for t, via in terms.zh.items() if HAN.search(t)]
        # in Chinese a number or acronym touches the characters around it (35个)
        self.zh_latin = [(_word(t, "[0-9a-z]"), via) for t, via in terms.zh.items() if not HAN.search(t)]
        self.vi = [(_word(t), via) for t, via in terms.vi.items()]
        self.en = [(_word(t), via) for t, via in terms.en.items()]
        self.vi += [(p, "reading") for lang, p, _ in terms.patterns if lang == "vi"]
        self.zh_patterns = [(p, "reading") for lang, p, _ in terms.patterns if lang == "zh"]

    def bead(self, bead: Bead) -> list[Match]:
        found: list[Match] = []
        for name in FIELDS:
            text = field_text(bead, name)
            if not text:
                continue
            spans: list[Match] = []
            if name == "zh":
                plain = simplified(text)  # the same length: spans point into `text`
                for term, via in self.zh:
                    start = plain.find(term)
                    while start >= 0:
                        spans.append(Match(name, start, start + len(term), via))
                        start = plain.find(term, start + len(term))
                for pattern, via in self.zh_patterns:
                    spans += [Match(name, m.start(), m.end(), via) for m in pattern.finditer(text)]
                folded = _fold(text)
                for pattern, via in self.zh_latin:
                    spans += [Match(name, m.start(), m.end(), via) for m in pattern.finditer(folded)]
            else:
                folded = _fold(text)
                for pattern, via in self.vi if name == "vi" else self.en:
                    spans += [Match(name, m.start(), m.end(), via) for m in pattern.finditer(folded)]
            found += _non_overlapping(spans)
        return found


def _non_overlapping(spans: list[Match]) -> list[Match]:
    """Longest first, then leftmost; the query's own matches win over widened ones of equal span."""
    rank = {"query": 0, "glossary": 1, "reading": 2}
    out: list[Match] = []
    for m in sorted(spans, key=lambda m: (m.start - m.end, rank.get(m.via, 3), m.start)):
        if all(m.end <= o.start or m.start >= o.end for o in out):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def search_aligned(aligned: AlignedFile, matcher: Matcher, path: Path) -> list[Hit]:
    hits = []
    for index, bead in enumerate(aligned.beads):
        matches = matcher.bead(bead)
        if matches:
            hits.append(Hit(path, index, bead, matches))
    return hits


def search(paths: list[Path], query: str, glossary: Any = None, strict_files: bool = False) -> SearchResult:
    """Every bead of the aligned files in `paths` (files, or folders of aligned files) that
    holds the query or one of its widened forms. A file that cannot be read is listed in
    `errors` and the others are still searched; with `strict_files`, a file named in `paths`
    (not found in a folder) that cannot be read raises its error instead."""
    from workbench.review.project import aligned_files
    from workbench.store.journal import read_aligned_current

    terms = expand(query, glossary)
    matcher = Matcher(terms)
    result = SearchResult(terms)
    files: list[tuple[Path, bool]] = []  # (file, named in paths)
    for path in paths:
        files += [(f, False) for f in aligned_files(path)] if Path(path).is_dir() else [(Path(path), True)]
    for path, named in files:
        try:
            aligned = read_aligned_current(path)
        except WorkbenchError as exc:
            if named and strict_files:
                raise
            result.errors.append(str(exc))
            continue
        result.files += 1
        result.hits += search_aligned(aligned, matcher, path)
    return result
