"""Facts about text that every stage shares: scripts, accent folding, names, numbers.

One place for the character ranges of Han script, the two ways of removing
Vietnamese marks, the Vietnamese family names that start a personal name, and
how each language writes numbers. Loading, cleaning, pairing, alignment, the
glossary and the review app all read them from here, so they agree.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# --- scripts ---------------------------------------------------------------------

# CJK Unified Ideographs, Extension A, Compatibility Ideographs and the supplementary
# planes (Extensions B-F): every Han character a Chinese news page uses.
HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
HAN = re.compile(f"[{HAN_CLASS}]")
HAN_RUN = re.compile(f"[{HAN_CLASS}]+")


def is_han(ch: str) -> bool:
    """Whether one character is a Han (Chinese) character."""
    return HAN.match(ch) is not None


@lru_cache(maxsize=1)
def _to_simplified():
    import opencc  # on first use: commands that never read Chinese (--help, exports) skip loading it

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """Chinese in simplified characters (們這說 -> 们这说), the same length as `text`.

    Word lists and glossaries are written once, in simplified characters; text in
    traditional characters (Taiwan, Hong Kong) is matched against them in this form.
    OpenCC converts by phrase (乾燥 -> 干燥, 乾隆 stays); where a phrase would change the
    length, each character is converted alone, so positions still point into `text`.
    """
    if text.isascii():
        return text
    out = _to_simplified().convert(text)
    if len(out) == len(text):
        return out
    chars = [_to_simplified().convert(ch) for ch in text]
    return "".join(c if len(c) == 1 else ch for c, ch in zip(chars, text))


# --- Vietnamese marks ----------------------------------------------------------------

_STRIP = {cp: None for cp in range(0x300, 0x370)} | {ord("đ"): "d", ord("Đ"): "d"}


def strip_tones(text: str) -> str:
    """Lowercase without any Vietnamese mark (đ -> d): "Truyền" -> "truyen".

    For comparing syllables and searching; the result may be shorter than `text`.
    """
    return unicodedata.normalize("NFD", text).translate(_STRIP).lower()


def _accent_table() -> dict[int, str]:
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
        if len(base) == 1 and base != ch:
            table[cp] = base
    return table


_ACCENTS = _accent_table()


def fold_accents(text: str) -> str:
    """Remove the marks of NFC text, keeping its length and case (Mãi -> Mai, đ -> d).

    Offsets into the result are offsets into `text`, which matching needs.
    """
    return text.translate(_ACCENTS)


# --- Vietnamese personal names ------------------------------------------------------

# Family names that start a personal name. Those that are also frequent given names
# or words (Mai, Hà, Cao, Thái, Châu, Lâm, ...) are kept apart: they start a name only
# where other evidence confirms it (a Han spelling whose readings match, for instance).
VI_SURNAMES = frozenset("""
Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Đoàn Trương Đào
Tạ Tô Lương Lưu Trịnh Quách Triệu Kiều Khổng Mạc Thân Tôn Nghiêm Lại Giang
""".split())
VI_SURNAMES_AMBIGUOUS = frozenset("Mai Hà Cao Thái Châu Lâm Tống Hứa Khúc Chu La Lục Âu Doãn Ninh".split())
_ALL_SURNAMES = VI_SURNAMES | VI_SURNAMES_AMBIGUOUS
_SYLLABLE = re.compile(r"[^\W\d_]+")
MAX_NAME_SYLLABLES = 4


def is_capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or word[1:].islower())


def capitalised_runs(text: str) -> list[list[tuple[int, int, str]]]:
    """Runs of two or more capitalised syllables separated by single spaces:
    [[(start, end, syllable), ...], ...], offsets into the NFC form of `text`."""
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


def is_vi_surname(word: str, ambiguous: bool = False) -> bool:
    """Whether `word` (NFC, marks as written) is a family name; with `ambiguous`, also those
    that are common words. Marks count: Đường (street) is not Dương."""
    return word in (_ALL_SURNAMES if ambiguous else VI_SURNAMES)


def vi_name_spans(text: str, ambiguous: bool = False) -> list[tuple[int, int]]:
    """Spans of Vietnamese personal names: a family name then 1-3 capitalised syllables.

    Spans index the NFC form of `text`. With `ambiguous`, family names that are also
    common words start a name too (for callers that confirm names by other evidence).
    """
    spans = []
    for run in capitalised_runs(text):
        i = 0
        while i < len(run) - 1:
            if is_vi_surname(run[i][2], ambiguous):
                j = min(len(run), i + MAX_NAME_SYLLABLES)
                spans.append((run[i][0], run[j - 1][1]))
                i = j
            else:
                i += 1
    return spans


def vi_person_names(text: str, ambiguous: bool = False) -> list[str]:
    """The names `vi_name_spans` finds, as text, first occurrence each, in order."""
    text = unicodedata.normalize("NFC", text)
    return list(dict.fromkeys(text[a:b] for a, b in vi_name_spans(text, ambiguous)))


# --- numbers -----------------------------------------------------------------------

# Full-width digits and signs that Chinese pages use for numbers.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９％．，／－～", "0123456789%.,/-~")
# Where each language puts its thousands separator and its decimal mark:
# Vietnamese 1.000,5 is Chinese (and English) 1,000.5.
THOUSANDS = {"zh": ",", "vi": ".", "en": ","}
DECIMAL = {"zh": ".", "vi": ",", "en": "."}
SCALE_WORDS = {"万": 10**4, "亿": 10**8, "nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6,
               "tỷ": 10**9, "tỉ": 10**9}


def parse_number(text: str, lang: str) -> Decimal | None:
    """A number as `lang` writes it ("1.000,5" in vi, "1,000.5" in zh), or None."""
    text = text.translate(FULLWIDTH_DIGITS).replace(THOUSANDS[lang], "").replace(DECIMAL[lang], ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def number_key(value: Decimal) -> str:
    """Canonical text of a number, the same whatever the language wrote: 2.70 -> "2.7"."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
