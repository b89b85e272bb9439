"""Glossary terms through the real MarianMT code path (tiny model): protect, translate, restore."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.glossary_seed_pairs import VI_FILE, ZH_FILE, seed_sentence
from workbench.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent
ZH = seed_sentence(ZH_FILE, "主席潘文迈在开幕式致辞")
VI = seed_sentence(VI_FILE, "Bí thư TP.HCM Nguyễn Văn Nên trao đổi")


@pytest.fixture(scope="module")
def hook():
    return load_glossary(ROOT / "glossary").term_hook()


def test_protected_terms_come_out_verbatim_through_marian(isolated_env, tiny_model_zh, hook):
    from workbench.translate import open_translator

    translator = open_translator(model_zh=tiny_model_zh, langs=("zh",), use_memory=False, term_hook=hook)
    plain = open_translator(model_zh=tiny_model_zh, langs=("zh",), use_memory=False)
    [english] = translator.translate([ZH], "zh")
    [without] = plain.translate([ZH], "zh")
    assert "Phan Van Mai" in english
    assert "Chairman of the Ho Chi Minh City People's Committee" in english
    assert "Phan Van Mai" not in without
    assert hook.stats.restored + hook.stats.inserted == 2


def test_placeholders_survive_the_sentencepiece_vocabulary(tiny_model_zh, hook):
    from transformers import MarianTokenizer

    protected, state = hook.protect(ZH, "zh")
    assert [p.source for p in state] == ["胡志明市人民委员会主席", "潘文迈"]
    tokenizer = MarianTokenizer.from_pretrained(str(tiny_model_zh))
    ids = tokenizer(protected)["input_ids"]
    assert tokenizer.unk_token_id not in ids
    decoded = tokenizer.decode(ids, skip_special_tokens=True)
    for item in state:
        assert item.placeholder in decoded


def test_restore_replaces_copied_and_reformatted_placeholders(hook):
    protected, state = hook.protect(VI, "vi")
    assert "Nguyễn Văn Nên" not in protected and "TP.HCM" not in protected
    by_source = {p.source: p.placeholder for p in state}
    name = by_source["Nguyễn Văn Nên"]
    city = by_source["TP.HCM"]
    # What a model that copies numbers would produce, once with a thousands separator.
    english = f"Secretary of {city} {name[0]},{name[1:]} talks with local leaders."
    restored = hook.restore(english, state)
    assert "Nguyen Van Nen talks" in restored and "Ho Chi Minh City" in restored
    assert not any(p.placeholder in restored for p in state)


def test_real_numbers_are_never_taken_for_placeholders(hook):
    protected, state = hook.protect("Năm 1001, ông Phan Văn Mãi nói.", "vi")
    assert "1001" in protected and state[0].placeholder != "1001"
    assert hook.restore(f"In 1001, Mr. {state[0].placeholder} said.", state) == "In 1001, Mr. Phan Van Mai said."
