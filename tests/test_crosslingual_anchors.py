"""Anchors that compare across scripts: dates, numbers, years, Latin names."""

from __future__ import annotations

import pytest

from workbench.crosslingual.anchors import extract_anchors
from workbench.reports.corpus import load_document


def zh(text: str) -> set[str]:
    return extract_anchors(text, "zh")


def vi(text: str) -> set[str]:
    return extract_anchors(text, "vi")


@pytest.mark.parametrize("text,lang", [
    ("9月24日,胡志明市召开会议", "zh"),
    ("Sáng 24-9, TP.HCM tổ chức hội nghị", "vi"),
    ("diễn ra vào ngày 24/9", "vi"),
    ("ngày 24 tháng 9", "vi"),
    ("Hà Nội, 24/09/2024", "vi"),
    ("2024-09-24", "zh"),
])
def test_date_forms_give_one_key(text, lang):
    assert "date:24/9" in extract_anchors(text, lang)


def test_date_ranges_give_both_days():
    assert {"date:23/9", "date:24/9"} <= vi("dự kiến sẽ diễn ra từ ngày 23-24/9.")
    assert {"date:2/12", "date:5/12"} <= vi("Sự kiện diễn ra từ ngày 2 đến 5-12 được tổ chức")
    assert {"date:23/9", "date:24/9", "year:2024"} <= zh("2024年9月23日至24日")


def test_years_percentages_and_counts():
    assert zh("到2030年将高科技产业占全市GDP的比重从目前的23%提高到40%") >= {
        "year:2030", "pct:23", "pct:40", "name:gdp"}
    assert "num:35" in zh("来自35个国际地方政府代表团")
    assert "num:35" in vi("và 35 đoàn lãnh đạo")
    assert "num:23" not in zh("23%")                 # a percentage, not also a bare number
    assert vi("năm 2024") == {"year:2024"}
    assert {"year:2020", "year:2025"} <= vi("giai đoạn 2020-2025")
    assert "date:20/20" not in vi("giai đoạn 2020-2025")


def test_thousands_and_decimals_follow_each_language():
    assert "num:1000" in vi("hơn 1.000 đại biểu")
    assert "pct:2.5" in vi("tăng 2,5%")
    assert "num:5880000" in zh("超过588万人") and "num:5880000" in vi("hơn 5,88 triệu người")
    assert "num:1000" in zh("1,000名代表")


def test_chinese_numerals_for_small_counts():
    assert "num:35" in zh("三十五个代表团")
    assert "num:14" in zh("越南共产党第十四次全国代表大会")
    assert "year:2024" in zh("二〇二四年")
    assert not any(k.startswith("num:") for k in zh("一些专家认为"))  # 一 in a word is no count


def test_times_of_day_are_not_numbers():
    assert not any(k.startswith("num:") for k in zh("06:00 | 会议"))


def test_latin_names_and_acronyms():
    assert {"name:hef", "name:c4ir", "name:wef"} <= vi(
        "Diễn đàn kinh tế TPHCM lần 5 (HEF) và Trung tâm C4IR của WEF")
    assert "name:torino" in vi("ông Stefano Lo Russo, Thị trưởng TP Torino (Ý)")
    assert {"name:gdp", "name:3d", "name:cop26"} <= zh("GDP 3D投影 COP26大会")


def test_vietnamese_words_are_not_names():
    keys = vi("Chủ tịch UBND TP.HCM phát biểu. Ảnh: NGUYỆT NHI. Tin: Xuân Mai - Ảnh: Thanh Long "
              "(PLO)- Lên đầu Top. TP HCM và HĐND")
    assert not any(k.startswith("name:") for k in keys), keys
    # Capitalised at the start of a sentence says nothing.
    assert "name:osaka" not in vi("Osaka còn hợp tác với TP.HCM.")
    assert "name:osaka" in vi("TP Osaka còn hợp tác với TP.HCM.")


def test_urls_and_image_names_are_ignored():
    assert vi("doi-thoai-huu-nghi-8.jpg Nguồn: https://vietnamnet.vn/abc-2303401.html") == set()
    assert zh("图自 hanoimoi.com.vn") == set()


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        extract_anchors("hello", "en")


def test_seed_reports_share_their_event_anchors(seeds_dir):
    zh_doc = load_document(seeds_dir / "000_75ef3c063faf8c49.txt")
    vi_doc = load_document(seeds_dir / "002_9180580ce9d8d433.txt")
    old = load_document(seeds_dir / "003_9f299bc8aed694a6.txt")
    a_zh = extract_anchors(zh_doc.text, "zh")
    a_vi = extract_anchors(vi_doc.text, "vi")
    assert {"date:24/9", "year:2024", "num:35"} <= a_zh & a_vi
    assert {"name:torino", "name:osaka"} <= a_vi
    assert not any(k.startswith("date:") for k in a_zh & extract_anchors(old.text, "vi"))
    assert "year:2022" in extract_anchors(old.text, "vi")


# --- ordering: every mix of anchor kinds compares --------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from workbench.crosslingual.anchors import KIND_ORDER, anchor_sort_key  # noqa: E402


def test_whole_and_decimal_percentages_sort_numerically():
    keys = zh("销售额增长3%，利润增长2.7%。") | vi("Doanh thu tăng 3%, lợi nhuận tăng 2,7%.")
    assert sorted(keys, key=anchor_sort_key) == ["pct:2.7", "pct:3"]


def test_dates_sort_chronologically_within_a_year():
    assert sorted(["date:24/10", "date:2/10", "date:30/9"], key=anchor_sort_key) == [
        "date:30/9", "date:2/10", "date:24/10"]


_number = st.one_of(st.integers(0, 10**9).map(str),
                    st.decimals(0, 1000, places=2, allow_nan=False).map(str))
_value = st.one_of(
    _number,
    st.tuples(st.integers(1, 31), st.integers(1, 12)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.tuples(st.integers(1, 12), st.integers(1900, 2100)).map(lambda t: f"{t[0]}/{t[1]}"),
    st.text(max_size=8),
)
_key = st.tuples(st.sampled_from(KIND_ORDER + ("person", "other")), _value).map(":".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(_key, max_size=12))
def test_any_mix_of_keys_has_one_total_order(keys):
    once = sorted(keys, key=anchor_sort_key)
    assert sorted(reversed(keys), key=anchor_sort_key) == once   # no two orders possible
    for a, b in zip(once, once[1:]):
        assert anchor_sort_key(a) <= anchor_sort_key(b)
