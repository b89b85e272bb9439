"""Term matching: spans, longest-first zh, vi syllable boundaries, en word boundaries and endings."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from workbench.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


def spans(glossary, text, lang, **kw):
    return [(text[m.start:m.end], m.entry.preferred) for m in glossary.match(text, lang, **kw)]


def test_zh_longest_match_first(glossary):
    text = "胡志明市人民委员会主席潘文迈在开幕式致辞"  # a seed sentence
    assert spans(glossary, text, "zh") == [
        ("胡志明市人民委员会主席", "Chairman of the Ho Chi Minh City People's Committee"),
        ("潘文迈", "Phan Van Mai")]
    assert spans(glossary, "市人民委员会主席认为", "zh") == [("人民委员会主席", "Chairman of the People's Committee")]


def test_zh_terms_match_text_in_traditional_characters(glossary, tmp_path):
    """The shipped glossary is in simplified characters; a report from Taiwan or Hong Kong
    writes 胡志明市人民委員會主席 and 潘文邁. Spans point into the text as written, and a term
    written in traditional characters matches simplified text too."""
    text = "胡志明市人民委員會主席潘文邁在開幕式致辭"
    assert spans(glossary, text, "zh") == [
        ("胡志明市人民委員會主席", "Chairman of the Ho Chi Minh City People's Committee"),
        ("潘文邁", "Phan Van Mai")]
    (tmp_path / "terms.tsv").write_text("zh\tvi\ten\n開幕式\tlễ khai mạc\topening ceremony\n", encoding="utf-8")
    own = load_glossary(tmp_path)
    assert spans(own, "在开幕式致辞", "zh") == [("开幕式", "opening ceremony")]


def test_vi_syllable_boundaries_case_and_nfc(glossary):
    text = "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc."
    assert spans(glossary, text, "vi")[:2] == [
        ("Chủ tịch UBND TP.HCM", "Chairman of the Ho Chi Minh City People's Committee"),
        ("Phan Văn Mãi", "Phan Van Mai")]
    # Decomposed input matches too, with spans in the decomposed text.
    nfd = unicodedata.normalize("NFD", text)
    found = glossary.match(nfd, "vi")
    assert unicodedata.normalize("NFC", nfd[found[1].start:found[1].end]) == "Phan Văn Mãi"
    # "UBND" inside a longer word is not the term; lower case still matches.
    assert spans(glossary, "UBNDX phan văn mãi", "vi") == [("phan văn mãi", "Phan Van Mai")]


def test_vi_tone_marks_count_unless_folded(glossary):
    assert spans(glossary, "ông Phan Văn Mại", "vi") == []
    assert spans(glossary, "ông Phan Văn Mại", "vi", fold_accents=True) == [("Phan Văn Mại", "Phan Van Mai")]
    assert spans(glossary, "ong Phan Van Mai noi", "vi", fold_accents=True) == [("Phan Van Mai", "Phan Van Mai")]


def test_en_word_boundaries_plural_and_possessive(glossary):
    text = "The People's Committees met; the Friendship Dialogue's theme was industrial transformation."
    assert [t for t, _ in spans(glossary, text, "en")] == [
        "People's Committees", "Friendship Dialogue's", "industrial transformation"]
    assert spans(glossary, "Chinatown", "en") == []
    assert spans(glossary, "in HCMC.", "en") == [("HCMC", "Ho Chi Minh City")]


def test_concepts_in_counts_shared_concepts(glossary):
    zh = "胡志明市人民委员会主席潘文迈在开幕式致辞"
    vi = "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc."
    assert glossary.concepts_in(zh, "zh") == glossary.concepts_in(vi, "vi")
    assert len(glossary.concepts_in(zh, "zh")) == 2


def test_unknown_language_is_a_user_error(glossary):
    from workbench.errors import WorkbenchError
    with pytest.raises(WorkbenchError, match="unknown language"):
        glossary.match("x", "fr")
