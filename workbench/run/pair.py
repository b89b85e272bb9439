"""One report pair: load, translate (when a model is there), align, write its `aligned/` file.

Works without a translation model: the aligner then uses the model-free signals
(Sino-Vietnamese cognates, anchors, glossary terms, length) and the English fields stay
empty. Every write goes through `save_pair`: a pair aligned again keeps its review
(`workbench.store.realign`), and the previous file is kept in `.backup/` beside it first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.display import printable
from workbench.errors import WorkbenchError, file_errors, os_failure
from workbench.glossary.model import glossary_hash
from workbench.reports.document import Document
from workbench.run.mt import MTContext, Notify, open_mt
from workbench.store import locking, realign
from workbench.store.aligned import AlignedFile, aligned_name, dumps_aligned, make_bead
from workbench.store.backups import keep_backup
from workbench.store.files import atomic_write_text, ensure_folder, output_exists
from workbench.store.journal import journal_path, read_aligned_current


def _side(doc: Document, mt: list[Any] | None) -> dict[str, Any]:
    return {
        "file": doc.name,
        "sha256": doc.sha256,
        "title": doc.title,
        "lang": doc.lang,
        "sentences": [
            {"text": s.text, "kind": s.kind, "en": mt[i].english if mt is not None else None,
             **(mt[i].record() if mt is not None else {})}  # MT warnings, glossary post-edits
            for i, s in enumerate(doc.sentences)
        ],
    }


def _header(zh_doc: Document, vi_doc: Document, mt: MTContext, glossary: Any) -> dict[str, Any]:
    """A fresh header: both documents' sentences and their English (when a model is there)."""
    if zh_doc.lang != "zh" or vi_doc.lang != "vi":
        raise WorkbenchError(
            f"expected a Chinese and a Vietnamese report, got {zh_doc.name} ({zh_doc.lang}) "
            f"and {vi_doc.name} ({vi_doc.lang})")
    return AlignedFile.make_header(
        zh=_side(zh_doc, mt.translations(zh_doc)), vi=_side(vi_doc, mt.translations(vi_doc)),
        models={"zh": mt.identity("zh"), "vi": mt.identity("vi")}, glossary=glossary_hash(glossary))


def align_documents(zh_doc: Document, vi_doc: Document, mt: MTContext | None = None,
                    glossary: Any = None, mode: str = "auto",
                    previous: AlignedFile | None = None) -> tuple[AlignedFile, Realigned]:
    """Translate (if possible) and align two loaded reports into an AlignedFile.

    With `previous` (the pair's existing file), the beads a person touched are kept
    and only the stretches between them are aligned again (`workbench.store.realign`).
    """
    from workbench.align import (
        align_sentences,  # numpy and scipy load only when aligning
    )

    header = _header(zh_doc, vi_doc, mt or MTContext(), glossary)
    texts = {side: [s["text"] for s in header[side]["sentences"]] for side in ("zh", "vi")}
    english = {side: [s["en"] for s in header[side]["sentences"]] for side in ("zh", "vi")}
    has_en = {side: all(e is not None for e in english[side]) for side in ("zh", "vi")}

    def align(zh_ids: list[int], vi_ids: list[int], how: str) -> list[tuple[list[int], list[int], float]]:
        result = align_sentences(
            [texts["zh"][i] for i in zh_ids], [texts["vi"][j] for j in vi_ids], "zh", "vi",
            src_en=[english["zh"][i] for i in zh_ids] if has_en["zh"] else None,
            tgt_en=[english["vi"][j] for j in vi_ids] if has_en["vi"] else None,
            mode=how, glossary=glossary)
        if how == "auto":
            header.update(mode=result.mode, mode_reason=result.reason)
        header.setdefault("aligner", result.signature)  # the whole documents' alignment signs the file
        return [([zh_ids[a] for a in s], [vi_ids[b] for b in t], score) for s, t, score in result.beads]

    whole = align(list(range(len(texts["zh"]))), list(range(len(texts["vi"]))), mode)
    if mode != "auto":
        header.update(mode=mode, mode_reason=f"mode {mode} was asked for")
    outcome = Realigned()
    if previous is not None:
        outcome.changed = [previous.header.get(side, {}).get("file", side) for side in ("zh", "vi")
                           if previous.header.get(side, {}).get("sha256") != header[side]["sha256"]]
        kept, outcome.lost = realign.carry_over(previous, header)
        outcome.kept = len(kept)
        if kept:
            beads, outcome.realigned = realign.fill(header, kept, align, header["mode"])
            return AlignedFile(header=header, beads=beads), outcome
    beads = [make_bead(header, list(z), list(v), score) for z, v, score in whole]
    outcome.realigned = len(beads)
    return AlignedFile(header=header, beads=beads), outcome


