"""Sino-Vietnamese readings and cognate similarity, on the real seeds."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.reports.corpus import load_document
from workbench.crosslingual.hanviet import (
    CognateModel, cognate_similarity, expand_abbreviations, matched_names, name_reading,
    readings, strip_tones, toned_readings, vi_person_names, vi_syllables,
)

ZH_CAPTION = "胡志明市人民委员会主席潘文迈在开幕式致辞"
VI_CAPTION = "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc."
ZH_INDUSTRY = "从传统产业转向高科技和高附加值产业"


@pytest.fixture(scope="module")
def docs(seeds_dir):
    return (load_document(seeds_dir / "000_75ef3c063faf8c49.txt"),
            load_document(seeds_dir / "002_9180580ce9d8d433.txt"))


def test_strip_tones_drops_every_mark_and_bar():
    assert strip_tones("Đối thoại Hữu nghị") == "doi thoai huu nghi"
    assert strip_tones("Uỷ") == strip_tones("Ủy") == "uy"


def test_readings_are_toneless_and_include_extra_table():
    assert readings("传") == ("truyen",)
    assert {"hanh", "hang"} <= set(readings("行"))
    assert "trưởng" in toned_readings("长") and "trường" in toned_readings("长")
    assert "mạng" in toned_readings("命")          # 革命 cách mạng
    assert readings("a") == () and readings("。") == ()


def test_every_row_of_the_extra_table_is_loaded():
    text = resources.files("workbench").joinpath("data", "hanviet_extra.tsv").read_text("utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) > 40
    for ch, extra, *_ in rows:
        for reading in extra.split("|"):
            assert strip_tones(reading) in readings(ch), (ch, reading)


def test_name_reading_gives_vietnamese_form():
    assert name_reading("潘文迈") == "Phan Văn Mại"
    assert name_reading("白藤") == "Bạch Đằng"
    assert name_reading("阮文年") == "Nguyễn Văn Niên"


def test_abbreviations_are_expanded_on_the_vi_side():
    assert vi_syllables("UBND TP.HCM")[:4] == ["uy", "ban", "nhan", "dan"]
    for form in ("TP.HCM", "TP. HCM", "TP HCM", "TPHCM"):
        assert vi_syllables(form) == ["thanh", "pho", "ho", "chi", "minh"], form
    assert expand_abbreviations("TP Torino") == "thành phố Torino"
    assert vi_syllables("Chủ tịch") == ["chu", "tich"]


def test_translation_scores_clearly_above_unrelated_sentence():
    unrelated = ("Bà Hằng cũng cho rằng trải qua 40 năm đổi mới, Việt Nam đã đạt được "
                 "những thành tựu to lớn, có ý nghĩa lịch sử.")
    good = cognate_similarity(ZH_CAPTION, VI_CAPTION)
    bad = cognate_similarity(ZH_CAPTION, unrelated)
    assert 0.0 <= bad < 0.2 < 0.4 < good <= 1.0


def test_true_translation_ranks_first_among_all_sentences_of_the_vi_report(docs):
    zh, vi = docs
    model = CognateModel([s.text for s in zh.sentences], [s.text for s in vi.sentences])
    industry = next(s.text for s in zh.sentences if ZH_INDUSTRY in s.text)
    for zh_text, vi_start in ((ZH_CAPTION, "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc"),
                              (industry, "“Để duy trì tính cạnh tranh")):
        scores = sorted(((model.similarity(zh_text, s.text), s.text) for s in vi.sentences),
                        reverse=True)
        assert scores[0][1].startswith(vi_start)
        assert scores[0][0] > scores[1][0] + 0.04


def test_compound_reordering_still_matches():
    # Vietnamese keeps 内在动力 as nội tại động lực or reorders it (động lực nội tại).
    assert cognate_similarity("内在动力", "động lực nội tại") > 0.7
    assert cognate_similarity("内在动力", "nội tại động lực") > 0.7
    assert cognate_similarity("内在动力", "phát biểu khai mạc") == 0.0


def test_rare_syllables_weigh_more_than_common_ones(docs):
    zh, vi = docs
    model = CognateModel([s.text for s in zh.sentences], [s.text for s in vi.sentences])
    assert model.weight("phan") > model.weight("minh")       # 胡志明市 is everywhere
    assert model.weight("zzz-unseen") >= model.weight("phan")


def test_explicit_weights_change_the_score():
    base = cognate_similarity(ZH_CAPTION, "Phan Văn Mãi nói")
    heavy = cognate_similarity(ZH_CAPTION, "Phan Văn Mãi nói", weights={"phan": 10.0, "mai": 10.0})
    assert heavy > base


def test_matrix_equals_pairwise_similarity(docs):
    zh, vi = docs
    zs = [s.text for s in zh.sentences]
    vs = [s.text for s in vi.sentences]
    model = CognateModel(zs, vs)
    matrix = model.matrix(zs, vs)
    assert matrix.shape == (len(zs), len(vs))
    expected = np.array([[model.similarity(z, v) for v in vs] for z in zs])
    assert np.allclose(matrix, expected, atol=1e-5)
    assert model.matrix([], vs).shape == (0, len(vs))


def test_scores_stay_in_unit_interval_for_odd_input():
    for zh_text, vi_text in (("", ""), ("GDP 23%", "GDP 23%"), ("的的的的", "đích đích"),
                             (ZH_CAPTION, ZH_CAPTION), ("行行", "hành hàng hạnh hạng")):
        assert 0.0 <= cognate_similarity(zh_text, vi_text) <= 1.0


def test_person_names_found_in_han_characters(docs):
    zh, vi = docs
    assert "Phan Văn Mãi" in vi_person_names(vi.text)
    assert "Nguyễn Minh Hằng" in vi_person_names(vi.text)
    found = dict(matched_names(zh.text, vi.text))
    assert found.get("Phan Văn Mãi") == "潘文迈"
    assert "Nguyễn Văn Nên" not in found      # 000 never names him


def test_whole_report_bigram_keys_are_the_profile_bigrams(seeds_dir):
    from workbench.crosslingual import hanviet
    from workbench.crosslingual.hanviet import bigram_space, vi_bigram_keys, zh_bigram_keys

    ids = hanviet._reading_ids()

    def key(bigram: str) -> int | None:
        a, b = (ids.get(s) for s in bigram.split(" "))
        return None if a is None or b is None else min(a, b) * len(ids) + max(a, b)

    for path in sorted(seeds_dir.iterdir()):
        doc = load_document(path)
        if doc.lang == "zh":
            profile = hanviet._zh_profile(doc.text)
            groups = zh_bigram_keys(doc.text)
            assert set(groups[groups >= 0].tolist()) == {key(k) for k in profile.bi}
            assert len(groups) == len(profile.pairs)          # one row per adjacent pair
        else:
            profile = hanviet._vi_profile(doc.text)
            cand, others = vi_bigram_keys(doc.text)
            assert set(cand.tolist()) == {key(k) for k in profile.bi_cand} - {None}
            assert set(others.tolist()) == {key(k) for k in profile.bi_other} - {None} - set(cand.tolist())
            assert 0 <= cand.min() and cand.max() < bigram_space()


def test_bigram_keys_of_empty_and_non_han_text():
    from workbench.crosslingual.hanviet import vi_bigram_keys, zh_bigram_keys

    assert zh_bigram_keys("").shape[0] == 0 and zh_bigram_keys("GDP 23%").shape[0] == 0
    assert all(len(k) == 0 for k in vi_bigram_keys(""))
    assert len(vi_bigram_keys("nội tại động lực")[0]) == 3


_WORDS = ["Nguyễn", "Văn", "Mãi", "Hà", "Nội", "La", "Paz", "Lê", "anh", "Mai", "nói", "Trần",
          "và", "Phan", "Đường", "TP", "2024", ",", ".", "(", "“"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=12), st.sampled_from([" ", "  ", "\n", ""]))
def test_the_cheap_name_scan_never_hides_a_name(words, glue):
    from workbench.crosslingual.hanviet import _may_name_people
    from workbench.textfacts import vi_person_names as names

    text = glue.join(words) if glue else " ".join(words).replace(" ,", ",")
    if names(text, ambiguous=True):
        assert _may_name_people(text), text
