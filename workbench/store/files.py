"""Writing files safely: atomic replacement, output folders, one-line write errors.

Every file the workbench writes (aligned files, journals, glossary additions, exports)
goes through `atomic_write_bytes`, so a crash or a full disk never leaves a half-written file.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from workbench.errors import WorkbenchError, file_errors, os_failure


class WriteError(WorkbenchError, OSError):
    """A file could not be written: one line naming the path and why. The previous file is intact.

    Also an OSError, so callers that catch OSError keep working.
    """

    def __init__(self, path: str | Path, exc: OSError, existed: bool = False):
        self.cause = exc
        unchanged = " (the previous file is unchanged)" if existed else ""
        super().__init__(f"cannot write: {reason(exc)}{unchanged}", path)
        self.errno, self.strerror, self.filename = exc.errno, exc.strerror, str(path)

    def __str__(self) -> str:
        return self.args[0]


_REASONS = {
    errno.EACCES: "permission denied", errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only", errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded", errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a part of the path is a file, not a folder",
    errno.EISDIR: "a folder is in the way where a file is expected", errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "the name is too long", errno.EIO: "input/output error",
}


def reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def _umask() -> int:
    """The process umask, read without changing it (os.umask can only be read by setting it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_target(path: Path) -> Path:
    """The file a write to `path` must replace: a symlink's final target (the link stays a link)."""
    if not os.path.islink(path):
        return path
    try:
        os.stat(path)  # ELOOP for a link loop; a dangling link is written through to its target
    except FileNotFoundError:
        pass
    return Path(os.path.realpath(path))


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in `folder` durable."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno != errno.EINVAL:  # file systems without directory fsync
            raise
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Replace `path` by `data` atomically: a temp file in the target's folder, fsync, rename, fsync
    the folder. Never a half-written file. A new file gets the user's umask, an existing one keeps
    its mode (and group, where allowed); a symlink is written through to its target. Any OSError
    is a WriteError naming `path`, with the temp file removed and the previous file intact.
    """
    path = Path(path)
    existed = False
    try:
        target = write_target(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            old = os.stat(target)
            existed = True
        except FileNotFoundError:
            old = None
        if old is not None and stat.S_ISDIR(old.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise WriteError(path, exc, existed) from None
    try:
        try:
            os.fchmod(fd, stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask())
            if old is not None and old.st_gid != os.getegid():
                try:
                    os.fchown(fd, -1, old.st_gid)
                except OSError:
                    pass  # not a member of the file's group: it becomes ours
            write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise WriteError(path, exc, existed) from None
        raise
    try:
        fsync_dir(target.parent)
    except OSError as exc:
        raise WriteError(path, exc) from None


def atomic_write_text(path: str | Path, text: str) -> None:
    """`atomic_write_bytes` of `text` as UTF-8 (newlines written as given)."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise WorkbenchError(f"cannot write: the text holds {exc.object[exc.start]!a}, which is not a "
                             f"character UTF-8 can store", path) from None
    atomic_write_bytes(path, data)


def output_exists(target: Path) -> bool:
    """Whether a file is at output path `target`; a folder or an unreachable path there is an error."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise os_failure(exc, target) from None
    if stat.S_ISDIR(mode):
        raise WorkbenchError("is a folder; give a file name as the output", target)
    return True


def ensure_folder(folder: str | Path) -> Path:
    """Create an output folder (and its parents); one clear line when that is impossible."""
    folder = Path(folder)
    if folder.is_symlink() and not folder.exists():
        raise WorkbenchError("cannot create the folder: broken or looping symbolic link", folder)
    with file_errors(folder, "create the folder"):
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def writable_folder(folder: str | Path) -> Path:
    """Create an output folder and try a write there: a folder that cannot take the outputs is
    one line before any work, not one failure per file after it."""
    folder = ensure_folder(folder)
    with file_errors(folder):
        with tempfile.TemporaryFile(dir=folder):
            pass
    return folder
