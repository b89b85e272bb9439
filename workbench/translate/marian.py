"""MarianMT translation: normalise, protect terms, cut long sentences, look up, decode, check, restore.

Per sentence: the text is normalised (NFC, spaces), its glossary terms replaced
by placeholders (`TermHook.protect`), cut at clause boundaries when long
(`clauses.py`), and each piece normalised as opus-mt's training data was
(`preprocess.py`). Those pieces, exactly what the model sees, are the units the
translation memory is keyed on (with the model identity and every option that
changes the output: decoding, backend, compute type, preprocessing, guards).
Units the memory cannot answer are decoded in length-sorted batches by the
backend engine (`backends.py`), bounded and checked (`guard.py`); only
unflagged units are stored. The English of a sentence's units is joined, and
the placeholders restored; when they do not come back one-to-one the sentence
is translated again unprotected and the glossary applied as a post-edit.

Weights load on the first unit the memory cannot answer (a fully cached run
never loads them) and are shared by every translator in the process.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from workbench.translate.base import MTUnavailable, Progress, TermHook, Translation, TranslationConfig
from workbench.translate.backends import Engine, choose_backend, generate_split, open_engine
from workbench.translate.batching import make_batches
from workbench.translate.clauses import join_english, split_clauses
from workbench.translate.guard import flags_for, length_bound
from workbench.translate.memory import MemoryStats, TranslationMemory, normalise, options_key
from workbench.translate.models import ModelLocation
from workbench.translate.pieces import Pieces
from workbench.translate.preprocess import VERSION as PREPROCESS_VERSION
from workbench.translate.preprocess import opus_mt_normalise


def _read_json(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def effective_options(loc: ModelLocation, config: TranslationConfig) -> dict[str, Any]:
    """Options in force, read from the model's JSON files (no weights loaded): the memory key."""
    gen = _read_json(loc.path / "generation_config.json")
    model_cfg = _read_json(loc.path / "config.json")
    tok_cfg = _read_json(loc.path / "tokenizer_config.json")
    positions = int(model_cfg.get("max_position_embeddings") or 512)
    limit = min(int(tok_cfg.get("model_max_length") or 512), positions)
    opts = {
        "beams": config.beams or gen.get("num_beams") or model_cfg.get("num_beams") or 1,
        "max_length": config.max_length or gen.get("max_length") or model_cfg.get("max_length") or 512,
        "max_input_tokens": min(config.max_input_tokens or limit, limit),
        "backend": config.backend, "compute_type": config.compute_type,
        "preprocess": PREPROCESS_VERSION, "length_bound": list(config.length_bound),
        "repetition_guard": config.repetition_guard,
    }
    opts.update(config.generate_options)
    # Most new tokens without </s>: the decoder's start token and </s> take two positions.
    opts["_cap"] = max(1, min(int(opts["max_length"]), positions) - 2)
    return opts


@dataclass(frozen=True)
class DecodeJob:
    """One batch as the engine takes it: source pieces (each ending in `</s>`), the most new
    tokens, beams and extra decoding options. Planned where the memory is, decoded anywhere."""

    sources: list[list[str]]
    max_new: int
    beams: int
    options: dict[str, Any]


Decoder = Callable[[str, list[DecodeJob]], Iterable[tuple[int, list[list[str]]]]]


@dataclass
class _Sentence:
    text: str  # normalised source
    units: list[str]  # what the model sees, clause by clause
    state: Any = None  # the term hook's state; None: not protected
    protected: bool = False


@dataclass
class _Unit:
    english: str
    warnings: list[str] = field(default_factory=list)
    cached: bool = False
    truncated: bool = False


