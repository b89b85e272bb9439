"""Files the workbench writes: JSONL line breaks, modes, symlinks, and every write failure as one line."""

from __future__ import annotations

import ast
import errno
import json
import os
import shutil
import stat
import subprocess
import sys

import pytest
from pathlib import Path

from tests.support.review_support import write_sample
import workbench
from workbench.store import files as store_files
from workbench.errors import WorkbenchError
from workbench.review.session import ReviewSession
from workbench.store.aligned import read_aligned
from workbench.store.files import WriteError, atomic_write_text

AS_ROOT = os.geteuid() == 0

# Every character str.splitlines() breaks a line at, and the ones JSON leaves raw among them.
BREAKERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def test_line_breaking_characters_round_trip_through_save_and_reopen(tmp_path):
    path = write_sample(tmp_path)
    session = ReviewSession.open(path)
    note = "before\u2028after"
    session.set_note(0, note)
    session.edit_english(1, "zh", f"all of them:{BREAKERS}end")
    session.close()

    raw = path.read_bytes()
    assert raw.count(b"\n") == 1 + len(read_aligned(path).beads)  # one line break a line, no more
    for ch in "\x85\u2028\u2029":
        assert ch.encode("utf-8") not in raw
    text = raw.decode("utf-8")
    assert len(text.splitlines()) == raw.count(b"\n")  # even str.splitlines() sees the true lines
    assert "\\u2028" in text

    again = ReviewSession.open(path)
    assert again.beads[0].note == note
    assert again.beads[1].zh_en == f"all of them:{BREAKERS}end".strip()
    again.close()


def test_cli_reads_a_file_with_a_u2028_note(tmp_path, cli):
    """What the issue saw: after a save with U+2028, every command failed with `bead is not JSON`."""
    path = write_sample(tmp_path)
    session = ReviewSession.open(path)
    session.set_note(2, "line\u2028separator and next\u0085line")
    session.confirm(2)
    session.close()
    proc = cli("export", "tsv", str(path), "--out", "-")
    assert proc.returncode == 0, proc.stderr
    assert "line separator and next line" in proc.stdout


def test_no_splitlines_on_jsonl_in_the_package():
    """JSONL is split on \\n only: no module that reads aligned files or journals calls splitlines."""
    root = Path(workbench.__file__).parent
    readers = [*root.glob("store/*.py"), *root.glob("review/*.py"), *root.glob("export/*.py")]
    readers += [*root.glob("tui/*.py"), root / "commands" / "review.py"]
    for module in readers:
        calls = [node.lineno for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
                 if isinstance(node, ast.Attribute) and node.attr == "splitlines"]
        assert not calls, f"{module.name} calls splitlines on lines {calls}"


