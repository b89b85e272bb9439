"""`workbench run` on generated folders of 1k, 5k and 10k report pairs: 1 and 2 workers, and --ray.

    python benchmarks/run_scaling.py [--sizes 1000 5000 10000] [--ways 1 2 ray] [--mt none]

The reports are those of benchmarks/pair_scaling.py (runs of the parallel zh/vi
sentences of ../shared/dev-zhvi/align/parallel, a seed-report paragraph on one side,
generated sentences with their own numbers and names; 5 % lone reports a side),
written to a folder. Each way is the real CLI in a subprocess (`--mt none` by default:
this machine has no translation model, and the translation step is the same batched
code whichever way the pairs are aligned). It prints, per size and way, the wall time,
the peak memory (summed RSS of the command, its worker processes and, for --ray, the
local cluster's processes, sampled every 0.1 s), and the ratios to the 1-worker run
of the same size in the same invocation; it checks that every way wrote the same bytes,
then times a re-run (every pair up to date: the resume check).

Where the time goes (1 worker): load + segment and pair are timed in a child
process on the same folder, write is the time to write the same files atomically
(`store.atomic_write_bytes`), align is the rest of the run's wall time (so it includes
the start of the process and the loading of the aligner's sentence-embedding model).

--ray starts a private 2-CPU local cluster (tests/ray_cluster.py) once and stops it at
the end; its start is not counted.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]

from pair_scaling import generate  # noqa: E402  (the same generated reports as the pairing benchmark)

from tests.support.ray_cluster import LocalCluster, descendants  # noqa: E402


def write_folder(n: int, folder: Path) -> None:
    docs, _ = generate(n)
    folder.mkdir(parents=True)
    for doc in docs:
        (folder / doc.path.name).write_text(doc.text, encoding="utf-8")


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def run_measured(args: list[str], env: dict[str, str], extra: list[int] | None = None) -> dict:
    """Wall time and peak summed RSS of `python -m workbench ARGS` (and its children, and `extra` pids)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "workbench", *args], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0.0]
    base = _rss_mb(extra or [])  # the idle cluster is not the run's

    def sample() -> None:
        while proc.poll() is None:
            peak[0] = max(peak[0], _rss_mb(descendants(proc.pid)) + _rss_mb(extra or []) - base)
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        out, err = proc.communicate()
    finally:  # Ctrl-C: the run stops with the benchmark
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"workbench {' '.join(args)} failed ({proc.returncode}):\n{err[-3000:]}")
    return {"seconds": seconds, "peak_mb": peak[0], "last": out.strip().splitlines()[-1] if out.strip() else ""}


def phases(folder: str) -> dict:
    """Load + segment and pair times of the folder (in a fresh process, as `run` does them)."""
    from workbench.reports.corpus import load_document
    from workbench.pairing import pair_documents
    from workbench.reports.listing import list_reports

    start = time.perf_counter()
    docs = [load_document(p) for p in list_reports(Path(folder)).files]
    loaded = time.perf_counter()
    pair_documents(docs)
    return {"load": loaded - start, "pair": time.perf_counter() - loaded}


def write_time(out: Path) -> float:
    from workbench.store.files import atomic_write_bytes

    files = [(p.name, p.read_bytes()) for p in sorted(out.glob("*.jsonl"))]
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        start = time.perf_counter()
        for name, data in files:
            atomic_write_bytes(Path(tmp) / name, data)
        return time.perf_counter() - start


def differing(a: Path, b: Path) -> int:
    names = {p.name for p in a.glob("*.jsonl")} | {p.name for p in b.glob("*.jsonl")}
    return sum(not ((a / n).is_file() and (b / n).is_file() and filecmp.cmp(a / n, b / n, shallow=False))
               for n in names)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000], help="report pairs")
    parser.add_argument("--ways", nargs="+", default=["1", "2", "ray"], help="worker counts and/or ray")
    parser.add_argument("--mt", default="none", help="the run's --mt (auto needs models)")
    parser.add_argument("--phases", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phases:
        print(json.dumps(phases(args.phases)))
        return
    if "1" not in args.ways:
        args.ways.insert(0, "1")  # the baseline

    work = Path(tempfile.mkdtemp(prefix="run-scaling-"))
    env = dict(os.environ, PYTHONPATH=str(ROOT), WORKBENCH_DATA_DIR=str(work / "data"), HF_HUB_OFFLINE="1")
    cluster = LocalCluster(cpus=2) if "ray" in args.ways else None
    try:
        print(f"{'pairs':>6} {'way':>9} {'wall s':>8} {'x 1 worker':>10} {'peak MB':>8} {'x mem':>6} "
              f"{'same bytes':>10}")
        for n in args.sizes:
            folder = work / f"in{n}"
            write_folder(n, folder)
            results = {}
            for way in args.ways:
                out = work / f"out{n}-{way}"
                cmd = ["run", str(folder), "--out", str(out), "--mt", args.mt]
                if way == "ray":
                    r = run_measured([*cmd, "--ray", cluster.address], dict(env, **{
                        k: cluster.env[k] for k in cluster.JOIN}), cluster.pids())
                else:
                    r = run_measured([*cmd, "--workers", way], env)
                results[way] = r
                base = results["1"]
                same = "-" if way == "1" else ("yes" if differing(work / f"out{n}-1", out) == 0 else "NO")
                label = "ray" if way == "ray" else f"{way} worker{'s' if way != '1' else ''}"
                print(f"{n:>6} {label:>9} {r['seconds']:>8.1f} {base['seconds'] / r['seconds']:>9.2f}x "
                      f"{r['peak_mb']:>8.0f} {r['peak_mb'] / base['peak_mb']:>6.2f} {same:>10}", flush=True)
            again = run_measured(["run", str(folder), "--out", str(work / f"out{n}-1"), "--mt", args.mt,
                                  "--workers", "1"], env)
            proc = subprocess.run([sys.executable, __file__, "--phases", str(folder)], capture_output=True,
                                  text=True, env=env, check=True)
            split = json.loads(proc.stdout)
            split["write"] = write_time(work / f"out{n}-1")
            total = results["1"]["seconds"]
            split["align"] = total - sum(split.values())
            print(f"{n:>6} resume (all up to date): {again['seconds']:.1f} s ({again['last']})")
            print(f"{n:>6} where 1 worker's {total:.1f} s go: " + ", ".join(
                f"{k} {v:.1f} s ({v / total:.0%})" for k, v in split.items()), flush=True)
            shutil.rmtree(folder)
    finally:
        if cluster is not None:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
