"""Earlier versions of an aligned file, kept in `.backup/` beside it before every rewrite."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

from workbench.errors import WorkbenchError, file_errors, os_failure
from workbench.store.files import ensure_folder
from workbench.store.journal import journal_path

BACKUP_DIR = ".backup"  # beside the aligned files: earlier versions, kept before every rewrite
BACKUPS_KEPT = 20  # per aligned file; older ones are removed when a new one is kept


def keep_backup(target: Path) -> Path:
    """Copy the file (and a pending review journal) to `.backup/<name>.<time>.jsonl` beside it."""
    folder = ensure_folder(target.parent / BACKUP_DIR)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    with file_errors(target, "read"):
        data = target.read_bytes()
        mode = target.stat().st_mode & 0o777
    for n in range(1000):
        backup = folder / f"{target.stem}.{stamp}{f'-{n}' if n else ''}{target.suffix}"
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        except OSError as exc:
            raise os_failure(exc, backup, "keep a backup") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            journal = journal_path(target)
            if journal.is_file():
                shutil.copyfile(journal, journal_path(backup))
        except OSError as exc:
            backup.unlink(missing_ok=True)
            journal_path(backup).unlink(missing_ok=True)
            raise os_failure(exc, backup, "keep a backup") from None
        prune_backups(target)
        return backup
    raise WorkbenchError("cannot keep a backup: too many backups this second", folder)


def prune_backups(target: Path, keep: int = BACKUPS_KEPT) -> list[Path]:
    """Remove all but the `keep` newest backups of `target` (with their journals); returns the removed.

    Runs only after a new backup is safely on disk; a backup that cannot be removed stays
    (an old backup is never worth failing a run for).
    """
    pattern = re.compile(re.escape(target.stem) + r"\.(\d{8}T\d{6})(?:-(\d+))?" + re.escape(target.suffix))
    found = []
    for path in (target.parent / BACKUP_DIR).glob(f"{target.stem}.*{target.suffix}"):
        match = pattern.fullmatch(path.name)
        if match:
            found.append(((match[1], int(match[2] or 0)), path))
    removed = []
    for _, path in sorted(found)[:-keep] if keep > 0 else sorted(found):
        try:
            path.unlink()
            journal_path(path).unlink(missing_ok=True)
            removed.append(path)
        except OSError:
            pass
    return removed
