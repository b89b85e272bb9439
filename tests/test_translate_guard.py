"""Output bounded by input, loops stopped, flags, and out-of-memory splitting (tiny models that misbehave)."""

from __future__ import annotations

import importlib.util

import pytest

from tests.support.tiny_marian import build_tiny_marian
from workbench.translate import MTOutOfMemory, open_translator
from workbench.translate.guard import length_bound, loop_end
from workbench.translate.memory import TranslationMemory

BACKENDS = ["torch", pytest.param("ctranslate2", marks=pytest.mark.skipif(
    importlib.util.find_spec("ctranslate2") is None, reason="ctranslate2 not installed"))]


pytestmark = pytest.mark.usefixtures("one_thread")  # see conftest.one_thread


@pytest.fixture(scope="module")
def never_ends(tmp_path_factory):
    """A copy model whose </s> is never chosen: it can only stop at a bound."""
    return build_tiny_marian(tmp_path_factory.mktemp("never-ends-zh"), "zh", eos_bias=-1e4)


@pytest.fixture(scope="module")
def ends_at_once(tmp_path_factory):
    """A copy model that reads every piece as </s>: empty English for everything."""
    return build_tiny_marian(tmp_path_factory.mktemp("empty-zh"), "zh", stop_at=("",))


@pytest.fixture(scope="module")
def drops_after_comma(tmp_path_factory):
    """A copy model that stops at the first comma, as opus-mt drops the rest of long segments."""
    return build_tiny_marian(tmp_path_factory.mktemp("drops-vi"), "vi", stop_at=(",",))


@pytest.fixture(scope="module")
def loops(tmp_path_factory):
    """Random weights: gibberish that repeats itself."""
    return build_tiny_marian(tmp_path_factory.mktemp("random-zh"), "zh", kind="random")


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_model_that_never_ends_stops_at_the_bound(isolated_env, never_ends, seed_sentences, backend):
    tr = open_translator(never_ends, langs=("zh",), use_memory=False, backend=backend, repetition_guard=False)
    pieces = tr.pieces("zh")
    sents = seed_sentences["zh"][:6]
    out = tr.translate_detailed(sents, "zh")
    for source, t in zip(sents, out):
        bound = length_bound(pieces.count(source), (1.5, 10), 254)
        assert t.flags == ("length_ratio",), t.mt_warnings
        assert f"stopped at the length bound ({bound} tokens" in t.warning
    # Each sentence is held to its own bound, whatever batch it was in.
    alone = tr.translate_detailed([sents[0]], "zh")[0]
    assert alone.english == out[0].english
    assert out[0].english.startswith(sents[0])  # the copy, then what it makes up instead of </s>


def test_bound_follows_the_longest_source_and_the_options(isolated_env, never_ends, seed_sentences):
    tr = open_translator(never_ends, langs=("zh",), use_memory=False, backend="torch",
                         repetition_guard=False, length_bound=(1.0, 2))
    short = "胡志明市"
    [t] = tr.translate_detailed([short], "zh")
    bound = tr.pieces("zh").count(short) + 2
    assert f"({bound} tokens for a source of {bound - 2})" in t.warning


@pytest.mark.parametrize("backend", BACKENDS)
def test_empty_output_is_flagged_not_cached_and_retried(isolated_env, tmp_path, ends_at_once, seed_sentences, backend):
    memory = tmp_path / "tm.sqlite3"
    sents = seed_sentences["zh"][:5]
    tr = open_translator(ends_at_once, langs=("zh",), memory_path=memory, backend=backend)
    out = tr.translate_detailed(sents, "zh")
    assert all(t.english == "" and "empty" in t.flags for t in out), out
    assert all(t.warning.startswith("empty: no English") for t in out)
    assert TranslationMemory(memory).count() == 0  # never stored as good
    again = open_translator(ends_at_once, langs=("zh",), memory_path=memory, backend=backend)
    again.translate(sents, "zh")
    assert again.stats.misses == len(sents) and again.stats.hits == 0  # a re-run retries them


