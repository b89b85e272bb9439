"""The review journal: `<file>.journal`, so every acknowledged edit survives a crash or kill -9.

Each review edit replaces a run of beads (`start`, `count`) by new beads (`after`);
the journal gets one JSON line per edit, flushed and fsynced before the edit counts
as done. Saving compacts it: the file is written atomically, then the journal is
emptied (or keeps only the edits made while the save ran).

Lines, all ending in `\\n`:
- first `{"journal": "workbench-review-journal", "version": 1, "base": H}`: the
  edits apply to the file whose bytes hash (sha256) to H;
- an edit `{"seq": n, "edit": label, "start": s, "count": c, "after": [bead, ...]}`;
- before a save renames the new file into place, `{"saved": H2, "seq": n}`: the
  file hashing to H2 holds every edit up to `seq`.

Replaying against the file on disk (hash h): h == base applies every edit; a
`saved` mark with h applies the edits after its `seq` (a crash between the
rename and the compaction must not apply an edit twice); any other h means the
file was replaced since (e.g. re-aligned after reading the journal), and the
journal is ignored. A torn last line (killed mid-write) is ignored.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store.aligned import (
    AlignedFile,
    Bead,
    content_hash,
    dumps_line,
    parse_aligned,
    read_bytes,
)
from workbench.store.files import (
    WriteError,
    atomic_write_bytes,
    write_all,
    write_target,
)

JOURNAL_FORMAT = "workbench-review-journal"
JOURNAL_VERSION = 1


def journal_path(path: str | Path) -> Path:
    """`<file>.journal` beside the file itself (a symlink's target), like its lock."""
    path = write_target(Path(path))
    return path.with_name(path.name + ".journal")


def _lines(data: bytes) -> list[tuple[int, dict[str, Any]]]:
    """(line number, object) of the complete lines, up to the first that does not parse."""
    out = []
    *complete, _torn = data.split(b"\n")  # bytes after the last \n: a write cut short
    for number, raw in enumerate(complete, start=1):
        try:
            obj = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            break
        if not isinstance(obj, dict):
            break
        out.append((number, obj))
    return out


def replay(path: str | Path, aligned: AlignedFile, digest: str) -> int:
    """Apply to `aligned` (the file at `path`, whose bytes hash to `digest`) the journaled edits
    it does not hold yet; returns how many. Nothing is written.

    An edit that does not fit (a damaged journal) stops the replay there: the edits before it
    are kept, and the file is still a valid alignment.
    """
    jpath = journal_path(path)
    try:
        data = jpath.read_bytes()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        raise WorkbenchError(f"cannot read the review journal: {exc.strerror or exc}", jpath) from None
    lines = _lines(data)
    if not lines or lines[0][1].get("journal") != JOURNAL_FORMAT:
        return 0
    if lines[0][1].get("base") == digest:
        after = -1
    else:
        marks = [obj["seq"] for _, obj in lines if obj.get("saved") == digest and type(obj.get("seq")) is int]
        if not marks:
            return 0  # the file was replaced since: these edits belong to another content
        after = marks[-1]
    sizes = {side: len(aligned.header[side]["sentences"]) for side in ("zh", "vi")}
    applied = 0
    for number, obj in lines[1:]:
        if "saved" in obj:
            continue
        seq, start, count, new = obj.get("seq"), obj.get("start"), obj.get("count"), obj.get("after")
        if not (type(seq) is int and type(start) is int and type(count) is int and isinstance(new, list)):
            break
        if seq <= after:
            continue
        if not (0 <= start and 0 <= count and start + count <= len(aligned.beads)):
            break
        try:
            beads = [Bead.from_json(b, jpath, number, sizes) for b in new]
        except WorkbenchError:
            break
        if _sentences(aligned.beads[start:start + count]) != _sentences(beads):
            break  # every review edit re-cuts the same sentences: anything else is damage
        aligned.beads[start:start + count] = beads
        applied += 1
    return applied


def _sentences(beads: list[Bead]) -> tuple[list[int], list[int]]:
    return sorted(i for b in beads for i in b.zh), sorted(i for b in beads for i in b.vi)


class Journal:
    """The journal of one review session (the lock holder's): append an edit, mark and compact saves.

    Thread-safe: edits are recorded from the UI thread while a save runs in a worker.
    """

    def __init__(self, path: str | Path, base: str):
        self.file = journal_path(path)
        self.base = base  # hash of the file content the pending edits apply to
        self._fd: int | None = None
        # Lines after the header, as (seq, line); a save mark has seq None.
        self._tail: list[tuple[int | None, bytes]] = []
        self._lock = threading.Lock()

    def record(self, seq: int, label: str, start: int, count: int, after: list[Bead]) -> None:
        """Append one edit and fsync it; raises WriteError (the edit must then not be applied)."""
        line = dumps_line({"seq": seq, "edit": label, "start": start, "count": count,
                           "after": [b.to_json() for b in after]}).encode("utf-8")
        with self._lock:
            self._append(seq, line)

    def mark_saved(self, digest: str, seq: int) -> None:
        """Before the file holding every edit up to `seq` (hashing to `digest`) replaces the old one."""
        with self._lock:
            if self._tail:
                self._append(None, dumps_line({"saved": digest, "seq": seq}).encode("utf-8"))

    def compact(self, digest: str, seq: int) -> None:
        """After the save: keep only the edits after `seq`, now applying to the file hashing to `digest`."""
        with self._lock:
            self._close()
            self.base = digest
            self._tail = [(s, line) for s, line in self._tail if s is not None and s > seq]
            if self._tail:
                self._start()
            else:
                self.file.unlink(missing_ok=True)

    def discard(self) -> None:
        """Remove the journal file (its edits are in the file, or belong to replaced content)."""
        with self._lock:
            self._close()
            self.file.unlink(missing_ok=True)

    def close(self) -> None:
        with self._lock:
            self._close()

    def _append(self, seq: int | None, line: bytes) -> None:
        try:
            if self._fd is None:
                self._start()
            write_all(self._fd, line)
            os.fsync(self._fd)
        except OSError as exc:
            # A partial line is torn (ignored on replay); the next append rewrites the journal whole.
            self._close()
            raise WriteError(self.file, exc) from None
        self._tail.append((seq, line))

    def _start(self) -> None:
        """Write the journal afresh (header and the lines kept) atomically, and open it for appending."""
        header = dumps_line({"journal": JOURNAL_FORMAT, "version": JOURNAL_VERSION, "base": self.base})
        atomic_write_bytes(self.file, header.encode("utf-8") + b"".join(line for _, line in self._tail))
        self._fd = os.open(self.file, os.O_WRONLY | os.O_APPEND)

    def _close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_aligned_current(path: str | Path) -> AlignedFile:
    """The aligned file as a reviewer last left it: the file with the edits of its review
    journal (`<file>.journal`) not yet saved into it applied in memory; nothing is written.

    Anything that rewrites an existing aligned file reads through this, so no acknowledged
    review edit is ever missed.
    """
    path = Path(path)
    data = read_bytes(path)
    aligned = parse_aligned(data, path)
    replay(path, aligned, content_hash(data))
    return aligned
