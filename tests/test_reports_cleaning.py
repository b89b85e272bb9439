"""Cleaning scraped pages: on the real seeds, the article is kept whole and nothing else.

For each seed the tests name, by line number, the lines of the article and their
kind (as a reader of the page sees them). The cleaned text must be exactly those
lines, and every other non-empty line must be reported as dropped with its line number.
"""

from __future__ import annotations

import pytest

from workbench.reports.cleaning import clean
from workbench.reports.corpus import build_document, load_document

B, T, C = "body", "title", "caption"

# line -> kind, or (kind, kept text) when only part of the line is article text.
ARTICLES: dict[str, dict[int, object]] = {
    "000_75ef3c063faf8c49.txt": {
        1: T, 8: C, 10: B, 12: B, 15: C, 17: B, 19: B, 21: C, 24: B, 26: B, 29: C, 31: B, 33: C,
        36: B, 38: B, 40: B,
    },
    "001_42dcb43445210432.txt": {n: (C if n == 5 else B) for n in range(1, 15)},
    "002_9180580ce9d8d433.txt": {
        1: T, 5: (B, "Chủ tịch UBND TP.HCM Phan Văn Mãi kỳ vọng"), 7: B, 9: B, 12: C, 14: T, 16: B,
        18: B, 21: C, 23: B, 25: B, 28: C, 30: B, 32: B, 35: C, 37: T, 39: B, 41: B, 44: C, 46: B,
        48: B, 51: C, 53: B, 55: B, 57: B, 59: T, 61: B, 63: B, 66: C, 68: B, 70: B, 72: B,
    },
    "003_9f299bc8aed694a6.txt": {
        12: T, 16: (B, "TP HCM kỳ vọng"), 18: B, 20: B, 24: C, 26: B, 30: C, 32: B, 36: C, 38: B,
        42: C, 44: B, 46: B, 52: B, 54: B,
    },
    "004_9796523c0b21f5fd.txt": {
        1: T, 3: B, 4: (C, "守德市。图自 hanoimoi.com.vn"), 8: B, 10: B,
        12: (C, "胡志明市人民委员会副主席杨英德。图自越通社"), 14: B, 16: B, 18: B,
        20: (B, "宗明祝愿守德市"),
    },
}


def expected_blocks(path, spec) -> list[tuple[str, str]]:
    lines = path.read_text(encoding="utf-8").split("\n")
    out = []
    for number, value in sorted(spec.items()):
        raw = " ".join(lines[number - 1].split())
        kind, part = value if isinstance(value, tuple) else (value, None)
        text = raw if part is None else raw[raw.index(part):]
        text = text.removesuffix("(完)")
        out.append((kind, text))
    return out


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_the_article_and_only_the_article_is_kept(seeds_dir, name):
    path = seeds_dir / name
    doc = load_document(path)
    expected = expected_blocks(path, ARTICLES[name])
    assert doc.text.split("\n") == [text for _, text in expected]
    # Each block's sentences carry the block's kind.
    offset = 0
    for kind, text in expected:
        inside = [s for s in doc.sentences if offset <= s.start < offset + len(text)]
        assert inside and {s.kind for s in inside} == {kind}, (text, [s.kind for s in inside])
        offset += len(text) + 1


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_every_other_line_is_reported_with_line_and_reason(seeds_dir, name):
    path = seeds_dir / name
    doc = load_document(path)
    lines = path.read_text(encoding="utf-8").split("\n")
    non_empty = {i + 1 for i, ln in enumerate(lines) if ln.strip()}
    dropped_lines = {d.line for d in doc.dropped}
    assert non_empty - set(ARTICLES[name]) <= dropped_lines
    assert dropped_lines <= non_empty
    for d in doc.dropped:
        assert d.reason and d.text
        assert " ".join(d.text.split()) in " ".join(lines[d.line - 1].split()), d


BOILERPLATE = {
    "000_75ef3c063faf8c49.txt": ["相关新闻", "查看更多", "06:00", "越美政治", "海防-日本", "雷锦章",
                                 "越共十四大"],
    "001_42dcb43445210432.txt": ["Nguồn: https", "vietnamnet.vn"],
    "002_9180580ce9d8d433.txt": [".jpg", "doi-thoai-huu-nghi-8", "Đọc thêm", "(PLO)"],
    "003_9f299bc8aed694a6.txt": ["Đăng nhập", "đăng nhập", "An Giang", "Bạc Liêu", "VIP", "icon",
                                 "xem thêm", "Ảnh 1.", "thanh toán", "Lên đầu", "Tin: Xuân Mai",
                                 "(NLĐO)", "60 giây"],
    "004_9796523c0b21f5fd.txt": ["ảnh 1", "ảnh 2", "更多", "(完)", "越通社胡志明市", "范明政", "老挝"],
}


