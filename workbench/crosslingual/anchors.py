"""Language-neutral anchors: numbers, percentages, years, dates and Latin-script names.

`extract_anchors` turns a zh or vi text into keys that compare across scripts:
9月24日, 24-9, 24/9 and "ngày 24 tháng 9" all become `date:24/9`; 2024年 and
"năm 2024" become `year:2024`; 23% becomes `pct:23`; 35个 and "35 đoàn" become
`num:35` (Vietnamese 1.000 is a thousand, Chinese 1.000 one); 588万 and
"5,88 triệu" both become `num:5880000`; GDP, C4IR, Torino become `name:gdp`,
`name:c4ir`, `name:torino`. Precision matters more than recall: a Vietnamese
word is a name only if it cannot be a Vietnamese syllable or word.
"""

from __future__ import annotations

import math
import re

from workbench.textfacts import FULLWIDTH_DIGITS as _FULLWIDTH
from workbench.textfacts import SCALE_WORDS as _SCALE
from workbench.textfacts import number_key as _number_key
from workbench.textfacts import parse_number

_NOISE = re.compile(
    r"https?://\S+|www\.\S+|\S+\.(?:jpe?g|png|gif|webp|svg)\b|"
    r"\b[\w-]+(?:\.[\w-]+)*\.(?:vn|com|net|org|gov|edu|cn|info)(?:/\S*)?",
    re.IGNORECASE)
# Cheap scans that tell whether the costlier substitutions below have anything to do.
_NOISE_HINT = re.compile(r"https?://|www\.|\.(?:jpe?g|png|gif|webp|svg|vn|com|net|org|gov|edu|cn|info)\b",
                         re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_LINKED_DIGITS = re.compile(r"\d[-–/.]\s?\d")
_MONTH_WORD = re.compile("tháng", re.IGNORECASE)
_FULLWIDTH_HINT = re.compile("[\uff05\uff0c-\uff0f\uff10-\uff19\uff5e]")

# --- dates --------------------------------------------------------------------
_ZH_DATE = re.compile(r"(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?(?:(?:至|到|-|—|–|~)(\d{1,2})日)?")
_ZH_MONTH = re.compile(r"(\d{4})年(\d{1,2})月(?!\d)")
_VI_DATE_WORDS = re.compile(
    r"ngày\s+(\d{1,2})(?:\s*(?:-|–|đến|và)\s*(?:ngày\s+)?(\d{1,2}))?\s+tháng\s+(\d{1,2})"
    r"(?:\s+năm\s+(\d{4}))?", re.IGNORECASE)
_VI_DATE_SPAN = re.compile(
    r"ngày\s+(\d{1,2})\s+(?:đến|tới)\s+(?:ngày\s+)?(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}))?(?![\d/])",
    re.IGNORECASE)
_VI_DATE = re.compile(
    r"(?<![\d/.,])(?:(\d{1,2})\s?[-–]\s?)?(\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}))?(?![\d/]|[.,]\d)")
_CLOCK = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
# Unambiguous in either language: 26/09/2024, 2024-09-26.
_FULL_DATE = re.compile(r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"
                        r"|(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_VI_MONTH = re.compile(r"tháng\s+(\d{1,2})[/-](\d{4})|tháng\s+(\d{1,2})\s+năm\s+(\d{4})",
                       re.IGNORECASE)

# --- numbers ----------------------------------------------------------------------
_PCT = {"zh": re.compile(r"(\d+(?:\.\d+)?)\s?%|百分之(\d+(?:\.\d+)?)"),
        "vi": re.compile(r"(\d+(?:,\d+)?)\s?(?:%|phần trăm)", re.IGNORECASE)}
_NUM = {"zh": re.compile(r"(?<![\d.,A-Za-z])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\dA-Za-z])\s?(万|亿)?"),
        "vi": re.compile(r"(?<![\d.,A-Za-z])(\d{1,3}(?:\.\d{3})+|\d+)(,\d+)?(?![\dA-Za-z])"
                         r"(?:\s?(nghìn|ngàn|triệu|tỷ|tỉ)(?!\w))?", re.IGNORECASE)}
_YEAR_RANGE = (1900, 2100)

# Chinese numerals for small counts: 三十五个, 第十四次 (only before a counter or after 第).
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_ZH_NUMERAL = re.compile(r"(第)?([零〇一二两三四五六七八九十百]+)(?(1)|(?=个|名|次|届|家|位|项|国|天|人|年|座|所|条|大))")

# --- names --------------------------------------------------------------------------
_LATIN_TOKEN = re.compile(r"[0-9A-Za-zÀ-ɏḀ-ỿ]+(?:[-'][0-9A-Za-zÀ-ɏḀ-ỿ]+)*")
# The same tokens, but only those holding an ASCII capital (every name does): the regex
# engine skips the other words, which are most of a Vietnamese text.
_CAPITAL_TOKEN = re.compile(r"(?<![0-9A-Za-zÀ-ɏḀ-ỿ])(?=[0-9A-Za-zÀ-ɏḀ-ỿ'-]*[A-Z])"
                            + _LATIN_TOKEN.pattern)
_ASCII_NAME = re.compile(r"[0-9A-Za-z]*[A-Za-z][0-9A-Za-z]*(?:-[0-9A-Za-z]+)*")
# Vietnamese acronyms and newspaper tags: Vietnamese words, not names to anchor on.
VI_ACRONYM_STOPLIST = frozenset("""
UBND HĐND TP TPHCM HCM MTTQ TW TƯ ĐBQH CNTT KT XH GS PGS TS THS THPT THCS ĐH CĐ CLB QĐ NQ CP
BCH BCT VN VNĐ VND ĐCSVN CHXHCN QH TTG ND TT BQL HTX DN DNNN KCN KKT CSGT CAND QĐND
PLO NLĐO NLĐ TTO TTXVN VOV VTV VTC VNA SGGP ANTĐ HNM VNE ZNEWS TN VNEXPRESS ĐT
""".split())
_VI_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnpqrstvx])?"
    r"[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt]|[iyuo])?")


