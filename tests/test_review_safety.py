"""Never lose work: the lock file, crash recovery after kill -9, and the CLI's refusals."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from tests.support.review_support import big_aligned, write_sample
from workbench.store import locking
from workbench.review.session import ReviewSession
from workbench.store.aligned import read_aligned, write_aligned
from workbench.store.journal import read_aligned_current


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_lock_is_created_refuses_others_and_is_released(tmp_path):
    path = write_sample(tmp_path)
    session = ReviewSession.open(path)
    holder = json.loads(locking.lock_path(path).read_text())
    assert holder["pid"] == os.getpid() and holder["host"] == socket.gethostname()
    session.close()
    assert not locking.lock_path(path).exists()

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        locking.lock_path(path).write_text(json.dumps(
            {"pid": other.pid, "host": socket.gethostname(), "user": "ana", "time": 0}))
        with pytest.raises(locking.FileLocked) as err:
            ReviewSession.open(path)
        message = str(err.value)
        assert "ana" in message and str(other.pid) in message and "--read-only" in message
        # read-only opening still works and leaves the other reviewer's lock alone
        ReviewSession.open(path, read_only=True).close()
        assert json.loads(locking.lock_path(path).read_text())["pid"] == other.pid
    finally:
        other.kill()
        other.wait()


def test_stale_lock_is_taken_over_but_not_a_foreign_hosts(tmp_path):
    path = write_sample(tmp_path)
    dead = _dead_pid()
    locking.lock_path(path).write_text(json.dumps({"pid": dead, "host": socket.gethostname(), "time": 0}))
    session = ReviewSession.open(path)
    assert session.lock.took_over["pid"] == dead
    assert json.loads(locking.lock_path(path).read_text())["pid"] == os.getpid()
    session.close()

    locking.lock_path(path).write_text(json.dumps({"pid": dead, "host": "another-machine", "time": 0}))
    with pytest.raises(locking.FileLocked, match="another-machine"):
        ReviewSession.open(path)


CHILD = textwrap.dedent("""
    import sys
    from workbench.review.session import ReviewSession
    session = ReviewSession.open(sys.argv[1], autosave_delay=0.0)
    for i, bead in enumerate(session.beads):
        if bead.status == "confirmed":
            continue
        session.set_status(i, "confirmed")
        print("saving", session.progress.confirmed, flush=True)
        session.autosave()
        print("saved", session.progress.confirmed, flush=True)
""")


def _kill_during_save(path, mid_write: bool) -> tuple[int, int, int]:
    """Run a reviewer that saves after every confirm; kill -9 it during its 6th save.

    mid_write=False kills while the file is being serialised, True once the temp file
    exists (while it is written or about to be renamed). Returns (pid, confirmed in last finished
    save, confirmed by the last edit acknowledged).
    """
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path)], stdout=subprocess.PIPE, text=True)
    start = last_saved = None
    for line in child.stdout:
        word, number = line.split()
        if start is None:
            start = last_saved = int(number) - 1  # what the file held when this child started
        if word == "saved":
            last_saved = int(number)
        else:
            acknowledged = int(number)  # the edit is journaled: it must survive
            if acknowledged >= start + 6:
                break
    if mid_write:
        deadline = time.monotonic() + 10
        while not list(path.parent.glob(f".{path.name}.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.0005)
        assert list(path.parent.glob(f".{path.name}.*.tmp")), "the save never started writing"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert child.returncode == -signal.SIGKILL
    return child.pid, last_saved, acknowledged


@pytest.mark.parametrize("mid_write", [False, True], ids=["while-serialising", "while-writing"])
def test_kill_9_during_autosave_loses_no_edit(tmp_path, mid_write):
    path = tmp_path / "big.jsonl"
    write_aligned(path, big_aligned(2000))  # ~1.6 MB: a save takes long enough to be interrupted
    pid, last_saved, acknowledged = _kill_during_save(path, mid_write)
    beads = read_aligned(path).beads  # parses: never a torn file
    assert len(beads) == 2000
    on_disk = sum(b.status == "confirmed" for b in beads)
    assert last_saved <= on_disk <= last_saved + 1
    # the journal holds the rest: what other commands read, and what reopening saves
    current = sum(b.status == "confirmed" for b in read_aligned_current(path).beads)
    assert current >= acknowledged
    # the dead reviewer's lock is stale: reopening takes it over and clears leftover temp files
    session = ReviewSession.open(path)
    assert session.lock.took_over["pid"] == pid
    assert not list(tmp_path.glob(".big.jsonl.*.tmp"))
    assert session.progress.confirmed == current
    assert sum(b.status == "confirmed" for b in read_aligned(path).beads) == current  # saved on opening
    assert not path.with_name("big.jsonl.journal").exists()
    session.close()


def test_cli_refuses_locked_missing_and_newer_files(tmp_path, cli):
    path = write_sample(tmp_path)
    missing = cli("review", str(tmp_path / "nope.jsonl"))
    assert missing.returncode == 2 and "nope.jsonl: no such aligned file" in missing.stderr
    assert "Traceback" not in missing.stderr

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        locking.lock_path(path).write_text(json.dumps({"pid": other.pid, "host": socket.gethostname(),
                                                       "user": "ana", "time": 0}))
        locked = cli("review", str(path))
        assert locked.returncode == 2
        assert locked.stderr.startswith(f"error: {path}: is being reviewed by ana")
        assert "--read-only" in locked.stderr and "Traceback" not in locked.stderr
    finally:
        other.kill()
        other.wait()
        locking.lock_path(path).unlink()

    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    header["version"] = 7
    path.write_text("\n".join([json.dumps(header)] + lines[1:]) + "\n", encoding="utf-8")
    newer = cli("review", str(path))
    assert newer.returncode == 2 and f"{path}:1: format version 7 is newer" in newer.stderr
