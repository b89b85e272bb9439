"""Aligned files are validated on read: each defect is one line `file:line: what`, exit 2, in every command."""

from __future__ import annotations

import json
import time

import pytest

from tests.support.review_support import big_aligned, write_sample
from workbench.errors import WorkbenchError
from workbench.review.session import ReviewSession
from workbench.store.aligned import dumps_aligned, read_aligned, write_aligned


def _lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").split("\n") if line]


def _write(path, objects) -> None:
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in objects), encoding="utf-8")


# (case, how to break the sample (a list of JSON objects: header, then beads 1..7 on lines 2..8),
#  line reported, message)
CASES = [
    ("english-is-a-number", lambda o: o[1].update(zh_en=5), 2, '"zh_en" must be text or null, not 5'),
    ("note-is-a-list", lambda o: o[3].update(note=["x"]), 4, '"note" must be text, not ["x"]'),
    ("score-is-text", lambda o: o[2].update(score="high"), 3, '"score" must be a number, not "high"'),
    ("header-without-zh", lambda o: o[0].pop("zh"), 1, 'header has no "zh" document'),
    ("header-without-vi-sentences", lambda o: o[0]["vi"].pop("sentences"), 1, 'header "vi" has no "sentences" list'),
    ("header-sentence-without-text", lambda o: o[0]["zh"]["sentences"][2].pop("text"), 1,
     'header "zh" sentence 2 must be an object with a "text"'),
    ("id-out-of-range", lambda o: o[5].update(zh=[4, 9]), 6, "zh sentence number 9 is out of range (the header has 6)"),
    ("negative-id", lambda o: o[2].update(vi=[-1]), 3, "vi sentence number -1 is negative"),
    ("id-is-text", lambda o: o[2].update(vi=["1"]), 3, '"vi" must be a list of sentence numbers, not ["1"]'),
    ("id-is-true", lambda o: o[2].update(zh=[True]), 3, '"zh" must be a list of sentence numbers, not [true]'),
    ("ids-not-a-list", lambda o: o[2].update(zh=1), 3, '"zh" must be a list of sentence numbers, not 1'),
    ("sentence-in-two-beads", lambda o: o[3].update(zh=[1, 2]), 4, "zh sentence 1 is in two beads (also line 3)"),
    ("empty-bead", lambda o: o[7].update(vi=[]), 8, "bead holds no sentence"),
    ("sentence-missing", lambda o: o[4].update(zh=[]), 1, "zh sentence 3 is in no bead"),
    ("unknown-status", lambda o: o[1].update(status="done"), 2, 'unknown status "done"'),
    ("unknown-origin", lambda o: o[1].update(origin="robot"), 2, 'unknown origin "robot"'),
    ("bead-is-a-list", lambda o: o.__setitem__(2, [0, 0]), 3, "bead is not a JSON object"),
    ("history-not-a-list", lambda o: o[1].update(history="old"), 2, '"history" must be a list of objects'),
]


@pytest.fixture
def broken(tmp_path):
    def make(breaker) -> object:
        path = write_sample(tmp_path)
        objects = _lines(path)
        breaker(objects)
        _write(path, objects)
        return path
    return make


@pytest.mark.parametrize("breaker, line, message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_every_defect_is_one_line_in_review_and_export(broken, cli, breaker, line, message):
    path = broken(breaker)
    before = path.read_bytes()
    for command in (("review", str(path)), ("export", "tmx", str(path))):
        proc = cli(*command)
        assert proc.returncode == 2, (command, proc.stderr)
        assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr, proc.stderr
        assert proc.stderr.startswith(f"error: {path}:{line}: "), proc.stderr
        assert message in proc.stderr, proc.stderr
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no lock, no .tmx, no temp file


def test_not_json_and_not_utf8(tmp_path, cli):
    path = write_sample(tmp_path)
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[:3] + [lines[3][:40]] + lines[4:]), encoding="utf-8")
    proc = cli("review", str(path))
    assert proc.returncode == 2 and proc.stderr.startswith(f"error: {path}:4: bead is not JSON")
    data = "\n".join(lines).encode("utf-8").split(b"\n")
    path.write_bytes(b"\n".join(data[:5] + [b"\xff\xfe" + data[5]] + data[6:]))
    proc = cli("review", str(path))
    assert proc.returncode == 2 and proc.stderr == f"error: {path}:6: not UTF-8 text: not an aligned file\n"


def test_the_review_app_refuses_instead_of_crashing(broken):
    path = broken(lambda o: o[5].update(zh=[4, 9]))
    with pytest.raises(WorkbenchError) as err:
        ReviewSession.open(path)
    assert str(err.value) == f"{path}:6: zh sentence number 9 is out of range (the header has 6)"
    assert not path.with_name(path.name + ".lock").exists()


def test_reading_5000_beads_stays_fast(tmp_path):
    """Validation costs little next to parsing the JSON itself (measured in the same run)."""
    path = tmp_path / "big.jsonl"
    write_aligned(path, big_aligned(5000))
    text = path.read_text(encoding="utf-8")

    def best(fn) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return min(times)

    parse_only = best(lambda: [json.loads(line) for line in text.split("\n") if line])
    full = best(lambda: read_aligned(path))
    assert len(read_aligned(path).beads) == 5000
    assert full < 3 * parse_only + 0.05, (full, parse_only)
    assert dumps_aligned(read_aligned(path)) == text  # and reading loses nothing
