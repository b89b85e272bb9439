"""Report file formats: what a file is, by its content, and the text it holds.

    source = read_source("page.html")   # or .docx, .txt, an HTML page saved as .txt
    source.format, source.lines, source.kinds, source.meta

A format reader turns a file into `Source`: the report's text as blocks (one
paragraph, heading, caption or table cell a line), the kind the markup gives a
block where it gives one, the line (HTML) or paragraph (DOCX) each block came
from, what was left out and why, and what the file says about itself (`meta`).
Cleaning and segmentation then treat every format alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.document import Dropped
from workbench.errors import WorkbenchError


@dataclass
class Source:
    """A report's text as read from its file, before cleaning."""

    format: str                      # "text", "html" or "docx"
    encoding: str                    # of the text ("utf-8", "gb18030", ...; "docx" for Word files)
    lines: list[str]                 # blocks of text, in reading order
    kinds: list[str | None] | None = None  # per line: "title"/"body"/"caption" from the markup, None: guess
    source_lines: list[int] | None = None  # per line: where it is in the file (None: line i+1)
    dropped: list[Dropped] = field(default_factory=list)  # what reading the format left out
    meta: dict[str, str] = field(default_factory=dict)
    controls_removed: int = 0        # C0/C1 control characters taken out of the text
    invalid_bytes: tuple[int, int] = (0, 0)  # web page: byte sequences not valid in its encoding, first line

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


# Markup first: an XML declaration, comments, at most one wrapper element of another
# vocabulary that saved-page collections put around a page (CleanEval's `<text id=…
# encoding=…>`), then an element only a web page starts with.
_HTML_START = re.compile(
    r"\A[\s\ufeff]*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"(?:<(?!(?:html|head|body)\b)[a-z][\w:-]*(?:\s[^<>]*)?>[\s\ufeff]*(?:<!--.*?-->\s*)*)?"
    r"<(?:!doctype\s+html|html|head|body|meta|title|link|base|script|style|article|main|div|"
    r"section|header|nav|p|h1|table|center|font|span|form|frameset|ul)\b",
    re.IGNORECASE | re.DOTALL)


def looks_like_html(head: str) -> bool:
    """Whether text starting with `head` is a web page (markup first, whatever the file's name)."""
    return bool(_HTML_START.match(head))


def read_source(path: str | Path) -> tuple[Source, bytes]:
    """Read report file `path` in whichever format its content is; the Source and the raw bytes."""
    from workbench.loading import check_text_size, decode_report, read_report_bytes

    data = read_report_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        from workbench.formats.docx import read_docx

        source = read_docx(data, path)
    else:
        decoded = decode_report(data, path, sniff_html=True)
        if decoded.html:
            from workbench.formats.html import read_html

            source = read_html(decoded.text, path)
            source.encoding = decoded.encoding
            source.invalid_bytes = decoded.invalid
        else:
            source = Source("text", decoded.encoding, decoded.text.split("\n"), meta={"format": "text"})
        source.controls_removed += decoded.controls_removed
    check_text_size(source.text, path, source.format)
    if not any(line.strip() for line in source.lines):
        raise WorkbenchError(f"no text found in the {_NAMES[source.format]}", path)
    return source, data


_NAMES = {"text": "file", "html": "web page", "docx": "Word document"}


def format_name(fmt: str) -> str:
    return _NAMES.get(fmt, fmt)
