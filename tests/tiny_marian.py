"""Build a tiny MarianMT model on disk, shaped like the public opus-mt folders.

Random weights (fixed seed) and SentencePiece vocabularies trained on the seed
reports: the output is gibberish, but the model loads and runs through exactly
the code path of `Helsinki-NLP/opus-mt-zh-en` (source.spm, target.spm,
vocab.json, config.json, generation_config.json, model.safetensors).

    python -m tests.tiny_marian OUT_DIR zh
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
HAN = re.compile(r"[\u4e00-\u9fff]")


def seed_lines() -> dict[str, list[str]]:
    """Seed report lines split by script: {"zh": [...], "vi": [...]}."""
    out: dict[str, list[str]] = {"zh": [], "vi": []}
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = line.strip()
            if len(line) < 4:
                continue
            out["zh" if HAN.search(line) else "vi"].append(line)
    return out


def _train_spm(lines: list[str], prefix: Path, vocab_size: int) -> None:
    import sentencepiece as spm

    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_prefix=str(prefix), vocab_size=vocab_size,
        model_type="unigram", character_coverage=0.995, hard_vocab_limit=False,
        bos_id=-1, eos_id=1, unk_id=2, pad_id=-1, minloglevel=2,
        num_threads=1, seed_sentencepiece_size=100_000,
    )
    # sentencepiece writes PREFIX.model; opus-mt folders call it *.spm
    prefix.with_suffix(".model").rename(prefix.with_suffix(".spm"))
    prefix.with_suffix(".vocab").unlink()


def build_tiny_marian(out_dir: Path, src_lang: str, *, d_model: int = 32, layers: int = 1,
                      heads: int = 2, ffn_dim: int | None = None, vocab_size: int | None = None,
                      max_positions: int = 128, max_length: int = 16, init_std: float = 0.5,
                      source_vocab: int = 1000, both_languages: bool = False, seed: int = 0) -> Path:
    """Write a tiny `src_lang`->English MarianMT model to `out_dir` and return it.

    The defaults make a model of ~0.3 MB that runs in milliseconds; the keyword
    options give other shapes (e.g. the real opus-mt size for benchmarks:
    d_model=512, layers=6, heads=8, ffn_dim=2048, vocab_size=65001, max_positions=512).
    Large random weights (init_std) make the output depend on the input.
    `both_languages` trains the source vocabulary on zh and vi seed lines, so
    either language tokenizes into realistic lengths.
    """
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = seed_lines()
    # The target side stands in for English: any Latin-script text gives a usable vocabulary.
    other = "vi" if src_lang == "zh" else "zh"
    tgt_lines = lines["vi"] if src_lang == "zh" else lines["vi"][::-1]
    src_lines = (lines["zh"] + lines["vi"]) if both_languages else (lines[src_lang] or lines[other])
    _train_spm(src_lines, out_dir / "source", source_vocab)
    _train_spm(tgt_lines, out_dir / "target", 400)

    # Joint vocabulary, numbered like opus-mt: </s>=0, <unk>=1, pieces, <pad> last.
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for name in ("source", "target"):
        sp = spm.SentencePieceProcessor(model_file=str(out_dir / f"{name}.spm"))
        for i in range(sp.get_piece_size()):
            if sp.is_control(i) or sp.is_unknown(i):
                continue
            vocab.setdefault(sp.id_to_piece(i), len(vocab))
    while vocab_size and len(vocab) < vocab_size - 1:  # unused ids, to reach the real size
        vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out_dir / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")

    warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
    tokenizer = MarianTokenizer(
        source_spm=str(out_dir / "source.spm"), target_spm=str(out_dir / "target.spm"),
        vocab=str(out_dir / "vocab.json"), source_lang=src_lang, target_lang="en",
        model_max_length=max_positions,
    )
    pad = vocab["<pad>"]
    config = MarianConfig(
        vocab_size=len(vocab), d_model=d_model, encoder_layers=layers, decoder_layers=layers,
        encoder_attention_heads=heads, decoder_attention_heads=heads,
        encoder_ffn_dim=ffn_dim or 2 * d_model, decoder_ffn_dim=ffn_dim or 2 * d_model,
        max_position_embeddings=max_positions, pad_token_id=pad, eos_token_id=0,
        decoder_start_token_id=pad, forced_eos_token_id=0, share_encoder_decoder_embeddings=True,
        init_std=init_std,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    model.generation_config = GenerationConfig(
        max_length=max_length, num_beams=1, bad_words_ids=[[pad]], pad_token_id=pad,
        eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
    )
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


if __name__ == "__main__":
    print(build_tiny_marian(Path(sys.argv[1]), sys.argv[2]))