@pytest.mark.parametrize("backend", BACKENDS)
def test_repetition_is_stopped_and_flagged(isolated_env, tmp_path, loops, seed_sentences, backend):
    memory = tmp_path / "tm.sqlite3"
    tr = open_translator(loops, langs=("zh",), memory_path=memory, backend=backend, beams=1)
    out = tr.translate_detailed(seed_sentences["zh"][:12], "zh")
    looped = [t for t in out if "repetition" in t.flags]
    assert len(looped) >= 6, [t.english for t in out]
    for t in looped:
        assert "in a loop" in t.warning
    # Flagged outputs are kept out of the memory; the others are in it.
    assert TranslationMemory(memory).count() == len({t.source for t in out if not t.mt_warnings})


def test_loop_stop_with_beams_and_agreement_of_backends(isolated_env, loops, seed_sentences):
    pytest.importorskip("ctranslate2")
    sents = seed_sentences["zh"][:12]
    torch_out = open_translator(loops, langs=("zh",), use_memory=False, backend="torch").translate(sents, "zh")
    ct2_out = open_translator(loops, langs=("zh",), use_memory=False, backend="ctranslate2",
                              compute_type="float32").translate(sents, "zh")
    # Greedy float32: the decoder-side stop and the cut after decoding give the same English.
    assert sum(a == b for a, b in zip(torch_out, ct2_out)) >= 11
    beams = open_translator(loops, langs=("zh",), use_memory=False, backend="torch", beams=3)
    assert all("repetition" in t.flags or "length_ratio" in t.flags
               for t in beams.translate_detailed(sents[:4], "zh"))


def test_dropped_clauses_are_flagged_and_the_split_keeps_them(isolated_env, drops_after_comma, seed_sentences):
    long = [s for s in seed_sentences["vi"] if s.count(", ") >= 3 and len(s) > 150 and s.index(", ") < len(s) / 4
            and s.count(",") == s.count(", ")]  # every comma a clause boundary
    assert long
    whole = open_translator(model_vi=drops_after_comma, langs=("vi",), use_memory=False, backend="torch",
                            split_tokens=0)
    for t in whole.translate_detailed(long, "vi"):
        assert "length_ratio" in t.flags and "part of the sentence is probably missing" in t.warning
    split = open_translator(model_vi=drops_after_comma, langs=("vi",), use_memory=False, backend="torch",
                            split_tokens=1)
    for source, t in zip(long, split.translate_detailed(long, "vi")):
        assert t.clauses > 1 and not t.mt_warnings
        last_words = source.rstrip(".").split()[-3:]
        assert " ".join(last_words) in t.english  # the end of the sentence is there


def test_loops_never_taken_for_numbers_or_legitimate_repeats():
    assert loop_end("a b c no , no , no , x".split()) == 9
    assert loop_end("the the the the".split()) == 4
    assert loop_end(["\u25011", ",", "000", ",", "000", ",", "000", "\u2581VND"]) is None
    assert loop_end("\u2581Ho \u2581Chi \u2581Minh \u2581City \u2581and \u2581Ho \u2581Chi \u2581Minh \u2581City".split()) is None
    assert loop_end("\u2581very , \u2581very".split()) is None


def test_out_of_memory_batches_are_split_and_retried(isolated_env, tiny_model_zh, seed_sentences, monkeypatch):
    import torch

    sents = seed_sentences["zh"][:10]
    expected = open_translator(tiny_model_zh, langs=("zh",), use_memory=False, backend="torch").translate(sents, "zh")
    tr = open_translator(tiny_model_zh, langs=("zh",), use_memory=False, backend="torch")
    engine = tr.engine("zh")
    real = engine.generate
    sizes: list[int] = []

    def small_device(batch, *args):
        sizes.append(len(batch))
        if len(batch) > 2:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return real(batch, *args)

    monkeypatch.setattr(engine, "generate", small_device)
    assert tr.translate(sents, "zh") == expected
    assert sizes[0] == 10 and sum(s for s in sizes if s <= 2) == 10  # halved until it fits

    def no_memory(batch, *args):
        raise RuntimeError("CUDA failed with error out of memory")

    monkeypatch.setattr(engine, "generate", no_memory)
    with pytest.raises(MTOutOfMemory, match="out of memory on cpu translating one sentence of"):
        tr.translate(["新的句子"], "zh")
    monkeypatch.setattr(engine, "generate", lambda *a: (_ for _ in ()).throw(ValueError("other")))
    with pytest.raises(ValueError):  # other errors are not taken for out-of-memory
        tr.translate(["另一个句子"], "zh")
