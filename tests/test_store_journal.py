"""The review journal: every acknowledged edit survives kill -9, and no crash applies an edit twice."""

from __future__ import annotations

import errno
import json
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.support.review_support import write_sample
from workbench.store import journal as journal_module
from workbench.errors import WorkbenchError
from workbench.store.journal import journal_path
from workbench.review.session import ReviewSession
from workbench.store.aligned import dumps_aligned, read_aligned, write_aligned
from workbench.store.files import WriteError
from workbench.store.journal import read_aligned_current

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent


def state(beads) -> list[tuple]:
    return [(b.notation, b.status, b.note, b.zh_en, b.vi_en, b.origin) for b in beads]


@pytest.fixture
def sample(tmp_path):
    return write_sample(tmp_path)


def open_unsaved(path, **options) -> ReviewSession:
    """A session that never autosaves on its own: only the journal protects its edits."""
    return ReviewSession.open(path, autosave_delay=3600, max_delay=3600, **options)


def test_every_edit_is_journaled_before_it_counts(sample):
    before = sample.read_bytes()
    session = open_unsaved(sample)
    edits = [lambda: session.confirm(0), lambda: session.merge_next(1), lambda: session.set_note(1, "see\u2028x"),
             lambda: session.edit_english(2, "vi", "New English."), lambda: session.link(4, 5),
             lambda: session.undo(), lambda: session.redo(), lambda: session.undo(), lambda: session.split(1)]
    for number, edit in enumerate(edits, start=1):
        edit()
        lines = journal_path(sample).read_bytes().split(b"\n")
        assert len(lines) == 1 + number + 1 and lines[-1] == b""  # header, one line an edit, nothing torn
        assert sample.read_bytes() == before  # not saved yet
        assert state(read_aligned_current(sample).beads) == state(session.beads)
    assert json.loads(lines[-2])["edit"] == "split"
    session.close()
    assert not journal_path(sample).exists()  # compacted into the file
    assert state(read_aligned(sample).beads) == state(session.beads)


def test_a_torn_last_line_is_ignored(sample):
    session = open_unsaved(sample)
    session.confirm(0)
    session.reject(1)
    expected = state(session.beads)
    session.confirm(2)
    # kill -9 mid-write: the last edit's line is cut short
    data = journal_path(sample).read_bytes()
    cut = data.rstrip(b"\n").rfind(b"\n") + 40
    session.journal.close()
    journal_path(sample).write_bytes(data[:cut])
    session.lock.release()
    assert state(read_aligned_current(sample).beads) == expected
    again = ReviewSession.open(sample)
    assert again.restored == 2 and state(again.beads) == expected
    assert state(read_aligned(sample).beads) == expected and not journal_path(sample).exists()
    again.close()


def test_read_only_opening_shows_journaled_edits_and_writes_nothing(sample):
    session = open_unsaved(sample)
    session.confirm(3)
    file_bytes, journal_bytes = sample.read_bytes(), journal_path(sample).read_bytes()
    viewer = ReviewSession.open(sample, read_only=True)  # while the reviewer is still at work
    assert viewer.beads[3].status == "confirmed"
    viewer.close()
    assert sample.read_bytes() == file_bytes and journal_path(sample).read_bytes() == journal_bytes
    session.close()


def test_a_journal_for_replaced_content_is_ignored_and_cleared(sample):
    session = open_unsaved(sample)
    session.confirm(0)
    session.journal.close()
    session.lock.release()
    # another command rewrote the file after reading it through read_aligned_current
    current = read_aligned_current(sample)
    current.beads[1].note = "re-aligned"
    write_aligned(sample, current)
    assert state(read_aligned_current(sample).beads) == state(current.beads)  # the old edits are not re-applied
    again = ReviewSession.open(sample)
    assert again.restored == 0 and not journal_path(sample).exists()
    assert [b.status for b in again.beads[:2]] == ["confirmed", "auto"]
    again.close()


def test_an_edit_the_journal_cannot_take_is_refused(sample, monkeypatch):
    session = open_unsaved(sample)
    session.confirm(0)

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal_module.os, "fsync", full)
    with pytest.raises(WorkbenchError, match="edit not made, it could not be recorded: .*no space left"):
        session.merge_next(2)
    monkeypatch.undo()
    assert len(session.beads) == 7 and session.beads[2].notation == "[2]:[2]" and len(session.undo_stack) == 1
    session.reject(2)  # room again: the journal is written afresh, whole
    expected = state(session.beads)
    assert state(read_aligned_current(sample).beads) == expected
    session.close()
    assert state(read_aligned(sample).beads) == expected


