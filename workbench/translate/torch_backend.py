"""The PyTorch engine: `transformers`' MarianMTModel.generate, loaded once per process."""

from __future__ import annotations

import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.translate.base import MTUnavailable, TranslationConfig, default_threads
from workbench.translate.guard import MAX_PERIOD, loop_period
from workbench.translate.pieces import Pieces

_LOADED: dict[tuple[str, str, str], Any] = {}
_LOAD_LOCK = threading.Lock()
_THREADS_SET = False


def load_model(path: Path, device: str, threads: int | None = None, dtype: str = "float32") -> Any:
    """The MarianMTModel of a folder, in eval mode on `device`, loaded once per process."""
    global _THREADS_SET
    key = (str(path), device, dtype)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        import torch
        import transformers
        from transformers import MarianMTModel

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        if device == "cpu" and not _THREADS_SET:
            torch.set_num_threads(threads or default_threads())
            _THREADS_SET = True
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = MarianMTModel.from_pretrained(path, local_files_only=True,
                                                      dtype=getattr(torch, dtype))
        except Exception as exc:  # a corrupt or foreign folder: say which, not a traceback
            raise MTUnavailable(f"cannot load the translation model: {exc}", path) from None
        model.to(device).eval()
        _LOADED[key] = model
        return model


def _loop_stop(pieces: list[str], eos: int, start: int):
    """A logits processor that forces `</s>` on every hypothesis ending in a loop (guard.py)."""
    import torch
    from transformers import LogitsProcessor

    window = MAX_PERIOD * 6

    class LoopStop(LogitsProcessor):
        def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
            tails = input_ids[:, start:][:, -window:].tolist()
            rows = [r for r, tail in enumerate(tails) if loop_period([pieces[i] for i in tail])]
            if rows:
                scores[rows] = -float("inf")
                scores[rows, eos] = 0.0
            return scores

    return LoopStop()


@dataclass
class TorchEngine:
    """`Engine` over transformers' MarianMTModel."""

    model: Any
    pieces: Pieces
    device: str
    compute_type: str
    guard: bool
    backend: str = "torch"

    @classmethod
    def load(cls, path: Path, config: TranslationConfig) -> "TorchEngine":
        model = load_model(path, config.device or "cpu", config.threads, config.compute_type or "float32")
        return cls(model, Pieces(path), config.device or "cpu", config.compute_type or "float32",
                   config.repetition_guard)

    def __post_init__(self) -> None:
        size = self.model.config.vocab_size
        self._vocab = [self.pieces.target_pieces.get(i, "") for i in range(size)]

    def generate(self, batch: list[list[str]], max_new: int, beams: int,
                 options: dict[str, Any]) -> list[list[str]]:
        import torch
        from transformers import LogitsProcessorList

        ids = [self.pieces.to_ids(src) for src in batch]
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), self.pieces.pad, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for row, x in enumerate(ids):
            input_ids[row, :len(x)] = torch.tensor(x)
            mask[row, :len(x)] = 1
        # One new token more than the bound: room for </s>, forced there at the latest.
        kwargs: dict[str, Any] = {"num_beams": beams, "max_new_tokens": max_new + 1,
                                  "forced_eos_token_id": self.pieces.eos}
        kwargs.update(options)
        if self.guard:
            kwargs["logits_processor"] = LogitsProcessorList([_loop_stop(self._vocab, self.pieces.eos, start=1)])
        with torch.inference_mode():
            output = self.model.generate(input_ids=input_ids.to(self.device),
                                         attention_mask=mask.to(self.device), **kwargs)
        return [self.pieces.from_ids(row[1:]) for row in output.tolist()]

    def recover(self) -> None:
        if self.device == "cuda":
            import torch

            torch.cuda.empty_cache()
