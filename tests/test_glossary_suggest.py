"""Name suggestions from Sino-Vietnamese readings on aligned seed sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.glossary_seed_pairs import VI_FILE, VI_FILE_2024_PREVIEW, ZH_FILE, seed_sentence, write_pairs
from workbench.glossary import load_glossary, match_names, suggest_from_aligned
from workbench.store.aligned import read_aligned

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def aligned(tmp_path) -> Path:
    return write_pairs(tmp_path / "pair.jsonl", [
        (seed_sentence(ZH_FILE, "主席潘文迈在开幕式致辞"),
         seed_sentence(VI_FILE, "Phan Văn Mãi phát biểu khai mạc"), None, None),
        (seed_sentence(ZH_FILE, "产业转型:发展经验与合作重点"),
         seed_sentence(VI_FILE, "Sáng 24-9, TP.HCM tổ chức hội nghị"), None, None),
        (seed_sentence(ZH_FILE, "白藤码头公园"),
         seed_sentence(VI_FILE_2024_PREVIEW, "công viên bến Bạch Đằng"), None, None),
        (seed_sentence(ZH_FILE, "胡志明市人民委员会主席潘文迈在开幕式致辞中表示"),
         seed_sentence(VI_FILE, "Chủ tịch UBND TP.HCM Phan Văn Mãi cho rằng"), None, None),
    ])


@pytest.fixture
def empty_glossary(tmp_path) -> Path:
    folder = tmp_path / "empty-glossary"
    folder.mkdir()
    (folder / "names.tsv").write_text("# names\nzh\tvi\ten\tnote\n", encoding="utf-8")
    return folder


def test_readings_match_names_syllable_by_syllable():
    assert match_names("胡志明市人民委员会主席潘文迈在开幕式致辞", "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu.") \
        == [("潘文迈", "Phan Văn Mãi")]
    # Same syllables, other characters: no match.
    assert match_names("潘文明在开幕式致辞", "ông Phan Văn Mãi phát biểu") == []


def test_suggests_names_of_both_reports_with_english(aligned, empty_glossary):
    found = {(s.zh, s.vi, s.en): s for s in suggest_from_aligned(read_aligned(aligned), load_glossary(empty_glossary))}
    mai = found[("潘文迈", "Phan Văn Mãi", "Phan Van Mai")]
    assert mai.kind == "name" and mai.evidence == ["bead [0]:[0]", "bead [3]:[3]"]
    assert ("白藤", "Bạch Đằng", "Bach Dang") in found
    assert len(found) == 2


def test_nothing_already_in_the_glossary(aligned):
    glossary = load_glossary(ROOT / "glossary")
    suggestions = suggest_from_aligned(read_aligned(aligned), glossary)
    assert "潘文迈" not in {s.zh for s in suggestions}
    for s in suggestions:
        assert glossary.lookup(s.zh, "zh") is None and glossary.lookup(s.vi, "vi") is None


def test_cli_suggest_prints_and_writes_only_when_told(cli, aligned, empty_glossary):
    target = empty_glossary / "names.tsv"
    before = target.read_text(encoding="utf-8")
    shown = cli("glossary", "suggest", str(aligned), "--glossary", str(empty_glossary))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.splitlines()[0].startswith("潘文迈\tPhan Văn Mãi\tPhan Van Mai\tname: reads Phan Văn Mại")
    assert shown.stdout.strip().splitlines()[-1] == "2 suggestion(s); --write adds them"
    assert target.read_text(encoding="utf-8") == before

    written = cli("glossary", "suggest", str(aligned), "--glossary", str(empty_glossary), "--write",
                  "--file", str(target))
    assert written.returncode == 0, written.stderr
    text = target.read_text(encoding="utf-8")
    assert text.startswith(before) and "潘文迈\tPhan Văn Mãi\tPhan Van Mai\t" in text
    assert cli("glossary", "check", str(empty_glossary)).returncode == 0
    again = cli("glossary", "suggest", str(aligned), "--glossary", str(empty_glossary))
    assert again.stdout.strip().splitlines()[-1] == "0 suggestion(s)"
