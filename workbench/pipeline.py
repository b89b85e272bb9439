"""The main job: load, translate (when a model is there), align, write `aligned/` files.

`align_pair` handles one zh/vi report pair; `run_directory` pairs the reports of a
folder first, then aligns every pair. Both work without a translation model: the
aligner then uses the model-free signals (Sino-Vietnamese cognates, anchors,
glossary terms, length) and the English fields stay empty. Both write through
`save_pair`: a pair aligned again keeps its review (`workbench.realign`), and the
previous file is kept in `.backup/` beside it first.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench import locking, realign, resume
from workbench import workers as pool
from workbench.display import printable
from workbench.document import Document
from workbench.errors import WorkbenchError, file_errors, os_failure
from workbench.store import (AlignedFile, aligned_name, atomic_write_text, dumps_aligned, make_bead,
                             read_aligned_current)

Notify = Callable[[str], None]

DEFAULT_GLOSSARY_DIR = Path("glossary")
# The one file new glossary entries go to, inside the glossary folder: `glossary add`,
# `glossary import`, `glossary suggest --write` and the review app's `g` all write it.
ADDITIONS_FILE = "added.tsv"
BACKUP_DIR = ".backup"  # beside the aligned files: earlier versions, kept before every rewrite
BACKUPS_KEPT = 20  # per aligned file; older ones are removed when a new one is kept


@dataclass
class MTContext:
    """The translators found, per source language, and why the others are missing (said once)."""

    translators: dict[str, Any] = field(default_factory=dict)
    message: str | None = None
    _said: bool = field(default=False, repr=False)

    def say_once(self, notify: Notify) -> None:
        if self.message and not self._said:
            notify(self.message)
            self._said = True

    def english(self, doc: Document) -> list[str] | None:
        details = self.translations(doc)
        return None if details is None else [t.english for t in details]

    def translations(self, doc: Document) -> list[Any] | None:
        """Each sentence's `workbench.translate.Translation` (English, MT warnings, provenance)."""
        translator = self.translators.get(doc.lang)
        if translator is None:
            return None
        texts = [s.text for s in doc.sentences]
        if hasattr(translator, "translate_detailed"):
            return list(translator.translate_detailed(texts, doc.lang))
        from workbench.translate import Translation
        return [Translation(t, e, "", False) for t, e in zip(texts, translator.translate(texts, doc.lang))]

    def identity(self, lang: str) -> str | None:
        translator = self.translators.get(lang)
        return translator.identity(lang) if translator is not None else None


@dataclass
class TranslatedMT(MTContext):
    """English made beforehand (by `run`'s translation step), for aligning where no model is loaded."""

    english: dict[str, list[Any] | None] = field(default_factory=dict)  # lang -> Translation per sentence
    models: dict[str, str | None] = field(default_factory=dict)  # lang -> model identity

    def translations(self, doc: Document) -> list[Any] | None:
        return self.english.get(doc.lang)

    def identity(self, lang: str) -> str | None:
        return self.models.get(lang)


def open_mt(mt: str = "auto", model_zh: str | None = None, model_vi: str | None = None,
            glossary: Any = None, backend: str = "auto") -> MTContext:
    """`mt="none"` skips translation; `"auto"` uses each language's model when found locally.

    A glossary protects its terms through the translator's term hook. The message for a
    missing model is one short line (`workbench models` tells how to get it).
    """
    if mt == "none":
        return MTContext()
    if mt != "auto":
        raise WorkbenchError(f"--mt must be 'auto' or 'none', not {mt!r}")
    from workbench.translate import try_open_translator

    hook = glossary.term_hook() if glossary is not None else None
    context, missing = MTContext(), []
    for lang in ("zh", "vi"):
        translator, message = try_open_translator(model_zh=model_zh, model_vi=model_vi, langs=(lang,),
                                                  term_hook=hook, backend=backend)
        if translator is None:
            missing.append(lang)
        else:
            context.translators[lang] = translator
    if missing:
        context.message = mt_unavailable_note(missing, {"zh": model_zh, "vi": model_vi})
    return context


def mt_unavailable_note(langs: list[str], overrides: dict[str, str | None] | None = None) -> str:
    """One short line for the commands that go on without English (`workbench models` has the rest)."""
    from workbench.translate.models import model_spec

    parts = []
    for lang in langs:
        spec, origin = model_spec(lang, (overrides or {}).get(lang))
        parts.append(f"no {lang}→en model ({spec}{'' if origin == 'default' else f', from {origin}'})")
    return (f"machine translation unavailable: {', '.join(parts)} on this machine; aligning without "
            f"English; `workbench models` says how to get {'them' if len(langs) > 1 else 'it'}")


