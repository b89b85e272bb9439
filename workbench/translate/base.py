"""What every part of translation shares: the Translator protocol, a Translation, the options,
the errors, and the default CPU threads of an engine."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

from workbench.errors import WorkbenchError

LANGS = ("zh", "vi")


class MTUnavailable(WorkbenchError):
    """No translation model for a language; the message says how to get it."""


class MTOutOfMemory(WorkbenchError):
    """Even one sentence does not fit in the device's memory; the message says what to do."""


@runtime_checkable
class TermHook(Protocol):
    """Pre/post-processing around the model, per sentence (e.g. glossary terms).

    `protect` runs on the normalised source before tokenizing and may replace
    terms by placeholders; `restore` runs on the decoded English with the state
    that `protect` returned for that sentence, and returns None when the
    placeholders did not come back one-to-one. The sentence is then translated
    unprotected and `post_edit(source, english, lang)` applies the terms to that
    English; the result is recorded as a glossary post-edit, not as MT.
    """

    def protect(self, text: str, lang: str) -> tuple[str, Any]: ...

    def restore(self, english: str, state: Any) -> str | None: ...

    def post_edit(self, source: str, english: str, lang: str) -> str: ...


@runtime_checkable
class Translator(Protocol):
    """Sentences in one source language ("zh" or "vi") in, English out, same order."""

    def translate(self, sentences: list[str], lang: str) -> list[str]: ...


@dataclass(frozen=True)
class Translation:
    """One translated sentence, with where it came from.

    `mt_warnings` are "flag: detail" strings (flags: see `guard.FLAGS`); a
    sentence with warnings was not stored in the translation memory, so a
    re-run translates it again. `provenance` is "mt", or "glossary" when the
    English is the MT of the unprotected sentence (`raw_english`) post-edited
    with the glossary.
    """

    source: str
    english: str
    model: str  # model identity (name@revision or name@sha256 prefix)
    cached: bool  # served by the translation memory, no model call
    truncated: bool = False  # the source was cut to the model's input limit
    warning: str = ""  # the warnings as one line
    mt_warnings: tuple[str, ...] = ()
    provenance: str = "mt"
    raw_english: str | None = None  # the MT before a glossary post-edit
    clauses: int = 1  # pieces the sentence was translated in (see clauses.py)

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(w.split(":", 1)[0] for w in self.mt_warnings)

    def record(self) -> dict[str, Any]:
        """What an output file keeps beside the English: warnings and a post-edit's raw MT."""
        out: dict[str, Any] = {}
        if self.mt_warnings:
            out["mt_warnings"] = list(self.mt_warnings)
        if self.provenance != "mt":
            out["en_source"] = self.provenance
            out["en_mt"] = self.raw_english
        return out


@dataclass
class TranslationConfig:
    """Decoding and batching options; None means the model's own generation defaults."""

    beams: int | None = None
    max_length: int | None = None  # of the generated English, in tokens
    max_input_tokens: int | None = None  # source truncation; default: the model's limit
    batch_tokens: int = 4096  # padded source tokens per batch
    max_batch_sentences: int = 64
    memory_path: Path | None = None  # default: see memory.default_memory_path()
    use_memory: bool = True
    device: str | None = None  # "cuda" / "cpu"; default: CUDA when present
    threads: int | None = None  # CPU threads; default: default_threads()
    generate_options: dict[str, Any] = field(default_factory=dict)  # extra generate() kwargs
    backend: str = "auto"  # "torch", "ctranslate2", or "auto": ctranslate2 when installed
    compute_type: str | None = None  # default: float32 / int8 on CPU, float16 / int8_float16 on CUDA
    length_bound: tuple[float, int] = (1.5, 10)  # new tokens <= a * longest source + b, per batch
    repetition_guard: bool = True  # end a hypothesis that loops (see guard.py)
    split_tokens: int = 80  # cut longer sentences at clause boundaries; 0: never


Progress = Callable[[int], None]  # called with the number of sentences just finished


def default_threads() -> int:
    """CPU threads: `OMP_NUM_THREADS`, else the cores this process may use, at most 8.

    Beyond ~8 threads the small matrices of a Marian model gain nothing.
    """
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))
