"""Glossary terms through MarianMT: placeholders verified one-to-one, else a recorded post-edit.

Before translation each glossary term (and, for Vietnamese, each personal name
such as "Nguyễn Văn Nên") is replaced by a placeholder; after translation each
placeholder is replaced by the glossary English. This can never change text
that is not a term:

- Placeholders are digit strings (SentencePiece vocabularies always cover
  digits, and news MT copies numbers through) chosen so that they occur in no
  number of the sentence, whatever its separators: "Hơn 1.001 đại biểu" holds
  the digits 1001, so 1001 is never a placeholder there.
- On the way back the English is read as numbers ("1001", "1,001", "1.001",
  "1 001"). Each placeholder must appear exactly once, as a number of its own
  (not "1001st", "1,001,1002", "A1001" or "1001.5"), and no other number may
  contain its digits. Otherwise verification fails: nothing is guessed or
  inserted.
- When verification fails the sentence is translated again without
  placeholders, and the glossary is applied to that English as a post-edit
  (`post_edit`): a rendering of the term located in the English (the term with
  other accents, the Vietnamese left as is, the pinyin of a Chinese name; see
  `checks.locate_rendering`) is replaced by the glossary English. The
  translator records the result as a glossary post-edit with the raw MT beside
  it, never as MT. A rendering that cannot be located is left for the reviewer.

`stats` counts sentences restored, sentences that fell back, and terms fixed
or not located by post-edits. The translation memory keys on the protected
sentence, so sentences that differ only in protected terms share one entry.
Limits: the model sees a number where a noun phrase was, so the words around
it may differ (an article, a measure word); a Vietnamese name written in
Chinese characters (潘文迈) is protected only once it is in the glossary
(see `workbench glossary suggest`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.glossary.names import english_name, vi_name_spans
from workbench.textfacts import fold_accents, is_han

if TYPE_CHECKING:
    from workbench.glossary.model import Glossary

FIRST_PLACEHOLDER = 1001
# A number as MT writes it: digit groups of three after a separator, or a plain digit run.
_NUMBER = re.compile(r"\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?!\d)|\d+")
# Any digits with separators between them, as a source may write a number.
_SOURCE_NUMBER = re.compile(r"\d+(?:[.,'\u00a0\u202f ]\d+)*")
# What a number's separators may be once normalised (、，。． become "," and ".").
_SEPARATORS = set(".,\u3001\uff0c\u3002\uff0e")


@dataclass(frozen=True)
class Protected:
    """One protected term: its placeholder, the English to restore, the source term."""

    placeholder: str
    english: str
    source: str


@dataclass
class HookStats:
    restored: int = 0  # sentences whose placeholders came back one-to-one
    fallback: int = 0  # sentences translated again unprotected (verification failed)
    post_edited: int = 0  # terms a post-edit replaced in unprotected MT
    not_located: int = 0  # terms a post-edit could not locate (left to the reviewer)


@dataclass
class GlossaryTermHook:
    """A `workbench.translate.TermHook` enforcing a glossary (and Vietnamese names, if `names`)."""

    glossary: "Glossary"
    names: bool = True
    stats: HookStats = field(default_factory=HookStats)

    def spans(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """(start, end, English) of every term to protect, in text order, non-overlapping."""
        found = [(m.start, m.end, m.entry.preferred) for m in self.glossary.match(text, lang)]
        if self.names and lang == "vi" and unicodedata.is_normalized("NFC", text):
            for start, end in vi_name_spans(text):
                if all(end <= s or start >= e for s, e, _ in found):
                    found.append((start, end, english_name(text[start:end])))
        return sorted(found)

    def protect(self, text: str, lang: str) -> tuple[str, list[Protected]]:
        spans = self.spans(text, lang)
        if not spans:
            return text, []
        taken = source_digits(text)
        out, last, number = "", 0, FIRST_PLACEHOLDER
        state: list[Protected] = []
        for start, end, english in spans:
            while any(str(number) in digits for digits in taken):
                number += 1
            placeholder = str(number)
            number += 1
            out += _apart(text[last:start], after_placeholder=bool(state))
            # Keep the placeholder a number of its own: "2024, 1001", "1001, 1002", not "1001,1002".
            if out and (_joins(out[-1]) or (out[-1] in _SEPARATORS and out[-2:-1].isdigit())):
                out += " "
            out += placeholder
            if end < len(text) and _joins(text[end]):
                out += " "
            state.append(Protected(placeholder, english, text[start:end]))
            last = end
        return out + _apart(text[last:], after_placeholder=True), state

    def restore(self, english: str, state: list[Protected]) -> str | None:
        """`english` with each placeholder replaced by its term's English, or None when unverified."""
        if not state:
            return english
        found = placeholder_spans(english, [p.placeholder for p in state])
        if found is None:
            return None
        for (start, end), item in sorted(zip(found, state), key=lambda x: -x[0][0]):
            english = english[:start] + item.english + english[end:]
        self.stats.restored += 1
        return english

    def post_edit(self, source: str, english: str, lang: str) -> str:
        """Unprotected MT with the glossary applied where the terms' renderings can be located."""
        from workbench.glossary.checks import apply_term_fix, term_issues

        self.stats.fallback += 1
        issues = term_issues(source, lang, english, self.glossary)
        for issue in sorted(issues, key=lambda i: -(i.en_start if i.en_start is not None else -1)):
            if issue.fixable:
                english = apply_term_fix(english, issue)
                self.stats.post_edited += 1
            else:
                self.stats.not_located += 1
        if self.names and lang == "vi":
            glossary_spans = [(m.start, m.end) for m in self.glossary.match(source, lang)]
            for start, end in vi_name_spans(source):
                if any(start < e and end > s for s, e in glossary_spans):
                    continue
                english = _fix_name(english, source[start:end])
        return english


