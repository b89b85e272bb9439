"""`run` in parallel: worker processes, resume, per-pair failures, and no Ray without --ray.

Every run is the real CLI in a subprocess on real news reports (tests/report_folders.py).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path


from tests.conftest import ROOT
from tests.support.report_folders import news_folder, same_tree
from workbench.run.cluster import ray_flag_args
from workbench.store.aligned import read_aligned

PAIRS = ["zh_000__vi_000.jsonl", "zh_002__vi_002.jsonl", "zh_003__vi_003.jsonl", "zh_004__vi_004.jsonl"]


def table(stdout: str, out: Path) -> list[str]:
    """The summary lines of a run, with its output folder named alike."""
    return [line.replace(str(out), "OUT") for line in stdout.splitlines()]


def test_two_workers_write_the_same_bytes_as_one(tmp_path, cli, isolated_env, tiny_model_zh, tiny_model_vi):
    folder = news_folder(tmp_path / "in", lines=5)
    runs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        env = dict(isolated_env, WORKBENCH_DATA_DIR=str(tmp_path / f"data{workers}"))  # each translates afresh
        proc = cli("run", folder, "--out", out, "--model-zh", tiny_model_zh, "--model-vi", tiny_model_vi,
                   "--workers", workers, env=env)
        assert proc.returncode == 0, proc.stderr
        runs[workers] = (out, proc)
    one, two = runs["1"][0], runs["2"][0]
    assert sorted(p.name for p in one.glob("*.jsonl")) == PAIRS
    assert same_tree(one, two) == []
    assert table(runs["1"][1].stdout, one) == table(runs["2"][1].stdout, two)
    aligned = read_aligned(one / PAIRS[0])
    assert all(isinstance(s["en"], str) for s in aligned.header["vi"]["sentences"])  # MT was used
    assert "embed:all-MiniLM" in aligned.header["aligner"]  # and sentence embeddings, in every worker


def test_more_workers_than_one_use_processes(tmp_path):
    from workbench.run.workers import InProcess, ProcessPool, RunSettings, local_executor

    settings = RunSettings(None, "auto", False, {"zh": None, "vi": None})
    pool = local_executor(settings, workers=2, jobs=4)
    assert isinstance(pool, ProcessPool) and pool.processes == 2
    pool.close()
    assert isinstance(local_executor(settings, workers=2, jobs=1), InProcess)
    assert isinstance(local_executor(settings, workers=1, jobs=9), InProcess)


def test_resume_skips_up_to_date_pairs_and_realigns_what_changed(tmp_path, cli):
    folder = news_folder(tmp_path / "in", lines=5)
    out = tmp_path / "out"
    first = cli("run", folder, "--mt", "none", "--out", out)
    assert first.returncode == 0, first.stderr
    stamps = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.glob("*.jsonl")}
    assert sorted(stamps) == PAIRS

    again = cli("run", folder, "--mt", "none", "--out", out)
    assert again.returncode == 0, again.stderr
    assert f"0 pairs aligned into {out}/; 4 up to date, not aligned again" in again.stdout.splitlines()
    rows = [line for line in again.stdout.splitlines() if "│ up to date │" in line]
    assert len(rows) == 4  # the table still shows every pair and what its file holds
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in out.glob("*.jsonl")} == stamps
    assert not (out / ".backup").exists()

    # A report changed: only its pair is aligned again.
    report = folder / "zh_003.txt"
    report.write_text(report.read_text(encoding="utf-8") + "\n这是后来加上的一句话。\n", encoding="utf-8")
    changed = cli("run", folder, "--mt", "none", "--out", out)
    assert changed.returncode == 0, changed.stderr
    assert "1 pair aligned" in changed.stdout and "3 up to date" in changed.stdout
    now = {p.name: p.stat().st_mtime_ns for p in out.glob("*.jsonl")}
    assert [n for n in PAIRS if now[n] != stamps[n][1]] == ["zh_003__vi_003.jsonl"]
    assert "这是后来加上的一句话。" in (out / "zh_003__vi_003.jsonl").read_text(encoding="utf-8")

    # A review edit waiting in its journal: that pair is not skipped.
    (out / "zh_000__vi_000.jsonl.journal").write_bytes(b"")
    journal = cli("run", folder, "--mt", "none", "--out", out)
    assert "3 up to date" in journal.stdout and not (out / "zh_000__vi_000.jsonl.journal").exists()

    # Another glossary, another mode asked for: every pair again.
    glossary = tmp_path / "terms.tsv"
    glossary.write_text("zh\tvi\ten\tnote\n特朗普\tTrump\tTrump\t\n", encoding="utf-8")
    for extra in (["--glossary", glossary], ["--glossary", glossary, "--mode", "parallel"]):
        proc = cli("run", folder, "--mt", "none", "--out", out, *extra)
        assert proc.returncode == 0, proc.stderr
        assert "4 pairs aligned" in proc.stdout and "up to date" not in proc.stdout
    header = read_aligned(out / PAIRS[0]).header
    assert header["glossary"] and "chosen:asked" in header["aligner"]


def test_a_failing_pair_does_not_stop_the_others(tmp_path, cli):
    folder = news_folder(tmp_path / "in", lines=5)
    out = tmp_path / "out"
    assert cli("run", folder, "--mt", "none", "--out", out).returncode == 0
    locked, blocked = out / PAIRS[1], out / PAIRS[2]
    before = locked.read_bytes()
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "user": "lan", "time": 0}
    locked.with_name(locked.name + ".lock").write_text(json.dumps(holder))  # open in review
    blocked.unlink()
    blocked.mkdir()  # a folder where the file must go

    proc = cli("run", folder, "--mt", "none", "--out", out, "--mode", "parallel", "--workers", "2")
    assert proc.returncode == 1  # finished, but not every pair
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2, proc.stderr
    assert lines[0].startswith(f"skipped: {locked}: is open in review by lan")
    assert lines[1].startswith(f"failed: {blocked}: is a folder")
    assert "2 pairs aligned" in proc.stdout and "1 pair(s) failed" in proc.stdout
    assert locked.read_bytes() == before and blocked.is_dir()
    for name in (PAIRS[0], PAIRS[3]):
        assert read_aligned(out / name).header["mode"] == "parallel"


def test_without_ray_nothing_imports_it(tmp_path, isolated_env, tiny_model_zh):
    """`run` and `translate` load no Ray module unless --ray is given."""
    folder = news_folder(tmp_path / "in", docs=2, lines=4)
    code = ("import sys\nfrom workbench.cli import main\nsys.argv = ['workbench'] + sys.argv[1:]\n"
            "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
            "print('RAY', sorted(m for m in sys.modules if m.split('.')[0] == 'ray'), code, file=sys.stderr)\n")
    for args in (["run", folder, "--mt", "none", "--out", tmp_path / "out"],
                 ["translate", folder / "zh_000.txt", "--out", tmp_path / "en", "--model-zh", tiny_model_zh,
                  "--no-progress"]):
        proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True,
                              env=isolated_env, cwd=ROOT, timeout=300)
        assert "RAY [] 0" in proc.stderr, proc.stderr


def test_ray_takes_an_optional_address():
    assert ray_flag_args(["run", "seeds", "--ray"]) == ["run", "seeds", "--ray=local"]
    assert ray_flag_args(["run", "--ray", "seeds"]) == ["run", "--ray=local", "seeds"]  # a path is no address
    assert ray_flag_args(["run", "seeds", "--ray", "auto"]) == ["run", "seeds", "--ray", "auto"]
    assert ray_flag_args(["x", "--ray", "10.0.0.5:6379"]) == ["x", "--ray", "10.0.0.5:6379"]
    assert ray_flag_args(["x", "--ray", "ray://head:10001", "y"]) == ["x", "--ray", "ray://head:10001", "y"]
    assert ray_flag_args(["x", "--ray=auto"]) == ["x", "--ray=auto"]


def test_workers_and_ray_together_is_one_clear_error(tmp_path, cli):
    proc = cli("run", "seeds", "--out", tmp_path / "o", "--workers", "2", "--ray")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: --workers is for this machine; with --ray the cluster's CPUs align the pairs"]


def test_the_files_do_not_depend_on_the_process_hash_seed(tmp_path, cli, isolated_env):
    """Each worker process hashes strings with its own seed: nothing written may follow it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from pair_scaling import generate  # reports whose anchors tie in the mode's order check

    folder = tmp_path / "in"
    folder.mkdir()
    wanted = {"zh_00003.txt", "vi_00003.txt", "zh_00047.txt", "vi_00047.txt"}
    for doc in generate(100)[0]:
        if doc.path.name in wanted:
            (folder / doc.path.name).write_text(doc.text, encoding="utf-8")
    outs = []
    for seed in ("1", "2", "3"):
        outs.append(tmp_path / f"out{seed}")
        proc = cli("run", folder, "--mt", "none", "--out", outs[-1], "--workers", "1",
                   env=dict(isolated_env, PYTHONHASHSEED=seed))
        assert proc.returncode == 0, proc.stderr
    assert len(list(outs[0].glob("*.jsonl"))) == 2
    assert same_tree(outs[0], outs[1]) == [] and same_tree(outs[0], outs[2]) == []
