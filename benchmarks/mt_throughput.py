"""MT throughput: the workbench's batched path against one `generate` call per sentence.

A MarianMT model with the real shape of Helsinki-NLP/opus-mt-zh-en (d_model 512,
6+6 layers, 8 heads, FFN 2048, vocabulary 65001) and random weights, built on
disk by tests/tiny_marian.py and loaded through the workbench's own loading
path. Inputs: the segmented seed sentences (both languages), made up to N
distinct sentences by numbering repeats. Every sentence decodes exactly
OUT_TOKENS tokens (min_new_tokens = max_new_tokens), greedy, in both paths,
so random weights cannot make one path stop earlier than the other.

    python benchmarks/mt_throughput.py [--sentences 200] [--out-tokens 32] [--batch-tokens 4096]

Prints sentences/s of both paths, peak memory, the time of a fully cached
re-run; the last line is `batched_vs_naive: <ratio>`.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def seed_sentences(n: int) -> list[str]:
    from workbench.corpus import load_document

    base = [s.text for p in sorted((ROOT / "seeds").glob("*.txt")) for s in load_document(p).sentences]
    return [s if i < len(base) else f"({i // len(base) + 1}) {s}"
            for i, s in enumerate(base[i % len(base)] for i in range(n))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sentences", type=int, default=200)
    parser.add_argument("--out-tokens", type=int, default=32)
    parser.add_argument("--batch-tokens", type=int, default=4096)
    parser.add_argument("--model-dir", type=Path, help="reuse a model built by an earlier run")
    args = parser.parse_args()

    import torch

    from tests.tiny_marian import build_tiny_marian
    from workbench.translate import open_translator
    from workbench.translate.marian import load_model

    work = Path(tempfile.mkdtemp(prefix="mt-bench-"))
    model_dir = args.model_dir
    if model_dir is None or not (model_dir / "config.json").exists():
        model_dir = model_dir or work / "opus-mt-size"
        t = time.perf_counter()
        build_tiny_marian(model_dir, "zh", d_model=512, layers=6, heads=8, ffn_dim=2048,
                          vocab_size=65001, max_positions=512, max_length=512, init_std=0.02,
                          source_vocab=8000, both_languages=True)
        print(f"built the model in {time.perf_counter() - t:.1f}s: {model_dir}")
    sentences = seed_sentences(args.sentences)
    fixed = {"min_new_tokens": args.out_tokens, "max_new_tokens": args.out_tokens}
    common = dict(langs=("zh",), beams=1, generate_options=fixed, batch_tokens=args.batch_tokens,
                  memory_path=work / "tm.sqlite3")

    translator = open_translator(model_dir, **common)
    translator.identity("zh")  # hash the weights once (remembered across runs)
    model, tokenizer = load_model(translator.models["zh"].path, "cpu")
    print(f"torch threads: {torch.get_num_threads()}, sentences: {len(sentences)}, "
          f"output tokens each: {args.out_tokens}")

    def naive(batch: list[str]) -> list[str]:
        out = []
        for s in batch:
            enc = tokenizer([s], return_tensors="pt", truncation=True)
            with torch.inference_mode():
                ids = model.generate(**enc, num_beams=1, **fixed)
            out.append(tokenizer.decode(ids[0], skip_special_tokens=True))
        return out

    naive(sentences[:1])  # warm-up, both paths
    open_translator(model_dir, **{**common, "use_memory": False}).translate(sentences[:2], "zh")

    t = time.perf_counter()
    naive_out = naive(sentences)
    naive_s = time.perf_counter() - t
    print(f"naive:   {naive_s:8.2f}s  {len(sentences) / naive_s:7.2f} sentences/s")

    t = time.perf_counter()
    batched_out = translator.translate(sentences, "zh")
    batched_s = time.perf_counter() - t
    print(f"batched: {batched_s:8.2f}s  {len(sentences) / batched_s:7.2f} sentences/s "
          f"(translation memory written)")
    same = sum(a == b for a, b in zip(naive_out, batched_out))
    print(f"identical outputs: {same}/{len(sentences)}")

    t = time.perf_counter()
    again = open_translator(model_dir, **common)
    cached_out = again.translate(sentences, "zh")
    cached_s = time.perf_counter() - t
    assert cached_out == batched_out and again.stats.misses == 0
    print(f"cached re-run: {cached_s * 1000:.1f} ms, {batched_s / cached_s:.0f}x faster than translating")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB (cpu count {os.cpu_count()})")
    print(f"batched_vs_naive: {naive_s / batched_s:.2f}")


if __name__ == "__main__":
    main()
