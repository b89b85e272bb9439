"""MT throughput: one `generate` call per sentence, the workbench's batched PyTorch path, and CTranslate2.

A MarianMT model with the real shape of Helsinki-NLP/opus-mt-zh-en (d_model 512,
6+6 layers, 8 heads, FFN 2048, vocabulary 65001) and random weights, built on
disk by tests/tiny_marian.py and loaded through the workbench's own loading
path. Inputs: the segmented seed sentences (both languages), made up to N
distinct sentences by numbering repeats.

Speed: every sentence decodes exactly OUT_TOKENS tokens (min = max new tokens,
loop stop off), greedy, in every path, so random weights cannot make one path
stop earlier than another. The machine is shared, and its load changes by the
minute, so the timing runs in `--repeat` rounds: each round translates a share
of the sentences one `generate` call at a time (every share together: all the
sentences once), then all of them with the workbench's batched PyTorch path, then
with CTranslate2 int8 (the model converted once by CTranslate2's own converter;
the conversion time is printed, not counted). Ratios are per sentence within a
round; the medians and spreads over rounds are printed. Agreement: the two
backends in float32, greedy, through the workbench's normal path (length bound
and loop stop on), same English or not.

    python benchmarks/mt_throughput.py [--sentences 128] [--out-tokens 32] [--repeat 4]

Last lines: `batched_vs_naive: <median>`, `ct2_vs_torch: <median>`,
`agreement_float32: <percent>`.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed_sentences(n: int) -> list[str]:
    from workbench.reports.corpus import load_document

    base = [s.text for p in sorted((ROOT / "seeds").glob("*.txt")) for s in load_document(p).sentences]
    return [s if i < len(base) else f"({i // len(base) + 1}) {s}"
            for i, s in enumerate(base[i % len(base)] for i in range(n))]


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=128)
    parser.add_argument("--out-tokens", type=int, default=32)
    parser.add_argument("--batch-tokens", type=int, default=4096)
    parser.add_argument("--repeat", type=int, default=4,
                        help="rounds; each times 1/repeat of the sentences one by one and all of them batched")
    parser.add_argument("--model-dir", type=Path, help="reuse a model built by an earlier run")
    parser.add_argument("--no-naive", action="store_true", help="skip the slow one-by-one baseline")
    args = parser.parse_args()

    import torch

    from tests.support.tiny_marian import build_tiny_marian
    from workbench.translate import open_translator
    from workbench.translate.pieces import Pieces
    from workbench.translate.torch_backend import load_model

    work = Path(tempfile.mkdtemp(prefix="mt-bench-"))
    os.environ.setdefault("WORKBENCH_CACHE_DIR", str(work / "cache"))
    model_dir = args.model_dir
    if model_dir is None or not (model_dir / "config.json").exists():
        model_dir = model_dir or work / "opus-mt-size"
        t = time.perf_counter()
        build_tiny_marian(model_dir, "zh", kind="random", d_model=512, layers=6, heads=8, ffn_dim=2048,
                          vocab_size=65001, max_positions=512, max_length=512, init_std=0.02,
                          source_vocab=8000, both_languages=True)
        print(f"built the model in {time.perf_counter() - t:.1f}s: {model_dir}")
    sentences = seed_sentences(args.sentences)
    fixed = {"min_new_tokens": args.out_tokens, "max_new_tokens": args.out_tokens}
    # Like for like with one `generate` per sentence: no clause cuts, no loop stop.
    common = dict(langs=("zh",), beams=1, generate_options=fixed, batch_tokens=args.batch_tokens,
                  memory_path=work / "tm.sqlite3", repetition_guard=False, split_tokens=0)

    torch_tr = open_translator(model_dir, backend="torch", **common)
    torch_tr.identity("zh")  # hash the weights once (remembered across runs)
    model = load_model(torch_tr.models["zh"].path, "cpu")
    pieces = Pieces(model_dir)
    print(f"torch threads: {torch.get_num_threads()}, sentences: {len(sentences)}, "
          f"output tokens each: {args.out_tokens}, cpu count {os.cpu_count()}")

    def naive(batch: list[str]) -> list[str]:
        out = []
        for s in batch:
            ids = torch.tensor([pieces.to_ids(pieces.encode(s))])
            with torch.inference_mode():
                row = model.generate(input_ids=ids, attention_mask=torch.ones_like(ids), num_beams=1, **fixed)
            out.append(pieces.decode(pieces.from_ids(row[0].tolist()[1:])))
        return out

    ct2_tr = open_translator(model_dir, backend="ctranslate2", compute_type="int8", **common)
    _, convert_s = timed(lambda: ct2_tr.engine("zh"))
    print(f"CTranslate2 int8 conversion (once, cached): {convert_s:.1f}s")
    naive(sentences[:1])  # warm-up, every path
    for backend, compute in (("torch", "float32"), ("ctranslate2", "int8")):
        open_translator(model_dir, backend=backend, compute_type=compute,
                        **{**common, "use_memory": False}).translate(sentences[:2], "zh")

    details, first_s = timed(lambda: torch_tr.translate_detailed(sentences, "zh"))
    print(f"batched torch, first run: {first_s:8.2f}s (translation memory written)")
    # Random weights loop: those outputs carry MT warnings and are not kept; time the kept ones.
    kept = [t.source for t in details if not t.mt_warnings]
    if kept:
        again = open_translator(model_dir, backend="torch", **common)
        _, cached_s = timed(lambda: again.translate(kept, "zh"))
        assert again.stats.misses == 0
        speedup = (first_s / len(sentences)) / (cached_s / len(kept))
        print(f"cached re-run of the {len(kept)} unflagged sentences: {cached_s * 1000:.1f} ms, "
              f"{speedup:.0f}x faster a sentence than translating")
    else:
        print("cached re-run: nothing to time (every random-weight output is flagged, so none is kept)")

    # Rounds: a share of the sentences one by one, then all of them batched in each backend.
    # On a shared machine the load changes by the minute; ratios within a round compare like with like.
    naive_ratios, ct2_ratios = [], []
    rounds = max(1, args.repeat)
    for k in range(rounds):
        share = sentences[k::rounds]
        torch_run = open_translator(model_dir, backend="torch", **{**common, "use_memory": False})
        ct2_run = open_translator(model_dir, backend="ctranslate2", compute_type="int8",
                                  **{**common, "use_memory": False})
        naive_s = None
        if not args.no_naive:
            _, naive_s = timed(lambda: naive(share))
        _, t_s = timed(lambda: torch_run.translate(sentences, "zh"))
        _, c_s = timed(lambda: ct2_run.translate(sentences, "zh"))
        line = f"round {k + 1}: "
        if naive_s is not None:
            naive_ratios.append((naive_s / len(share)) / (t_s / len(sentences)))
            line += f"one by one {len(share) / naive_s:6.2f} sentences/s, "
        ct2_ratios.append(t_s / c_s)
        print(line + f"batched torch {len(sentences) / t_s:6.2f}, ctranslate2 int8 {len(sentences) / c_s:6.2f}"
              + (f"; batched_vs_naive {naive_ratios[-1]:.2f}" if naive_s is not None else "")
              + f"; ct2_vs_torch {ct2_ratios[-1]:.2f}", flush=True)

    # Agreement in float32, greedy, through the normal path (bound and loop stop on).
    normal = dict(langs=("zh",), beams=1, use_memory=False, batch_tokens=args.batch_tokens)
    torch_out = open_translator(model_dir, backend="torch", **normal).translate(sentences, "zh")
    ct2_out = open_translator(model_dir, backend="ctranslate2", compute_type="float32", **normal) \
        .translate(sentences, "zh")
    int8_out = open_translator(model_dir, backend="ctranslate2", compute_type="int8", **normal) \
        .translate(sentences, "zh")
    same = sum(a == b for a, b in zip(torch_out, ct2_out))
    same8 = sum(a == b for a, b in zip(torch_out, int8_out))
    print(f"identical outputs, torch float32 vs ctranslate2 float32: {same}/{len(sentences)}; "
          f"vs ctranslate2 int8: {same8}/{len(sentences)} (random weights: int8 rounding flips near-ties)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB")
    if naive_ratios:
        print(f"batched_vs_naive spread: {min(naive_ratios):.2f}-{max(naive_ratios):.2f}")
        print(f"batched_vs_naive: {statistics.median(naive_ratios):.2f}")
    print(f"ct2_vs_torch spread: {min(ct2_ratios):.2f}-{max(ct2_ratios):.2f}")
    print(f"ct2_vs_torch: {statistics.median(ct2_ratios):.2f}")
    print(f"agreement_float32: {100 * same / len(sentences):.1f}%")


if __name__ == "__main__":
    main()
