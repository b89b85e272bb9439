"""Pairing quality on ../shared/dev-zhvi/pair: precision, recall, F1, lone reports paired.

    python benchmarks/dev_zhvi_pair.py [--splits N] [--show]

Scores the whole set at the default threshold, then checks robustness with half
splits: the reports are split in two halves by story (a pair's two reports stay
together; the lone reports are split too), each half is paired on its own, the
threshold that maximises F1 on one half is chosen and scored on the other, in
both directions. The first split is fixed (stories in sorted order, alternately);
`--splits N` adds N random ones and prints their spread. Then every report is
made lone in turn (its partner removed): none should pair. Last, small folders of
2 to 9 stories show where the calibration has too few candidates to lean on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from workbench.reports.corpus import load_document
from workbench.pairing import THRESHOLD, pair_documents

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "dev-zhvi"


def score(pairs: set[tuple[str, str]], gold: set[tuple[str, str]], lone: set[str]) -> dict:
    tp = len(pairs & gold)
    p = tp / len(pairs) if pairs else 1.0
    r = tp / len(gold) if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    paired_lone = sorted({name for pair in pairs for name in pair} & lone)
    return {"P": p, "R": r, "F1": f, "found": tp, "predicted": len(pairs), "gold": len(gold),
            "lone_paired": paired_lone}


def line(name: str, s: dict) -> str:
    return (f"{name:34s} P {s['P']:.3f}  R {s['R']:.3f}  F1 {s['F1']:.3f}  "
            f"({s['found']}/{s['gold']} found, {s['predicted']} predicted, "
            f"lone reports paired: {len(s['lone_paired'])})")


def all_scores(docs) -> list[tuple[float, str, str]]:
    """Every scored candidate of `docs` as (score, zh, vi)."""
    result = pair_documents(docs, threshold=0.0)
    return [(p.score, p.zh.name, p.vi.name) for p in result.pairs]


def at(scores, threshold: float) -> set[tuple[str, str]]:
    return {(z, v) for s, z, v in scores if s >= threshold}


def best_threshold(scores, gold, lone) -> float:
    """The threshold maximising F1 (ties: the middle of the best run of thresholds)."""
    cuts = sorted({s for s, _, _ in scores} | {1.0})
    f1 = [score(at(scores, t), gold, lone)["F1"] for t in cuts]
    best = max(f1)
    run = [t for t, f in zip(cuts, f1) if f == best]
    lo = run[0]
    below = [t for t in cuts if t < lo]
    # Any threshold between the highest score below the run and the run's top gives the same F1.
    return ((below[-1] if below else 0.0) + run[-1]) / 2


def halves(stories: list[str], rng: random.Random | None) -> tuple[set[str], set[str]]:
    order = sorted(stories)
    if rng:
        rng.shuffle(order)
    return set(order[0::2]), set(order[1::2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dev", type=Path, default=DEV, help="the dev-zhvi folder")
    parser.add_argument("--splits", type=int, default=10, help="random half splits besides the fixed one")
    parser.add_argument("--show", action="store_true", help="list errors at the default threshold")
    parser.add_argument("--no-lone", action="store_true", help="skip the made-lone check")
    parser.add_argument("--no-small", action="store_true", help="skip the small-folder check")
    args = parser.parse_args()
    gold_file = args.dev / "pair.gold.json"
    if not gold_file.is_file():
        sys.exit(f"no {gold_file}")
    gold_json = json.loads(gold_file.read_text())
    gold = set(gold_json["pairs"].items())
    lone = set(gold_json["unpaired_zh"]) | set(gold_json["unpaired_vi"])
    story = gold_json["doc_of"]
    docs = [load_document(p) for p in sorted((args.dev / "pair").iterdir())]

    start = time.perf_counter()
    scores = all_scores(docs)
    elapsed = time.perf_counter() - start
    whole = score(at(scores, THRESHOLD), gold, lone)
    print(f"dev-zhvi/pair: {len(docs)} reports, {len(gold)} gold pairs, {len(lone)} lone reports; "
          f"pairing {elapsed:.2f} s")
    print(line(f"whole set, threshold {THRESHOLD}", whole))
    if args.show:
        found = at(scores, THRESHOLD)
        for z, v in sorted(gold - found):
            best = max(((s, vv) for s, zz, vv in scores if zz == z), default=(0, "-"))
            own = next((s for s, zz, vv in scores if (zz, vv) == (z, v)), None)
            print(f"  missed {z} {v}: score {own}, best candidate {best}")
        for z, v in sorted(found - gold):
            print(f"  wrong  {z} {v}")

    def split_scores(rng: random.Random | None) -> list[dict]:
        a, b = halves(sorted(set(story.values())), rng)
        out = []
        for choose, test in ((a, b), (b, a)):
            parts = []
            for part in (choose, test):
                part_docs = [d for d in docs if story[d.name] in part]
                names = {d.name for d in part_docs}
                part_gold = {(z, v) for z, v in gold if z in names}
                parts.append((all_scores(part_docs), part_gold, lone & names))
            (s_choose, g_choose, l_choose), (s_test, g_test, l_test) = parts
            chosen = best_threshold(s_choose, g_choose, l_choose)
            out.append({"chosen": chosen,
                        "test_at_chosen": score(at(s_test, chosen), g_test, l_test),
                        "test_at_default": score(at(s_test, THRESHOLD), g_test, l_test)})
        return out

    print("\nhalf split (fixed): choose the threshold on one half, score the other")
    for n, s in enumerate(split_scores(None)):
        print(line(f"  half {'AB'[n]} -> {'BA'[n]}: chosen {s['chosen']:.3f}", s["test_at_chosen"]))
        print(line(f"  half {'BA'[n]} at default {THRESHOLD}", s["test_at_default"]))
    if args.splits:
        rng = random.Random(10)
        chosen_f1, default_f1, lone_hits, chosen = [], [], 0, []
        for _ in range(args.splits):
            for s in split_scores(rng):
                chosen.append(s["chosen"])
                chosen_f1.append(s["test_at_chosen"]["F1"])
                default_f1.append(s["test_at_default"]["F1"])
                lone_hits += len(s["test_at_default"]["lone_paired"])
        print(f"\n{args.splits} random half splits ({len(chosen_f1)} directions):")
        print(f"  chosen thresholds {min(chosen):.3f}..{max(chosen):.3f}")
        print(f"  F1 on the other half at the chosen threshold: min {min(chosen_f1):.3f}, "
              f"mean {sum(chosen_f1) / len(chosen_f1):.3f}")
        print(f"  F1 on the other half at the default threshold: min {min(default_f1):.3f}, "
              f"mean {sum(default_f1) / len(default_f1):.3f}; lone reports paired {lone_hits}")


    if not args.no_lone:
        # Every report made lone in turn: its partner removed, the rest of the set kept.
        paired, top = [], []
        for z, v in sorted(gold):
            for drop, keep in ((v, z), (z, v)):
                rest = [d for d in docs if d.name != drop]
                result = pair_documents(rest, threshold=0.0)
                best = max((p.score for p in result.pairs if keep in (p.zh.name, p.vi.name)),
                           default=0.0)
                top.append(best)
                if best >= THRESHOLD:
                    paired.append(keep)
        print(f"\nmade lone (each report's partner removed in turn, {len(top)} runs): "
              f"paired at the default threshold {len(paired)}; highest score {max(top):.3f}, "
              f"lowest true-pair score on the whole set {min(s for s, z, v in scores if (z, v) in gold):.3f}")

    if not args.no_small:
        # Small folders: a few stories drawn at random, 30 % of them with one side removed.
        rng = random.Random(3)
        stories = sorted(set(story.values()))
        print("\nsmall folders (40 draws each; 30 % of stories lose one side):")
        for size in (2, 3, 5, 9):
            found_all = gold_all = tp = 0
            for _ in range(40):
                pick = sorted(rng.sample(stories, size))
                drop = set()
                for s in pick:
                    if rng.random() < 0.3:
                        drop.add(rng.choice(sorted(n for n, t in story.items() if t == s)))
                part = [d for d in docs if story[d.name] in pick and d.name not in drop]
                if {d.lang for d in part} != {"zh", "vi"}:
                    continue
                names = {d.name for d in part}
                part_gold = {(z, v) for z, v in gold if z in names and v in names}
                found = {(p.zh.name, p.vi.name) for p in pair_documents(part).pairs}
                tp += len(found & part_gold)
                found_all += len(found)
                gold_all += len(part_gold)
            print(f"  {size} stories: P {tp / max(1, found_all):.3f}  R {tp / max(1, gold_all):.3f}  "
                  f"({tp}/{gold_all} found, {found_all} predicted)")


if __name__ == "__main__":
    main()
