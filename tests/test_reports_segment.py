"""Sentence segmentation: the hard cases of Chinese and Vietnamese news, on strings and on the seeds."""

from __future__ import annotations

import json

import pytest

from workbench.reports.corpus import load_document
from workbench.reports.segment import split_sentences


def sentences(text: str, lang: str) -> list[str]:
    spans = split_sentences(text, lang)
    assert all(text[a:b] == text[a:b].strip() and b > a for a, b in spans)
    # Nothing but whitespace lies between or around the spans.
    covered = "".join(text[a:b] for a, b in spans)
    assert "".join(covered.split()) == "".join(text.split())
    return [text[a:b] for a, b in spans]


# --- Vietnamese ------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc hội nghị.",
    "Sáng nay, UBND TP. HCM tổ chức hội nghị với các đối tác quốc tế.",
    "PGS.TS. Nguyễn Văn Nam cho biết hội nghị có ý nghĩa quan trọng.",
    "Hội nghị có hơn 1.000 đại biểu và 2,5 triệu lượt xem trực tuyến.",
    "Sự kiện diễn ra từ ngày 23-24/9 tại TP.HCM, sau đó là ngày 24-9 và 25.9.",
    "Ông Trần V. Anh và bà Nguyễn T. Hằng tham dự sự kiện tại Q. 1 và P. Bến Nghé.",
    "“Đây là cơ hội để chúng ta học hỏi kinh nghiệm lẫn nhau.” - ông Mãi nói.",
    "“Đây là cơ hội để chúng ta học hỏi kinh nghiệm lẫn nhau” - ông Mãi nói.",
    "Trung tâm Đổi mới Osaka... nhằm hỗ trợ TP.HCM chuyển đổi công nghiệp.",
])
def test_vietnamese_no_split(text):
    assert sentences(text, "vi") == [text]


@pytest.mark.parametrize("text, expected", [
    ("Hội nghị diễn ra ngày 23-24/9. Sau đó là diễn đàn kinh tế.",
     ["Hội nghị diễn ra ngày 23-24/9.", "Sau đó là diễn đàn kinh tế."]),
    ("TP HCM phát triển nhanh nhất ở khu vực Đông Nam Á. Cuộc thảo luận rất hiệu quả.",
     ["TP HCM phát triển nhanh nhất ở khu vực Đông Nam Á.", "Cuộc thảo luận rất hiệu quả."]),
    ("Ông Mãi phát biểu. “Đây là cơ hội tốt.” - ông nói. Sau đó hội nghị bế mạc!",
     ["Ông Mãi phát biểu.", "“Đây là cơ hội tốt.” - ông nói.", "Sau đó hội nghị bế mạc!"]),
    ("Có thực hiện được không? \"Chắc chắn được\", ông khẳng định.",
     ["Có thực hiện được không?", "\"Chắc chắn được\", ông khẳng định."]),
    ("Các lĩnh vực như y tế, chuyển đổi số… Sự phát triển này rất rõ nét.",
     ["Các lĩnh vực như y tế, chuyển đổi số…", "Sự phát triển này rất rõ nét."]),
    ("Việt Nam có quan hệ với 193 quốc gia. 30 nước là đối tác chiến lược.",
     ["Việt Nam có quan hệ với 193 quốc gia.", "30 nước là đối tác chiến lược."]),
])
def test_vietnamese_splits(text, expected):
    assert sentences(text, "vi") == expected


# --- Chinese -----------------------------------------------------------------------

def test_chinese_closing_quote_stays_with_its_sentence():
    text = "他表示：“我们必须创新和适应。胡志明市的产业转型历程是由内在动力推动的。”随后，代表们讨论了合作。"
    assert sentences(text, "zh") == [
        "他表示：“我们必须创新和适应。",
        "胡志明市的产业转型历程是由内在动力推动的。”",
        "随后，代表们讨论了合作。",
    ]


def test_chinese_exclamation_question_and_brackets():
    text = "这是真的吗？当然是！（记者：阮文）标志的底座上刻有友城名称。"
    assert sentences(text, "zh") == ["这是真的吗？", "当然是！", "（记者：阮文）标志的底座上刻有友城名称。"]


def test_chinese_semicolon_list_is_not_split():
    text = "各位代表讨论了产业转型进程，包括制定促进地方产业增长的政策经验;技术创新;资源调动等。"
    assert sentences(text, "zh") == [text]


def test_chinese_semicolon_between_standalone_clauses_is_split():
    text = ("胡志明市将继续推进绿色转型和数字化转型，建设可持续的经济；"
            "上海市愿派遣专家赴越交流合作，为两市发展带来切实利益。")
    assert sentences(text, "zh") == [
        "胡志明市将继续推进绿色转型和数字化转型，建设可持续的经济；",
        "上海市愿派遣专家赴越交流合作，为两市发展带来切实利益。",
    ]


def test_chinese_urls_and_latin_periods_do_not_split():
    text = "守德市。图自 hanoimoi.com.vn 的报道称 GDP 增长 7.5%，见 https://a.vn/x?id=1 网页。"
    assert sentences(text, "zh") == ["守德市。", "图自 hanoimoi.com.vn 的报道称 GDP 增长 7.5%，见 https://a.vn/x?id=1 网页。"]


# --- the seeds ------------------------------------------------------------------------

