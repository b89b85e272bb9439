"""Which files of a folder are reports: the inputs of `pair`, `run` and `translate`.

A folder handed to the workbench may also hold what the workbench wrote (aligned
files, locks, journals, backups, exports) and unrelated files. Those are never
read as reports; each skipped file comes with the reason, so commands can say
why in one line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError

# Files the workbench itself writes beside reports or aligned files.
OWN_SUFFIXES = (".jsonl", ".lock", ".journal", ".bak", ".tmp", ".tmx", ".tsv")


@dataclass
class ReportListing:
    files: list[Path] = field(default_factory=list)             # candidate reports, sorted
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, why it is not a report)


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


def list_reports(folder: str | Path) -> ReportListing:
    """The report files directly in `folder` (not below it), and the files skipped, with why."""
    folder = Path(folder)
    if not folder.exists():
        raise WorkbenchError("no such folder", folder)
    if not folder.is_dir():
        raise WorkbenchError("not a folder of reports", folder)
    listing = ReportListing()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or not path.is_file():
            continue
        reason = _own_output(path)
        if reason:
            listing.skipped.append((path, reason))
        else:
            listing.files.append(path)
    return listing
