"""Adding rows (atomic, keeps comments and order, refuses conflicts) and TBX/CSV exchange."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from lxml import etree

from workbench.errors import WorkbenchError
from workbench.glossary import add_entry, load_glossary
from workbench.glossary.exchange import TBX_NS, export_tbx, import_csv, import_tbx

ROOT = Path(__file__).resolve().parent.parent


def test_add_keeps_comments_and_order(gdir):
    path = gdir / "hcmc.tsv"
    before = path.read_text(encoding="utf-8")
    result = add_entry(path, "白藤", "Bạch Đằng", "Bach Dang", note="place name")
    assert result.action == "added"
    after = path.read_text(encoding="utf-8")
    assert after == before + "白藤\tBạch Đằng\tBach Dang\tplace name\n"
    assert result.entry.line == len(after.splitlines())
    assert load_glossary(gdir).lookup("白藤", "zh").preferred == "Bach Dang"
    assert add_entry(path, "白藤", "Bạch Đằng", "Bach Dang").action == "exists"
    assert path.read_text(encoding="utf-8") == after


def test_add_refuses_conflict_and_force_replaces_in_place(gdir):
    path = gdir / "hcmc.tsv"
    before = path.read_text(encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"conflict: .*hcmc.tsv:\d+ .*'Phan Van Mai'"):
        add_entry(path, "潘文迈", "Phan Văn Mãi", "Pan Wenmai")
    assert path.read_text(encoding="utf-8") == before
    result = add_entry(path, "潘文迈", "Phan Văn Mãi", "Phan V. Mai", force=True)
    assert result.action == "replaced" and result.replaced[0].preferred == "Phan Van Mai"
    glossary = load_glossary(gdir)
    assert glossary.lookup("潘文迈", "zh").preferred == "Phan V. Mai"
    assert len(glossary.entries) == len(load_glossary(ROOT / "glossary").entries)


def test_add_rejects_bad_cells_and_creates_new_files(tmp_path):
    with pytest.raises(WorkbenchError, match="empty vi cell"):
        add_entry(tmp_path / "new.tsv", "白藤", "", "Bach Dang")
    assert not (tmp_path / "new.tsv").exists()
    add_entry(tmp_path / "new.tsv", "白藤|白藤江", "Bạch Đằng", "Bach Dang")
    assert [e.zh for e in load_glossary(tmp_path / "new.tsv").entries] == [["白藤", "白藤江"]]


def test_cli_add_conflict_is_exit_2_and_force_works(cli, gdir):
    path = gdir / "hcmc.tsv"
    refused = cli("glossary", "add", "潘文迈", "Phan Văn Mãi", "Pan Wenmai", "--file", str(path))
    assert refused.returncode == 2 and refused.stderr.startswith("error: conflict:")
    forced = cli("glossary", "add", "潘文迈", "Phan Văn Mãi", "Phan V. Mai", "--file", str(path), "--force")
    assert forced.returncode == 0, forced.stderr
    assert "replaced" in forced.stdout
    assert cli("glossary", "check", str(gdir)).returncode == 0


def test_tbx_export_is_tbx_basic_and_round_trips(tmp_path):
    glossary = load_glossary(ROOT / "glossary")
    xml = export_tbx(glossary.entries)
    root = etree.fromstring(xml.encode("utf-8"))
    assert root.tag == f"{{{TBX_NS}}}tbx" and root.get("type") == "TBX-Basic"
    concepts = root.findall(f".//{{{TBX_NS}}}conceptEntry")
    assert len(concepts) == len(glossary.entries)
    langs = [sec.get("{http://www.w3.org/XML/1998/namespace}lang") for sec in concepts[0]
             if sec.tag == f"{{{TBX_NS}}}langSec"]
    assert langs == ["zh", "vi", "en"]
    path = tmp_path / "g.tbx"
    path.write_text(xml, encoding="utf-8")
    back = import_tbx(path)
    assert [(e.zh, e.vi, e.en, e.note) for e in back] == [(e.zh, e.vi, e.en, e.note) for e in glossary.entries]


def test_tbx_v2_import_and_bad_tbx_line(tmp_path):
    v2 = tmp_path / "v2.tbx"
    v2.write_text("""<?xml version="1.0"?>
<martif type="TBX"><text><body>
<termEntry id="t1">
  <langSet xml:lang="zh-CN"><tig><term>白藤</term></tig></langSet>
  <langSet xml:lang="vi-VN"><tig><term>Bạch Đằng</term></tig></langSet>
  <langSet xml:lang="en-US"><tig><term>Bach Dang</term></tig></langSet>
</termEntry>
<termEntry id="t2">
  <langSet xml:lang="zh-CN"><tig><term>潘文迈</term></tig></langSet>
  <langSet xml:lang="en-US"><tig><term>Phan Van Mai</term></tig></langSet>
</termEntry>
</body></text></martif>
""", encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        import_tbx(v2)
    assert info.value.line == 8 and "no vi term" in str(info.value)
    broken = tmp_path / "broken.tbx"
    broken.write_text("<tbx>\n<text>\n</tbx>\n", encoding="utf-8")
    with pytest.raises(WorkbenchError) as info:
        import_tbx(broken)
    assert info.value.line == 3 and "not well-formed" in str(info.value)


def test_csv_round_trip_through_cli(cli, gdir, tmp_path):
    out = tmp_path / "g.csv"
    exported = cli("glossary", "export", "csv", "--out", str(out), "--glossary", str(gdir))
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["zh", "vi", "en", "note"] and len(rows) == len(load_glossary(gdir).entries) + 1
    assert import_csv(out)[0].zh == load_glossary(gdir).entries[0].zh
    target = tmp_path / "imported" / "all.tsv"
    imported = cli("glossary", "import", "csv", str(out), "--file", str(target))
    assert imported.returncode == 0, imported.stderr
    assert [e.row() for e in load_glossary(target).entries] == [e.row() for e in load_glossary(gdir).entries]
    again = cli("glossary", "import", "csv", str(out), "--file", str(target))
    assert again.stdout.startswith("0 added, 0 replaced,")


def test_cli_import_bad_csv_names_line(cli, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("zh,vi,en,note\n白藤,Bạch Đằng,Bach Dang,\n潘文迈,,Phan Van Mai,\n", encoding="utf-8")
    result = cli("glossary", "import", "csv", str(bad), "--file", str(tmp_path / "g.tsv"))
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {bad}:3: cannot add the row: empty vi cell")
    assert not (tmp_path / "g.tsv").exists()
