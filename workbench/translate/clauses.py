"""Long sentences cut at clause boundaries, translated piece by piece, and rejoined.

opus-mt models were trained mostly on short segments and silently drop parts
of long ones (reported for OPUS-CAT, Helsinki-NLP/OPUS-CAT#93). A sentence
whose source is longer than `split_tokens` SentencePiece tokens is cut where
a clause ends: Chinese ，；： (and their ASCII forms), Vietnamese ", " "; " ": ".
Never inside a number ("1,5", "10:30") and never at the Chinese enumeration
comma 、 (it joins the items of a list). Semicolons and colons are preferred
to commas; among those, the cut nearest the middle, then each half again
until every piece fits or no boundary is left. The English of the pieces is
joined with spaces.
"""

from __future__ import annotations

import re
from typing import Callable

_BOUNDARY = {
    "zh": re.compile(r"(?:[；;：:](?!\d)|[，,](?!\d))"),
    "vi": re.compile(r"(?:[;:]|,)(?=\s)"),
}
_STRONG = set("；;：:")


def boundaries(text: str, lang: str) -> list[tuple[int, bool]]:
    """(cut position just after the punctuation, strong?) of every clause end inside `text`."""
    pattern = _BOUNDARY.get(lang, _BOUNDARY["vi"])
    out = []
    for m in pattern.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if before.isdigit() and text[m.end():m.end() + 1].isdigit():
            continue
        if text[m.end():].strip():
            out.append((m.end(), m.group() in _STRONG))
    return out


def split_clauses(text: str, lang: str, count: Callable[[str], int], max_tokens: int) -> list[str]:
    """`text` cut into pieces of at most `max_tokens` (by `count`) where clause boundaries allow."""
    if max_tokens <= 0 or count(text) <= max_tokens:
        return [text]
    cuts = boundaries(text, lang)
    if not cuts:
        return [text]
    middle = len(text) / 2
    central = [c for c in cuts if abs(c[0] - middle) <= len(text) / 4] or cuts
    cut = min(central, key=lambda c: (not c[1], abs(c[0] - middle)))[0]
    left, right = text[:cut].strip(), text[cut:].strip()
    return split_clauses(left, lang, count, max_tokens) + split_clauses(right, lang, count, max_tokens)


def join_english(pieces: list[str]) -> str:
    return " ".join(p for p in pieces if p)