def load_pair(zh_path: str | Path, vi_path: str | Path) -> tuple[Document, Document]:
    """Load two reports; accepts them in either order, insists on one zh and one vi."""
    from workbench.reports.corpus import load_document

    a, b = load_document(zh_path), load_document(vi_path)
    if a.lang == "vi" and b.lang == "zh":
        a, b = b, a
    if (a.lang, b.lang) != ("zh", "vi"):
        raise WorkbenchError(
            f"need one Chinese and one Vietnamese report; {a.name} is {a.lang}, {b.name} is {b.lang}")
    return a, b


def align_pair(zh_path: str | Path, vi_path: str | Path, out_dir: str | Path = "aligned",
               out: str | Path | None = None, mt: str | MTContext = "auto", mode: str = "auto",
               glossary: Any = None, model_zh: str | None = None, model_vi: str | None = None,
               notify: Notify = print, discard_review: bool = False, backend: str = "auto") -> "PairSummary":
    """Align one report pair and write `out` (default `out_dir/<zh>__<vi>.jsonl`) atomically.

    An existing file keeps its review (see `save_pair`).
    """
    zh_doc, vi_doc = load_pair(zh_path, vi_path)
    target = Path(out) if out is not None else Path(out_dir) / aligned_name(zh_doc.name, vi_doc.name)
    context = mt if isinstance(mt, MTContext) else open_mt(mt, model_zh, model_vi, glossary, backend)
    context.say_once(notify)
    return save_pair(zh_doc, vi_doc, target, context, glossary, mode, discard_review=discard_review)


class PairRefused(WorkbenchError):
    """This pair's existing file cannot be rewritten now; a batch goes on with the other pairs."""


@dataclass
class Realigned:
    """What happened to an existing aligned file's review when its pair was aligned again."""

    kept: int = 0              # beads a person touched, kept exactly
    realigned: int = 0         # beads the aligner cut (all beads of a new file)
    lost: list[str] = field(default_factory=list)     # touched beads that could not be kept, one line each
    changed: list[str] = field(default_factory=list)  # reports changed since the file was written
    discarded: int = 0         # touched beads dropped on request (--discard-review)
    existed: bool = False      # there was a file before
    rewritten: bool = True     # False: the result equals the existing file, which was left alone
    backup: Path | None = None  # where the previous file was kept


def _lock(target: Path) -> locking.Lock:
    """Hold the file's review lock while rewriting it, so no reviewer edits it meanwhile."""
    try:
        return locking.acquire(target)
    except locking.FileLocked as exc:
        h = exc.holder
        raise PairRefused(f"is open in review by {h.get('user', '?')} (pid {h.get('pid', '?')} on "
                          f"{h.get('host', '?')}); not rewritten: close that review and run again",
                          target) from None
    except locking.LockUnavailable as exc:
        raise WorkbenchError(f"cannot write: {exc.reason}", target.parent) from None
    except OSError as exc:
        raise os_failure(exc, target) from None


def _previous(target: Path, discard_review: bool) -> tuple[AlignedFile | None, int]:
    """The existing file as the reviewer left it (None when discarding), and its touched beads."""
    try:
        previous = read_aligned_current(target)
    except WorkbenchError as exc:
        if discard_review:
            return None, 0
        raise PairRefused(f"{exc}; to keep its review fix the file, or run again with --discard-review "
                          "(the file is kept as a backup)") from None
    touched = sum(b.touched for b in previous.beads)
    return (None if discard_review else previous), touched


@dataclass
class Slot:
    """An output file about to be written: whether it existed, the review to keep, its lock."""

    target: Path
    existed: bool
    previous: AlignedFile | None = None  # as the reviewer left it; None for a new file or when discarding
    touched: int = 0                     # beads a person touched in the existing file
    lock: locking.Lock | None = None

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_slot(target: Path, discard_review: bool = False) -> Slot:
    """Make ready to (re)write `target`: an existing file is locked and read as the reviewer left it.

    A file open in review by a live process, or one that cannot be read as an aligned file,
    is refused (`PairRefused`).
    """
    if not output_exists(target):
        ensure_folder(target.parent)
        return Slot(target, existed=False)
    lock = _lock(target)
    try:
        previous, touched = _previous(target, discard_review)
    except BaseException:
        lock.release()
        raise
    return Slot(target, True, previous, touched, lock)


def aligned_text(zh_doc: Document, vi_doc: Document, target: Path, mt: MTContext | None = None,
                 glossary: Any = None, mode: str = "auto", previous: AlignedFile | None = None,
                 pair_score: float | None = None) -> tuple[str, "PairSummary"]:
    """The aligned file's text for a pair and its summary; no file is touched (runs anywhere)."""
    aligned, outcome = align_documents(zh_doc, vi_doc, mt, glossary, mode, previous)
    return dumps_aligned(aligned), summarize(aligned, target, pair_score, outcome)


