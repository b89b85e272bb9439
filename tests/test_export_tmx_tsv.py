"""TMX and TSV exports: what CAT tools read, validated against the TMX 1.4b DTD."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from tests.support.review_support import sample_aligned, write_sample
from workbench.review.session import ReviewSession
from workbench.store.aligned import make_bead, write_aligned

DTD = etree.DTD(str(Path(__file__).parent / "data" / "tmx14.dtd"))
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Every C0 control, DEL, C1 controls, lone surrogates and the two non-characters XML 1.0 refuses.
HOSTILE = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\x9f\ud800x\udfff\ufffe\uffff"


def parse_valid(path: Path) -> etree._ElementTree:
    tree = etree.parse(str(path))  # raises on anything XML cannot hold
    assert DTD.validate(tree), DTD.error_log.filter_from_errors()
    return tree


def props(element) -> dict[str, str]:
    return {p.get("type"): p.text for p in element.findall("prop")}


def variants(tu) -> dict[str, str]:
    return {tuv.get(LANG): tuv.find("seg").text for tuv in tu.findall("tuv")}


@pytest.fixture
def reviewed(tmp_path):
    """The sample with bead 1 confirmed (its zh English a glossary post-edit of MT, with an MT
    warning), bead 2 confirmed with a reviewer's two-line English, bead 3 rejected; the rest undecided."""
    aligned = sample_aligned()
    zh = aligned.header["zh"]["sentences"]
    zh[0].update(en_source="glossary", en_mt="35 international local government delegations attend the 2024 "
                                             "Ho Chi Minh City friendly dialogue",
                 mt_warnings=["length_ratio: 0.3 of the source's tokens"])
    aligned.beads[0] = make_bead(aligned.header, [0], [0], 0.62, status="confirmed")
    aligned.beads[1] = make_bead(aligned.header, [1], [1], 0.81, status="confirmed", note="dates\nchecked")
    aligned.beads[1].vi_en = "On the morning of 24 September,\nHCMC held the dialogue."
    aligned.beads[1].history.append({"side": "vi", "en": "earlier", "source": "mt", "replaced_by": "edit"})
    aligned.beads[2] = make_bead(aligned.header, [2], [2], 0.44, status="rejected")
    path = tmp_path / "reviewed.jsonl"
    write_aligned(path, aligned)
    return path


def test_tmx_holds_confirmed_links_with_both_englishes(reviewed, cli):
    proc = cli("export", "tmx", str(reviewed))
    assert proc.returncode == 0, proc.stderr
    assert "2 links (confirmed); 2 undecided links left out (--include-auto adds them)" in proc.stdout
    tree = parse_valid(reviewed.with_suffix(".tmx"))
    tus = tree.findall(".//tu")
    # per link: the zh/vi bitext, then one unit for the English of each side
    assert [sorted(variants(tu)) for tu in tus] == [["vi-VN", "zh-CN"], ["en", "zh-CN"], ["en", "vi-VN"]] * 2
    bitext, zh_en, vi_en = tus[:3]
    assert props(bitext) == {"x-status": "confirmed", "x-score": "0.6200", "x-alignment": "aligner",
                             "x-en-zh": sample_aligned().beads[0].zh_en,
                             "x-en-vi": sample_aligned().beads[0].vi_en}
    # the zh English is MT post-edited with the glossary, with its warning; the model named as its creationtool
    assert props(zh_en) == {"x-status": "confirmed", "x-origin": "mt+glossary", "x-mt-model": "test",
                            "x-mt-warnings": "length_ratio: 0.3 of the source's tokens"}
    assert zh_en.findall("tuv")[1].get("creationtool") == "test"
    assert props(vi_en)["x-origin"] == "mt" and variants(vi_en)["en"] == sample_aligned().beads[0].vi_en
    # a reviewer's English: marked so, no model; the two lines became one, so did the note
    second = tus[3:6]
    assert props(second[2])["x-origin"] == "reviewer" and "x-mt-model" not in props(second[2])
    assert second[2].findall("tuv")[1].get("creationtool") is None
    assert variants(second[2])["en"] == "On the morning of 24 September, HCMC held the dialogue."
    assert second[0].find("note").text == "dates checked"
    assert all("\n" not in (seg.text or "") for seg in tree.iter("seg"))
    assert tree.find("header").get("srclang") == "zh-CN"


