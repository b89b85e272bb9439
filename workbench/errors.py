"""Errors a user can cause. The CLI prints them as one line and exits with code 2."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WorkbenchError(Exception):
    """A problem with the user's input: bad file, bad option, missing model.

    The message names the file (and line, where there is one) and what to do.
    """

    exit_code = 2

    def __init__(self, message: str, path: str | Path | None = None, line: int | None = None):
        self.path = str(path) if path is not None else None
        self.line = line
        where = ""
        if self.path is not None:
            where = self.path + (f":{line}" if line is not None else "") + ": "
        super().__init__(where + message)


# What the system said, as a user can act on it.
_REASONS = {
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long",
    errno.EEXIST: "a file is in the way where a folder is needed",
}


def os_failure(exc: OSError, path: str | Path | None = None, action: str = "write") -> WorkbenchError:
    """A failed file operation as one line: the path, what was tried, what the system said."""
    culprit = exc.filename
    path = path if path is not None else culprit
    reason = _REASONS.get(exc.errno) or exc.strerror or str(exc) or type(exc).__name__
    name = Path(str(culprit)).name if culprit is not None else ""
    if culprit is not None and str(culprit) != str(path) and not (name.startswith(".") and name.endswith(".tmp")):
        reason += f" ({culprit})"  # the part of the path in the way (not a temp file of an atomic write)
    return WorkbenchError(f"cannot {action}: {reason}", path)


@contextmanager
def file_errors(path: str | Path | None, action: str = "write") -> Iterator[None]:
    """Turn an OSError inside the block into `os_failure` (a WorkbenchError passes through)."""
    try:
        yield
    except WorkbenchError:
        raise
    except OSError as exc:
        raise os_failure(exc, path, action) from None