def finish_slot(slot: Slot, text: str, summary: "PairSummary", discard_review: bool = False) -> "PairSummary":
    """Write `text` into the slot's file (the previous one kept in `.backup/`), then release the lock.

    When the text equals the existing file (and no review journal is pending), nothing is written.
    """
    target = slot.target
    try:
        if not slot.existed:
            with file_errors(target):
                atomic_write_text(target, text)
            return summary
        outcome = summary.review
        outcome.existed = True
        outcome.discarded = slot.touched if discard_review else 0
        with file_errors(target, "read"):
            same = target.read_bytes() == text.encode("utf-8") and not journal_path(target).exists()
        if same:
            outcome.rewritten = False
        else:
            outcome.backup = keep_backup(target)
            with file_errors(target):
                atomic_write_text(target, text)
                journal_path(target).unlink(missing_ok=True)  # its edits are in the new file (and the backup)
        return summary
    finally:
        slot.release()


def save_pair(zh_doc: Document, vi_doc: Document, target: str | Path, mt: MTContext | None = None,
              glossary: Any = None, mode: str = "auto", discard_review: bool = False,
              pair_score: float | None = None) -> "PairSummary":
    """Align a pair into `target`; an existing file keeps its review and is backed up first.

    The beads a person touched are kept exactly and only the rest is aligned again
    (`discard_review` aligns afresh). The previous file goes to `.backup/` before it
    is replaced; when the result is byte-identical to it, nothing is written. A file
    open in review by a live process is refused (`PairRefused`).
    """
    slot = open_slot(Path(target), discard_review)
    try:
        text, summary = aligned_text(zh_doc, vi_doc, slot.target, mt, glossary, mode, slot.previous, pair_score)
    except BaseException:
        slot.release()
        raise
    return finish_slot(slot, text, summary, discard_review)


def reports_changed(aligned_path: str | Path, *reports: str | Path) -> bool:
    """Whether any of `reports` differs (sha256) from the reports `aligned_path` was made from."""
    from workbench.reports.loading import read_report_bytes

    header = read_aligned_current(aligned_path).header
    known = {header.get(side, {}).get("sha256") for side in ("zh", "vi")}
    return any(hashlib.sha256(read_report_bytes(r)).hexdigest() not in known for r in reports)


@dataclass
class PairSummary:
    zh: str
    vi: str
    pair_score: float | None  # None when the pair was given, not found by pairing
    out: Path
    beads: int  # every bead of the file, unaligned sentences included
    aligned_share: float  # share of sentences (both sides) inside a two-sided bead
    mode: str
    mt: bool
    review: Realigned = field(default_factory=Realigned)
    links: int = 0  # two-sided beads
    unaligned_zh: int = 0  # sentences in one-sided beads
    unaligned_vi: int = 0

    def review_lines(self) -> list[str]:
        """What became of an existing file's review, for people (empty for a new file)."""
        r = self.review
        if not r.existed:
            return []
        if r.discarded:
            what = f"discarded {r.discarded} reviewed bead(s) as asked, aligned afresh"
        else:
            what = f"kept {r.kept} reviewed bead(s), realigned {r.realigned}"
        if r.changed:
            what += f"; changed since: {', '.join(printable(c) for c in r.changed)}"
        if not r.rewritten:
            what = f"unchanged, not rewritten ({what})"
        elif r.backup:
            what += f"; previous file kept as {printable(r.backup)}"
        lines = [f"{printable(self.out)}: {what}"]
        lines += [f"{printable(self.out)}: could not keep {item}" for item in r.lost]
        return lines


def summarize(aligned: AlignedFile, out: Path, pair_score: float | None = None,
              review: Realigned | None = None) -> PairSummary:
    """What the written file holds: beads, links, unaligned sentences of each side."""
    n_zh = len(aligned.header["zh"]["sentences"])
    n_vi = len(aligned.header["vi"]["sentences"])
    links = [b for b in aligned.beads if b.zh and b.vi]
    linked = sum(len(b.zh) + len(b.vi) for b in links)
    return PairSummary(
        zh=aligned.header["zh"]["file"], vi=aligned.header["vi"]["file"], pair_score=pair_score, out=out,
        beads=len(aligned.beads), aligned_share=linked / max(1, n_zh + n_vi), mode=aligned.header.get("mode", ""),
        mt=any(aligned.header.get("models", {}).values()), review=review or Realigned(), links=len(links),
        unaligned_zh=sum(len(b.zh) for b in aligned.beads if not b.vi),
        unaligned_vi=sum(len(b.vi) for b in aligned.beads if not b.zh))
