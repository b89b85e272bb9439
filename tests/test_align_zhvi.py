"""zh/vi news without a translation model (../shared/dev-zhvi/align): true translations,
documents with merges and deletions, the per-document calibration and the signature."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SHARED
from workbench.align import align_sentences
from workbench.align.parallel import ParallelParams, align_parallel
from workbench.align.signals import build_signals
from workbench.evaluate import read_beads, score_alignments

DEV = SHARED / "dev-zhvi" / "align"


def _lines(path):
    return path.read_text(encoding="utf-8").splitlines()


def _docs(name):
    if not DEV.is_dir():
        pytest.skip("../shared/dev-zhvi is not beside the repo")
    folder = DEV / name
    return [(_lines(p), _lines(folder / f"{p.stem}.vi"), read_beads(folder / f"{p.stem}.gold.align"))
            for p in sorted(folder.glob("*.zh"))]


def _score(docs, mode="auto"):
    results = [align_sentences(zh, vi, "zh", "vi", mode=mode) for zh, vi, _ in docs]
    scores = score_alignments([g for *_, g in docs], [[(s, t) for s, t, _ in r.beads] for r in results])
    return results, scores


def test_auto_picks_parallel_for_true_translations():
    results, scores = _score(_docs("parallel"))
    assert [r.mode for r in results] == ["parallel"] * len(results), [r.reason for r in results if r.mode != "parallel"]
    # The expected length ratio is the documents' own, not a constant off by 1.5x for news.
    assert all("matched sentences" in r.reason for r in results)
    assert scores.strict.f1 >= 0.98


def test_deletions_stay_unaligned():
    """hard/: merged and deleted sentences. One-sided gold beads come out one-sided instead
    of being glued into a neighbour's bead; auto keeps the parallel model."""
    docs = _docs("hard")
    results, scores = _score(docs)
    assert all(r.mode == "parallel" for r in results)
    assert scores.strict.f1 >= 0.85
    gold_lone = {(k, b) for k, (*_, g) in enumerate(docs) for b in g if not (b[0] and b[1])}

    def lone(runs):
        return {(k, (tuple(s), tuple(t))) for k, beads in enumerate(runs) for s, t, _ in beads if not (s and t)}

    found = lone(r.beads for r in results)
    # Measured: 31 of 63 gold one-sided beads, 31 of the 34 predicted.
    assert len(gold_lone & found) >= 0.4 * len(gold_lone) and len(gold_lone & found) >= 0.85 * len(found)
    # Without calibration (one constant null, no length evidence) orphans are glued:
    # 2 one-sided beads predicted, strict F1 0.73.
    plain = [align_parallel(build_signals(zh, vi, "zh", "vi"), ParallelParams(rounds=0)) for zh, vi, _ in docs]
    assert len(lone(plain)) <= 0.1 * len(gold_lone)
    plain_scores = score_alignments([g for *_, g in docs], [[(s, t) for s, t, _ in b] for b in plain])
    assert scores.strict.f1 > plain_scores.strict.f1 + 0.1


def test_null_and_length_ratio_are_the_documents_own():
    docs = _docs("hard")
    zh, vi, _ = docs[5]
    info: dict = {}
    align_parallel(build_signals(zh, vi, "zh", "vi"), ParallelParams(), info)
    assert info["calibrated"] and info["null"] < 0
    # Sino-Vietnamese cognates on translated news separate links from the rest far less
    # than the documents' lengths say: the length evidence weighs, the null is small.
    assert 2.0 < info["len_ratio"] < 3.5
    assert -0.2 < info["null"] < 0


def test_chunked_scoring_and_refined_band_match_the_whole(dev_align_dir):
    """Bead scores computed a few rows at a time, and a band found coarse-to-fine, give
    the alignment the one-piece computation gives (what keeps memory linear)."""
    signals = build_signals(_lines(dev_align_dir / "004.zh"), _lines(dev_align_dir / "004.en"), "zh", "en",
                            src_en=_lines(dev_align_dir / "004.trans"), weights={"embed": 0.0})
    whole = align_parallel(signals, ParallelParams())
    chunked = align_parallel(signals, ParallelParams(chunk_rows=37))
    assert [(s, t) for s, t, _ in chunked] == [(s, t) for s, t, _ in whole]
    assert [sc for *_, sc in chunked] == pytest.approx([sc for *_, sc in whole], abs=1e-5)  # float32 sums
    gold = read_beads(dev_align_dir / "004.gold.align")
    refined = align_parallel(signals, ParallelParams(max_cells=2000))  # blocks of 5, then finer
    f1 = lambda beads: score_alignments([gold], [[(s, t) for s, t, _ in beads]]).strict.f1
    assert f1(refined) >= f1(whole) - 0.01


def test_signature_in_result_cli_and_aligned_file(cli, tmp_path):
    zh, vi = DEV / "hard" / "003.zh", DEV / "hard" / "003.vi"
    if not DEV.is_dir():
        pytest.skip("../shared/dev-zhvi is not beside the repo")
    result = align_sentences(_lines(zh), _lines(vi), "zh", "vi")
    sig = result.signature
    assert sig.startswith("align:2.6|mode:parallel|chosen:auto|signals:cognate*1+anchor*0.25|length:0.5|embed:none")
    assert f"null:{result.details['calibration']['null']:.4g}" in sig
    out = cli("align-sentences", zh, vi, "--tgt-lang", "vi", "--signed")
    assert out.returncode == 0, out.stderr
    assert f"signature: {sig}" in out.stderr
    assert out.stdout.splitlines()[0] == f"# aligner: {sig}"
    test = tmp_path / "003.align"
    test.write_text(out.stdout, encoding="utf-8")
    ev = cli("evaluate", "align", "--gold", DEV / "hard" / "003.gold.align", "--test", test)
    assert ev.returncode == 0, ev.stderr
    assert "signature: metric:thompson-koehn-2019" in ev.stdout and f"aligned by: {sig}" in ev.stdout


def test_aligned_file_header_is_signed(cli, tmp_path):
    proc = cli("align", "seeds/000_75ef3c063faf8c49.txt", "seeds/002_9180580ce9d8d433.txt", "--mt", "none",
               "--out-dir", tmp_path)
    assert proc.returncode == 0, proc.stderr
    header = json.loads(next(tmp_path.glob("*.jsonl")).read_text(encoding="utf-8").splitlines()[0])
    assert header["aligner"].startswith("align:2.6|mode:comparable|chosen:auto|signals:cognate")
    assert "embed:none" in header["aligner"]
