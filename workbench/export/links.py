"""What an export holds: the links a translator can reuse, each side's English and where it comes from.

Exported: links (two-sided beads) a reviewer confirmed; with `include_auto` also the links
nobody decided yet; never rejected links and never unaligned sentences (they have no
partner, and no score). Every cell or segment is one line of text XML 1.0 can hold.
"""

from __future__ import annotations

import re
from typing import Any

from workbench.store.aligned import AlignedFile, Bead

SIDES = ("zh", "vi")


def exportable(aligned: AlignedFile, include_auto: bool = False) -> list[Bead]:
    """Links a translator can reuse: confirmed ones, and undecided ones on request; never rejected."""
    keep = ("confirmed", "auto") if include_auto else ("confirmed",)
    return [b for b in aligned.beads if b.zh and b.vi and b.status in keep]


# What XML 1.0 cannot hold (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) and what
# it discourages (DEL, C1 controls): report text scraped from the web may carry any of them.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (dropped: they carry no words)."""
    return _NOT_XML.sub("", text)


def one_line(text: str | None) -> str:
    """`text` as one line for a segment or a cell: every run of whitespace (newlines too) is one space."""
    return xml_text(" ".join((text or "").split()))  # split first: U+0085 and U+2028 are breaks too


def english_origin(header: dict[str, Any], bead: Bead, side: str) -> str:
    """Where a side's English comes from: "reviewer", "mt+glossary" or "mt"."""
    if any(h.get("side") == side for h in bead.history):
        return "reviewer"
    sentences = header[side]["sentences"]
    if any(sentences[i].get("en_source") == "glossary" for i in getattr(bead, side)):
        return "mt+glossary"
    return "mt"


def mt_warnings(header: dict[str, Any], bead: Bead, side: str) -> list[str]:
    sentences = header[side]["sentences"]
    return [w for i in getattr(bead, side) for w in sentences[i].get("mt_warnings") or ()]
