"""The CTranslate2 backend: the tiny model converted in the test, cached, and decoding like PyTorch."""

from __future__ import annotations

import sqlite3

import pytest

from workbench.translate import TranslationConfig, open_translator
from workbench.translate.backends import choose_backend
from workbench.translate.ct2 import cache_dir

ctranslate2 = pytest.importorskip("ctranslate2")


pytestmark = pytest.mark.usefixtures("one_thread")  # see conftest.one_thread


def test_auto_picks_ctranslate2_int8():
    config = choose_backend(TranslationConfig())
    expected = ("cuda", "int8_float16") if ctranslate2.get_cuda_device_count() else ("cpu", "int8")
    assert (config.backend, config.device, config.compute_type) == ("ctranslate2", *expected)
    assert choose_backend(TranslationConfig(backend="torch", device="cpu")).compute_type == "float32"


def test_converted_once_per_identity_and_precision(isolated_env, monkeypatch, tmp_path, tiny_model_zh, seed_sentences):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    sents = seed_sentences["zh"][:8]
    tr = open_translator(tiny_model_zh, langs=("zh",), use_memory=False, backend="ctranslate2")
    assert tr.translate(sents, "zh")
    [folder] = list(cache_dir().iterdir())
    assert folder.name == f"{tr.identity('zh')}-int8"  # keyed by the model identity (name@weights hash)
    assert (folder / "model.bin").is_file() and (folder / "shared_vocabulary.json").is_file()
    stamp = (folder / "model.bin").stat().st_mtime_ns
    # A new process-like open reuses the conversion; float32 gets its own.
    open_translator(tiny_model_zh, langs=("zh",), use_memory=False, backend="ctranslate2").translate(sents, "zh")
    assert (folder / "model.bin").stat().st_mtime_ns == stamp
    open_translator(tiny_model_zh, langs=("zh",), use_memory=False, backend="ctranslate2",
                    compute_type="float32").translate(sents[:1], "zh")
    assert sorted(p.name.rsplit("-", 1)[1] for p in cache_dir().iterdir()) == ["float32", "int8"]
    assert not list(cache_dir().glob(".convert-*"))  # no half-written conversion left behind


@pytest.mark.parametrize("compute_type", ["float32", "int8"])
def test_ctranslate2_agrees_with_pytorch(isolated_env, tiny_model_zh, tiny_model_vi, seed_sentences, compute_type):
    for lang, model in (("zh", tiny_model_zh), ("vi", tiny_model_vi)):
        kwargs = {"model_zh": model} if lang == "zh" else {"model_vi": model}
        sents = seed_sentences[lang]
        torch_out = open_translator(**kwargs, langs=(lang,), use_memory=False, backend="torch").translate(sents, lang)
        ct2 = open_translator(**kwargs, langs=(lang,), use_memory=False, backend="ctranslate2",
                              compute_type=compute_type)
        ct2_out = ct2.translate(sents, lang)
        assert ct2_out == torch_out  # the copy model leaves no near-ties: every output agrees
        beams = open_translator(**kwargs, langs=(lang,), use_memory=False, backend="ctranslate2",
                                compute_type=compute_type, beams=4)
        assert beams.translate(sents[:10], lang) == torch_out[:10]


def test_memory_keys_hold_backend_and_precision(isolated_env, tmp_path, tiny_model_zh, seed_sentences):
    memory = tmp_path / "tm.sqlite3"
    sents = seed_sentences["zh"][:5]
    for backend, compute in (("torch", None), ("ctranslate2", "int8"), ("ctranslate2", "float32")):
        tr = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, backend=backend,
                             compute_type=compute)
        tr.translate(sents, "zh")
        assert tr.stats.misses == len(sents)  # nothing shared between engines and precisions
    with sqlite3.connect(memory) as db:
        keys = {row[0] for row in db.execute("SELECT DISTINCT options FROM translations")}
    assert len(keys) == 3 and any('"compute_type": "int8"' in k for k in keys)


def test_ctranslate2_rejects_options_it_cannot_honour(isolated_env, tiny_model_zh):
    from workbench.errors import WorkbenchError

    tr = open_translator(tiny_model_zh, langs=("zh",), use_memory=False, backend="ctranslate2",
                         generate_options={"typical_p": 0.5})
    with pytest.raises(WorkbenchError, match="typical_p not supported by the ctranslate2 backend"):
        tr.translate(["胡志明市"], "zh")


def test_cli_backend_option(cli, tmp_path, tiny_model_zh, seeds_dir):
    report = seeds_dir / "000_75ef3c063faf8c49.txt"
    out = {}
    for backend in ("torch", "ctranslate2"):
        r = cli("translate", report, "--out", tmp_path / backend, "--model-zh", tiny_model_zh,
                "--backend", backend, "--no-progress", "--format", "jsonl")
        assert r.returncode == 0, r.stderr
        out[backend] = (tmp_path / backend / "000_75ef3c063faf8c49.en.jsonl").read_text(encoding="utf-8")
    assert [line.split('"english"')[1] for line in out["torch"].splitlines()] == \
        [line.split('"english"')[1] for line in out["ctranslate2"].splitlines()]
    r = cli("translate", report, "--out", tmp_path / "x", "--model-zh", tiny_model_zh, "--backend", "onnx")
    assert r.returncode == 2 and "unknown backend 'onnx'" in r.stderr and "Traceback" not in r.stderr
