"""Text from the file is shown literally in the review app: no markup, no escape sequence reaches the screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import TextArea

from tests.support.review_support import HOSTILE, HOSTILE_SHOWN, hostile_aligned
from workbench.review.session import ReviewSession
from workbench.store.aligned import read_aligned, write_aligned
from workbench.tui.app import ReviewApp
from workbench.tui.screens import AddTerm, EditText


def screen_content(app) -> tuple[str, list]:
    """(the text on screen, its segments), rendered from the compositor as the terminal gets it."""
    strips = app.screen._compositor.render_strips()
    segments = [segment for strip in strips for segment in strip]
    return "\n".join(strip.text for strip in strips), segments


def assert_literal(app, *expected: str) -> str:
    text, segments = screen_content(app)
    for shown in expected:
        assert shown in text, f"{shown!r} is not on screen:\n{text}"
    for segment in segments:
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in segment.text), repr(segment.text)
        assert segment.style is None or not segment.style.link, segment  # no live hyperlink
    return text


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = Path("[link=x]report [bold red]\x1b[2J.jsonl")  # relative: messages name it as given
    write_aligned(path, hostile_aligned())
    return path


def run_app(path, steps, **options):
    async def main():
        session = ReviewSession.open(path, autosave_delay=3600, max_delay=3600, **options)
        app = ReviewApp(session)
        async with app.run_test(size=(160, 45), notifications=True) as pilot:
            await pilot.pause()
            result = await steps(pilot, app)
            await pilot.press("q")
        return result
    return asyncio.run(main())


def test_table_panel_titles_and_dialogs_show_file_text_literally(hostile):
    async def steps(pilot, app):
        main = assert_literal(app, "zh title ␛]52", "vi title ␛]52", "note ␛]52;c;aGVsbG8=␇␛[2J",
                              *HOSTILE_SHOWN)
        dialogs = {}
        for key in ("e", "E", "N", "g"):
            await pilot.press(key)  # `e` on a bead holding [/bold] raised MarkupError before
            await pilot.pause()
            assert isinstance(app.screen, AddTerm if key == "g" else EditText)
            dialogs[key] = assert_literal(app, *HOSTILE_SHOWN)
            await pilot.press("escape")
            await pilot.pause()
        # saving a dialog unchanged keeps the text as it was (pictures never replace characters)
        await pilot.press("N")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        return main, dialogs

    main, dialogs = run_app(hostile, steps)
    assert main.count("[link=https://x]text[/link]") >= 4  # table (zh, vi, English) and the detail panel
    assert "English ␛]52;c;aGVsbG8=␇" in dialogs["e"] and "English ␛]52" in dialogs["E"]
    assert "note ␛]52;c;aGVsbG8=␇" in dialogs["N"]
    assert read_aligned(hostile).beads[0].note == "note " + "".join(HOSTILE)


def test_an_edited_english_with_markup_is_saved_and_shown_as_typed(hostile):
    typed = "Fixed [bold]not bold[/bold] [/link]"

    async def steps(pilot, app):
        await pilot.press("down", "e")
        await pilot.pause()
        app.screen.query_one(TextArea).text = typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        return assert_literal(app, typed)

    run_app(hostile, steps)
    assert read_aligned(hostile).beads[1].zh_en == typed


def test_notifications_show_file_names_literally(hostile):
    async def steps(pilot, app):
        await pilot.press("c")  # read-only: refused, with the file name in the message
        await pilot.pause(0.3)
        return assert_literal(app, "▌")

    screen = run_app(hostile, steps, read_only=True)
    toast = " ".join(line.split("▌", 1)[1].strip() for line in screen.split("\n") if "▌" in line)
    assert "[link=x]report [bold red]␛[2J.jsonl: opened read-only" in toast