CRASH_IN_SAVE = textwrap.dedent("""
    import json, os, signal, sys
    from workbench.review import session as review
    from workbench.review.session import ReviewSession

    when = sys.argv[2]
    real = review.atomic_write_bytes

    def dying_write(path, data):
        if when == "after-rename":
            real(path, data)
        os.kill(os.getpid(), signal.SIGKILL)  # before the rename, or between it and the compaction

    review.atomic_write_bytes = dying_write
    session = ReviewSession.open(sys.argv[1], autosave_delay=3600, max_delay=3600)
    session.merge_next(0)          # not idempotent: applied twice it would merge three beads
    session.confirm(0)
    snapshot = session.snapshot()  # what the save writes ...
    session.split(0)               # ... while these edits come in
    session.set_note(1, "after the snapshot")
    print(json.dumps([[b.notation, b.status, b.note] for b in session.beads]), flush=True)
    session.write_snapshot(*snapshot)
""")


@pytest.mark.parametrize("when", ["before-rename", "after-rename"])
def test_a_crash_inside_a_save_neither_loses_nor_repeats_an_edit(sample, when, isolated_env):
    child = subprocess.run([sys.executable, "-c", CRASH_IN_SAVE, str(sample), when], capture_output=True,
                           text=True, env=dict(isolated_env, PYTHONPATH=str(ROOT)), timeout=60)
    assert child.returncode == -signal.SIGKILL, child.stderr
    expected = json.loads(child.stdout)
    on_disk = [b.notation for b in read_aligned(sample).beads]
    assert on_disk[0] == ("[0, 1]:[0, 1]" if when == "after-rename" else "[0]:[0]")
    session = ReviewSession.open(sample)
    assert [[b.notation, b.status, b.note] for b in session.beads] == expected
    session.close()
    assert [[b.notation, b.status, b.note] for b in read_aligned(sample).beads] == expected


QUICK_KEYS = textwrap.dedent("""
    import asyncio, json, sys, time
    from workbench.review.session import ReviewSession
    from workbench.tui.app import ReviewApp

    async def main():
        session = ReviewSession.open(sys.argv[1], autosave_delay=3600, max_delay=3600)
        app = ReviewApp(session)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            # 14 edits in one burst, as fast as the pilot sends keys
            await pilot.press("c", "down", "x", "down", "m", "c", "down", "s", "z", "y", "down", "c",
                              "down", "x", "end", "c", "up", "c")
            print(json.dumps({"edits": session.version, "beads": [[b.notation, b.status] for b in session.beads]}),
                  flush=True)
            time.sleep(60)  # killed here, before any save

    asyncio.run(main())
""")


def test_kill_9_right_after_quick_edits_keeps_them_all(sample, isolated_env):
    before = sample.read_bytes()
    child = subprocess.Popen([sys.executable, "-c", QUICK_KEYS, str(sample)], stdout=subprocess.PIPE, text=True,
                             env=dict(isolated_env, PYTHONPATH=str(ROOT)))
    try:
        acknowledged = json.loads(child.stdout.readline())
    finally:
        child.kill()
        child.wait()
    assert acknowledged["edits"] >= 10
    assert sample.read_bytes() == before  # nothing was saved: only the journal holds the edits
    session = ReviewSession.open(sample)
    assert session.restored == acknowledged["edits"]
    assert [[b.notation, b.status] for b in session.beads] == acknowledged["beads"]
    session.close()
    assert [[b.notation, b.status] for b in read_aligned(sample).beads] == acknowledged["beads"]
    assert not journal_path(sample).exists()


def test_replay_matches_a_save_byte_for_byte(sample):
    session = open_unsaved(sample)
    for index in range(6):
        session.confirm(index)
    session.merge_next(5)
    session.edit_english(0, "zh", "Edited \x1b[2J text")
    replayed = read_aligned_current(sample)
    session.close()
    assert dumps_aligned(replayed) == sample.read_text(encoding="utf-8")


def test_quitting_when_the_save_fails_keeps_the_edits_in_the_journal(sample, monkeypatch):
    import asyncio

    from workbench.review import session as review
    from workbench.tui.app import ReviewApp

    def full(path, data):
        raise WriteError(path, OSError(errno.ENOSPC, "No space left on device"), True)

    monkeypatch.setattr(review, "atomic_write_bytes", full)
    before = sample.read_bytes()

    async def main():
        app = ReviewApp(ReviewSession.open(sample))
        async with app.run_test() as pilot:
            await pilot.press("c", "down", "x", "q")
        return app

    app = asyncio.run(main())
    assert "no space left on the device" in str(app.save_error)
    assert sample.read_bytes() == before and not sample.with_name(sample.name + ".lock").exists()
    monkeypatch.undo()
    again = ReviewSession.open(sample)
    assert again.restored == 2 and [b.status for b in again.beads[:2]] == ["confirmed", "rejected"]
    again.close()
