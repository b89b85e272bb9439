"""Glossary files: every defect reported with file and line; the seed glossary is clean and grounded."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.glossary import GlossaryError, check_files, load_glossary

ROOT = Path(__file__).resolve().parent.parent
HEADER = "zh\tvi\ten\tnote\n"
GOOD = "潘文迈\tPhan Văn Mãi\tPhan Van Mai\tperson\n"

# (name, file content, expected line, expected words in the message)
BROKEN = [
    ("columns", HEADER + GOOD + "白藤\tBạch Đằng\n", 3, "expected 4 tab-separated columns"),
    ("too many columns", HEADER + "白藤\tBạch Đằng\tBach Dang\tnote\textra\n", 2, "found 5"),
    ("empty zh", "# c\n" + HEADER + "\tBạch Đằng\tBach Dang\t\n", 3, "empty zh cell"),
    ("empty en", HEADER + GOOD + "白藤\tBạch Đằng\t\tplace\n", 3, "empty en cell"),
    ("empty variant", HEADER + "白藤\tBạch Đằng|\tBach Dang\t\n", 2, "empty variant in the vi cell"),
    ("stray whitespace", HEADER + "白藤\tBạch Đằng \tBach Dang\t\n", 2, "stray whitespace in the vi cell"),
    ("stray space around bar", HEADER + "白藤\tBạch Đằng\tBach Dang | Bach-Dang\t\n", 2,
     "stray whitespace in the en cell"),
    ("double space", HEADER + "白藤\tBạch  Đằng\tBach Dang\t\n", 2, "stray whitespace"),
    ("not NFC", HEADER + "白藤\t" + unicodedata.normalize("NFD", "Bạch Đằng") + "\tBach Dang\t\n", 2, "NFC"),
    ("zh without Han", HEADER + "Bach\tBạch Đằng\tBach Dang\t\n", 2, "no Chinese character"),
    ("vi ends with punctuation", HEADER + "白藤\tBạch Đằng.\tBach Dang\t\n", 2, "begin and end with a letter"),
    ("duplicate concept", HEADER + GOOD + "# again\n" + "潘文迈\tPhan Văn Mãi\tPhan Van Mai\t\n", 4,
     "duplicate concept"),
    ("conflict zh", HEADER + GOOD + "潘文迈\tPhan Văn Mại\tPan Wenmai\t\n", 3, "conflict: zh term '潘文迈'"),
    ("conflict vi case-insensitive", HEADER + GOOD + "潘文卖\tphan văn mãi\tPhan V. Mai\t\n", 3,
     "conflict: vi term"),
    ("no header", GOOD, 1, "header"),
    ("variant twice", HEADER + "白藤\tBạch Đằng|bạch đằng\tBach Dang\t\n", 2, "listed twice"),
]


@pytest.mark.parametrize("name,content,line,words", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_gets_message_and_line(tmp_path, name, content, line, words):
    path = tmp_path / "g.tsv"
    path.write_text(content, encoding="utf-8")
    problems = check_files(path).problems
    assert problems, name
    assert any(p.line == line and words in p.message and p.path == path for p in problems), \
        [str(p) for p in problems]
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    assert isinstance(info.value, WorkbenchError) and info.value.problems == problems


def test_invalid_utf8_names_its_line_and_keeps_reading(tmp_path):
    path = tmp_path / "g.tsv"
    path.write_bytes(HEADER.encode() + GOOD.encode() + "河内".encode("gb18030") + b"\tH\xe0 N\xf4i\tHanoi\t\n"
                     + "白藤\tBạch Đằng\tBach Dang\t\n".encode())
    result = check_files(path)
    assert [(p.line, "invalid UTF-8" in p.message) for p in result.problems] == [(3, True)]
    assert [e.zh for e in result.entries] == [["潘文迈"], ["白藤"]]


def test_conflict_across_files_names_both(tmp_path):
    (tmp_path / "a.tsv").write_text(HEADER + GOOD, encoding="utf-8")
    (tmp_path / "b.tsv").write_text(HEADER + "\n# names\n潘文迈\tPhan Văn Mãi\tPan Wenmai\t\n", encoding="utf-8")
    problems = check_files(tmp_path).problems
    assert len(problems) == 1
    assert problems[0].path == tmp_path / "b.tsv" and problems[0].line == 4
    assert "a.tsv:2" in problems[0].message


def test_seed_glossary_loads_with_enough_concepts():
    glossary = load_glossary(ROOT / "glossary")
    assert len(glossary.entries) >= 40
    assert [e.id for e in glossary.entries] == list(range(len(glossary.entries)))
    mai = glossary.lookup("潘文迈", "zh")
    assert mai.vi == ["Phan Văn Mãi"] and mai.preferred == "Phan Van Mai"


def test_every_seed_row_is_grounded_in_the_seeds(seeds_dir):
    text = unicodedata.normalize("NFC", "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in sorted(seeds_dir.glob("*.txt"))))
    lowered = text.lower()
    glossary = load_glossary(ROOT / "glossary")
    ungrounded = [e.where for e in glossary.entries
                  if not any(t in text for t in e.zh) and not any(t.lower() in lowered for t in e.vi)]
    assert ungrounded == []


def test_cli_check_passes_on_seed_glossary(cli):
    result = cli("glossary", "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("ok: ")


def test_cli_check_lists_problems_and_exits_1(cli, tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text(HEADER + GOOD + "白藤\tBạch Đằng\n" + "潘文迈\tPhan Văn Mãi\tPan Wenmai\t\n", encoding="utf-8")
    result = cli("glossary", "check", str(bad), str(ROOT / "glossary"))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"{bad}:3: expected 4")
    assert any(line.startswith(f"{bad}:4: conflict") for line in lines)
    # The seed row for 潘文迈 repeats bad.tsv:2, which was read first.
    assert any("hcmc.tsv:" in line and "duplicate concept" in line for line in lines)
    assert lines[-1].startswith("3 problems")


def test_cli_missing_glossary_is_a_one_line_error(cli, tmp_path):
    result = cli("glossary", "check", str(tmp_path / "nope.tsv"))
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {tmp_path / 'nope.tsv'}: no such glossary file or folder"
    assert "Traceback" not in result.stderr
