"""Translation memory: every translation stored in SQLite, so a re-run translates nothing.

Keyed by model identity (name + revision or weights hash), decoding options and
the normalised source sentence. WAL journal and one commit per batch keep it
safe when a run is interrupted and when two processes translate at once.
Location: `--memory FILE`, else `$WORKBENCH_DATA_DIR/translation-memory.sqlite3`,
else the same file in the user data dir (platformdirs).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

from workbench.errors import WorkbenchError, os_failure

FILENAME = "translation-memory.sqlite3"
_SPACE = re.compile(r"\s+")
_CHUNK = 500  # sqlite's bound-parameter limit is far above; keeps statements small

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    model TEXT NOT NULL, options TEXT NOT NULL, source TEXT NOT NULL,
    english TEXT NOT NULL, truncated INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL,
    PRIMARY KEY (model, options, source)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS file_hashes (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL
);
"""


def normalise(text: str) -> str:
    """The memory's form of a source sentence: NFC, whitespace runs as one space."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


def data_dir() -> Path:
    if os.environ.get("WORKBENCH_DATA_DIR"):
        return Path(os.environ["WORKBENCH_DATA_DIR"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("workbench"))


def default_memory_path() -> Path:
    return data_dir() / FILENAME


def options_key(options: dict[str, Any]) -> str:
    return json.dumps(options, sort_keys=True, ensure_ascii=False, default=str)


@dataclass
class MemoryStats:
    hits: int = 0  # sentences served from the memory
    misses: int = 0  # sentences the model had to translate
    stored: int = 0  # rows written


def memory_error(exc: BaseException, path: Path, doing: str) -> WorkbenchError:
    """A translation-memory failure as one line naming the file and what to do.

    A failed write rolls its transaction back: every translation committed before stays.
    """
    text = str(exc)
    if isinstance(exc, OSError):
        return os_failure(exc, path, f"{doing} the translation memory")
    if "locked" in text or "busy" in text:
        why = "another process keeps it locked; try again when that process has finished"
    elif "full" in text or _disk_full(path):
        why = "no space left on the disk; free some space and run again"
    elif "readonly" in text or "read-only" in text:
        why = "the file or its folder is read-only; pass another file with --memory"
    elif "not a database" in text or "malformed" in text or "corrupt" in text:
        why = "the file is damaged; move it aside (a new memory is made) or pass another file with --memory"
    elif "unable to open" in text:
        why = "the file cannot be opened (a folder, or a folder that cannot be created?); pass --memory FILE"
    else:
        why = text
    return WorkbenchError(f"cannot {doing} the translation memory: {why}", path)


def _disk_full(path: Path) -> bool:
    """SQLite reports a full disk as a plain "disk I/O error" when it cannot create its WAL files."""
    try:
        return shutil.disk_usage(path.parent).free < 64 * 1024
    except OSError:
        return False


class TranslationMemory:
    """One SQLite file; safe to share between threads (a lock) and processes (WAL).

    Every SQLite or file error becomes a WorkbenchError naming the file (`memory_error`).
    """

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else default_memory_path()
        self.stats = MemoryStats()
        self._lock = threading.Lock()
        if self.path.is_dir():
            raise WorkbenchError("is a folder; the translation memory is a file (pass --memory FILE)", self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60, check_same_thread=False,
                                       isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except (sqlite3.Error, OSError) as exc:
            raise memory_error(exc, self.path, "open") from None

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except (sqlite3.Error, OSError) as exc:
            raise memory_error(exc, self.path, doing) from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def lookup(self, model: str, options: str, sources: Iterable[str]) -> dict[str, tuple[str, bool]]:
        """{normalised source: (english, truncated)} for the sources already translated."""
        keys = list(dict.fromkeys(sources))
        found: dict[str, tuple[str, bool]] = {}
        with self._lock, self._guard("read"):
            for i in range(0, len(keys), _CHUNK):
                chunk = keys[i:i + _CHUNK]
                rows = self._db.execute(
                    "SELECT source, english, truncated FROM translations WHERE model = ? AND "
                    f"options = ? AND source IN ({','.join('?' * len(chunk))})",
                    (model, options, *chunk),
                )
                for source, english, truncated in rows:
                    found[source] = (english, bool(truncated))
        return found

    def store(self, model: str, options: str, rows: Iterable[tuple[str, str, bool]]) -> None:
        """Write (source, english, truncated) rows in one transaction (one commit)."""
        now = time.time()
        data = [(model, options, s, e, int(t), now) for s, e, t in rows]
        with self._lock, self._guard("write to"):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR IGNORE INTO translations VALUES (?, ?, ?, ?, ?, ?)", data)
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # SQLite may have rolled back itself (disk full)
                    self._db.execute("ROLLBACK")
                raise
        self.stats.stored += len(data)

    def count(self, model: str | None = None) -> int:
        with self._lock, self._guard("read"):
            if model is None:
                return self._db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            return self._db.execute("SELECT COUNT(*) FROM translations WHERE model = ?",
                                    (model,)).fetchone()[0]

    def file_hash(self, path: Path, compute: Callable[[], str]) -> str:
        """`compute()` once per (path, size, mtime); remembered across runs."""
        st = path.stat()
        with self._lock, self._guard("read"):
            row = self._db.execute("SELECT size, mtime_ns, sha256 FROM file_hashes WHERE path = ?",
                                   (str(path),)).fetchone()
        if row and row[0] == st.st_size and row[1] == st.st_mtime_ns:
            return row[2]
        digest = compute()
        with self._lock, self._guard("write to"):
            self._db.execute("INSERT OR REPLACE INTO file_hashes VALUES (?, ?, ?, ?)",
                             (str(path), st.st_size, st.st_mtime_ns, digest))
        return digest
