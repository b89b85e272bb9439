"""Chinese written without sentence punctuation (subtitles, transcripts): clauses separated
by spaces, no 。. Such text is input to segment and keep, not page furniture."""

from __future__ import annotations

from workbench.reports.cleaning import clean
from workbench.reports.segment import split_sentences

# Made-up subtitle lines in the style of a spoken talk: clauses joined by spaces.
LINES = [
    "今天我想跟大家谈谈城市里的树木 它们每天都在默默地工作 为我们净化空气 遮挡夏天的阳光",
    "很多人从来没有注意过 街道两旁的树木到底有多少种 我自己也是在十年前才开始留意",
    "那时候我每天骑车上班 经过一条很长的林荫道",
    "有一天早上 我看见一位老人在树下写字 他说这些树比他的年纪还要大",
]


def test_a_long_unpunctuated_line_is_cut_between_clauses():
    text = " ".join(LINES)  # one paragraph of 150+ characters, no sentence end at all
    spans = split_sentences(text, "zh")
    pieces = [text[a:b] for a, b in spans]
    assert len(pieces) == 3  # ceil(length / 60) pieces
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")  # every character once
    clauses = set(text.split(" "))
    for piece in pieces:
        # cut only at clause boundaries, never inside a clause
        assert all(part in clauses for part in piece.split(" "))
        assert len(piece.replace(" ", "")) <= 60 + max(len(c) for c in clauses)


def test_short_unpunctuated_and_punctuated_text_is_not_cut_at_spaces():
    assert split_sentences(LINES[2], "zh") == [(0, len(LINES[2]))]
    punctuated = "胡志明市举办朗诵会。主持人 首先朗诵了开篇。"
    assert [punctuated[a:b] for a, b in split_sentences(punctuated, "zh")] == \
        ["胡志明市举办朗诵会。", "主持人 首先朗诵了开篇。"]


def test_an_unpunctuated_text_keeps_every_line_as_body():
    lines = [LINES[0] + " " + LINES[1], *LINES[2:]]  # a long first line: the text has begun
    blocks = clean("\n".join(lines), "zh").blocks
    assert [b.text for b in blocks] == lines  # none dropped as glued headlines of other articles
    assert [b.kind for b in blocks] == ["body"] * 3  # short lines of such a text are no subheadings


def test_glued_headlines_after_a_punctuated_article_are_still_dropped():
    page = ("胡志明市举办越南古典文学朗诵会\n"
            "与会者认为，这次活动有助于促进两国文化交流。\n"
            "胡志明市举办第二届友好对话会议 越南与中国加强地方合作交流\n")
    cleaned = clean(page, "zh")
    assert [b.text for b in cleaned.blocks][-1] == "与会者认为，这次活动有助于促进两国文化交流。"
    assert [d.reason for d in cleaned.dropped] == ["related-news headlines"]
