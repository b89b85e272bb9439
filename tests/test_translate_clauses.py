"""Long sentences cut at clause boundaries (real seed sentences) and rejoined through the translator."""

from __future__ import annotations

import pytest

from workbench.translate import open_translator
from workbench.translate.clauses import boundaries, split_clauses
from workbench.translate.pieces import Pieces
from workbench.translate.preprocess import opus_mt_normalise


pytestmark = pytest.mark.usefixtures("one_thread")  # see conftest.one_thread


def pick(sentences: list[str], needle: str) -> str:
    return next(s for s in sentences if needle in s)


def test_chinese_cuts_prefer_semicolons_and_skip_enumeration_commas(seed_sentences):
    s = pick(seed_sentences["zh"], "技术创新;资源调动")
    pieces = split_clauses(s, "zh", len, 30)
    assert "".join(pieces) == s  # nothing lost, nothing added (Chinese joins without spaces)
    assert all(len(p) <= 30 or not boundaries(p, "zh") for p in pieces)
    assert any(p.endswith("政策经验;") for p in pieces)  # the semicolon, not a comma, near the middle
    assert not any(p.endswith("、") for p in pieces) and "公私合作、资金、人力资源等" in pieces[-1]
    assert split_clauses(s, "zh", len, 1000) == [s]  # short enough: untouched


def test_vietnamese_cuts_at_clause_ends_never_inside_numbers(seed_sentences):
    s = pick(seed_sentences["vi"], "Sáng 24-9, TP.HCM")
    pieces = split_clauses(s, "vi", lambda t: len(t.split()), 12)
    assert " ".join(pieces) == s and len(pieces) > 1
    assert all(p.endswith((",", ";", ":")) for p in pieces[:-1])
    vi = "Tăng 1,5% lúc 10:30, giá 1.000 đồng; xong"
    assert boundaries(vi, "vi") == [(vi.index("10:30,") + 6, False), (vi.index("đồng;") + 5, True)]
    zh = "增长1,5%,时间10:30:会议"
    assert boundaries(zh, "zh") == [(zh.index("%,") + 2, False), (zh.index("30:") + 3, True)]


def test_split_sentences_are_translated_whole_and_rejoined(isolated_env, tiny_model_vi, seed_sentences):
    long = max(seed_sentences["vi"], key=len)
    count = Pieces(tiny_model_vi).count
    assert count(opus_mt_normalise(long)) > 40
    tr = open_translator(model_vi=tiny_model_vi, langs=("vi",), use_memory=False, backend="torch", split_tokens=20)
    [t] = tr.translate_detailed([long], "vi")
    pieces = split_clauses(long, "vi", lambda c: count(opus_mt_normalise(c)), 20)
    assert t.clauses == len(pieces) > 2 and not t.mt_warnings
    assert t.english == " ".join(opus_mt_normalise(p) for p in pieces)  # the copy model, clause by clause
    whole = open_translator(model_vi=tiny_model_vi, langs=("vi",), use_memory=False, backend="torch",
                            split_tokens=0)
    assert whole.translate_detailed([long], "vi")[0].clauses == 1
