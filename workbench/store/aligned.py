"""`aligned/*.jsonl` files: the bead data model, validated reading and serialising.

Line 1 is a header object; every further line is one bead. Unaligned
sentences are beads with one side empty, kept in reading order so a reviewer
sees them in place. Lines end with `\\n` only: every character that
`str.splitlines()` (or another tool) could take for a line break is written as a
JSON escape, and reading splits on `\\n` alone.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError
from workbench.store.files import atomic_write_text, reason

FORMAT = "workbench-aligned"
VERSION = 1
STATUSES = ("auto", "confirmed", "rejected")
ORIGINS = ("auto", "manual")
SIDES = ("zh", "vi")

@dataclass
class Bead:
    """One alignment unit: zh sentence ids ↔ vi sentence ids, with texts and English."""

    zh: list[int]
    vi: list[int]
    zh_text: str = ""
    vi_text: str = ""
    zh_en: str | None = None  # English of the zh side (MT or edited); None = unavailable
    vi_en: str | None = None
    score: float = 0.0
    status: str = "auto"
    note: str = ""
    # Earlier English versions (e.g. the MT output before a reviewer's edit).
    history: list[dict[str, Any]] = field(default_factory=list)
    # "auto": cut by the aligner; "manual": cut by a reviewer (link, unlink, merge, split, move).
    origin: str = "auto"

    @property
    def touched(self) -> bool:
        """Whether a person acted on this bead: re-cut, confirmed, rejected, noted or edited.

        A re-run keeps such beads exactly; only untouched stretches are realigned.
        """
        return self.origin != "auto" or self.status != "auto" or bool(self.note) or bool(self.history)

    @property
    def notation(self) -> str:
        """The standard bead notation, e.g. `[2, 3]:[4]`."""
        return f"{self.zh}:{self.vi}"

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, obj: Any, path: str | Path, line: int,
                  sizes: dict[str, int] | None = None) -> "Bead":
        """A bead from its JSON object; any wrong type, unknown value or (given `sizes`, the
        sentence count of each side) id out of range is a WorkbenchError naming file and line."""
        if type(obj) is dict:  # one pass over the common, valid case (files of thousands of beads)
            get = obj.get
            zh, vi, score, history = get("zh"), get("vi"), get("score", 0.0), get("history", [])
            n_zh, n_vi = (sizes["zh"], sizes["vi"]) if sizes is not None else (math.inf, math.inf)
            zh_en, vi_en = get("zh_en"), get("vi_en")
            bead = cls(zh=zh, vi=vi, zh_text=get("zh_text", ""), vi_text=get("vi_text", ""), zh_en=zh_en,
                       vi_en=vi_en, score=score, status=get("status", "auto"), note=get("note", ""),
                       history=history, origin=get("origin", "auto"))
            if (type(zh) is list and type(vi) is list and (zh or vi)
                    and all(type(i) is int and 0 <= i < n_zh for i in zh)
                    and all(type(i) is int and 0 <= i < n_vi for i in vi)
                    and type(bead.zh_text) is str and type(bead.vi_text) is str and type(bead.note) is str
                    and (zh_en is None or type(zh_en) is str) and (vi_en is None or type(vi_en) is str)
                    and (type(score) is float or type(score) is int) and math.isfinite(score)
                    and bead.status in STATUSES and bead.origin in ORIGINS
                    and type(history) is list and all(type(h) is dict for h in history)):
                bead.score = float(score)
                return bead
        raise _bead_defect(obj, sizes, path, line)


def _bead_defect(obj: Any, sizes: dict[str, int] | None, path: str | Path, line: int) -> WorkbenchError:
    """The first thing wrong with a bead that `Bead.from_json` refused, as a one-line error."""
    def fail(what: str) -> WorkbenchError:
        return WorkbenchError(what, path, line)

    if not isinstance(obj, dict):
        return fail("bead is not a JSON object")
    for side in SIDES:
        value = obj.get(side)
        if not isinstance(value, list) or not all(type(i) is int for i in value):
            return fail(f'"{side}" must be a list of sentence numbers, not {_shown(value)}')
        for i in value:
            if i < 0:
                return fail(f"{side} sentence number {i} is negative")
            if sizes is not None and i >= sizes[side]:
                return fail(f"{side} sentence number {i} is out of range (the header has {sizes[side]})")
    if not obj["zh"] and not obj["vi"]:
        return fail("bead holds no sentence")
    for key in ("zh_text", "vi_text", "note"):
        if not isinstance(obj.get(key, ""), str):
            return fail(f'"{key}" must be text, not {_shown(obj[key])}')
    for key in ("zh_en", "vi_en"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return fail(f'"{key}" must be text or null, not {_shown(obj[key])}')
    score = obj.get("score", 0.0)
    if type(score) not in (int, float) or not math.isfinite(score):
        return fail(f'"score" must be a number, not {_shown(score)}')
    history = obj.get("history", [])
    if not isinstance(history, list) or not all(isinstance(h, dict) for h in history):
        return fail('"history" must be a list of objects')
    status, origin = obj.get("status", "auto"), obj.get("origin", "auto")
    if status not in STATUSES:
        return fail(f"unknown status {_shown(status)} (expected one of {', '.join(STATUSES)})")
    return fail(f"unknown origin {_shown(origin)} (expected one of {', '.join(ORIGINS)})")


def _shown(value: Any) -> str:
    """A JSON value as it reads in the file, shortened for a one-line message."""
    text = json.dumps(value, ensure_ascii=True)
    return text if len(text) <= 40 else text[:37] + "..."


@dataclass
class AlignedFile:
    """A header (documents, hashes, models, glossary) and the beads of one zh/vi pair."""

    header: dict[str, Any]
    beads: list[Bead]

    @staticmethod
    def make_header(*, zh: dict[str, Any], vi: dict[str, Any], models: dict[str, Any] | None = None,
                    glossary: str | None = None, mode: str = "", **extra: Any) -> dict[str, Any]:
        """Build a header.

        zh/vi: {"file": name, "sha256": of the raw report, "title": str, "lang": "zh"|"vi",
        "sentences": [{"text": str, "kind": "title"|"body"|"caption", "en": str | None}]}.
        Bead ids index into these sentence lists, so a reviewer's link/split/move can
        rebuild bead texts (and per-sentence English) from the header.
        models: {"zh": model identity | None, "vi": ...}; glossary: hash of the glossary files.
        """
        return {"format": FORMAT, "version": VERSION, "zh": zh, "vi": vi,
                "models": models or {}, "glossary": glossary, "mode": mode, **extra}


def read_aligned(path: str | Path) -> AlignedFile:
    """Read and validate an aligned file as it is on disk (without a pending review journal).

    Every defect is a WorkbenchError `file:line: what`.
    """
    path = Path(path)
    return parse_aligned(read_bytes(path), path)


def read_bytes(path: Path) -> bytes:
    """The bytes of an aligned file; a missing or unreadable file is a WorkbenchError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise WorkbenchError("no such aligned file", path) from None
    except IsADirectoryError:
        raise WorkbenchError("is a folder, not an aligned file", path) from None
    except OSError as exc:
        raise WorkbenchError(f"cannot read: {reason(exc)}", path) from None


