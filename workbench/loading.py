"""Bytes to text: read a report, detect its encoding and its language.

Reports are scraped web pages saved in whatever encoding the scraper used.
We accept UTF-8 (with or without BOM), UTF-16/32 with a BOM, GB18030/GBK and
Big5; newlines become LF and the text is normalised to NFC so that the same
Vietnamese letter always has the same code points.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.textfacts import HAN as _HAN
from workbench.textfacts import HAN_RUN as _HAN_RUN

# A news report is a few kilobytes; anything this large is not one report and
# reading it would only make every later stage slow.
MAX_REPORT_BYTES = 10 * 1024 * 1024

LANGUAGES = ("zh", "vi")

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "an executable"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_CJK_PUNCT = set("。，、；：？！“”‘’「」『』（）《》——…")


def read_report_bytes(path: str | Path) -> bytes:
    """The raw bytes of a report, after the checks a user can trip over."""
    p = Path(path)
    if not p.exists():
        raise WorkbenchError("no such file", path)
    if p.is_dir():
        raise WorkbenchError("is a folder, not a report file", path)
    size = p.stat().st_size
    if size > MAX_REPORT_BYTES:
        raise WorkbenchError(
            f"file is {size / 1e6:.1f} MB; a report may be at most "
            f"{MAX_REPORT_BYTES // (1024 * 1024)} MB (split it into one file per report)", path)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"cannot read the file ({exc.strerror or exc})", path) from None


def decode(data: bytes, path: str | Path | None = None) -> tuple[str, str]:
    """Decode report bytes; returns (text with LF newlines in NFC, encoding name)."""
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise WorkbenchError(f"binary file ({what}), not a text report", path)
    text, encoding = _decode_any(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise WorkbenchError("file is empty", path)
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise WorkbenchError("binary file (control characters), not a text report", path)
    return text, encoding


def _decode_any(data: bytes, path: str | Path | None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise WorkbenchError(f"invalid {encoding} at byte {exc.start}", path) from None
    if not data.strip():
        raise WorkbenchError("file is empty", path)
    if b"\x00" in data:
        raise WorkbenchError("binary file (NUL bytes; UTF-16 needs a byte-order mark), "
                             "not a text report", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    # Legacy Chinese encodings: a byte string often decodes under both, so
    # keep the reading made of common characters rather than rare ones.
    best: tuple[float, str, str] | None = None
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _common_cjk_ratio(text, encoding)
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None or best[0] < 0.5:
        # Most likely UTF-8 with a damaged byte: point at it.
        bad = data[utf8_error.start]
        line = data.count(b"\n", 0, utf8_error.start) + 1
        raise WorkbenchError(f"unknown text encoding: byte 0x{bad:02x} is not UTF-8, and the file is "
                             "not UTF-16, GB18030/GBK or Big5 either; save the report as UTF-8",
                             path, line)
    return best[1], best[2]


def _common_cjk_ratio(text: str, encoding: str) -> float:
    """Share of non-ASCII characters that are common Chinese characters or punctuation.

    Common = GB2312 level 1 (lead byte B0-D7) for GB text, Big5 frequent
    characters (lead byte A4-C6) for Big5 text; mojibake lands mostly elsewhere.
    """
    lo, hi, table = (0xB0, 0xD7, "gb2312") if encoding == "gb18030" else (0xA4, 0xC6, "big5")
    total = common = 0
    for ch in text:
        if ch < "\x80" or ch.isspace():
            continue
        total += 1
        if ch in _CJK_PUNCT:
            common += 1
            continue
        try:
            lead = ch.encode(table)[0]
        except UnicodeEncodeError:
            continue
        if lo <= lead <= hi:
            common += 1
    return common / total if total else 1.0


# --- language ---------------------------------------------------------------

_KANA = re.compile(r"[\u3040-\u30ff]")
_KANA_RUN = re.compile(_KANA.pattern + "+")
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff"
_LATIN_WORD = re.compile(f"[{_LATIN}]+")
_ANY_WORD = re.compile(r"[^\W\d_]+")
# Letters found in Vietnamese but (almost) never in other Latin-script
# languages: đ, ă, ơ, ư, and vowels with a hook, dot below or tilde other than ã/õ.
_VI_SPECIFIC = ("đăơư" "ảạằắẳẵặấầẩẫậ" "ẻẽẹếềểễệ" "ỉĩị" "ỏọốồổỗộớờởỡợ" "ủũụứừửữự" "ỳỷỹỵ")
_VI_SPECIFIC_RUN = re.compile(f"[{_VI_SPECIFIC}{_VI_SPECIFIC.upper()}]+")
_UNSUPPORTED = "; the workbench reads Chinese (zh) and Vietnamese (vi) reports"


def detect_language(text: str, path: str | Path | None = None) -> str:
    """"zh" or "vi", by script; raises WorkbenchError for any other language.

    Chinese is told by Han characters (each counts as a word: a Chinese page may
    quote Latin names and URLs); Vietnamese by letters only Vietnamese uses
    (about one in three of its syllables has one; a Vietnamese page may quote
    English acronyms and names, other Latin-script languages have none).
    """
    han = _count_chars(_HAN_RUN, text)
    kana = _count_chars(_KANA_RUN, text)
    if kana >= 3 and kana > han * 0.1:
        raise WorkbenchError("unsupported language (Japanese)" + _UNSUPPORTED, path)
    words = _LATIN_WORD.findall(text)
    if han and han >= len(words):
        return "zh"
    specific = _count_chars(_VI_SPECIFIC_RUN, text)
    visible = len(text) - sum(text.count(ch) for ch in " \n\t")
    if words and specific >= 0.1 * len(words) and sum(map(len, words)) + han >= 0.5 * visible:
        return "vi"
    others = _other_scripts(text)
    if sum(others.values()) > len(words):
        found = max(others, key=others.get).title() + " script"
    elif words:
        found = "Latin script without Vietnamese diacritics, e.g. English; Vietnamese needs its diacritics"
    else:
        found = "no words found"
    raise WorkbenchError(f"unsupported language ({found})" + _UNSUPPORTED, path)


def _count_chars(runs: re.Pattern, text: str) -> int:
    return sum(map(len, runs.findall(text)))


def _other_scripts(text: str) -> dict[str, int]:
    """Words per script for words in neither Latin nor Han/Kana script (Thai, Cyrillic, ...)."""
    counts: dict[str, int] = {}
    for word in _ANY_WORD.findall(text):
        first = word[0]
        if _LATIN_WORD.match(first) or _HAN.match(first) or _KANA.match(first):
            continue
        script = unicodedata.name(first, "UNKNOWN").split()[0]
        counts[script] = counts.get(script, 0) + 1
    return counts
