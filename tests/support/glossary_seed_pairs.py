"""Aligned files built by hand from real seed sentences, for the glossary tests."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.store.aligned import AlignedFile, Bead, write_aligned

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ZH_FILE = "000_75ef3c063faf8c49.txt"
VI_FILE = "002_9180580ce9d8d433.txt"
VI_FILE_2024_PREVIEW = "001_42dcb43445210432.txt"


def seed_sentence(name: str, fragment: str) -> str:
    """The shortest sentence of seed report `name` that contains `fragment` (asserting there is one)."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    found = [sentence.strip() for line in text.splitlines()
             for sentence in re.split(r"(?<=[。！？!?])|(?<=\.)\s+", line) if sentence and fragment in sentence]
    assert found, f"{fragment!r} is not in {name}"
    return min(found, key=len)


def write_pairs(path: Path, pairs: list[tuple[str, str, str | None, str | None]]) -> Path:
    """Write an aligned file with one bead per (zh_text, vi_text, zh_en, vi_en)."""
    beads = [Bead(zh=[i], vi=[i], zh_text=zh, vi_text=vi, zh_en=zh_en, vi_en=vi_en, score=0.9)
             for i, (zh, vi, zh_en, vi_en) in enumerate(pairs)]
    header = AlignedFile.make_header(
        zh={"file": ZH_FILE, "sha256": "", "title": "", "sentences": [{"text": p[0], "en": p[2]} for p in pairs]},
        vi={"file": VI_FILE, "sha256": "", "title": "", "sentences": [{"text": p[1], "en": p[3]} for p in pairs]})
    write_aligned(path, AlignedFile(header, beads))
    return path
