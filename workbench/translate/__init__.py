"""Machine translation of Chinese and Vietnamese sentences to English.

`open_translator()` finds the models (see `models.py`), and returns a
`Translator` backed by MarianMT and a translation memory; the weights load on
first use and are shared by every caller in the process. Two backends decode
the same model: PyTorch (`transformers`) and CTranslate2 (int8, converted once
from the same folder; see `ct2.py`). With no model on the machine it raises
`MTUnavailable`, whose message says how to get one. English is never invented:
without a model there is no translation.

What the model sees: the sentence normalised as the opus-mt models' training
data was (`preprocess.py`), with glossary terms replaced by placeholders (a
`TermHook`), cut at clause boundaries when it is long (`clauses.py`). What
comes back is bounded in length and checked (`guard.py`): each `Translation`
carries its MT warnings, and a flagged output is never stored as good.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from workbench.translate.base import (
    LANGS,
    MTOutOfMemory,
    MTUnavailable,
    Progress,
    TermHook,
    Translation,
    TranslationConfig,
    Translator,
)


def open_translator(model_zh: str | Path | None = None, model_vi: str | Path | None = None,
                    *, langs: tuple[str, ...] = LANGS, config: TranslationConfig | None = None,
                    term_hook: TermHook | None = None, **opts: Any):
    """A MarianMT translator for `langs`, or `MTUnavailable` naming how to get the models.

    `model_zh`/`model_vi` are a model id or a folder (default: env var, config
    file, then the public opus-mt model; see `models.model_spec`). Extra keyword
    options set fields of `TranslationConfig`. An unknown backend or compute
    type is a `WorkbenchError`.
    """
    from workbench.translate.backends import choose_backend
    from workbench.translate.marian import MarianTranslator
    from workbench.translate.models import resolve_all

    config = replace(config or TranslationConfig(), **opts)  # TypeError on an unknown option
    models = resolve_all({"zh": model_zh, "vi": model_vi}, langs)
    return MarianTranslator(models, choose_backend(config), term_hook=term_hook)


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
    "LANGS", "MTOutOfMemory", "MTUnavailable", "Progress", "TermHook", "Translation", "TranslationConfig", "Translator",
    "open_translator", "try_open_translator",
]