def content_hash(data: bytes) -> str:
    """sha256 of a file's bytes: what a review journal's edits are stamped with."""
    return hashlib.sha256(data).hexdigest()


def parse_aligned(data: bytes, path: str | Path) -> AlignedFile:
    """Parse and validate the bytes of an aligned file (see `read_aligned`)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise WorkbenchError("not UTF-8 text: not an aligned file", path, line) from None
    lines = text.split("\n")  # never str.splitlines(): U+2028 and kin may sit inside a line
    if not text.strip():
        raise WorkbenchError("empty file: not an aligned file", path)
    header = _json_line(lines[0], path, 1, "header")
    check_format(header, path)
    # JSON syntax of every line first: a file cut or mangled is the first thing to say
    objects = [(number, _json_line(line, path, number, "bead"))
               for number, line in enumerate(lines[1:], start=2) if line.strip()]
    sizes = check_header(header, path)
    beads = [Bead.from_json(obj, path, number, sizes) for number, obj in objects]
    aligned = AlignedFile(header=header, beads=beads)
    check_coverage(aligned, path, [number for number, _ in objects])
    return aligned


def _json_line(line: str, path: str | Path, number: int, what: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise WorkbenchError(f"{what} is not JSON ({exc.msg}, column {exc.colno})", path, number) from None
    except RecursionError:
        raise WorkbenchError(f"{what} is nested too deeply", path, number) from None


def check_format(header: Any, path: str | Path) -> None:
    """The header (line 1) names this format, in a version this workbench reads."""
    def fail(what: str) -> WorkbenchError:
        return WorkbenchError(what, path, 1)

    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise fail(f"not a {FORMAT} file (missing header)")
    version = header.get("version")
    if type(version) is not int:
        raise fail(f"format version {_shown(version)} is not a version number")
    if version > VERSION:
        raise fail(f"format version {version} is newer than this workbench reads ({VERSION}); upgrade workbench")


def check_header(header: dict[str, Any], path: str | Path) -> dict[str, int]:
    """Validate the header's two documents; returns the sentence count of each side."""
    def fail(what: str) -> WorkbenchError:
        return WorkbenchError(what, path, 1)

    sizes = {}
    for side in SIDES:
        doc = header.get(side)
        if not isinstance(doc, dict):
            raise fail(f'header has no "{side}" document')
        for key in ("file", "title", "sha256", "lang"):
            if doc.get(key) is not None and not isinstance(doc[key], str):
                raise fail(f'header "{side}" "{key}" must be text, not {_shown(doc[key])}')
        sentences = doc.get("sentences")
        if not isinstance(sentences, list):
            raise fail(f'header "{side}" has no "sentences" list')
        for i, sentence in enumerate(sentences):
            if not isinstance(sentence, dict) or not isinstance(sentence.get("text"), str):
                raise fail(f'header "{side}" sentence {i} must be an object with a "text"')
            if sentence.get("en") is not None and not isinstance(sentence["en"], str):
                raise fail(f'header "{side}" sentence {i} "en" must be text or null, not {_shown(sentence["en"])}')
        sizes[side] = len(sentences)
    return sizes


