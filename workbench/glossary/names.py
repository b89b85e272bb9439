"""Vietnamese personal names in text, their English form, and Sino-Vietnamese readings."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from workbench import hanviet
from workbench.glossary.match import fold_accents

# Common family names; ambiguous ones that are also frequent given names or
# words (Mai, Hà, Cao, Thái, Châu, Lâm) are left out so they do not start a name.
VI_SURNAMES = frozenset("""
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trương Đào
Tạ Tô Lương Lưu Trịnh Quách Triệu Văn Kiều Khổng Mạc Thân Tôn Nghiêm Lại Giang
""".split()) - {"Văn"}

_SYLLABLE = re.compile(r"[^\W\d_]+", re.UNICODE)


def is_capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def capitalised_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of consecutive capitalised syllables (separated by single spaces): [(start, end, syllable)]."""
    text = unicodedata.normalize("NFC", text)
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for m in _SYLLABLE.finditer(text):
        word = m.group()
        if is_capitalised(word) and (not current or text[current[-1][1]:m.start()] == " "):
            current.append((m.start(), m.end(), word))
            continue
        if len(current) > 1:
            runs.append(current)
        current = [(m.start(), m.end(), word)] if is_capitalised(word) else []
    if len(current) > 1:
        runs.append(current)
    return runs


def vi_name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of Vietnamese personal names: a family name then 1–3 capitalised syllables.

    Spans index the NFC form of `text` (the same as `text` for NFC input).
    """
    spans = []
    for run in capitalised_runs(text):
        i = 0
        while i < len(run) - 1:
            if run[i][2] in VI_SURNAMES:
                j = min(len(run), i + 4)
                spans.append((run[i][0], run[j - 1][1]))
                i = j
            else:
                i += 1
    return spans


def english_name(vi: str) -> str:
    """The English form of a Vietnamese name: the same letters without marks (Phan Văn Mãi -> Phan Van Mai)."""
    return fold_accents(unicodedata.normalize("NFC", vi))


def toneless(s: str) -> str:
    return fold_accents(unicodedata.normalize("NFC", s).lower())


@lru_cache(maxsize=None)
def readings(ch: str) -> tuple[str, ...]:
    """Toneless Sino-Vietnamese readings of a Han character (empty when unknown)."""
    return tuple(toneless(r) for r in hanviet.readings(ch))


def name_reading(zh: str) -> str:
    """Reading of a Han name with tone marks and capitals (潘文迈 -> Phan Văn Mại), for evidence."""
    return hanviet.name_reading(zh)
