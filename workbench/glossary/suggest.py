"""New glossary rows from Sino-Vietnamese readings of aligned zh/vi sentences.

Chinese news writes Vietnamese names with the characters of their readings:
潘文迈 reads phan văn mại, which matches "Phan Văn Mãi" once tone marks are
ignored. For each aligned sentence pair, every run of capitalised Vietnamese
syllables (two or more) is compared with every stretch of Han characters of the
same length; a stretch whose readings match syllable by syllable is proposed
as zh / vi / en, with en the Vietnamese without marks (Phan Van Mai). Longer
matches win; rows already in the glossary are never proposed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable

from workbench.textfacts import HAN_RUN as _HAN_RUN
from workbench.glossary.names import (VI_SURNAMES, capitalised_runs, english_name, name_reading, readings,
                                      toneless)

if TYPE_CHECKING:
    from workbench.glossary.model import Glossary
    from workbench.store.aligned import AlignedFile



@dataclass
class Suggestion:
    """A proposed row and why: `evidence` lists where the pair was seen."""

    zh: str
    vi: str
    en: str
    kind: str  # "name" (starts with a Vietnamese family name) or "proper noun"
    reading: str  # the Sino-Vietnamese reading of zh, e.g. "Phan Văn Mại"
    evidence: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return f"{self.kind}; reading {self.reading}; seen in {len(self.evidence)} aligned pair(s)"


def match_names(zh_text: str, vi_text: str) -> list[tuple[str, str]]:
    """(zh, vi) pairs in one sentence pair whose readings match syllable by syllable, longest first."""
    vi_text = unicodedata.normalize("NFC", vi_text)
    han = [(m.start(), m.group()) for m in _HAN_RUN.finditer(zh_text)]
    used_zh: set[int] = set()
    found: list[tuple[str, str]] = []
    for run in capitalised_runs(vi_text):
        sylls = [toneless(w) for _, _, w in run]
        names = _name_windows(run)
        used_vi: set[int] = set()
        for length in range(len(run), 1, -1):
            for i in range(len(run) - length + 1):
                if used_vi & set(range(i, i + length)):
                    continue
                if any(i < b and a < i + length and not (i <= a and b <= i + length) for a, b in names):
                    continue  # never part of a personal name (Phan Văn of Phan Văn Mãi)
                hit = _find_reading(han, sylls[i:i + length], used_zh)
                if hit is None:
                    continue
                start, zh = hit
                used_zh.update(range(start, start + length))
                used_vi.update(range(i, i + length))
                found.append((zh, vi_text[run[i][0]:run[i + length - 1][1]]))
    return found


def _name_windows(run: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Syllable index ranges of personal names in a run: a family name and up to three more syllables."""
    out = []
    i = 0
    while i < len(run) - 1:
        if run[i][2] in VI_SURNAMES:
            out.append((i, min(len(run), i + 4)))
            i = out[-1][1]
        else:
            i += 1
    return out


def _find_reading(han: list[tuple[int, str]], sylls: list[str], used: set[int]) -> tuple[int, str] | None:
    n = len(sylls)
    for offset, chars in han:
        for k in range(len(chars) - n + 1):
            if used & set(range(offset + k, offset + k + n)):
                continue
            if all(s in readings(c) for s, c in zip(sylls, chars[k:k + n])):
                return offset + k, chars[k:k + n]
    return None


def suggest_names(pairs: Iterable[tuple[str, str, str]], glossary: "Glossary | None" = None) -> list[Suggestion]:
    """Suggestions from (zh_text, vi_text, where) sentence pairs, most often seen first.

    Pairs whose zh or vi term is already in `glossary` are left out.
    """
    out: dict[tuple[str, str], Suggestion] = {}
    for zh_text, vi_text, where in pairs:
        for zh, vi in match_names(zh_text, vi_text):
            known = glossary is not None and (glossary.lookup(zh, "zh")
                                              or glossary.lookup(vi, "vi", fold_accents=True))
            if known:
                continue
            key = (zh, toneless(vi))
            if key not in out:
                kind = "name" if vi.split()[0] in VI_SURNAMES else "proper noun"
                out[key] = Suggestion(zh, vi, english_name(vi), kind, name_reading(zh))
            if where not in out[key].evidence:
                out[key].evidence.append(where)
    return sorted(out.values(), key=lambda s: (-len(s.evidence), s.kind != "name", s.zh))


def suggest_from_aligned(aligned: "AlignedFile", glossary: "Glossary | None" = None) -> list[Suggestion]:
    """Suggestions from every bead with text on both sides (rejected beads are skipped)."""
    pairs = ((b.zh_text, b.vi_text, f"bead {b.notation}") for b in aligned.beads
             if b.zh_text and b.vi_text and b.status != "rejected")
    return suggest_names(pairs, glossary)
