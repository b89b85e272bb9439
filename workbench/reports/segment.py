"""Sentence segmentation for Chinese and Vietnamese news text.

`split_sentences(text, lang)` returns character spans `(start, end)` into
`text`, whitespace trimmed, covering every non-space character exactly once.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_CLOSERS = "”’\"'」』）)]》»"
_OPENERS = "“‘\"'「『（(《«["

# --- Chinese -----------------------------------------------------------------

# ASCII ! and ? end a sentence only when they are not part of a URL or a word.
_ZH_END = re.compile(r"(?:[。！？]+|[!?]+(?![A-Za-z0-9=&/]))[" + re.escape(_CLOSERS) + r"]*")
_ZH_SEMI = re.compile(r"[；;]")
# A clause before/after a semicolon shorter than this is a list item
# ("技术创新;资源调动"), not a sentence of its own.
_ZH_MIN_CLAUSE = 15

# Chinese written without sentence punctuation (subtitles, transcripts, headlines joined by
# spaces) marks its clauses with spaces between Han characters. A stretch longer than
# _ZH_LONG characters with no sentence end is cut at those spaces into pieces of whole
# clauses, each about as long as a long punctuated sentence (dev-zhvi news: 90 % of
# sentences are at most 76 characters; TED subtitle lines: 62).
_ZH_LONG = 60
_ZH_CLAUSE_SPACE = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")

# --- Vietnamese ----------------------------------------------------------------

_VI_END = re.compile(r"(?:\.{3}|…|[.!?])+[" + re.escape(_CLOSERS) + r"]*(?=\s)")
# Abbreviations that end with a period but not a sentence ("TP. HCM", "PGS.TS. Nguyễn").
_VI_ABBREV = {
    "tp", "q", "p", "tx", "tt", "h", "x", "gs", "pgs", "ts", "ths", "bs", "ks", "ls", "cn",
    "nxb", "tr", "st", "mr", "mrs", "ms", "dr", "prof", "no", "co", "ltd", "inc", "jr", "sr",
    "vs", "etc", "e.g", "i.e", "tg", "bt", "đ/c",
}


def split_sentences(text: str, lang: str) -> list[Span]:
    """Spans of the sentences of one paragraph (or any text) in `lang` ("zh"/"vi")."""
    cuts = _zh_cuts(text) if lang == "zh" else _vi_cuts(text)
    spans: list[Span] = []
    start = 0
    for cut in [*cuts, len(text)]:
        span = _trim(text, start, cut)
        if span:
            spans.append(span)
        start = cut
    return spans


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _zh_cuts(text: str) -> list[int]:
    cuts: list[int] = []
    start = 0
    for m in _ZH_END.finditer(text):
        cuts.extend(_zh_semicolon_cuts(text, start, m.start()))
        cuts.append(m.end())
        start = m.end()
    tail = _zh_semicolon_cuts(text, start, len(text))
    cuts.extend(tail or _zh_space_cuts(text, start, len(text)))
    return cuts


def _zh_space_cuts(text: str, start: int, end: int) -> list[int]:
    """Cuts of an unpunctuated stretch longer than _ZH_LONG characters at the spaces between
    its clauses: k = ceil(length / _ZH_LONG) pieces, each cut at the clause boundary nearest
    to an even share of the length (nothing is cut inside a clause)."""
    size = sum(not ch.isspace() for ch in text[start:end])
    if size <= _ZH_LONG:
        return []
    gaps = [m.start() for m in _ZH_CLAUSE_SPACE.finditer(text, start, end)]
    if not gaps:
        return []
    before, count, at = {}, 0, start  # non-space characters before each cut
    for g in gaps:
        count += sum(not ch.isspace() for ch in text[at:g])
        before[g], at = count, g
    pieces = -(-size // _ZH_LONG)
    cuts: list[int] = []
    for k in range(1, pieces):
        target = size * k / pieces
        best = min(gaps, key=lambda g: abs(before[g] - target))
        if best not in cuts and (not cuts or best > cuts[-1]):
            cuts.append(best)
    return cuts


def _zh_semicolon_cuts(text: str, start: int, end: int) -> list[int]:
    """Cut at the semicolons of one sentence only if every clause stands alone."""
    semis = [m.end() for m in _ZH_SEMI.finditer(text, start, end)]
    if not semis:
        return []
    bounds = [start, *semis, end]
    clauses = [text[a:b].strip() for a, b in zip(bounds, bounds[1:])]
    if all(len(c) >= _ZH_MIN_CLAUSE for c in clauses):
        return semis
    return []


def _vi_cuts(text: str) -> list[int]:
    cuts: list[int] = []
    for m in _VI_END.finditer(text):
        nxt = _next_visible(text, m.end())
        if nxt is None:
            continue
        ch = text[nxt]
        if not (ch.isupper() or ch.isdigit() or ch in _OPENERS):
            continue  # "…” - ông Mãi nói.", "Osaka... nhằm"
        if m.group().rstrip(_CLOSERS) == "." and _is_abbreviation(text, m.start()):
            continue
        cuts.append(m.end())
    return cuts


def _next_visible(text: str, i: int) -> int | None:
    while i < len(text) and text[i].isspace():
        i += 1
    return i if i < len(text) else None


def _is_abbreviation(text: str, dot: int) -> bool:
    """Whether the word before the period at `dot` is an abbreviation or an initial."""
    i = dot
    while i > 0 and not text[i - 1].isspace() and text[i - 1] not in _OPENERS:
        i -= 1
    word = text[i:dot]
    last = word.rsplit(".", 1)[-1]
    if not last:
        return False
    if last.lower() in _VI_ABBREV or word.lower() in _VI_ABBREV:
        return True
    # An initial ("Nguyễn V. A."); "Á" in "Đông Nam Á." is a word, so ASCII only.
    return len(last) == 1 and "A" <= last <= "Z"
