"""The merged glossary: entries of all files, term matching, and the MT term hook."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from workbench.errors import WorkbenchError
from workbench.glossary.files import DEFAULT_GLOSSARY_DIR, Entry, GlossaryError, check_files
from workbench.glossary.match import MATCH_LANGS, Matcher, TermMatch


@dataclass
class Glossary:
    """All concepts of a set of glossary files, in file and row order.

    `entries[i].id == i`: the concept id used by `concepts_in`.
    `digest` is a SHA-256 over the files (for aligned-file headers).
    """

    entries: list[Entry]
    files: list[Path] = field(default_factory=list)
    digest: str = ""
    _matchers: dict[tuple[str, bool], Matcher] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for i, entry in enumerate(self.entries):
            entry.id = i

    def __len__(self) -> int:
        return len(self.entries)

    def matcher(self, lang: str, fold_accents: bool = False) -> Matcher:
        if lang not in MATCH_LANGS:
            raise WorkbenchError(f"unknown language {lang!r} (expected one of {', '.join(MATCH_LANGS)})")
        key = (lang, fold_accents and lang != "zh")
        if key not in self._matchers:
            self._matchers[key] = Matcher(self.entries, lang, key[1])
        return self._matchers[key]

    def match(self, text: str, lang: str, fold_accents: bool = False) -> list[TermMatch]:
        """Glossary terms in `text` (lang "zh", "vi" or "en"), non-overlapping, in text order.

        Spans index `text` itself, so a UI can highlight `text[m.start:m.end]`.
        `fold_accents=True` makes vi/en matching ignore tone marks (Phan Van Mai = Phan Văn Mãi).
        """
        return self.matcher(lang, fold_accents).find(text)

    def find_all(self, text: str, lang: str, fold_accents: bool = False) -> list[TermMatch]:
        """Like `match` but keeps overlapping and nested occurrences."""
        return self.matcher(lang, fold_accents).find(text, overlapping=True)

    def concepts_in(self, text: str, lang: str) -> set[int]:
        """Ids of the concepts whose terms occur in `text` (for counting concepts two sentences share)."""
        return {m.entry.id for m in self.match(text, lang)}

    def lookup(self, term: str, lang: str, fold_accents: bool = False) -> Entry | None:
        """The entry having exactly `term` (case-insensitive for vi/en; accents too if `fold_accents`), or None."""
        for m in self.match(term, lang, fold_accents):
            if m.start == 0 and m.end == len(term):
                return m.entry
        return None


def load_glossary(path_or_dir: str | Path | Iterable[str | Path]) -> Glossary:
    """Load and merge glossary files (a `.tsv` file, a folder of them, or a list).

    Raises `GlossaryError` (a WorkbenchError; `.problems` lists every problem) when
    any file has a problem: a glossary with errors is never used half-read.
    """
    checked = check_files(path_or_dir)
    if checked.problems:
        raise GlossaryError(checked.problems)
    return Glossary(checked.entries, checked.files, checked.digest)


def load_glossary_if_any(path: str | Path | None) -> Glossary | None:
    """The glossary in `path` (default `glossary/` when it exists), or None."""
    target = Path(path) if path is not None else DEFAULT_GLOSSARY_DIR
    if path is None and not target.exists():
        return None
    return load_glossary(target)


def glossary_hash(glossary: Glossary | None) -> str | None:
    """A short hash of the concepts (not the files' layout): what an aligned file's header records."""
    if glossary is None:
        return None
    digest = hashlib.sha256()
    for entry in glossary.entries:
        digest.update("\t".join(["|".join(entry.zh), "|".join(entry.vi), "|".join(entry.en)]).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]
