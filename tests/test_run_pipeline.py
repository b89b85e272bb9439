"""The main job end to end: `workbench run`, `align` and `export` through the real CLI."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import ROOT
from workbench.store.aligned import read_aligned

GOLD = ROOT / "tests" / "data" / "seed_000_002.gold.tsv"
ZH = "000_75ef3c063faf8c49.txt"
VI = "002_9180580ce9d8d433.txt"


def read_gold() -> list[tuple[str, str, str]]:
    rows = []
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            status, zh, vi = line.split("\t")
            rows.append((status, zh, vi))
    return rows


def sentence_ids(sentences: list[dict], fragment: str) -> set[int]:
    """Sentences that contain the fragment, or that the fragment contains."""
    return {i for i, s in enumerate(sentences) if fragment in s["text"] or s["text"] in fragment}


def links(aligned) -> set[tuple[int, int]]:
    return {(z, v) for b in aligned.beads if b.zh and b.vi for z in b.zh for v in b.vi}


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    """`workbench run seeds/ --mt none` once for the module."""
    from tests.conftest import run_cli
    import os

    out = tmp_path_factory.mktemp("aligned")
    env = dict(os.environ, WORKBENCH_DATA_DIR=str(out.parent / "data"), HF_HUB_OFFLINE="1",
               HF_HOME=str(out.parent / "hf"))
    proc = run_cli("run", "seeds", "--mt", "none", "--out", out, env=env)
    return proc, out


def test_run_on_seeds_writes_the_event_pair(seed_run):
    proc, out = seed_run
    assert proc.returncode == 0, proc.stderr
    written = sorted(p.name for p in out.glob("*.jsonl"))
    assert f"{Path(ZH).stem}__{Path(VI).stem}.jsonl" in written
    assert all("003_" not in name and "004_" not in name for name in written)
    assert "unpaired" in proc.stdout and "003_" in proc.stdout and "004_" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_run_without_model_says_so_once(tmp_path, cli):
    proc = cli("run", "seeds", "--out", tmp_path / "out")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("machine translation unavailable") == 1
    aligned = read_aligned(next((tmp_path / "out").glob("000_*__002_*.jsonl")))
    assert all(b.zh_en is None and b.vi_en is None for b in aligned.beads)
    assert aligned.header["models"] == {"zh": None, "vi": None}


def test_seed_pair_alignment_against_gold(seed_run):
    _, out = seed_run
    aligned = read_aligned(out / f"{Path(ZH).stem}__{Path(VI).stem}.jsonl")
    zh_sents, vi_sents = aligned.header["zh"]["sentences"], aligned.header["vi"]["sentences"]
    predicted = links(aligned)
    allowed: set[tuple[int, int]] = set()
    required_hit, required = 0, 0
    for status, zh, vi in read_gold():
        zh_ids, vi_ids = sentence_ids(zh_sents, zh), sentence_ids(vi_sents, vi)
        assert zh_ids and vi_ids, f"gold fragment not found in the segmented seeds: {zh} / {vi}"
        cells = {(z, v) for z in zh_ids for v in vi_ids}
        allowed |= cells
        if status == "required":
            required += 1
            required_hit += bool(cells & predicted)
    wrong = predicted - allowed
    detail = [(zh_sents[z]["text"][:40], vi_sents[v]["text"][:60]) for z, v in sorted(wrong)]
    assert not wrong, f"links not in the gold: {detail}"
    assert required_hit / required >= 0.8, f"recall {required_hit}/{required}"
    # The two links the product is judged on by name.
    caption = sentence_ids(zh_sents, "胡志明市人民委员会主席潘文迈在开幕式致辞")
    caption_vi = sentence_ids(vi_sents, "Phan Văn Mãi phát biểu khai mạc")
    assert {(z, v) for z in caption for v in caption_vi} & predicted
    quote = sentence_ids(zh_sents, "从传统产业转向高科技")
    quote_vi = sentence_ids(vi_sents, "ngành công nghiệp truyền thống")
    assert {(z, v) for z in quote for v in quote_vi} & predicted


def test_aligned_file_covers_every_sentence_once(seed_run):
    _, out = seed_run
    for path in out.glob("*.jsonl"):
        aligned = read_aligned(path)
        for side in ("zh", "vi"):
            ids = sorted(i for b in aligned.beads for i in getattr(b, side))
            assert ids == list(range(len(aligned.header[side]["sentences"]))), (path.name, side)
        assert all(0.0 <= b.score <= 1.0 and b.status == "auto" for b in aligned.beads)


def test_align_command_writes_atomically_named_file(tmp_path, cli):
    proc = cli("align", f"seeds/{VI}", f"seeds/{ZH}", "--mt", "none", "--out-dir", tmp_path)
    assert proc.returncode == 0, proc.stderr
    target = tmp_path / f"{Path(ZH).stem}__{Path(VI).stem}.jsonl"
    assert target.is_file()
    assert not list(tmp_path.glob(".*.tmp"))
    first = json.loads(target.read_text(encoding="utf-8").splitlines()[0])
    assert first["format"] == "workbench-aligned" and first["zh"]["file"] == ZH and first["vi"]["file"] == VI


def test_align_refuses_two_reports_of_one_language(tmp_path, cli):
    proc = cli("align", f"seeds/{ZH}", "seeds/004_9796523c0b21f5fd.txt", "--mt", "none", "--out-dir", tmp_path)
    assert proc.returncode == 2
    assert "one Chinese and one Vietnamese" in proc.stderr and "Traceback" not in proc.stderr


def _confirm_first_two(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    done = 0
    for n, line in enumerate(lines[1:], start=1):
        bead = json.loads(line)
        if bead["zh"] and bead["vi"] and done < 2:
            bead["status"] = "confirmed"
            lines[n] = json.dumps(bead, ensure_ascii=False)
            done += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_export_tmx_parses_and_has_three_languages(seed_run, tmp_path, cli):
    _, out = seed_run
    source = tmp_path / "pair.jsonl"
    source.write_bytes((out / f"{Path(ZH).stem}__{Path(VI).stem}.jsonl").read_bytes())
    _confirm_first_two(source)
    proc = cli("export", "tmx", source)
    assert proc.returncode == 0, proc.stderr
    tree = etree.parse(str(source.with_suffix(".tmx")))
    root = tree.getroot()
    assert root.tag == "tmx" and root.get("version") == "1.4"
    assert root.find("header").get("srclang") == "zh-CN"
    units = root.findall("body/tu")
    assert units
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for tu in units:
        langs = {tuv.get(lang) for tuv in tu.findall("tuv")}
        assert {"zh-CN", "vi-VN"} <= langs
        assert all(tuv.findtext("seg") for tuv in tu.findall("tuv"))

    proc = cli("export", "tmx", source, "--confirmed-only", "--out", tmp_path / "confirmed.tmx")
    assert proc.returncode == 0, proc.stderr
    confirmed = etree.parse(str(tmp_path / "confirmed.tmx")).getroot().findall("body/tu")
    assert len(confirmed) == 2
    assert all(tu.find("prop[@type='x-status']").text == "confirmed" for tu in confirmed)


def test_export_tsv_round_trips_texts(seed_run, tmp_path, cli):
    _, out = seed_run
    source = out / f"{Path(ZH).stem}__{Path(VI).stem}.jsonl"
    proc = cli("export", "tsv", source, "--include-auto", "--out", "-")  # every undecided link too
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(proc.stdout.splitlines(), delimiter="\t"))
    aligned = read_aligned(source)
    two_sided = [b for b in aligned.beads if b.zh and b.vi]
    assert len(rows) == len(two_sided)
    assert [r["zh"] for r in rows] == [b.zh_text for b in two_sided]


@pytest.mark.parametrize("content, message", [
    ("", "empty file"),
    ('{"format": "other"}\n', "not a workbench-aligned file"),
    ('{"format": "workbench-aligned", "version": 99}\n', "newer than this workbench reads"),
    ('{"format": "workbench-aligned", "version": 1, "zh": {}, "vi": {}}\n{"zh": [0], "vi": "x"\n', ":2:"),
])
def test_export_bad_aligned_file(tmp_path, cli, content, message):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(content, encoding="utf-8")
    proc = cli("export", "tmx", bad)
    assert proc.returncode == 2
    assert message in proc.stderr and str(bad) in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_run_with_models_fills_english_and_names_models(tmp_path, cli, tiny_model_zh, tiny_model_vi):
    out = tmp_path / "out"
    proc = cli("run", "seeds", "--out", out, "--model-zh", tiny_model_zh, "--model-vi", tiny_model_vi)
    assert proc.returncode == 0, proc.stderr
    assert "unavailable" not in proc.stderr
    aligned = read_aligned(next(out.glob("000_*__002_*.jsonl")))
    assert aligned.header["models"]["zh"].startswith(tiny_model_zh.name)
    assert aligned.header["models"]["vi"].startswith(tiny_model_vi.name)
    for side in ("zh", "vi"):
        sentences = aligned.header[side]["sentences"]
        assert all(isinstance(s["en"], str) for s in sentences)
    two_sided = [b for b in aligned.beads if b.zh and b.vi]
    assert two_sided and all(b.zh_en is not None and b.vi_en is not None for b in two_sided)
    # A second run translates nothing: every sentence comes from the translation memory.
    again = cli("translate", "seeds/000_75ef3c063faf8c49.txt", "--out", tmp_path / "en",
                "--model-zh", tiny_model_zh, "--model-vi", tiny_model_vi, "--no-progress")
    assert again.returncode == 0, again.stderr
    assert "(0 translated" in again.stderr


def test_align_with_one_model_translates_that_side_only(tmp_path, cli, tiny_model_zh):
    target = tmp_path / "pair.jsonl"
    proc = cli("align", f"seeds/{ZH}", f"seeds/{VI}", "--out", target, "--model-zh", tiny_model_zh)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("machine translation unavailable") == 1
    assert "opus-mt-vi-en" in proc.stderr
    aligned = read_aligned(target)
    assert aligned.header["models"]["zh"] and aligned.header["models"]["vi"] is None
    assert all(s["en"] for s in aligned.header["zh"]["sentences"] if s["text"])
    assert all(s["en"] is None for s in aligned.header["vi"]["sentences"])