class MarianTranslator:
    """A `Translator` over MarianMT models, one per source language, with a translation memory."""

    def __init__(self, models: dict[str, ModelLocation], config: TranslationConfig | None = None,
                 term_hook: TermHook | None = None):
        self.models = models
        self.config = choose_backend(config or TranslationConfig())
        self.term_hook = term_hook
        # Who decodes the batches: None is this process's engine; `workbench.run.cluster` sets a
        # pool of translator actors (decoder(lang, batches) yields (batch index, output pieces)).
        self.decoder: Decoder | None = None
        self.memory = TranslationMemory(self.config.memory_path) if self.config.use_memory else None
        self.stats = MemoryStats()  # hits: sentences from the memory; misses: sentences translated
        self._ids: dict[str, str] = {}
        self._engines: dict[str, Engine] = {}
        self._pieces: dict[str, Pieces] = {}

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

    def pieces(self, lang: str) -> Pieces:
        """The model's SentencePiece models and vocabulary (no weights loaded)."""
        if lang not in self._pieces:
            try:
                self._pieces[lang] = Pieces(self._location(lang).path)
            except (OSError, ValueError, KeyError, RuntimeError) as exc:
                raise MTUnavailable(f"cannot read the model's vocabulary: {exc}",
                                    self._location(lang).path) from None
        return self._pieces[lang]

    def engine(self, lang: str) -> Engine:
        if lang not in self._engines:
            self._engines[lang] = open_engine(self._location(lang).path, self.identity(lang), self.config)
        return self._engines[lang]

    def translate(self, sentences: list[str], lang: str) -> list[str]:
        return [t.english for t in self.translate_detailed(sentences, lang)]

    def prepare(self, text: str, lang: str, protect: bool = True) -> _Sentence:
        """What the model will see for `text`: normalised, protected, cut into clauses."""
        text = normalise(text)
        if not text:
            return _Sentence(text, [])
        seen, state, protected = text, None, False
        if protect and self.term_hook is not None:
            seen, state = self.term_hook.protect(text, lang)
            protected = True
        pieces = self.pieces(lang)
        clauses = split_clauses(seen, lang, lambda c: pieces.count(opus_mt_normalise(c)),
                                self.config.split_tokens)
        units = [u for u in map(opus_mt_normalise, clauses) if u]
        return _Sentence(text, units, state, protected)

    def translate_detailed(self, sentences: list[str], lang: str,
                           progress: Progress | None = None) -> list[Translation]:
        """Translate, reading and filling the memory; `progress(n)` as sentences finish."""
        model_id = self.identity(lang)
        prepared = [self.prepare(text, lang) for text in sentences]
        pending: dict[str, list[int]] = {}
        waiting = [len(set(s.units)) for s in prepared]
        for k, s in enumerate(prepared):
            for unit in set(s.units):
                pending.setdefault(unit, []).append(k)
        if progress:
            progress(sum(1 for w in waiting if w == 0))

        def done(units: list[str]) -> None:
            finished = 0
            for unit in units:
                for k in pending.pop(unit, []):
                    waiting[k] -= 1
                    finished += waiting[k] == 0
            if progress and finished:
                progress(finished)

        results = self._translate_units(lang, [u for s in prepared for u in s.units], done)
        self.stats.hits += sum(1 for s in prepared if s.units and all(results[u].cached for u in s.units))
        self.stats.misses += len({tuple(s.units) for s in prepared
                                  if any(not results[u].cached for u in s.units)})

        out: list[Translation | None] = []
        retry: list[int] = []
        for k, (source, s) in enumerate(zip(sentences, prepared)):
            english = join_english([results[u].english for u in s.units])
            if s.protected:
                restored = self.term_hook.restore(english, s.state)
                if restored is None:
                    retry.append(k)
                    out.append(None)
                    continue
                english = restored
            out.append(self._translation(source, english, model_id, [results[u] for u in s.units], s))
        if retry:
            plain = {k: self.prepare(sentences[k], lang, protect=False) for k in retry}
            again = self._translate_units(lang, [u for s in plain.values() for u in s.units])
            for k, s in plain.items():
                raw = join_english([again[u].english for u in s.units])
                edited = self.term_hook.post_edit(s.text, raw, lang)
                out[k] = self._translation(sentences[k], edited, model_id, [again[u] for u in s.units], s,
                                           raw=raw if edited != raw else None)
        return out  # type: ignore[return-value]

    @staticmethod
    def _translation(source: str, english: str, model_id: str, units: list[_Unit], s: _Sentence,
                     raw: str | None = None) -> Translation:
        warnings = list(dict.fromkeys(w for u in units for w in u.warnings))
        return Translation(source, english, model_id, cached=bool(units) and all(u.cached for u in units),
                           truncated=any(u.truncated for u in units), warning="; ".join(warnings),
                           mt_warnings=tuple(warnings), provenance="glossary" if raw is not None else "mt",
                           raw_english=raw, clauses=max(1, len(s.units)))

    def _translate_units(self, lang: str, units: Iterable[str],
                         done: Callable[[list[str]], None] | None = None) -> dict[str, _Unit]:
        """English of each distinct unit: from the memory, else decoded (and stored when unflagged)."""
        loc = self._location(lang)
        model_id = self.identity(lang)
        opts = effective_options(loc, self.config)
        okey = options_key({k: v for k, v in opts.items() if not k.startswith("_")})
        wanted = list(dict.fromkeys(units))
        found = self.memory.lookup(model_id, okey, wanted) if self.memory else {}
        results = {u: _Unit(english, cached=True, truncated=t) for u, (english, t) in found.items()}
        if done:
            done(list(results))
        todo = [u for u in wanted if u not in results]
        if not todo:
            return results
        for rows in self._generate(lang, todo, opts):
            good = [(u, r.english, r.truncated) for u, r in rows if not r.warnings]
            if self.memory and good:
                self.memory.store(model_id, okey, good)  # one commit per batch
            results.update(rows)
            if done:
                done([u for u, _ in rows])
        return results

    def _generate(self, lang: str, units: list[str], opts: dict[str, Any]):
        """Yield [(unit, _Unit)] per batch, longest units first (in order of completion)."""
        pieces = self.pieces(lang)
        limit = opts["max_input_tokens"]
        sources = [pieces.encode(u) for u in units]
        truncated = [len(s) > limit for s in sources]
        sources = [s[:limit - 1] + ["</s>"] if t else s for s, t in zip(sources, truncated)]
        decoding = {k: opts[k] for k in self.config.generate_options}
        fixed = "max_new_tokens" in decoding  # benchmarks: a set number of tokens, no bound
        batches = make_batches([len(s) for s in sources], self.config.batch_tokens,
                               self.config.max_batch_sentences)
        bounds = {i: length_bound(len(sources[i]) - 1, self.config.length_bound, opts["_cap"])
                  for batch in batches for i in batch}
        jobs = [DecodeJob([sources[i] for i in batch], max(bounds[i] for i in batch), opts["beams"], decoding)
                for batch in batches]
        for k, outputs in (self.decoder or self.decode)(lang, jobs):
            rows = []
            for i, output in zip(batches[k], outputs):
                if not fixed:
                    output = output[:bounds[i]]
                english = normalise(pieces.decode(output))
                warnings = flags_for(len(sources[i]) - 1, output, english, math.inf if fixed else bounds[i],
                                     limit if truncated[i] else None)
                rows.append((units[i], _Unit(english, warnings, cached=False, truncated=truncated[i])))
            yield rows

    def decode(self, lang: str, jobs: list[DecodeJob]) -> Iterator[tuple[int, list[list[str]]]]:
        """Decode each batch with this process's engine (weights loaded on the first batch)."""
        engine = self.engine(lang) if jobs else None
        for k, job in enumerate(jobs):
            yield k, generate_split(engine, job.sources, job.max_new, job.beams, job.options)

    def close(self) -> None:
        if self.memory:
            self.memory.close()