def test_new_files_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_sample(tmp_path)
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        os.umask(0o027)
        atomic_write_text(tmp_path / "other.txt", "x\n")
        assert stat.S_IMODE((tmp_path / "other.txt").stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_an_existing_file_keeps_its_mode_through_a_review_save(tmp_path):
    path = write_sample(tmp_path)
    path.chmod(0o640)
    session = ReviewSession.open(path)
    session.confirm(0)
    session.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert read_aligned(path).beads[0].status == "confirmed"


def test_a_symlinked_aligned_file_is_written_through(tmp_path, cli):
    real = write_sample(tmp_path / "shared")
    link = tmp_path / "mine.jsonl"
    link.symlink_to(real)
    session = ReviewSession.open(link)
    session.confirm(0)
    # lock and journal sit beside the file itself: a colleague opening it by its own path meets them
    assert {p.name for p in real.parent.iterdir()} == {"sample.jsonl", "sample.jsonl.lock", "sample.jsonl.journal"}
    colleague = cli("review", str(real))
    assert colleague.returncode == 2 and "is being reviewed" in colleague.stderr
    session.close()
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert read_aligned(real).beads[0].status == "confirmed"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.jsonl", "shared"]


def test_glossary_add_keeps_a_symlinked_glossary(tmp_path, cli):
    real = tmp_path / "team" / "terms.tsv"
    real.parent.mkdir()
    real.write_text("zh\tvi\ten\tnote\n胡志明市\tTP.HCM\tHo Chi Minh City\t\n", encoding="utf-8")
    real.chmod(0o664)
    link = tmp_path / "glossary.tsv"
    link.symlink_to(real)
    proc = cli("glossary", "add", "潘文迈", "Phan Văn Mãi", "Phan Van Mai", "--file", str(link))
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink()
    assert "Phan Van Mai" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o664


def _error(path, text="new\n") -> WriteError:
    with pytest.raises(WriteError) as err:
        atomic_write_text(path, text)
    assert isinstance(err.value, WorkbenchError) and isinstance(err.value, OSError)
    assert "\n" not in str(err.value)
    return err.value


def _no_temp(folder) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_write_failures_name_the_path_and_leave_nothing_behind(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("old\n")
    err = _error(blocker / "under" / "x.jsonl")
    assert str(err).startswith(f"{blocker / 'under' / 'x.jsonl'}: cannot write: a part of the path is a file")
    assert blocker.read_text() == "old\n"

    folder = tmp_path / "x.tsv"
    folder.mkdir()
    err = _error(folder)
    assert "a folder is in the way" in str(err) and err.errno == errno.EISDIR
    assert folder.is_dir() and _no_temp(tmp_path)

    loop = tmp_path / "loop.tsv"
    loop.symlink_to(tmp_path / "loop2.tsv")
    (tmp_path / "loop2.tsv").symlink_to(loop)
    err = _error(loop)
    assert "symbolic link loop" in str(err) and loop.is_symlink()


@pytest.mark.skipif(AS_ROOT, reason="root writes into read-only folders")
def test_permission_denied(tmp_path):
    target = tmp_path / "kept.txt"
    target.write_text("old\n")
    tmp_path.chmod(0o555)
    try:
        err = _error(target)
        assert "permission denied (the previous file is unchanged)" in str(err)
    finally:
        tmp_path.chmod(0o755)
    assert target.read_text() == "old\n" and _no_temp(tmp_path)


@pytest.mark.parametrize("code, reason", [(errno.EACCES, "permission denied"),
                                          (errno.EROFS, "the file system is read-only")])
def test_a_folder_that_refuses_new_files(tmp_path, monkeypatch, code, reason):
    """As root the kernel never refuses: the refusal is simulated where the temp file is made."""
    target = tmp_path / "kept.txt"
    target.write_text("old\n")

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(store_files.tempfile, "mkstemp", refuse)
    err = _error(target)
    assert str(err) == f"{target}: cannot write: {reason} (the previous file is unchanged)" and err.errno == code
    assert target.read_text() == "old\n"


@pytest.mark.parametrize("stage", ["write", "fsync", "rename"])
def test_a_full_disk_keeps_the_previous_file(tmp_path, monkeypatch, stage):
    path = write_sample(tmp_path)
    before = path.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(store_files.os, {"write": "write", "fsync": "fsync", "rename": "replace"}[stage], full)
    session = ReviewSession.open(path, journal=False)
    session.confirm(0)
    with pytest.raises(OSError) as err:  # the app's save path catches OSError
        session.save()
    assert str(err.value) == f"{path}: cannot write: no space left on the device (the previous file is unchanged)"
    monkeypatch.undo()
    assert path.read_bytes() == before and _no_temp(tmp_path)
    session.close()  # the disk has room again: the edit is saved now
    assert read_aligned(path).beads[0].status == "confirmed"


def _unshare_ok() -> bool:
    if not AS_ROOT or shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


FULL_DISK = r"""
set -e
mount -t tmpfs -o size=256k tmpfs "$DIR"
cp "$SAMPLE" "$DIR/pair.jsonl"
sha256sum "$DIR/pair.jsonl" > "$DIR/../before.sha"
set +e
"$PY" "$SCRIPT" "$DIR/pair.jsonl" "$DIR/filler" 2> "$DIR/../review.err" > "$DIR/../review.out"
echo "review $?" > "$DIR/../codes"
sha256sum "$DIR/pair.jsonl" > "$DIR/../after.sha"
head -c 1000000 /dev/zero > "$DIR/filler" 2>/dev/null
"$PY" -m workbench export tmx "$DIR/pair.jsonl" 2> "$DIR/../export.err"; echo "export $?" >> "$DIR/../codes"
ls -a "$DIR" > "$DIR/../listing"
rm -f "$DIR/filler"
"$PY" -c "
import sys
from workbench.review.session import ReviewSession
s = ReviewSession.open(sys.argv[1])
print(s.restored, s.beads[0].status, max(int(b.note.split()[1]) for b in s.beads if b.note))
s.close()
" "$DIR/pair.jsonl" > "$DIR/../reopen.out"
"""

REVIEW_ON_A_FILLING_DISK = """
import os, sys
from workbench.errors import WorkbenchError
from workbench.review.session import ReviewSession
session = ReviewSession.open(sys.argv[1])
session.confirm(0)  # journaled while there is room
fd = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT)
try:
    while True:
        os.write(fd, bytes(4096))
except OSError:
    os.close(fd)
done = 1
try:
    for n in range(1, 100):  # the journal's last page still has room for a few
        session.set_note(n % len(session.beads), f"note {n} " + "x" * 1000)
        done += 1
except WorkbenchError as exc:
    print("edit:", exc, file=sys.stderr)
print(done)
try:
    session.close()
except OSError as exc:
    print("save:", exc, file=sys.stderr)
"""


@pytest.mark.skipif(not _unshare_ok(), reason="needs root and unshare to mount a tiny tmpfs")
def test_a_really_full_disk(tmp_path, isolated_env):
    """A tmpfs of 256 KiB fills up during a review: the edit that cannot be journaled is refused,
    the save fails in one line, the file is unchanged, and the journaled edit comes back on reopening.
    `export` to the full disk is one line, exit 2."""
    sample = write_sample(tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    script = tmp_path / "review_on_a_filling_disk.py"
    script.write_text(REVIEW_ON_A_FILLING_DISK)
    root = str(workbench.__file__).rsplit("/workbench/", 1)[0]
    env = dict(isolated_env, DIR=str(disk), SAMPLE=str(sample), PY=sys.executable, SCRIPT=str(script),
               PYTHONPATH=root)
    subprocess.run(["unshare", "-m", "sh", "-c", FULL_DISK], env=env, check=True, timeout=120)
    codes = (tmp_path / "codes").read_text()
    assert "review 0" in codes and "export 2" in codes
    review_err = (tmp_path / "review.err").read_text()
    assert "edit: edit not made, it could not be recorded" in review_err and "no space left" in review_err
    assert f"save: {disk}/pair.jsonl.journal: cannot write: no space left on the device" in review_err
    assert "Traceback" not in review_err
    before = (tmp_path / "before.sha").read_text().split()[0]
    assert (tmp_path / "after.sha").read_text().split()[0] == before
    export_err = (tmp_path / "export.err").read_text()
    assert export_err.count("\n") == 1 and "no space left on the device" in export_err
    assert not [n for n in (tmp_path / "listing").read_text().split() if n.endswith(".tmp")]
    acknowledged = int((tmp_path / "review.out").read_text())
    assert 1 <= acknowledged < 100
    # every acknowledged edit, and only those, once there is room again
    assert (tmp_path / "reopen.out").read_text().split() == [str(acknowledged), "confirmed", str(acknowledged - 1)]


def test_header_and_beads_are_one_json_line_each(tmp_path):
    path = write_sample(tmp_path)
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and all(json.loads(line) for line in lines[:-1])
