"""Time and peak memory of alignment (auto mode, which picks parallel here) on generated
inputs of 1k..100k sentences a side.

Each size runs in its own process (so peak RSS is its own). The source is random
pseudo-English; the target is a noisy copy (a fifth of the words replaced, some
sentences split in two, some dropped), so the aligner does real work. The
sentence-embedding signal is off here (its cost is the model's, linear in the text). Ratios are
against the 1k run of the same invocation: linear cost means time ratio ~ size ratio.

    python benchmarks/align_scaling.py            # 1k, 10k, 100k (100k: a 10 MB report; minutes)
    python benchmarks/align_scaling.py 1000 2000  # chosen sizes
Memory is the process's peak resident size, Python and libraries included (about 100 MB
before any work); linear growth means the MB added per sentence stays flat. Last lines:
`seconds_10k: <s>`, `peak_mb_100k: <MB>` (when those sizes were run).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time


def generate(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocab = ["".join(rng.choice(letters) for _ in range(rng.randint(2, 9))) for _ in range(8000)]
    src, tgt = [], []
    for _ in range(n):
        words = [rng.choice(vocab) for _ in range(rng.randint(6, 28))]
        src.append(" ".join(words).capitalize() + ".")
        noisy = [w if rng.random() > 0.2 else rng.choice(vocab) for w in words]
        roll = rng.random()
        if roll < 0.08 and len(noisy) > 8:
            cut = len(noisy) // 2
            tgt += [" ".join(noisy[:cut]) + ".", " ".join(noisy[cut:]) + "."]
        elif roll < 0.10:
            continue
        else:
            tgt.append(" ".join(noisy) + ".")
    return src, tgt[:n] + [" ".join(rng.choice(vocab) for _ in range(10)) for _ in range(n - len(tgt))]


def one(n: int) -> dict:
    from workbench.align import align_sentences

    src, tgt = generate(n)
    start = time.perf_counter()
    # Without the sentence-embedding signal: embedding 4 x 20k runs of sentences would
    # dominate the time (about 100 texts a second a core) and says nothing about the DP.
    result = align_sentences(src, tgt, "en", "en", mode="auto", weights={"embed": 0.0})
    assert result.mode == "parallel", result.reason
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"n": n, "seconds": seconds, "peak_mb": peak_mb, "beads": len(result.beads)}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(one(int(argv[1]))))
        return
    sizes = [int(a) for a in argv] or [1000, 10000, 100000]
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = rows[0]
    print(f"{'sentences':>10} {'seconds':>9} {'peak MB':>9} {'time ratio':>11} {'size ratio':>11} {'KB/sentence':>12}")
    for r in rows:
        print(f"{r['n']:>10} {r['seconds']:>9.2f} {r['peak_mb']:>9.0f} "
              f"{r['seconds'] / base['seconds']:>11.2f} {r['n'] / base['n']:>11.2f} "
              f"{1024 * r['peak_mb'] / r['n']:>12.1f}")
    for r in rows:
        if r["n"] == 10000:
            print(f"seconds_10k: {r['seconds']:.2f}")
        if r["n"] == 100000:
            print(f"peak_mb_100k: {r['peak_mb']:.0f}")


if __name__ == "__main__":
    main(sys.argv[1:])
