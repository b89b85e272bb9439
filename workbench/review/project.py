"""The aligned files of a folder and how far each one's review is: the review app's project view.

A folder's aligned files are its `*.jsonl` files whose first line is an aligned-file
header (hidden files and `.backup/` are left out). Each file's progress is read as a
reviewer last left it (`store.read_aligned_current`: a pending review journal
included), with who holds its lock when another live process reviews it.
"""

from __future__ import annotations

import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.review.session import Progress
from workbench.store.aligned import FORMAT

_HEADER_START = b'{"format": "' + FORMAT.encode() + b'"'


def is_aligned_file(path: Path) -> bool:
    """Whether `path` starts with an aligned-file header (read cheaply: the header line holds
    every sentence of both reports, so only its start is read unless its keys were reordered)."""
    try:
        with path.open("rb") as fh:
            start = fh.read(len(_HEADER_START))
            if start == _HEADER_START:
                return True
            if not start.lstrip().startswith(b"{"):
                return False
            fh.seek(0)
            header = json.loads(fh.readline())
    except (OSError, ValueError):
        return False
    return isinstance(header, dict) and header.get("format") == FORMAT


def aligned_files(folder: str | Path) -> list[Path]:
    """The aligned files directly in `folder`, sorted by name."""
    folder = Path(folder)
    if not folder.exists():
        raise WorkbenchError("no such folder", folder)
    if not folder.is_dir():
        raise WorkbenchError("is a file, not a folder of aligned files", folder)
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise WorkbenchError(f"cannot read the folder: {exc.strerror or exc}", folder) from None
    return [folder / name for name in names
            if name.endswith(".jsonl") and not name.startswith(".") and (folder / name).is_file()
            and is_aligned_file(folder / name)]


@dataclass
class FileStatus:
    """One aligned file of the project: its reports, progress, and whether it can be opened."""

    path: Path
    zh: str = ""
    vi: str = ""
    progress: Progress | None = None
    holder: dict | None = None  # the lock of a live review elsewhere: opening is read-only
    error: str | None = None    # why the file cannot be opened (it is shown, not opened)

    @property
    def locked(self) -> bool:
        return self.holder is not None


def lock_holder(path: Path) -> dict | None:
    """Who reviews `path` now (a live lock that is not stale), or None."""
    from workbench.store import locking

    holder = locking.read_holder(path)
    if holder is None or locking.is_stale(holder) or (holder.get("pid") == os.getpid()
                                                      and holder.get("host") == socket.gethostname()):
        return None
    return holder


def file_status(path: Path) -> FileStatus:
    """The status of one aligned file; a file that cannot be read gets `error` (one line)."""
    from workbench.store.journal import read_aligned_current

    status = FileStatus(path)
    try:
        aligned = read_aligned_current(path)
    except WorkbenchError as exc:
        status.error = str(exc)
        return status
    status.zh = str(aligned.header["zh"].get("file") or "")
    status.vi = str(aligned.header["vi"].get("file") or "")
    status.progress = Progress.of(aligned.beads)
    status.holder = lock_holder(path)
    return status


def holder_text(holder: dict) -> str:
    return f"{holder.get('user', '?')} (pid {holder.get('pid', '?')} on {holder.get('host', '?')})"


class Project:
    """The aligned files of one folder, in name order."""

    def __init__(self, folder: str | Path, files: list[Path] | None = None):
        self.folder = Path(folder)
        self.files = aligned_files(self.folder) if files is None else files

    @classmethod
    def around(cls, path: str | Path) -> "Project":
        """The project of the folder holding `path` (which is in it even if not listed)."""
        path = Path(path)
        project = cls(path.parent)
        if not any(same_file(path, f) for f in project.files):
            project.files = sorted(project.files + [path])
        return project

    def index(self, path: Path) -> int | None:
        return next((i for i, f in enumerate(self.files) if same_file(path, f)), None)

    def neighbour(self, path: Path, step: int) -> Path | None:
        """The file `step` places after (or before) `path`, or None past either end."""
        at = self.index(path)
        if at is None or not 0 <= at + step < len(self.files):
            return None
        return self.files[at + step]


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (by inode when both exist)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)
