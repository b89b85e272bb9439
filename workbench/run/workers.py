"""Aligning many report pairs at once: in this process, or in worker processes.

`run` pairs the reports and translates in the parent; each pair is then a `PairJob`
(both documents, their English, the output file) that a worker aligns and writes
through `run.pair.save_pair`, lock and backup included. The jobs go to:

- `InProcess`: one at a time here (`--workers 1`, or a single pair to do);
- `ProcessPool`: `--workers N` processes (forkserver: started clean, the aligner
  preloaded, so no thread or lock of the parent is copied into them), each limited
  to one BLAS and one torch thread so N workers do not fight over the cores;
- `workbench.run.cluster.RayAligner`: tasks on a Ray cluster.

Whichever runs a job, it aligns the same inputs with the same code and gives
byte-identical files: the English comes with the job (translated once, in the
parent, in the same batches), the sentence-embedding cache starts empty for
every pair (a batch's padding would otherwise depend on which pairs a process
aligned before), and BLAS runs one thread.

A pair that fails is one `PairOutcome` line and the others go on: open in review
or unreadable as an aligned file (`refused`), a write or other failure (`failed`).
A full disk or a read-only file system (`fatal`) stops the run: no further pair
could be written either.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import signal
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from workbench.errors import WorkbenchError
from workbench.reports.document import Document

CHUNK_SENTENCES = 2048  # sentences translated together before their pairs are handed out
FATAL_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS)


@dataclass
class PairJob:
    """One pair to align: both reports, their English (lang -> Translation list, or None), the output."""

    index: int
    zh: Document
    vi: Document
    target: Path
    score: float | None
    english: dict[str, list[Any] | None] = field(default_factory=dict)


@dataclass
class RunSettings:
    """What every job of a run shares."""

    glossary: Any
    mode: str
    discard_review: bool
    models: dict[str, str | None]  # lang -> model identity (None: no English for that side)


@dataclass
class PairOutcome:
    index: int
    summary: Any = None        # run.pair.PairSummary when the pair was written (or left as it was)
    refused: str | None = None  # not rewritten now: open in review, or not readable as an aligned file
    failed: str | None = None   # could not be aligned or written
    fatal: str | None = None    # the run cannot go on (full disk, read-only file system)


def available_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _errnos(exc: BaseException) -> Iterator[int]:
    """The errno of every OSError behind `exc` (WorkbenchErrors are raised `from None`, their context stays)."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno:
            yield exc.errno
        exc = exc.__cause__ or exc.__context__
        seen += 1


def outcome_of_error(index: int, target: Path, exc: BaseException) -> PairOutcome:
    """How a pair's exception is reported: refused, fatal or failed, in one line naming the file."""
    from workbench.run.pair import PairRefused

    if isinstance(exc, PairRefused):
        return PairOutcome(index, refused=str(exc))
    if isinstance(exc, WorkbenchError):
        if any(code in FATAL_ERRNOS for code in _errnos(exc)):
            return PairOutcome(index, fatal=str(exc))
        return PairOutcome(index, failed=str(exc))
    if isinstance(exc, OSError):
        from workbench.errors import os_failure

        return outcome_of_error(index, target, os_failure(exc, target, "read or write"))
    return PairOutcome(index, failed=f"{target}: {type(exc).__name__}: {exc}")


def fresh_embeddings() -> None:
    """Forget the sentence vectors of the previous pair, so each pair embeds its texts alike everywhere."""
    import sys

    embed = sys.modules.get("workbench.align.embed")
    if embed is not None:
        embed.clear_cache()


def job_mt(job: PairJob, settings: RunSettings):
    from workbench.run.mt import TranslatedMT

    return TranslatedMT(english=job.english, models=settings.models)


def align_job(job: PairJob, settings: RunSettings) -> PairOutcome:
    """Align and write one pair (lock, review kept, backup); any failure is an outcome, not an exception."""
    from workbench.run.pair import save_pair

    fresh_embeddings()
    try:
        summary = save_pair(job.zh, job.vi, job.target, job_mt(job, settings), settings.glossary, settings.mode,
                            discard_review=settings.discard_review, pair_score=job.score)
    except Exception as exc:  # noqa: BLE001 - one pair's failure must not stop the others
        return outcome_of_error(job.index, job.target, exc)
    return PairOutcome(job.index, summary=summary)


