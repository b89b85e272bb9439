"""SentencePiece pieces in and out of a Marian model, the same for every backend.

Exactly what `MarianTokenizer` does on the source side (the source SentencePiece
model's pieces, `vocab.json` ids, `<unk>` for pieces outside it, `</s>` at the
end), without importing `transformers`, so the CTranslate2 backend needs
neither it nor torch. English pieces are decoded with the target SentencePiece
model, as Marian's own `spm_decode` does (transformers 5's `MarianTokenizer.decode`
uses the source model for shared vocabularies).
"""

from __future__ import annotations

import json
from pathlib import Path

SPECIAL = ("</s>", "<unk>", "<pad>")


class Pieces:
    """The source/target SentencePiece models and the vocabulary of one model folder."""

    def __init__(self, folder: Path):
        import sentencepiece as spm

        folder = Path(folder)
        self.source = spm.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = spm.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        vocab: dict[str, int] = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        config = _read_json(folder / "tokenizer_config.json")
        target_vocab = vocab
        if config.get("separate_vocabs") and (folder / "target_vocab.json").is_file():
            target_vocab = json.loads((folder / "target_vocab.json").read_text(encoding="utf-8"))
        self.ids = vocab
        self.unk = vocab["<unk>"]
        self.eos = vocab["</s>"]
        self.pad = vocab.get("<pad>", len(vocab) - 1)
        self.target_pieces = {i: p for p, i in target_vocab.items()}

    def encode(self, text: str) -> list[str]:
        """Source pieces of `text`, ending with `</s>`."""
        return self.source.encode(text, out_type=str) + ["</s>"]

    def count(self, text: str) -> int:
        """Source tokens of `text`, without `</s>`."""
        return len(self.source.encode(text))

    def to_ids(self, pieces: list[str]) -> list[int]:
        return [self.ids.get(p, self.unk) for p in pieces]

    def from_ids(self, ids: list[int]) -> list[str]:
        """Target pieces up to the first `</s>`, without padding."""
        out = []
        for i in ids:
            if i == self.eos:
                break
            if i != self.pad:
                out.append(self.target_pieces.get(i, "<unk>"))
        return out

    def decode(self, pieces: list[str]) -> str:
        """English text of target pieces (special tokens dropped)."""
        words = [p for p in pieces if p not in SPECIAL]
        return self.target.decode_pieces(words).replace("\u2581", " ").strip()


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
