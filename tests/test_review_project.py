"""The project view: every aligned file of a folder with its progress; files opened, left and
switched without leaving the app, each saved and unlocked when left."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys

import pytest
from textual.widgets import DataTable

from tests.support.review_support import sample_aligned, write_sample
from workbench.review.project import Project, aligned_files, file_status
from workbench.store.aligned import make_bead, read_aligned, write_aligned
from workbench.tui.app import ReviewApp
from workbench.tui.project_screen import ProjectScreen
from workbench.tui.review_screen import ReviewScreen


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """aligned/ with a.jsonl (nothing decided) and b.jsonl (bead 1 confirmed, bead 2 rejected),
    beside a report, a backup and a file that only looks aligned by its name."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "aligned"
    folder.mkdir()
    write_sample(folder, name="a.jsonl")
    b = sample_aligned()
    b.beads[0] = make_bead(b.header, [0], [0], 0.62, status="confirmed")
    b.beads[1] = make_bead(b.header, [1], [1], 0.81, status="rejected")
    write_aligned(folder / "b.jsonl", b)
    (folder / "notes.txt").write_text("not aligned", encoding="utf-8")
    (folder / "c.jsonl").write_text('{"not": "an aligned file"}\n', encoding="utf-8")
    (folder / ".backup").mkdir()
    write_sample(folder / ".backup", name="a.jsonl")
    return folder


def rows(screen: ProjectScreen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def loaded(pilot, app) -> ProjectScreen:
    for _ in range(100):
        await pilot.pause(0.02)
        if isinstance(app.screen, ProjectScreen) and app.screen.loaded == len(app.screen.statuses):
            return app.screen
    raise AssertionError("the project view never finished reading its files")


def test_project_lists_aligned_files_only_with_their_progress(folder):
    assert [p.name for p in aligned_files(folder)] == ["a.jsonl", "b.jsonl"]
    status = file_status(folder / "b.jsonl")
    assert (status.progress.links, status.progress.confirmed, status.progress.rejected) == (5, 1, 1)
    assert (status.progress.unaligned_zh, status.progress.unaligned_vi) == (1, 1)


def test_walk_two_files_without_leaving_the_app(folder):
    async def run():
        app = ReviewApp(project=Project(folder))
        seen = {}
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await loaded(pilot, app)
            seen["rows"] = rows(screen)
            seen["status"] = str(screen.query_one("#status")._content)
            await pilot.press("enter")  # a.jsonl
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen) and app.session.path.name == "a.jsonl"
            seen["position"] = str(app.review.query_one("#titles")._content)
            await pilot.press("c", "greater_than_sign")  # confirm bead 1, then the next file
            await pilot.pause()
            seen["a locked after leaving"] = (folder / "a.jsonl.lock").exists()
            seen["second"] = app.session.path.name
            await pilot.press("down", "down", "x", "less_than_sign")
            await pilot.pause()
            seen["back"] = app.session.path.name
            await pilot.press("p")
            screen = await loaded(pilot, app)
            seen["rows after"] = rows(screen)
            seen["cursor"] = screen.query_one(DataTable).cursor_row
            await pilot.press("q")
        return seen

    seen = asyncio.run(run())
    assert [r[1] for r in seen["rows"]] == ["a.jsonl", "b.jsonl"]
    assert seen["rows"][0][2:6] == ["0/5", "", "1", "1"] and seen["rows"][1][2:4] == ["1/5", "1"]
    assert "all files: links confirmed 1/10, rejected 1 · unaligned zh 2, vi 2" in seen["status"]
    assert seen["position"].startswith("file 1/2")
    assert not seen["a locked after leaving"] and seen["second"] == "b.jsonl" and seen["back"] == "a.jsonl"
    assert seen["rows after"][0][2] == "1/5" and seen["rows after"][1][2:4] == ["1/5", "2"]
    assert seen["cursor"] == 0  # the file just left
    assert [b.status for b in read_aligned(folder / "a.jsonl").beads[:2]] == ["confirmed", "auto"]
    assert [b.status for b in read_aligned(folder / "b.jsonl").beads[:3]] == ["confirmed", "rejected", "rejected"]
    assert not list(folder.glob("*.lock")) and not list(folder.glob("*.journal"))


def test_a_file_reviewed_elsewhere_opens_read_only(folder):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    lock = folder / "b.jsonl.lock"
    lock.write_text(json.dumps({"pid": other.pid, "host": socket.gethostname(), "user": "ana", "time": 0}))
    before = (folder / "b.jsonl").read_bytes()
    try:
        async def run():
            app = ReviewApp(project=Project(folder))
            async with app.run_test(size=(120, 40)) as pilot:
                screen = await loaded(pilot, app)
                state = rows(screen)[1][6]
                await pilot.press("down", "enter")
                await pilot.pause()
                read_only = app.session.read_only
                await pilot.press("c", "q")
            return state, read_only
        state, read_only = asyncio.run(run())
    finally:
        other.kill()
        other.wait()
    assert "reviewed by ana" in state and "read-only" in state
    assert read_only and (folder / "b.jsonl").read_bytes() == before
    assert json.loads(lock.read_text())["pid"] == other.pid


def test_a_broken_file_shows_why_and_is_not_opened(folder):
    (folder / "d.jsonl").write_text((folder / "a.jsonl").read_text(encoding="utf-8")[:-40], encoding="utf-8")

    async def run():
        app = ReviewApp(project=Project(folder))
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await loaded(pilot, app)
            state = rows(screen)[2]
            await pilot.press("down", "down", "enter")
            await pilot.pause()
            still = isinstance(app.screen, ProjectScreen)
            await pilot.press("q")
        return state, still
    state, still = asyncio.run(run())
    assert state[1] == "d.jsonl" and "d.jsonl" in state[6] and still


def test_review_of_a_missing_folder(cli, tmp_path):
    done = cli("review", "missing-folder", cwd=tmp_path)
    assert done.returncode == 2 and "missing-folder: no such file or folder" in done.stderr
