"""Which language a report is written in: Chinese, Vietnamese, or (refused) another.

Counted in syllables of each script, so a Vietnamese report quoting a Chinese name, or a
Chinese report with English acronyms, is still read as what most of it is.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.textfacts import HAN_CLASS

LANGUAGES = ("zh", "vi")

_KANA_CLASS = "\u3040-\u30ff"
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_WORD = re.compile(f"[{_LATIN}]+")
# Letters found in Vietnamese but (almost) never in other Latin-script
# languages: đ, ă, ơ, ư, and vowels with a hook, dot below or tilde other than ã/õ.
_VI_SPECIFIC = ("đăơư" "ảạằắẳẵặấầẩẫậ" "ẻẽẹếềểễệ" "ỉĩị" "ỏọốồổỗộớờởỡợ" "ủũụứừửữự" "ỳỷỹỵ")
_HAN_OR_KANA_RUN = re.compile(f"[{HAN_CLASS}{_KANA_CLASS}]+")
_KANA = re.compile(f"[{_KANA_CLASS}]")
# A Latin word with a Vietnamese letter, tried once per word start.
_VI_WORD = re.compile(f"(?<![{_LATIN}])(?=[{_LATIN}]*[{_VI_SPECIFIC}{_VI_SPECIFIC.upper()}])[{_LATIN}]+")
_OTHER_WORD = re.compile(f"[^\\W\\d_{HAN_CLASS}{_KANA_CLASS}{_LATIN}]+")
_LATIN_OR_OTHER = re.compile(f"[^\\W\\d_{HAN_CLASS}{_KANA_CLASS}]")
_QUOTE = re.compile('[“「『«”」』»"]')
_OPENING = "“「『«"
# A stretch of Latin words is Vietnamese when at least this share of its words has a
# letter only Vietnamese uses (about one syllable in three does in running text).
_VI_LETTER_SHARE = 0.1
# The report's own words decide its language unless they are too few to tell.
_MIN_OWN_SYLLABLES = 20
MIXED_SHARE = 0.1  # a second language with at least this share of the text makes a report mixed
_UNSUPPORTED = "; the workbench reads Chinese (zh) and Vietnamese (vi) reports"


def _syllables(text: str) -> tuple[dict[str, int], dict[str, int]]:
    """Syllables per language outside and inside quotation marks: ({lang: n}, {lang: n}).

    A Han character, a kana and a Latin word count one syllable each, so a Chinese
    and a Vietnamese text of the same content count about the same (Vietnamese
    writes one syllable a word). Latin words are Vietnamese ("vi") in stretches
    (between Han characters, quotation marks and line ends) with Vietnamese
    letters, else "latin" (English, names, URLs); other scripts count under their
    Unicode script name. A quotation ends at its closing mark or at the end of its line.
    """
    own: dict[str, int] = {}
    quoted: dict[str, int] = {}
    for line in text.split("\n"):
        if line.isascii():  # no Han, no Vietnamese, no other script: fast path
            if '"' not in line:
                words = len(_LATIN_WORD.findall(line))
                if words:
                    own["latin"] = own.get("latin", 0) + words
                continue
        elif not _QUOTE.search(line):
            _count(line, own)
            continue
        inside = False
        start = 0
        for m in (*_QUOTE.finditer(line), None):
            end = m.start() if m else len(line)
            if end > start:
                _count(line[start:end], quoted if inside else own)
            if m:
                mark = m.group()
                inside = mark in _OPENING or (mark == '"' and not inside)
                start = m.end()
    return own, quoted


def _count(segment: str, counts: dict[str, int]) -> None:
    """Add the syllables of `segment` (no quotation marks, no newline) to `counts`."""
    def add(lang: str, n: int) -> None:
        if n:
            counts[lang] = counts.get(lang, 0) + n

    cjk = _HAN_OR_KANA_RUN.findall(segment)
    if cjk:
        runs = "".join(cjk)
        kana = len(_KANA.findall(runs))
        add("ja", kana)
        add("zh", len(runs) - kana)
        if len(runs) == len(segment) or not _LATIN_OR_OTHER.search(segment):
            return
        stretches = _HAN_OR_KANA_RUN.split(segment)
    else:
        stretches = [segment]
    for stretch in stretches:
        words = len(_LATIN_WORD.findall(stretch))
        if words:
            marked = len(_VI_WORD.findall(stretch))
            add("vi" if marked and marked >= _VI_LETTER_SHARE * words else "latin", words)
        for word in _OTHER_WORD.findall(stretch):
            add(unicodedata.name(word[0], "UNKNOWN").split()[0], 1)


_VI_LETTER = re.compile(f"[{_VI_SPECIFIC}{_VI_SPECIFIC.upper()}]")
_HAN = re.compile(f"[{HAN_CLASS}]")


def has_script(text: str, lang: str) -> bool:
    """Whether `text` has any character only `lang` ("zh" or "vi") writes: one quick scan."""
    return bool((_HAN if lang == "zh" else _VI_LETTER).search(text))


def language_shares(text: str) -> dict[str, float]:
    """Share of the text's syllables in each language: {"zh": 0.65, "vi": 0.35}, largest first.

    "latin" is Latin script without Vietnamese letters (English, names); other
    scripts go by their Unicode name ("THAI", "CYRILLIC").
    """
    own, quoted = _syllables(text)
    total = {k: own.get(k, 0) + quoted.get(k, 0) for k in own.keys() | quoted.keys()}
    n = sum(total.values())
    return {k: v / n for k, v in sorted(total.items(), key=lambda kv: -kv[1])} if n else {}


def mixed_share(lang: str, shares: dict[str, float]) -> tuple[str, float] | None:
    """The other workbench language and its share when a `lang` report is mixed, else None."""
    other = "vi" if lang == "zh" else "zh"
    share = shares.get(other, 0.0)
    return (other, share) if share >= MIXED_SHARE else None


def detect_language(text: str, path: str | Path | None = None) -> str:
    """"zh" or "vi": the language of most of the report's own text; WorkbenchError for others.

    Languages are weighed by their share of the syllables, so Latin names and
    URLs on a Chinese page, or English acronyms on a Vietnamese page, weigh what
    they are. Quoted text is someone else's words: a Chinese report quoting long
    Vietnamese passages is still Chinese (the quotes count only when the report
    says too little outside quotation marks to tell).
    """
    own, quoted = _syllables(text)
    total = {k: own.get(k, 0) + quoted.get(k, 0) for k in own.keys() | quoted.keys()}
    kana, han = total.get("ja", 0), total.get("zh", 0)
    if kana >= 3 and kana > han * 0.1:
        raise WorkbenchError("unsupported language (Japanese)" + _UNSUPPORTED, path)
    own_n, all_n = sum(own.values()), sum(total.values())
    basis = own if own_n >= max(_MIN_OWN_SYLLABLES, 0.2 * all_n) else total
    if basis:
        # Ties go to zh, then vi: a Chinese page may quote as many Latin words as it has characters.
        best = max(basis, key=lambda k: (basis[k], k == "zh", k == "vi"))
        if best in LANGUAGES:
            return best
    others = {k: v for k, v in total.items() if k not in ("zh", "vi", "latin", "ja")}
    latin = total.get("latin", 0) + total.get("vi", 0)
    if sum(others.values()) > latin:
        found = max(others, key=others.get).title() + " script"
    elif latin:
        found = "Latin script without Vietnamese diacritics, e.g. English; Vietnamese needs its diacritics"
    else:
        found = "no words found"
    raise WorkbenchError(f"unsupported language ({found})" + _UNSUPPORTED, path)
