"""A re-run keeps the review: `run`/`align` on a pair whose aligned file a reviewer worked on.

Edits go through `workbench.review.session.ReviewSession` (what the review app calls); the
re-runs are the real CLI in a subprocess.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
from pathlib import Path

import pytest

from tests.support.report_folders import seed_folder
from workbench.review.session import ReviewSession
from workbench.store.aligned import read_aligned

ZH = "000_75ef3c063faf8c49.txt"
VI = "002_9180580ce9d8d433.txt"
NAME = f"{Path(ZH).stem}__{Path(VI).stem}.jsonl"


def bead_lines(path: Path) -> list[str]:
    """The bead lines of an aligned file, byte for byte (the header is line 1)."""
    return path.read_bytes().decode("utf-8").split("\n")[1:-1]


def touched_lines(path: Path) -> list[str]:
    return [line for line, bead in zip(bead_lines(path), read_aligned(path).beads) if bead.touched]


def covers_every_sentence_once(path: Path) -> bool:
    aligned = read_aligned(path)
    for side in ("zh", "vi"):
        ids = sorted(i for b in aligned.beads for i in getattr(b, side))
        if ids != list(range(len(aligned.header[side]["sentences"]))):
            return False
    return True


def review(path: Path, glossary: Path) -> dict[str, int]:
    """Confirm, reject, note, edit English, link and term-fix beads; returns how many beads were touched."""
    session = ReviewSession.open(path, glossary_dir=glossary)
    beads = session.beads
    two = [i for i, b in enumerate(beads) if b.zh and b.vi]
    session.confirm(two[0])
    session.reject(two[1])
    session.set_note(two[2], "check the date [link=https://x]x[/link]")
    session.edit_english(two[3], "vi", "The leaders met on September 24.")
    name_bead = next(i for i, b in enumerate(session.beads) if "潘文迈" in b.zh_text)
    session.edit_english(name_bead, "zh", "Pan Wenmai, chairman of the People's Committee, spoke.")
    issues = session.term_issues(name_bead)
    session.apply_term_fix(name_bead, next(k for k, s in enumerate(issues) if s.issue.found))
    assert "Phan Van Mai" in session.beads[name_bead].zh_en
    session.unlink(two[6])  # a person re-cuts: unlink one bead, link its zh sentence elsewhere
    zh_only = [i for i, b in enumerate(session.beads) if b.zh and not b.vi]
    vi_only = [i for i, b in enumerate(session.beads) if b.vi and not b.zh]
    session.link(zh_only[-1], vi_only[0])
    session.close()
    return {"touched": sum(b.touched for b in read_aligned(path).beads)}


@pytest.fixture
def reviewed(tmp_path, cli, seeds_dir):
    """Two reports aligned in parallel mode, then reviewed; returns (folder, aligned file, touched count)."""
    folder = seed_folder(tmp_path / "reports", seeds_dir, ZH, VI)
    out = tmp_path / "aligned"
    proc = cli("run", folder, "--mt", "none", "--mode", "parallel", "--out", out)
    assert proc.returncode == 0, proc.stderr
    path = out / NAME
    counts = review(path, seeds_dir.parent / "glossary")
    assert counts["touched"] >= 6  # confirm, reject, note, English edit, term fix, unlink and link
    return folder, path, counts["touched"]


def test_rerun_keeps_every_reviewed_bead_byte_identical(reviewed, cli, tmp_path):
    folder, path, touched = reviewed
    before = path.read_bytes()
    kept_before = touched_lines(path)
    untouched_before = [b.notation for b in read_aligned(path).beads if not b.touched]

    proc = cli("run", folder, "--mt", "none", "--out", path.parent)  # auto mode: comparable this time
    assert proc.returncode == 0, proc.stderr

    after = bead_lines(path)
    assert all(line in after for line in kept_before)  # every reviewed bead, byte for byte
    assert touched_lines(path) == kept_before  # and in the same reading order
    aligned = read_aligned(path)
    assert aligned.header["mode"] == "comparable"
    untouched_after = [b.notation for b in aligned.beads if not b.touched]
    assert untouched_after != untouched_before  # the rest was aligned again, in the new mode
    assert covers_every_sentence_once(path)
    realigned = len(aligned.beads) - touched
    assert f"kept {touched} reviewed bead(s), realigned {realigned}" in proc.stdout
    backups = list((path.parent / ".backup").glob(f"{Path(NAME).stem}.*.jsonl"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert str(backups[0]) in proc.stdout
    # the table has the counts too
    row = next(line for line in proc.stdout.splitlines() if ZH in line)
    assert f" {touched} " in row and f" {realigned} " in row


def test_rerun_in_parallel_mode_aligns_around_the_kept_beads(reviewed, cli):
    folder, path, touched = reviewed
    kept_before = touched_lines(path)
    # same reports, models and mode: the cut would be kept; --recut aligns the untouched beads again
    proc = cli("align", folder / ZH, folder / VI, "--mt", "none", "--mode", "parallel", "--out", path, "--recut")
    assert proc.returncode == 0, proc.stderr
    assert touched_lines(path) == kept_before
    aligned = read_aligned(path)
    assert covers_every_sentence_once(path)
    # Fixed points: no fresh two-sided bead crosses a kept two-sided bead.
    kept = [b for b in aligned.beads if b.touched and b.zh and b.vi]
    fresh = [b for b in aligned.beads if not b.touched and b.zh and b.vi]
    for k in kept:
        for f in fresh:
            assert (max(f.zh) < min(k.zh)) == (max(f.vi) < min(k.vi)), (k.notation, f.notation)
    assert f"kept {touched} reviewed bead(s)" in proc.stdout


def test_second_rerun_changes_nothing_and_writes_nothing(reviewed, cli):
    folder, path, _ = reviewed
    assert cli("run", folder, "--mt", "none", "--out", path.parent).returncode == 0
    first = path.read_bytes()
    proc = cli("run", folder, "--mt", "none", "--out", path.parent)
    assert proc.returncode == 0, proc.stderr
    assert path.read_bytes() == first
    assert "1 up to date, not aligned again" in proc.stdout  # resume: the file is what a run would write
    assert len(list((path.parent / ".backup").iterdir())) == 1


def test_changed_report_keeps_what_still_matches_and_lists_the_rest(reviewed, cli):
    folder, path, touched = reviewed
    old = read_aligned(path)
    kept_before = [b for b in old.beads if b.touched]
    # The reviewer's English-edited bead loses a sentence; a new sentence shifts every id after it.
    edited = next(b for b in kept_before if b.history and b.vi and b.zh)
    lost_sentence = old.header["zh"]["sentences"][edited.zh[0]]["text"]
    report = folder / ZH
    text = report.read_text(encoding="utf-8")
    first_body = old.header["zh"]["sentences"][1]["text"]
    text = text.replace(first_body, "新华社河内电 这是新加的一句话。\n" + first_body, 1)
    report.write_text(text.replace(lost_sentence, "这句话已经改写了。"), encoding="utf-8")

    proc = cli("run", folder, "--mt", "none", "--out", path.parent)
    assert proc.returncode == 0, proc.stderr
    assert f"changed since: {ZH}" in proc.stdout
    new = read_aligned(path)
    assert covers_every_sentence_once(path)
    new_touched = [b for b in new.beads if b.touched]
    lost = [line for line in proc.stdout.splitlines() if "could not keep" in line]
    assert len(new_touched) + len(lost) == touched
    assert any(edited.notation in line and "no longer in" in line for line in lost)
    for bead in new_touched:  # same texts, notes, English and statuses; ids moved to the new sentences
        match = [b for b in kept_before if (b.zh_text, b.vi_text, b.zh_en, b.vi_en, b.status, b.note)
                 == (bead.zh_text, bead.vi_text, bead.zh_en, bead.vi_en, bead.status, bead.note)]
        assert len(match) == 1
        zh_sents = new.header["zh"]["sentences"]
        assert "".join(zh_sents[i]["text"] for i in bead.zh) == bead.zh_text
    added = len(new.header["zh"]["sentences"]) - len(old.header["zh"]["sentences"])
    assert added >= 1
    shifted = [b for b in new_touched for m in kept_before
               if b.zh and m.zh_text == b.zh_text and b.zh == [i + added for i in m.zh]]
    assert shifted  # kept beads follow their sentences to the new ids
    assert len(list((path.parent / ".backup").iterdir())) == 1


def test_discard_review_aligns_afresh_and_keeps_the_backup(reviewed, cli):
    folder, path, touched = reviewed
    before = path.read_bytes()
    proc = cli("run", folder, "--mt", "none", "--out", path.parent, "--discard-review")
    assert proc.returncode == 0, proc.stderr
    assert not any(b.touched for b in read_aligned(path).beads)
    assert f"discarded {touched} reviewed bead(s)" in proc.stdout
    backups = list((path.parent / ".backup").iterdir())
    assert [b.read_bytes() for b in backups] == [before]


def test_backups_keep_the_newest_twenty_per_file(reviewed, cli):
    folder, path, _ = reviewed
    backups = path.parent / ".backup"
    backups.mkdir()
    old = [backups / f"{path.stem}.2020010{d}T0000{s:02d}{'-1' if s == 0 else ''}.jsonl"
           for d in (1, 2) for s in range(11)][:21]  # 21 older backups, oldest first
    for n, backup in enumerate(old):
        backup.write_text(f"old {n}\n", encoding="utf-8")
    (backups / (old[0].name + ".journal")).write_text("journal\n", encoding="utf-8")
    other = backups / "other__pair.20200101T000000.jsonl"  # another file's backup is not this file's
    other.write_text("other\n", encoding="utf-8")
    before = path.read_bytes()
    proc = cli("run", folder, "--mt", "none", "--out", path.parent, "--discard-review")
    assert proc.returncode == 0, proc.stderr
    left = sorted(p.name for p in backups.iterdir())
    assert other.name in left
    mine = [name for name in left if name.startswith(path.stem)]
    assert len(mine) == 20
    assert old[0].name not in left and old[1].name not in left and old[0].name + ".journal" not in left
    assert all(b.name in left for b in old[2:])
    newest = [b for b in backups.iterdir() if b.name.startswith(path.stem) and b not in old]
    assert [b.read_bytes() for b in newest] == [before]


def test_file_open_in_review_is_not_rewritten(reviewed, cli):
    folder, path, _ = reviewed
    before = path.read_bytes()
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "user": "mai", "time": 0}
    path.with_name(path.name + ".lock").write_text(json.dumps(holder))
    proc = cli("run", folder, "--mt", "none", "--out", path.parent)
    assert proc.returncode == 1  # finished, but skipped that pair
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and "mai" in lines[0] and str(os.getpid()) in lines[0]
    assert path.read_bytes() == before and not (path.parent / ".backup").exists()
    proc = cli("align", folder / ZH, folder / VI, "--mt", "none", "--out", path)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before


def test_malformed_existing_file_is_kept_unless_discarded(reviewed, cli):
    folder, path, _ = reviewed
    path.write_text(path.read_text(encoding="utf-8") + "{not json\n", encoding="utf-8")
    broken = path.read_bytes()
    proc = cli("align", folder / ZH, folder / VI, "--mt", "none", "--out", path)
    assert proc.returncode == 2 and "--discard-review" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and path.read_bytes() == broken
    proc = cli("align", folder / ZH, folder / VI, "--mt", "none", "--out", path, "--discard-review")
    assert proc.returncode == 0, proc.stderr
    assert [b.read_bytes() for b in (path.parent / ".backup").iterdir()] == [broken]


def test_review_of_two_changed_reports_keeps_the_review(reviewed, monkeypatch, tmp_path):
    """`review ZH VI` opens the existing file as it is, or aligns again (keeping the review) when
    the reports changed since it was written."""
    from workbench.commands.review import _align_first

    folder, path, touched = reviewed
    monkeypatch.chdir(tmp_path)  # review looks in ./aligned
    assert path.parent == tmp_path / "aligned"
    before = path.read_bytes()
    assert _align_first(folder / ZH, folder / VI) == Path("aligned") / NAME
    assert path.read_bytes() == before
    report = folder / VI
    report.write_text(report.read_text(encoding="utf-8") + "\nMột câu mới được thêm vào cuối bài.\n",
                      encoding="utf-8")
    assert _align_first(folder / ZH, folder / VI) == Path("aligned") / NAME
    assert sum(b.touched for b in read_aligned(path).beads) == touched
    assert [b.read_bytes() for b in (path.parent / ".backup").iterdir()] == [before]


def test_run_reads_only_reports_and_says_what_it_skipped(tmp_path, cli, seeds_dir):
    folder = tmp_path / "in"
    shutil.copytree(seeds_dir, folder)
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    first = cli("run", folder, "--mt", "none", "--out", folder)
    second = cli("run", folder, "--mt", "none", "--out", folder)
    for proc in (first, second):
        assert proc.returncode == 0  # an image is not a report: listed, not a failure
        assert proc.stderr.strip().splitlines() == [f"skipped: {folder / 'photo.png'}: a PNG image, not a report"]
    (folder / "empty.txt").write_bytes(b"")
    proc = cli("run", folder, "--mt", "none", "--out", folder)
    assert proc.returncode == 1  # finished, but a report could not be read
    assert f"skipped: {folder / 'empty.txt'}: file is empty" in proc.stderr.splitlines()
    written = sorted(p.name for p in folder.glob("*.jsonl"))
    assert NAME in written and all(name.count("__") == 1 for name in written)
    assert first.stdout.count("wrote ") == len(written)  # the second run read no aligned file as a report
    assert "__" not in "".join(line for line in second.stdout.splitlines() if "unpaired" in line)
    proc = cli("run", folder / ZH, "--out", tmp_path / "o")
    assert proc.returncode == 2 and "workbench run" in proc.stderr and "workbench pair" not in proc.stderr


def test_sentences_follow_their_text_in_order_then_moved_ones():
    from workbench.store.realign import map_sentences

    old = ["a", "b", "c", "d", "b"]
    assert map_sentences(old, list(old)) == {i: i for i in range(5)}
    new = ["new", "a", "b", "x", "d", "b", "c"]  # one added, "c" rewritten then moved to the end
    mapping = map_sentences(old, new)
    assert mapping[0] == 1 and mapping[1] == 2 and mapping[3] == 4 and mapping[4] == 5
    assert mapping[2] == 6  # moved: found by its text after the in-order matches
    assert len(set(mapping.values())) == len(mapping)


def test_kept_beads_that_cross_are_kept_but_only_an_ordered_chain_cuts_the_gaps():
    from workbench.store.realign import gaps
    from workbench.store.aligned import Bead

    kept = [Bead(zh=[1], vi=[1], status="confirmed"), Bead(zh=[3], vi=[3], status="rejected"),
            Bead(zh=[5], vi=[0], origin="manual"), Bead(zh=[7], vi=[8], note="x")]
    cut = gaps(10, 10, kept, "parallel")
    assert [z for z, _ in cut] == [[0], [2], [4, 6], [8, 9]]  # [5]:[0] crosses: kept, but no fixed point
    assert [v for _, v in cut] == [[], [2], [4, 5, 6, 7], [9]]
    assert gaps(10, 10, kept, "comparable") == [([0, 2, 4, 6, 8, 9], [2, 4, 5, 6, 7, 9])]
