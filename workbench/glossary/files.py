"""Glossary files (`glossary/*.tsv`): parse, validate, merge, and add rows.

Format: UTF-8, a header line `zh<TAB>vi<TAB>en<TAB>note`, `#` comment lines and
blank lines anywhere, then one concept per row. A cell may hold variants
separated by `|`; the first English variant is the preferred rendering. The
note column may be left out or empty; zh, vi and en are required.

Every problem is reported with its file and line, all at once, so a
maintainer can fix a file in one pass (`workbench glossary check`).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from workbench.errors import WorkbenchError, file_errors
from workbench.textfacts import HAN as _HAN

HEADER = ("zh", "vi", "en", "note")
LANGS = ("zh", "vi", "en")
SEP = "|"
DEFAULT_GLOSSARY_DIR = Path("glossary")
# The one file new glossary entries go to, inside the glossary folder: `glossary add`,
# `glossary import`, `glossary suggest --write` and the review app's `g` all write it.
ADDITIONS_FILE = "added.tsv"


@dataclass(eq=False)
class Entry:
    """One concept: its terms in each language (variants, preferred first), a note, where it was read.

    `id` is the concept id: the entry's index in `Glossary.entries` (-1 before loading).
    """

    zh: list[str]
    vi: list[str]
    en: list[str]
    note: str = ""
    file: Path | None = None
    line: int | None = None
    id: int = -1

    def terms(self, lang: str) -> list[str]:
        return {"zh": self.zh, "vi": self.vi, "en": self.en}[lang]

    @property
    def preferred(self) -> str:
        """The glossary English: the first English variant."""
        return self.en[0]

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file is not None else "(new row)"

    def row(self) -> str:
        """The entry as one TSV row (no newline)."""
        cells = [SEP.join(self.zh), SEP.join(self.vi), SEP.join(self.en)]
        if self.note:
            cells.append(self.note)
        return "\t".join(cells)


@dataclass(frozen=True)
class Problem:
    """A defect of a glossary file, at a line (None: the file as a whole)."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else f"{self.path}"
        return f"{where}: {self.message}"


class GlossaryError(WorkbenchError):
    """The glossary has problems; `.problems` lists every one."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = problems[0]
        more = f" (and {len(problems) - 1} more; run `workbench glossary check`)" if len(problems) > 1 else ""
        super().__init__(first.message + more, first.path, first.line)


def term_key(term: str, lang: str) -> str:
    """The form two terms are compared in: exact for zh, case-insensitive for vi and en."""
    term = unicodedata.normalize("NFC", term)
    return term if lang == "zh" else term.casefold()


def _term_problems(term: str, lang: str) -> list[str]:
    """Why `term` could never be matched by the matcher of its language."""
    out = []
    if not unicodedata.is_normalized("NFC", term):
        out.append(f"{lang} term {term!r} is not in Unicode NFC form, so it never matches normalised text; "
                   "retype it composed")
    if lang == "zh":
        if not _HAN.search(term):
            out.append(f"zh term {term!r} has no Chinese character")
        if any(ch.isspace() for ch in term):
            out.append(f"zh term {term!r} contains a space; Chinese text has none between words")
    else:
        if not (term[:1].isalnum() and term[-1:].isalnum()):
            out.append(f"{lang} term {term!r} must begin and end with a letter or digit "
                       "(terms match on word boundaries)")
        if _HAN.search(term):
            out.append(f"{lang} term {term!r} contains Chinese characters")
    return out


def parse_row(cells: list[str], lang_terms: dict[str, list[str]] | None = None) -> list[str]:
    """Validate the cells of one row; returns problem messages (empty list: fine).

    On success fills `lang_terms` with the split variants of zh, vi and en.
    """
    problems: list[str] = []
    for lang, cell in zip(HEADER, cells):
        stray = cell != cell.strip() or "  " in cell
        if lang != "note":
            stray = stray or any(v != v.strip() for v in cell.split(SEP))
        if stray:
            problems.append(f"stray whitespace in the {lang} cell {cell!r}")
        if lang == "note":
            continue
        if not cell.strip():
            problems.append(f"empty {lang} cell (zh, vi and en are required)")
            continue
        variants = [v.strip() for v in cell.split(SEP)]
        if any(not v for v in variants):
            problems.append(f"empty variant in the {lang} cell {cell!r} (stray '{SEP}')")
            continue
        seen: set[str] = set()
        for v in variants:
            k = term_key(v, lang)
            if k in seen:
                problems.append(f"{lang} variant {v!r} is listed twice")
            seen.add(k)
            problems.extend(_term_problems(v, lang))
        if lang_terms is not None:
            lang_terms[lang] = variants
    return problems


def parse_text(text_bytes: bytes, path: Path) -> tuple[list[Entry], list[Problem]]:
    """Parse one glossary file's bytes; returns its entries and its own problems."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    if text_bytes.startswith(b"\xef\xbb\xbf"):
        text_bytes = text_bytes[3:]
    header_seen = False
    for number, raw in enumerate(text_bytes.split(b"\n"), start=1):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(path, number, f"invalid UTF-8 (byte {raw[exc.start]:#04x} at column "
                                                  f"{exc.start + 1}); save the file as UTF-8"))
            continue
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if not header_seen:
            header_seen = True
            if [c.strip().lower() for c in cells] not in (list(HEADER), list(HEADER[:3])):
                problems.append(Problem(path, number, "first row must be the header "
                                                      "'zh<TAB>vi<TAB>en<TAB>note' (columns separated by tabs)"))
            continue
        if len(cells) not in (3, 4):
            problems.append(Problem(path, number, f"expected 4 tab-separated columns (zh, vi, en, note), "
                                                  f"found {len(cells)}"))
            continue
        terms: dict[str, list[str]] = {}
        messages = parse_row(cells, terms)
        problems.extend(Problem(path, number, m) for m in messages)
        if not messages:
            note = cells[3] if len(cells) == 4 else ""
            entries.append(Entry(terms["zh"], terms["vi"], terms["en"], note, path, number))
    if not header_seen and not problems:
        problems.append(Problem(path, None, "no header row 'zh<TAB>vi<TAB>en<TAB>note'"))
    return entries, problems


