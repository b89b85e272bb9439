"""Report text shown literally on a terminal; which files of a folder are reports."""

from __future__ import annotations

import json
import shutil

from workbench.display import has_unsafe, markup_safe, printable
from workbench.reports.listing import list_reports


def test_escape_sequences_and_bidi_marks_become_visible():
    text = "a\x1b]52;c;aGk=\x07b\x1b[2J\u202eevil\u2028z\tok\n"
    shown = printable(text)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown and "\u2028" not in shown
    assert "␛]52;c;aGk=␇b␛[2J" in shown and "<U+202E>evil" in shown
    assert shown.endswith("z\tok\n")  # tab and newline are text, kept
    assert has_unsafe(text) and not has_unsafe(shown)


def test_markup_is_escaped_for_rich():
    from rich.console import Console

    console = Console(record=True, width=200, color_system=None)
    console.print(markup_safe("[link=https://x]text[/link] [/bold]"))
    assert "[link=https://x]text[/link] [/bold]" in console.export_text()


def test_folder_listing_skips_the_workbench_own_files(tmp_path, seeds_dir):
    for seed in sorted(seeds_dir.iterdir())[:2]:
        shutil.copy(seed, tmp_path / seed.name)
    (tmp_path / "x__y.jsonl").write_text(json.dumps({"format": "workbench-aligned", "version": 1}) + "\n")
    (tmp_path / "renamed.txt").write_text(json.dumps({"format": "workbench-aligned", "version": 1}) + "\n")
    (tmp_path / "a.jsonl.lock").write_text("{}")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    listing = list_reports(tmp_path)
    assert [p.name for p in listing.files] == sorted(p.name for p in seeds_dir.iterdir())[:2]
    assert sorted(p.name for p in listing.own) == ["a.jsonl.lock", "renamed.txt", "x__y.jsonl"]
    assert listing.skipped == []
