"""Pairing zh and vi reports of one event, on the seeds and through the real CLI."""

from __future__ import annotations

import json
import shutil

import pytest

from workbench.reports.corpus import build_document, load_document
from workbench.errors import WorkbenchError
from workbench.pairing import pair_directory, pair_documents

ZH = "000_75ef3c063faf8c49.txt"
PREVIEW = "001_42dcb43445210432.txt"
VI = "002_9180580ce9d8d433.txt"
OLD = "003_9f299bc8aed694a6.txt"
SHANGHAI = "004_9796523c0b21f5fd.txt"


@pytest.fixture(scope="module")
def seed_result(seeds_dir):
    return pair_directory(seeds_dir)


def names(pair):
    return pair.zh.name, pair.vi.name


def test_seed_pairs(seed_result):
    pairs = [names(p) for p in seed_result.pairs]
    assert pairs[0] == (ZH, VI)
    assert set(pairs) <= {(ZH, VI), (ZH, PREVIEW)}   # the preview may pair, but below 002
    unpaired = {d.name for d in seed_result.unpaired}
    assert {OLD, SHANGHAI} <= unpaired
    assert ZH not in unpaired and VI not in unpaired
    scores = [p.score for p in seed_result.pairs]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_reason_names_the_evidence(seed_result):
    reason = seed_result.pairs[0].reason
    for evidence in ("24/9", "2024", "35", "Phan Văn Mãi (潘文迈)", "overlap", "margin"):
        assert evidence in reason, reason


def test_every_candidate_is_scored_and_only_across_languages(seeds_dir):
    docs = [load_document(p) for p in sorted(seeds_dir.iterdir())]
    everything = pair_documents(docs, threshold=0.0)
    assert len(everything.pairs) == 2 * 3               # 2 zh × 3 vi, never zh-zh
    assert all(p.zh.lang == "zh" and p.vi.lang == "vi" for p in everything.pairs)
    by_pair = {names(p): p for p in everything.pairs}
    old = by_pair[(ZH, OLD)]
    assert "dates differ" in old.reason and "years differ" in old.reason
    # The 2022 dialogue shares the mayor's name with 000 but not its dates: far below 002.
    assert old.score < by_pair[(ZH, VI)].score / 3
    assert all(by_pair[(SHANGHAI, v)].score < 0.2 for v in (PREVIEW, VI, OLD))


def test_moving_the_dates_breaks_the_pair(seeds_dir):
    zh = load_document(seeds_dir / ZH)
    vi = load_document(seeds_dir / VI)
    moved_text = vi.text.replace("24-9", "3-12").replace("2024", "2022")
    moved = build_document(moved_text, "vi", path=seeds_dir / "moved.txt")
    result = pair_documents([zh, vi, moved])
    assert [names(p) for p in result.pairs] == [(ZH, VI)]
    assert [d.name for d in result.unpaired] == ["moved.txt"]


def test_cli_json(cli, seeds_dir):
    run = cli("pair", seeds_dir, "--json")
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    assert set(out) == {"pairs", "unpaired"}
    assert (out["pairs"][0]["zh"], out["pairs"][0]["vi"]) == (ZH, VI)
    assert all(set(p) == {"zh", "vi", "score", "reason"} for p in out["pairs"])
    assert isinstance(out["pairs"][0]["score"], float)
    assert {OLD, SHANGHAI} <= set(out["unpaired"])


def test_cli_table(cli, seeds_dir):
    run = cli("pair", seeds_dir)
    assert run.returncode == 0, run.stderr
    assert ZH in run.stdout and VI in run.stdout and "Unpaired" in run.stdout
    assert run.stdout.index(VI) < run.stdout.index("Unpaired")


def test_unreadable_file_is_reported_and_the_rest_paired(cli, seeds_dir, tmp_path):
    for name in (ZH, VI):
        shutil.copy(seeds_dir / name, tmp_path / name)
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    run = cli("pair", tmp_path, "--json")
    assert run.returncode == 0, run.stderr
    assert "photo.png" in run.stderr and "Traceback" not in run.stderr
    out = json.loads(run.stdout)
    assert [(p["zh"], p["vi"]) for p in out["pairs"]] == [(ZH, VI)]