def _sentence_initial(text: str, start: int) -> bool:
    before = text[max(0, start - 8):start].rstrip(" \t")
    return not before or before[-1] in ".!?:;“”\"'([–-\n"


def _zh_numeral(text: str) -> int | None:
    if len(text) > 1 and not set(text) & {"十", "百"}:  # 二〇二四: digit by digit
        return int("".join(str(_ZH_DIGITS[c]) for c in text))
    total, current = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            current = _ZH_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
    value = total + current
    return value or None


def _date(day: str | int, month: str | int) -> str | None:
    d, m = int(day), int(month)
    return f"date:{d}/{m}" if 1 <= d <= 31 and 1 <= m <= 12 else None


def _year(y: str | None) -> str | None:
    return f"year:{int(y)}" if y and _YEAR_RANGE[0] <= int(y) <= _YEAR_RANGE[1] else None


class _Spans:
    """Character ranges already claimed by an anchor, so a date's digits are not numbers too."""

    def __init__(self, n: int):
        self.taken = bytearray(n)

    def free(self, m: re.Match) -> bool:
        return self.taken.find(1, m.start(), m.end()) < 0

    def take(self, m: re.Match) -> None:
        self.taken[m.start():m.end()] = b"\1" * (m.end() - m.start())


def extract_anchors(text: str, lang: str) -> set[str]:
    """Anchor keys of a zh or vi text: `date:24/9`, `year:2024`, `month:9/2024`,
    `pct:23`, `num:35`, `name:torino`."""
    if lang not in ("zh", "vi"):
        raise ValueError(f"unsupported language {lang!r}")
    if _FULLWIDTH_HINT.search(text):
        text = text.translate(_FULLWIDTH)
    if _NOISE_HINT.search(text):
        text = _NOISE.sub(lambda m: " " * len(m.group(0)), text)
    spans = _Spans(len(text))
    keys: set[str] = set()

    def add(m: re.Match, *found: str | None) -> None:
        spans.take(m)
        keys.update(k for k in found if k)

    if not _DIGIT.search(text):
        keys.update(_zh_numerals(text, spans) if lang == "zh" else ())
        keys.update(_latin_names(text, lang))
        return keys
    linked = _LINKED_DIGITS.search(text) is not None   # 24/9, 24-9, 2.7: dates need one
    for m in _CLOCK.finditer(text) if ":" in text else ():
        spans.take(m)  # 06:00 is a time of day, not two numbers
    for m in _FULL_DATE.finditer(text) if linked else ():
        day, month, year = m.group(1, 2, 3) if m.group(1) else m.group(6, 5, 4)
        if _date(day, month):
            add(m, _date(day, month), _year(year))

    if lang == "zh" and "月" in text:
        for m in _ZH_DATE.finditer(text):
            _, month, day, day2 = m.groups()
            if spans.free(m) and _date(day, month):
                add(m, _date(day, month), _date(day2, month) if day2 else None, _year(m.group(1)))
        for m in _ZH_MONTH.finditer(text):
            if spans.free(m) and 1 <= int(m.group(2)) <= 12:
                add(m, f"month:{int(m.group(2))}/{int(m.group(1))}", _year(m.group(1)))
    elif lang == "vi":
        month_word = _MONTH_WORD.search(text) is not None
        for pattern in (_VI_DATE_WORDS,) * month_word + (_VI_DATE_SPAN,) * linked:
            for m in pattern.finditer(text):
                day, day2, month, year = m.groups()
                if spans.free(m) and _date(day, month):
                    add(m, _date(day, month), _date(day2, month) if day2 else None, _year(year))
        for m in _VI_DATE.finditer(text) if linked else ():
            day1, day, month, year = m.groups()
            if spans.free(m) and _date(day, month) and (day1 is None or _date(day1, month)):
                add(m, _date(day, month), _date(day1, month) if day1 else None, _year(year))
        for m in _VI_MONTH.finditer(text) if month_word else ():
            month, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            if spans.free(m) and 1 <= int(month) <= 12:
                add(m, f"month:{int(month)}/{int(year)}", _year(year))

    for m in _PCT[lang].finditer(text):
        if spans.free(m):
            raw = m.group(1) or m.group(2)
            add(m, "pct:" + _number_key(parse_number(raw, lang)))

    for m in _NUM[lang].finditer(text):
        if not spans.free(m):
            continue
        intpart, frac, scale = m.groups()
        value = parse_number(intpart + (frac or ""), lang)
        if value is None:
            continue
        if scale:
            value *= _SCALE[scale.lower()]
        elif frac is None and "," not in intpart and "." not in intpart and len(intpart) == 4:
            year = _year(intpart)
            if year:
                add(m, year)
                continue
        add(m, "num:" + _number_key(value))

    if lang == "zh":
        keys.update(_zh_numerals(text, spans))

    keys.update(_latin_names(text, lang))
    return keys


