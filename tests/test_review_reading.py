"""Reading and deciding (issue 21), driven with the pilot: the wrapped view, c / x moving on, re-cuts
that keep a confirmed bead confirmed, taking a stray sentence out, `/` widened like the concordance,
Down from a query box, notifications that go, history and scores that say only what is known."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.support.glossary_seed_pairs import VI_FILE, seed_sentence, write_pairs
from tests.support.review_support import sample_aligned, write_sample
from tests.test_review_snapshots import svg_lines
from workbench.review.session import ReviewSession, score_of
from workbench.store.aligned import read_aligned
from workbench.tui.app import ReviewApp
from workbench.tui.widgets import DetailPanel

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def sample(tmp_path):
    return write_sample(tmp_path)


def drive(path, steps, *, size=(120, 40), glossary_dir=None, **app_options):
    async def run():
        app = ReviewApp(ReviewSession.open(path, glossary_dir=glossary_dir), **app_options)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            result = await steps(pilot, app)
            await pilot.press("q")
        return result
    return asyncio.run(run())


def screen_words(app) -> str:
    return " ".join(" ".join(line.split()) for line in svg_lines(app.export_screenshot()))


def table_words(app) -> str:
    """The text of the bead table only (the detail panel shows the bead in full anyway)."""
    table = app.table
    return " ".join(" ".join(table.render_line(y).text.split()) for y in range(table.size.height))


# ----- the wrapped view ---------------------------------------------------------------------------
def test_wrapped_view_shows_whole_sentences_and_the_cursor_stays_on_screen(sample):
    vi = sample_aligned().header["vi"]["sentences"][2]["text"]  # bead 3: the longest vi sentence
    zh = sample_aligned().header["zh"]["sentences"][4]["text"]

    async def steps(pilot, app):
        await pilot.press("down", "down")
        await pilot.pause()
        cut = table_words(app)
        await pilot.press("w")
        await pilot.pause()
        whole = table_words(app)
        table = app.table
        seen = []
        for key in ("down", "down", "end", "home", "pagedown", "pageup"):
            await pilot.press(key)
            await pilot.pause()
            layout = table._layout()
            seen.append((table.current, table.cursor in {row for row, _ in layout}))
        await pilot.press("end")
        await pilot.pause()
        last = table_words(app)
        await pilot.press("w")
        await pilot.pause()
        return cut, whole, seen, last, table.wrap, table.current
    cut, whole, seen, last, wrap, current = drive(sample, steps, size=(80, 24))
    assert "Ngoại giao" not in cut  # one line a side cuts bead 3's vi sentence...
    for word in vi.split():
        assert word in whole, word  # ...the wrapped view shows all of it
    assert all(ch in last.replace(" ", "") for ch in zh[-12:])  # bead 5's zh, wrapped, at the end
    assert seen[:2] == [(3, True), (4, True)] and seen[2] == (6, True) and seen[3] == (0, True)
    assert all(on_screen for _, on_screen in seen)
    assert not wrap and current == 6  # toggled back, on the same bead


def test_wrapped_view_keeps_edits_in_view(sample):
    async def steps(pilot, app):
        await pilot.press("w", "down", "m")  # merge beads 2 and 3 in the wrapped view
        await pilot.pause()
        return app.table.current, app.table.cursor in {row for row, _ in app.table._layout()}
    assert drive(sample, steps) == (1, True)
    assert [b.notation for b in read_aligned(sample).beads][1] == "[1, 2]:[1, 2]"


# ----- deciding -----------------------------------------------------------------------------------
def test_c_moves_on_to_the_next_bead_to_decide_unless_set_to_stay(tmp_path):
    sample = write_sample(tmp_path)
    async def moving(pilot, app):
        await pilot.press("c", "c", "x")
        return app.table.current
    assert drive(sample, moving) == 3
    assert [b.status for b in read_aligned(sample).beads[:4]] == ["confirmed", "confirmed", "rejected", "auto"]

    async def staying(pilot, app):
        await pilot.press("c")
        return app.table.current
    assert drive(write_sample(tmp_path, name="b.jsonl"), staying, advance=False) == 0  # --stay: c confirms bead 1 and stays

    async def toggled(pilot, app):
        app.review.action_toggle_advance()  # the palette's setting
        await pilot.press("down", "c")
        return app.table.current, app.advance
    assert drive(write_sample(tmp_path, name="c.jsonl"), toggled, advance=False) == (2, True)


def test_recuts_keep_a_confirmed_bead_confirmed(tmp_path):
    session = ReviewSession.open(write_sample(tmp_path), journal=False)
    try:
        session.confirm(0)
        session.merge_next(0)  # confirmed bead 1 + auto bead 2
        assert (session.beads[0].notation, session.beads[0].status) == ("[0, 1]:[0, 1]", "confirmed")
        session.split(0)
        assert [b.status for b in session.beads[:2]] == ["confirmed", "confirmed"]
        session.move_sentence(1, "zh", 1)  # the last zh sentence of bead 2 to bead 3 (auto)
        assert [b.status for b in session.beads[1:3]] == ["confirmed", "auto"]
        session.reject(3)
        session.merge_next(3)  # a rejected bead re-cut is undecided again
        assert session.beads[3].status == "auto"
    finally:
        session.close()


def test_take_a_stray_first_or_last_sentence_out_in_one_key(tmp_path):
    path = write_sample(tmp_path)
    session = ReviewSession.open(path, journal=False)
    session.merge_next(4)  # bead 5 [4]:[4] + the unaligned 会议全景 [5]:[] -> [4, 5]:[4], a stray caption
    session.confirm(4)
    session.close()

    async def steps(pilot, app):
        await pilot.press("end", "up")  # bead 5, [4, 5]:[4]
        await pilot.press("right_parenthesis")  # its last zh sentence out
        await pilot.pause()
        first = app.table.current
        await pilot.press("down", "down", "underscore")  # bead 7 []:[5] has one sentence: refused
        await pilot.pause()
        return first, [n.message for n in app._notifications]
    first, notes = drive(path, steps)
    beads = read_aligned(path).beads
    assert [(b.notation, b.status) for b in beads[4:6]] == [("[4]:[4]", "confirmed"), ("[5]:[]", "confirmed")]
    assert first == 4 and any("single sentence" in n for n in notes)
    session = ReviewSession.open(path, journal=False)
    try:
        session.take_out(0, "vi", 0)
        assert [b.notation for b in session.beads[:2]] == ["[]:[0]", "[0]:[]"]
    finally:
        session.close()


# ----- search -------------------------------------------------------------------------------------
@pytest.fixture
def torino(tmp_path):
    """Bead 1 names Turin only in Chinese (都灵); bead 2 is about something else."""
    glossary = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", glossary)
    vi = seed_sentence(VI_FILE, "Sáng 24-9, TP.HCM tổ chức")
    path = write_pairs(tmp_path / "torino.jsonl", [
        ("都灵市长斯特凡诺·洛·鲁索认为,城市的作用日益重要。", seed_sentence(VI_FILE, "Ảnh: NGUYỆT NHI"), None, None),
        ("会议全景", vi, None, None)])
    return path, glossary


def test_slash_search_uses_the_glossary_and_readings(torino):
    path, glossary = torino

    async def steps(pilot, app):
        found = {}
        for query in ("Torino", "Turin", "hội nghị"):
            await pilot.press("slash", *query, "enter")
            await pilot.pause()
            found[query] = list(app.table.rows)
            await pilot.press("escape")
        return found
    found = drive(path, steps, glossary_dir=glossary)
    assert found["Torino"] == [0] and found["Turin"] == [0]  # 都灵 through the glossary
    assert found["hội nghị"] == [1]  # the vi text has it as written


def test_first_down_from_the_search_box_is_the_first_hit(sample):
    async def steps(pilot, app):
        await pilot.press("end", "slash", *"Phan", "down")
        await pilot.pause()
        return app.table.has_focus, app.table.current, list(app.table.rows)
    focused, current, rows = drive(sample, steps)
    assert focused and rows == [2, 3] and current == 2


def test_first_down_from_the_concordance_query_is_the_first_hit(sample):
    from workbench.tui.screens import Concordance

    async def steps(pilot, app):
        await pilot.press("ctrl+f")
        await pilot.pause()
        await pilot.press(*"Phan", "enter")
        for _ in range(50):
            await pilot.pause(0.05)
            if app.screen.hits:
                break
        screen = app.screen
        before = screen.query_one("#query").has_focus
        await pilot.press("down")
        table = screen.query_one("#hits", DataTable)
        state = (before, table.has_focus, table.cursor_row, [h.index for h in screen.hits])
        await pilot.press("escape")
        assert isinstance(screen, Concordance)
        return state
    before, focused, row, hits = drive(sample, steps)
    assert before and focused and row == 0 and hits[:2] == [2, 3]


def test_search_counts_the_files_its_hits_are_in(cli, tmp_path):
    folder = tmp_path / "aligned"
    folder.mkdir()
    write_sample(folder, name="a.jsonl")
    b = sample_aligned()
    b.header["vi"]["sentences"][5]["text"] = "Ảnh: Hoàng Zebra"
    from workbench.store.aligned import make_bead, write_aligned

    b.beads[6] = make_bead(b.header, [], [5], 0.0)
    write_aligned(folder / "b.jsonl", b)
    done = cli("search", "zebra", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "1 bead in 1 file (2 files searched)"
    both = cli("search", "潘文迈", cwd=tmp_path)
    assert both.stdout.strip().splitlines()[-1].endswith("beads in 2 files")


# ----- what the screen says -----------------------------------------------------------------------
def test_notifications_go_when_the_reviewer_moves_on(sample):
    async def steps(pilot, app):
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        await pilot.press("down")
        await pilot.pause()
        return shown, len(app._notifications)
    shown, left = drive(sample, steps)
    assert shown == ["saved"] and left == 0
    assert ReviewApp.NOTIFICATION_TIMEOUT <= 3


def test_editing_an_empty_english_records_no_earlier_english(tmp_path):
    path = write_sample(tmp_path, english=False)
    session = ReviewSession.open(path, journal=False)
    try:
        session.edit_english(0, "zh", "35 delegations attend")
        session.edit_english(0, "zh", "35 delegations attended")
        first, second = session.beads[0].history
        assert "en" not in first and first["source"] == "none"
        assert second["en"] == "35 delegations attend" and second["source"] == "edit"
    finally:
        session.close()


def test_a_reviewers_link_without_shared_signal_shows_no_score(tmp_path):
    path = write_sample(tmp_path, english=False)

    async def steps(pilot, app):
        await pilot.press("end", "up", "l", "down", "l")  # link 会议全景 with "Ảnh: NGUYỆT NHI"
        await pilot.pause()
        return app.review.query_one(DetailPanel).plain, screen_words(app)
    panel, screen = drive(path, steps)
    bead = read_aligned(path).beads[5]
    assert bead.notation == "[5]:[5]" and score_of(bead) is None
    assert "no score: linked by the reviewer" in panel and "0.00" not in panel
    assert "会议全景" in screen and " 0.00" not in screen
