"""New variants of an existing concept (`glossary add`, the review app's `g`): a term and the English
shared make a variant, written into the concept's own row; only the same zh, vi and en is a duplicate."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.errors import WorkbenchError
from workbench.glossary import add_entry, load_glossary

ROOT = Path(__file__).resolve().parent.parent


def _row_of(path: Path, zh: str) -> tuple[int, str]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.split("\t")[0].split("|")[0] == zh:
            return number, line
    raise LookupError(zh)


def test_cli_adds_a_vi_variant_to_the_concept_in_its_own_file(cli, gdir):
    hcmc = gdir / "hcmc.tsv"
    line, row = _row_of(hcmc, "智慧城市")
    assert row.split("\t")[:3] == ["智慧城市", "đô thị thông minh", "smart city"]
    added = cli("glossary", "add", "智慧城市", "thành phố thông minh", "smart city", "--file", str(gdir / "added.tsv"))
    assert added.returncode == 0, added.stderr
    assert added.stdout.strip() == (f"added vi 'thành phố thông minh' to the concept at {hcmc}:{line}: "
                                    "智慧城市 / đô thị thông minh|thành phố thông minh / smart city")
    assert _row_of(hcmc, "智慧城市") == (line, row.replace("đô thị thông minh", "đô thị thông minh|thành phố thông minh"))
    assert not (gdir / "added.tsv").exists()  # the concept grew in place: no second row for it
    assert load_glossary(gdir).lookup("thành phố thông minh", "vi").preferred == "smart city"
    assert cli("glossary", "check", str(gdir)).returncode == 0

    before = {p.name: p.read_bytes() for p in gdir.iterdir()}
    again = cli("glossary", "add", "智慧城市", "thành phố thông minh", "smart city", "--file", str(gdir / "added.tsv"))
    assert again.returncode == 1 and again.stdout == ""
    assert again.stderr.strip() == (f"already in the glossary: {hcmc}:{line}: 智慧城市 / đô thị thông minh|thành phố "
                                    "thông minh / smart city; nothing written")
    assert {p.name: p.read_bytes() for p in gdir.iterdir()} == before


def test_zh_and_english_variants_and_what_stays_a_conflict(cli, gdir):
    target = gdir / "added.tsv"
    zh = cli("glossary", "add", "智能城市", "đô thị thông minh", "smart city", "--file", str(target))
    assert zh.returncode == 0 and "added zh '智能城市'" in zh.stdout
    en = cli("glossary", "add", "智慧城市", "đô thị thông minh", "smart city|smart cities", "--file", str(target))
    assert en.returncode == 0 and "added en 'smart cities'" in en.stdout
    entry = load_glossary(gdir).lookup("智能城市", "zh")
    assert (entry.zh, entry.vi, entry.en) == (["智慧城市", "智能城市"], ["đô thị thông minh"], ["smart city", "smart cities"])
    # A term with other English is still a conflict (exit 2), nothing written.
    before = (gdir / "hcmc.tsv").read_bytes()
    clash = cli("glossary", "add", "智慧城市", "thành phố thông minh", "intelligent city", "--file", str(target))
    assert clash.returncode == 2 and clash.stderr.startswith("error: conflict:")
    assert (gdir / "hcmc.tsv").read_bytes() == before and not target.exists()


def test_a_variant_of_a_row_added_in_the_same_file_and_import_counts(gdir, tmp_path):
    target = gdir / "added.tsv"
    assert add_entry(target, "白藤", "Bạch Đằng", "Bach Dang").action == "added"
    result = add_entry(target, "白藤江", "Bạch Đằng", "Bach Dang", note="the river")
    assert result.action == "variant" and result.variants == [("zh", "白藤江")]
    assert target.read_text(encoding="utf-8").splitlines()[-1] == "白藤|白藤江\tBạch Đằng\tBach Dang\tthe river"
    assert result.entry.where == f"{target}:{len(target.read_text(encoding='utf-8').splitlines())}"


def test_terms_of_two_concepts_are_refused(tmp_path):
    folder = tmp_path / "g"
    folder.mkdir()
    names = folder / "names.tsv"
    names.write_text("zh\tvi\ten\tnote\n胡志明市\tTP.HCM\tHo Chi Minh City\t\n"
                     "西贡\tSài Gòn\tSaigon|Ho Chi Minh City\told name\n", encoding="utf-8")
    before = names.read_bytes()
    with pytest.raises(WorkbenchError, match=r"belong to 2 concepts .*names.tsv:2, .*names.tsv:3"):
        add_entry(folder / "added.tsv", "胡志明市", "Sài Gòn", "Ho Chi Minh City")
    assert names.read_bytes() == before and not (folder / "added.tsv").exists()
