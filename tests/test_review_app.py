"""The review app driven with Textual's pilot: every action, each checked in the saved file."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Static, TextArea
from textual.widgets.text_area import Selection

from tests.support.review_support import sample_aligned, write_glossary, write_sample
from workbench.review.session import ReviewSession
from workbench.store.aligned import dumps_aligned, read_aligned
from workbench.tui.app import ReviewApp
from workbench.tui.screens import AddTerm, EditText
from workbench.tui.widgets import DetailPanel

def drive(path, steps, *, glossary_dir=None, read_only=False, size=(120, 40), quit=True):
    """Open `path` in the app, run `steps(pilot, app)`, quit with q; returns what steps returned."""
    async def run():
        session = ReviewSession.open(path, read_only=read_only, glossary_dir=glossary_dir)
        app = ReviewApp(session)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            result = await steps(pilot, app)
            if quit:
                await pilot.press("q")
        return result
    return asyncio.run(run())


def keys(*sequence):
    async def steps(pilot, app):
        await pilot.press(*sequence)
        await pilot.pause()
    return steps


def status_text(app) -> str:
    return str(app.review.query_one("#status")._content)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no project glossary/ unless a test writes one


@pytest.fixture
def sample(tmp_path):
    return write_sample(tmp_path)


def notations(path) -> list[str]:
    return [b.notation for b in read_aligned(path).beads]


def test_confirm_reject_and_progress(sample):
    async def steps(pilot, app):
        await pilot.press("c", "down", "x", "down", "down", "c")
        await pilot.pause()
        return status_text(app)
    status = drive(sample, steps)
    assert "links confirmed 2/5, rejected 1 · unaligned zh 1, vi 1" in status
    assert [b.status for b in read_aligned(sample).beads[:4]] == ["confirmed", "rejected", "auto", "confirmed"]
    assert not sample.with_name(sample.name + ".lock").exists()  # released on quit


def test_next_goes_to_what_needs_a_decision(sample):
    async def steps(pilot, app):
        await pilot.press("down", "c", "down", "x", "home", "n")  # beads 2, 3 decided; from 1, n goes to 4
        await pilot.pause()
        await pilot.press("c")
        visited = [app.table.current]
        await pilot.press("n", "c", "n")  # bead 5, then around to bead 1: unaligned sentences are skipped
        await pilot.pause()
        return visited + [app.table.current]
    assert drive(sample, steps) == [3, 0]
    assert [b.status for b in read_aligned(sample).beads[:5]] == ["auto", "confirmed", "rejected", "confirmed",
                                                                    "confirmed"]


def test_link_two_unaligned_sentences(sample):
    async def steps(pilot, app):
        await pilot.press("end", "l")
        await pilot.pause()
        marked = "linking bead 7" in status_text(app)
        await pilot.press("up", "l")
        return marked
    assert drive(sample, steps)
    beads = read_aligned(sample).beads
    assert beads[-1].notation == "[5]:[5]" and beads[-1].zh_text == "会议全景"
    assert beads[-1].vi_text == "Ảnh: NGUYỆT NHI" and len(beads) == 6
    # the reviewer's link is a decision: confirmed, and scored like any bead (not 0, not "auto")
    assert beads[-1].status == "confirmed" and beads[-1].origin == "manual"
    from workbench.review.rescore import Rescorer
    assert beads[-1].score == Rescorer(read_aligned(sample).header).score([5], [5])


def test_link_shows_the_marked_bead_and_refuses_two_sided(sample):
    async def steps(pilot, app):
        await pilot.press("l")  # bead 1 has both sides: refused
        await pilot.press("end", "l")
        await pilot.pause()
        return status_text(app)
    assert "linking bead 7" in drive(sample, steps)
    assert notations(sample) == [b.notation for b in sample_aligned().beads]


def test_unlink(sample):
    drive(sample, keys("down", "down", "u"))
    assert notations(sample)[2:4] == ["[2]:[]", "[]:[2]"]


def test_merge_with_next(sample):
    drive(sample, keys("down", "m"))
    beads = read_aligned(sample).beads
    assert beads[1].notation == "[1, 2]:[1, 2]" and len(beads) == 6
    assert beads[1].zh_text.endswith("国际地方政府代表团出席。")


def test_split(sample):
    drive(sample, keys("down", "m", "s"))  # merge then split restores the beads
    assert notations(sample) == [b.notation for b in sample_aligned().beads]
    drive(sample, keys("s"))
    assert notations(sample)[:2] == ["[0]:[]", "[]:[0]"]


def test_move_sentences_to_neighbours(sample):
    drive(sample, keys("down", "right_square_bracket"))  # last zh of bead 2 goes down into bead 3
    assert notations(sample)[1:3] == ["[]:[1]", "[1, 2]:[2]"]
    drive(sample, keys("down", "down", "left_curly_bracket"))  # first vi of bead 3 goes up into bead 2
    assert notations(sample)[1:3] == ["[]:[1, 2]", "[1, 2]:[]"]


def edit_steps(key, text, save=True):
    async def steps(pilot, app):
        await pilot.press("down", "down", "down", key)
        await pilot.pause()
        assert isinstance(app.screen, EditText)
        app.screen.query_one(TextArea).text = text
        await pilot.press("ctrl+s" if save else "escape")
        await pilot.pause()
        return app.review.query_one(DetailPanel).plain
    return steps


def test_edit_english_of_each_side_keeps_the_mt_in_history(sample):
    mt = sample_aligned().beads[3]
    panel = drive(sample, edit_steps("e", "Chairman Phan Van Mai spoke at the opening\nof the dialogue"))
    assert "Chairman Phan Van Mai spoke at the opening" in panel
    drive(sample, edit_steps("E", "Chairman Phan Van Mai opened the dialogue."))
    bead = read_aligned(sample).beads[3]
    assert bead.zh_en == "Chairman Phan Van Mai spoke at the opening\nof the dialogue"
    assert bead.vi_en == "Chairman Phan Van Mai opened the dialogue."
    assert [(h["side"], h["en"], h["source"]) for h in bead.history] == [
        ("zh", mt.zh_en, "mt"), ("vi", mt.vi_en, "mt")]


def test_note(sample):
    async def steps(pilot, app):
        await pilot.press("down", "N")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "check the date: 24-9 vs 9月24日 "
        await pilot.press("ctrl+s")
        await pilot.pause()
        return app.review.query_one(DetailPanel).plain
    assert "note: check the date: 24-9 vs 9月24日" in drive(sample, steps)
    assert read_aligned(sample).beads[1].note == "check the date: 24-9 vs 9月24日"
    drive(sample, keys("down", "z"))  # nothing to undo in a new session: the note stays
    assert read_aligned(sample).beads[1].note == "check the date: 24-9 vs 9月24日"


def test_edit_english_cancelled_changes_nothing(sample):
    before = sample.read_bytes()
    drive(sample, edit_steps("e", "thrown away", save=False))
    assert sample.read_bytes() == before


def test_undo_redo_in_the_app(sample):
    original = dumps_aligned(read_aligned(sample))
    drive(sample, keys("c", "down", "m", "down", "u", "z", "z", "z"))
    assert dumps_aligned(read_aligned(sample)) == original
    drive(sample, keys("c", "down", "m", "z", "z", "y"))  # redo brings the confirm back only
    beads = read_aligned(sample).beads
    assert beads[0].status == "confirmed" and len(beads) == 7


def test_filter_cycles_and_edits_within_a_filter(sample):
    async def steps(pilot, app):
        await pilot.press("c", "f")  # to decide: bead 1 is decided, unaligned sentences need no decision
        await pilot.pause()
        todo = list(app.table.rows)
        await pilot.press("c")  # confirms bead 2 (the first row to decide)
        await pilot.press("f", "f")  # QA flags, then low score (< 0.5, links only)
        await pilot.pause()
        low = list(app.table.rows)
        shown = status_text(app)
        await pilot.press("f")  # unaligned sentences
        await pilot.pause()
        unaligned = list(app.table.rows)
        await pilot.press("f")
        await pilot.pause()
        return todo, low, shown, unaligned, list(app.table.rows)
    todo, low, shown, unaligned, every = drive(sample, steps)
    assert todo == [1, 2, 3, 4]
    assert low == [2] and "low score" in shown
    assert unaligned == [5, 6]
    assert every == list(range(7))
    assert [b.status for b in read_aligned(sample).beads[:3]] == ["confirmed", "confirmed", "auto"]


def test_search_then_confirm_the_hit(sample):
    async def steps(pilot, app):
        await pilot.press("slash", *"phan van mai", "enter")
        await pilot.pause()
        rows = list(app.table.rows)
        await pilot.press("c", "escape")
        await pilot.pause()
        return rows, list(app.table.rows)
    found, after_escape = drive(sample, steps)
    assert found == [2, 3]  # diacritics-free search finds Phan Văn Mãi
    assert after_escape == list(range(7))
    assert [b.status for b in read_aligned(sample).beads] == ["auto", "auto", "confirmed"] + ["auto"] * 4


def test_every_action_is_in_the_command_palette(sample):
    from workbench.tui.review_screen import ACTIONS

    async def steps(pilot, app):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        await pilot.press("down", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"move")
        await pilot.pause(0.3)
        found = [str(option.prompt) for option in app.screen.query("CommandList").first().options]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Merge")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        return titles, found
    titles, found = drive(sample, steps)
    for _, action, _, title in ACTIONS:
        if action != "quit":
            assert any(t.startswith(title + " (") for t in titles), title
    assert any(t.startswith("Filter: QA numbers and dates") for t in titles)
    # typing "move" offers the four move actions first
    assert sum("Move the" in line for line in found) == 4, found
    assert notations(sample)[1] == "[1, 2]:[1, 2]"


def test_autosave_while_running(sample):
    async def steps(pilot, app):
        await pilot.press("c")
        await pilot.pause(1.6)  # autosave: ~1 s after the last change
        return read_aligned(sample).beads[0].status
    assert drive(sample, steps) == "confirmed"


def test_read_only_never_writes(sample):
    before = sample.read_bytes()

    async def steps(pilot, app):
        await pilot.press("c", "m", "ctrl+s")
        await pilot.pause()
        return status_text(app)
    assert "READ-ONLY" in drive(sample, steps, read_only=True)
    assert sample.read_bytes() == before


def test_without_english_the_header_says_so_once(tmp_path):
    path = write_sample(tmp_path, english=False)

    async def steps(pilot, app):
        await pilot.press("c")
        await pilot.pause()
        return status_text(app), app.table.row_height
    status, height = drive(path, steps)
    assert status.count("no translation model") == 1 and height == 1
    assert read_aligned(path).beads[0].status == "confirmed"


def test_term_issues_listed_and_fixed_with_one_key(tmp_path):
    path = write_sample(tmp_path)
    glossary = write_glossary(tmp_path / "glossary")

    async def steps(pilot, app):
        await pilot.press("down", "down", "down")
        await pilot.pause()
        panel = app.review.query_one(DetailPanel).plain
        await pilot.press("1")  # first issue: the zh side's pinyin name
        await pilot.pause()
        middle = app.review.query_one(DetailPanel).plain
        await pilot.press("2")  # then the vi side's name left with its accents: still issue 2
        await pilot.pause()
        return panel, middle, app.review.query_one(DetailPanel).plain
    before, middle, after = drive(path, steps, glossary_dir=glossary)
    assert "Term issues" in before and "Phan Van Mai" in before
    assert " 1  zh 潘文迈" in before and " 2  vi Phan Văn Mãi" in before
    assert " 1  zh" not in middle and " 2  vi Phan Văn Mãi" in middle
    assert "Term issues" not in after
    bead = read_aligned(path).beads[3]
    assert "Phan Van Mai" in bead.zh_en and "Pan Wenmai" not in bead.zh_en
    assert bead.vi_en == "HCMC People's Committee Chairman Phan Van Mai gave the opening speech."
    assert [h["replaced_by"] for h in bead.history] == ["term fix", "term fix"]


def test_qa_filter(tmp_path):
    path = write_sample(tmp_path)
    glossary = write_glossary(tmp_path / "glossary")

    async def steps(pilot, app):
        await pilot.press("f", "f")
        await pilot.pause()
        return list(app.table.rows), status_text(app)
    rows, status = drive(path, steps, glossary_dir=glossary)
    # beads 3 and 5 say "the city" for 胡志明市; bead 4 has "Pan Wenmai" and an accented "Phan Văn Mãi";
    # bead 3 also names Nguyễn Văn Nên, whom its zh sentence does not; bead 1 gives 35 in zh only
    assert rows == [0, 2, 3, 4] and "QA flags" in status


def add_term_steps(zh_term, vi_term, english):
    async def steps(pilot, app):
        await pilot.press("down", "down", "down", "g")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, AddTerm)
        for name, term in (("zh", zh_term), ("vi", vi_term)):
            area = screen.query_one(f"#{name}-text", TextArea)
            start = area.text.index(term)
            area.selection = Selection((0, start), (0, start + len(term)))
        await pilot.pause()
        screen.query_one("#en", Input).value = english
        fields = [screen.query_one(f"#{n}", Input).value for n in ("zh", "vi")]
        await pilot.press("ctrl+s")
        await pilot.pause()
        still_open = isinstance(app.screen, AddTerm)
        error = str(screen.query_one("#error", Static).render()) if still_open else ""
        if still_open:
            await pilot.press("escape")
        return fields, error, still_open
    return steps


def test_add_glossary_entry_from_selected_text(tmp_path):
    path = write_sample(tmp_path)
    glossary = write_glossary(tmp_path / "glossary")
    # bead 4: 胡志明市人民委员会主席潘文迈在开幕式致辞 / Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc.
    fields, error, still_open = drive(path, add_term_steps("人民委员会", "Chủ tịch UBND", "People's Committee chairman"),
                                      glossary_dir=glossary)
    assert fields == ["人民委员会", "Chủ tịch UBND"]
    assert not still_open and error == ""
    rows = "".join(p.read_text(encoding="utf-8") for p in glossary.glob("*.tsv"))
    assert "人民委员会\tChủ tịch UBND\tPeople's Committee chairman" in rows


def test_add_glossary_entry_conflict_is_refused_with_the_reason(tmp_path):
    path = write_sample(tmp_path)
    glossary = write_glossary(tmp_path / "glossary")
    before = {p.name: p.read_text(encoding="utf-8") for p in glossary.glob("*.tsv")}
    # 潘文迈 is already in the glossary with another English
    fields, error, still_open = drive(path, add_term_steps("潘文迈", "Phan Văn Mãi", "Pan Wenmai"), glossary_dir=glossary)
    assert fields == ["潘文迈", "Phan Văn Mãi"]
    assert still_open and error.startswith("not added:") and "潘文迈" in error
    assert {p.name: p.read_text(encoding="utf-8") for p in glossary.glob("*.tsv")} == before


def test_keys_typed_in_a_dialog_never_edit_the_beads(sample):
    async def steps(pilot, app):
        await pilot.press("down", "down", "down", "g")  # the add-term dialog, focus in a read-only text
        await pilot.pause()
        await pilot.press("c", "m", "x", "u", "z")
        await pilot.pause()
        assert isinstance(app.screen, AddTerm)
        await pilot.press("escape")
    drive(sample, steps)
    assert [b.status for b in read_aligned(sample).beads] == ["auto"] * 7
    assert notations(sample) == [b.notation for b in sample_aligned().beads]
