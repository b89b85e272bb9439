"""Reviewing an aligned file: every edit a reviewer makes, with undo/redo and safe saving.

`ReviewSession` is the whole review logic over an `AlignedFile`; the terminal
UI (`workbench.tui`) is a thin face over it, and tests or scripts can drive it
directly. Every edit (undo and redo too) replaces a contiguous run of beads, so
undo/redo stores only that run (cheap on files of thousands of beads), and the
review journal (`workbench.store.journal`) records it, fsynced, before the edit counts
as done: a crash or kill -9 loses nothing acknowledged. Saving is atomic
(`write_aligned`) and compacts the journal; `autosave()` is debounced so a burst
of key presses costs one write, and never waits longer than `max_delay` while
edits keep coming.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.store import locking
from workbench.glossary.files import ADDITIONS_FILE, DEFAULT_GLOSSARY_DIR
from workbench.glossary.model import load_glossary_if_any
from workbench.errors import WorkbenchError
from workbench.review.qa import KIND_LABELS, QA, Flag
from workbench.review.rescore import Rescorer
from workbench.textfacts import strip_tones as fold
from workbench.store.journal import Journal, journal_path, replay
from workbench.store.aligned import VERSION, AlignedFile, Bead, content_hash, dumps_aligned, join_sentences, make_bead, parse_aligned, read_bytes
from workbench.store.files import atomic_write_bytes, write_target

SIDES = ("zh", "vi")
# `f` cycles FILTERS; every QA kind is a filter too ("qa:numbers", ...), from the command palette.
FILTERS = ("all", "todo", "qa", "low", "unaligned")
FILTER_LABELS = {"all": "all beads", "todo": "to decide", "qa": "QA flags", "low": "low score",
                 "unaligned": "unaligned sentences", **{f"qa:{k}": f"QA: {v}" for k, v in KIND_LABELS.items()}}
LOW_SCORE = 0.5

# Older format versions this workbench can upgrade on opening: version -> function(header, beads).
MIGRATIONS: dict[int, Callable[[dict, list[Bead]], None]] = {}


def check_version(header: dict[str, Any], path: Path) -> None:
    """Refuse (with a clear message) a format version this workbench cannot read or upgrade."""
    version = header.get("version")
    if version == VERSION:
        return
    if isinstance(version, int) and version < VERSION and version not in MIGRATIONS:
        raise WorkbenchError(
            f"format version {version} is older than this workbench reads ({VERSION}) and cannot be "
            f"upgraded; re-create it with `workbench align`", path, 1)
    if not isinstance(version, int) or version > VERSION:  # read_aligned normally refuses these first
        raise WorkbenchError(f"format version {version!r} is newer than this workbench reads ({VERSION}); "
                             f"upgrade workbench", path, 1)


def _remove_leftover_temps(path: Path) -> None:
    """Delete temp files a save killed mid-write left behind (only the lock holder writes them)."""
    path = write_target(path)
    for temp in path.parent.glob(f".{path.name}.*.tmp"):
        temp.unlink(missing_ok=True)


@dataclass
class SideIssue:
    """A glossary term issue in the English of one side of a bead.

    `number` is its key (1-9): stable while the bead's sentences stay the same, so fixing
    issue 1 leaves issue 2 on key 2.
    """

    side: str
    issue: Any  # workbench.glossary.TermIssue
    number: int = 0

    @property
    def identity(self) -> tuple:
        return (self.side, self.issue.entry.id, self.issue.src_start)

    @property
    def label(self) -> str:
        found = getattr(self.issue, "found", None)
        term = getattr(self.issue, "src_term", "") or "|".join(getattr(self.issue.entry, self.side))
        fix = f"“{found}” → “{self.issue.expected}”" if found else f"use “{self.issue.expected}” (edit by hand)"
        return f"{self.side} {term}: {fix}"


@dataclass
class Change:
    """One undoable edit: beads[start:start+len(before)] became `after`."""

    label: str
    start: int
    before: list[Bead]
    after: list[Bead]
    focus: int


class ReadOnly(WorkbenchError):
    pass


@dataclass
class Progress:
    """What a file holds and how far its review is: links (two-sided beads) to decide, apart from
    the sentences left unaligned (which need no decision)."""

    links: int = 0
    confirmed: int = 0  # links confirmed
    rejected: int = 0   # links rejected
    unaligned_zh: int = 0  # sentences in one-sided beads
    unaligned_vi: int = 0
    beads: int = 0

    @classmethod
    def of(cls, beads: list[Bead]) -> "Progress":
        p = cls(beads=len(beads))
        for b in beads:
            if b.zh and b.vi:
                p.links += 1
                p.confirmed += b.status == "confirmed"
                p.rejected += b.status == "rejected"
            elif b.zh:
                p.unaligned_zh += len(b.zh)
            else:
                p.unaligned_vi += len(b.vi)
        return p

    @property
    def decided(self) -> int:
        return self.confirmed + self.rejected

    def line(self) -> str:
        """`links confirmed 3/6, rejected 1 · unaligned zh 20, vi 38`."""
        rejected = f", rejected {self.rejected}" if self.rejected else ""
        return (f"links confirmed {self.confirmed}/{self.links}{rejected} · "
                f"unaligned zh {self.unaligned_zh}, vi {self.unaligned_vi}")


class ReviewSession:
    """An aligned file under review: edits, undo/redo, filters, term checks, saving."""

    def __init__(self, aligned: AlignedFile, path: str | Path | None = None, *, read_only: bool = False,
                 glossary: Any = None, glossary_dir: str | Path | None = None,
                 autosave_delay: float = 1.0, max_delay: float = 5.0,
                 clock: Callable[[], float] = time.monotonic, lock: locking.Lock | None = None,
                 journal: Journal | None = None):
        self.aligned = aligned
        self.path = Path(path) if path is not None else None
        self.read_only = read_only
        self.glossary = glossary
        self.glossary_dir = Path(glossary_dir) if glossary_dir is not None else DEFAULT_GLOSSARY_DIR
        self.autosave_delay = autosave_delay
        self.max_delay = max_delay
        self.clock = clock
        self.lock = lock
        self.journal = journal  # None: edits are kept in memory only until saved
        self.restored = 0  # edits recovered from the journal when opened
        self.closed = False  # saved (or tried to) and unlocked: no more writes
        self.undo_stack: list[Change] = []
        self.redo_stack: list[Change] = []
        self.version = 0  # counts edits; the file holds `_saved_version`
        self._saved_version = 0
        self._write_lock = threading.Lock()
        self.saves = 0
        self._first_unsaved: float | None = None
        self._last_change = 0.0
        self._issue_cache: dict[tuple, list] = {}
        self._issue_numbers: dict[tuple, list[tuple]] = {}  # bead sentences -> issue identities, in order
        self._flagged: dict[int, tuple[Bead, bool]] = {}  # id(bead) -> (bead, has QA flags)
        self.qa = QA(aligned.header, aligned.beads, glossary)
        self.rescorer = Rescorer(aligned.header, glossary)

    # ----- opening, saving, closing -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, read_only: bool = False, glossary_dir: str | Path | None = None,
             glossary: Any = None, journal: bool = True, **options: Any) -> "ReviewSession":
        """Read, validate and lock `path` (no lock when read-only), with the edits of a journal left
        by a review that ended without saving (a crash, kill -9, power loss) applied.

        Writable, those edits are saved into the file at once. `journal=False` keeps edits in
        memory only until saved (for comparison in the benchmark).
        """
        path = Path(path)
        data = read_bytes(path)
        aligned = parse_aligned(data, path)  # a malformed file is refused before any lock is taken
        check_version(aligned.header, path)
        lock = None if read_only else locking.acquire(path)
        try:
            if lock is not None:
                _remove_leftover_temps(path)
                again = read_bytes(path)  # the previous holder may have saved before we locked
                if again != data:
                    data, aligned = again, parse_aligned(again, path)
                    check_version(aligned.header, path)
            digest = content_hash(data)
            restored = replay(path, aligned, digest)
            version = aligned.header.get("version")
            if version in MIGRATIONS:
                MIGRATIONS[version](aligned.header, aligned.beads)
            if glossary is None:
                glossary = load_glossary_if_any(glossary_dir)
            log = Journal(path, digest) if lock is not None and journal else None
            session = cls(aligned, path, read_only=read_only, glossary=glossary, glossary_dir=glossary_dir,
                          lock=lock, journal=log, **options)
            session.restored = restored
            if lock is not None:
                if restored:
                    session._touch()
                    session.save()  # compacts: the file holds the restored edits, the journal goes
                else:
                    journal_path(path).unlink(missing_ok=True)  # empty, or for content replaced since
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return session

    @property
    def dirty(self) -> bool:
        return self.version != self._saved_version

    def snapshot(self) -> tuple[int, AlignedFile]:
        """(version, the file's content now): cheap, because edits replace beads, never change them."""
        return self.version, AlignedFile(self.header, list(self.beads))

    def write_snapshot(self, version: int, aligned: AlignedFile) -> bool:
        """Write a snapshot atomically (safe from a worker thread); never overwrites a newer save.

        The journal is marked before the new file replaces the old one and compacted after, so
        a crash at any point neither loses an edit nor applies one twice.
        """
        with self._write_lock:
            if self.read_only or self.closed or self.path is None or version <= self._saved_version:
                return False
            data = dumps_aligned(aligned).encode("utf-8")
            digest = content_hash(data)
            if self.journal is not None:
                self.journal.mark_saved(digest, version)
            atomic_write_bytes(self.path, data)
            self._saved_version = version
            if version == self.version:
                self._first_unsaved = None
            self.saves += 1
            if self.journal is not None:
                self.journal.compact(digest, version)
            return True

    def save(self) -> bool:
        """Write the file atomically if there are unsaved edits; True when it wrote."""
        return self.write_snapshot(*self.snapshot())

    def autosave_due(self, now: float | None = None) -> bool:
        """Edits have rested `autosave_delay` s, or have waited `max_delay` s, unsaved."""
        if not self.dirty or self.read_only:
            return False
        now = self.clock() if now is None else now
        rested = now - self._last_change >= self.autosave_delay
        waited = self._first_unsaved is not None and now - self._first_unsaved >= self.max_delay
        return rested or waited

    def autosave(self, now: float | None = None) -> bool:
        """Save if `autosave_due`; True when it wrote."""
        return self.save() if self.autosave_due(now) else False

    def close(self) -> None:
        """Save what is unsaved and release the lock, once; if the save fails (OSError), the
        journal keeps the edits for the next opening."""
        if self.closed:
            return
        try:
            self.save()
        finally:
            self.closed = True
            if self.journal is not None:
                self.journal.close()
            if self.lock is not None:
                self.lock.release()
                self.lock = None

    # ----- what the screen shows ----------------------------------------------------------------
    @property
    def beads(self) -> list[Bead]:
        return self.aligned.beads

    @property
    def header(self) -> dict[str, Any]:
        return self.aligned.header

    def title(self, side: str) -> str:
        return str(self.header.get(side, {}).get("title") or self.header.get(side, {}).get("file") or side)

    @property
    def progress(self) -> Progress:
        return Progress.of(self.beads)

    @property
    def has_english(self) -> bool:
        """Whether any English is there (files aligned without a translation model have none)."""
        return any(b.zh_en is not None or b.vi_en is not None for b in self.beads)

    def term_matches(self, index: int) -> dict[str, list]:
        """Glossary terms found in each text of a bead: {"zh": [...], "vi": [...], "en": [...]}."""
        bead = self.beads[index]
        if self.glossary is None:
            return {"zh": [], "vi": [], "en": []}
        english = " ".join(e for e in (bead.zh_en, bead.vi_en) if e)
        return {"zh": self.glossary.match(bead.zh_text, "zh"), "vi": self.glossary.match(bead.vi_text, "vi"),
                "en": self.glossary.match(english, "en") if english else []}

    def term_issues(self, index: int, bead: Bead | None = None) -> list[SideIssue]:
        """Glossary terms of each side whose expected English is missing from that side's English,
        each with its stable key number (`bead`: that bead object, as read by a worker thread)."""
        if self.glossary is None:
            return []
        from workbench.glossary import term_issues

        bead = self.beads[index] if bead is None else bead
        found = []
        for side in SIDES:
            text, english = getattr(bead, f"{side}_text"), getattr(bead, f"{side}_en")
            if not text or not english:
                continue
            key = (side, text, english)
            if key not in self._issue_cache:
                self._issue_cache[key] = term_issues(text, side, english, self.glossary)
            found.extend(SideIssue(side, issue) for issue in self._issue_cache[key])
        numbers = self._issue_numbers.setdefault((tuple(bead.zh), tuple(bead.vi)), [])
        for item in found:
            if item.identity not in numbers:
                numbers.append(item.identity)
            item.number = numbers.index(item.identity) + 1
        return found

    def flags(self, index: int, bead: Bead | None = None) -> list[Flag]:
        """The bead's QA flags (`workbench.review.qa`), its English term issues among them (kind "terms")."""
        bead = self.beads[index] if bead is None else bead
        flags = list(self.qa.flags(bead))
        flags += [Flag("terms", f"{item.number}: {item.label}", item.side)
                  for item in self.term_issues(index, bead)]
        return flags

    def needs_decision(self, index: int) -> bool:
        """A bead still `auto` that is a link, or that QA flags (an unaligned sentence with an MT
        warning or a term issue); confirming or rejecting it decides it."""
        bead = self.beads[index]
        return bead.status == "auto" and (bool(bead.zh and bead.vi) or bool(self.flags(index)))

    def matches(self, index: int, filter: str = "all", query: str = "") -> bool:
        bead = self.beads[index]
        if filter == "todo" and not self.needs_decision(index):
            return False
        if filter == "low" and not (bead.zh and bead.vi and bead.score < LOW_SCORE and bead.status != "confirmed"):
            return False
        if filter == "unaligned" and bead.zh and bead.vi:
            return False
        if filter == "qa" and not self.flags(index):
            return False
        if filter.startswith("qa:") and not any(f.kind == filter[3:] for f in self.flags(index)):
            return False
        if query:
            hay = fold(" ".join(t for t in (bead.zh_text, bead.vi_text, bead.zh_en, bead.vi_en, bead.note) if t))
            return fold(query) in hay
        return True

    def visible(self, filter: str = "all", query: str = "") -> list[int]:
        """Indices of the beads that pass a filter (FILTERS or "qa:<kind>") and a search query."""
        if filter not in FILTER_LABELS:
            raise WorkbenchError(f"unknown filter {filter!r} (expected one of {', '.join(FILTER_LABELS)})")
        if filter == "all" and not query:
            return list(range(len(self.beads)))
        return [i for i in range(len(self.beads)) if self.matches(i, filter, query)]

    def next_decision(self, after: int = -1) -> int | None:
        """The first bead after `after` that needs a decision (`needs_decision`), wrapping around;
        None when every link is decided and no undecided bead is flagged."""
        n = len(self.beads)
        for step in range(1, n + 1):
            i = (after + step) % n
            if self.needs_decision(i):
                return i
        return None

    def flagged_open(self) -> int:
        """Undecided beads with QA flags (computes every bead's flags; `prepare` does it ahead).

        Shown after every key: whether a bead is flagged is kept per bead object (edits replace
        beads, never change them), so a key on a file of thousands of beads costs lookups only.
        """
        count = 0
        for i, bead in enumerate(list(self.beads)):  # a copy: `prepare` calls this from a worker thread
            if bead.status != "auto":
                continue
            known = self._flagged.get(id(bead))
            if known is None or known[0] is not bead:  # the bead is kept so its id is not reused
                known = self._flagged[id(bead)] = (bead, bool(self.flags(i, bead)))
            count += known[1]
        return count

    def prepare(self) -> None:
        """Do ahead what edits and filters need: the scorer's signals, every bead's QA flags
        (safe in a worker thread: beads are replaced by edits, never changed)."""
        if not self.read_only:
            self.rescorer.prepare()
        for bead in list(self.beads):
            self.qa.flags(bead)
        self.flagged_open()  # the QA count shown after every key: each bead's answer kept

    # ----- edits --------------------------------------------------------------------------------
    def _writable(self) -> None:
        if self.read_only:
            raise ReadOnly("opened read-only: edits are not allowed", self.path)
        if self.closed:
            raise WorkbenchError("this review is closed: edits are not allowed", self.path)

    def _bead(self, index: int) -> Bead:
        if not 0 <= index < len(self.beads):
            raise WorkbenchError(f"no bead {index} (the file has {len(self.beads)})", self.path)
        return self.beads[index]

    def _replace(self, label: str, start: int, count: int, new: list[Bead], focus: int | None = None) -> int:
        """Replace beads[start:start+count] by `new` as one undoable change; returns the focus index."""
        self._writable()
        before = copy.deepcopy(self.beads[start:start + count])
        self._apply(label, start, count, new)
        focus = start if focus is None else focus
        self.undo_stack.append(Change(label, start, before, copy.deepcopy(new), focus))
        self.redo_stack.clear()
        return focus

    def _apply(self, label: str, start: int, count: int, new: list[Bead]) -> None:
        """Journal the edit (fsynced), then make it; a journal that cannot be written refuses the edit."""
        if self.journal is not None:
            try:
                self.journal.record(self.version + 1, label, start, count, new)
            except OSError as exc:
                raise WorkbenchError(f"edit not made, it could not be recorded: {exc}") from None
        self.beads[start:start + count] = new
        self._touch()

    def _touch(self) -> None:
        now = self.clock()
        self._last_change = now
        if self._first_unsaved is None:
            self._first_unsaved = now
        self.version += 1

    def _rebuild(self, zh: list[int], vi: list[int], note: str = "", status: str = "auto") -> Bead:
        """A bead re-cut by the reviewer (origin "manual", so a re-run keeps it), with texts and
        English taken from the header's sentence lists, scored by the aligner's own scoring."""
        zh, vi = sorted(zh), sorted(vi)
        bead = make_bead(self.header, zh, vi, self.rescorer.score(zh, vi), status=status, note=note)
        bead.origin = "manual"
        return bead

    def set_status(self, index: int, status: str) -> int:
        bead = copy.deepcopy(self._bead(index))
        bead.status = status
        return self._replace(status, index, 1, [bead])

    def confirm(self, index: int) -> int:
        """Mark a bead confirmed (confirming a confirmed bead puts it back to `auto`)."""
        return self.set_status(index, "auto" if self._bead(index).status == "confirmed" else "confirmed")

    def reject(self, index: int) -> int:
        """Mark a bead rejected (rejecting a rejected bead puts it back to `auto`)."""
        return self.set_status(index, "auto" if self._bead(index).status == "rejected" else "rejected")

    def set_note(self, index: int, note: str) -> int:
        bead = copy.deepcopy(self._bead(index))
        bead.note = note
        return self._replace("note", index, 1, [bead])

    def link(self, first: int, second: int) -> int:
        """Join an unaligned zh sentence bead and an unaligned vi sentence bead into one bead:
        the reviewer's decision, so the link is confirmed (and scored like any bead)."""
        a, b = self._bead(first), self._bead(second)
        zh_only = [i for i, x in ((first, a), (second, b)) if x.zh and not x.vi]
        vi_only = [i for i, x in ((first, a), (second, b)) if x.vi and not x.zh]
        if len(zh_only) != 1 or len(vi_only) != 1:
            raise WorkbenchError("link needs one unaligned zh sentence and one unaligned vi sentence")
        lo, hi = sorted((first, second))
        z, v = self.beads[zh_only[0]], self.beads[vi_only[0]]
        linked = self._rebuild(z.zh, v.vi, status="confirmed")
        self._carry_english(linked, [z, v])
        middle = copy.deepcopy(self.beads[lo + 1:hi])
        return self._replace("link", lo, hi - lo + 1, [linked, *middle], lo)

    def unlink(self, index: int) -> int:
        """Split a two-sided bead into unaligned sentences, each shown in place on its side."""
        bead = self._bead(index)
        if not bead.zh or not bead.vi:
            raise WorkbenchError("this bead is already unaligned")
        new = [self._rebuild([i], []) for i in bead.zh] + [self._rebuild([], [i]) for i in bead.vi]
        if len(bead.zh) == 1:
            self._carry_english(new[0], [bead], sides=("zh",))
        if len(bead.vi) == 1:
            self._carry_english(new[len(bead.zh)], [bead], sides=("vi",))
        return self._replace("unlink", index, 1, new)

    def merge_next(self, index: int) -> int:
        """Merge a bead with the next one."""
        bead = self._bead(index)
        if index + 1 >= len(self.beads):
            raise WorkbenchError("the last bead has no next bead to merge with")
        nxt = self.beads[index + 1]
        merged = self._rebuild(bead.zh + nxt.zh, bead.vi + nxt.vi, note=" ".join(n for n in (bead.note, nxt.note) if n))
        self._carry_english(merged, [bead, nxt])
        return self._replace("merge", index, 2, [merged])

    def split(self, index: int, zh_at: int | None = None, vi_at: int | None = None) -> int:
        """Split a bead in two: the first `zh_at` zh and `vi_at` vi sentences, then the rest.

        By default each side is cut in the middle (the first part gets the extra sentence).
        """
        bead = self._bead(index)
        if len(bead.zh) + len(bead.vi) < 2:
            raise WorkbenchError("a bead of one sentence cannot be split")
        zh_at = (len(bead.zh) + 1) // 2 if zh_at is None else zh_at
        vi_at = (len(bead.vi) + 1) // 2 if vi_at is None else vi_at
        if len(bead.zh) == 1 and len(bead.vi) == 1 and zh_at == 1 and vi_at == 1:
            vi_at = 0  # [a]:[b] splits into [a]:[] and []:[b]
        first = (bead.zh[:zh_at], bead.vi[:vi_at])
        second = (bead.zh[zh_at:], bead.vi[vi_at:])
        if not (first[0] or first[1]) or not (second[0] or second[1]):
            raise WorkbenchError("that split leaves an empty bead")
        new = [self._rebuild(*first), self._rebuild(*second)]
        return self._replace("split", index, 1, new)

    def move_sentence(self, index: int, side: str, direction: int) -> int:
        """Move the edge sentence of one side to the neighbouring bead.

        direction -1: the first sentence goes to the end of the previous bead;
        +1: the last sentence goes to the start of the next bead. A bead left
        empty disappears.
        """
        if side not in SIDES or direction not in (-1, 1):
            raise WorkbenchError("move needs a side (zh or vi) and a direction (-1 or +1)")
        bead = self._bead(index)
        ids = getattr(bead, side)
        if not ids:
            raise WorkbenchError(f"this bead has no {side} sentence to move")
        other = index + direction
        if not 0 <= other < len(self.beads):
            raise WorkbenchError(f"there is no {'previous' if direction < 0 else 'next'} bead to move it to")
        neighbour = self.beads[other]
        moved = ids[0] if direction < 0 else ids[-1]
        rest = [i for i in ids if i != moved]

        def cut(b: Bead, side_ids: list[int]) -> Bead:
            zh = side_ids if side == "zh" else b.zh
            vi = side_ids if side == "vi" else b.vi
            return self._rebuild(zh, vi, b.note)

        new_self = cut(bead, rest)
        new_neighbour = cut(neighbour, getattr(neighbour, side) + [moved])
        keep_self = bool(new_self.zh or new_self.vi)
        lo = min(index, other)
        if direction < 0:
            new = [new_neighbour] + ([new_self] if keep_self else [])
            focus = index if keep_self else other
        else:
            new = ([new_self] if keep_self else []) + [new_neighbour]
            focus = index if keep_self else index
        return self._replace(f"move {side}", lo, 2, new, focus)

    def edit_english(self, index: int, side: str, text: str, reason: str = "edit") -> int:
        """Set the English of one side; the earlier English is kept in the bead's history."""
        if side not in SIDES:
            raise WorkbenchError(f"unknown side {side!r} (expected zh or vi)")
        bead = copy.deepcopy(self._bead(index))
        old = getattr(bead, f"{side}_en")
        text = text.strip()
        if text == (old or ""):
            return index
        earlier = [h for h in bead.history if h.get("side") == side]
        bead.history.append({"side": side, "en": old, "source": "edit" if earlier else "mt",
                             "replaced_by": reason, "time": time.strftime("%Y-%m-%dT%H:%M:%S")})
        setattr(bead, f"{side}_en", text or None)
        return self._replace(f"{reason} {side}", index, 1, [bead])

    def apply_term_fix(self, index: int, which: int = 0) -> int:
        """Apply the glossary's fix for the `which`-th (0-based) open term issue of a bead."""
        issues = self.term_issues(index)
        if not 0 <= which < len(issues):
            raise WorkbenchError(f"no term issue {which + 1} in this bead")
        return self._fix(index, issues[which])

    def fix_term_number(self, index: int, number: int) -> int:
        """Apply the fix of the term issue shown with key `number` (stable, 1-based)."""
        found = next((item for item in self.term_issues(index) if item.number == number), None)
        if found is None:
            raise WorkbenchError(f"no open term issue {number} in this bead")
        return self._fix(index, found)

    def _fix(self, index: int, found: SideIssue) -> int:
        from workbench.glossary import apply_term_fix

        english = getattr(self.beads[index], f"{found.side}_en") or ""
        return self.edit_english(index, found.side, apply_term_fix(english, found.issue), reason="term fix")

    @property
    def additions_file(self) -> Path:
        """Where new glossary entries go: the --glossary file, else `<glossary folder>/added.tsv`."""
        return self.glossary_dir if self.glossary_dir.suffix == ".tsv" else self.glossary_dir / ADDITIONS_FILE

    def add_glossary_entry(self, zh: str, vi: str, en: str, note: str = "", force: bool = False,
                           file: str | Path | None = None) -> tuple[Path, str]:
        """Add an entry to the glossary and reload it; returns (file, "added" | "exists" | "replaced").

        A term that already means other English is refused (WorkbenchError with the reason).
        New entries go to `file`, else to the --glossary file, else `<glossary folder>/added.tsv`
        (the file `workbench glossary add` writes too).
        """
        from workbench.glossary import add_entry, load_glossary

        target = Path(file) if file is not None else self.additions_file
        result = add_entry(target, zh.strip(), vi.strip(), en.strip(), note=note, force=force)
        self.glossary = load_glossary(self.glossary_dir if file is None else target.parent)
        self._issue_cache.clear()
        self._flagged.clear()
        self.qa = QA(self.header, self.beads, self.glossary)
        return target, getattr(result, "action", "added")

    def _carry_english(self, new: Bead, olds: list[Bead], sides: tuple[str, ...] = SIDES) -> None:
        """Keep a reviewer's edited English (the header only has the MT) when beads are re-cut."""
        for side in sides:
            parts = [b for b in olds if getattr(b, side)]
            if any(any(h.get("side") == side for h in b.history) for b in parts):
                ens = [getattr(b, f"{side}_en") for b in parts]
                if all(e is not None for e in ens):
                    setattr(new, f"{side}_en", join_sentences("en", ens))
                new.history.extend(copy.deepcopy([h for b in parts for h in b.history if h.get("side") == side]))

    # ----- undo / redo --------------------------------------------------------------------------
    def undo(self) -> int | None:
        """Revert the last edit; returns the bead to focus, or None when there is nothing to undo."""
        if not self.undo_stack:
            return None
        self._writable()
        change = self.undo_stack[-1]
        self._apply(f"undo {change.label}", change.start, len(change.after), copy.deepcopy(change.before))
        self.redo_stack.append(self.undo_stack.pop())
        return min(change.focus, len(self.beads) - 1)

    def redo(self) -> int | None:
        """Re-apply the last undone edit; returns the bead to focus, or None."""
        if not self.redo_stack:
            return None
        self._writable()
        change = self.redo_stack[-1]
        self._apply(f"redo {change.label}", change.start, len(change.before), copy.deepcopy(change.after))
        self.undo_stack.append(self.redo_stack.pop())
        return min(change.focus, len(self.beads) - 1)
