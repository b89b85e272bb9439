"""`run --workers 2` stopped from outside: SIGTERM as Ctrl-C, and no worker outlives the run.

The real CLI in a subprocess on a folder of real report pairs (tests/support/report_folders.py),
large enough that the run is still aligning when the signal comes (after its first
aligned file). The processes below the run are read from /proc.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.report_folders import news_folder
from workbench.store.aligned import read_aligned

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    out = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            out.add(pid)
    return out


def start_run(tmp_path: Path, env: dict[str, str]) -> tuple[subprocess.Popen, Path, set[int]]:
    """A 2-worker run, once it has written its first aligned file; with its worker processes."""
    folder = news_folder(tmp_path / "in", docs=20, lines=60)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "workbench", "run", folder, "--mt", "none", "--out", out,
                             "--workers", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while not list(out.glob("*.jsonl")):
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "no pair aligned in 2 minutes"
        time.sleep(0.1)
    workers = descendants(proc.pid)
    assert len(workers) >= 3, workers  # forkserver, its workers (and the resource tracker)
    return proc, out, workers


def wait_gone(pids: set[int], seconds: float) -> set[int]:
    deadline = time.monotonic() + seconds
    while alive(pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive(pids)


def test_sigterm_keeps_what_was_written_says_so_and_exits_143(tmp_path, isolated_env):
    proc, out, workers = start_run(tmp_path, isolated_env)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 143, stderr
    assert "terminated: the pairs written so far are kept" in stderr and "Traceback" not in stderr
    written = sorted(out.glob("*.jsonl"))
    assert written and len(written) < 20
    for path in written:  # each one whole: the pairs running when the signal came were let finish
        read_aligned(path)
    assert not list(out.glob("*.tmp"))
    assert wait_gone(workers, 5) == set()


def test_workers_end_when_the_run_is_killed(tmp_path, isolated_env):
    proc, _, workers = start_run(tmp_path, isolated_env)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)  # not communicate(): a surviving worker would hold the pipes open
    try:
        assert wait_gone(workers, 10) == set()
    finally:
        for pid in alive(workers):  # only what this test started
            os.kill(pid, signal.SIGKILL)
        proc.communicate(timeout=30)
