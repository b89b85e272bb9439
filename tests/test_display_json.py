"""`--json` on a terminal cannot be made to act by report text or file names; to a pipe it is exact.

The commands run as a user runs them, with stdout on a pseudo-terminal (os.openpty)
or on a pipe. A bidi override (U+202E, U+2066/U+2069) or a C1 control (U+009B CSI,
U+009D OSC) in a file name or in an aligned file's text is written as its JSON
escape (`\\u202e`) on the terminal, so the JSON still reads back to the same data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

from tests.conftest import ROOT, SEEDS

ZH = SEEDS / "000_75ef3c063faf8c49.txt"
VI = SEEDS / "002_9180580ce9d8d433.txt"
UNSAFE = ("\u202e", "\u2066", "\u2069", "\u009b", "\u009d")
EVIL = "\u202eevil\u2066x\u2069\u009b31m\u009d0;t"


def on_terminal(args: list[object], env: dict[str, str]) -> str:
    """stdout of `python -m workbench ARGS` written to a pseudo-terminal, as read from it."""
    master, slave = os.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "workbench", *map(str, args)], stdout=slave,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the other end is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    proc.wait(timeout=120)
    assert proc.returncode == 0, proc.stderr.read()
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def on_pipe(args: list[object], env: dict[str, str]) -> str:
    proc = subprocess.run([sys.executable, "-m", "workbench", *map(str, args)], capture_output=True,
                          env=env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8")


def assert_escaped(shown: str) -> dict:
    assert not any(ch in shown for ch in UNSAFE), [ch for ch in UNSAFE if ch in shown]
    assert "\\u202e" in shown and "\\u009b" in shown
    return json.loads(shown)


def test_pair_json_escapes_file_names_on_a_terminal_only(isolated_env, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    zh_name = f"zh{EVIL}.txt"
    shutil.copy(ZH, folder / zh_name)
    shutil.copy(VI, folder / VI.name)
    data = assert_escaped(on_terminal(["pair", folder, "--json"], isolated_env))
    assert data["pairs"][0]["zh"] == zh_name
    piped = on_pipe(["pair", folder, "--json"], isolated_env)
    assert zh_name in piped and json.loads(piped) == data


def test_segment_json_on_a_terminal_holds_no_bidi_override_or_c1_control(isolated_env, tmp_path):
    report = tmp_path / "report.txt"
    text = ZH.read_text(encoding="utf-8").replace("会议", f"会议{EVIL}", 1)
    report.write_text(text, encoding="utf-8")
    shown = on_terminal(["segment", report, "--json"], isolated_env)
    assert not any(ch in shown for ch in UNSAFE)
    assert json.loads(shown)["notes"] == ["removed 5 control character(s)"]


def test_search_json_escapes_aligned_text_and_file_names(isolated_env, tmp_path):
    aligned = tmp_path / f"pair{EVIL}.jsonl"
    proc = subprocess.run([sys.executable, "-m", "workbench", "align", ZH, VI, "--mt", "none", "--out", aligned],
                          capture_output=True, text=True, env=isolated_env, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = aligned.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines[1:], start=1):
        bead = json.loads(line) if line else None
        if bead and "潘文迈" in bead.get("zh_text", ""):
            bead["zh_text"] = bead["zh_text"].replace("潘文迈", f"潘文迈{EVIL}", 1)
            lines[i] = json.dumps(bead, ensure_ascii=False)
            break
    aligned.write_text("\n".join(lines), encoding="utf-8")
    args = ["search", "潘文迈", aligned, "--json"]
    data = assert_escaped(on_terminal(args, isolated_env))
    assert any(EVIL in json.dumps(hit, ensure_ascii=False) for hit in data["hits"])
    assert EVIL in on_pipe(args, isolated_env)
