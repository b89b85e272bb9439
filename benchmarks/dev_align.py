"""The parallel aligner on the dev set (../shared/dev-align/mac), beside the published aligners.

    python benchmarks/dev_align.py          # default parameters, strict/lax P/R/F1
    python benchmarks/dev_align.py --loo    # also leave-one-chapter-out tuning of the fusion

With --loo, every chapter is aligned with the parameters that score best on the
five other chapters (grid below), so the figure estimates quality on unseen
chapters rather than on the chapters the parameters were chosen on. Sentence
embeddings are computed once per process (the embedder caches them), so the grid
costs one embedding pass plus the dynamic programmes.
"""

from __future__ import annotations

import itertools
import sys
import time
from pathlib import Path

from workbench.align.parallel import ParallelParams, align_parallel
from workbench.align.signals import build_signals
from workbench.evaluate import read_beads, score_alignments

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-align" / "mac"
CHAPTERS = ("001", "002", "003", "004", "005", "006")
PUBLISHED = [  # strict F1, lax F1 on these six chapters (dev-align README)
    ("Gale-Church", 0.683, 0.821), ("Hunalign", 0.724, 0.888), ("Bleualign", 0.784, 0.933),
    ("Vecalign (LASER)", 0.921, 0.996), ("Bertalign (LaBSE)", 0.942, 0.997),
]
GRID = {
    "embed": (0.0, 1.0),
    "words": (0.5, 1.0),
    "length": (0.35, 0.5, 0.7),
    "null": (-0.1, -0.2),
    "extra": (0.02, 0.03),
}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def align_chapter(name: str, weights: dict | None = None, params: ParallelParams | None = None):
    signals = build_signals(_lines(DEV / f"{name}.zh"), _lines(DEV / f"{name}.en"), "zh", "en",
                            src_en=_lines(DEV / f"{name}.trans"), weights=weights)
    return [(s, t) for s, t, _ in align_parallel(signals, params or ParallelParams())]


def _table(rows) -> None:
    print(f"{'aligner':28}{'strict P':>9}{'R':>7}{'F1':>7}{'lax P':>8}{'R':>7}{'F1':>7}")
    for name, sc in rows:
        if sc is None:
            continue
        print(f"{name:28}{sc.strict.precision:>9.3f}{sc.strict.recall:>7.3f}{sc.strict.f1:>7.3f}"
              f"{sc.lax.precision:>8.3f}{sc.lax.recall:>7.3f}{sc.lax.f1:>7.3f}")


def main(argv: list[str]) -> None:
    gold = {c: read_beads(DEV / f"{c}.gold.align") for c in CHAPTERS}
    start = time.perf_counter()
    ours = score_alignments([gold[c] for c in CHAPTERS], [align_chapter(c) for c in CHAPTERS])
    seconds = time.perf_counter() - start
    rows = [("workbench (default)", ours)]
    if "--loo" in argv:
        outputs = {}
        keys = list(GRID)
        for values in itertools.product(*GRID.values()):
            cfg = dict(zip(keys, values))
            params = ParallelParams(null=cfg["null"], extra=cfg["extra"])
            weights = {"embed": cfg["embed"], "words": cfg["words"], "length": cfg["length"]}
            outputs[values] = {c: align_chapter(c, weights, params) for c in CHAPTERS}
        held_out = {}
        for c in CHAPTERS:
            train = [d for d in CHAPTERS if d != c]
            best = max(outputs, key=lambda v: score_alignments([gold[d] for d in train],
                                                               [outputs[v][d] for d in train]).strict.f1)
            held_out[c] = outputs[best][c]
            print(f"held out {c}: chose {dict(zip(keys, best))}")
        rows.append(("workbench (leave-one-out)", score_alignments([gold[c] for c in CHAPTERS],
                                                                   [held_out[c] for c in CHAPTERS])))
    _table(rows)
    print(f"{'published':28}{'':>9}{'':>7}{'':>7}{'':>8}{'':>7}")
    for name, strict, lax in PUBLISHED:
        print(f"{name:28}{'':>9}{'':>7}{strict:>7.3f}{'':>8}{'':>7}{lax:>7.3f}")
    best_published = max(p[1] for p in PUBLISHED)
    print(f"strict F1 ratio to Bertalign: {ours.strict.f1 / best_published:.3f}; "
          f"seconds for six chapters: {seconds:.1f}")


if __name__ == "__main__":
    main(sys.argv[1:])
