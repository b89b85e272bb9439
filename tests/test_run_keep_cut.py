"""Realigning that keeps what was right: a glossary edit alone re-scores a file's cut instead of
re-cutting it (`--recut` re-cuts, listing the links kept, added and removed), and `run` on a folder
elsewhere says on its first line where it writes and which folder would keep the job apart."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.report_folders import seed_folder
from workbench.review.session import ReviewSession
from workbench.store.aligned import read_aligned

ZH = "000_75ef3c063faf8c49.txt"
VI = "002_9180580ce9d8d433.txt"
NAME = f"{Path(ZH).stem}__{Path(VI).stem}.jsonl"


@pytest.fixture
def job(tmp_path, cli, seeds_dir, gdir):
    """reports/ with the seed pair, a glossary of its own, aligned/ made from them, one bead confirmed."""
    reports = seed_folder(tmp_path / "reports", seeds_dir, ZH, VI)
    glossary = gdir
    out = tmp_path / "aligned"
    done = cli("run", reports, "--mt", "none", "--out-dir", out, "--glossary", glossary, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = out / NAME
    session = ReviewSession.open(path, glossary_dir=glossary)
    first_link = next(i for i, b in enumerate(session.beads) if b.zh and b.vi)
    session.confirm(first_link)
    session.close()
    return reports, glossary, path


def _edit_glossary(cli, glossary: Path) -> None:
    # a term of this very report pair (竞争力 = tính cạnh tranh): the glossary signal changes for its beads
    added = cli("glossary", "add", "竞争力", "tính cạnh tranh", "competitiveness", "--file", glossary / "added.tsv")
    assert added.returncode == 0, added.stderr


def test_a_glossary_edit_alone_rescores_and_keeps_the_cut(job, cli, tmp_path):
    reports, glossary, path = job
    before = read_aligned(path)
    _edit_glossary(cli, glossary)
    done = cli("run", reports, "--mt", "none", "--out-dir", path.parent, "--glossary", glossary, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = read_aligned(path)
    assert [b.notation for b in after.beads] == [b.notation for b in before.beads]  # not one bead re-cut
    assert [b.status for b in after.beads] == [b.status for b in before.beads]
    assert after.header["aligner"] == before.header["aligner"]
    assert after.header["glossary"] != before.header["glossary"]  # recorded: the next run is up to date
    links = sum(1 for b in after.beads if b.zh and b.vi)
    assert f"the cut is kept (1 reviewed bead(s) as they are, {links - 1} link(s) scored again)" in done.stdout
    # scored again with the new glossary: the link holding 竞争力 / tính cạnh tranh gains the glossary signal,
    # and every untouched link has the score the aligner's own scoring gives it now
    from workbench.align.rescore import Rescorer
    from workbench.glossary.model import load_glossary

    rescorer = Rescorer(after.header, load_glossary(glossary))
    untouched = [(b0, b1) for b0, b1 in zip(before.beads, after.beads) if b1.zh and b1.vi and not b1.touched]
    assert all(b1.score == rescorer.score(b1.zh, b1.vi) for _, b1 in untouched)
    term = [(b0, b1) for b0, b1 in untouched if "竞争力" in b1.zh_text and "tính cạnh tranh" in b1.vi_text]
    assert term and all(b1.score > b0.score for b0, b1 in term)
    again = cli("run", reports, "--mt", "none", "--out-dir", path.parent, "--glossary", glossary, cwd=tmp_path)
    assert "1 up to date, not aligned again" in again.stdout


def test_recut_realigns_and_lists_links_kept_added_removed(job, cli, tmp_path):
    reports, glossary, path = job
    before = read_aligned(path)
    _edit_glossary(cli, glossary)
    done = cli("run", reports, "--mt", "none", "--out-dir", path.parent, "--glossary", glossary, "--recut",
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = read_aligned(path)
    line = next(x for x in done.stdout.splitlines() if "links kept" in x)
    kept, added, removed = (int(line.split(f"{word} ")[1].split(",")[0].split(";")[0])
                            for word in ("links kept", "added", "removed"))
    old = {(b.zh_text, b.vi_text) for b in before.beads if b.zh and b.vi}
    new = {(b.zh_text, b.vi_text) for b in after.beads if b.zh and b.vi}
    assert (kept, added, removed) == (len(old & new), len(new - old), len(old - new))
    assert line.startswith(f"{path}: kept 1 reviewed bead(s), realigned")
    assert list((path.parent / ".backup").glob("*.jsonl"))  # the old cut stays in .backup/ to go back to


def test_run_on_a_folder_elsewhere_says_where_it_writes_first(cli, tmp_path, seeds_dir):
    job = tmp_path / "job"
    seed_folder(job / "reports", seeds_dir, ZH, VI)
    here = tmp_path / "here"
    here.mkdir()
    done = cli("run", job / "reports", "--mt", "none", cwd=here)
    assert done.returncode == 0, done.stderr
    first = done.stderr.splitlines()[0]
    assert first == (f"note: writing into {here.resolve()}/aligned/ (this directory's aligned/), not beside the "
                     f"reports: --out-dir {job.resolve()}/aligned keeps this job's files apart")
    assert (here / "aligned" / NAME).exists()  # not a terminal: nothing asked, the default kept
    beside = cli("run", "reports", "--mt", "none", cwd=job)  # aligned/ here is beside the reports
    assert beside.returncode == 0 and "note: writing into" not in beside.stderr
    given = cli("run", job / "reports", "--mt", "none", "--out-dir", tmp_path / "o", cwd=here)
    assert given.returncode == 0 and "note: writing into" not in given.stderr
