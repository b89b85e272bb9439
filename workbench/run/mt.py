"""The translators a run uses: found per source language, or one note saying why not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.errors import WorkbenchError
from workbench.reports.document import Document

Notify = Callable[[str], None]


@dataclass
class MTContext:
    """The translators found, per source language, and why the others are missing (said once)."""

    translators: dict[str, Any] = field(default_factory=dict)
    message: str | None = None
    _said: bool = field(default=False, repr=False)

    def say_once(self, notify: Notify) -> None:
        if self.message and not self._said:
            notify(self.message)
            self._said = True

    def english(self, doc: Document) -> list[str] | None:
        details = self.translations(doc)
        return None if details is None else [t.english for t in details]

    def translations(self, doc: Document) -> list[Any] | None:
        """Each sentence's `workbench.translate.Translation` (English, MT warnings, provenance)."""
        translator = self.translators.get(doc.lang)
        if translator is None:
            return None
        texts = [s.text for s in doc.sentences]
        if hasattr(translator, "translate_detailed"):
            return list(translator.translate_detailed(texts, doc.lang))
        from workbench.translate import Translation

        return [Translation(t, e, "", False) for t, e in zip(texts, translator.translate(texts, doc.lang))]

    def identity(self, lang: str) -> str | None:
        translator = self.translators.get(lang)
        return translator.identity(lang) if translator is not None else None


@dataclass
class TranslatedMT(MTContext):
    """English made beforehand (by `run`'s translation step), for aligning where no model is loaded."""

    english: dict[str, list[Any] | None] = field(default_factory=dict)  # lang -> Translation per sentence
    models: dict[str, str | None] = field(default_factory=dict)  # lang -> model identity

    def translations(self, doc: Document) -> list[Any] | None:
        return self.english.get(doc.lang)

    def identity(self, lang: str) -> str | None:
        return self.models.get(lang)


def open_mt(mt: str = "auto", model_zh: str | None = None, model_vi: str | None = None,
            glossary: Any = None, backend: str = "auto") -> MTContext:
    """`mt="none"` skips translation; `"auto"` uses each language's model when found locally.

    A glossary protects its terms through the translator's term hook. The message for a
    missing model is one short line (`workbench models` tells how to get it).
    """
    if mt == "none":
        return MTContext()
    if mt != "auto":
        raise WorkbenchError(f"--mt must be 'auto' or 'none', not {mt!r}")
    from workbench.glossary.enforce import (
        GlossaryTermHook,  # the models and the glossary load only when asked
    )
    from workbench.translate import try_open_translator

    hook = GlossaryTermHook(glossary) if glossary is not None else None
    context, missing = MTContext(), []
    for lang in ("zh", "vi"):
        translator, message = try_open_translator(model_zh=model_zh, model_vi=model_vi, langs=(lang,),
                                                  term_hook=hook, backend=backend)
        if translator is None:
            missing.append(lang)
        else:
            context.translators[lang] = translator
    if missing:
        context.message = mt_unavailable_note(missing, {"zh": model_zh, "vi": model_vi})
    return context


def mt_unavailable_note(langs: list[str], overrides: dict[str, str | None] | None = None) -> str:
    """One short line for the commands that go on without English (`workbench models` has the rest)."""
    from workbench.translate.models import model_spec

    parts = []
    for lang in langs:
        spec, origin = model_spec(lang, (overrides or {}).get(lang))
        parts.append(f"no {lang}→en model ({spec}{'' if origin == 'default' else f', from {origin}'})")
    return (f"machine translation unavailable: {', '.join(parts)} on this machine; aligning without "
            f"English; `workbench models` says how to get {'them' if len(langs) > 1 else 'it'}")