def cross_check(entries: Iterable[Entry]) -> list[Problem]:
    """Problems between rows: duplicate concepts and conflicts (a term with two Englishes)."""
    problems: list[Problem] = []
    first: dict[tuple[str, str], Entry] = {}
    for entry in entries:
        reported: set[int] = set()
        for lang in ("zh", "vi"):
            for term in entry.terms(lang):
                key = (lang, term_key(term, lang))
                other = first.get(key)
                if other is None:
                    first[key] = entry
                    continue
                if id(other) in reported:
                    continue
                reported.add(id(other))
                problems.append(Problem(entry.file, entry.line, describe_clash(entry, other, lang, term)))
    return problems


def describe_clash(entry: Entry, other: Entry, lang: str, term: str) -> str:
    if term_key(entry.preferred, "en") == term_key(other.preferred, "en"):
        return (f"duplicate concept: {lang} term {term!r} is already at {other.where} with the same English "
                f"{other.preferred!r}; merge the rows (variants go in one cell, separated by '{SEP}')")
    return (f"conflict: {lang} term {term!r} means {entry.preferred!r} here but {other.preferred!r} "
            f"at {other.where}")


def glossary_files(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The `.tsv` files named by `paths` (files, or folders searched non-recursively)."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            with file_errors(p, "read the glossary folder"):
                files.extend(sorted(p.glob("*.tsv")))
        elif p.is_file():
            files.append(p)
        elif p.is_symlink():
            raise WorkbenchError("broken or looping symbolic link, not a glossary file", p)
        else:
            raise WorkbenchError("no such glossary file or folder", p)
    return files


def read_glossary_file(path: Path) -> bytes:
    """The bytes of one glossary file; one clear line when it is not a readable file."""
    if path.is_dir():
        raise WorkbenchError("is a folder, not a glossary file", path)
    if path.is_symlink() and not path.exists():
        raise WorkbenchError("broken or looping symbolic link, not a glossary file", path)
    with file_errors(path, "read the glossary file"):
        return path.read_bytes()


@dataclass
class Checked:
    """The outcome of reading glossary files: entries (valid rows) and every problem."""

    files: list[Path]
    entries: list[Entry]
    problems: list[Problem] = field(default_factory=list)
    digest: str = ""


def check_files(paths: str | Path | Iterable[str | Path]) -> Checked:
    """Read and validate glossary files; never raises for file content (see `.problems`)."""
    files = glossary_files(paths)
    entries: list[Entry] = []
    problems: list[Problem] = []
    sha = hashlib.sha256()
    for f in files:
        data = read_glossary_file(f)
        sha.update(f.name.encode() + b"\0" + data + b"\0")
        e, p = parse_text(data, f)
        entries.extend(e)
        problems.extend(p)
    problems.extend(cross_check(entries))
    problems.sort(key=lambda p: (files.index(p.path) if p.path in files else 0, p.line or 0))
    return Checked(files, entries, problems, sha.hexdigest())
