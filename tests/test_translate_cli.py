"""`workbench translate` and `workbench models` as a user runs them (subprocesses, tiny models)."""

from __future__ import annotations

import json
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.tiny_marian import build_tiny_marian
from workbench.reports.corpus import load_document
from workbench.store.aligned import read_aligned
from workbench.translate.preprocess import opus_mt_normalise


def _sources(path: Path) -> list[str]:
    return [s.text for s in load_document(path).sentences]


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _memory_rows(data_dir: Path) -> int:
    db = data_dir / "translation-memory.sqlite3"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.OperationalError:  # schema not created yet
        return 0


@pytest.fixture(autouse=True)
def one_thread(isolated_env):
    # A tiny model gains nothing from threads, and they crawl when the cores are busy.
    isolated_env["OMP_NUM_THREADS"] = "1"


@pytest.fixture(scope="module")
def many_reports(tmp_path_factory, seeds_dir) -> Path:
    """30 generated zh reports of 6 distinct sentences each, from the seed sentences."""
    sents = [s for p in sorted(seeds_dir.glob("*.txt")) for s in _sources(p)
             if load_document(p).lang == "zh"]
    folder = tmp_path_factory.mktemp("many")
    for i in range(30):
        lines = [f"第{i}篇第{j}段,{sents[(i * 7 + j) % len(sents)]}" for j in range(6)]
        (folder / f"report_{i:03d}.txt").write_text("\n\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_no_model_exits_2_with_one_message(cli, seeds_dir, tmp_path):
    r = cli("translate", seeds_dir, "--out", tmp_path / "out")
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "hf download Helsinki-NLP/opus-mt-zh-en" in lines[0]
    assert "--model-vi DIR" in lines[0] and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_usage_errors(cli, seeds_dir, tmp_path, tiny_model_zh):
    r = cli("translate", tmp_path / "missing.txt", "--out", tmp_path / "o", "--model-zh", tiny_model_zh)
    assert r.returncode == 2 and "missing.txt: no such file or folder" in r.stderr
    r = cli("translate", seeds_dir, "--out", tmp_path / "o", "--format", "xml")
    assert r.returncode == 2 and "--format" in r.stderr and "Traceback" not in r.stderr


def test_translate_folder_skips_bad_files_then_cached_jsonl(cli, seeds_dir, tmp_path, tiny_model_zh,
                                                            tiny_model_vi):
    models = ("--model-zh", tiny_model_zh, "--model-vi", tiny_model_vi)
    folder, out = tmp_path / "in", tmp_path / "out"
    shutil.copytree(seeds_dir, folder)
    (folder / "empty.txt").write_text("")
    (folder / "english.txt").write_text("Only English words in this report, nothing else.\n")
    r = cli("translate", folder, "--out", out, *models, "--progress")
    assert r.returncode == 1, r.stderr  # some files failed, the others are done
    assert "empty.txt" in r.stderr and "english.txt" in r.stderr and "2 file(s) failed" in r.stderr
    assert "Traceback" not in r.stderr and "sentences/s" in r.stderr
    quiet = cli("translate", folder, "--out", tmp_path / "quiet", *models)  # stderr is no terminal here
    assert quiet.returncode == 1 and "sentences/s" not in quiet.stderr and "\r" not in quiet.stderr
    seeds = sorted(seeds_dir.glob("*.txt"))
    assert sorted(p.name for p in out.iterdir()) == [f"{p.stem}.en.txt" for p in seeds]
    total = 0
    for seed in seeds:
        lines = (out / f"{seed.stem}.en.txt").read_text(encoding="utf-8").splitlines()
        assert len(lines) == len(_sources(seed)) and all(lines)
        total += len(lines)
    assert f"{total} translated, 0 from the translation memory" in r.stderr

    r = cli("translate", *seeds, "--out", out, "--format", "jsonl", *models)
    assert r.returncode == 0, r.stderr
    assert f"0 translated, {total} from the translation memory" in r.stderr
    for seed in seeds:
        rows = _jsonl(out / f"{seed.stem}.en.jsonl")
        txt = (out / f"{seed.stem}.en.txt").read_text(encoding="utf-8").splitlines()
        assert [row["source"] for row in rows] == _sources(seed)
        assert [row["english"] for row in rows] == txt
        assert all(row["cached"] for row in rows)
        assert all(row["model"].startswith("tiny-opus-mt-") for row in rows)


def _start(isolated_env, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "workbench", "translate", *map(str, args)],
                            cwd=ROOT, env=isolated_env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _wait_rows(data_dir: Path, proc: subprocess.Popen, at_least: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        rows = _memory_rows(data_dir)
        if rows >= at_least:
            return rows
        time.sleep(0.02)
    pytest.fail(f"no translations committed before the run ended: {proc.stderr.read()}")


def _check_outputs(reports: Path, out: Path) -> None:
    """Every source sentence of every report has its English line, once, in order."""
    for report in sorted(reports.glob("*.txt")):
        rows = _jsonl(out / f"{report.stem}.en.jsonl")
        assert [row["index"] for row in rows] == list(range(len(_sources(report))))
        assert [row["source"] for row in rows] == _sources(report)
        assert all(row["english"] for row in rows)
    assert not list(out.glob(".*.tmp"))


def test_interrupt_then_two_processes_resume(isolated_env, many_reports, tmp_path, tiny_model_zh):
    data = Path(isolated_env["WORKBENCH_DATA_DIR"])
    total = 180

    def start(out: str, *extra: str) -> subprocess.Popen:  # one memory row per sentence: no clause cuts
        return _start(isolated_env, many_reports, "--out", tmp_path / out, "--format", "jsonl",
                      "--model-zh", tiny_model_zh, "--split-tokens", "0", *extra)

    proc = start("out", "--batch-tokens", "48")  # Ctrl-C: stops cleanly, says how to resume
    _wait_rows(data, proc, 1)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "run the same command again to resume" in err and "Traceback" not in err
    after_int = _memory_rows(data)

    proc = start("out", "--batch-tokens", "48")  # killed outright: committed batches survive
    _wait_rows(data, proc, after_int + 10)
    proc.kill()
    proc.communicate(timeout=60)
    kept = _memory_rows(data)
    assert after_int < kept < total

    # two processes resume at once from the same memory
    procs = [start(out, "--batch-tokens", "256", "--no-progress") for out in ("out", "out2")]
    for proc in procs:
        _, err = proc.communicate(timeout=180)
        assert proc.returncode == 0, err
        translated, cached = map(int, re.search(r"(\d+) translated, (\d+) from", err).groups())
        assert cached >= kept and translated <= total - kept
    _check_outputs(many_reports, tmp_path / "out")
    _check_outputs(many_reports, tmp_path / "out2")
    for a in sorted((tmp_path / "out").iterdir()):
        b = tmp_path / "out2" / a.name
        assert [r["english"] for r in _jsonl(a)] == [r["english"] for r in _jsonl(b)]
    assert _memory_rows(data) == total


def test_models_lists_found_and_missing(cli, tiny_model_zh, isolated_env, tmp_path):
    r = cli("models", "--model-zh", tiny_model_zh)
    assert r.returncode == 0, r.stderr
    zh_line = next(line for line in r.stdout.splitlines() if line.startswith("zh->en"))
    assert str(tiny_model_zh) in zh_line and re.search(r"\d [KM]B", zh_line) and "--model-zh" in zh_line
    assert "vi->en  MISSING" in r.stdout
    assert "hf download Helsinki-NLP/opus-mt-vi-en" in r.stdout

    rev = "fedcba9876543210fedcba9876543210fedcba98"
    cached = Path(isolated_env["HF_HOME"]) / "hub" / "models--Helsinki-NLP--opus-mt-vi-en"
    shutil.copytree(tiny_model_zh, cached / "snapshots" / rev)
    r = cli("models")
    assert "MISSING" in r.stdout.split("vi->en")[0]  # zh is not cached
    vi_line = next(line for line in r.stdout.splitlines() if line.startswith("vi->en"))
    assert "Helsinki-NLP/opus-mt-vi-en" in vi_line and rev in vi_line


def test_jsonl_shows_mt_warnings_and_the_memory_keeps_none(cli, isolated_env, tmp_path, seeds_dir):
    empty = build_tiny_marian(tmp_path / "empty-zh", "zh", stop_at=("",))  # every output empty
    report = seeds_dir / "000_75ef3c063faf8c49.txt"
    n = len(_sources(report))
    for _ in range(2):  # a re-run translates them again: nothing flagged was kept
        r = cli("translate", report, "--out", tmp_path / "out", "--format", "jsonl", "--model-zh", empty,
                "--no-progress")
        assert r.returncode == 0, r.stderr
        assert f"({n} translated, 0 from the translation memory)" in r.stderr
        assert f"{n} sentence(s) with MT warnings, e.g. empty: no English" in r.stderr
    rows = _jsonl(tmp_path / "out" / f"{report.stem}.en.jsonl")
    assert all(row["english"] == "" and row["mt_warnings"] == ["empty: no English for a non-empty source"]
               for row in rows)
    assert _memory_rows(Path(isolated_env["WORKBENCH_DATA_DIR"])) == 0


def test_glossary_post_edits_and_mt_warnings_reach_jsonl_and_aligned_files(cli, tmp_path, seeds_dir):
    # Stops at the first digit: placeholders are lost, and sentences with early numbers are cut short.
    model = build_tiny_marian(tmp_path / "loses-numbers-vi", "vi", stop_at=tuple("0123456789"))
    vi = seeds_dir / "002_9180580ce9d8d433.txt"
    r = cli("translate", vi, "--out", tmp_path / "out", "--format", "jsonl", "--model-vi", model, "--no-progress")
    assert r.returncode == 0, r.stderr
    rows = _jsonl(tmp_path / "out" / f"{vi.stem}.en.jsonl")
    edited = [row for row in rows if row.get("en_source") == "glossary"]
    assert edited and all(row["en_mt"] == opus_mt_normalise(row["source"]) != row["english"] for row in edited
                          if not any(ch.isdigit() for ch in row["source"]))
    assert any("TP.HCM" in row["en_mt"] and "Ho Chi Minh City" in row["english"] for row in edited)
    assert any("length_ratio" in " ".join(row.get("mt_warnings", [])) for row in rows)

    target = tmp_path / "pair.jsonl"
    r = cli("align", seeds_dir / "000_75ef3c063faf8c49.txt", vi, "--out", target, "--model-vi", model)
    assert r.returncode == 0, r.stderr
    sentences = read_aligned(target).header["vi"]["sentences"]
    by_text = {s["text"]: s for s in sentences}
    for row in rows:  # the aligned file records what translate --format jsonl shows
        s = by_text[row["source"]]
        assert s["en"] == row["english"]
        assert s.get("mt_warnings") == row.get("mt_warnings")
        assert (s.get("en_source"), s.get("en_mt")) == (row.get("en_source"), row.get("en_mt"))