@pytest.mark.parametrize("name", sorted(BOILERPLATE))
def test_boilerplate_is_gone(seeds_dir, name):
    doc = load_document(seeds_dir / name)
    for needle in BOILERPLATE[name]:
        assert needle not in doc.text, needle


def reasons(doc) -> dict[int, str]:
    out: dict[int, str] = {}
    for d in doc.dropped:
        out.setdefault(d.line, d.reason)
    return out


def test_drop_reasons_on_the_seeds(seeds_dir):
    r = reasons(load_document(seeds_dir / "003_9f299bc8aed694a6.txt"))
    assert r[1] == "navigation"
    assert all("province" in r[n] for n in range(2, 8))
    assert (r[9], r[10], r[14], r[16]) == ("login", "subscription", "byline", "outlet tag")
    assert r[22].startswith("image placeholder") and r[50].startswith("photo credit")
    assert r[57] == "page footer" and r[80] == "after page footer (line 57)"

    r = reasons(load_document(seeds_dir / "000_75ef3c063faf8c49.txt"))
    assert r[3] == "date/time stamp"
    assert r[5].startswith("lead repeated") and r[6] == "related-news headlines"
    assert r[7] == r[14] == "repeated line (same as line 1)" and r[22] == "repeated line (same as line 21)"
    assert r[42] == "related-news block" and r[94].startswith("after related-news block")

    r = reasons(load_document(seeds_dir / "002_9180580ce9d8d433.txt"))
    assert r[3].startswith("repeated line") and r[11] == r[65] == "image file name"
    assert r[74] == "related-news block"

    assert reasons(load_document(seeds_dir / "001_42dcb43445210432.txt")) == {15: "source URL"}

    doc = load_document(seeds_dir / "004_9796523c0b21f5fd.txt")
    alt = [d for d in doc.dropped if d.line == 4]
    assert [(d.text, d.reason) for d in alt] == [("促进胡志明市与中国上海市之间的合作 ảnh 1",
                                                   "image alt text (repeated headline)")]
    assert reasons(doc)[24] == "related-news block"


def test_each_article_sentence_of_the_seeds_appears_exactly_once(seeds_dir):
    cases = {
        "000_75ef3c063faf8c49.txt": ["召开2024年胡志明市友好对话会议。", "从目前的23%提高到40%",
                                     "白藤码头公园,生动地体现", "越南美食推介等。"],
        "002_9180580ce9d8d433.txt": ["Sáng 24-9, TP.HCM tổ chức", "với 193 quốc gia",
                                     "khử cacbon...", "Trung tâm Đổi mới Osaka... nhằm hỗ trợ"],
        "003_9f299bc8aed694a6.txt": ["phát triển nhanh nhất ở khu vực Đông Nam Á.",
                                     "Cuộc thảo luận hiệu quả", "(thế giới VUCA)."],
        "004_9796523c0b21f5fd.txt": ["商讨促进两市未来合作的方向。", "为两市发展带来切实利益。"],
    }
    for name, fragments in cases.items():
        doc = load_document(seeds_dir / name)
        for fragment in fragments:
            hits = [s for s in doc.sentences if fragment in s.text]
            assert len(hits) == 1, (name, fragment, [s.text for s in hits])


# --- synthetic pages: rules one at a time ------------------------------------------

def kinds(text: str, lang: str) -> list[tuple[str, str]]:
    return [(b.kind, b.text) for b in clean(text, lang).blocks]


def test_related_news_cuts_only_after_the_article_started():
    page = ("Xem thêm\nĐối thoại Hữu nghị năm 2024\n"
            "Hội nghị diễn ra sáng 24-9 tại TP.HCM với 35 đoàn quốc tế.\n"
            "Tin liên quan\nTP.HCM đón đoàn Osaka.\nHội nghị diễn ra tốt đẹp.\n")
    out = clean(page, "vi")
    assert [b.kind for b in out.blocks] == ["title", "body"]
    assert [(d.line, d.reason) for d in out.dropped] == [
        (1, "navigation"), (4, "related-news block"),
        (5, "after related-news block (line 4)"), (6, "after related-news block (line 4)")]


@pytest.mark.parametrize("line", [
    "06:00 | 26/09/2024", "Thứ Ba, 24/09/2024 10:30 (GMT+7)", "2024-09-26 06:00",
    "发布时间：2024年09月26日 06:00", "Cập nhật: 08:15 ngày 25/09/2024",
])
def test_date_stamp_lines_are_dropped(line):
    out = clean(f"Tiêu đề bài báo\n{line}\nNội dung chính của bài báo được viết ở đây.\n", "vi")
    assert [d.reason for d in out.dropped] == ["date/time stamp"]


