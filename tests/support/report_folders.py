"""Folders of real report pairs for the parallel and distributed `run` tests.

Each report is the start of a document of ../shared/dev-zhvi/align/parallel (NTREX
news, zh and vi translations of the same English): a headline and two paragraphs.
Documents 000, 002, 003 and 004 pair with their partner; 001 does not reach the
pairing threshold at this length and stays unpaired on both sides (a real case).
"""

from __future__ import annotations

import filecmp
import shutil
from pathlib import Path

import pytest

from tests.conftest import SHARED

PARALLEL = SHARED / "dev-zhvi" / "align" / "parallel"


def seed_folder(folder: Path, seeds: Path, *names: str) -> Path:
    """`folder` (made, parents too) holding copies of the seed reports `names`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(seeds / name, folder / name)
    return folder


def news_folder(folder: Path, docs: int = 5, lines: int = 6) -> Path:
    """Write `docs` zh and `docs` vi reports of `lines` sentences each into `folder`."""
    if not PARALLEL.is_dir():
        pytest.skip("../shared/dev-zhvi is not beside the repo")
    folder.mkdir(parents=True, exist_ok=True)
    for source in sorted(PARALLEL.glob("*.zh"))[:docs]:
        for lang in ("zh", "vi"):
            sentences = source.with_suffix(f".{lang}").read_text(encoding="utf-8").splitlines()[:lines]
            sep = "" if lang == "zh" else " "
            half = 1 + (len(sentences) - 1) // 2
            text = "\n\n".join([sentences[0], sep.join(sentences[1:half]), sep.join(sentences[half:])]) + "\n"
            (folder / f"{lang}_{source.stem}.txt").write_text(text, encoding="utf-8")
    return folder


def same_tree(a: Path, b: Path) -> list[str]:
    """Names of the files that differ (or exist on one side only) between two output folders."""
    names = sorted({p.name for p in a.iterdir() if p.is_file()} | {p.name for p in b.iterdir() if p.is_file()})
    return [n for n in names if not ((a / n).is_file() and (b / n).is_file()
                                     and filecmp.cmp(a / n, b / n, shallow=False))]
