"""Term checks and `workbench glossary audit` on hand-made aligned files of seed sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.glossary_seed_pairs import VI_FILE, ZH_FILE, seed_sentence, write_pairs
from workbench.glossary import TermFixError, apply_term_fix, load_glossary, term_issues

ROOT = Path(__file__).resolve().parent.parent
ZH = seed_sentence(ZH_FILE, "主席潘文迈在开幕式致辞")
VI = seed_sentence(VI_FILE, "Phan Văn Mãi phát biểu khai mạc")
CORRECT_EN = "Phan Van Mai, Chairman of the Ho Chi Minh City People's Committee, spoke at the opening ceremony"
PINYIN_EN = "Pan Wenmai, Chairman of the Ho Chi Minh City People's Committee, spoke at the opening ceremony"


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(ROOT / "glossary")


def test_correct_rendering_has_no_issue(glossary):
    assert term_issues(ZH, "zh", CORRECT_EN, glossary) == []
    assert term_issues(VI, "vi", "Chairman of the People's Committee of Ho Chi Minh City Phan Van Mai "
                                 "gave the opening speech.", glossary) == []


def test_pinyin_rendering_is_found_located_and_fixed(glossary):
    [issue] = term_issues(ZH, "zh", PINYIN_EN, glossary)
    assert ZH[issue.src_start:issue.src_end] == "潘文迈"
    assert issue.expected == "Phan Van Mai" and issue.found == "Pan Wenmai"
    assert PINYIN_EN[issue.en_start:issue.en_end] == "Pan Wenmai"
    assert apply_term_fix(PINYIN_EN, issue) == CORRECT_EN
    # The English was edited since the check: the rendering is found again.
    assert apply_term_fix("Today " + PINYIN_EN, issue) == "Today " + CORRECT_EN


def test_accented_rendering_is_located_and_possessive_kept(glossary):
    english = "Phan Văn Mãi's speech opened the Friendship Dialogue."
    issue = next(i for i in term_issues(VI, "vi", english, glossary) if i.expected == "Phan Van Mai")
    assert issue.found == "Phan Văn Mãi's"
    assert apply_term_fix(english, issue).startswith("Phan Van Mai's speech")


def test_unlocatable_rendering_is_reported_not_guessed(glossary):
    english = "The chairman spoke at the opening ceremony of the conference"
    issues = term_issues(ZH, "zh", english, glossary)
    assert {i.expected for i in issues} == {"Phan Van Mai", "Chairman of the Ho Chi Minh City People's Committee"}
    name = next(i for i in issues if i.expected == "Phan Van Mai")
    assert not name.fixable and name.en_start is None
    with pytest.raises(TermFixError, match="edit it by hand"):
        apply_term_fix(english, name)


def test_no_english_means_nothing_to_check(glossary):
    assert term_issues(ZH, "zh", None, glossary) == []


def test_cli_audit_finds_planted_pinyin_only(cli, tmp_path):
    aligned = write_pairs(tmp_path / "pair.jsonl", [
        (ZH, VI, PINYIN_EN, "Chairman of the Ho Chi Minh City People's Committee Phan Van Mai opened the meeting."),
        (ZH, VI, CORRECT_EN, None),
    ])
    result = cli("glossary", "audit", str(aligned), "--glossary", str(ROOT / "glossary"))
    assert result.returncode == 1, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[:-1] == ['[0]:[0] zh "潘文迈" should be "Phan Van Mai" in English; found "Pan Wenmai"']
    assert lines[-1] == "1 term issue in 3 sentence(s) (1 without English, not checked)"


def test_cli_audit_clean_file_exits_0(cli, tmp_path):
    aligned = write_pairs(tmp_path / "pair.jsonl", [(ZH, VI, CORRECT_EN, None)])
    result = cli("glossary", "audit", str(aligned), "--glossary", str(ROOT / "glossary"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("0 term issues")


def test_cli_audit_bad_aligned_file(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"format": "workbench-aligned", "version": 1}\n{"zh": [0], \n', encoding="utf-8")
    result = cli("glossary", "audit", str(bad), "--glossary", str(ROOT / "glossary"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}:2: bead is not JSON")
