"""The shared text facts: Han script, mark folding, Vietnamese names, number forms."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from workbench.textfacts import (HAN_RUN, fold_accents, is_han, is_vi_surname, number_key, parse_number,
                                 simplified, strip_tones, vi_name_spans, vi_person_names)


def test_han_covers_extensions_and_compatibility_ideographs():
    assert all(is_han(ch) for ch in "潘文迈㐀𠀀豈")
    assert not any(is_han(ch) for ch in "a。，ぁア한")
    assert HAN_RUN.findall("胡志明市2024年") == ["胡志明市", "年"]


def test_simplified_reads_traditional_characters_by_phrase():
    assert simplified("我們說這個委員會") == "我们说这个委员会"
    assert simplified("天氣乾燥，乾隆年間") == "天气干燥，乾隆年间"  # 乾 is 干 in 乾燥 but stays in the name 乾隆
    assert simplified("Tiếng Việt 「引號」") == "Tiếng Việt 「引号」"


@given(st.text(alphabet=st.sampled_from("們這說乾燥隆髮發後裏臺灣a é\x00「」。𠀀\u200b"), max_size=40))
def test_simplified_keeps_every_position(text):
    """Glossary spans found in the simplified form point into the text as written."""
    out = simplified(text)
    assert len(out) == len(text)
    assert all(a == b for a, b in zip(out, text) if not is_han(b))


def test_two_foldings_agree_on_letters_but_only_one_keeps_length_and_case():
    text = "Đối thoại Phan Văn Mãi"
    assert strip_tones(text) == "doi thoai phan van mai"
    assert fold_accents(text) == "Doi thoai Phan Van Mai"
    assert len(fold_accents(text)) == len(text)
    assert strip_tones("Uỷ") == strip_tones("Ủy") == "uy"


def test_names_start_with_a_family_name_and_marks_count():
    text = "Ông Phan Văn Mãi gặp bà Nguyễn Minh Hằng trên Đường Lê Lợi."
    assert vi_person_names(text) == ["Phan Văn Mãi", "Nguyễn Minh Hằng", "Lê Lợi"]
    assert not is_vi_surname("Đường") and is_vi_surname("Dương")
    # Mai is a given name and a word: only with `ambiguous` does it start a name.
    assert vi_name_spans("Chị Mai Anh Thư") == []
    assert vi_person_names("Chị Mai Anh Thư", ambiguous=True) == ["Mai Anh Thư"]


def test_numbers_as_each_language_writes_them():
    assert parse_number("1.000,5", "vi") == Decimal("1000.5")
    assert parse_number("1,000.5", "zh") == Decimal("1000.5")
    assert parse_number("２.７", "zh") == Decimal("2.7")
    assert parse_number("abc", "zh") is None
    assert number_key(parse_number("2,70", "vi")) == number_key(parse_number("2.7", "zh")) == "2.7"
    assert number_key(Decimal("3")) == "3"