def load_glossary_if_any(path: str | Path | None) -> Any:
    """The glossary in `path` (default `glossary/` when it exists), or None."""
    target = Path(path) if path is not None else DEFAULT_GLOSSARY_DIR
    if path is None and not target.exists():
        return None
    from workbench.glossary import load_glossary

    return load_glossary(target)


def glossary_hash(glossary: Any) -> str | None:
    if glossary is None:
        return None
    digest = hashlib.sha256()
    for entry in glossary.entries:
        digest.update("\t".join(["|".join(entry.zh), "|".join(entry.vi), "|".join(entry.en)]).encode())
        digest.update(b"\n")
    return digest.hexdigest()[:16]


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
    and only the stretches between them are aligned again (`workbench.realign`).
    """
    from workbench.align import align_sentences

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
    from workbench.corpus import load_document

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


def journal_path(path: Path) -> Path:
    """The review journal beside an aligned file (edits not yet compacted into it)."""
    return path.with_name(path.name + ".journal")


def output_exists(target: Path) -> bool:
    """Whether a file is at output path `target`; a folder or an unreachable path there is an error."""
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise os_failure(exc, target) from None
    if stat.S_ISDIR(mode):
        raise WorkbenchError("is a folder; give a file name as the output", target)
    return True


def ensure_folder(folder: str | Path) -> Path:
    """Create an output folder (and its parents); one clear line when that is impossible."""
    folder = Path(folder)
    if folder.is_symlink() and not folder.exists():
        raise WorkbenchError("cannot create the folder: broken or looping symbolic link", folder)
    with file_errors(folder, "create the folder"):
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def keep_backup(target: Path) -> Path:
    """Copy the file (and a pending review journal) to `.backup/<name>.<time>.jsonl` beside it."""
    folder = ensure_folder(target.parent / BACKUP_DIR)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    with file_errors(target, "read"):
        data = target.read_bytes()
        mode = target.stat().st_mode & 0o777
    for n in range(1000):
        backup = folder / f"{target.stem}.{stamp}{f'-{n}' if n else ''}{target.suffix}"
        try:
            fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        except OSError as exc:
            raise os_failure(exc, backup, "keep a backup") from None
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            journal = journal_path(target)
            if journal.is_file():
                shutil.copyfile(journal, journal_path(backup))
        except OSError as exc:
            backup.unlink(missing_ok=True)
            journal_path(backup).unlink(missing_ok=True)
            raise os_failure(exc, backup, "keep a backup") from None
        prune_backups(target)
        return backup
    raise WorkbenchError("cannot keep a backup: too many backups this second", folder)


def prune_backups(target: Path, keep: int = BACKUPS_KEPT) -> list[Path]:
    """Remove all but the `keep` newest backups of `target` (with their journals); returns the removed.

    Runs only after a new backup is safely on disk; a backup that cannot be removed stays
    (an old backup is never worth failing a run for).
    """
    pattern = re.compile(re.escape(target.stem) + r"\.(\d{8}T\d{6})(?:-(\d+))?" + re.escape(target.suffix))
    found = []
    for path in (target.parent / BACKUP_DIR).glob(f"{target.stem}.*{target.suffix}"):
        match = pattern.fullmatch(path.name)
        if match:
            found.append(((match[1], int(match[2] or 0)), path))
    removed = []
    for _, path in sorted(found)[:-keep] if keep > 0 else sorted(found):
        try:
            path.unlink()
            journal_path(path).unlink(missing_ok=True)
            removed.append(path)
        except OSError:
            pass
    return removed


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
    from workbench.loading import read_report_bytes

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


@dataclass
class RunResult:
    pairs: list[PairSummary]
    unpaired: list[str]
    mt_message: str | None
    skipped: list[str] = field(default_factory=list)  # reports or pairs not done, one line each (file: reason)
    ignored: list[str] = field(default_factory=list)  # files of the folder that are not reports (file: why)
    unchanged: list[PairSummary] = field(default_factory=list)  # up-to-date files left alone, in pairing order
    failed: list[str] = field(default_factory=list)  # pairs that could not be aligned or written (file: why)

    @property
    def up_to_date(self) -> list[Path]:
        """The aligned files already made from the same inputs (not aligned again)."""
        return [s.out for s in self.unchanged]

    @property
    def complete(self) -> bool:
        """Every report was read and every pair written or up to date (else `run` exits 1)."""
        return not self.skipped and not self.failed


def writable_folder(folder: str | Path) -> Path:
    """Create an output folder and try a write there: a folder that cannot take the outputs is
    one line before any work, not one failure per file after it."""
    import tempfile

    folder = ensure_folder(folder)
    with file_errors(folder):
        with tempfile.TemporaryFile(dir=folder):
            pass
    return folder


def run_directory(directory: str | Path, out_dir: str | Path = "aligned", mt: str = "auto",
                  mode: str = "auto", glossary: Any = None, model_zh: str | None = None,
                  model_vi: str | None = None, notify: Notify = print,
                  progress: Callable[[int, int, str], None] | None = None,
                  discard_review: bool = False, backend: str = "auto", workers: int | None = None,
                  ray: str | None = None) -> RunResult:
    """Pair the reports in `directory`, then align every pair into `out_dir`.

    Only report files are read (`workbench.reports`), never what the workbench wrote.
    A pair whose aligned file is up to date (`workbench.resume`) is left alone. The
    others are translated here (one model, large batches, the translation memory
    filled), then aligned and written by `workers` processes (default: the cores
    available; `workbench.workers`), or on a Ray cluster when `ray` is an address
    ("local": the one `ray.init()` finds or starts; `workbench.distributed`). The
    files are the same whichever way. A report that cannot be loaded and a pair that
    is refused (open in review) or fails are listed and the others go on; a full disk
    or read-only file system stops the run (what was written stays).
    `progress(done, total, what)` follows the pairs.
    """
    session = None
    if ray is not None:
        from workbench import distributed

        session = distributed.connect(ray)  # a bad address is said before any work
        notify(session.describe())
    try:
        result = _run(directory, out_dir, mt, mode, glossary, model_zh, model_vi, notify, progress,
                      discard_review, backend, workers, session)
        if session is not None:
            notify(session.sent())
        return result
    finally:
        if session is not None:
            session.close()


def _run(directory: str | Path, out_dir: str | Path, mt: str, mode: str, glossary: Any, model_zh: str | None,
         model_vi: str | None, notify: Notify, progress: Callable[[int, int, str], None] | None,
         discard_review: bool, backend: str, workers: int | None, session: Any) -> RunResult:
    from workbench.pairing import pair_directory

    def tell(done: int, total: int, what: str) -> None:
        if progress:
            progress(done, total, what)

    tell(0, 0, "pairing reports")
    pairing = pair_directory(directory)
    writable_folder(out_dir)
    context = open_mt(mt, model_zh, model_vi, glossary, backend)
    if session is not None:
        session.translate_with_cluster(context.translators)
    context.say_once(notify)
    result = RunResult(pairs=[], unpaired=[d.name for d in pairing.unpaired], mt_message=context.message,
                       skipped=[str(exc) for exc in pairing.skipped],
                       ignored=[f"{file}: {why}" for file, why in pairing.ignored])
    settings = pool.RunSettings(glossary, mode, discard_review,
                                    {lang: context.identity(lang) for lang in ("zh", "vi")})
    expected = resume.Expected(settings.models, glossary_hash(glossary), mode, discard_review)
    total = len(pairing.pairs)
    todo = []
    for number, pair in enumerate(pairing.pairs):
        target = Path(out_dir) / aligned_name(pair.zh.name, pair.vi.name)
        existing = resume.current(target, pair.zh, pair.vi, expected)
        if existing is not None:
            result.unchanged.append(summarize(existing, target, pair.score))
        else:
            todo.append(pool.PairJob(number, pair.zh, pair.vi, target, pair.score))
    done = len(result.unchanged)
    tell(done, total, f"{done} pair(s) up to date")
    outcomes: list[Any] = []

    def on_done(outcome: Any) -> None:
        nonlocal done
        outcomes.append(outcome)
        done += 1
        job = pairing.pairs[outcome.index]
        tell(done, total, f"aligned {job.zh.name} ↔ {job.vi.name}")

    if session is not None:
        executor, in_flight = session.aligner(settings), session.in_flight()
    else:
        count = workers or pool.available_cores()
        executor, in_flight = pool.local_executor(settings, count, len(todo)), max(64, 8 * count)
    ready = pool.with_english(todo, context.translators, note=lambda what: tell(done, total, what))
    pool.run_jobs(ready, executor, on_done, in_flight)
    for outcome in sorted(outcomes, key=lambda o: o.index):
        if outcome.summary is not None:
            result.pairs.append(outcome.summary)
        elif outcome.refused:
            result.skipped.append(outcome.refused)
        else:
            result.failed.append(outcome.failed)
    tell(total, total, "done")
    return result