def test_dates_inside_sentences_are_kept():
    out = clean("标题\n9月24日,会议在胡志明市举行。\n24-9, TP.HCM đón 35 đoàn.\n", "zh")
    assert [b.text for b in out.blocks] == ["标题", "9月24日,会议在胡志明市举行。", "24-9, TP.HCM đón 35 đoàn."]


def test_caption_after_image_file_and_short_subheading():
    page = ("Hội nghị Thị trưởng 2024\n"
            "Hội nghị khai mạc sáng nay tại TP.HCM với nhiều đại biểu.\n"
            "anh-hoi-nghi-1.jpg\n"
            "Toàn cảnh hội nghị\n"
            "Các thành phố cùng hành động\n"
            "Lãnh đạo các địa phương thảo luận về chuyển đổi công nghiệp.\n")
    assert kinds(page, "vi") == [
        ("title", "Hội nghị Thị trưởng 2024"),
        ("body", "Hội nghị khai mạc sáng nay tại TP.HCM với nhiều đại biểu."),
        ("caption", "Toàn cảnh hội nghị"),
        ("title", "Các thành phố cùng hành động"),
        ("body", "Lãnh đạo các địa phương thảo luận về chuyển đổi công nghiệp."),
    ]


def test_chinese_caption_written_twice_is_one_caption():
    page = "胡志明市友好对话会议\n会议于9月24日举行。\n会议全景\n会议全景\n各位代表听取了报告。\n"
    assert kinds(page, "zh") == [("title", "胡志明市友好对话会议"), ("body", "会议于9月24日举行。"),
                                 ("caption", "会议全景"), ("body", "各位代表听取了报告。")]


def test_source_urls_are_dropped_but_urls_in_sentences_kept():
    page = ("Tiêu đề\nBài viết đăng trên https://plo.vn hôm nay.\nNguồn: https://vietnamnet.vn/a.html\n"
            "https://example.com/x\n")
    out = clean(page, "vi")
    assert [b.text for b in out.blocks] == ["Tiêu đề", "Bài viết đăng trên https://plo.vn hôm nay."]
    assert [d.reason for d in out.dropped] == ["source URL", "source URL"]


def test_a_page_of_boilerplate_only_is_an_error(tmp_path):
    from workbench.errors import WorkbenchError

    with pytest.raises(WorkbenchError, match="no article text"):
        build_document("Đăng nhập\nAn Giang\nBình Dương\nxem thêm\n", "vi")


def test_breadcrumbs_inline_links_and_invisible_characters():
    page = ("Thời sự\n"
            "Đối\u200b thoại Hữu nghị\u00a0năm 2024\n"
            "Hội nghị diễn ra sáng 24-9 tại TP.HCM với 35 đoàn quốc tế.\n"
            "Xem thêm: TP.HCM đón đoàn Osaka\n"
            "Kinh tế\n"
            "Các đại biểu thảo luận về chuyển đổi công nghiệp.\n")
    out = clean(page, "vi")
    assert [(b.kind, b.text) for b in out.blocks] == [
        ("title", "Đối thoại Hữu nghị năm 2024"),
        ("body", "Hội nghị diễn ra sáng 24-9 tại TP.HCM với 35 đoàn quốc tế."),
        ("title", "Kinh tế"),  # after the headline a short line is a subheading
        ("body", "Các đại biểu thảo luận về chuyển đổi công nghiệp."),
    ]
    assert [(d.line, d.reason) for d in out.dropped] == [
        (1, "navigation (section name)"), (4, "link to another article")]


def test_photo_number_placeholder_without_a_title():
    page = ("Hội nghị khai mạc sáng nay tại TP.HCM.\n"
            "Hội nghị Thị trưởng - Ảnh 1.\n"
            "Các đại biểu tham gia phiên thảo luận\n"
            "Hội nghị kết thúc vào buổi chiều.\n")
    out = clean(page, "vi")
    assert [(b.kind, b.text) for b in out.blocks] == [
        ("body", "Hội nghị khai mạc sáng nay tại TP.HCM."),
        ("caption", "Các đại biểu tham gia phiên thảo luận"),
        ("body", "Hội nghị kết thúc vào buổi chiều."),
    ]
    assert [d.reason for d in out.dropped] == ["image placeholder (photo number)"]


