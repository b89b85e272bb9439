"""The case a Vietnamese term takes in the glossary when picked out of running text.

A term selected at the start of a sentence carries the sentence's capital ("Hành trình"
of "Hành trình phát triển ..."); the glossary wants the word as written mid-sentence
("hành trình"), unless it is a proper noun (Hà Nội, Phan Văn Mãi, UBND).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# What may stand between a sentence's end (or the text's start) and its first word.
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;]|\n)[\s\"'“”‘’«»()\[\]\-–—]*$")


def at_sentence_start(text: str, start: int) -> bool:
    """Whether offset `start` of `text` is the first word of a sentence."""
    return bool(_SENTENCE_START.search(text[:start]))


def glossary_case(term: str, text: str, start: int, elsewhere: Iterable[str] = ()) -> str:
    """`term` (found at `text[start:]`) with a sentence-initial capital lowered when it is not a
    proper noun: several syllables, the others all lowercase ("Hành trình" -> "hành trình"); one
    syllable, seen in lowercase in `elsewhere` (other sentences of the document). Acronyms,
    names (every syllable capitalised) and terms not at a sentence start are left as they are."""
    words = term.split()
    if not words or not at_sentence_start(text, start):
        return term
    first = words[0]
    if not first[:1].isupper() or (len(first) > 1 and first.isupper()):
        return term
    if len(words) > 1:
        common = all(w[:1].islower() for w in words[1:])
    else:
        lowered = first[:1].lower() + first[1:]
        pattern = re.compile(rf"(?<!\w){re.escape(lowered)}(?!\w)")
        common = any(pattern.search(s) for s in elsewhere)
    return term[:1].lower() + term[1:] if common else term
