"""A lock file beside an aligned file, so two reviewers never overwrite each other.

`<file>.lock` holds JSON `{pid, host, user, time}`. A lock whose process is
gone (same host, pid no longer alive) is stale and is taken over; any other
lock refuses with a message that offers read-only opening.
"""

from __future__ import annotations

import errno
import getpass
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.store.files import write_target


class FileLocked(WorkbenchError):
    """The file is being reviewed elsewhere; `holder` describes who holds the lock."""

    def __init__(self, path: Path, holder: dict):
        self.holder = holder
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(holder.get("time", 0)))
        super().__init__(
            f"is being reviewed by {holder.get('user', '?')} (pid {holder.get('pid', '?')} on "
            f"{holder.get('host', '?')}, since {when}); open it read-only with --read-only, "
            f"or delete {lock_path(path)} if that review has ended", path)


def lock_path(path: str | Path) -> Path:
    """`<file>.lock` beside the file itself: reviewers opening it through different symlinks meet."""
    path = write_target(Path(path))
    return path.with_name(path.name + ".lock")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def read_holder(path: str | Path) -> dict | None:
    """The lock's content, or None when there is no lock; an unreadable lock counts as foreign."""
    try:
        text = lock_path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    try:
        holder = json.loads(text)
        return holder if isinstance(holder, dict) else {}
    except json.JSONDecodeError:
        return {}


def is_stale(holder: dict) -> bool:
    """A lock left by a dead process on this host (after a crash or kill -9)."""
    pid = holder.get("pid")
    if holder.get("host") != socket.gethostname() or not isinstance(pid, int):
        return False
    return not pid_alive(pid)


@dataclass
class Lock:
    """A held lock; `release()` (or leaving the `with` block) removes it."""

    path: Path  # the aligned file
    took_over: dict | None = None  # the stale lock replaced, if any

    @property
    def file(self) -> Path:
        return lock_path(self.path)

    def release(self) -> None:
        holder = read_holder(self.path)
        if holder is not None and holder.get("pid") == os.getpid() and holder.get("host") == socket.gethostname():
            self.file.unlink(missing_ok=True)

    def __enter__(self) -> "Lock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def acquire(path: str | Path) -> Lock:
    """Create `<file>.lock` exclusively; take over a stale one; raise FileLocked otherwise."""
    path = Path(path)
    me = {"pid": os.getpid(), "host": socket.gethostname(), "user": _user(), "time": time.time()}
    took_over = None
    for _ in range(3):
        try:
            fd = os.open(lock_path(path), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = read_holder(path)
            if holder is None:
                continue  # released meanwhile: try again
            if holder.get("pid") == me["pid"] and holder.get("host") == me["host"]:
                return Lock(path)  # this process already holds it
            if not is_stale(holder):
                raise FileLocked(path, holder) from None
            took_over = holder
            lock_path(path).unlink(missing_ok=True)
            continue
        except OSError as exc:
            raise _cannot_lock(path, exc) from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me, fh)
        except OSError as exc:
            lock_path(path).unlink(missing_ok=True)
            raise _cannot_lock(path, exc) from None
        return Lock(path, took_over)
    raise WorkbenchError("could not take the lock (another process keeps changing it)", path)


class LockUnavailable(WorkbenchError):
    """The lock file cannot be created; `reason` says why (read-only folder, full disk, ...)."""

    def __init__(self, path: Path, reason: str):
        self.reason = reason
        super().__init__(f"cannot create a lock beside the file ({reason}); open it with --read-only", path)


def _cannot_lock(path: Path, exc: OSError) -> LockUnavailable:
    reason = {errno.EACCES: "read-only folder", errno.EPERM: "read-only folder", errno.EROFS: "read-only folder",
              errno.ENOSPC: "no space left on the device"}.get(exc.errno or 0, exc.strerror or str(exc))
    return LockUnavailable(path, reason)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in some containers
        return "unknown"
