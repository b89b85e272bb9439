"""Glossary terms through MarianMT: protect-and-restore placeholders.

Before translation each glossary term (and, for Vietnamese, each personal name
such as "Nguyễn Văn Nên") is replaced by a placeholder; after translation the
placeholder is replaced by the glossary English.

Why digit strings: SentencePiece vocabularies trained on news text (opus-mt's,
and the test model's) split any digit string into digit pieces that are in the
vocabulary (never <unk>), and MarianMT models trained on news copy numbers
through as they are, where a made-up tag such as "__TERM0__" is split into
fragments the model has never seen and often mangled. Placeholders are
four-digit numbers (1001, 1002 ...) chosen to occur nowhere in the sentence, so
a real number is never taken for one. (Copying by the public opus-mt weights is
expected from how they were trained, not measured here: the development
machines have no model weights.)

Limits, honestly:
- The model sees a number where a noun phrase was, so the words around it may
  come out slightly different (an article or a measure word) from a translation
  of the term itself.
- A model may drop, reorder or reformat a placeholder ("1,001"); reformatting
  with separators or spaces is recognised. A placeholder that does not come back
  at all (an untrained or very small model, long sentences) is inserted at the
  position proportional to the term's position in the source, at a word
  boundary: the term is then present but may sit in the wrong place. `stats`
  counts both outcomes so callers can report them.
- Only terms the glossary knows are protected, plus, in Vietnamese, names that
  begin with a common family name. A Vietnamese name written in Chinese
  characters (潘文迈) is protected only once it is in the glossary (see
  `workbench glossary suggest`).
- The translation memory keys on the protected sentence, so sentences that
  differ only in protected terms share one translation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from workbench.glossary.names import english_name, vi_name_spans
from workbench.textfacts import is_han

if TYPE_CHECKING:
    from workbench.glossary.model import Glossary

FIRST_PLACEHOLDER = 1001


@dataclass(frozen=True)
class Protected:
    """One protected term: its placeholder, the English to restore, its relative source position."""

    placeholder: str
    english: str
    source: str
    position: float


@dataclass
class HookStats:
    restored: int = 0  # placeholders found in the output and replaced
    inserted: int = 0  # placeholders lost by the model; English inserted by position


@dataclass
class GlossaryTermHook:
    """A `workbench.translate.TermHook` enforcing a glossary (and Vietnamese names, if `names`)."""

    glossary: "Glossary"
    names: bool = True
    stats: HookStats = field(default_factory=HookStats)

    def spans(self, text: str, lang: str) -> list[tuple[int, int, str]]:
        """(start, end, English) of every term to protect, in text order, non-overlapping."""
        found = [(m.start, m.end, m.entry.preferred) for m in self.glossary.match(text, lang)]
        if self.names and lang == "vi":
            import unicodedata
            if unicodedata.is_normalized("NFC", text):
                for start, end in vi_name_spans(text):
                    if all(end <= s or start >= e for s, e, _ in found):
                        found.append((start, end, english_name(text[start:end])))
        return sorted(found)

    def protect(self, text: str, lang: str) -> tuple[str, list[Protected]]:
        spans = self.spans(text, lang)
        if not spans:
            return text, []
        out = ""
        state: list[Protected] = []
        last = 0
        number = FIRST_PLACEHOLDER
        for start, end, english in spans:
            while str(number) in text:
                number += 1
            placeholder = str(number)
            number += 1
            out += text[last:start]
            # Keep the placeholder a separate word (and apart from a neighbouring placeholder).
            if out and _joins(out[-1]):
                out += " "
            out += placeholder
            if end < len(text) and _joins(text[end]):
                out += " "
            state.append(Protected(placeholder, english, text[start:end], start / max(len(text), 1)))
            last = end
        return out + text[last:], state

    def restore(self, english: str, state: list[Protected]) -> str:
        missing: list[int] = []
        for k, item in enumerate(state):
            english, count = _placeholder_pattern(item.placeholder).subn(f"\x00{k}\x00", english)
            if count:
                self.stats.restored += 1
            else:
                self.stats.inserted += 1
                missing.append(k)
        if missing:
            words = english.split()
            n = len(words)
            # From the last position back, so earlier insertion points stay valid.
            for k in sorted(missing, key=lambda k: state[k].position, reverse=True):
                words.insert(round(state[k].position * n), f"\x00{k}\x00")
            english = " ".join(words)
        return re.sub(r"\x00(\d+)\x00", lambda m: state[int(m.group(1))].english, english)


def _joins(ch: str) -> bool:
    """Would `ch` run into a placeholder written next to it (letters and digits, not Han characters)?"""
    return ch.isalnum() and not is_han(ch)


def _placeholder_pattern(placeholder: str) -> re.Pattern[str]:
    # "1001" also as "1,001", "1.001" or "1 001" (number formatting by the model).
    head, tail = placeholder[0], placeholder[1:]
    return re.compile(rf"(?<![\d.,]){head}[,. ]?{tail}(?![\d]|[.,]\d)")
