"""Which engine decodes, on which device, at which precision; out-of-memory batches split.

Two engines run the same Marian model folder behind one interface (`Engine`):
`torch_backend.TorchEngine` (transformers) and `ct2.CT2Engine` (CTranslate2,
the folder converted once to its format). `--backend auto` takes CTranslate2
when it is installed (`pip install -e ".[fast]"`), else PyTorch. Defaults:
PyTorch float32 on CPU, float16 on CUDA; CTranslate2 int8 on CPU, int8_float16
on CUDA. Backend and compute type are part of the translation memory key.
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from typing import Any, Protocol

from workbench.errors import WorkbenchError
from workbench.translate.base import MTOutOfMemory, MTUnavailable, TranslationConfig

BACKENDS = ("auto", "torch", "ctranslate2")
COMPUTE_TYPES = {
    "torch": {"cpu": ("float32",), "cuda": ("float16", "float32", "bfloat16")},
    "ctranslate2": {"cpu": ("int8", "int8_float32", "float32"),
                    "cuda": ("int8_float16", "int8", "float16", "float32", "int8_float32")},
}


class Engine(Protocol):
    """Decodes batches of source pieces into target pieces."""

    backend: str
    compute_type: str
    device: str

    def generate(self, batch: list[list[str]], max_new: int, beams: int,
                 options: dict[str, Any]) -> list[list[str]]:
        """Target pieces (no special tokens) for each source (pieces ending in `</s>`)."""
        ...

    def recover(self) -> None:
        """Free what a failed (out-of-memory) call left behind."""
        ...


def ctranslate2_installed() -> bool:
    return importlib.util.find_spec("ctranslate2") is not None


def _cuda_available(backend: str) -> bool:
    if backend == "ctranslate2":
        import ctranslate2

        return ctranslate2.get_cuda_device_count() > 0
    import torch

    return torch.cuda.is_available()


def choose_backend(config: TranslationConfig) -> TranslationConfig:
    """`config` with backend, device and compute type decided (see the module docstring)."""
    if config.backend not in BACKENDS:
        raise WorkbenchError(f"unknown backend {config.backend!r}: use one of {', '.join(BACKENDS)}")
    backend = config.backend
    if backend == "auto":
        backend = "ctranslate2" if ctranslate2_installed() else "torch"
    elif backend == "ctranslate2" and not ctranslate2_installed():
        raise MTUnavailable("the ctranslate2 backend is not installed: pip install ctranslate2 "
                            "(the workbench's [fast] extra), or use --backend torch")
    device = config.device or ("cuda" if _cuda_available(backend) else "cpu")
    if device not in ("cpu", "cuda"):
        raise WorkbenchError(f"unknown device {device!r}: use cpu or cuda")
    if device == "cuda" and config.device and not _cuda_available(backend):
        raise WorkbenchError(f"--device cuda: no CUDA device usable by {backend} here; use --device cpu")
    allowed = COMPUTE_TYPES[backend][device]
    compute = config.compute_type or allowed[0]
    if compute not in allowed:
        raise WorkbenchError(f"compute type {compute!r} is not available for {backend} on {device}: "
                             f"use one of {', '.join(allowed)}")
    return replace(config, backend=backend, device=device, compute_type=compute)


def open_engine(path, identity: str, config: TranslationConfig) -> Engine:
    """The engine for a model folder of `identity` (weights loaded once per process)."""
    if config.backend == "ctranslate2":
        from workbench.translate.ct2 import CT2Engine

        return CT2Engine.load(path, identity, config)
    from workbench.translate.torch_backend import TorchEngine

    return TorchEngine.load(path, config)


def is_out_of_memory(exc: BaseException) -> bool:
    try:
        import torch

        if isinstance(exc, torch.OutOfMemoryError):
            return True
    except (ImportError, AttributeError):
        pass
    return isinstance(exc, (RuntimeError, MemoryError)) and "out of memory" in str(exc).lower()


def generate_split(engine: Engine, batch: list[list[str]], max_new: int, beams: int,
                   options: dict[str, Any]) -> list[list[str]]:
    """`engine.generate`, halving a batch that runs out of memory until it fits.

    Raises `MTOutOfMemory` when a single sentence does not fit.
    """
    try:
        return engine.generate(batch, max_new, beams, options)
    except Exception as exc:  # noqa: BLE001 - only out-of-memory errors are handled
        if not is_out_of_memory(exc):
            raise
        engine.recover()
        if len(batch) == 1:
            raise MTOutOfMemory(
                f"out of memory on {engine.device} translating one sentence of {len(batch[0])} tokens "
                f"({engine.backend}, {engine.compute_type}, {beams} beam(s)): use --device cpu, "
                "fewer --beams, or a smaller --split-tokens") from None
        half = len(batch) // 2
        return (generate_split(engine, batch[:half], max_new, beams, options)
                + generate_split(engine, batch[half:], max_new, beams, options))
