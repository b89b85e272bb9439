"""The review app ends promptly after `q` and when its terminal closes, whatever it is still computing.

A file of thousands of beads makes the app prepare QA flags and the scorer's signals
for seconds after its first paint; `q` or SIGHUP come in the middle of that. The
process must be gone within about 2 s, the file saved and unlocked. Real terminal:
tmux (see test_review_tmux.py); Linux (/proc tells an ended process from a running one).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.test_review_tmux import Terminal, _app_pid, pytestmark, terminal  # noqa: F401
from workbench.store.aligned import read_aligned, write_aligned

BEADS = 10_000  # the scorer's signals of this file take ~10 s to build (2 shared cores): q comes meanwhile
GRACE = 3.0  # from the key to the process gone: the save (~0.5 s for this file), then at most 2 s


def _gone(pid: int, timeout: float) -> bool:
    """Whether process `pid` has ended (a zombie has: after a hang-up it is init's to reap, in its time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.02)
    return False


def _saved_and_gone(path: Path, pid: int, start: float) -> tuple[float, float]:
    """Seconds from `start` until the review lock of `path` went (the save) and until `pid` ended."""
    lock = path.with_name(path.name + ".lock")
    while lock.exists() and time.monotonic() - start < 20:
        time.sleep(0.02)
    saved = time.monotonic() - start
    assert _gone(pid, timeout=20)
    return saved, time.monotonic() - start


@pytest.fixture
def big_file(tmp_path):
    from tests.support.review_support import big_aligned

    path = tmp_path / "big.jsonl"
    write_aligned(path, big_aligned(BEADS))
    return path


def test_q_ends_the_app_at_once_while_it_still_prepares(big_file, terminal):
    term = terminal(str(big_file))
    term.wait_for("links confirmed 0/", "c confirm", timeout=120)
    term.keys("c")
    term.wait_for("links confirmed 1/")
    pid = _app_pid(big_file)
    term.burst("q")
    start = time.monotonic()
    saved, gone = _saved_and_gone(big_file, pid, start)
    assert gone < GRACE, f"saved after {saved:.2f} s, gone after {gone:.2f} s"
    assert term.wait_exit() == 0
    assert not big_file.with_name(big_file.name + ".lock").exists()
    assert read_aligned(big_file).beads[0].status == "confirmed"


def test_a_closed_terminal_ends_the_app_at_once_while_it_still_prepares(big_file, terminal):
    term = terminal(str(big_file))
    term.wait_for("links confirmed 0/", "c confirm", timeout=120)
    term.keys("x")
    term.wait_for("rejected 1")
    pid = _app_pid(big_file)
    start = time.monotonic()
    term.close()  # tmux kill-server: the terminal hangs up (SIGHUP)
    closed = time.monotonic() - start
    saved, gone = _saved_and_gone(big_file, pid, start)
    assert gone < GRACE, f"terminal closed after {closed:.2f} s, saved after {saved:.2f} s, gone after {gone:.2f} s"
    assert not big_file.with_name(big_file.name + ".lock").exists()
    assert read_aligned(big_file).beads[0].status == "rejected"