@pytest.mark.parametrize("keep,missing", [((VI, OLD), "Chinese"), ((ZH, SHANGHAI), "Vietnamese")])
def test_folder_without_one_language_exits_2(cli, seeds_dir, tmp_path, keep, missing):
    for name in keep:
        shutil.copy(seeds_dir / name, tmp_path / name)
    run = cli("pair", tmp_path)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and str(tmp_path) in lines[0] and missing in lines[0], run.stderr
    assert run.stdout == ""


@pytest.mark.parametrize("target", ["no-such-folder", ZH])
def test_bad_path_exits_2_with_one_line(cli, seeds_dir, tmp_path, target):
    path = tmp_path / target if target != ZH else seeds_dir / ZH
    run = cli("pair", path)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and str(path) in lines[0]
    assert "Traceback" not in run.stderr


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(WorkbenchError, match="no Chinese and no Vietnamese report"):
        pair_directory(tmp_path)


def test_several_vi_reports_of_one_event_all_pair_ranked(seeds_dir):
    zh = load_document(seeds_dir / ZH)
    vi = load_document(seeds_dir / VI)
    # A shorter report of the same event: the first ten sentences of 002.
    short_text = "\n".join(s.text for s in vi.sentences[:10])
    short = build_document(short_text, "vi", path=seeds_dir / "short.txt")
    old = load_document(seeds_dir / OLD)
    result = pair_documents([zh, vi, short, old])
    assert {names(p) for p in result.pairs} == {(ZH, VI), (ZH, "short.txt")}
    assert result.pairs[0].score >= result.pairs[1].score
    assert [d.name for d in result.unpaired] == [OLD]


def test_pairs_reports_in_other_encodings_and_ignores_subfolders(seeds_dir, tmp_path):
    (tmp_path / "zh-gbk.txt").write_bytes((seeds_dir / ZH).read_text("utf-8").encode("gb18030"))
    (tmp_path / "vi-utf16.txt").write_bytes((seeds_dir / VI).read_text("utf-8").encode("utf-16"))
    (tmp_path / "nested").mkdir()
    shutil.copy(seeds_dir / OLD, tmp_path / "nested" / OLD)
    result = pair_directory(tmp_path)
    assert [names(p) for p in result.pairs] == [("zh-gbk.txt", "vi-utf16.txt")]
    assert result.unpaired == [] and result.skipped == []


# --- regressions of issue 10: anchors of any mix, calibration, names, page dates, scale ---

import re  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from tests.conftest import SHARED  # noqa: E402
from workbench import pairing  # noqa: E402

ZH_SALES = "销售额增长3%，利润增长2.7%。"
VI_SALES = "Doanh thu tăng 3%, lợi nhuận tăng 2,7%."


def seed(seeds_dir, name):
    return load_document(seeds_dir / name)


def without_digits(doc, name=None):
    """The same report with every number, date and year removed."""
    return build_document(re.sub(r"[0-9]+", "", doc.text), doc.lang, path=Path(name or doc.name))


def dated(doc, day, name=None):
    """The same report as a web page dated `day` (Document.meta["date"])."""
    copy = build_document(doc.text, doc.lang, path=Path(name or doc.name))
    copy.meta["date"] = day
    return copy


@pytest.mark.parametrize("command", [("pair", "--json"), ("run", "--mt", "none")])
def test_whole_and_decimal_percentage_do_not_crash(cli, tmp_path, command):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "zh.txt").write_text(ZH_SALES, encoding="utf-8")
    (tmp_path / "in" / "vi.txt").write_text(VI_SALES, encoding="utf-8")
    extra = ("--out", tmp_path / "out") if command[0] == "run" else ()
    run = cli(command[0], tmp_path / "in", *command[1:], *extra)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    if command[0] == "pair":
        out = json.loads(run.stdout)
        assert [(p["zh"], p["vi"]) for p in out["pairs"]] == [("zh.txt", "vi.txt")]
        assert "percentages 2.7%, 3%" in out["pairs"][0]["reason"]


_ZH_ANCHOR = st.sampled_from(["3%", "2.7%", "百分之五", "35个", "588万", "2024年", "9月24日", "24/09/2024",
                              "2024-09-24", "1,000名", "第十四次", "GDP", "COP26", "06:00", "3.5", "10"])
