"""Bad input × command: every cell ends with exit 0, 1 or 2, one clear line, nothing half-written.

For every cell: the exit code is the documented one (0 done; 1 done but inputs
skipped; 2 error); on exit 2 exactly one stderr line `error: …` naming the file;
no traceback; no ESC or BEL byte in the output; no temp file left; previous
outputs byte-identical. Most cells run in-process through typer's CliRunner (the
same error handling as `python -m workbench`); read-only and full-disk cells run
the real CLI in a user+mount namespace (a read-only bind mount, a 64 KiB tmpfs),
permission cells as `nobody` when the tests run as root.

Families (cells): reports × commands, aligned files × commands, glossary
folders × commands, glossary imports, write targets × writing commands.
`test_cell_count` prints the total.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, SEEDS
from workbench.cli import app
from workbench.errors import WorkbenchError

ZH = SEEDS / "000_75ef3c063faf8c49.txt"
VI = SEEDS / "002_9180580ce9d8d433.txt"
ESCAPES = "\x1b]52;c;aGVsbG8=\x07 \x1b[2J [link=https://x]text[/link]"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


# ----- running a command and judging the outcome ------------------------------------------------

@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    crash: BaseException | None = None  # an exception that escaped the CLI (a traceback)


def invoke(*args: object) -> Outcome:
    result = CliRunner().invoke(app, [str(a) for a in args])
    crash = result.exception if not isinstance(result.exception, (SystemExit, type(None))) else None
    return Outcome(result.exit_code, result.stdout, result.stderr, crash)


def spawn(args: list[object], cwd: Path, prefix: list[str] | None = None, env: dict | None = None) -> Outcome:
    env = dict(env or os.environ, PYTHONPATH=str(ROOT), COLUMNS="200")
    proc = subprocess.run([*(prefix or []), sys.executable, "-m", "workbench", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)
    return Outcome(proc.returncode, proc.stdout, proc.stderr)


@dataclass
class Expect:
    codes: set[int]
    name: str | None = None          # must be in the error line (exit 2) or on stderr (exit 1)
    intact: dict[Path, bytes] = field(default_factory=dict)  # earlier outputs that must not change
    root: Path | None = None         # no temp file may be left below it


def check(out: Outcome, expect: Expect) -> None:
    text = out.stdout + out.stderr
    assert out.crash is None, repr(out.crash)
    assert "Traceback" not in text
    assert "\x1b" not in text and "\x07" not in text
    assert out.code in expect.codes, (out.code, out.stdout[-500:], out.stderr[-1000:])
    lines = out.stderr.strip().splitlines()
    if out.code == 2:
        assert len(lines) == 1 and lines[0].startswith("error: "), out.stderr
    if out.code == 2 and expect.name:
        assert expect.name in out.stderr, (expect.name, out.stderr)
    if out.code == 1 and expect.name:  # the skipped inputs or the problems found, each named
        assert expect.name in text, (expect.name, text)
    if expect.root is not None:
        assert not [p for p in expect.root.rglob("*.tmp")], "a temp file was left"
    for path, data in expect.intact.items():
        assert path.read_bytes() == data, f"{path} changed"


@pytest.fixture(autouse=True)
def _isolated(isolated_env, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # commands' default folders (aligned/, glossary/) land in tmp


@dataclass
class Assets:
    folder: Path
    aligned: Path
    glossary: Path
    empty_glossary: Path
    csv: Path
    memory: Path
    model_zh: Path


@pytest.fixture(scope="module")
def assets(tmp_path_factory, tiny_model_zh) -> Assets:
    folder = tmp_path_factory.mktemp("assets")
    aligned = folder / "pair.jsonl"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBENCH_DATA_DIR", str(folder / "data"))
        out = invoke("align", ZH, VI, "--mt", "none", "--out", aligned)
    assert out.code == 0, out.stderr
    shutil.copytree(ROOT / "glossary", folder / "glossary")
    empty = folder / "empty.tsv"
    empty.write_text("zh\tvi\ten\tnote\n", encoding="utf-8")
    csv = folder / "terms.csv"
    csv.write_text("zh,vi,en,note\n河内,Hà Nội,Hanoi,city\n", encoding="utf-8")
    return Assets(folder, aligned, folder / "glossary", empty, csv, folder / "tm.sqlite3", tiny_model_zh)


# ----- reports × commands -------------------------------------------------------------------------

def _seed() -> str:
    return ZH.read_text(encoding="utf-8")


BIG5 = ("胡志明市舉行2024年友好對話會議\n\n9月24日，胡志明市人民委員會主席潘文邁在開幕式致辭。會議有來自35個國際地方"
        "政府代表團出席。\n\n市人民委員會主席認為，胡志明市需要從傳統產業轉向高科技產業。\n")
# kind: (bytes, loads as a report, decodes as text)
REPORTS = {
    "utf8": (lambda: _seed().encode(), True, True),
    "empty": (lambda: b"", False, False),
    "blank": (lambda: b"\n   \n\t\n", False, False),
    "png": (lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)), False, False),
    "zip": (lambda: b"PK\x03\x04" + bytes(range(256)), False, False),
    "nul": (lambda: _seed().encode().replace("。".encode(), b"\x00", 3), True, True),  # stray NULs: stripped, noted
    "gbk": (lambda: _seed().encode("gbk"), True, True),
    "big5": (lambda: BIG5.encode("big5"), True, True),
    "utf16_bom": (lambda: _seed().encode("utf-16"), True, True),
    "utf16_no_bom": (lambda: _seed().encode("utf-16-le"), False, False),
    "utf8_bom": (lambda: b"\xef\xbb\xbf" + _seed().encode(), True, True),
    "crlf": (lambda: _seed().replace("\n", "\r\n").encode(), True, True),
    "english": (lambda: b"The city held its friendship dialogue on Tuesday with 35 delegations.\n" * 5,
                False, True),
    "japanese": (lambda: "ホーチミン市は友好対話会議を開催しました。代表団が出席しました。\n".encode() * 5, False, True),
    "escapes": (lambda: _seed().replace("\n\n", f"\n\n报道{ESCAPES}。\n\n", 1).encode(), True, True),
    "huge": (None, False, False),
    "directory": (None, False, False),
    "missing": (None, False, False),
    "symlink_loop": (None, False, False),
}
NOT_IN_A_FOLDER_LISTING = {"directory", "symlink_loop"}  # a folder's listing holds files only
NOT_A_REPORT = {"png", "zip", "utf16_no_bom"}  # told by their first bytes: not reports at all
REPORT_COMMANDS = ("segment", "segment-json", "align", "align-sentences", "pair", "run", "translate")


def make_report(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.txt"
    make = REPORTS[kind][0]
    if make is not None:
        path.write_bytes(make())
    elif kind == "huge":
        with path.open("wb") as fh:
            fh.write(_seed().encode())
            fh.truncate(11 * 1024 * 1024)  # sparse: > 10 MB without writing it
    elif kind == "directory":
        path.mkdir()
    elif kind == "symlink_loop":
        path.symlink_to(path.name)
    return path


REPORT_CELLS = [(k, c) for k in REPORTS for c in REPORT_COMMANDS
                if not (c in ("pair", "run") and k == "missing")]


@pytest.mark.parametrize("kind,command", REPORT_CELLS)
def test_report_inputs(kind, command, tmp_path, assets):
    folder = tmp_path / "in"
    folder.mkdir()
    report = make_report(kind, folder)
    _, loads, decodes = REPORTS[kind]
    out_dir = tmp_path / "out"
    name = report.name
    if command in ("segment", "segment-json"):
        out = invoke("segment", report, *(["--json"] if command == "segment-json" else []))
        expect = Expect({0} if loads else {2}, name)
    elif command == "align":
        out = invoke("align", report, VI, "--mt", "none", "--out", out_dir / "a.jsonl")
        expect = Expect({0} if loads else {2}, name)
    elif command == "align-sentences":
        out = invoke("align-sentences", report, report)
        expect = Expect({0} if decodes else {2}, name)
    elif command == "pair":
        for seed in (ZH, VI):
            shutil.copy(seed, folder / seed.name)
        out = invoke("pair", folder)
        unloadable = not loads and kind not in NOT_IN_A_FOLDER_LISTING and kind not in NOT_A_REPORT
        expect = Expect({1} if unloadable else {0}, None if loads or kind in NOT_IN_A_FOLDER_LISTING else name)
        if not loads and kind not in NOT_IN_A_FOLDER_LISTING:
            assert name in out.stderr
    elif command == "run":
        for seed in (ZH, VI):
            shutil.copy(seed, folder / seed.name)
        out = invoke("run", folder, "--mt", "none", "--out", out_dir)
        skipped = not loads and kind not in NOT_IN_A_FOLDER_LISTING
        # A file that is no report at all (an image) is listed and passed over; a report that
        # cannot be read means the job is incomplete.
        failed = skipped and kind not in NOT_A_REPORT
        expect = Expect({1} if failed else {0}, name if skipped else None, root=tmp_path)
        if skipped:  # exactly one line: the report and why
            assert out.stderr.strip().splitlines() == [line for line in out.stderr.strip().splitlines()
                                                       if line.startswith("skipped: ") and name in line]
            assert len(out.stderr.strip().splitlines()) == 1
    else:  # translate, with the tiny model
        out = invoke("translate", report, "--out", out_dir, "--model-zh", assets.model_zh, "--memory",
                     assets.memory, "--no-progress", "--no-glossary")
        if loads:
            expect = Expect({0})
            assert (out_dir / f"{kind}.en.txt").is_file()
        else:
            expect = Expect({2} if kind in ("directory", "missing", "symlink_loop") else {1}, name)
    check(out, expect)
    if kind == "escapes" and out.code == 0 and command in ("segment", "run", "pair"):
        assert "[link=https://x]" in out.stdout or command in ("run", "pair")


# ----- aligned files × commands -------------------------------------------------------------------

def _aligned_parts(good: Path) -> tuple[dict, list[dict]]:
    lines = good.read_text(encoding="utf-8").split("\n")[:-1]
    return json.loads(lines[0]), [json.loads(line) for line in lines[1:]]


def make_aligned(kind: str, folder: Path, good: Path) -> Path:
    path = folder / f"{kind}.jsonl"
    header, beads = _aligned_parts(good)
    two = next(i for i, b in enumerate(beads) if b["zh"] and b["vi"])
    if kind == "bad_json":
        text = good.read_text(encoding="utf-8") + "{not json\n"
    elif kind == "zh_en_is_5":
        beads[two]["zh_en"] = 5
    elif kind == "ids_out_of_range":
        beads[two]["zh"] = [len(header["zh"]["sentences"]) + 7]
    elif kind == "negative_ids":
        beads[two]["vi"] = [-1]
    elif kind == "header_without_zh":
        del header["zh"]
    elif kind == "control_text":
        beads[two].update(status="confirmed", zh_text=beads[two]["zh_text"] + ESCAPES,
                          note="note " + ESCAPES)
    if kind in ("empty", "binary", "a_report", "directory", "missing", "symlink_loop"):
        if kind == "empty":
            path.write_bytes(b"")
        elif kind == "binary":
            path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        elif kind == "a_report":
            shutil.copy(ZH, path)
        elif kind == "directory":
            path.mkdir()
        elif kind == "symlink_loop":
            path.symlink_to(path.name)
        return path
    if kind != "bad_json":
        text = "\n".join(json.dumps(x, ensure_ascii=False) for x in [header, *beads]) + "\n"
    path.write_text(text, encoding="utf-8")
    return path


ALIGNED_KINDS = ("bad_json", "zh_en_is_5", "ids_out_of_range", "negative_ids", "header_without_zh", "empty",
                 "binary", "a_report", "directory", "missing", "symlink_loop", "control_text")
# Refused by validation on read (types, ids in range, no negative ids, every sentence once).
VALIDATED = {"zh_en_is_5", "ids_out_of_range", "negative_ids", "header_without_zh"}
ALIGNED_COMMANDS = ("export-tmx", "export-tsv", "audit", "suggest", "search", "review")
ALIGNED_CELLS = [(k, c) for k in ALIGNED_KINDS for c in ALIGNED_COMMANDS
                 if not (c == "review" and k == "control_text")]  # a valid file: review opens the app


@pytest.mark.parametrize("kind,command", ALIGNED_CELLS)
def test_aligned_inputs(kind, command, tmp_path, assets):
    path = make_aligned(kind, tmp_path, assets.aligned)
    good = kind == "control_text"
    if command.startswith("export"):
        target = tmp_path / f"out.{command[-3:]}"
        out = invoke("export", command[-3:], path, "--out", target)
    elif command == "audit":
        out = invoke("glossary", "audit", path, "-g", assets.glossary)
    elif command == "suggest":
        out = invoke("glossary", "suggest", path, "-g", assets.glossary)
    elif command == "search":
        out = invoke("search", "潘文迈", path, "--glossary", assets.glossary)
    else:
        out = invoke("review", path, "--read-only")
    check(out, Expect({0, 1} if good and command in ("audit", "search") else {0} if good else {2}, path.name, root=tmp_path))
    if good and command == "export-tmx":
        from lxml import etree

        etree.parse(str(target))  # well-formed XML whatever the text holds


# ----- glossary folders × commands ----------------------------------------------------------------

GLOSSARY_KINDS = {
    # kind: (check, list/export/align, add) exit codes
    "malformed_rows": (1, 2, 0),
    "invalid_utf8": (1, 2, 0),
    "no_header": (1, 2, 0),
    "empty_file": (1, 2, 0),
    "crlf_bom": (0, 0, 0),
    "escapes": (0, 0, 0),
    "folder_named_tsv": (2, 2, 2),
    "symlink_loop": (2, 2, 2),
    "missing": (2, 2, 0),
}
GLOSSARY_COMMANDS = ("check", "list", "add", "export", "align")


def make_glossary(kind: str, root: Path) -> tuple[Path, str]:
    """A glossary folder holding one file of `kind`, and the name an error must give."""
    folder = root / "glossary"
    if kind == "missing":
        return folder, folder.name
    folder.mkdir()
    bad = folder / f"{kind}.tsv"
    head = "zh\tvi\ten\tnote\n"
    if kind == "malformed_rows":
        bad.write_text(head + "越南\tViệt Nam\n胡志明市\t\tHo Chi Minh City\t\n", encoding="utf-8")
    elif kind == "invalid_utf8":
        bad.write_bytes(head.encode() + b"\xff\xfe\tViet\tVietnam\t\n")
    elif kind == "no_header":
        bad.write_text("越南,Việt Nam,Vietnam\n", encoding="utf-8")
    elif kind == "empty_file":
        bad.write_bytes(b"")
    elif kind == "crlf_bom":
        bad.write_bytes(b"\xef\xbb\xbf" + (head + "越南\tViệt Nam\tVietnam\tcountry\n").replace("\n", "\r\n").encode())
    elif kind == "escapes":
        bad.write_text(head + f"越南\tViệt Nam\tVietnam\tcountry {ESCAPES}\n", encoding="utf-8")
    elif kind == "folder_named_tsv":
        bad.mkdir()
    elif kind == "symlink_loop":
        bad.symlink_to(bad.name)
    return folder, bad.name


GLOSSARY_CELLS = [(k, c) for k in GLOSSARY_KINDS for c in GLOSSARY_COMMANDS]


@pytest.mark.parametrize("kind,command", GLOSSARY_CELLS)
def test_glossary_inputs(kind, command, tmp_path):
    folder, name = make_glossary(kind, tmp_path)
    check_code, use_code, add_code = GLOSSARY_KINDS[kind]
    if command == "check":
        out, code = invoke("glossary", "check", folder), check_code
    elif command == "list":
        out, code = invoke("glossary", "list", "-g", folder), use_code
    elif command == "add":
        out, code = invoke("glossary", "add", "河内", "Hà Nội", "Hanoi", "--file", folder / "new.tsv"), add_code
    elif command == "export":
        out, code = invoke("glossary", "export", "csv", "-g", folder, "--out", tmp_path / "g.csv"), use_code
    else:
        out, code = invoke("align", ZH, VI, "--mt", "none", "--glossary", folder, "--out", tmp_path / "a.jsonl"), use_code
    check(out, Expect({code}, name, root=tmp_path))
    if code == 1:
        assert name in out.stdout  # `check` lists each problem with file and line
    if kind == "escapes" and command == "list":
        assert "[link=https://x]text[/link]" in out.stdout and "␛]52;c;aGVsbG8=␇" in out.stdout


IMPORTS = {
    # kind: (format, bytes or None for a special file, exit code)
    "csv_wrong_header": ("csv", b"a,b,c\n1,2,3\n", 2),
    "csv_wrong_columns": ("csv", "zh,vi,en,note\n越南,Việt Nam\n".encode(), 2),
    "csv_bad_row": ("csv", "zh,vi,en,note\n越南,,Vietnam,\n".encode(), 2),
    "csv_binary": ("csv", b"\x89PNG\r\n\x1a\n\xff\xfe", 2),
    "csv_escapes": ("csv", f"zh,vi,en,note\n越南,Việt Nam,Vietnam,{ESCAPES}\n".encode(), 0),
    "tbx_not_xml": ("tbx", b"<tbx><text>", 2),
    "tbx_empty": ("tbx", b"", 2),
    "tbx_not_tbx": ("tbx", b"<html><body/></html>", 2),
    "tbx_no_concepts": ("tbx", b'<tbx xmlns="urn:iso:std:iso:30042:ed-2"><text><body/></text></tbx>', 2),
    "missing": ("csv", None, 2),
    "directory": ("tbx", None, 2),
    "symlink_loop": ("csv", None, 2),
}


@pytest.mark.parametrize("kind", IMPORTS)
def test_glossary_imports(kind, tmp_path):
    fmt, data, code = IMPORTS[kind]
    source = tmp_path / f"{kind}.{fmt}"
    if data is not None:
        source.write_bytes(data)
    elif kind == "directory":
        source.mkdir()
    elif kind == "symlink_loop":
        source.symlink_to(source.name)
    target = tmp_path / "g" / "new.tsv"
    out = invoke("glossary", "import", fmt, source, "--file", target)
    check(out, Expect({code}, source.name, root=tmp_path))
    assert target.exists() == (code == 0)


# ----- write targets × writing commands -----------------------------------------------------------

WRITERS = ("align", "run", "export-tmx", "export-tsv", "glossary-add", "glossary-import", "glossary-export",
           "glossary-suggest", "translate")
FOLDER_OUTPUT = {"run", "translate"}  # their --out is a folder


def writer_args(command: str, target: Path, assets: Assets, tmp: Path, second: bool = False) -> list[object]:
    """The command writing to `target`; `second` changes the inputs so that a re-run must write again."""
    if command == "align":
        return ["align", ZH, VI, "--mt", "none", "--out", target, *(["--mode", "parallel"] if second else [])]
    if command == "run":
        folder = tmp / "reports"
        if not folder.exists():
            folder.mkdir()
            for seed in (ZH, VI):
                shutil.copy(seed, folder / seed.name)
        return ["run", folder, "--mt", "none", "--out", target, *(["--mode", "parallel"] if second else [])]
    if command.startswith("export-"):
        return ["export", command[-3:], assets.aligned, "--out", target]
    if command == "glossary-add":
        return ["glossary", "add", "河内", "Hà Nội", "Hanoi", "--file", target]
    if command == "glossary-import":
        return ["glossary", "import", "csv", assets.csv, "--file", target]
    if command == "glossary-export":
        return ["glossary", "export", "csv", "-g", assets.glossary, "--out", target]
    if command == "glossary-suggest":
        return ["glossary", "suggest", assets.aligned, "--write", "--file", target, "-g", assets.empty_glossary]
    return ["translate", ZH, "--out", target, "--model-zh", assets.model_zh, "--memory", assets.memory,
            "--no-progress", "--no-glossary"]


def previous_output(command: str, target: Path, assets: Assets, tmp: Path) -> dict[Path, bytes]:
    """Make an earlier output at `target` (as a first, successful run would); returns what must stay."""
    if command in ("align", "run"):
        out = invoke(*writer_args(command, target, assets, tmp))
        assert out.code == 0, out.stderr
        files = [target] if command == "align" else sorted(target.glob("*.jsonl"))
    elif command == "translate":
        target.mkdir(parents=True)
        files = [target / f"{ZH.stem}.en.txt"]
        files[0].write_text("an earlier translation\n", encoding="utf-8")
    elif command.startswith("glossary-") and command != "glossary-export":
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("zh\tvi\ten\tnote\n越南\tViệt Nam\tVietnam\t\n", encoding="utf-8")
        files = [target]
    else:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("an earlier export\n", encoding="utf-8")
        files = [target]
    return {f: f.read_bytes() for f in files}


def _disk_full_on_fsync(real_fsync):
    def fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            return real_fsync(fd)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return fsync


TARGET_KINDS = ("under_a_file", "folder_for_a_file", "symlink_loop", "disk_full")
WRITE_CELLS = [(k, c) for k in TARGET_KINDS for c in WRITERS]


@pytest.mark.parametrize("kind,command", WRITE_CELLS)
def test_write_failures(kind, command, tmp_path, assets, monkeypatch):
    blocker = tmp_path / "plain.txt"
    blocker.write_text("a regular file\n")
    intact: dict[Path, bytes] = {blocker: blocker.read_bytes()}
    second = False
    if kind == "under_a_file":
        target, name = blocker / ("out" if command in FOLDER_OUTPUT else "out.x"), blocker.name
    elif kind == "folder_for_a_file":
        if command in FOLDER_OUTPUT:
            target, name = blocker, blocker.name  # a file where a folder is expected
        else:
            target = tmp_path / "a-folder"
            target.mkdir()
            name = target.name
    elif kind == "symlink_loop":
        target = tmp_path / "loop"
        target.symlink_to(target.name)
        name = target.name
    else:
        target = tmp_path / "out" / ("out" if command in FOLDER_OUTPUT else "out.x")
        name = target.name if command not in ("align", "run") else "out"
        intact.update(previous_output(command, target, assets, tmp_path))
        second = True
        monkeypatch.setattr(os, "fsync", _disk_full_on_fsync(os.fsync))
    out = invoke(*writer_args(command, target, assets, tmp_path, second))
    codes = {1, 2} if command == "translate" and kind == "disk_full" else {2}  # per file: see translate
    check(out, Expect(codes, name, intact, root=tmp_path))
    if kind == "disk_full":
        assert "no space left" in out.stderr.lower()


MEMORY_KINDS = ("damaged", "a_folder", "under_a_file", "symlink_loop")


@pytest.mark.parametrize("kind", MEMORY_KINDS)
def test_translation_memory_files(kind, tmp_path, assets):
    memory = tmp_path / "tm.sqlite3"
    intact = {}
    if kind == "damaged":
        memory.write_bytes(b"not a database, " * 512)
        intact[memory] = memory.read_bytes()
    elif kind == "a_folder":
        memory.mkdir()
    elif kind == "under_a_file":
        (tmp_path / "plain").write_text("x")
        memory = tmp_path / "plain" / "tm.sqlite3"
    else:
        memory.symlink_to(memory.name)
    out = invoke("translate", ZH, "--out", tmp_path / "out", "--model-zh", assets.model_zh, "--memory", memory,
                 "--no-progress", "--no-glossary")
    check(out, Expect({2}, "tm.sqlite3", intact, root=tmp_path))
    assert "translation memory" in out.stderr or "folder" in out.stderr


def test_locked_memory_is_one_clear_error_and_keeps_what_was_stored(tmp_path):
    import sqlite3

    from workbench.translate.memory import TranslationMemory

    path = tmp_path / "tm.sqlite3"
    memory = TranslationMemory(path)
    memory.store("model", "{}", [("越南", "Vietnam", False)])
    memory._db.execute("PRAGMA busy_timeout = 50")  # not the minute a real run waits
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    with pytest.raises(WorkbenchError) as caught:
        memory.store("model", "{}", [("河内", "Hanoi", False)])
    assert str(path) in str(caught.value) and "locked" in str(caught.value) and "\n" not in str(caught.value)
    other.execute("ROLLBACK")
    assert memory.lookup("model", "{}", ["越南"]) == {"越南": ("Vietnam", False)}
    memory.store("model", "{}", [("河内", "Hanoi", False)])
    assert memory.count() == 2


# ----- the real CLI on a read-only folder, a full disk, and as a user without permission ----------

def _namespace_works() -> bool:
    if not shutil.which("unshare"):
        return False
    try:
        return subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt 2>/dev/null || "
                               "mount -t tmpfs tmpfs \"$TMPDIR\""], capture_output=True, timeout=20,
                              env=dict(os.environ, TMPDIR=tempfile.gettempdir())).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


NAMESPACE = _namespace_works()
MOUNT_WRITERS = ("align", "run", "export-tmx", "glossary-add", "glossary-export", "translate")


@pytest.mark.skipif(not NAMESPACE, reason="needs user and mount namespaces (unshare -rm)")
@pytest.mark.parametrize("kind", ("read_only", "disk_full"))
@pytest.mark.parametrize("command", MOUNT_WRITERS)
def test_write_failures_on_real_file_systems(kind, command, tmp_path, assets, isolated_env):
    """The real CLI in its own mount namespace: a read-only bind mount, or a full 64 KiB tmpfs."""
    place = tmp_path / "place"
    place.mkdir()
    target = place / ("out" if command in FOLDER_OUTPUT else "out.x")
    intact = previous_output(command, target, assets, tmp_path)
    args = writer_args(command, target, assets, tmp_path, second=True)
    if command == "translate" and kind == "disk_full":
        memory = place / "tm.sqlite3"  # the translation memory on the full disk
        shutil.copy(assets.memory, memory) if assets.memory.exists() else None
        args[args.index("--memory") + 1] = memory
        intact.update({memory: memory.read_bytes()} if memory.exists() else {})
    stash = tmp_path / "stash"
    shutil.copytree(place, stash, symlinks=True)
    if kind == "read_only":
        setup = f'mount --bind "{place}" "{place}" && mount -o remount,bind,ro "{place}"'
    else:  # a tmpfs holding the earlier outputs, then filled up
        setup = (f'mount -t tmpfs -o size=64k tmpfs "{place}" && cp -a "{stash}/." "{place}/" && '
                 f'(head -c 1048576 /dev/zero > "{place}/filler" 2>/dev/null || true)')
    report = tmp_path / "report"
    script = (f'set -e; {setup}; set +e; "{sys.executable}" -m workbench '
              + " ".join(f"'{a}'" for a in args)
              + f' >"{report}.out" 2>"{report}.err"; echo $? >"{report}.rc"; '
              f'find "{place}" -name "*.tmp" >"{report}.tmp"; '
              + "".join(f'cmp -s "{p}" "{stash / p.relative_to(place)}" || echo "{p}" >>"{report}.changed"; '
                        for p in intact if p.is_relative_to(place)))
    proc = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=180,
                          env=dict(isolated_env, PYTHONPATH=str(ROOT), COLUMNS="200"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = Outcome(int(Path(f"{report}.rc").read_text()), Path(f"{report}.out").read_text(),
                  Path(f"{report}.err").read_text())
    check(out, Expect({2}, str(place)))
    assert Path(f"{report}.tmp").read_text() == "", "a temp file was left"
    assert not Path(f"{report}.changed").exists(), Path(f"{report}.changed").read_text()
    said = "read-only" if kind == "read_only" else "no space left"
    assert said in out.stderr, out.stderr


def _without_privileges() -> list[str] | None:
    """A command prefix that runs without root's power to read and write anything.

    As root: a user namespace where this process is an ordinary user (no capabilities;
    files keep their owner, so the interpreter stays readable). Otherwise: nothing needed.
    """
    if not IS_ROOT:
        return []
    prefix = ["unshare", "-U", "--map-user=65534", "--map-group=65534"]
    try:
        probe = subprocess.run([*prefix, "sh", "-c", "grep -q 'CapEff:.*0000000000000000' /proc/self/status"],
                               capture_output=True, timeout=20)
    except (OSError, subprocess.SubprocessError):
        return None
    return prefix if probe.returncode == 0 else None


PERMISSION_CELLS = ("unreadable-report-segment", "unreadable-report-run", "unreadable-glossary-check",
                    "read-only-memory-translate", "unwritable-folder-align", "unwritable-folder-export",
                    "unwritable-folder-glossary-add")


@pytest.mark.skipif(_without_privileges() is None, reason="running as root without user namespaces")
@pytest.mark.parametrize("cell", PERMISSION_CELLS)
def test_permissions(cell, tmp_path, assets, isolated_env):
    base = tmp_path / "perm"
    base.mkdir()
    try:
        reports = base / "reports"
        reports.mkdir()
        for seed in (ZH, VI):
            shutil.copy(seed, reports / seed.name)
        shutil.copy(ZH, reports / "another-zh.txt")  # so that a pair is left to align
        aligned = base / "pair.jsonl"
        shutil.copy(assets.aligned, aligned)
        locked = base / "locked"
        locked.mkdir()
        target, expect_code = None, 2
        if cell.startswith("unreadable-report"):
            secret = reports / ZH.name
            secret.chmod(0)
            args = ["segment", secret] if cell.endswith("segment") else ["run", reports, "--mt", "none",
                                                                         "--out", base / "out"]
            expect_code = 2 if cell.endswith("segment") else 1
            name = secret.name
        elif cell == "unreadable-glossary-check":
            (locked / "terms.tsv").write_text("zh\tvi\ten\tnote\n", encoding="utf-8")
            (locked / "terms.tsv").chmod(0)
            args, name = ["glossary", "check", locked], "terms.tsv"
        elif cell == "read-only-memory-translate":
            memory = base / "tm.sqlite3"
            memory.write_bytes(b"")  # a read-only memory that has to take new translations
            memory.chmod(0o444)
            args = ["translate", reports / ZH.name, "--out", base / "en", "--model-zh", assets.model_zh,
                    "--memory", memory, "--no-progress", "--no-glossary"]
            name = memory.name
        else:
            locked.chmod(0o555)
            target = locked / "out.x"
            args = {"align": ["align", ZH, VI, "--mt", "none", "--out", target],
                    "export": ["export", "tmx", aligned, "--out", target],
                    "glossary-add": ["glossary", "add", "河内", "Hà Nội", "Hanoi", "--file", target]}[
                        cell.split("folder-")[1]]
            name = str(locked)
        env = dict(isolated_env, WORKBENCH_DATA_DIR=str(base / "data"), HOME=str(base))
        out = spawn(args, base, _without_privileges(), env)
        check(out, Expect({expect_code}, name, root=base))
        assert ("read-only" if "memory" in cell else "permission denied") in out.stderr.lower()
        assert target is None or not target.exists()
    finally:  # let pytest clean up
        for path in base.rglob("*"):
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)


def test_cell_count(capsys):
    cells = {
        "reports × commands": len(REPORT_CELLS),
        "aligned files × commands": len(ALIGNED_CELLS),
        "glossary folders × commands": len(GLOSSARY_CELLS),
        "glossary imports": len(IMPORTS),
        "write targets × commands (in-process)": len(WRITE_CELLS),
        "read-only / full disk (real CLI)": 2 * len(MOUNT_WRITERS),
        "translation memory files": len(MEMORY_KINDS) + 1,
        "permissions (real CLI)": len(PERMISSION_CELLS),
    }
    with capsys.disabled():
        print(f"\nbad-input matrix: {sum(cells.values())} cells: "
              + ", ".join(f"{k} {v}" for k, v in cells.items()))
    assert sum(cells.values()) >= 250
