"""Pairing time and memory on generated report sets: 1k, 5k and 10k reports a side.

    python benchmarks/pair_scaling.py [--sizes 1000 5000 10000] [--no-big]

Reports are made from real text: runs of parallel zh/vi sentences of
../shared/dev-zhvi/align/parallel (recombined from two source documents, split into
paragraphs), a paragraph of the seed reports on one side only (noise that has no
counterpart), and three generated sentences per report with its own numbers and a
made-up Latin name, so that reports are distinct. Each zh report has one vi
partner, except 5 % lone reports on each side. Every size runs in its own
subprocess; it prints the pairing time (`pair_documents`, documents already
built; wall and CPU time of the process), the peak RSS of that process, precision/recall against the generated
pairs, and the growth of time against the growth of size (below quadratic when
the time ratio is well under the square of the size ratio).

The last row loads and pairs a folder holding a 9.9 MB zh and a 9.9 MB vi report
(the loader accepts up to 10 MB) and the seeds; the peak RSS includes loading.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARALLEL = ROOT.parent / "shared" / "dev-zhvi" / "align" / "parallel"
SEEDS = ROOT / "seeds"
FACTS = 3                  # generated sentences with their own numbers and name, per report
SYLLABLES = "ka ro vi len mar tes sol dun bra kel mo ri sa te on ul fen gor".split()


def _sources() -> list[tuple[list[str], list[str]]]:
    docs = []
    for zh in sorted(PARALLEL.glob("*.zh")):
        zs = zh.read_text(encoding="utf-8").splitlines()
        vs = zh.with_suffix(".vi").read_text(encoding="utf-8").splitlines()
        docs.append((zs, vs))
    return docs


def _seed_paragraphs() -> dict[str, list[str]]:
    from workbench.reports.corpus import load_document

    out: dict[str, list[str]] = {"zh": [], "vi": []}
    for path in sorted(SEEDS.iterdir()):
        doc = load_document(path)
        out[doc.lang].extend(line for line in doc.text.splitlines() if len(line) > 40)
    return out


def _fact(rng: random.Random) -> tuple[str, str]:
    name = "".join(rng.choice(SYLLABLES) for _ in range(3)).capitalize()
    count = rng.randrange(1_000, 999_999)
    whole, tenth = rng.randrange(11, 99), rng.randrange(1, 9)
    zh = f"{name}表示，共有{count:,}人参加，比去年增长{whole}.{tenth}%。"
    vi_count = f"{count:,}".replace(",", ".")   # Vietnamese groups thousands with dots
    vi = f"{name} cho biết có {vi_count} người tham gia, tăng {whole},{tenth}% so với năm ngoái."
    return zh, vi


def generate(n: int, seed: int = 10):
    """n zh and n vi Documents and the gold pairs {(zh name, vi name)}."""
    from workbench.reports.document import Document

    rng = random.Random(seed)
    sources = _sources()
    noise = _seed_paragraphs()
    lone = max(1, n // 20)
    zh_docs, vi_docs, gold = [], [], set()

    def story() -> tuple[list[str], list[str]]:
        zs, vs = [], []
        for src in rng.sample(sources, 2):
            length = rng.randint(3, 6)
            start = rng.randrange(0, max(1, len(src[0]) - length))
            zs += src[0][start:start + length]
            vs += src[1][start:start + length]
        for _ in range(FACTS):
            fz, fv = _fact(rng)
            at = rng.randrange(1, len(zs))
            zs.insert(at, fz)
            vs.insert(at, fv)
        return zs, vs

    def text(lines: list[str], lang: str) -> str:
        sep = "" if lang == "zh" else " "
        paragraphs, i = [], 0
        while i < len(lines):
            step = rng.randint(2, 3)
            paragraphs.append(sep.join(lines[i:i + step]))
            i += step
        paragraphs.insert(rng.randrange(1, len(paragraphs) + 1), rng.choice(noise[lang]))
        return "\n\n".join(paragraphs)

    for k in range(n):
        zs, vs = story()
        zh_docs.append(Document(Path(f"zh_{k:05d}.txt"), "zh", "utf-8", text(zs, "zh")))
        if k < n - lone:
            vi_docs.append(Document(Path(f"vi_{k:05d}.txt"), "vi", "utf-8", text(vs, "vi")))
            gold.add((f"zh_{k:05d}.txt", f"vi_{k:05d}.txt"))
    for k in range(n - lone, n):
        _, vs = story()
        vi_docs.append(Document(Path(f"vi_{k:05d}_lone.txt"), "vi", "utf-8", text(vs, "vi")))
    docs = zh_docs + vi_docs
    rng.shuffle(docs)
    return docs, gold


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child_size(n: int) -> dict:
    from workbench.pairing import pair_documents

    docs, gold = generate(n)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu, start = _cpu(), time.perf_counter()
    result = pair_documents(docs)
    seconds = time.perf_counter() - start
    found = {(p.zh.name, p.vi.name) for p in result.pairs}
    return {"n": n, "seconds": seconds, "cpu": _cpu() - cpu, "rss_before_mb": rss_before,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "precision": len(found & gold) / max(1, len(found)),
            "recall": len(found & gold) / max(1, len(gold))}


def child_big(mb: float) -> dict:
    from workbench.reports.corpus import load_document
    from workbench.pairing import pair_documents

    rng = random.Random(11)
    sources = _sources()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path in SEEDS.iterdir():
            (folder / path.name).write_bytes(path.read_bytes())
        parts: dict[str, list[str]] = {"zh": [], "vi": []}
        sizes = {"zh": 0, "vi": 0}
        while min(sizes.values()) < mb * 1_000_000:
            zs, vs = rng.choice(sources)
            fz, fv = _fact(rng)
            for lang, text in (("zh", "".join(zs[:4]) + fz), ("vi", " ".join(vs[:4]) + " " + fv)):
                if sizes[lang] < mb * 1_000_000:
                    parts[lang].append(text)
                    sizes[lang] += len(text.encode("utf-8")) + 2
        zh_parts, vi_parts = parts["zh"], parts["vi"]
        (folder / "big_zh.txt").write_text("\n\n".join(zh_parts), encoding="utf-8")
        (folder / "big_vi.txt").write_text("\n\n".join(vi_parts), encoding="utf-8")
        sizes = {p.name: p.stat().st_size for p in folder.glob("big_*")}
        start = time.perf_counter()
        docs = [load_document(p) for p in sorted(folder.iterdir())]
        loaded = time.perf_counter()
        result = pair_documents(docs)
        seconds = time.perf_counter() - start
    pairs = [(p.zh.name, p.vi.name) for p in result.pairs]
    return {"sizes": sizes, "seconds": seconds, "load_seconds": loaded - start,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "pairs": pairs}


def run_child(*args: str) -> dict:
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--big-mb", type=float, default=9.9, help="size of the big reports")
    parser.add_argument("--no-big", action="store_true")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-big", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child_size(args.child)))
        return
    if args.child_big:
        print(json.dumps(child_big(args.child_big)))
        return

    print(f"{'reports a side':>14} {'pair s':>8} {'CPU s':>7} {'peak RSS MB':>12} {'RSS before':>11} "
          f"{'P':>6} {'R':>6} {'size x':>7} {'time x':>7} {'exponent':>8}")
    base = None
    for n in args.sizes:
        r = run_child("--child", str(n))
        if base is None:
            base = r
            growth = ""
        else:
            size_x = n / base["n"]
            time_x = r["seconds"] / base["seconds"]
            growth = f"{size_x:7.1f} {time_x:7.1f} {math.log(time_x) / math.log(size_x):8.2f}"
        print(f"{n:14d} {r['seconds']:8.2f} {r['cpu']:7.2f} {r['peak_rss_mb']:12.0f} {r['rss_before_mb']:11.0f} "
              f"{r['precision']:6.3f} {r['recall']:6.3f} {growth}")
    print("(exponent: log(time ratio) / log(size ratio); 2 would be quadratic. Wall time on a "
          "shared machine is noise: CPU s is the process's own time)")
    if not args.no_big:
        r = run_child("--child-big", str(args.big_mb))
        sizes = ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(r["sizes"].items()))
        print(f"\nbig reports ({sizes}) + the seeds: load {r['load_seconds']:.1f} s, "
              f"pair {r['seconds'] - r['load_seconds']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB; "
              f"pairs {r['pairs']}")


if __name__ == "__main__":
    main()
