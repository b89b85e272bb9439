"""The opus-mt source normalisation on real seed sentences, and the memory keyed on what the model sees."""

from __future__ import annotations

import sqlite3
import warnings

import pytest

from workbench.reports.corpus import load_document
from workbench.translate import open_translator
from workbench.translate.pieces import Pieces
from workbench.translate.preprocess import opus_mt_normalise


pytestmark = pytest.mark.usefixtures("one_thread")  # see conftest.one_thread


def seed_sentence(seeds_dir, lang: str, needle: str) -> str:
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = load_document(path)
        if doc.lang == lang:
            for s in doc.sentences:
                if needle in s.text:
                    return s.text
    raise AssertionError(f"no {lang} seed sentence holds {needle!r}")


def test_chinese_punctuation_becomes_ascii(seeds_dir):
    quoted = seed_sentence(seeds_dir, "zh", "以“产业转型")
    assert opus_mt_normalise(quoted) == quoted.replace("“", '"').replace("”", '"').replace("。", ".")
    listed = seed_sentence(seeds_dir, "zh", "公私合作、资金")
    assert "、" not in opus_mt_normalise(listed) and "公私合作,资金,人力资源等)." in opus_mt_normalise(listed)
    # The full table of OPUS-MT-train's preprocess-spm.sh on the full-width forms the seeds' sites also use.
    assert opus_mt_normalise("据《人民日报》报道：胡志明市（越南）？！；１０％～【新】「旧」…") == \
        '据"人民日报"报道:胡志明市(越南)?!;10%~[新]"旧"...'
    assert opus_mt_normalise("会议结束。 代表们离开。") == "会议结束. 代表们离开."


def test_vietnamese_quotes_and_invisible_characters(seeds_dir):
    quoted = seed_sentence(seeds_dir, "vi", "“Tôi mong muốn")
    normal = opus_mt_normalise(quoted)
    assert '"Tôi mong muốn' in normal and "…" not in normal and "..." in normal
    assert "“" not in normal and "”" not in normal
    # Zero-width characters vanish (as in the training data); other controls become a space.
    noisy = quoted.replace("Tôi", "T\u200bôi").replace("mong ", "mong\u00ad").replace("muốn", "muốn\t\x07")
    assert opus_mt_normalise(noisy) == normal
    assert opus_mt_normalise("Nguye\u0302\u0303n") == "Nguyễn"  # NFC first


def test_the_model_sees_normalised_text_and_the_memory_keys_on_it(isolated_env, tmp_path, tiny_model_zh, seeds_dir):
    sentence = seed_sentence(seeds_dir, "zh", "以“产业转型")
    pieces = Pieces(tiny_model_zh)
    # The vocabulary was trained on normalised text (as opus-mt's): raw full-width quotes are unknown.
    assert "<unk>" not in [pieces.target_pieces[i] for i in pieces.to_ids(pieces.encode(opus_mt_normalise(sentence)))]
    assert pieces.unk in pieces.to_ids(pieces.encode(sentence))
    # MarianTokenizer alone does not normalise (its `normalize` is never called).
    from transformers import MarianTokenizer

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tokenizer = MarianTokenizer.from_pretrained(str(tiny_model_zh))
    assert tokenizer.unk_token_id in tokenizer(sentence)["input_ids"]

    memory = tmp_path / "tm.sqlite3"
    tr = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, backend="torch")
    [english] = tr.translate([sentence], "zh")
    assert english == opus_mt_normalise(sentence)  # the copy model: what the model saw
    with sqlite3.connect(memory) as db:
        [(source,)] = db.execute("SELECT source FROM translations").fetchall()
    assert source == opus_mt_normalise(sentence)
    # The ASCII-quoted form is the same model input: a memory hit.
    again = open_translator(tiny_model_zh, langs=("zh",), memory_path=memory, backend="torch")
    assert again.translate([opus_mt_normalise(sentence)], "zh") == [english]
    assert again.stats.hits == 1 and again.stats.misses == 0
