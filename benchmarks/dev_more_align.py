"""Sentence alignment on every dev set, per mode, in-sample and leave-one-set-out.

    python benchmarks/dev_more_align.py               # strict F1 per set and mode
    python benchmarks/dev_more_align.py --loso        # also the leave-one-set-out table
    python benchmarks/dev_more_align.py --sets ted/hard dev-zhvi/hard   # some sets only
    python benchmarks/dev_more_align.py --loso --grid parallel_below=0.03,0.04,0.05,0.08

Sets: dev-zhvi news (`parallel`, `hard`), dev-more TED talks (spoken, Chinese without
punctuation), WMT24++ literary and social (each `parallel` and `hard`), all zh/vi and
model-free (the `.en` files are the English source of one side only, so they are not used);
and dev-align, six MAC chapters zh→en with the stored MT English of the Chinese (`.trans`)
and sentence embeddings when the model package is installed (vectors kept on disk between
runs, WORKBENCH_EMBED_CACHE, as in dev_align.py). The data stays in ../shared: the TED text
must not be copied into the project.

For each set it prints strict F1 in auto mode (and how often auto picked parallel), and with
each mode forced. With --loso, every tuned parameter of the aligner (the grid below) is chosen
on the other sets (mean strict F1 over them, auto mode) and the set is scored with that choice:
the number for text the choice never saw.
"""

from __future__ import annotations

import itertools
import sys
import time
from dataclasses import replace
from pathlib import Path

from workbench.align import align_sentences
from workbench.evaluate import read_beads, score_alignments

SHARED = Path(__file__).resolve().parents[2] / "shared"
ZHVI = SHARED / "dev-zhvi" / "align"
MORE = SHARED / "dev-more"
MAC = SHARED / "dev-align" / "mac"
SETS = ("dev-zhvi/parallel", "dev-zhvi/hard", "ted/parallel", "ted/hard", "wmt24-literary/parallel",
        "wmt24-literary/hard", "wmt24-social/parallel", "wmt24-social/hard", "dev-align")
MODES = ("auto", "parallel", "comparable")
# Tuned constants of the parallel aligner, for --loso (ParallelParams fields): the null's share
# of the gap, the share of the text left alone below which that null applies, and the weight
# of the punctuation evidence. `--grid field=v1,v2 ...` replaces the grid (keeps the run short).
GRID: dict[str, tuple] = {"null_share": (0.3, 0.4, 0.5), "parallel_below": (0.03, 0.04, 0.05),
                          "punct_evidence": (1.0, 1.5)}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def documents(name: str) -> list[dict]:
    """Documents of a set: src, tgt, languages, MT English of the source if any, gold."""
    if name == "dev-align":
        return [dict(src=_lines(MAC / f"{c}.zh"), tgt=_lines(MAC / f"{c}.en"), src_lang="zh", tgt_lang="en",
                     src_en=_lines(MAC / f"{c}.trans"), gold=read_beads(MAC / f"{c}.gold.align"))
                for c in ("001", "002", "003", "004", "005", "006")]
    corpus, kind = name.split("/")
    folder = ZHVI / kind if corpus == "dev-zhvi" else MORE / corpus / kind
    return [dict(src=_lines(p), tgt=_lines(folder / f"{p.stem}.vi"), src_lang="zh", tgt_lang="vi", src_en=None,
                 gold=read_beads(folder / "gold" / f"{p.stem}.align"))
            for p in sorted(folder.glob("*.zh"))]


def run(docs: list[dict], mode: str, params=None) -> tuple[float, list[str]]:
    """Strict F1 over the documents, and the mode used for each."""
    import workbench.align as wa
    from workbench.align.parallel import ParallelParams

    wa.ParallelParams = (lambda: params) if params is not None else ParallelParams
    tests, used = [], []
    for d in docs:
        r = align_sentences(d["src"], d["tgt"], d["src_lang"], d["tgt_lang"], src_en=d["src_en"], mode=mode)
        tests.append([(s, t) for s, t, _ in r.beads])
        used.append(r.mode)
    return score_alignments([d["gold"] for d in docs], tests).strict.f1, used


def main(argv: list[str]) -> None:
    from workbench.align.embed import get_embedder
    from benchmarks.dev_align import _cache_path

    names = argv[argv.index("--sets") + 1:] if "--sets" in argv else list(SETS)
    names = [n for n in names if n in SETS]
    if "--grid" in argv:
        GRID.clear()
        for spec in argv[argv.index("--grid") + 1:]:
            if "=" not in spec:
                break
            field, values = spec.split("=", 1)
            GRID[field] = tuple(float(v) for v in values.split(","))
    embedder = get_embedder()
    if embedder is not None and "dev-align" in names:
        embedder.load_cache(_cache_path())
    docs = {n: documents(n) for n in names}
    print(f"{'set':26}{'docs':>5}{'auto':>8}{'picked':>8}{'parallel':>10}{'comparable':>12}{'auto-best':>11}{'s':>6}")
    for n in names:
        start = time.perf_counter()
        f = {}
        for mode in MODES:
            f[mode], used = run(docs[n], mode)
            if mode == "auto":
                picked = f"{used.count('parallel')}/{len(used)}"
        gap = f["auto"] - max(f["parallel"], f["comparable"])
        print(f"{n:26}{len(docs[n]):>5}{f['auto']:>8.3f}{picked:>8}{f['parallel']:>10.3f}{f['comparable']:>12.3f}"
              f"{gap:>+11.3f}{time.perf_counter() - start:>6.0f}", flush=True)
    if embedder is not None and "dev-align" in names:
        path = _cache_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        embedder.save_cache(path)
    if "--loso" in argv:
        loso(docs)


def loso(docs: dict[str, list[dict]]) -> None:
    """Each set scored with the grid point that is best on the other sets (auto mode)."""
    from workbench.align.parallel import ParallelParams

    if not GRID:
        print("\nleave-one-set-out: no tuned parameter in the grid, so every held-out number is the in-sample one")
        return
    keys = list(GRID)
    scores = {}
    for values in itertools.product(*GRID.values()):
        params = replace(ParallelParams(), **dict(zip(keys, values)))
        scores[values] = {n: run(d, "auto", params)[0] for n, d in docs.items()}
    print(f"\nstrict F1 per grid point, auto mode: {' '.join(n.replace('wmt24-', '') for n in docs)}")
    for values, row in scores.items():
        print(f"  {dict(zip(keys, values))}  " + " ".join(f"{row[n]:.3f}" for n in docs))
    print(f"\nleave-one-set-out (grid {GRID}), auto mode:")
    for n in docs:
        others = [o for o in docs if o != n]
        best = max(scores, key=lambda v: sum(scores[v][o] for o in others) / len(others))
        print(f"{n:26}{scores[best][n]:>8.3f}  chose {dict(zip(keys, best))}")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    main(sys.argv[1:])
