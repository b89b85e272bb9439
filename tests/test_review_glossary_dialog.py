"""The `g` dialog (add a glossary entry) driven with the pilot: where Tab goes, visible focus, long
text and titles shown whole at 80 and 120 columns, the Vietnamese term's case, variants and duplicates."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input, Static, TextArea
from textual.widgets.text_area import Selection

from tests.support.review_support import write_glossary, write_sample
from tests.test_review_snapshots import svg_lines
from workbench.glossary.termcase import glossary_case
from workbench.review.session import ReviewSession
from workbench.tui.app import ReviewApp
from workbench.tui.screens import AddTerm


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def in_dialog(path, glossary, steps, size=(120, 40), bead=3):
    """Open the app on `path`, go to bead `bead` (0-based), press g, run `steps(pilot, app, screen)`."""
    async def run():
        session = ReviewSession.open(path, glossary_dir=glossary)
        app = ReviewApp(session)
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await pilot.press(*["down"] * bead, "g")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, AddTerm)
            result = await steps(pilot, app, screen)
            if isinstance(app.screen, AddTerm):
                await pilot.press("escape")
            await pilot.press("q")
        return result
    return asyncio.run(run())


def select(screen, name: str, term: str) -> None:
    area = screen.query_one(f"#{name}-text", TextArea)
    start = area.text.index(term)
    area.selection = Selection(area.document.get_location_from_index(start),
                               area.document.get_location_from_index(start + len(term)))


def test_tab_goes_to_the_empty_field_and_never_wipes_a_filled_one(tmp_path):
    path, glossary = write_sample(tmp_path), write_glossary(tmp_path / "glossary")

    async def steps(pilot, app, screen):
        select(screen, "zh", "人民委员会")
        await pilot.pause()
        await pilot.press("tab")
        assert screen.focused.id == "vi-text"
        select(screen, "vi", "UBND")
        await pilot.pause()
        await pilot.press("tab")
        assert screen.focused.id == "en"  # the first empty field, not the filled zh term
        await pilot.press(*"People's Committee")
        await pilot.press("shift+tab")  # back into the filled vi term: the text stays, typing adds to it
        assert screen.focused.id == "vi"
        await pilot.press("x")
        return {n: screen.query_one(f"#{n}", Input).value for n in ("zh", "vi", "en")}
    assert in_dialog(path, glossary, steps) == {"zh": "人民委员会", "vi": "UBNDx", "en": "People's Committee"}


def test_the_focused_field_is_visible(tmp_path):
    path, glossary = write_sample(tmp_path), write_glossary(tmp_path / "glossary")

    async def steps(pilot, app, screen):
        looks = {}
        for name in ("en", "note"):
            screen.query_one(f"#{name}", Input).focus()
            await pilot.pause()
            looks[name] = (screen.query_one("#en").styles.background, screen.query_one("#note").styles.background)
        return looks
    looks = in_dialog(path, glossary, steps)
    assert looks["en"][0] != looks["en"][1] and looks["en"][0] == looks["note"][1]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_titles_long_text_and_buttons_shown_whole(tmp_path, size):
    path, glossary = write_sample(tmp_path), write_glossary(tmp_path / "glossary").relative_to(tmp_path)
    english = "People's Committee of Ho Chi Minh City, chairman"  # longer than the old half-width box

    async def steps(pilot, app, screen):
        screen.query_one("#en", Input).focus()
        await pilot.press(*english)
        await pilot.pause()
        return svg_lines(app.export_screenshot())
    lines = in_dialog(path, glossary, steps, size=size)
    text = " ".join(" ".join(line.replace("█", " ").split()) for line in lines)
    assert f"Add a glossary entry to {glossary / 'added.tsv'}" in text
    assert "ctrl+s: add" in text and "esc: cancel" in text
    assert english in text
    # both source texts in full (bead 4, wrapped)
    assert "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc." in text
    assert "胡志明市人民委员会主席潘文迈在开幕式致辞" in text.replace(" ", "")
    assert any("Add" in line and "Cancel" in line for line in lines)


def test_sentence_initial_capital_lowered_unless_a_proper_noun():
    sentence = "Hành trình phát triển của TP.HCM. Trong hành trình đó, Hà Nội và Phan Văn Mãi"
    assert glossary_case("Hành trình", sentence, 0) == "hành trình"
    assert glossary_case("Trong", sentence, sentence.index("Trong"), [sentence]) == "Trong"  # never seen lowercase
    assert glossary_case("Hành", sentence, 0, ["trên hành trình"]) == "hành"
    assert glossary_case("Hà Nội", "Hà Nội là thủ đô", 0) == "Hà Nội"
    assert glossary_case("UBND", "UBND TP.HCM họp", 0) == "UBND"
    assert glossary_case("Hà Nội", sentence, sentence.index("Hà Nội")) == "Hà Nội"
    assert glossary_case("Đối thoại Hữu nghị", "Đối thoại Hữu nghị năm 2024", 0) == "Đối thoại Hữu nghị"


def test_selecting_a_sentence_initial_common_noun_in_the_dialog(tmp_path):
    path, glossary = write_sample(tmp_path), write_glossary(tmp_path / "glossary")

    async def steps(pilot, app, screen):
        select(screen, "vi", "Chủ tịch")  # bead 4's vi sentence starts with "Chủ tịch UBND"
        await pilot.pause()
        return screen.query_one("#vi", Input).value
    assert in_dialog(path, glossary, steps) == "chủ tịch"


def _add(screen, pilot, zh, vi, en):
    async def go():
        select(screen, "zh", zh)
        select(screen, "vi", vi)
        await pilot.pause()
        screen.query_one("#vi", Input).value = vi
        screen.query_one("#en", Input).value = en
        await pilot.press("ctrl+s")
        await pilot.pause()
    return go()


def test_dialog_adds_a_variant_and_quotes_the_existing_row_of_a_duplicate(tmp_path):
    path, glossary = write_sample(tmp_path), write_glossary(tmp_path / "glossary")
    terms = glossary / "terms.tsv"

    async def steps(pilot, app, screen):
        await _add(screen, pilot, "胡志明市", "TP.HCM", "Ho Chi Minh City")
        duplicate = str(screen.query_one("#error", Static).render())
        still_open = isinstance(app.screen, AddTerm)
        unchanged = terms.read_text(encoding="utf-8")
        await _add(screen, pilot, "胡志明市", "TP.HCM", "Ho Chi Minh City|Saigon")
        notes = [n.message for n in app._notifications]
        return duplicate, still_open, unchanged, isinstance(app.screen, AddTerm), notes
    before = terms.read_text(encoding="utf-8")
    duplicate, still_open, unchanged, open_after, notes = in_dialog(path, glossary, steps)
    assert still_open and unchanged == before
    assert duplicate == (f"already in the glossary: {terms}:2: 胡志明市 / TP.HCM|Thành phố Hồ Chí Minh / "
                         "Ho Chi Minh City|HCMC; nothing written")
    assert not open_after
    assert f"added en 'Saigon' to the concept at {terms}:2: 胡志明市 / TP.HCM|Thành phố Hồ Chí Minh / " \
           "Ho Chi Minh City|HCMC|Saigon" in notes
    assert "胡志明市\tTP.HCM|Thành phố Hồ Chí Minh\tHo Chi Minh City|HCMC|Saigon\tcity name" in terms.read_text("utf-8")
    assert not (glossary / "added.tsv").exists()
