"""MarianMT backend: batched, memory-backed translation with `transformers`.

Weights load on the first sentence the memory cannot answer (a fully cached
run never loads them) and are shared by every translator in the process.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import warnings
from pathlib import Path
from typing import Any

from workbench.translate import (MTUnavailable, Progress, TermHook, Translation,
                                 TranslationConfig)
from workbench.translate.batching import make_batches
from workbench.translate.memory import MemoryStats, TranslationMemory, normalise, options_key
from workbench.translate.models import ModelLocation

_LOADED: dict[tuple[str, str], tuple[Any, Any]] = {}
_LOAD_LOCK = threading.Lock()
_THREADS_SET = False


def default_threads() -> int:
    """CPU threads for torch: the cores this process may use, at most 8.

    Beyond ~8 threads the small matrices of a Marian model gain nothing;
    `OMP_NUM_THREADS` or `TranslationConfig.threads` override it.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def _device(config: TranslationConfig) -> str:
    import torch

    if config.device:
        return config.device
    return "cuda" if torch.cuda.is_available() else "cpu"


def load_model(path: Path, device: str, threads: int | None = None) -> tuple[Any, Any]:
    """(model, tokenizer) for a model folder, loaded once per process."""
    global _THREADS_SET
    key = (str(path), device)
    with _LOAD_LOCK:
        if key in _LOADED:
            return _LOADED[key]
        import torch
        import transformers
        from transformers import MarianMTModel, MarianTokenizer

        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        if device == "cpu" and not _THREADS_SET:
            env = os.environ.get("OMP_NUM_THREADS", "")
            torch.set_num_threads(threads or (int(env) if env.isdigit() and int(env) > 0
                                              else default_threads()))
            _THREADS_SET = True
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "Recommended: pip install sacremoses" etc.
                tokenizer = MarianTokenizer.from_pretrained(path, local_files_only=True)
                model = MarianMTModel.from_pretrained(path, local_files_only=True)
        except Exception as exc:  # a corrupt or foreign folder: say which, not a traceback
            raise MTUnavailable(f"cannot load the translation model: {exc}", path) from None
        model.to(device).eval()
        _LOADED[key] = (model, tokenizer)
        return model, tokenizer


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def effective_options(loc: ModelLocation, config: TranslationConfig) -> dict[str, Any]:
    """Decoding options in force, read from the model's JSON files (no weights loaded)."""
    gen = _read_json(loc.path / "generation_config.json")
    model_cfg = _read_json(loc.path / "config.json")
    tok_cfg = _read_json(loc.path / "tokenizer_config.json")
    limit = min(int(tok_cfg.get("model_max_length") or 512),
                int(model_cfg.get("max_position_embeddings") or 512))
    opts = {
        "beams": config.beams or gen.get("num_beams") or model_cfg.get("num_beams") or 1,
        "max_length": config.max_length or gen.get("max_length") or model_cfg.get("max_length") or 512,
        "max_input_tokens": min(config.max_input_tokens or limit, limit),
    }
    opts.update(config.generate_options)
    return opts


