"""Glossary matching speed: a generated 5,000-concept glossary against 10,000 sentences.

Terms and sentences are built (fixed seed) from the characters and syllables
of the seed reports. The Aho–Corasick matcher (`Glossary.match`, automaton
build included) is compared with a naive baseline that tests every term
against every sentence (`term in sentence`), measured in the same run on a
sample of the sentences and scaled to all of them.

    python benchmarks/glossary_match.py

Last line: `glossary_match_seconds: <s>` (zh, 10,000 sentences; target <= 2 s).
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.glossary import Entry, Glossary  # noqa: E402

TERMS = 5_000
SENTENCES = 10_000
NAIVE_SAMPLE = 500


def seed_material() -> tuple[list[str], list[str]]:
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted((ROOT / "seeds").glob("*.txt")))
    han = sorted(set(re.findall(r"[\u4e00-\u9fff]", text)))
    syllables = sorted({w.lower() for w in re.findall(r"[^\W\d_]+", text) if not re.search(r"[\u4e00-\u9fff]", w)})
    return han, syllables


def build(rng: random.Random) -> tuple[Glossary, list[str], list[str]]:
    han, sylls = seed_material()
    zh_terms: set[str] = set()
    vi_terms: set[str] = set()
    while len(zh_terms) < TERMS:
        zh_terms.add("".join(rng.choices(han, k=rng.randint(2, 6))))
    while len(vi_terms) < TERMS:
        vi_terms.add(" ".join(rng.choices(sylls, k=rng.randint(2, 4))))
    zh_list, vi_list = sorted(zh_terms), sorted(vi_terms)
    entries = [Entry([z], [v], [f"term {i}"]) for i, (z, v) in enumerate(zip(zh_list, vi_list))]
    zh_sents, vi_sents = [], []
    for _ in range(SENTENCES):
        parts = ["".join(rng.choices(han, k=rng.randint(5, 15))) for _ in range(3)]
        parts.insert(1, rng.choice(zh_list))
        zh_sents.append("".join(parts) + "。")
        words = [" ".join(rng.choices(sylls, k=rng.randint(3, 8))) for _ in range(3)]
        words.insert(1, rng.choice(vi_list))
        vi_sents.append(" ".join(words).capitalize() + ".")
    return Glossary(entries), zh_sents, vi_sents


def main() -> None:
    glossary, zh_sents, vi_sents = build(random.Random(0))

    start = time.perf_counter()
    zh_found = sum(len(glossary.match(s, "zh")) for s in zh_sents)
    zh_seconds = time.perf_counter() - start

    start = time.perf_counter()
    vi_found = sum(len(glossary.match(s, "vi")) for s in vi_sents)
    vi_seconds = time.perf_counter() - start

    terms = [t for e in glossary.entries for t in e.zh]
    start = time.perf_counter()
    naive_found = sum(1 for s in zh_sents[:NAIVE_SAMPLE] for t in terms if t in s)
    naive_seconds = (time.perf_counter() - start) * SENTENCES / NAIVE_SAMPLE

    print(f"glossary: {len(glossary)} concepts; sentences: {SENTENCES} zh, {SENTENCES} vi")
    print(f"zh matches: {zh_found} in {zh_seconds:.3f} s; vi matches: {vi_found} in {vi_seconds:.3f} s")
    print(f"naive baseline (every term `in` every sentence, {NAIVE_SAMPLE} sentences scaled to {SENTENCES}): "
          f"{naive_seconds:.3f} s ({naive_found} raw hits in the sample)")
    print(f"speed-up vs naive: {naive_seconds / zh_seconds:.1f}x")
    print(f"glossary_match_seconds: {zh_seconds:.3f}")


if __name__ == "__main__":
    main()
