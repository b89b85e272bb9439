"""Finding glossary terms in text, with spans in the original text.

- zh: substring match (Chinese has no spaces); overlapping terms are resolved
  longest-first, so 胡志明市人民委员会 wins over 人民委员会; terms and text are compared in
  simplified characters, so a term written either way matches text written either way.
- vi: on syllable (word) boundaries after NFC normalisation, case-insensitive;
  tone marks count unless `fold_accents=True` (then đ = d, ã = a ...).
- en: on word boundaries, case-insensitive, with a plural/possessive ending
  tolerated ("People's Committees", "Committee's").

Built on pyahocorasick (Aho–Corasick automaton): one pass over the text finds
every term at once, whatever the glossary's size.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

import ahocorasick

from workbench.textfacts import fold_accents, simplified

if TYPE_CHECKING:
    from workbench.glossary.files import Entry

MATCH_LANGS = ("zh", "vi", "en")
# Endings an English term may carry and still count as the term.
EN_ENDINGS = ("'s", "\u2019s", "s'", "s\u2019", "es", "s")


def normalise(text: str, fold: bool = False) -> tuple[str, list[int] | None, list[int] | None]:
    """Text in matching form (NFC, lowercase, optionally accent-folded) and its map to `text`.

    Returns `(norm, starts, ends)`: norm[i] comes from text[starts[i]:ends[i]];
    `starts`/`ends` are None when the map is the identity (the usual case).
    """
    if unicodedata.is_normalized("NFC", text):
        low = text.lower()
        if len(low) == len(text):
            return (fold_accents(low) if fold else low), None, None
    # Slow path: normalise cluster by cluster (a base character and its marks).
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        piece = unicodedata.normalize("NFC", text[i:j]).lower()
        if fold:
            piece = fold_accents(piece)
        pieces.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return "".join(pieces), starts, ends


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in text: `text[start:end]` is an occurrence of `term` (a variant of `entry`)."""

    start: int
    end: int
    entry: "Entry"
    lang: str
    term: str = ""


class Matcher:
    """An Aho–Corasick automaton over the terms of one language."""

    def __init__(self, entries: Iterable["Entry"], lang: str, fold: bool = False):
        self.lang = lang
        self.fold = fold
        keys: dict[str, tuple[str, list["Entry"]]] = {}
        for entry in entries:
            for term in entry.terms(lang):
                key = normalise(term, fold)[0]
                if lang == "zh":
                    key = simplified(key)
                if key:
                    keys.setdefault(key, (term, []))[1].append(entry)
        self.automaton = ahocorasick.Automaton()
        for key, (term, found) in keys.items():
            self.automaton.add_word(key, (len(key), term, tuple(found)))
        self.empty = not keys
        if not self.empty:
            self.automaton.make_automaton()

    def candidates(self, norm: str) -> list[tuple[int, int, str, tuple["Entry", ...]]]:
        """Every occurrence in normalised text (overlaps kept), boundaries checked: (start, end, term, entries)."""
        if self.empty:
            return []
        out = []
        bounded = self.lang != "zh"
        n = len(norm)
        for last, (length, term, entries) in self.automaton.iter(norm):
            start, end = last + 1 - length, last + 1
            if bounded:
                if start > 0 and norm[start - 1].isalnum():
                    continue
                if self.lang == "en":
                    end = _en_end(norm, end)
                    if end < 0:
                        continue
                elif end < n and norm[end].isalnum():
                    continue
            out.append((start, end, term, entries))
        return out

    def find(self, text: str, overlapping: bool = False) -> list[TermMatch]:
        """Matches in `text`, spans in `text`; overlaps resolved longest-first unless `overlapping`."""
        norm, starts, ends = normalise(text, self.fold)
        found = self.candidates(simplified(norm) if self.lang == "zh" else norm)
        if not found:
            return []
        if not overlapping:
            found = resolve_longest_first(found)
        out = []
        for start, end, term, entries in found:
            if starts is not None:
                start, end = starts[start], ends[end - 1]
            out.append(TermMatch(start, end, entries[0], self.lang, term))
        out.sort(key=lambda m: (m.start, m.end))
        return out


def _en_end(norm: str, end: int) -> int:
    """End of an English match including a tolerated ending, or -1 if the match is inside a word."""
    n = len(norm)
    if end >= n or not norm[end].isalnum():
        best = end
    else:
        best = -1
    for ending in EN_ENDINGS:
        e = end + len(ending)
        if norm.startswith(ending, end) and (e >= n or not norm[e].isalnum()):
            return max(best, e)
    return best


def resolve_longest_first(found: list[tuple[int, int, str, tuple]]) -> list[tuple[int, int, str, tuple]]:
    """Keep non-overlapping matches, longest first, then leftmost."""
    if len(found) == 1:
        return found
    chosen: list[tuple[int, int, str, tuple]] = []
    for cand in sorted(found, key=lambda m: (m[0] - m[1], m[0])):
        if all(cand[1] <= c[0] or cand[0] >= c[1] for c in chosen):
            chosen.append(cand)
    return chosen
