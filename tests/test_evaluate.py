"""Strict/lax P/R/F1 of bead files (Thompson & Koehn 2019) and bead-file parsing."""

from __future__ import annotations

import pytest

from workbench.errors import WorkbenchError
from workbench.evaluate import evaluate_files, format_bead, parse_bead, read_beads, score_alignments


def test_format_is_python_list_repr_and_round_trips():
    assert format_bead([0, 1], [2]) == "[0, 1]:[2]"
    assert format_bead([5], []) == "[5]:[]"
    assert parse_bead("[0, 1]:[2]") == ((0, 1), (2,))
    assert parse_bead(" []:[3] ") == ((), (3,))


def test_strict_and_lax_counts():
    gold = [((0,), (0,)), ((1, 2), (1,)), ((3,), ()), ((4,), (2, 3))]
    test = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), ()), ((4,), (2, 3))]
    s = score_alignments([gold], [test])
    # precision over all 5 test beads: strict hits [0]:[0], [3]:[], [4]:[2,3]; lax adds [1]:[1]
    assert s.strict.precision == pytest.approx(3 / 5)
    assert s.lax.precision == pytest.approx(4 / 5)
    # recall over the 3 two-sided gold beads: strict 2, lax 3 ([1,2]:[1] overlaps [1]:[1])
    assert s.strict.recall == pytest.approx(2 / 3)
    assert s.lax.recall == pytest.approx(1.0)
    p, r = 3 / 5, 2 / 3
    assert s.strict.f1 == pytest.approx(2 * p * r / (p + r))


def test_perfect_alignment_scores_one(dev_align_dir):
    gold = dev_align_dir / "004.gold.align"
    s = evaluate_files([gold], [gold])
    assert (s.strict.f1, s.lax.f1) == (1.0, 1.0)


def test_counts_are_summed_over_files():
    a = [((0,), (0,))]
    b = [((0,), (0,)), ((1,), (1,)), ((2,), (2,))]
    wrong = [((0,), (1,)), ((1,), (2,)), ((2,), (0,))]
    s = score_alignments([a, b], [a, wrong])
    assert s.strict.precision == pytest.approx(1 / 4)
    assert s.strict.recall == pytest.approx(1 / 4)


def test_malformed_line_names_file_and_line(tmp_path):
    f = tmp_path / "t.align"
    f.write_text("[0]:[0]\n\n[1, 2:[1]\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as err:
        read_beads(f)
    assert err.value.line == 3 and str(f) in str(err.value)


def test_empty_bead_and_empty_file_are_errors(tmp_path):
    with pytest.raises(WorkbenchError):
        parse_bead("[]:[]")
    f = tmp_path / "empty.align"
    f.write_text("\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="no beads"):
        read_beads(f)


def test_file_count_mismatch(tmp_path):
    f = tmp_path / "a.align"
    f.write_text("[0]:[0]\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="2 gold files but 1 test"):
        evaluate_files([f, f], [f])


def test_comments_are_skipped_and_aligner_signatures_kept(tmp_path):
    from workbench.evaluate import read_bead_file

    f = tmp_path / "t.align"
    f.write_text("# aligner: align:2.0|mode:parallel\n# any note\n[0]:[0]\n[1]:[]\n", encoding="utf-8")
    beads, signatures = read_bead_file(f)
    assert beads == [((0,), (0,)), ((1,), ())] and signatures == ["align:2.0|mode:parallel"]
    s = evaluate_files([f], [f])
    assert s.aligners == ("align:2.0|mode:parallel",)
    assert s.signature.startswith("metric:thompson-koehn-2019|strict+lax|") and "files:1|beads:gold=2,test=2" in s.signature