class MarianTranslator:
    """A `Translator` over MarianMT models, one per source language, with a translation memory."""

    def __init__(self, models: dict[str, ModelLocation], config: TranslationConfig | None = None,
                 term_hook: TermHook | None = None):
        self.models = models
        self.config = config or TranslationConfig()
        self.term_hook = term_hook
        self.memory = TranslationMemory(self.config.memory_path) if self.config.use_memory else None
        self.stats = MemoryStats()  # hits: sentences from the memory; misses: sentences translated
        self._ids: dict[str, str] = {}

    def identity(self, lang: str) -> str:
        """The model identity for `lang`, as stored in the memory and in outputs."""
        if lang not in self._ids:
            self._ids[lang] = self._location(lang).identity(self.memory)
        return self._ids[lang]

    model_identity = identity

    def _location(self, lang: str) -> ModelLocation:
        if lang not in self.models:
            raise MTUnavailable(f"no translation model opened for {lang!r} "
                                f"(opened: {', '.join(self.models) or 'none'})")
        return self.models[lang]

    def translate(self, sentences: list[str], lang: str) -> list[str]:
        return [t.english for t in self.translate_detailed(sentences, lang)]

    def translate_detailed(self, sentences: list[str], lang: str,
                           progress: Progress | None = None) -> list[Translation]:
        """Translate, reading and filling the memory; `progress(n)` after each step."""
        loc = self._location(lang)
        model_id = self.identity(lang)
        opts = effective_options(loc, self.config)
        okey = options_key(opts)

        keys: list[str] = []  # what the model sees for each sentence ("" = nothing to do)
        states: list[Any] = []
        for text in sentences:
            text = normalise(text)
            state = None
            if text and self.term_hook is not None:
                text, state = self.term_hook.protect(text, lang)
                text = normalise(text)
            keys.append(text)
            states.append(state)

        wanted = [k for k in dict.fromkeys(keys) if k]
        done: dict[str, tuple[str, bool]] = self.memory.lookup(model_id, okey, wanted) if self.memory else {}
        cached = set(done)
        todo = [k for k in wanted if k not in done]
        uses = {k: 0 for k in todo}
        for k in keys:
            if k in uses:
                uses[k] += 1
        self.stats.hits += sum(1 for k in keys if k in cached)
        self.stats.misses += len(todo)
        if progress:
            progress(len(keys) - sum(uses.values()))

        if todo:
            for batch_rows in self._generate(loc, todo, opts):
                if self.memory:
                    self.memory.store(model_id, okey, batch_rows)  # one commit per batch
                for source, english, truncated in batch_rows:
                    done[source] = (english, truncated)
                if progress:
                    progress(sum(uses[r[0]] for r in batch_rows))

        out: list[Translation] = []
        for source, key, state in zip(sentences, keys, states):
            if not key:
                out.append(Translation(source, "", model_id, cached=False))
                continue
            english, truncated = done[key]
            if self.term_hook is not None:
                english = self.term_hook.restore(english, state)
            warning = (f"source truncated to {opts['max_input_tokens']} tokens"
                       if truncated else "")
            out.append(Translation(source, english, model_id, key in cached, truncated, warning))
        return out

    def _generate(self, loc: ModelLocation, texts: list[str], opts: dict[str, Any]):
        """Yield [(text, english, truncated)] per batch, longest sentences first."""
        import torch

        device = _device(self.config)
        model, tokenizer = load_model(loc.path, device, self.config.threads)
        limit = opts["max_input_tokens"]
        eos, pad = tokenizer.eos_token_id, tokenizer.pad_token_id
        logging.getLogger("transformers.tokenization_utils_base").setLevel(logging.ERROR)
        ids = tokenizer(texts, truncation=False)["input_ids"]
        truncated = [len(x) > limit for x in ids]
        ids = [x[:limit - 1] + [eos] if t else x for x, t in zip(ids, truncated)]

        gen_kwargs = {"num_beams": opts["beams"], "max_length": opts["max_length"]}
        gen_kwargs.update(self.config.generate_options)
        for batch in make_batches([len(x) for x in ids], self.config.batch_tokens,
                                  self.config.max_batch_sentences):
            width = max(len(ids[i]) for i in batch)
            input_ids = torch.full((len(batch), width), pad, dtype=torch.long)
            mask = torch.zeros((len(batch), width), dtype=torch.long)
            for row, i in enumerate(batch):
                input_ids[row, :len(ids[i])] = torch.tensor(ids[i])
                mask[row, :len(ids[i])] = 1
            with torch.inference_mode():
                output = model.generate(input_ids=input_ids.to(device),
                                        attention_mask=mask.to(device), **gen_kwargs)
            english = tokenizer.batch_decode(output, skip_special_tokens=True)
            yield [(texts[i], normalise(e), truncated[i]) for i, e in zip(batch, english)]

    def close(self) -> None:
        if self.memory:
            self.memory.close()
