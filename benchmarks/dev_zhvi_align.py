"""Sentence alignment on the zh/vi news development set (../shared/dev-zhvi/align).

    python benchmarks/dev_zhvi_align.py            # the table below, model-free
    python benchmarks/dev_zhvi_align.py --split    # also the half-split robustness figure

Model-free, as the workbench usually runs zh/vi (no translation model): Sino-Vietnamese
cognates, anchors, length. For each set (parallel/: every sentence 1-1; hard/: merges
and deletions) it prints strict/lax P/R/F1 in auto mode, in the mode auto picked (and
how often it picked parallel), and in each mode forced. The `.en` files are the English
source of the zh side only; no code path takes English on one side alone, so they are
not used (the vi side has none).

With --split, the parallel aligner's two calibration constants (null share, length
evidence weight) are chosen on one half of the documents and scored on the other, both
ways round: the figure for documents the constants were not chosen on.
"""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

from workbench.align import align_sentences
from workbench.align.parallel import ParallelParams, align_parallel
from workbench.align.signals import build_signals
from workbench.evaluate import read_beads, score_alignments

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev-zhvi" / "align"
SETS = ("parallel", "hard")
GRID = {"null_share": (0.3, 0.4, 0.5), "length_evidence": (0.0, 0.5, 1.0)}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def documents(name: str) -> list[tuple[str, list[str], list[str], list]]:
    folder = DEV / name
    return [(p.stem, _lines(p), _lines(folder / f"{p.stem}.vi"), read_beads(folder / f"{p.stem}.gold.align"))
            for p in sorted(folder.glob("*.zh"))]


def _row(label: str, sc, extra: str = "") -> None:
    print(f"{label:34}{sc.strict.precision:>7.3f}{sc.strict.recall:>7.3f}{sc.strict.f1:>7.3f}"
          f"{sc.lax.f1:>8.3f}  {extra}")


def _pairs(beads) -> list:
    return [(s, t) for s, t, _ in beads]


def main(argv: list[str]) -> None:
    print(f"{'dev-zhvi/align, model-free':34}{'P':>7}{'R':>7}{'F1':>7}{'lax F1':>8}")
    for name in SETS:
        docs = documents(name)
        gold = [g for *_, g in docs]
        runs = {mode: [align_sentences(zh, vi, "zh", "vi", mode=mode) for _, zh, vi, _ in docs]
                for mode in ("auto", "parallel", "comparable")}
        picked = [r.mode for r in runs["auto"]]
        as_picked = [runs[m][k] for k, m in enumerate(picked)]
        _row(f"{name}/ auto", score_alignments(gold, [_pairs(r.beads) for r in runs["auto"]]),
             f"picked parallel {picked.count('parallel')}/{len(picked)}")
        _row(f"{name}/ mode auto picked", score_alignments(gold, [_pairs(r.beads) for r in as_picked]))
        for mode in ("parallel", "comparable"):
            _row(f"{name}/ {mode} (forced)", score_alignments(gold, [_pairs(r.beads) for r in runs[mode]]))
    print(f"signature: {runs['auto'][0].signature}")
    if "--split" in argv:
        split()


def split() -> None:
    """Choose the calibration constants on half the documents, score them on the other half."""
    docs = {name: documents(name) for name in SETS}
    signals = {(name, d): build_signals(zh, vi, "zh", "vi") for name in SETS for d, zh, vi, _ in docs[name]}
    gold = {(name, d): g for name in SETS for d, _, _, g in docs[name]}
    keys = list(GRID)
    outputs = {}
    for values in itertools.product(*GRID.values()):
        params = ParallelParams(**dict(zip(keys, values)))
        outputs[values] = {k: _pairs(align_parallel(s, params)) for k, s in signals.items()}
    ids = sorted({d for _, d in gold})
    halves = (ids[0::2], ids[1::2])

    def f1(values, names, doc_ids):
        cells = [(n, d) for n in names for d in doc_ids]
        return score_alignments([gold[c] for c in cells], [outputs[values][c] for c in cells]).strict.f1

    print("\nhalf-split (constants chosen on one half of the documents, scored on the other):")
    held = {name: ([], []) for name in SETS}
    for tune, test in (halves, halves[::-1]):
        # Chosen on both sets together: a held-out document may be either kind.
        best = max(outputs, key=lambda v: f1(v, SETS, tune))
        print(f"  chose {dict(zip(keys, best))} on {len(tune)} documents a set")
        for name in SETS:
            held[name][0].extend(gold[(name, d)] for d in test)
            held[name][1].extend(outputs[best][(name, d)] for d in test)
    default = tuple(getattr(ParallelParams(), k) for k in keys)
    for name in SETS:
        _row(f"{name}/ parallel, held-out halves", score_alignments(*held[name]))
        _row(f"{name}/ parallel, defaults", score_alignments([gold[(name, d)] for d in ids],
                                                              [outputs[default][(name, d)] for d in ids]))


if __name__ == "__main__":
    main(sys.argv[1:])