_VI_ANCHOR = st.sampled_from(["3%", "2,7%", "35 đoàn", "5,88 triệu", "năm 2024", "ngày 24 tháng 9",
                              "24-9", "24/09/2024", "1.000 người", "GDP", "COP26", "Torino", "3,5", "10"])


@settings(max_examples=40, deadline=None)
@given(st.lists(_ZH_ANCHOR, min_size=1, max_size=8), st.lists(_VI_ANCHOR, min_size=1, max_size=8))
def test_any_anchor_mix_pairs_without_error(zh_anchors, vi_anchors):
    zh = build_document("胡志明市会议：" + "，".join(zh_anchors) + "。", "zh", path=Path("z.txt"))
    vi = build_document("Hội nghị TP.HCM: " + ", ".join(vi_anchors) + ".", "vi", path=Path("v.txt"))
    result = pair_documents([zh, vi], threshold=0.0)
    assert all(isinstance(p.reason, str) and 0.0 <= p.score < 1.0 for p in result.pairs)


def test_dateless_pair_is_found_and_the_lone_report_stays_unpaired(seeds_dir):
    zh = without_digits(seed(seeds_dir, ZH))
    vi = without_digits(seed(seeds_dir, VI))
    result = pair_documents([zh, vi, seed(seeds_dir, PREVIEW), seed(seeds_dir, SHANGHAI)])
    assert names(result.pairs[0]) == (ZH, VI)
    assert not any(p.zh.name == SHANGHAI for p in result.pairs)
    assert SHANGHAI in {d.name for d in result.unpaired}
    # The threshold means the same with and without dates: both versions clear it.
    dated_pair = pair_documents([seed(seeds_dir, n) for n in (ZH, VI, PREVIEW, SHANGHAI)]).pairs[0]
    assert min(result.pairs[0].score, dated_pair.score) >= pairing.THRESHOLD
    assert "dates" not in result.pairs[0].reason and "dates 24/9" in dated_pair.reason


BOOK_ZH = ("作家Christine Ford的新书讲述了她与Brett Kavanaugh的童年友谊。新书发布会在书店举行，"
           "许多读者排队请她签名。她说，写作让她重新认识了自己的家乡。FBI前探员也出席了发布会。")
SENATE_VI = ("Ủy ban Tư pháp Thượng viện Mỹ đã yêu cầu FBI điều tra thêm về thẩm phán Brett Kavanaugh "
             "sau lời khai của bà Christine Blasey Ford. Cuộc bỏ phiếu được hoãn lại một tuần để chờ kết quả.")


@pytest.mark.parametrize("with_seeds", [False, True])
def test_latin_names_alone_do_not_pair(seeds_dir, with_seeds):
    book = build_document(BOOK_ZH, "zh", path=Path("book_zh.txt"))
    senate = build_document(SENATE_VI, "vi", path=Path("senate_vi.txt"))
    assert {"name:brett", "name:kavanaugh", "name:christine", "name:ford", "name:fbi"} <= (
        pairing._report(book).anchors & pairing._report(senate).anchors)
    others = [seed(seeds_dir, n) for n in (ZH, VI, SHANGHAI)] if with_seeds else []
    result = pair_documents([book, senate, *others])
    assert {"book_zh.txt", "senate_vi.txt"} <= {d.name for d in result.unpaired}
    candidate = next(p for p in pair_documents([book, senate, *others], threshold=0.0).pairs
                     if names(p) == ("book_zh.txt", "senate_vi.txt"))
    assert "shared names not counted" in candidate.reason and "Kavanaugh" not in candidate.reason


def test_names_count_beside_other_evidence(seeds_dir):
    zh, vi = seed(seeds_dir, ZH), seed(seeds_dir, VI)
    zh = build_document(zh.text + "\n来自Gdansk和Bremen的代表团也出席了会议。", "zh", path=zh.path)
    vi = build_document(vi.text + "\nCác đoàn đến từ Gdansk và Bremen cũng dự hội nghị.", "vi",
                        path=vi.path)
    pair = pair_documents([zh, vi, seed(seeds_dir, SHANGHAI)]).pairs[0]
    assert names(pair) == (ZH, VI) and "names Bremen, Gdansk" in pair.reason


