"""`aligned/*.jsonl` files: the bead data model, atomic reading and writing.

Line 1 is a header object; every further line is one bead. Unaligned
sentences are beads with one side empty, kept in reading order so a reviewer
sees them in place.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from workbench.errors import WorkbenchError

FORMAT = "workbench-aligned"
VERSION = 1
STATUSES = ("auto", "confirmed", "rejected")


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
    def from_json(cls, obj: dict[str, Any], path: Path, line: int) -> "Bead":
        try:
            bead = cls(
                zh=[int(i) for i in obj["zh"]],
                vi=[int(i) for i in obj["vi"]],
                zh_text=str(obj.get("zh_text", "")),
                vi_text=str(obj.get("vi_text", "")),
                zh_en=obj.get("zh_en"),
                vi_en=obj.get("vi_en"),
                score=float(obj.get("score", 0.0)),
                status=str(obj.get("status", "auto")),
                note=str(obj.get("note", "")),
                history=list(obj.get("history", [])),
                origin=str(obj.get("origin", "auto")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise WorkbenchError(f"malformed bead ({exc!s})", path, line) from None
        if bead.status not in STATUSES:
            raise WorkbenchError(f"unknown status {bead.status!r} (expected one of {', '.join(STATUSES)})", path, line)
        return bead


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
    """Read an aligned file; every defect is a WorkbenchError naming file and line."""
    path = Path(path)
    if not path.is_file():
        raise WorkbenchError("no such aligned file", path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise WorkbenchError("not UTF-8 text: not an aligned file", path) from None
    if not lines:
        raise WorkbenchError("empty file: not an aligned file", path)
    try:
        header = json.loads(lines[0])
    except json.JSONDecodeError as exc:
        raise WorkbenchError(f"header is not JSON ({exc.msg})", path, 1) from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise WorkbenchError(f"not a {FORMAT} file (missing header)", path, 1)
    version = header.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise WorkbenchError(
            f"format version {version!r} is newer than this workbench reads ({VERSION}); upgrade workbench", path, 1)
    beads = []
    for number, text in enumerate(lines[1:], start=2):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            raise WorkbenchError(f"bead is not JSON ({exc.msg})", path, number) from None
        if not isinstance(obj, dict):
            raise WorkbenchError("bead is not a JSON object", path, number)
        beads.append(Bead.from_json(obj, path, number))
    return AlignedFile(header=header, beads=beads)


def read_aligned_current(path: str | Path) -> AlignedFile:
    """The aligned file as a reviewer last left it (the entry point for anything that
    rewrites an existing file, so no acknowledged review edit is ever missed)."""
    return read_aligned(path)


def dumps_aligned(aligned: AlignedFile) -> str:
    out = [json.dumps(aligned.header, ensure_ascii=False)]
    out.extend(json.dumps(b.to_json(), ensure_ascii=False) for b in aligned.beads)
    return "\n".join(out) + "\n"


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write via a temp file in the same folder, fsync, rename: never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


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
