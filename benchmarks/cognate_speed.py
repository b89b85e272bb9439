"""Sino-Vietnamese similarity speed: calls per second, optimised paths vs a naive baseline.

The baseline scores each zh×vi sentence pair from scratch (readings, syllables,
weights recomputed on every call). `CognateModel.similarity` precomputes each
sentence once; `CognateModel.matrix` scores a whole block of pairs with numpy.
All three run in this process on the sentences of the seed pair 000/002.

    python benchmarks/cognate_speed.py [--repeat N]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from workbench.crosslingual import hanviet
from workbench.reports.corpus import load_document
from workbench.crosslingual.hanviet import CognateModel

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def naive_similarity(model: CognateModel, zh: str, vi: str) -> float:
    """The same score with nothing cached between calls."""
    hanviet._zh_profile.cache_clear()
    hanviet._vi_profile.cache_clear()
    model._zh.clear()
    model._vi.clear()
    return model.similarity(zh, vi)


def rate(fn, pairs: int, min_seconds: float = 1.0) -> float:
    calls, start = 0, time.perf_counter()
    while True:
        fn()
        calls += pairs
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return calls / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="time per measurement")
    args = parser.parse_args()

    zh_doc = load_document(SEEDS / "000_75ef3c063faf8c49.txt")
    vi_doc = load_document(SEEDS / "002_9180580ce9d8d433.txt")
    zs = [s.text for s in zh_doc.sentences]
    vs = [s.text for s in vi_doc.sentences]
    n = len(zs) * len(vs)
    model = CognateModel(zs, vs)
    model.matrix(zs, vs)  # warm the reading tables

    def naive() -> None:
        for z in zs:
            for v in vs:
                naive_similarity(model, z, v)

    def cached() -> None:
        for z in zs:
            for v in vs:
                model.similarity(z, v)

    def matrix() -> None:
        model.matrix(zs, vs)

    base = rate(naive, n, args.seconds)
    print(f"{len(zs)} zh × {len(vs)} vi sentences ({n} pairs per pass)")
    print(f"naive (no precomputation)   {base:>12,.0f} calls/s   1.0x")
    for name, fn in (("CognateModel.similarity", cached), ("CognateModel.matrix", matrix)):
        r = rate(fn, n, args.seconds)
        print(f"{name:<27} {r:>12,.0f} calls/s   {r / base:.1f}x")


if __name__ == "__main__":
    main()