def test_offsets_point_into_the_cleaned_text(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = load_document(path)
        assert [s.index for s in doc.sentences] == list(range(len(doc.sentences)))
        previous_end = 0
        for s in doc.sentences:
            assert doc.text[s.start:s.end] == s.text, (path.name, s)
            assert s.start >= previous_end and s.text == s.text.strip()
            previous_end = s.end
        # Between sentences lies only whitespace: segmentation loses no text.
        rest = list(doc.text)
        for s in doc.sentences:
            rest[s.start:s.end] = [" "] * (s.end - s.start)
        assert not "".join(rest).strip(), path.name


def exactly_one(doc, fragment: str) -> str:
    hits = [s.text for s in doc.sentences if fragment in s.text]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def test_seed_002_abbreviations_and_attributed_quotes(seeds_dir):
    doc = load_document(seeds_dir / "002_9180580ce9d8d433.txt")
    # TP.HCM never ends a sentence.
    assert not any(s.text.endswith(("TP.", "TP")) for s in doc.sentences)
    assert exactly_one(doc, "Tham dự có ông Nguyễn Văn Nên").endswith("hữu nghị với TP.HCM.")
    # A quotation and its attribution are one sentence.
    quote = exactly_one(doc, "Để duy trì tính cạnh tranh")
    assert quote.startswith("“Để duy trì") and quote.endswith("” - ông Mãi thông tin.")
    last = exactly_one(doc, "bà Hằng kỳ vọng")
    assert last.startswith("“Tôi mong muốn") and last.endswith("- bà Hằng kỳ vọng.")
    assert exactly_one(doc, "mới”- ông Mãi khẳng định.").startswith("Đây là cơ hội")


def test_seed_001_one_sentence_per_line(seeds_dir):
    path = seeds_dir / "001_42dcb43445210432.txt"
    doc = load_document(path)
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()][:14]
    assert [s.text for s in doc.sentences] == lines
    exactly_one(doc, "dự kiến sẽ diễn ra từ ngày 23-24/9.")
    exactly_one(doc, "hơn 1.000 đại biểu")
    assert exactly_one(doc, "– ông Trần Phước Anh nói.").startswith("“Hội nghị nhằm")


def test_seed_000_quotes_and_lists(seeds_dir):
    doc = load_document(seeds_dir / "000_75ef3c063faf8c49.txt")
    assert exactly_one(doc, "全球趋势共同推动的。") == "胡志明市的产业转型历程是由内在动力和全球趋势共同推动的。”"
    assert exactly_one(doc, "技术创新;资源调动").endswith("人力资源等)。")


def test_cli_segment_json_and_table(cli, seeds_dir):
    path = seeds_dir / "002_9180580ce9d8d433.txt"
    proc = cli("segment", path, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert set(out) == {"lang", "languages", "encoding", "meta", "notes", "sentences", "dropped"}
    assert (out["lang"], out["encoding"], out["meta"], out["notes"]) == ("vi", "utf-8", {"format": "text"}, [])
    assert out["languages"]["vi"] > 0.9
    doc = load_document(path)
    assert [(s["text"], s["kind"], s["start"], s["end"]) for s in out["sentences"]] == \
        [(s.text, s.kind, s.start, s.end) for s in doc.sentences]
    assert all(set(d) >= {"text", "reason"} for d in out["dropped"])
    assert {"text": "doi-thoai-huu-nghi-5.jpg", "reason": "image file name", "line": 20} in out["dropped"]

    table = cli("segment", path)
    assert table.returncode == 0, table.stderr
    assert "language vi" in table.stdout and "encoding utf-8" in table.stdout
    for word in ("title", "body", "caption", "image file name", "related-news block", "Dropped"):
        assert word in table.stdout


def test_captions_keep_their_photo_credit_in_one_sentence():
    from workbench.reports.corpus import build_document

    doc = build_document("两市举行视频会议\n两市举行会议。\n杨英德在会上发言。图自越通社\n", "zh")
    assert [(s.kind, s.text) for s in doc.sentences] == [
        ("title", "两市举行视频会议"), ("body", "两市举行会议。"), ("caption", "杨英德在会上发言。图自越通社")]
    doc = build_document("Tiêu đề bài\nNội dung bài viết.\nanh-1.jpg\nÔng Mãi phát biểu. Ảnh: NGUYỆT NHI\n", "vi")
    assert doc.sentences[-1].kind == "caption"
    assert doc.sentences[-1].text == "Ông Mãi phát biểu. Ảnh: NGUYỆT NHI"


def test_random_noisy_pages_keep_the_offset_invariant():
    """Pages glued from seed lines and noise: never a crash, offsets always exact."""
    import random

    from workbench.reports.corpus import build_document
    from workbench.errors import WorkbenchError

    pool = ["TP.HCM", "TP. HCM", "“", "”", "\"", ".", "…", "...", "!", "?", "。", "；", ";", " ", "  ",
            "\n", "\n\n", "Ảnh: A", "ảnh 1", "- Ảnh 2.", "图自越通社", "(完)", "相关新闻", "Đọc thêm",
            "x.jpg", "24-9", "1.000", "PGS.TS.", "Ông", "nói", "会议", "胡志明市", "\u200b", "\t",
            "Nguồn: https://a.vn", "06:00 | 26/09/2024", "(PLO)-", "越通社河内——", "A", "b"]
    rng = random.Random(7)
    for lang in ("zh", "vi") * 100:
        text = "".join(rng.choice(pool) for _ in range(rng.randint(1, 80)))
        try:
            doc = build_document(text, lang)
        except WorkbenchError:
            continue  # nothing left after cleaning
        for s in doc.sentences:
            assert doc.text[s.start:s.end] == s.text and s.text.strip() == s.text and s.text
