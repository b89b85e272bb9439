"""Smoke test in a real terminal: tmux runs `workbench review`, keys are sent, the pane is read."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid

import pytest

from tests.support.review_support import write_sample
from workbench.review.session import ReviewSession
from workbench.store.aligned import read_aligned

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None,
                                reason="tmux is not installed (CI installs it; apt-get install tmux)")


class Terminal:
    """A detached tmux session on a private server, 120x40, running one command."""

    def __init__(self, command: str, cwd, env: dict[str, str]):
        self.server = f"wb-review-{uuid.uuid4().hex[:8]}"
        self.done = cwd / "exit-code"
        self.raw = cwd / "terminal-output.bin"  # every byte the app writes to the terminal
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()
                           if k in ("PATH", "HOME", "WORKBENCH_DATA_DIR", "HF_HOME", "HF_HUB_OFFLINE",
                                    "TRANSFORMERS_OFFLINE", "PYTHONPATH", "LANG", "LC_ALL"))
        # env -i: a clean environment (pytest may export COLUMNS/LINES, which would shrink the app)
        # the short sleep lets pipe-pane attach before the app writes its first byte
        # the exit code is written aside and renamed, so the test never reads a half-written file
        done = shlex.quote(str(self.done))
        script = (f"sleep 0.3; cd {shlex.quote(str(cwd))} && env -i {exports} TERM=xterm-256color {command}; "
                  f"echo $? > {done}.part && mv {done}.part {done}; sleep 60")
        self.tmux("new-session", "-d", "-x", "120", "-y", "40", "sh", "-c", script)
        self.tmux("pipe-pane", "-o", "-t", "0", f"cat >> {shlex.quote(str(self.raw))}")
        self.tmux("set-option", "-g", "set-clipboard", "on")  # OSC 52 from the app would fill a buffer
        self.title = self.pane_title()

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.server, *args], capture_output=True, text=True,
                              check=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "0")

    def pane_title(self) -> str:
        return self.tmux("display-message", "-p", "-t", "0", "#{pane_title}").strip()

    def buffers(self) -> str:
        return subprocess.run(["tmux", "-L", self.server, "list-buffers"], capture_output=True, text=True).stdout

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

    def burst(self, *keys: str) -> None:
        """All keys in one send-keys: as fast as tmux can type them."""
        self.tmux("send-keys", "-t", "0", *keys)

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
    term.wait_for("35个国际地方政府代表团出席2024年胡志明市友好对话会议  ⇄  Đối thoại Hữu nghị", "links confirmed 0/5",
                  "Panorama of the meeting", "Ảnh: NGUYỆT NHI", "bead 1 [0]:[0]", "c confirm", "m merge")

    term.keys("c")
    term.wait_for("links confirmed 1/5")
    term.keys("x", "m")  # c moved on to bead 2: x rejects it and moves on to bead 3, m merges it with 4
    term.wait_for("links confirmed 1/4, rejected 1", "bead 3 [2, 3]:[2, 3]", "✓", "✗")  # the merge leaves 6 beads
    term.keys("E")  # edit the English of the vi side in the multi-line editor
    term.wait_for("English of the vi side")
    term.keys(*["Down"] * 6, "End", " Checked.", "C-s")
    term.wait_for("opening speech. Checked.")
    term.keys("q")
    assert term.wait_exit() == 0
    assert f"{path}: links confirmed 1/4, rejected 1" in term.screen()

    beads = read_aligned(path).beads
    assert [b.status for b in beads[:3]] == ["confirmed", "rejected", "auto"]
    assert beads[2].notation == "[2, 3]:[2, 3]" and len(beads) == 6
    assert beads[2].vi_en.endswith("gave the opening speech. Checked.")
    assert beads[2].history[0]["side"] == "vi"
    assert not path.with_name(path.name + ".lock").exists()


def test_review_two_seed_reports_aligns_first(tmp_path, terminal, seeds_dir):
    pytest.importorskip("workbench.run.pair")
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


def _app_pid(path) -> int:
    import json

    return json.loads(path.with_name(path.name + ".lock").read_text())["pid"]


def _gone(pid: int, timeout: float = 20) -> bool:
    from workbench.store.locking import pid_alive

    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not pid_alive(pid)


def test_escape_sequences_in_a_report_never_reach_the_terminal(tmp_path, terminal):
    from tests.support.review_support import HOSTILE_SHOWN, hostile_aligned
    from workbench.store.aligned import write_aligned

    path = tmp_path / "hostile.jsonl"
    write_aligned(path, hostile_aligned())
    term = terminal(str(path))
    shown = term.wait_for("zh title ␛]52;c;aGVsbG8=␇␛[2J␛]0;title␇[link=https://x]text[/link][/bold]",
                          "note: note ␛]52", "links confirmed 0/", "c confirm")
    term.keys("e")  # a bead holding [/bold]: the editor opens (it crashed with MarkupError before)
    dialog = term.wait_for("English of the zh side", "English ␛]52;c;aGVsbG8=␇")
    term.keys("Escape", "q")
    assert term.wait_exit() == 0
    assert all(text in shown + dialog for text in HOSTILE_SHOWN)
    assert term.pane_title() == term.title != "title"  # OSC 0 never reached the terminal
    assert term.buffers() == ""  # nor OSC 52 (the clipboard)
    raw = term.raw.read_bytes()
    assert "␛]52;c;aGVsbG8=␇".encode() in raw  # the output was captured, with the text as pictures
    for sequence in (b"\x1b]52;c;aGVsbG8", b"\x1b]0;title", b"\x1b[2J\x1b]0;", b"\x1b]8;id="):
        assert sequence not in raw  # b"\x1b]8;" would be a live hyperlink
    assert raw.count(b"https://x") == raw.count(b"[link=https://x]")


def test_kill_9_right_after_quick_keys_keeps_every_edit(tmp_path, terminal):
    path = write_sample(tmp_path)
    term = terminal(str(path), "--stay")  # c and x stay on the bead: the burst moves by itself
    term.wait_for("links confirmed 0/", "c confirm")
    # 12 edits in one burst: confirm every bead going down, then reject five going up
    term.burst(*"c Down c Down c Down c Down c Down c Down c".split(), *"Up x Up x Up x Up x Up x".split())
    term.wait_for("links confirmed 1/5, rejected 4")  # the screen shows the last edit: it is acknowledged
    pid = _app_pid(path)
    os.kill(pid, signal.SIGKILL)
    assert _gone(pid)
    expected = ["confirmed"] + ["rejected"] * 5 + ["confirmed"]
    session = ReviewSession.open(path)
    assert [b.status for b in session.beads] == expected
    session.close()
    assert [b.status for b in read_aligned(path).beads] == expected


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP: the terminal closes"])
def test_sigterm_and_sighup_save_and_release_the_lock(tmp_path, terminal, how):
    path = write_sample(tmp_path)
    term = terminal(str(path), "--stay")
    term.wait_for("links confirmed 0/", "c confirm")
    term.keys("c", "Down", "x", "Down", "m")
    term.wait_for("links confirmed 1/4")
    pid = _app_pid(path)
    if how == "SIGTERM":
        os.kill(pid, signal.SIGTERM)
        assert term.wait_exit() == 128 + signal.SIGTERM
    else:
        term.close()  # tmux kill-server: the pane's terminal hangs up
    assert _gone(pid)
    assert not path.with_name(path.name + ".lock").exists()
    assert not path.with_name(path.name + ".journal").exists()  # saved into the file itself
    beads = read_aligned(path).beads
    assert [b.status for b in beads[:2]] == ["confirmed", "rejected"]
    assert beads[2].notation == "[2, 3]:[2, 3]" and beads[2].origin == "manual" and len(beads) == 6


def test_project_view_walks_two_files(tmp_path, terminal):
    folder = tmp_path / "aligned"
    folder.mkdir()
    first, second = write_sample(folder, name="a.jsonl"), write_sample(folder, name="b.jsonl")
    term = terminal()  # no argument: the project view of aligned/
    # each file by its reports' titles (both samples have the same ones)
    term.wait_for("aligned/  2 aligned files", "1  35个国际地方政府代表团出席", "2  35个国际地方政府代表团出席",
                  "⇄  Đối thoại", "all files: links confirmed 0/10")
    term.keys("Enter")
    term.wait_for("file 1/2", "links confirmed 0/5", "c confirm")
    term.keys("c", ">")
    term.wait_for("file 2/2")
    term.keys("Down", "x", "p")
    term.wait_for("all files: links confirmed 1/10, rejected 1")
    term.keys("Down", "Enter")
    term.wait_for("file 2/2", "links confirmed 0/5, rejected 1")
    term.keys("q")
    assert term.wait_exit() == 0
    shown = term.screen()
    assert shown.count("aligned/b.jsonl: links") == 1  # each file once, as left last
    assert "aligned/a.jsonl: links confirmed 1/5" in shown and "aligned/b.jsonl: links confirmed 0/5, rejected 1" in shown
    assert [b.status for b in read_aligned(first).beads[:2]] == ["confirmed", "auto"]
    assert [b.status for b in read_aligned(second).beads[:2]] == ["auto", "rejected"]
    assert not list(folder.glob("*.lock"))