def single_threaded_math() -> Any:
    """Limit BLAS to one thread (returned object keeps the limit; `restore_original_limits()` ends it)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


class Executor(Protocol):
    """Runs jobs; `next_done()` blocks until one of the submitted jobs is done."""

    @property
    def in_flight(self) -> int: ...

    def submit(self, job: PairJob) -> None: ...

    def next_done(self) -> PairOutcome: ...

    def close(self, cancel: bool = False) -> None: ...


class InProcess:
    """Each job runs at once, here."""

    def __init__(self, settings: RunSettings):
        self.settings = settings
        self._done: deque[PairOutcome] = deque()
        self._limits = single_threaded_math()

    @property
    def in_flight(self) -> int:
        return len(self._done)

    def submit(self, job: PairJob) -> None:
        self._done.append(align_job(job, self.settings))

    def next_done(self) -> PairOutcome:
        return self._done.popleft()

    def close(self, cancel: bool = False) -> None:
        self._limits.restore_original_limits()


_SETTINGS: RunSettings | None = None


def _init_worker(settings: RunSettings) -> None:
    global _SETTINGS
    _SETTINGS = settings
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it lets running pairs finish
    os.environ["OMP_NUM_THREADS"] = "1"  # torch (sentence embeddings) one thread a worker
    single_threaded_math()


def _run_in_worker(job: PairJob) -> PairOutcome:
    assert _SETTINGS is not None
    return align_job(job, _SETTINGS)


class ProcessPool:
    """`processes` worker processes; a worker that dies fails only the pairs it was given."""

    def __init__(self, settings: RunSettings, processes: int):
        self.settings = settings
        self.processes = processes
        self._futures: dict[Future, PairJob] = {}
        self._pool = self._start()

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["workbench.run.pair", "workbench.align", "workbench.run.workers"])
        return ProcessPoolExecutor(self.processes, mp_context=context, initializer=_init_worker,
                                   initargs=(self.settings,))

    @property
    def in_flight(self) -> int:
        return len(self._futures)

    def submit(self, job: PairJob) -> None:
        try:
            future = self._pool.submit(_run_in_worker, job)
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh for the rest
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._start()
            future = self._pool.submit(_run_in_worker, job)
        self._futures[future] = job

    def next_done(self) -> PairOutcome:
        done, _ = wait(self._futures, return_when=FIRST_COMPLETED)
        future = min(done, key=lambda f: self._futures[f].index)
        job = self._futures.pop(future)
        try:
            return future.result()
        except BrokenProcessPool:
            return PairOutcome(job.index, failed=f"{job.target}: the worker process aligning it stopped "
                                                 "(killed, or out of memory?); run again to retry")
        except Exception as exc:  # noqa: BLE001 - e.g. a job that could not be sent to the worker
            return outcome_of_error(job.index, job.target, exc)

    def close(self, cancel: bool = False) -> None:
        self._pool.shutdown(wait=True, cancel_futures=cancel)


def local_executor(settings: RunSettings, workers: int, jobs: int) -> Executor:
    """In this process for one worker or one job, else a pool of min(workers, jobs) processes."""
    processes = min(workers, jobs)
    return InProcess(settings) if processes <= 1 else ProcessPool(settings, processes)


def _doc_key(doc: Document) -> str:
    return str(doc.path)


def with_english(jobs: list[PairJob], translators: dict[str, Any],
                 note: Callable[[str], None] | None = None,
                 chunk_sentences: int = CHUNK_SENTENCES) -> Iterator[PairJob]:
    """`jobs` with their English attached, translated chunk by chunk as the jobs are taken.

    Each report is translated once however many pairs it is in, with the reports of
    its chunk (large batches; the translation memory is read and filled). Runs in
    the parent, so one model is loaded, not one per worker.
    """
    if not translators:
        yield from jobs
        return
    needed = Counter(_doc_key(d) for job in jobs for d in (job.zh, job.vi))
    english: dict[str, list[Any]] = {}
    for chunk in _chunks(jobs, chunk_sentences):
        docs = list({_doc_key(d): d for job in chunk for d in (job.zh, job.vi)
                     if _doc_key(d) not in english}.values())
        for lang, translator in sorted(translators.items()):
            members = [d for d in docs if d.lang == lang]
            if not members:
                continue
            if note:
                note(f"translating {sum(len(d.sentences) for d in members)} {lang} sentences "
                     f"of {len(members)} report(s)")
            for doc, done in zip(members, _translate(translator, members, lang)):
                english[_doc_key(doc)] = done
        for job in chunk:
            job.english = {d.lang: english.get(_doc_key(d)) for d in (job.zh, job.vi)}
            for d in (job.zh, job.vi):
                needed[_doc_key(d)] -= 1
                if not needed[_doc_key(d)]:
                    english.pop(_doc_key(d), None)
            yield job


def _translate(translator: Any, docs: list[Document], lang: str) -> list[list[Any]]:
    """Each document's `Translation`s; a translator without details gives plain English."""
    from workbench.translate import Translation
    from workbench.translate.batch import translate_documents

    if hasattr(translator, "translate_detailed"):
        return translate_documents(translator, docs, lang)

    out = []
    for doc in docs:
        texts = [s.text for s in doc.sentences]
        out.append([Translation(t, e, "", False) for t, e in zip(texts, translator.translate(texts, lang))])
    return out


def _chunks(jobs: list[PairJob], sentences: int) -> Iterator[list[PairJob]]:
    """Consecutive jobs whose reports not yet seen hold about `sentences` sentences."""
    seen: set[str] = set()
    chunk: list[PairJob] = []
    size = 0
    for job in jobs:
        for d in (job.zh, job.vi):
            if _doc_key(d) not in seen:
                seen.add(_doc_key(d))
                size += len(d.sentences)
        chunk.append(job)
        if size >= sentences:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def run_jobs(jobs: Iterable[PairJob], executor: Executor, on_done: Callable[[PairOutcome], None],
             in_flight: int) -> None:
    """Hand `jobs` to `executor`, at most `in_flight` at a time; `on_done` gets each outcome as it comes.

    A fatal outcome stops the run (`WorkbenchError`); jobs still running are let finish.
    """
    cancel = True
    try:
        for job in jobs:
            while executor.in_flight >= in_flight:
                _handle(executor.next_done(), on_done)
            executor.submit(job)
        while executor.in_flight:
            _handle(executor.next_done(), on_done)
        cancel = False
    finally:
        executor.close(cancel=cancel)


def _handle(outcome: PairOutcome, on_done: Callable[[PairOutcome], None]) -> None:
    if outcome.fatal:
        raise WorkbenchError(outcome.fatal)
    on_done(outcome)
