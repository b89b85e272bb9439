"""TMX export writes valid XML whatever the report text holds."""

from __future__ import annotations

from lxml import etree

from tests.review_support import sample_aligned
from workbench.store import make_bead, write_aligned

# Every C0 control, DEL, C1 controls, lone surrogates and the two non-characters XML 1.0 refuses.
HOSTILE = "".join(chr(c) for c in range(0x20)) + "\x7f\x85\x9f\ud800x\udfff\ufffe\uffff"


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
    tree = etree.parse(str(path.with_suffix(".tmx")))  # raises on anything XML cannot hold
    tus = tree.findall(".//tu")
    assert len(tus) == 5
    first = tus[0]
    segs = [seg.text for seg in first.iter("seg")]
    assert segs[0].endswith("\t\n\rxend") and "\x1b" not in segs[0] and "\x00" not in segs[0]
    assert segs[2].endswith("]52;c;aGVsbG8=")  # the English: controls gone, the words kept
    assert first.find("note").text == "abc"
    assert "\x1b" not in first.get("tuid") and "[2J" in first.get("tuid")

    tsv = cli("export", "tsv", str(path), "--out", "-")
    assert tsv.returncode == 0, tsv.stderr
    rows = tsv.stdout.split("\n")
    assert len(rows) == 1 + 5 + 1 and all(row.count("\t") == 8 for row in rows[:-1])
    assert "\x1b" not in tsv.stdout and "\x00" not in tsv.stdout
