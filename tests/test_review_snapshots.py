"""Snapshots of the review screen (pytest-textual-snapshot): layout changes show as SVG diffs.

Regenerate after an intended change with `pytest tests/test_review_snapshots.py --snapshot-update`.
"""

from __future__ import annotations


import pytest

from tests.support.review_support import write_glossary, write_sample
from workbench.review.session import ReviewSession
from workbench.tui.app import ReviewApp

SIZE = (130, 40)


@pytest.fixture
def app_with_glossary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    # a long debounce so the "unsaved" mark never races the screenshot
    session = ReviewSession.open(write_sample(tmp_path), glossary_dir=write_glossary(tmp_path / "glossary"),
                                 autosave_delay=3600, max_delay=3600)
    yield ReviewApp(session)
    session.close()


def test_main_screen(snap_compare, app_with_glossary):
    """Beads with their English, status colours (confirmed, rejected, auto), unaligned sentences in place."""
    assert snap_compare(app_with_glossary, terminal_size=SIZE, press=["c", "down", "x", "down"])


def test_detail_panel_with_term_issues(snap_compare, app_with_glossary):
    """Bead 4: glossary terms highlighted in zh, vi and English; its term issues with their fix keys."""
    assert snap_compare(app_with_glossary, terminal_size=SIZE, press=["down", "down", "down"])


def test_without_translation_model(snap_compare, tmp_path, monkeypatch):
    """No model: one line per bead, the header says so once."""
    monkeypatch.chdir(tmp_path)
    session = ReviewSession.open(write_sample(tmp_path, english=False))
    try:
        assert snap_compare(ReviewApp(session), terminal_size=SIZE)
    finally:
        session.close()


# ----- the two sizes of issue 13: a small terminal and a large one ---------------------------------
SIZES = {"80x24": (80, 24), "160x45": (160, 45)}


def svg_lines(svg: str) -> list[str]:
    """The text rows of a Textual SVG screenshot (each row's text pieces in order)."""
    import html
    import re

    rows: dict[float, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg, re.S):
        rows.setdefault(float(m.group(2)), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return ["".join(t for _, t in sorted(v)).replace("\xa0", " ") for _, v in sorted(rows.items())]


async def _prepared(pilot) -> None:
    """Wait for what the app computes after the first paint (QA flags, the project's progress)."""
    from workbench.tui.project_screen import ProjectScreen

    for _ in range(200):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, ProjectScreen) and screen.loaded == len(screen.statuses):
            break
        if getattr(screen, "prepared", None) is not None and screen.prepared.is_set():
            break
    await pilot.pause()


@pytest.fixture
def many_issues(tmp_path, monkeypatch):
    from tests.support.review_support import many_issues_aligned
    from workbench.store.aligned import write_aligned

    monkeypatch.chdir(tmp_path)
    write_aligned(tmp_path / "many.jsonl", many_issues_aligned())
    session = ReviewSession.open(tmp_path / "many.jsonl", glossary_dir=write_glossary(tmp_path / "glossary"),
                                 autosave_delay=3600, max_delay=3600)
    yield ReviewApp(session)
    session.close()


@pytest.fixture
def project_app(tmp_path, monkeypatch):
    from pathlib import Path

    from workbench.review.project import Project

    monkeypatch.chdir(tmp_path)
    (tmp_path / "aligned").mkdir()
    for name in ("000_75ef3c063faf8c49__002_9180580ce9d8d433.jsonl", "001_hcmc__003_hcmc.jsonl"):
        write_sample(tmp_path / "aligned", name=name)
    return ReviewApp(project=Project(Path("aligned")))


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_main_screen(snap_compare, app_with_glossary, size):
    assert snap_compare(app_with_glossary, terminal_size=SIZES[size], press=["c", "down"], run_before=_prepared)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_project_view(snap_compare, project_app, size):
    assert snap_compare(project_app, terminal_size=SIZES[size], run_before=_prepared)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_bead_with_many_issues(snap_compare, many_issues, size):
    assert snap_compare(many_issues, terminal_size=SIZES[size], press=["down"] * 3, run_before=_prepared)


def _screens(app, size, *keys, scrolls=0) -> list[list[str]]:
    """The screen's text rows after `keys`, then after each of `scrolls` shift+down presses."""
    import asyncio

    async def run():
        shots = []
        async with app.run_test(size=size) as pilot:
            await _prepared(pilot)
            await pilot.press(*keys)
            await pilot.pause()
            shots.append(svg_lines(app.export_screenshot()))
            for _ in range(scrolls):
                await pilot.press("shift+down")
                await pilot.pause()
                shots.append(svg_lines(app.export_screenshot()))
            await pilot.press("escape", "q")
        return shots
    return asyncio.run(run())


@pytest.mark.parametrize("size", SIZES)
def test_many_issues_all_reachable_and_footer_fits(many_issues, size):
    """Every QA flag and term issue of the bead can be scrolled to in the panel; the key bar fits."""
    width, _ = SIZES[size]
    shots = _screens(many_issues, SIZES[size], "down", "down", "down", scrolls=12)
    text = "\n".join(line for shot in shots for line in shot)
    for expected in ("numbers and dates: vi gives 35, 36; zh does not", "names: vi name Nguyễn Văn Nên",
                     "MT warnings: zh MT repeats: the same words",
                     "MT warnings: vi MT length_ratio: stopped at the length bound", "length ratio: vi/zh length",
                     "Term issues (press the number to fix)", "Phan Van Mai"):
        assert expected in text, (size, expected)
    footer = shots[0][-1]
    assert footer.strip().endswith("^p all actions") and len(footer.rstrip()) <= width
    assert shots[0] != shots[-1]  # the panel scrolled


def test_add_term_dialog_keeps_its_buttons_at_80x24(many_issues):
    lines = _screens(many_issues, SIZES["80x24"], "down", "down", "down", "g")[0]
    assert any("Add" in line and "Cancel" in line for line in lines)
