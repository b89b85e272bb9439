"""Smoke test in a real terminal: tmux runs `workbench review`, keys are sent, the pane is read."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid

import pytest

from tests.review_support import write_sample
from workbench.store import read_aligned

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (CI installs it; apt-get install tmux)")


class Terminal:
    """A detached tmux session on a private server, 120x40, running one command."""

    def __init__(self, command: str, cwd, env: dict[str, str]):
        self.server = f"wb-review-{uuid.uuid4().hex[:8]}"
        self.done = cwd / "exit-code"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()
                           if k in ("PATH", "HOME", "WORKBENCH_DATA_DIR", "HF_HOME", "HF_HUB_OFFLINE",
                                    "TRANSFORMERS_OFFLINE", "PYTHONPATH", "LANG", "LC_ALL"))
        # env -i: a clean environment (pytest may export COLUMNS/LINES, which would shrink the app)
        script = (f"cd {shlex.quote(str(cwd))} && env -i {exports} TERM=xterm-256color {command}; "
                  f"echo $? > {shlex.quote(str(self.done))}; sleep 60")
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "sh", "-c", script)

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.server, *args], capture_output=True, text=True,
                              check=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "0")

    def wait_for(self, *texts: str, timeout: float = 60) -> str:
        """The screen once all `texts` are on it (the app paints in several passes)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{texts!r} never all appeared; the screen shows:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "0", key)
            time.sleep(0.15)

    def wait_exit(self, timeout: float = 30) -> int:
        deadline = time.monotonic() + timeout
        while not self.done.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        return int(self.done.read_text()) if self.done.exists() else -1

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.server, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path, isolated_env):
    opened = []

    def start(*args: str) -> Terminal:
        command = " ".join([shlex.quote(sys.executable), "-m", "workbench", "review", *map(shlex.quote, args)])
        env = dict(isolated_env, PYTHONPATH=str(ROOT), LANG="C.UTF-8")
        opened.append(Terminal(command, tmp_path, env))
        return opened[-1]

    yield start
    for term in opened:
        term.close()


def test_review_in_a_real_terminal(tmp_path, terminal):
    path = write_sample(tmp_path)
    term = terminal(str(path))
    # what a reviewer sees first: both titles and progress, the beads side by side with their English
    # (unaligned sentences on their side only), the detail panel, the keys
    term.wait_for("35个国际地方政府代表团出席2024年胡志明市友好对话会议  ⇄  Đối thoại Hữu nghị", "confirmed 0/7",
                  "Panorama of the meeting", "Ảnh: NGUYỆT NHI", "bead 1 [0]:[0]", "c Confirm", "m Merge")

    term.keys("c")
    term.wait_for("confirmed 1/7")
    term.keys("Down", "x", "Down", "m")
    term.wait_for("confirmed 1/6", "bead 3 [2, 3]:[2, 3]", "✓", "✗")  # the merge leaves 6 beads
    term.keys("E")  # edit the English of the vi side in the multi-line editor
    term.wait_for("English of the vi side")
    term.keys(*["Down"] * 6, "End", " Checked.", "C-s")
    term.wait_for("opening speech. Checked.")
    term.keys("q")
    assert term.wait_exit() == 0
    assert f"{path}: confirmed 1/6" in term.screen()

    beads = read_aligned(path).beads
    assert [b.status for b in beads[:3]] == ["confirmed", "rejected", "auto"]
    assert beads[2].notation == "[2, 3]:[2, 3]" and len(beads) == 6
    assert beads[2].vi_en.endswith("gave the opening speech. Checked.")
    assert beads[2].history[0]["side"] == "vi"
    assert not path.with_name(path.name + ".lock").exists()


def test_review_two_seed_reports_aligns_first(tmp_path, terminal, seeds_dir):
    pytest.importorskip("workbench.pipeline")
    zh, vi = seeds_dir / "000_75ef3c063faf8c49.txt", seeds_dir / "002_9180580ce9d8d433.txt"
    term = terminal(str(zh), str(vi))
    term.wait_for("confirmed 0/", "bead 1", "no translation model")  # the test environment has no model
    term.keys("c", "q")
    assert term.wait_exit() == 0
    aligned = tmp_path / "aligned" / "000_75ef3c063faf8c49__002_9180580ce9d8d433.jsonl"
    beads = read_aligned(aligned).beads
    assert beads[0].status == "confirmed" and all(b.zh_en is None and b.vi_en is None for b in beads)


def test_locked_file_offers_read_only_opening(tmp_path, terminal):
    import json
    import socket

    path = write_sample(tmp_path)
    before = path.read_bytes()
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        lock = path.with_name(path.name + ".lock")
        lock.write_text(json.dumps({"pid": other.pid, "host": socket.gethostname(), "user": "ana", "time": 0}))
        term = terminal(str(path))
        term.wait_for("is being reviewed by ana", "Open it read-only instead?")
        term.keys("Enter")
        term.wait_for("READ-ONLY", "bead 1")
        term.keys("c", "q")
        assert term.wait_exit() == 0
        assert path.read_bytes() == before
        assert json.loads(lock.read_text())["pid"] == other.pid  # the other reviewer's lock is untouched
    finally:
        other.kill()
        other.wait()
