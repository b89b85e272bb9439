"""Load + clean + segment throughput on the seeds repeated to >= 20 MB.

    python benchmarks/segment_speed.py [--mb 20]

The corpus is one file per report (the seeds copied round-robin), as a batch
run reads it. The baseline, measured in the same run on the same files, is
reading + UTF-8 decoding + a plain regex sentence split: the floor cost of
touching the text at all. Prints both rates, their ratio, and a final line
`segment_mb_per_s: <x>`.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from workbench.reports.corpus import load_document

ROOT = Path(__file__).resolve().parent.parent
_PLAIN_SPLIT = re.compile(r"(?<=[。！？.!?])\s*")


def make_corpus(folder: Path, target_bytes: int) -> list[Path]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    data = [p.read_bytes() for p in seeds]
    paths: list[Path] = []
    total = 0
    while total < target_bytes:
        raw = data[len(paths) % len(data)]
        path = folder / f"{len(paths):05d}_{seeds[len(paths) % len(seeds)].name}"
        path.write_bytes(raw)
        paths.append(path)
        total += len(raw)
    return paths


def baseline(paths: list[Path]) -> int:
    count = 0
    for path in paths:
        text = path.read_bytes().decode("utf-8")
        count += sum(1 for s in _PLAIN_SPLIT.split(text) if s.strip())
    return count


def workbench(paths: list[Path]) -> int:
    return sum(len(load_document(path).sentences) for path in paths)


def timed(fn, paths: list[Path], repeats: int) -> tuple[float, int]:
    best, result = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn(paths)
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--repeats", type=int, default=2, help="best of N runs (default 2)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = make_corpus(Path(tmp), int(args.mb * 1e6))
        size_mb = sum(p.stat().st_size for p in paths) / 1e6
        base_s, base_n = timed(baseline, paths, args.repeats)
        work_s, work_n = timed(workbench, paths, args.repeats)
    base_rate, work_rate = size_mb / base_s, size_mb / work_s
    print(f"corpus: {len(paths)} reports, {size_mb:.1f} MB (seeds repeated)")
    print(f"baseline (read + decode + regex split): {base_rate:8.1f} MB/s  {base_n} pieces")
    print(f"workbench (load + clean + segment):     {work_rate:8.1f} MB/s  {work_n} sentences")
    print(f"ratio workbench/baseline: {work_rate / base_rate:.3f}")
    print(f"segment_mb_per_s: {work_rate:.2f}")


if __name__ == "__main__":
    main()
