"""Report text, glossary text and file names reach the terminal literally: no escape sequence acts,
no Rich markup is interpreted (the real CLI, output captured as a terminal would receive it)."""

from __future__ import annotations

import shutil

import pytest

ZH = "000_75ef3c063faf8c49.txt"
VI = "002_9180580ce9d8d433.txt"
OSC52 = "\x1b]52;c;aGVsbG8=\x07"
WIPE = "\x1b[2J"
LINK = "[link=https://x]text[/link]"


@pytest.fixture
def hostile(tmp_path, seeds_dir):
    """A folder with a zh report holding escape sequences and markup, named `[bold]zh.txt`, and its vi pair."""
    folder = tmp_path / "reports"
    folder.mkdir()
    text = (seeds_dir / ZH).read_text(encoding="utf-8")
    text = text.replace("\n\n", f"\n\n剪贴板{OSC52}清屏{WIPE}链接{LINK}。\n\n", 1)
    zh = folder / "[bold]zh.txt"
    zh.write_text(text, encoding="utf-8")
    shutil.copy(seeds_dir / VI, folder / VI)
    return folder, zh


# Loading strips control characters (and says so); what is left is shown as written.
SHOWN = "剪贴板]52;c;aGVsbG8=清屏[2J链接" + LINK


def assert_literal(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output
    assert "␛]52;c;aGVsbG8=␇" in output or "␛[2J" in output


def assert_report_shown(output: str) -> None:
    assert "\x1b" not in output and "\x07" not in output
    flat = output.replace("\n", "").replace("│", "").replace(" ", "")
    assert SHOWN.replace(" ", "") in flat
    assert "removed 3 control character(s)" in output


@pytest.mark.parametrize("command", ["segment", "pair", "run"])
def test_report_text_and_file_name_are_shown_literally(command, hostile, cli, tmp_path):
    folder, zh = hostile
    args = {"segment": [zh], "pair": [folder], "run": [folder, "--mt", "none", "--out", tmp_path / "out"]}[command]
    proc = cli(command, *args)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout + proc.stderr
    assert "\x1b" not in out and "\x07" not in out
    assert "[bold]zh.txt" in out  # the name as written, not bold text
    if command == "segment":
        assert_report_shown(proc.stdout)


def test_segment_json_keeps_text_exact_but_escaped(hostile, cli):
    import json

    _, zh = hostile
    proc = cli("segment", zh, "--json")
    assert proc.returncode == 0 and "\x1b" not in proc.stdout
    report = json.loads(proc.stdout)
    assert any(SHOWN in s["text"] for s in report["sentences"])  # markup kept as text, controls stripped
    assert any("control character" in note for note in report["notes"])


def test_glossary_rows_are_shown_literally(tmp_path, cli):
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "terms.tsv").write_text(
        f"zh\tvi\ten\tnote\n越南\tViệt Nam\tVietnam\tcountry {OSC52}{WIPE}{LINK}\n", encoding="utf-8")
    proc = cli("glossary", "list", "-g", glossary)
    assert proc.returncode == 0, proc.stderr
    assert_literal(proc.stdout)
    assert LINK in proc.stdout and "\x1b" not in proc.stderr
    proc = cli("glossary", "check", glossary)
    assert proc.returncode == 0 and "\x1b" not in proc.stdout + proc.stderr


def test_error_lines_show_file_names_literally(tmp_path, cli):
    bad = tmp_path / f"{WIPE}[link=mailto:x]empty[bold].txt"
    bad.write_bytes(b"")
    proc = cli("segment", bad)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and "␛[2J[link=mailto:x]empty[bold].txt: file is empty" in lines[0]
    assert "\x1b" not in proc.stderr