def source_digits(text: str) -> list[str]:
    """The digits of every number in `text`, separators removed (full-width digits too)."""
    text = unicodedata.normalize("NFKC", text)
    return [re.sub(r"\D", "", m.group()) for m in _SOURCE_NUMBER.finditer(text)]


def placeholder_spans(english: str, placeholders: list[str]) -> list[tuple[int, int]] | None:
    """Where each placeholder stands in `english`, if each stands there exactly once and alone."""
    where: dict[str, list[tuple[int, int]]] = {p: [] for p in placeholders}
    for m in _NUMBER.finditer(english):
        digits = re.sub(r"\D", "", m.group())
        inside = [p for p in placeholders if p in digits]
        if not inside:
            continue
        if digits not in where or not _alone(english, m.start(), m.end()):
            return None  # "1001st", "1,001,1002", "10012": a placeholder inside something else
        where[digits].append((m.start(), m.end()))
    if any(len(spans) != 1 for spans in where.values()):
        return None
    return [where[p][0] for p in placeholders]


def _alone(text: str, start: int, end: int) -> bool:
    """Is text[start:end] a word of its own: no letter or digit joined to it, no decimal part?"""
    before, after = text[start - 1:start], text[end:end + 1]
    if (before and _joins(before)) or (after and _joins(after)):
        return False
    if before in (".", ",") and text[start - 2:start - 1].isdigit():
        return False
    return not (after in (".", ",") and text[end + 1:end + 2].isdigit())


def _apart(chunk: str, after_placeholder: bool) -> str:
    """A separator right after a placeholder and before a number gets a space after it."""
    if after_placeholder and chunk[:1] in _SEPARATORS and (len(chunk) == 1 or chunk[1:2].isdigit()):
        return chunk[0] + " " + chunk[1:]
    return chunk


def _joins(ch: str) -> bool:
    """Would `ch` run into a placeholder written next to it (letters and digits, not Han characters)?"""
    return ch.isalnum() and not is_han(ch)


def _fix_name(english: str, name: str) -> str:
    """The first rendering of a Vietnamese name with other accents or case replaced by its English form."""
    expected = english_name(name)
    if expected in english:
        return english
    folded = fold_accents(unicodedata.normalize("NFC", english)).lower()
    if len(folded) != len(english):
        return english
    at = re.search(r"(?<!\w)" + re.escape(fold_accents(name).lower()) + r"(?!\w)", folded)
    if at is None:
        return english
    return english[:at.start()] + expected + english[at.end():]
