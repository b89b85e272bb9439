"""`workbench evaluate mt`: BLEU and chrF through sacrebleu, on real dev-set English."""

from __future__ import annotations

from workbench.evaluate import score_translations


def test_identical_translation_scores_100_and_mt_scores_lower(dev_align_dir):
    refs = (dev_align_dir / "004.en").read_text(encoding="utf-8").splitlines()[:40]
    perfect = score_translations(refs, refs)
    assert round(perfect.bleu, 6) == 100.0 and round(perfect.chrf, 6) == 100.0
    shuffled = score_translations(refs[1:] + refs[:1], refs)
    assert shuffled.chrf < 50 and shuffled.bleu < 20


def test_cli_reports_scores_and_rejects_line_mismatch(tmp_path, cli, dev_align_dir):
    refs = (dev_align_dir / "004.en").read_text(encoding="utf-8").splitlines()[:30]
    ref = tmp_path / "ref.txt"
    ref.write_text("\n".join(refs) + "\n", encoding="utf-8")
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("\n".join(r.lower() for r in refs) + "\n", encoding="utf-8")
    ok = cli("evaluate", "mt", "--hyp", hyp, "--ref", ref)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("BLEU ") and "chrF" in ok.stdout and "(30 sentences)" in ok.stdout

    hyp.write_text("\n".join(refs[:20]) + "\n", encoding="utf-8")
    bad = cli("evaluate", "mt", "--hyp", hyp, "--ref", ref)
    assert bad.returncode == 2
    assert f"{hyp}:21:" in bad.stderr and "Traceback" not in bad.stderr
