"""Run a folder: pair its reports, translate once, align every pair (here, in workers or on Ray)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.glossary.model import glossary_hash
from workbench.run import resume
from workbench.run import workers as pool
from workbench.run.mt import Notify, open_mt
from workbench.run.pair import PairSummary, summarize
from workbench.store.aligned import aligned_name
from workbench.store.files import writable_folder


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


def run_directory(directory: str | Path, out_dir: str | Path = "aligned", mt: str = "auto",
                  mode: str = "auto", glossary: Any = None, model_zh: str | None = None,
                  model_vi: str | None = None, notify: Notify = print,
                  progress: Callable[[int, int, str], None] | None = None,
                  discard_review: bool = False, backend: str = "auto", workers: int | None = None,
                  ray: str | None = None) -> RunResult:
    """Pair the reports in `directory`, then align every pair into `out_dir`.

    Only report files are read (`workbench.reports.listing`), never what the workbench wrote.
    A pair whose aligned file is up to date (`workbench.run.resume`) is left alone. The
    others are translated here (one model, large batches, the translation memory
    filled), then aligned and written by `workers` processes (default: the cores
    available; `workbench.run.workers`), or on a Ray cluster when `ray` is an address
    ("local": the one `ray.init()` finds or starts; `workbench.run.cluster`). The
    files are the same whichever way. A report that cannot be loaded and a pair that
    is refused (open in review) or fails are listed and the others go on; a full disk
    or read-only file system stops the run (what was written stays).
    `progress(done, total, what)` follows the pairs.
    """
    session = None
    if ray is not None:
        from workbench.run import cluster  # Ray is imported only when asked for

        session = cluster.connect(ray)  # a bad address is said before any work
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
    from workbench.pairing import (
        pair_directory,  # numpy and scipy load only when running
    )

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
