"""`workbench align-sentences` and `workbench evaluate align`, run as a user would."""

from __future__ import annotations

import re

BEAD = re.compile(r"^\[(\d+(, \d+)*)?\]:\[(\d+(, \d+)*)?\]$")


def test_align_then_evaluate(cli, dev_align_dir, tmp_path):
    d = dev_align_dir
    out = cli("align-sentences", d / "004.zh", d / "004.en", "--src-en", d / "004.trans", "--mode", "parallel")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines and all(BEAD.match(line) for line in lines)
    src = [int(x) for line in lines for x in re.findall(r"\d+", line.split(":")[0])]
    assert src == list(range(len((d / "004.zh").read_text(encoding="utf-8").splitlines())))
    test = tmp_path / "004.test.align"
    test.write_text(out.stdout, encoding="utf-8")
    ev = cli("evaluate", "align", "--gold", d / "004.gold.align", "--test", test)
    assert ev.returncode == 0, ev.stderr
    lines = ev.stdout.splitlines()
    rows = {line.split()[0]: [float(x) for x in line.split()[1:]] for line in lines[1:3]}
    assert set(rows) == {"strict", "lax"}
    assert lines[3].startswith("signature: metric:thompson-koehn-2019|") and "files:1|" in lines[3]
    assert rows["strict"][2] > 0.85 and rows["lax"][2] > 0.98


def test_evaluate_several_files(cli, dev_align_dir):
    d = dev_align_dir
    ev = cli("evaluate", "align", "--gold", d / "001.gold.align", d / "002.gold.align",
             "--test", d / "001.gold.align", d / "002.gold.align")
    assert ev.returncode == 0, ev.stderr
    assert "strict" in ev.stdout and "1.0000" in ev.stdout


def test_auto_mode_says_why(cli, dev_align_dir, tmp_path):
    """The opening of a chapter (cut where a gold bead ends) is recognised as a translation."""
    d = dev_align_dir
    beads = (d / "004.gold.align").read_text(encoding="utf-8").splitlines()[:60]
    n_src = 1 + max(int(x) for line in beads for x in re.findall(r"\d+", line.split(":")[0]))
    n_tgt = 1 + max(int(x) for line in beads for x in re.findall(r"\d+", line.split(":")[1]))
    for ext, n in (("zh", n_src), ("en", n_tgt), ("trans", n_src)):
        lines = (d / f"004.{ext}").read_text(encoding="utf-8").splitlines()[:n]
        (tmp_path / f"part.{ext}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = cli("align-sentences", tmp_path / "part.zh", tmp_path / "part.en", "--src-en", tmp_path / "part.trans")
    assert out.returncode == 0, out.stderr
    assert "mode: parallel" in out.stderr


def _one_error(out, *needles):
    assert out.returncode == 2
    err = out.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err and "Traceback" not in out.stderr
    for needle in needles:
        assert needle in err, err


def test_src_en_line_count_mismatch(cli, dev_align_dir):
    d = dev_align_dir
    out = cli("align-sentences", d / "001.zh", d / "001.en", "--src-en", d / "004.trans")
    _one_error(out, f"{d / '004.trans'}:182:", "English")


def test_empty_input(cli, dev_align_dir, tmp_path):
    empty = tmp_path / "empty.zh"
    empty.write_text("", encoding="utf-8")
    out = cli("align-sentences", empty, dev_align_dir / "001.en")
    _one_error(out, str(empty))


def test_missing_file(cli, dev_align_dir, tmp_path):
    out = cli("align-sentences", tmp_path / "nope.zh", dev_align_dir / "001.en")
    _one_error(out, "nope.zh")


def test_gold_test_count_mismatch(cli, dev_align_dir):
    d = dev_align_dir
    out = cli("evaluate", "align", "--gold", d / "001.gold.align", d / "002.gold.align", "--test", d / "001.gold.align")
    _one_error(out, "2 gold files but 1 test")


def test_malformed_bead_line(cli, dev_align_dir, tmp_path):
    bad = tmp_path / "bad.align"
    bad.write_text("[0]:[0]\n[1]:[1]\n[2, 3]-[2]\n", encoding="utf-8")
    out = cli("evaluate", "align", "--gold", dev_align_dir / "001.gold.align", "--test", bad)
    _one_error(out, f"{bad}:3:")


def test_evaluate_needs_both_sides(cli, dev_align_dir):
    out = cli("evaluate", "align", "--gold", dev_align_dir / "001.gold.align")
    _one_error(out, "--test")