def test_page_dates_on_both_reports_are_time_evidence(seeds_dir):
    zh = without_digits(seed(seeds_dir, ZH))
    vi = without_digits(seed(seeds_dir, VI))
    shanghai = seed(seeds_dir, SHANGHAI)
    plain = pair_documents([zh, vi, shanghai]).pairs[0]
    paged = pair_documents([dated(zh, "2024-09-24"), dated(vi, "2024-09-25"), shanghai]).pairs[0]
    assert names(paged) == (ZH, VI)
    assert "page dates 2024-09-24, 2024-09-25" in paged.reason
    assert "page date" not in plain.reason
    # Another year's page: the same words, but another edition of the event.
    other_year = pair_documents([dated(zh, "2024-09-24"), dated(vi, "2022-09-24"), shanghai],
                                threshold=0.0)
    pair = next(p for p in other_year.pairs if names(p) == (ZH, VI))
    assert pair.score < pairing.THRESHOLD
    assert "page dates differ (2024-09-24 vs 2022-09-24)" in pair.reason


def test_a_page_date_meets_the_other_reports_text_date(seeds_dir):
    zh = dated(without_digits(seed(seeds_dir, ZH)), "2024-09-25")
    vi = seed(seeds_dir, VI)                                    # "Sáng 24-9", no page date
    pair = pair_documents([zh, vi, seed(seeds_dir, SHANGHAI)]).pairs[0]
    assert names(pair) == (ZH, VI)
    assert "page date 2024-09-25 = 24/9" in pair.reason


def test_a_malformed_page_date_is_ignored(seeds_dir):
    zh = dated(seed(seeds_dir, ZH), "24 September")
    pair = pair_documents([zh, seed(seeds_dir, VI)]).pairs[0]
    assert names(pair) == (ZH, VI) and "page date" not in pair.reason


def test_only_blocked_candidates_are_scored(seeds_dir):
    # 40 zh and 40 vi reports of four seed sentences each (neighbours share three), each
    # with numbers of its own.
    zh_sents = [s.text for s in seed(seeds_dir, ZH).sentences]
    vi_sents = [s.text for s in seed(seeds_dir, VI).sentences]
    docs = []
    for k in range(40):
        facts = (f"本次共有{10000 + 37 * k}人参加，增长{k + 10}.5%。",
                 f"Có {10000 + 37 * k:,} người tham gia, tăng {k + 10},5%.".replace(",", ".", 1))
        for lang, sents, fact in (("zh", zh_sents, facts[0]), ("vi", vi_sents, facts[1])):
            lines = [sents[(k + i) % len(sents)] for i in range(4)] + [fact]
            docs.append(build_document("\n".join(lines), lang, path=Path(f"{lang}_{k:02d}.txt")))
    everything = pair_documents(docs, threshold=0.0)
    assert len(everything.pairs) <= 80 * pairing.CANDIDATES < 40 * 40
    # Each report's partner, the only one sharing its numbers, is among its candidates.
    scored = {names(p) for p in everything.pairs}
    assert {(f"zh_{k:02d}.txt", f"vi_{k:02d}.txt") for k in range(40)} <= scored


DEV_ZHVI = SHARED / "dev-zhvi"


@pytest.mark.skipif(not (DEV_ZHVI / "pair.gold.json").is_file(), reason="../shared/dev-zhvi is absent")
def test_dev_zhvi_pairs():
    gold_json = json.loads((DEV_ZHVI / "pair.gold.json").read_text())
    gold = set(gold_json["pairs"].items())
    lone = set(gold_json["unpaired_zh"]) | set(gold_json["unpaired_vi"])
    result = pair_directory(DEV_ZHVI / "pair")
    found = {names(p) for p in result.pairs}
    precision = len(found & gold) / len(found)
    recall = len(found & gold) / len(gold)
    assert 2 * precision * recall / (precision + recall) >= 0.95, (precision, recall)
    assert not lone & {name for pair in found for name in pair}
    assert lone <= {d.name for d in result.unpaired}


def test_reports_without_any_evidence_stay_unpaired(seeds_dir):
    bare_zh = build_document("会", "zh", path=Path("bare_zh.txt"))
    bare_vi = build_document("Và.", "vi", path=Path("bare_vi.txt"))
    result = pair_documents([bare_zh, bare_vi, seed(seeds_dir, ZH), seed(seeds_dir, VI)])
    assert [names(p) for p in result.pairs] == [(ZH, VI)]
    assert {d.name for d in result.unpaired} == {"bare_zh.txt", "bare_vi.txt"}
