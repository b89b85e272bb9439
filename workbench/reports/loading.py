"""Bytes to text: read a report, detect its encoding and its language.

Reports arrive as text, web pages or Word files saved in whatever encoding the
scraper or editor used. We accept UTF-8 (with or without BOM), UTF-16/32 with a
BOM, GB18030/GBK and Big5 (and a web page's declared charset); newlines become
LF, the text is normalised to NFC so that the same Vietnamese letter always has
the same code points, and control characters are taken out (and counted).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.reports.source import looks_like_html

MB = 1024 * 1024
# A news report is a few kilobytes; text this large is not one report and reading
# it would only make every later stage slow. The limit is on the report's text:
# a web page or Word file also carries markup, scripts and images around it, so
# its file may be larger, up to MAX_MARKUP_BYTES.
MAX_REPORT_BYTES = 10 * MB
MAX_MARKUP_BYTES = 100 * MB

LANGUAGES = ("zh", "vi")

_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

ZIP_MAGIC = b"PK\x03\x04"
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a media file (RIFF: WebP, WAV, AVI)"),
    (b"%PDF", "a PDF document"),
    (ZIP_MAGIC, "a ZIP archive (or an Office document)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc/.xls); save it as .docx"),
    (b"{\\rtf", "an RTF document; save it as .docx or text"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
)

# C0 and C1 control characters other than tab and newline (CR is gone by then).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# ... of which these break lines (vertical tab, form feed, next line): they become newlines.
_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n"})
_NUL_BYTES = "binary file (NUL bytes; UTF-16 needs a byte-order mark), not a text report"
_CJK_PUNCT = set("。，、；：？！“”‘’「」『』（）《》——…")
_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CHARSET_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030",
                    "big5-hkscs": "big5hkscs", "windows-1258": "cp1258", "utf8": "utf-8"}


@dataclass
class Decoded:
    """Decoded report text (LF newlines, NFC, no control characters) and how it was read."""

    text: str
    encoding: str
    controls_removed: int = 0
    html: bool = False  # the text is a web page's markup


def binary_kind(head: bytes) -> str | None:
    """What a file starting with `head` is when its magic bytes say it is not text, else None."""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            return what
    return None


def head_text(head: bytes) -> str:
    """The first bytes of a file as text, well enough to see whether it starts with markup."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return head.decode(encoding, errors="ignore")
    return head.decode("utf-8", errors="ignore")


def _markup_kind(path: Path) -> str | None:
    """"web page" or "Word file" when `path` starts like one, else None."""
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None
    if head.startswith(ZIP_MAGIC):
        return "Word file"
    return "web page" if looks_like_html(head_text(head)) else None


def read_report_bytes(path: str | Path) -> bytes:
    """The raw bytes of a report, after the checks a user can trip over."""
    p = Path(path)
    if not p.exists():
        raise WorkbenchError("no such file", path)
    if p.is_dir():
        raise WorkbenchError("is a folder, not a report file", path)
    size = p.stat().st_size
    if size > MAX_REPORT_BYTES:
        markup = _markup_kind(p)
        if markup is None:
            raise WorkbenchError(
                f"file is {size / 1e6:.1f} MB; a report may be at most "
                f"{MAX_REPORT_BYTES // MB} MB (split it into one file per report)", path)
        if size > MAX_MARKUP_BYTES:
            raise WorkbenchError(
                f"{markup} is {size / 1e6:.1f} MB; a web page or Word file may be at most "
                f"{MAX_MARKUP_BYTES // MB} MB (its text at most {MAX_REPORT_BYTES // MB} MB)", path)
    try:
        return p.read_bytes()
    except OSError as exc:
        raise WorkbenchError(f"cannot read the file ({exc.strerror or exc})", path) from None


def check_text_size(text: str, path: str | Path | None, what: str = "text") -> None:
    """Refuse a report whose text (for markup: the text extracted from it) is over the limit."""
    size = len(text.encode("utf-8"))
    if size > MAX_REPORT_BYTES:
        source = "file" if what == "text" else f"text of the {'web page' if what == 'html' else 'Word file'}"
        raise WorkbenchError(
            f"the {source} is {size / 1e6:.1f} MB; a report may be at most "
            f"{MAX_REPORT_BYTES // MB} MB of text (split it into one file per report)", path)


def decode(data: bytes, path: str | Path | None = None) -> tuple[str, str]:
    """Decode report bytes; returns (text with LF newlines in NFC, encoding name)."""
    decoded = decode_report(data, path)
    return decoded.text, decoded.encoding


def decode_report(data: bytes, path: str | Path | None = None, sniff_html: bool = False) -> Decoded:
    """Decode report bytes (LF newlines, NFC, control characters removed and counted).

    With `sniff_html`, a file that starts with markup is marked `html` and its
    declared charset is honoured when the bytes are not UTF-8.
    """
    what = binary_kind(data)
    if what:
        raise WorkbenchError(f"binary file ({what}), not a text report", path)
    html = sniff_html and looks_like_html(head_text(data[:4096]))
    declared = _declared_charset(data) if html else None
    text, encoding = _decode_any(data, path, declared)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise WorkbenchError("file is empty", path)
    controls = len(_CONTROL.findall(text))
    if controls > max(8, len(text) // 100):
        raise WorkbenchError("binary file (control characters), not a text report", path)
    text, controls = strip_controls(text)
    if not text.strip():
        raise WorkbenchError("file is empty", path)
    return Decoded(text, encoding, controls, html)


def strip_controls(text: str) -> tuple[str, int]:
    """`text` without C0/C1 control characters (tab and newline stay; line breaks become newlines)."""
    count = len(_CONTROL.findall(text))
    return (_CONTROL.sub("", text.translate(_LINE_BREAKS)), count) if count else (text, 0)


def _declared_charset(data: bytes) -> str | None:
    m = _CHARSET.search(data[:4096])
    if not m:
        return None
    name = m.group(1).decode("ascii", "ignore").lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_any(data: bytes, path: str | Path | None, declared: str | None = None) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise WorkbenchError(f"invalid {encoding} at byte {exc.start}", path) from None
    if not data.strip():
        raise WorkbenchError("file is empty", path)
    if data.count(b"\x00") > max(8, len(data) // 100):
        raise WorkbenchError(_NUL_BYTES, path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if b"\x00" in data:
        raise WorkbenchError(_NUL_BYTES, path)
    if declared and declared not in ("utf-8", "ascii"):
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the declaration is wrong: find the encoding as for text
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
