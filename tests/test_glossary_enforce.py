"""Glossary terms through the real MarianMT code path (tiny models): protect, translate, verify, restore,
and the recorded post-edit when verification fails. Every case of issue 11 has a test here."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.support.glossary_seed_pairs import VI_FILE, ZH_FILE, seed_sentence
from tests.support.tiny_marian import build_tiny_marian
from workbench.reports.corpus import load_document
from workbench.glossary import GlossaryTermHook, load_glossary
from workbench.translate import open_translator
from workbench.translate.pieces import Pieces
from workbench.translate.preprocess import opus_mt_normalise

ROOT = Path(__file__).resolve().parent.parent
ZH = seed_sentence(ZH_FILE, "主席潘文迈在开幕式致辞")
VI = seed_sentence(VI_FILE, "Bí thư TP.HCM Nguyễn Văn Nên trao đổi")
DELEGATES = "Hơn 1.001 đại biểu tới TP.HCM."


pytestmark = pytest.mark.usefixtures("one_thread")  # see conftest.one_thread


@pytest.fixture
def hook():
    return GlossaryTermHook(load_glossary(ROOT / "glossary"))


@pytest.fixture(scope="module")
def loses_numbers(tmp_path_factory):
    """A copy model that stops at the first digit: every placeholder is lost."""
    return build_tiny_marian(tmp_path_factory.mktemp("loses-numbers-vi"), "vi", stop_at=tuple("0123456789"))


def test_protected_terms_come_out_verbatim_through_marian(isolated_env, tiny_model_zh, hook):
    translator = open_translator(model_zh=tiny_model_zh, langs=("zh",), use_memory=False, term_hook=hook)
    plain = open_translator(model_zh=tiny_model_zh, langs=("zh",), use_memory=False)
    [english] = translator.translate([ZH], "zh")
    [without] = plain.translate([ZH], "zh")
    assert "Phan Van Mai" in english
    assert "Chairman of the Ho Chi Minh City People's Committee" in english
    assert "Phan Van Mai" not in without
    assert hook.stats.restored == 1 and hook.stats.fallback == 0


def test_placeholders_survive_the_sentencepiece_vocabulary(tiny_model_zh, hook):
    protected, state = hook.protect(ZH, "zh")
    assert [p.source for p in state] == ["胡志明市人民委员会主席", "潘文迈"]
    pieces = Pieces(tiny_model_zh)
    ids = pieces.to_ids(pieces.encode(opus_mt_normalise(protected)))
    assert pieces.unk not in ids
    decoded = pieces.decode([pieces.target_pieces[i] for i in ids])
    for item in state:
        assert item.placeholder in decoded


def test_a_real_number_like_a_placeholder_is_never_touched(isolated_env, tiny_model_vi, hook):
    protected, state = hook.protect(DELEGATES, "vi")
    assert [p.source for p in state] == ["TP.HCM"]
    assert state[0].placeholder != "1001" and "1.001" in protected  # 1.001 holds the digits 1001
    # What a real model writes, with the number reformatted English-style (the old hook's corruption case).
    assert hook.restore(f"More than 1,001 delegates came to {state[0].placeholder}.", state) == \
        "More than 1,001 delegates came to Ho Chi Minh City."
    assert hook.restore(f"More than 1.001 delegates came to {state[0].placeholder[0]},"
                        f"{state[0].placeholder[1:]}.", state) == "More than 1.001 delegates came to Ho Chi Minh City."
    # Through the real translator (the copy model writes back what it saw).
    tr = open_translator(model_vi=tiny_model_vi, langs=("vi",), use_memory=False, term_hook=hook)
    assert tr.translate([DELEGATES], "vi") == ["Hơn 1.001 đại biểu tới Ho Chi Minh City."]


def test_placeholders_run_together_or_inside_words_fail_verification(hook):
    protected, state = hook.protect("Ông Phan Văn Mãi và ông Nguyễn Văn Nên", "vi")
    a, b = (p.placeholder for p in state)
    assert hook.restore(f"Mr. {a} and Mr. {b}", state) == "Mr. Phan Van Mai and Mr. Nguyen Van Nen"
    assert hook.restore(f"{a[0]},{a[1:]},{b}", state) is None  # "1,001,1002"
    assert hook.restore(f"{a},{b}", state) is None
    assert hook.restore(f"the {a}st and {b}", state) is None  # "1001st"
    assert hook.restore(f"A{a} and {b}", state) is None
    assert hook.restore(f"{a}.5 and {b}", state) is None
    assert hook.restore(f"{a}0 and {b}", state) is None


def test_a_lost_or_doubled_placeholder_is_never_guessed(hook):
    protected, state = hook.protect(VI, "vi")
    placeholders = [p.placeholder for p in state]
    english = "Secretary " + " ".join(placeholders) + " talks."
    assert hook.restore(english, state) is not None
    assert hook.restore(english.replace(placeholders[0], ""), state) is None  # lost: nothing inserted
    assert hook.restore(english + " " + placeholders[-1], state) is None  # twice
    assert hook.stats.restored == 1


def test_protect_keeps_placeholders_apart_from_numbers_and_each_other(hook):
    zh = "重点关注胡志明市、越南和2024年胡志明市,2030年"
    protected, state = hook.protect(zh, "zh")
    normal = opus_mt_normalise(protected)
    a, b, c = (p.placeholder for p in state)
    assert f"{a}, {b}" in normal and f"{c}, 2030" in normal and "2024年" in normal
    assert hook.restore(normal, state) == "重点关注Ho Chi Minh City, Vietnam和2024年Ho Chi Minh City, 2030年"


def test_unverified_sentences_are_retranslated_and_post_edited(isolated_env, tmp_path, loses_numbers, hook,
                                                                seeds_dir):
    doc = load_document(seeds_dir / VI_FILE)
    sentence = next(s.text for s in doc.sentences
                    if "TP.HCM" in s.text and "Nguyễn" in s.text and not any(ch.isdigit() for ch in s.text))
    memory = tmp_path / "tm.sqlite3"
    tr = open_translator(model_vi=loses_numbers, langs=("vi",), memory_path=memory, term_hook=hook)
    [t] = tr.translate_detailed([sentence], "vi")
    assert hook.stats.restored == 0 and hook.stats.fallback == 1 and hook.stats.post_edited >= 1
    # The unprotected MT (the copy) is kept beside the post-edit, which is recorded as such.
    assert t.raw_english == opus_mt_normalise(sentence)
    assert t.provenance == "glossary" and t.record()["en_source"] == "glossary"
    assert "TP.HCM" not in t.english and "Ho Chi Minh City" in t.english
    assert "Nguyễn" not in t.english and "Nguyen" in t.english
    # Only genuine MT is in the memory: the unprotected sentence's, not the post-edit.
    with sqlite3.connect(memory) as db:
        stored = [row[0] for row in db.execute("SELECT english FROM translations")]
    assert t.raw_english in stored and t.english not in stored


def test_real_numbers_are_never_taken_for_placeholders(hook):
    protected, state = hook.protect("Năm 1001, ông Phan Văn Mãi nói.", "vi")
    assert "1001" in protected and state[0].placeholder != "1001"
    assert hook.restore(f"In 1001, Mr. {state[0].placeholder} said.", state) == "In 1001, Mr. Phan Van Mai said."
    _, state = hook.protect("Năm １００１ và ngày 1 002, ông Phan Văn Mãi nói.", "vi")  # full-width, spaced
    assert state[0].placeholder == "1003"