def check_coverage(aligned: AlignedFile, path: str | Path, lines: list[int]) -> None:
    """Every sentence of each side in exactly one bead; `lines[k]` is bead k's line in the file."""
    for side in SIDES:
        owner: list[int | None] = [None] * len(aligned.header[side]["sentences"])
        for bead, line in zip(aligned.beads, lines):
            for i in getattr(bead, side):
                if owner[i] is not None:
                    raise WorkbenchError(f"{side} sentence {i} is in two beads (also line {owner[i]})", path, line)
                owner[i] = line
        missing = [i for i, o in enumerate(owner) if o is None]
        if missing:
            more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
            raise WorkbenchError(f"{side} sentence {missing[0]} is in no bead{more}", path, 1)


# Characters str.splitlines() (and other readers) treat as line breaks that json.dumps leaves raw,
# and lone surrogates (not encodable as UTF-8): written as JSON escapes.
_RAW_IN_JSON = re.compile("[\x85\u2028\u2029\ud800-\udfff]")


def dumps_line(obj: Any) -> str:
    """One JSONL line: `obj` as JSON with no character a reader could take for a line break, plus `\\n`."""
    text = json.dumps(obj, ensure_ascii=False)
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def dumps_aligned(aligned: AlignedFile) -> str:
    return dumps_line(aligned.header) + "".join(dumps_line(b.to_json()) for b in aligned.beads)


def write_aligned(path: str | Path, aligned: AlignedFile) -> None:
    atomic_write_text(path, dumps_aligned(aligned))


def aligned_name(zh_file: str | Path, vi_file: str | Path) -> str:
    """`aligned/<zh>__<vi>.jsonl` naming: the two report stems joined by `__`."""
    return f"{Path(zh_file).stem}__{Path(vi_file).stem}.jsonl"


def join_sentences(lang: str, texts: list[str]) -> str:
    """Join sentences of one side: Chinese without spaces, other languages with one."""
    return ("" if lang == "zh" else " ").join(t for t in texts if t)


def make_bead(header: dict[str, Any], zh: list[int], vi: list[int], score: float = 0.0,
              status: str = "auto", note: str = "") -> Bead:
    """A bead whose texts and English are rebuilt from the header's sentence lists."""
    def side(name: str, ids: list[int]) -> tuple[str, str | None]:
        sents = header[name]["sentences"]
        text = join_sentences(name, [sents[i]["text"] for i in ids])
        ens = [sents[i].get("en") for i in ids]
        english = None if any(e is None for e in ens) or not ids else join_sentences("en", ens)
        return text, english

    zh_text, zh_en = side("zh", zh)
    vi_text, vi_en = side("vi", vi)
    return Bead(zh=list(zh), vi=list(vi), zh_text=zh_text, vi_text=vi_text, zh_en=zh_en, vi_en=vi_en,
                score=round(float(score), 4), status=status, note=note)
