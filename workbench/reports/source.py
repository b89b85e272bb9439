"""What a format reader returns (`Source`), and how a file's first bytes say it is a web page."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.reports.document import Dropped


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

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


_HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*"
    r"<(?:!doctype\s+html|html|head|body|meta|title|article|main|div|section|header|nav|p|h1)\b",
    re.IGNORECASE | re.DOTALL)


def looks_like_html(head: str) -> bool:
    """Whether text starting with `head` is a web page (markup first, whatever the file's name)."""
    return bool(_HTML_START.match(head))


_NAMES = {"text": "file", "html": "web page", "docx": "Word document"}


def format_name(fmt: str) -> str:
    return _NAMES.get(fmt, fmt)