KIND_ORDER = ("date", "month", "year", "pct", "num", "name")


def anchor_sort_key(key: str) -> tuple[int, str, tuple[float, ...], str]:
    """A total order over anchor keys of every kind: by kind (KIND_ORDER, unknown kinds
    last), then chronologically or numerically, then by text. `date:2/10` < `date:24/10`,
    `pct:2.7` < `pct:3`; keys of any mix compare without error."""
    kind, _, value = key.partition(":")
    rank = KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)
    numbers: tuple[float, ...] = ()
    if kind in ("date", "month", "year", "pct", "num"):
        parts = value.split("/")
        try:
            numbers = tuple(float(p) for p in reversed(parts))  # 24/9 -> (9, 24): month first
        except ValueError:
            numbers = ()
        if not all(map(math.isfinite, numbers)):  # "nan" would break the order
            numbers = ()
    return rank, kind, numbers, value


def _zh_numerals(text: str, spans: _Spans) -> set[str]:
    keys = set()
    for m in _ZH_NUMERAL.finditer(text):
        if spans.free(m):
            value = _zh_numeral(m.group(2))
            if value is not None:
                spans.take(m)
                is_year = len(m.group(2)) == 4 and text.startswith("年", m.end())
                keys.add((_year(str(value)) if is_year else None) or f"num:{value}")
    return keys


def _latin_names(text: str, lang: str) -> set[str]:
    names = set()
    for m in _CAPITAL_TOKEN.finditer(text):
        token = m.group(0)
        if not _ASCII_NAME.fullmatch(token) or not any(c.isalpha() for c in token):
            continue  # Vietnamese words carry diacritics; Latin names here are ASCII
        letters = sum(c.isalpha() for c in token)
        if lang == "zh":
            if any(c.isupper() for c in token) and (letters >= 2 or any(c.isdigit() for c in token)):
                names.add("name:" + token.lower())
            continue
        if token.upper() in VI_ACRONYM_STOPLIST or _VI_SYLLABLE.fullmatch(token.lower()):
            continue  # a Vietnamese word written without marks (NHI, Long), not a name
        if letters >= 2 and token == token.upper():
            names.add("name:" + token.lower())
        elif token[0].isupper() and token[1:].islower() and not _sentence_initial(text, m.start()):
            names.add("name:" + token.lower())
    return names
