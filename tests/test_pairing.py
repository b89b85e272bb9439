"""Pairing zh and vi reports of one event, on the seeds and through the real CLI."""

from __future__ import annotations

import json
import shutil

import pytest

from workbench.corpus import build_document, load_document
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
    for evidence in ("24/9", "2024", "35", "Phan Văn Mãi (潘文迈)", "cognates"):
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
