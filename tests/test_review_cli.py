"""One consistent CLI, run as a user would (subprocesses): names in --help, errors that say what
to run, the MT note once and short, the run summary counting what is in the files."""

from __future__ import annotations

import json
import re

import pytest

from tests.support.report_folders import seed_folder
from tests.support.review_support import VI_SEED, ZH_SEED, write_sample
from workbench.store.aligned import read_aligned

COMMANDS = ["segment", "pair", "translate", "models", "align", "run", "export", "review", "search",
            "glossary add", "glossary audit", "glossary suggest", "glossary import"]


@pytest.fixture
def one_pair(tmp_path, seeds_dir):
    """A folder holding the seed pair (one zh report, one vi report)."""
    return seed_folder(tmp_path / "reports", seeds_dir, ZH_SEED, VI_SEED)


def _help(cli, command: str) -> str:
    done = cli(*command.split(), "--help")
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_help_uses_one_name_per_thing_and_flags_take_no_value(cli):
    seen = {}
    for command in COMMANDS:
        text = _help(cli, command)
        seen[command] = text
        assert "<bool>" not in text, command  # --json, --force, --write: flags, shown without a value
        assert not re.search(r"\bDIRECTORY\b|\bDIR\b|\{paths\}|\{directory\}", text), command
    assert "FOLDER" in seen["run"] and "FOLDER" in seen["pair"]
    assert "ALIGNED_FILE" in seen["export"] and "ALIGNED_FILE" in seen["glossary audit"]
    assert "ZH_REPORT" in seen["align"] and "VI_REPORT" in seen["align"]
    # --out is a file, a folder is --out-dir, in every command that writes
    assert "--out-dir" in seen["run"] and "--out " not in seen["run"]
    assert "--out-dir" in seen["translate"]
    assert "Output file" in seen["align"] and "Output file" in seen["export"]
    for option in ("--model-zh", "--model-vi", "--backend", "--glossary", "--mt"):
        assert option in seen["review"], option


def test_review_of_a_folder_of_reports_says_what_to_run(cli, one_pair):
    done = cli("review", one_pair)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "a folder of reports, not of aligned files" in done.stderr and "workbench run" in done.stderr
    done = cli("review", one_pair / ZH_SEED)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
    assert "is a report, not an aligned file" in done.stderr and "workbench review ZH VI" in done.stderr
    assert "JSON" not in done.stderr


def test_review_without_aligned_folder_says_how_to_make_one(cli, tmp_path):
    done = cli("review", cwd=tmp_path)
    assert done.returncode == 2 and "no aligned files yet" in done.stderr and "workbench run" in done.stderr


def test_run_of_a_file_names_align(cli, one_pair):
    done = cli("run", one_pair / ZH_SEED)
    assert done.returncode == 2 and "workbench align ZH_REPORT VI_REPORT" in done.stderr
    assert "workbench pair" not in done.stderr


def test_run_summary_counts_what_is_in_the_file_and_says_what_next(cli, one_pair, tmp_path):
    done = cli("run", one_pair, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    # no model in the test environment: the note is short and said once
    notes = [line for line in done.stderr.splitlines() if "machine translation unavailable" in line]
    assert len(notes) == 1 and len(notes[0]) < 300 and "workbench models" in notes[0]
    aligned = read_aligned(next((tmp_path / "aligned").glob("*.jsonl")))
    beads = aligned.beads
    links = sum(1 for b in beads if b.zh and b.vi)
    zh_left = sum(len(b.zh) for b in beads if not b.vi)
    vi_left = sum(len(b.vi) for b in beads if not b.zh)
    assert (f"1 pair aligned into aligned/ ({len(beads)} beads: {links} links, unaligned zh {zh_left}, "
            f"vi {vi_left})") in done.stdout
    assert "1 pairs" not in done.stdout
    assert "next: workbench review" in done.stdout
    # again: the file exists, the summary says so; --out-dir names the folder, the old --out still works
    done = cli("run", one_pair, "--out-dir", "elsewhere", cwd=tmp_path)
    assert done.returncode == 0 and "next: workbench review elsewhere" in done.stdout
    done = cli("run", one_pair, "--out", "old", cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "old").is_dir()


def test_align_summary_counts_and_next_step(cli, one_pair, tmp_path):
    done = cli("align", one_pair / ZH_SEED, one_pair / VI_SEED, "--mt", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "aligned" / f"{ZH_SEED[:-4]}__{VI_SEED[:-4]}.jsonl"
    beads = read_aligned(out).beads
    assert f"{len(beads)} beads: {sum(1 for b in beads if b.zh and b.vi)} links" in done.stdout
    assert "next: workbench review aligned/" in done.stdout
    assert "machine translation unavailable" not in done.stderr  # --mt none: nothing to say


def test_lock_message_names_the_folder(cli, tmp_path):
    import os
    import socket
    import subprocess
    import sys

    path = write_sample(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        path.with_name(path.name + ".lock").write_text(json.dumps(
            {"pid": other.pid, "host": socket.gethostname(), "user": "ana", "time": 0}))
        done = cli("review", path, cwd=os.path.dirname(tmp_path))
        assert done.returncode == 2
        assert str(path) + ".lock" in done.stderr and "--read-only" in done.stderr
    finally:
        other.kill()
        other.wait()


def test_glossary_add_default_file_is_the_apps_and_conflicts_say_force(cli, tmp_path):
    from workbench.review.session import ReviewSession

    done = cli("glossary", "add", "潘文迈", "Phan Văn Mãi", "Phan Van Mai", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    added = tmp_path / "glossary" / "added.tsv"
    assert "Phan Van Mai" in added.read_text(encoding="utf-8")
    done = cli("glossary", "add", "潘文迈", "Phan Văn Mãi", "Pan Wenmai", cwd=tmp_path)
    assert done.returncode == 2 and "add --force to replace it" in done.stderr
    assert "force=True" not in done.stderr
    session = ReviewSession.open(write_sample(tmp_path), glossary_dir=tmp_path / "glossary")
    try:
        assert session.additions_file == added  # the app's `g` writes the same file
    finally:
        session.close()


def test_search_json_is_a_flag(cli, tmp_path):
    (tmp_path / "aligned").mkdir()
    write_sample(tmp_path / "aligned")
    done = cli("search", "Phan Văn Mãi", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["hits"] and data["query"] == "Phan Văn Mãi"


def test_review_without_a_terminal_refuses_and_leaves_no_lock(cli, tmp_path):
    path = write_sample(tmp_path)
    before = path.read_bytes()
    done = cli("review", path, cwd=tmp_path)
    assert done.returncode == 2 and "needs a terminal" in done.stderr
    assert path.read_bytes() == before and not list(tmp_path.glob("*.lock"))
    empty = tmp_path / "empty"
    empty.mkdir()
    done = cli("review", empty, cwd=tmp_path)
    assert done.returncode == 2 and "no aligned files in this folder" in done.stderr
