"""MarianMT translator and translation memory, through the real loading path (tiny models)."""

from __future__ import annotations

import random
import shutil
import sqlite3

import pytest

from workbench.reports.corpus import load_document
from workbench.translate import (MTUnavailable, TermHook, Translator, open_translator,
                                 try_open_translator)
from workbench.translate.batching import make_batches
from workbench.translate.memory import TranslationMemory
from workbench.translate.models import locate
from workbench.translate.preprocess import opus_mt_normalise


pytestmark = pytest.mark.usefixtures("one_thread")  # see conftest.one_thread


@pytest.fixture(scope="module")
def zh_sentences(seeds_dir) -> list[str]:
    out: list[str] = []
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = load_document(path)
        if doc.lang == "zh":
            out += [s.text for s in doc.sentences]
    return out


@pytest.mark.parametrize("backend", ["torch", "ctranslate2"])
def test_batched_equals_one_by_one(isolated_env, tiny_model_zh, zh_sentences, backend):
    if backend == "ctranslate2":
        pytest.importorskip("ctranslate2")
    batched = open_translator(tiny_model_zh, langs=("zh",), use_memory=False, batch_tokens=512, backend=backend)
    one = open_translator(tiny_model_zh, langs=("zh",), use_memory=False, max_batch_sentences=1, backend=backend)
    assert isinstance(batched, Translator)
    sents = zh_sentences[:24]
    got = batched.translate(sents, "zh")
    assert got == [one.translate([s], "zh")[0] for s in sents]
    assert all(got) and len(set(got)) == len(set(sents))  # real, input-dependent outputs
    assert batched.stats.misses == len(set(sents))


def test_memory_hit_path_and_options_key(isolated_env, tmp_path, tiny_model_zh, zh_sentences):
    memory = tmp_path / "tm.sqlite3"
    sents = zh_sentences[:10] + zh_sentences[:3]  # duplicates are translated once
    first = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, backend="torch")
    english = first.translate(sents, "zh")
    assert first.stats.misses == 10 and first.stats.hits == 0
    assert TranslationMemory(memory).count() == 10

    again = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, backend="torch")
    details = again.translate_detailed([" " + s + "  " for s in sents], "zh")  # normalised key
    assert [d.english for d in details] == english
    assert all(d.cached for d in details)
    assert again.stats.misses == 0 and again.stats.hits == len(sents)

    beams = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, beams=2, backend="torch")
    beams.translate(sents[:2], "zh")
    assert beams.stats.misses == 2  # other decoding options, other key

    # The key holds backend, compute type and preprocessing; the source is what the model saw.
    with sqlite3.connect(memory) as db:
        options = {row[0] for row in db.execute("SELECT DISTINCT options FROM translations")}
        sources = {row[0] for row in db.execute("SELECT source FROM translations")}
    assert all('"backend": "torch"' in o and '"compute_type": "float32"' in o and "opus-mt-train" in o
               for o in options)
    assert sources == {opus_mt_normalise(s) for s in sents[:10]}


def test_empty_and_very_long_sentences(isolated_env, tmp_path, tiny_model_zh, zh_sentences):
    tr = open_translator(tiny_model_zh, langs=("zh",), memory_path=tmp_path / "tm.sqlite3", backend="torch")
    assert tr.translate(["", "   "], "zh") == ["", ""]
    assert tr.stats.misses == 0 and tr.stats.hits == 0
    long = "".join(zh_sentences[:12]) * 3
    # Cut into clauses, each translated whole: nothing is truncated and nothing is lost.
    out = tr.translate_detailed(["", long, zh_sentences[0]], "zh")
    assert out[0].english == "" and not out[0].mt_warnings
    assert out[1].clauses > 3 and not out[1].truncated and not out[1].mt_warnings
    assert out[1].english.replace(" ", "") == opus_mt_normalise(long).replace(" ", "")  # the copy model
    assert out[2].clauses == 1 and out[2].warning == ""
    # Without cutting, the model's input limit truncates it, and says so.
    whole = open_translator(tiny_model_zh, langs=("zh",), memory_path=tmp_path / "tm.sqlite3",
                            backend="torch", split_tokens=0)
    [cut] = whole.translate_detailed([long], "zh")
    assert cut.truncated and cut.flags[0] == "truncated_input" and "256 tokens" in cut.warning
    assert 0 < len(cut.english) < len(out[1].english)


