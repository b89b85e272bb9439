"""Adding rows to a glossary file: atomic, keeping the file's comments and row order."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workbench.errors import WorkbenchError, file_errors
from workbench.glossary.files import (HEADER, SEP, Entry, check_files, parse_row, parse_text, read_glossary_file,
                                     term_key)
from workbench.store.files import atomic_write_text

NEW_FILE_HEADER = "# Glossary: one concept per row; variants separated by '|'; first English is preferred.\n" \
                  + "\t".join(HEADER) + "\n"


class TermConflict(WorkbenchError):
    """A new entry gives a term another English than the glossary does (`force` replaces the row)."""


@dataclass
class AddResult:
    """What `add_entry` did: "added", "exists" (same concept already there: nothing written) or "replaced"."""

    entry: Entry
    action: str
    replaced: list[Entry] = field(default_factory=list)


def make_entry(zh: str | list[str], vi: str | list[str], en: str | list[str], note: str = "") -> Entry:
    """An entry from cells (`a|b` strings or lists of variants); WorkbenchError if a cell is invalid."""
    cells = [c if isinstance(c, str) else SEP.join(c) for c in (zh, vi, en)]
    cells = [c.strip() for c in cells] + [" ".join(note.split())]
    terms: dict[str, list[str]] = {}
    problems = parse_row(cells, terms)
    if problems:
        raise WorkbenchError("cannot add the row: " + "; ".join(problems))
    return Entry(terms["zh"], terms["vi"], terms["en"], cells[3])


def add_entry(file: str | Path, zh: str | list[str], vi: str | list[str], en: str | list[str],
              note: str = "", force: bool = False) -> AddResult:
    """Append a concept to glossary `file` (created with a header if missing), atomically.

    Checked against every glossary file in the file's folder: the same concept
    already present -> "exists" (nothing written); a zh or vi term that already
    means other English -> WorkbenchError, unless `force`, which replaces the
    conflicting rows of `file` (conflicts in other files must be fixed by hand).
    """
    return add_entries(file, [make_entry(zh, vi, en, note)], force=force)[0]


def add_entries(file: str | Path, new: list[Entry], force: bool = False) -> list[AddResult]:
    """Add several entries with one atomic write (see `add_entry`); all or nothing."""
    file = Path(file)
    if file.exists() or file.is_symlink():
        data = read_glossary_file(file)
        _, own_problems = parse_text(data, file)
        if own_problems:
            raise WorkbenchError(f"fix this file first ({own_problems[0]}); see `workbench glossary check`", file)
        lines = data.decode("utf-8-sig").splitlines()
    else:
        lines = NEW_FILE_HEADER.splitlines()
    with file_errors(file.parent, "read the glossary folder"):
        others = [f for f in file.parent.glob("*.tsv")
                  if os.path.realpath(f) != os.path.realpath(file)] if file.parent.is_dir() else []
    for other in others:
        if not other.is_file():
            read_glossary_file(other)  # a folder or a looping link named *.tsv: one line saying so
    existing = check_files(others).entries if others else []
    existing += parse_text("\n".join(lines).encode(), file)[0]

    results: list[AddResult] = []
    removed: set[int] = set()  # line numbers (1-based) of rows replaced in `file`
    appended: list[Entry] = []
    for entry in new:
        clashes = _clashes(entry, existing)
        same = [e for e in clashes if term_key(e.preferred, "en") == term_key(entry.preferred, "en")]
        conflicts = [e for e in clashes if e not in same]
        if same and not conflicts:
            results.append(AddResult(same[0], "exists"))
            continue
        if conflicts and not force:
            c = conflicts[0]
            raise TermConflict(f"conflict: {c.where} already gives {SEP.join(c.zh)} / {SEP.join(c.vi)} the English "
                               f"{c.preferred!r}, not {entry.preferred!r}")
        foreign = [c for c in clashes if c.file is None or os.path.realpath(c.file) != os.path.realpath(file)]
        if foreign and conflicts:
            raise WorkbenchError(f"conflict with {foreign[0].where} in another file; edit that row by hand")
        for c in clashes:
            if c in appended:
                appended.remove(c)
            elif c.line is not None and c not in foreign:
                removed.add(c.line)
            existing.remove(c)
        entry.file, entry.line = file, None
        existing.append(entry)
        appended.append(entry)
        results.append(AddResult(entry, "replaced" if clashes else "added", clashes))
    if appended or removed:
        kept = [line for number, line in enumerate(lines, start=1) if number not in removed]
        for i, entry in enumerate(appended):
            entry.line = len(kept) + i + 1
        with file_errors(file):
            if not file.parent.is_dir():
                file.parent.mkdir(parents=True)
            atomic_write_text(file, "\n".join(kept + [e.row() for e in appended]) + "\n")
    return results


def _clashes(entry: Entry, existing: list[Entry]) -> list[Entry]:
    keys = {(lang, term_key(t, lang)) for lang in ("zh", "vi") for t in entry.terms(lang)}
    return [e for e in existing
            if keys & {(lang, term_key(t, lang)) for lang in ("zh", "vi") for t in e.terms(lang)}]
