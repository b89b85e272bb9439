"""Concordance (`workbench search` and ctrl+f in the app) over every aligned file of a folder."""

from __future__ import annotations

import asyncio
import json

import pytest

from tests.support.review_support import sample_aligned, write_glossary, write_sample
from workbench.review.search import field_text, search
from workbench.store.aligned import make_bead, write_aligned


@pytest.fixture
def project(tmp_path):
    """aligned/ with the sample twice (a.jsonl, b.jsonl), b's first bead confirmed."""
    folder = tmp_path / "aligned"
    folder.mkdir()
    write_sample(folder, name="a.jsonl")
    b = sample_aligned()
    b.beads[0] = make_bead(b.header, [0], [0], 0.62, status="confirmed")
    write_aligned(folder / "b.jsonl", b)
    return folder


def test_a_han_name_finds_its_vietnamese_form_by_readings(project):
    result = search([project], "潘文迈")
    assert result.files == 2
    vi_hits = [(h.path.name, h.index, m) for h in result.hits for m in h.matches if m.field == "vi"]
    # bead 3 (Nguyễn Văn Nên, Phan Văn Mãi …) and bead 4 (… Phan Văn Mãi phát biểu) of both files
    assert sorted((name, index) for name, index, _ in vi_hits) == [("a.jsonl", 2), ("a.jsonl", 3),
                                                                   ("b.jsonl", 2), ("b.jsonl", 3)]
    hit = next(h for h in result.hits if h.index == 3)
    vi = next(m for m in hit.matches if m.field == "vi")
    assert hit.bead.vi_text[vi.start:vi.end] == "Phan Văn Mãi" and vi.via == "reading"
    zh = next(m for m in hit.matches if m.field == "zh")
    assert hit.bead.zh_text[zh.start:zh.end] == "潘文迈" and zh.via == "query"


def test_chinese_matches_across_traditional_and_simplified_characters(project):
    """A query typed in traditional characters (潘文邁) finds the simplified report text, with
    spans on the text as written, and its Vietnamese form by readings as before."""
    result = search([project], "潘文邁")
    zh = [(h.bead.zh_text[m.start:m.end], m.via) for h in result.hits for m in h.matches if m.field == "zh"]
    assert zh and set(zh) == {("潘文迈", "query")}
    assert {m.field for h in result.hits for m in h.matches} >= {"zh", "vi"}


def test_a_glossary_concept_finds_every_form(project, tmp_path):
    from workbench.glossary import load_glossary

    glossary = load_glossary(write_glossary(tmp_path / "glossary"))
    result = search([project], "Ho Chi Minh City", glossary)
    assert "胡志明市" in result.terms.zh and "TP.HCM" in result.terms.vi
    found = {(m.field, field_text(h.bead, m.field)[m.start:m.end], m.via) for h in result.hits for m in h.matches}
    assert ("zh", "胡志明市", "glossary") in found
    assert ("vi", "TP.HCM", "glossary") in found
    assert ("zh_en", "Ho Chi Minh City", "query") in found
    # without the glossary the English finds only itself
    plain = search([project], "Ho Chi Minh City")
    assert {m.field for h in plain.hits for m in h.matches} == {"zh_en"}


def test_vietnamese_accents_ignored_and_words_whole(project):
    assert search([project], "phan van mai").hits == search([project], "Phan Văn Mãi").hits
    assert not search([project], "Pha").hits  # no word starts a match inside another


def test_search_reads_the_review_journal(project):
    from workbench.review.session import ReviewSession

    session = ReviewSession.open(project / "a.jsonl", autosave_delay=3600, max_delay=3600)
    session.edit_english(0, "zh", "A freshly checked sentence about zebras")
    try:
        hits = search([project / "a.jsonl"], "zebras").hits
        assert [(h.path.name, h.index) for h in hits] == [("a.jsonl", 0)]
    finally:
        session.close()


def test_search_command(cli, project, tmp_path):
    done = cli("search", "潘文迈", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "aligned/a.jsonl:4" in done.stdout and "Phan Văn Mãi" in done.stdout
    assert done.stdout.rstrip().endswith("beads in 2 files")
    data = json.loads(cli("search", "潘文迈", "--json", cwd=tmp_path).stdout)
    assert {(h["file"], h["bead"]) for h in data["hits"]} >= {("aligned/a.jsonl", 4), ("aligned/b.jsonl", 4)}
    assert any(m["text"] == "Phan Văn Mãi" and m["via"] == "reading" for h in data["hits"] for m in h["matches"])
    nothing = cli("search", "zzzyx", cwd=tmp_path)
    assert nothing.returncode == 1 and nothing.stdout.strip().endswith("0 beads (2 files searched)")
    missing = cli("search", "x", "nowhere", cwd=tmp_path)
    assert missing.returncode == 2 and "nowhere: no such file or folder" in missing.stderr


def test_concordance_in_the_app_opens_the_hit_in_another_file(project, monkeypatch, tmp_path):
    from workbench.review.session import ReviewSession
    from workbench.tui.app import ReviewApp
    from workbench.tui.screens import Concordance

    monkeypatch.chdir(tmp_path)

    async def run():
        app = ReviewApp(ReviewSession.open(project / "a.jsonl"))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+f")
            await pilot.pause()
            assert isinstance(app.screen, Concordance)
            await pilot.press(*"潘文迈", "enter")
            for _ in range(50):
                await pilot.pause(0.05)
                if app.screen.hits:
                    break
            hits = app.screen.hits
            target = next(i for i, h in enumerate(hits) if h.path.name == "b.jsonl" and h.index == 3)
            for _ in range(target + 1):  # the first Down goes from the query box to the first hit
                await pilot.press("down")
            await pilot.press("enter")
            await pilot.pause()
            opened = (app.session.path.name, app.table.current)
            await pilot.press("c", "q")
        return opened

    assert asyncio.run(run()) == ("b.jsonl", 3)
    from workbench.store.aligned import read_aligned

    assert read_aligned(project / "b.jsonl").beads[3].status == "confirmed"
    assert not (project / "a.jsonl.lock").exists() and not (project / "b.jsonl.lock").exists()