def test_include_auto_adds_the_undecided_links_marked_never_rejected_or_unaligned(reviewed, cli):
    out = reviewed.with_name("all.tmx")
    proc = cli("export", "tmx", str(reviewed), "--include-auto", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    tus = [tu for tu in parse_valid(out).findall(".//tu") if "vi-VN" in variants(tu) and "zh-CN" in variants(tu)]
    assert [props(tu)["x-status"] for tu in tus] == ["confirmed", "confirmed", "auto", "auto"]
    tuids = [tu.get("tuid") for tu in tus]
    assert not any(":[2]__" in t for t in tuids)  # the rejected link
    assert not any(":[]" in t for t in tuids)  # unaligned sentences have no partner and no score


def test_export_reads_the_review_journal(tmp_path, cli):
    path = write_sample(tmp_path)
    session = ReviewSession.open(path, autosave_delay=3600, max_delay=3600)
    session.confirm(3)  # journaled, not yet saved into the file
    try:
        proc = cli("export", "tsv", str(path), "--out", "-")
    finally:
        session.close()
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.strip().split("\n")
    assert len(rows) == 2 and rows[1].startswith("3\t3\t")


def test_tmx_is_valid_xml_for_control_characters(tmp_path, cli):
    aligned = sample_aligned()
    for side in ("zh", "vi"):
        aligned.header[side]["file"] += "\x1b[2J"
        for s in aligned.header[side]["sentences"][:2]:
            s["text"] = f"{s['text']}{HOSTILE}end"
            s["en"] = f"{s['en']}\x07\x1b]52;c;aGVsbG8=\x07"
    aligned.beads[:2] = [make_bead(aligned.header, [i], [i], 0.9, status="confirmed", note="a\x00b\x0cc")
                         for i in (0, 1)]
    path = tmp_path / "hostile.jsonl"
    write_aligned(path, aligned)

    proc = cli("export", "tmx", str(path))
    assert proc.returncode == 0, proc.stderr
    tus = parse_valid(path.with_suffix(".tmx")).findall(".//tu")
    assert len(tus) == 6
    first = tus[0]
    segs = [seg.text for seg in first.iter("seg")]
    assert segs[0].endswith(" xend") and "\x1b" not in segs[0] and "\x00" not in segs[0]
    assert variants(tus[1])["en"].endswith("]52;c;aGVsbG8=")  # the English: controls gone, the words kept
    assert first.find("note").text == "ab c"
    assert "\x1b" not in first.get("tuid") and "[2J" in first.get("tuid")

    tsv = cli("export", "tsv", str(path), "--out", "-")
    assert tsv.returncode == 0, tsv.stderr
    rows = tsv.stdout.split("\n")
    assert len(rows) == 1 + 2 + 1 and all(row.count("\t") == 10 for row in rows[:-1])
    assert "\x1b" not in tsv.stdout and "\x00" not in tsv.stdout


def test_glossary_audit_reads_the_review_journal(tmp_path, cli):
    from tests.support.review_support import write_glossary

    path = write_sample(tmp_path)
    glossary = write_glossary(tmp_path / "glossary")
    before = cli("glossary", "audit", str(path), "-g", str(glossary))
    assert '[3]:[3] zh "潘文迈" should be "Phan Van Mai"' in before.stdout
    session = ReviewSession.open(path, glossary_dir=glossary, autosave_delay=3600, max_delay=3600)
    session.edit_english(3, "zh", "Chairman Phan Van Mai of the People's Committee of Ho Chi Minh City spoke")
    try:
        after = cli("glossary", "audit", str(path), "-g", str(glossary))  # the edit is only in the journal
    finally:
        session.close()
    assert '[3]:[3] zh "潘文迈"' not in after.stdout and '[3]:[3] vi "Phan Văn Mãi"' in after.stdout
