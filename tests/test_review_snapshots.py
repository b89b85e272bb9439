"""Snapshots of the review screen (pytest-textual-snapshot): layout changes show as SVG diffs.

Regenerate after an intended change with `pytest tests/test_review_snapshots.py --snapshot-update`.
"""

from __future__ import annotations


import pytest

from tests.review_support import write_glossary, write_sample
from workbench.review import ReviewSession
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