class Bracket:
    """Protect a term by a placeholder the model sees; restore marks the English."""

    def __init__(self):
        self.calls = 0
        self.edits = 0

    def protect(self, text, lang):
        self.calls += 1
        return text.replace("胡志明市", "上海"), text.count("胡志明市")

    def restore(self, english, state):
        return None if state == 2 else f"[{state}] {english}"  # two: pretend verification failed

    def post_edit(self, source, english, lang):
        self.edits += 1
        return english.replace("胡志明市", "HCMC")


def test_term_hook_applied_per_sentence(isolated_env, tmp_path, tiny_model_zh):
    hook = Bracket()
    assert isinstance(hook, TermHook)
    memory = tmp_path / "tm.sqlite3"
    tr = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, term_hook=hook, backend="torch")
    sents = ["胡志明市友好对话会议", "", "胡志明市与胡志明市合作"]
    out = tr.translate_detailed(sents, "zh")
    assert hook.calls == 2 and out[1].english == ""
    assert out[0].english.startswith("[1] ") and out[0].provenance == "mt"
    # Failed verification: translated again unprotected, post-edited, recorded as such.
    assert hook.edits == 1 and out[2].provenance == "glossary"
    assert out[2].raw_english == "胡志明市与胡志明市合作" and out[2].english == "HCMC与HCMC合作"
    assert out[2].record() == {"en_source": "glossary", "en_mt": "胡志明市与胡志明市合作"}
    plain = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, backend="torch")
    # the model saw the protected text: the plain call on it is a memory hit with the same English
    assert plain.translate(["上海友好对话会议"], "zh") == [out[0].english[4:]]
    assert plain.stats.hits == 1


def test_make_batches_budget_and_order():
    rng = random.Random(3)
    lengths = [rng.randint(1, 90) for _ in range(300)] + [500]
    batches = make_batches(lengths, max_tokens=600, max_sentences=32)
    flat = [i for b in batches for i in b]
    assert sorted(flat) == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= 32
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 600
    widths = [lengths[b[0]] for b in batches]
    assert widths == sorted(widths, reverse=True)
    assert len(batches) < 40  # sorting packs similar lengths


def test_missing_model_message(isolated_env, tmp_path):
    with pytest.raises(MTUnavailable) as exc:
        open_translator(langs=("zh",))
    msg = str(exc.value)
    assert "hf download Helsinki-NLP/opus-mt-zh-en" in msg and "--model-zh DIR" in msg
    tr, message = try_open_translator(model_vi=tmp_path / "nowhere", langs=("vi",))
    assert tr is None and str(tmp_path / "nowhere") in message


def test_unknown_backend_and_compute_type(isolated_env, tiny_model_zh):
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="unknown backend 'onnx'"):
        open_translator(tiny_model_zh, langs=("zh",), backend="onnx")
    with pytest.raises(WorkbenchError, match="compute type 'int4'"):
        open_translator(tiny_model_zh, langs=("zh",), backend="torch", compute_type="int4")
    import torch

    if not torch.cuda.is_available():
        with pytest.raises(WorkbenchError, match="--device cuda: no CUDA device"):
            open_translator(tiny_model_zh, langs=("zh",), backend="torch", device="cuda")


def test_found_in_hf_cache_env_and_config(isolated_env, tmp_path, monkeypatch, tiny_model_zh, tiny_model_vi):
    rev = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hf-home" / "hub" / "models--Helsinki-NLP--opus-mt-zh-en"
    shutil.copytree(tiny_model_zh, repo / "snapshots" / rev)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(rev)
    loc = locate("zh")
    assert loc is not None and loc.origin == "default" and loc.revision == rev
    tr = open_translator(langs=("zh",), memory_path=tmp_path / "tm.sqlite3")
    assert tr.identity("zh") == f"Helsinki-NLP/opus-mt-zh-en@{rev}"
    assert tr.translate(["胡志明市"], "zh") == ["胡志明市"]

    monkeypatch.setenv("WORKBENCH_MODEL_VI", str(tiny_model_vi))
    assert locate("vi").origin == "WORKBENCH_MODEL_VI"
    config = tmp_path / "config.toml"
    config.write_text(f'[models]\nvi = "{tmp_path / "elsewhere"}"\n')
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    assert locate("vi").origin == "WORKBENCH_MODEL_VI"  # env var before config file
    monkeypatch.delenv("WORKBENCH_MODEL_VI")
    assert locate("vi") is None
    with pytest.raises(MTUnavailable, match="elsewhere"):
        open_translator(langs=("vi",))
    config.write_text("[models\n")
    with pytest.raises(MTUnavailable, match="config.toml"):
        open_translator(langs=("vi",))
