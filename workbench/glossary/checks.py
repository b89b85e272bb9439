"""Term checks: does the English of a sentence use the glossary English of its source terms?

For each glossary term in the source sentence, the English (machine or edited)
must contain the entry's English or one of its variants (word boundaries,
case-insensitive, plural/possessive tolerated). Otherwise a `TermIssue` is
reported with the source span and, where it can be located, the span of the
wrong rendering in the English:

1. the glossary English with other accents or case (e.g. "Phan Văn Mãi");
2. the Vietnamese term left as it is;
3. for Chinese terms, the pinyin rendering MT gives names (潘文迈 -> "Pan Wenmai"),
   found with pypinyin when it is installed.

`apply_term_fix` replaces a located wrong rendering with the glossary English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.glossary.match import fold_accents

if TYPE_CHECKING:
    from workbench.glossary.files import Entry
    from workbench.glossary.model import Glossary



@dataclass(frozen=True)
class TermIssue:
    """A source term whose glossary English is missing from the English.

    `src_start:src_end` spans the term in the source sentence; `en_start:en_end`
    spans the wrong rendering in the English (`found`), or are None when it could
    not be located. `expected` is the glossary English to use.
    """

    entry: "Entry"
    src_start: int
    src_end: int
    expected: str
    src_lang: str = ""
    src_term: str = ""
    en_start: int | None = None
    en_end: int | None = None
    found: str | None = None

    @property
    def fixable(self) -> bool:
        """True when `apply_term_fix` can replace the wrong rendering."""
        return self.found is not None

    @property
    def message(self) -> str:
        where = f'found "{self.found}"' if self.found is not None else "no rendering located in the English"
        return f'{self.src_lang} "{self.src_term}" should be "{self.expected}" in English; {where}'


class TermFixError(WorkbenchError):
    """The wrong rendering of a term cannot be located in the English: fix it by hand."""


def term_issues(src_text: str, src_lang: str, english: str | None, glossary: "Glossary") -> list[TermIssue]:
    """Term issues of one sentence (one per concept, at its first occurrence), in source order.

    `english` None means there is no English to check: no issues.
    """
    if english is None:
        return []
    present = {m.entry.id for m in glossary.find_all(english, "en")}
    issues: list[TermIssue] = []
    seen: set[int] = set()
    taken = [(m.start, m.end) for m in glossary.match(english, "en")]
    for m in glossary.match(src_text, src_lang):
        if m.entry.id in present or m.entry.id in seen:
            continue
        seen.add(m.entry.id)
        span = locate_rendering(english, m.entry, src_text[m.start:m.end], src_lang, taken)
        start, end = span if span else (None, None)
        issues.append(TermIssue(m.entry, m.start, m.end, m.entry.preferred, src_lang, src_text[m.start:m.end],
                                start, end, english[start:end] if span else None))
        if span:
            taken.append(span)
    return issues


def locate_rendering(english: str, entry: "Entry", src_term: str, src_lang: str,
                     taken: list[tuple[int, int]] = ()) -> tuple[int, int] | None:
    """Where the English renders `entry` in a non-glossary way, or None."""
    from workbench.glossary.match import Matcher

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    # Glossary English or Vietnamese term, accents and case ignored.
    for lang in ("en", "vi"):
        for m in Matcher([entry], lang, fold=True).find(english):
            if free((m.start, m.end)):
                return m.start, m.end
    if src_lang == "zh":
        for syllables in _pinyin_forms(src_term):
            span = _find_syllables(english, syllables)
            if span and free(span):
                return span
    return None


def _pinyin_forms(zh: str) -> list[list[str]]:
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:  # optional: without pypinyin, pinyin renderings are not located
        return []
    return [lazy_pinyin(zh, style=Style.NORMAL, errors="ignore")]


def _find_syllables(english: str, syllables: list[str]) -> tuple[int, int] | None:
    """Span of consecutive English words that spell `syllables` (e.g. "Pan Wenmai", "Pan Wen-mai")."""
    target = "".join(syllables).lower()
    if not target:
        return None
    words = [(w.start(), w.end(), w.group().lower()) for w in re.finditer(r"[A-Za-z]+", english)]
    for i in range(len(words)):
        joined = ""
        for j in range(i, min(i + len(syllables), len(words))):
            if j > i and not re.fullmatch(r"[\s\-]+", english[words[j - 1][1]:words[j][0]]):
                break
            joined += words[j][2]
            if joined == target:
                return words[i][0], words[j][1]
            if not target.startswith(joined):
                break
    return None


def apply_term_fix(english: str, issue: TermIssue) -> str:
    """`english` with the issue's wrong rendering replaced by the glossary English.

    Uses the recorded span when the English is unchanged, else the first
    occurrence of the wrong rendering. A possessive ending ('s) is kept.
    Raises `TermFixError` (nothing changed) when the rendering cannot be located:
    the reviewer must then edit the English by hand; nothing is ever appended.
    """
    if issue.found is None:
        raise TermFixError(f'cannot locate the rendering of {issue.src_lang} "{issue.src_term}" in the English; '
                           f'edit it by hand to use "{issue.expected}"')
    start, end = issue.en_start, issue.en_end
    if start is None or end is None or english[start:end] != issue.found:
        start = english.find(issue.found)
        if start < 0:
            raise TermFixError(f'"{issue.found}" is no longer in the English; nothing to replace '
                               f'(expected "{issue.expected}")')
        end = start + len(issue.found)
    replacement = issue.expected
    tail = fold_accents(issue.found)[-2:]
    if tail in ("'s", "\u2019s") and not replacement.endswith(tail):
        replacement += tail
    return english[:start] + replacement + english[end:]