def test_chinese_dateline_end_mark_and_credit_caption():
    page = ("两市举行视频会议\n"
            "越通社河内——10月19日，两市举行视频会议。（完）\n"
            "杨英德在会上发言。图自越通社\n"
            "新华社\n")
    out = clean(page, "zh")
    assert [(b.kind, b.text) for b in out.blocks] == [
        ("title", "两市举行视频会议"), ("body", "10月19日，两市举行视频会议。"),
        ("caption", "杨英德在会上发言。图自越通社")]
    assert [d.reason for d in out.dropped] == ["dateline", "end mark", "agency signature"]


def test_a_news_agency_style_chinese_page():
    page = ("首页 > 国际\n"
            "胡志明市举办2024年友好对话会议\n"
            "2024-09-24 18:30:12\u3000来源：新华网\n"
            "新华社胡志明市9月24日电（记者 阮文）越南胡志明市24日举办2024年友好对话会议。\n"
            "胡志明市人民委员会主席潘文迈在致辞中说：“产业转型是紧迫任务！”\n"
            "与会代表合影。（新华社记者 阮文 摄）\n"
            "【纠错】【责任编辑：王莉】\n"
            "相关阅读：\n"
            "越南经济增长加快\n")
    doc = build_document(page, "zh")
    assert [(s.kind, s.text) for s in doc.sentences] == [
        ("title", "胡志明市举办2024年友好对话会议"),
        ("body", "越南胡志明市24日举办2024年友好对话会议。"),
        ("body", "胡志明市人民委员会主席潘文迈在致辞中说：“产业转型是紧迫任务！”"),
        ("caption", "与会代表合影。（新华社记者 阮文 摄）"),
    ]
    assert [(d.line, d.reason) for d in doc.dropped] == [
        (1, "navigation (breadcrumb)"), (3, "date/time stamp"), (4, "dateline"), (7, "navigation"),
        (8, "related-news block"), (9, "after related-news block (line 8)")]


def test_a_vietnamese_page_with_breadcrumbs_and_an_author_signature():
    page = ("Thời sự\nChính trị\n"
            "Thứ ba, 24/9/2024, 10:30 (GMT+7)\n"
            "TP HCM đối thoại với 35 đoàn quốc tế\n"
            "Sáng 24/9, ông Phan Văn Mãi cho biết thành phố cần chuyển sang công nghệ cao. "
            "\"Đây là yêu cầu cấp thiết\", ông nói.\n"
            "Ông Phan Văn Mãi phát biểu tại hội nghị. Ảnh: Quỳnh Trần\n"
            "Hà Phương\n"
            "Chia sẻ\n"
            "Tin liên quan\n"
            "TP HCM khởi công Biểu tượng hữu nghị quốc tế\n")
    doc = build_document(page, "vi")
    assert [(s.kind, s.text) for s in doc.sentences] == [
        ("title", "TP HCM đối thoại với 35 đoàn quốc tế"),
        ("body", "Sáng 24/9, ông Phan Văn Mãi cho biết thành phố cần chuyển sang công nghệ cao."),
        ("body", "\"Đây là yêu cầu cấp thiết\", ông nói."),
        ("caption", "Ông Phan Văn Mãi phát biểu tại hội nghị. Ảnh: Quỳnh Trần"),
    ]
    assert [d.reason for d in doc.dropped] == [
        "navigation (section name)", "navigation (section name)", "date/time stamp",
        "byline (author's name)", "navigation", "related-news block",
        "after related-news block (line 9)"]


def test_a_line_of_sentences_is_a_paragraph_whatever_it_ends_with():
    page = ("胡志明市举办越南古典文学朗诵会\n"
            "9月24日，胡志明市举办朗诵会。主持人首先朗诵了开篇：\n"
            "与会代表\n"
            "与会者认为，这次活动有助于促进两国文化交流。\n")
    kinds = [(b.kind, b.text) for b in clean(page, "zh").blocks]
    assert kinds == [("title", "胡志明市举办越南古典文学朗诵会"),
                     ("body", "9月24日，胡志明市举办朗诵会。主持人首先朗诵了开篇："),
                     ("title", "与会代表"),
                     ("body", "与会者认为，这次活动有助于促进两国文化交流。")]


def test_markup_kinds_and_source_lines_are_kept():
    """Text read from a web page or Word file: the markup's kinds win, lines are the source's."""
    text = "Hội nghị Thị trưởng\nToàn cảnh hội nghị\nĐăng nhập\nSáng 24-9, TP.HCM tổ chức hội nghị."
    cleaned = clean(text, "vi", kinds=["title", "caption", None, None], numbers=[40, 52, 60, 61])
    assert [(b.kind, b.line) for b in cleaned.blocks] == [("title", 40), ("caption", 52), ("body", 61)]
    assert [(d.reason, d.line) for d in cleaned.dropped] == [("login", 60)]
