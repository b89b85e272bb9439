"""Which files of a folder are reports: the inputs of `pair`, `run` and `translate`.

A report is a text file, a web page (whatever its name: an HTML page saved as
`.txt` is one) or a Word document (.docx), told by content, not by extension.
A folder handed to the workbench may also hold what the workbench wrote (aligned
files, locks, journals, backups, exports) and unrelated files (images, PDFs,
archives, other Office files). Those are never read as reports: each unrelated
file comes with the reason, so commands can say why in one line; the workbench's
own outputs are set apart without a word (an output folder may be the input folder).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError

# Files the workbench itself writes beside reports or aligned files.
OWN_SUFFIXES = (".jsonl", ".lock", ".journal", ".bak", ".tmp", ".tmx", ".tsv")
_SVG = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!DOCTYPE svg[^>]*>\s*)?<svg\b",
                  re.IGNORECASE | re.DOTALL)


@dataclass
class ReportListing:
    files: list[Path] = field(default_factory=list)             # candidate reports, sorted
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, why it is not a report)
    own: list[Path] = field(default_factory=list)                  # written by the workbench


def _own_output(path: Path) -> str | None:
    """Why `path` is a file the workbench wrote, or None."""
    if path.suffix.lower() in OWN_SUFFIXES or path.name.endswith(".en.txt"):
        return "written by workbench, not a report"
    try:
        with path.open("rb") as fh:
            first = fh.readline(4096)
    except OSError:
        return None  # unreadable: loading the report says so with the reason
    if first.lstrip().startswith(b"{"):
        try:
            header = json.loads(first)
        except ValueError:
            return None
        if isinstance(header, dict) and header.get("format") == "workbench-aligned":
            return "an aligned file written by workbench, not a report"
    return None


def _not_a_report(path: Path) -> str | None:
    """Why `path` is not a report by its first bytes (image, PDF, archive, ...), or None."""
    from workbench.reports.formats.docx import zip_kind
    from workbench.reports.loading import ZIP_MAGIC, binary_kind, head_text

    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return None  # unreadable: loading the report says so with the reason
    if head.startswith(ZIP_MAGIC):
        what = zip_kind(path)
        return f"{what}, not a report" if what else None
    what = binary_kind(head)
    if what:
        return f"{what}, not a report"
    text = head_text(head)
    if _SVG.match(text):
        return "an SVG image, not a report"
    if head.count(b"\x00") > max(8, len(head) // 100) and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a binary file, not a report"
    return None


def list_reports(folder: str | Path, recursive: bool = False) -> ReportListing:
    """The report files in `folder` (and below it with `recursive`), and the files skipped, with why.

    Hidden files and folders (".name") are left out without a word.
    """
    folder = Path(folder)
    if not folder.exists():
        raise WorkbenchError("no such folder", folder)
    if not folder.is_dir():
        raise WorkbenchError("not a folder of reports", folder)
    listing = ReportListing()
    paths = folder.rglob("*") if recursive else folder.iterdir()
    for path in sorted(paths):
        if any(part.startswith(".") for part in path.relative_to(folder).parts) or not path.is_file():
            continue
        if _own_output(path):
            listing.own.append(path)
            continue
        reason = _not_a_report(path)
        if reason:
            listing.skipped.append((path, reason))
        else:
            listing.files.append(path)
    return listing
