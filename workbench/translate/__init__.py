"""Machine translation of Chinese and Vietnamese sentences to English.

`open_translator()` finds the models (see `models.py`), and returns a
`Translator` backed by MarianMT and a translation memory; the weights load on
first use and are shared by every caller in the process. With no model on the
machine it raises `MTUnavailable`, whose message says how to get one. English
is never invented: without a model there is no translation.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Protocol, runtime_checkable

from workbench.errors import WorkbenchError

LANGS = ("zh", "vi")


class MTUnavailable(WorkbenchError):
    """No translation model for a language; the message says how to get it."""


@runtime_checkable
class TermHook(Protocol):
    """Pre/post-processing around the model, per sentence (e.g. glossary terms).

    `protect` runs on the source before tokenizing and may replace terms by
    placeholders; `restore` runs on the decoded English with the state that
    `protect` returned for that sentence.
    """

    def protect(self, text: str, lang: str) -> tuple[str, Any]: ...

    def restore(self, english: str, state: Any) -> str: ...


@runtime_checkable
class Translator(Protocol):
    """Sentences in one source language ("zh" or "vi") in, English out, same order."""

    def translate(self, sentences: list[str], lang: str) -> list[str]: ...


@dataclass(frozen=True)
class Translation:
    """One translated sentence, with where it came from."""

    source: str
    english: str
    model: str  # model identity (name@revision or name@sha256 prefix)
    cached: bool  # served by the translation memory, no model call
    truncated: bool = False  # the source was cut to the model's input limit
    warning: str = ""


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
    threads: int | None = None  # CPU threads; default: see marian.default_threads()
    generate_options: dict[str, Any] = field(default_factory=dict)  # extra generate() kwargs

    def decoding_key(self) -> dict[str, Any]:
        """The options that change the output (part of the memory key)."""
        key: dict[str, Any] = {"beams": self.beams, "max_length": self.max_length,
                               "max_input_tokens": self.max_input_tokens}
        key.update(self.generate_options)
        return key


Progress = Callable[[int], None]  # called with the number of sentences just finished


def open_translator(model_zh: str | Path | None = None, model_vi: str | Path | None = None,
                    *, langs: tuple[str, ...] = LANGS, config: TranslationConfig | None = None,
                    term_hook: TermHook | None = None, **opts: Any):
    """A MarianMT translator for `langs`, or `MTUnavailable` naming how to get the models.

    `model_zh`/`model_vi` are a model id or a folder (default: env var, config
    file, then the public opus-mt model; see `models.model_spec`). Extra keyword
    options set fields of `TranslationConfig`.
    """
    from workbench.translate.marian import MarianTranslator
    from workbench.translate.models import resolve_all

    config = replace(config or TranslationConfig(), **opts)  # TypeError on an unknown option
    models = resolve_all({"zh": model_zh, "vi": model_vi}, langs)
    return MarianTranslator(models, config, term_hook=term_hook)


def try_open_translator(model_zh: str | Path | None = None, model_vi: str | Path | None = None,
                        **opts: Any):
    """(translator, None), or (None, message) when no model is available.

    For commands that go on without English: print the message once and continue.
    """
    try:
        return open_translator(model_zh, model_vi, **opts), None
    except MTUnavailable as exc:
        return None, str(exc)


__all__ = [
    "LANGS", "MTUnavailable", "TermHook", "Translation", "TranslationConfig", "Translator",
    "open_translator", "try_open_translator",
]
