"""Build tiny MarianMT models on disk, shaped like the public opus-mt folders.

SentencePiece vocabularies trained on the seed reports, and the files of
`Helsinki-NLP/opus-mt-zh-en` (source.spm, target.spm, vocab.json, config.json,
generation_config.json, model.safetensors), so the models load through exactly
the workbench's code path. Two kinds of weights:

- `kind="copy"` (default): weights set by hand so that the model copies its
  source pieces and then emits `</s>`, like a well-behaved translation model:
  input-dependent, ends by itself, never loops. Cross-attention looks up the
  source position equal to the output position (the sinusoidal position
  encodings' dot product peaks there); its value carries the source token, and
  the tied output layer reads it back. Deterministic, no training. Options
  make it misbehave the way real models do: `eos_bias` < 0 never ends (stops
  only at a length bound), > 0 ends at once (empty output); `stop_at` pieces
  read as `</s>` (the rest of the sentence is silently dropped).
- `kind="random"`: random weights (fixed seed); gibberish that loops, and
  the shape of the real model for benchmarks.

    python -m tests.support.tiny_marian OUT_DIR zh [copy|random]
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
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
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
        bos_id=-1, eos_id=1, unk_id=2, pad_id=-1, minloglevel=2,
        num_threads=1, seed_sentencepiece_size=100_000,
    )
    # sentencepiece writes PREFIX.model; opus-mt folders call it *.spm
    prefix.with_suffix(".model").rename(prefix.with_suffix(".spm"))
    prefix.with_suffix(".vocab").unlink()


def build_tiny_marian(out_dir: Path, src_lang: str, *, kind: str = "copy", d_model: int | None = None,
                      layers: int = 1, heads: int | None = None, ffn_dim: int | None = None,
                      vocab_size: int | None = None, max_positions: int = 256, max_length: int | None = None,
                      init_std: float = 0.5, source_vocab: int = 1000, both_languages: bool = False,
                      seed: int = 0, eos_bias: float = 0.0, stop_at: tuple[str, ...] = ()) -> Path:
    """Write a tiny `src_lang`->English MarianMT model to `out_dir` and return it.

    `kind="random"` with d_model=512, layers=6, heads=8, ffn_dim=2048,
    vocab_size=65001, max_positions=512, init_std=0.02 gives the real opus-mt
    size (benchmarks). Large random weights (init_std) make the output depend on
    the input. `both_languages` trains the source vocabulary on zh and vi seed
    lines, so either language tokenizes into realistic lengths.
    `stop_at`: pieces containing any of these strings end the copy (copy kind).
    """
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    if kind not in ("copy", "random"):
        raise ValueError(f"kind must be 'copy' or 'random', not {kind!r}")
    from workbench.translate.preprocess import opus_mt_normalise

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    # As OPUS-MT-train does, the vocabularies are trained on normalised text.
    lines = {lang: [opus_mt_normalise(line) for line in found] for lang, found in seed_lines().items()}
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
    d_model = d_model or (128 if kind == "copy" else 32)
    heads = heads or (1 if kind == "copy" else 2)
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
    if kind == "copy":
        stops = [i for piece, i in vocab.items() if any(s in piece for s in stop_at)]
        _set_copy_weights(model, seed, stops)
    with torch.no_grad():
        model.final_logits_bias[0, 0] = eos_bias
    model.generation_config = GenerationConfig(
        max_length=max_length or max_positions, num_beams=1, bad_words_ids=[[pad]], pad_token_id=pad,
        eos_token_id=0, decoder_start_token_id=pad, forced_eos_token_id=0,
    )
    model.save_pretrained(out_dir)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def _set_copy_weights(model, seed: int, stops: list[int], freqs: int = 8,
                      sharpness: float = 2000.0, carry: float = 20.0) -> None:
    """Weights that make `model` copy its source (see the module docstring).

    Dimensions: the sine and cosine of the `freqs` fastest position frequencies
    locate positions; tokens live in the sine dimensions of slower frequencies
    (zero-sum, equal norm, so layer normalisation leaves their logits alone);
    the sine of the slowest frequency (~0 everywhere) is the zero point that
    cancels layer normalisation's mean. Everything else is zero, so each
    sublayer passes its input through the residual connection.
    """
    import torch

    d = model.config.d_model
    half = d // 2
    where = list(range(freqs)) + list(range(half, half + freqs))
    zero_point = half - 1
    token_dims = list(range(freqs, half - 1))
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embed_positions" in name:
                continue
            if "layer_norm" in name and name.endswith("weight"):
                p.fill_(1.0)
            else:
                p.zero_()
        tokens = torch.randn(model.config.vocab_size, len(token_dims), generator=gen)
        tokens -= tokens.mean(dim=1, keepdim=True)
        tokens = tokens / tokens.norm(dim=1, keepdim=True) * 40.0
        tokens[stops] = tokens[0] * 0.999  # read as </s>, which still wins the tie
        embed = torch.zeros(model.config.vocab_size, d)
        embed[:, token_dims] = tokens
        embed[model.config.pad_token_id] = 0.0  # the decoder starts from a zero embedding
        model.model.shared.weight.copy_(embed)
        locate = torch.zeros(d, d)
        for i in where:
            locate[i, i] = 1.0
            locate[i, zero_point] = -1.0
        carry_token = torch.zeros(d, d)
        carry_token[token_dims, token_dims] = carry
        for layer in model.model.decoder.layers:
            layer.encoder_attn.q_proj.weight.copy_(locate * sharpness)
            layer.encoder_attn.k_proj.weight.copy_(locate)
            layer.encoder_attn.v_proj.weight.copy_(carry_token)
            layer.encoder_attn.out_proj.weight.copy_(torch.eye(d))


if __name__ == "__main__":
    print(build_tiny_marian(Path(sys.argv[1]), sys.argv[2], kind=sys.argv[3] if len(sys.argv) > 3 else "copy"))
