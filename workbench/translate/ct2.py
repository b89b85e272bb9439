"""The CTranslate2 engine: the Marian folder converted once, then decoded in int8.

Conversion uses CTranslate2's own converter (`ctranslate2.converters.
TransformersConverter`, its Marian loader), reading the same folder the PyTorch
engine loads: a `save_pretrained` folder or a Hugging Face cache snapshot. It
runs once per model identity and stored precision, into
`<user cache dir>/workbench/ctranslate2/<identity>-<precision>/`
(`WORKBENCH_CACHE_DIR` overrides the cache dir), written to a temporary folder
and renamed, so an interrupted or concurrent conversion never leaves half a
model. int8 compute types (int8, int8_float16, int8_float32) load the int8
conversion; float32 has its own, so float32 decoding is not dequantised int8.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import threading
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.translate.base import MTUnavailable, TranslationConfig, default_threads
from workbench.translate.guard import loop_end
from workbench.translate.pieces import Pieces

_LOADED: dict[tuple[str, str, str], Any] = {}
_LOCK = threading.Lock()
# generate() options the workbench passes on, by their transformers name -> CTranslate2 name
OPTION_NAMES = {"min_new_tokens": "min_decoding_length", "max_new_tokens": "max_decoding_length",
                "no_repeat_ngram_size": "no_repeat_ngram_size", "repetition_penalty": "repetition_penalty",
                "length_penalty": "length_penalty"}


def cache_dir() -> Path:
    if os.environ.get("WORKBENCH_CACHE_DIR"):
        return Path(os.environ["WORKBENCH_CACHE_DIR"]).expanduser() / "ctranslate2"
    import platformdirs

    return Path(platformdirs.user_cache_dir("workbench")) / "ctranslate2"


def stored_precision(compute_type: str) -> str:
    """The precision a compute type loads from: int8, float16, bfloat16 or float32."""
    return "int8" if compute_type.startswith("int8") else compute_type


def converted(path: Path, identity: str, compute_type: str) -> Path:
    """The CTranslate2 conversion of the model folder `path`, converting it on first use."""
    precision = stored_precision(compute_type)
    target = cache_dir() / (re.sub(r"[^\w.@-]+", "--", identity) + f"-{precision}")
    if (target / "model.bin").is_file():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    if sys.stderr.isatty():
        print(f"converting {path.name} to CTranslate2 {precision} (once; kept in {target.parent})",
              file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix=".convert-", dir=target.parent))
    try:
        _convert(path, work / "model", None if precision == "float32" else precision)
        try:
            os.rename(work / "model", target)
        except OSError:  # converted meanwhile by another process: keep theirs
            if not (target / "model.bin").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _convert(path: Path, out: Path, quantization: str | None) -> None:
    import transformers
    from ctranslate2.converters import TransformersConverter

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            TransformersConverter(str(path)).convert(str(out), quantization=quantization, force=True)
    except Exception as exc:  # an unsupported or corrupt folder: say which, not a traceback
        raise MTUnavailable(f"cannot convert the model to CTranslate2 ({type(exc).__name__}: {exc}); "
                            "use --backend torch", path) from None


@dataclass
class CT2Engine:
    """`Engine` over a `ctranslate2.Translator`."""

    translator: Any
    pieces: Pieces
    device: str
    compute_type: str
    guard: bool
    backend: str = "ctranslate2"

    @classmethod
    def load(cls, path: Path, identity: str, config: TranslationConfig) -> "CT2Engine":
        import ctranslate2

        device, compute = config.device or "cpu", config.compute_type or "int8"
        folder = converted(path, identity, compute)
        key = (str(folder), device, compute)
        with _LOCK:
            if key not in _LOADED:
                _LOADED[key] = ctranslate2.Translator(str(folder), device=device, compute_type=compute,
                                                      inter_threads=1,
                                                      intra_threads=config.threads or default_threads())
        return cls(_LOADED[key], Pieces(path), device, compute, config.repetition_guard)

    def generate(self, batch: list[list[str]], max_new: int, beams: int,
                 options: dict[str, Any]) -> list[list[str]]:
        unknown = sorted(set(options) - set(OPTION_NAMES))
        if unknown:
            raise WorkbenchError(f"decoding option(s) {', '.join(unknown)} not supported by the "
                                 "ctranslate2 backend; use --backend torch")
        kwargs: dict[str, Any] = {"beam_size": beams, "max_decoding_length": max_new,
                                  "max_input_length": 0}
        kwargs.update({OPTION_NAMES[k]: v for k, v in options.items()})
        results = self.translator.translate_batch(batch, **kwargs)
        out = [list(r.hypotheses[0]) for r in results]
        if self.guard:  # as the PyTorch engine's loop stop: end at the first loop
            out = [tokens[:loop_end(tokens) or len(tokens)] for tokens in out]
        return out

    def recover(self) -> None:
        pass
