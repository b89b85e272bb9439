"""`translate --ray` and `run --ray`: the same jobs on a Ray cluster.

What runs where:

- **driver** (the machine where the command is typed): reads the reports, pairs
  them, prepares every sentence as the model will see it, and asks the
  translation memory first; only what the memory cannot answer is sent. It
  plans the batches exactly as a local run does and stores what comes back
  (one commit per batch), so an interrupted run keeps every batch that
  returned and a re-run sends nothing that is already translated. It holds the
  review locks, reads existing aligned files and writes every output file: the
  output folder and the memory are the driver's.
- **translator actors** (`TranslatorActor`): a pool, one model load per actor
  (per language), decoding the batches the driver sends. One GPU per actor
  when the cluster has GPUs (as many actors as GPUs), else CPU actors of up to
  4 threads (for `run`, on at most half of the cluster's CPUs, leaving the rest
  to the aligning tasks). Created when the first batch must be decoded: a
  fully cached run starts none.
- **aligning tasks** (`run`): one task per pair (one CPU), given both
  documents, their English and the existing file's review; it returns the new
  file's text, which the driver writes.

The workbench code itself goes to the cluster with the job (Ray `py_modules`), so
driver and workers run the same code; the workers need the same Python and the
dependencies (`pip install "workbench[ray]"`, and `ctranslate2` when it is the
backend). Model files need not be on the workers: the driver puts each model
folder into Ray's object store once per run, and an actor whose node lacks the
folder at the driver's path (or has another model there) copies it into its
node's cache (`<cache dir>/workbench/models/<identity>/`, written once per node).

Results equal the local path's: the same batches reach the same engine code,
and the aligner is the same code on the same inputs.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
from collections import deque
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterator

from workbench.errors import WorkbenchError

LOCAL = "local"  # `--ray` with no address: the cluster ray.init() finds, else one started here
ACTOR_THREADS = 4  # CPU threads of one translator actor: more buys little on a Marian model
_ADDRESS = re.compile(r"(ray|rays)://.+|\[?[\w.:-]+\]?:\d+")


def looks_like_address(text: str) -> bool:
    """`auto`, `local`, `HOST:PORT` or `ray://HOST:PORT` (a report path is none of these)."""
    return text in ("auto", LOCAL) or bool(_ADDRESS.fullmatch(text))


def ray_flag_args(args: list[str]) -> list[str]:
    """`--ray` takes an optional address: a bare `--ray` (last, or before something that is not an
    address, such as a path) becomes `--ray=local`."""
    out = []
    for k, arg in enumerate(args):
        if arg == "--ray" and (k + 1 == len(args) or not looks_like_address(args[k + 1])):
            arg = f"--ray={LOCAL}"
        out.append(arg)
    return out


def _import_ray():
    try:
        import ray
    except ImportError:
        raise WorkbenchError("--ray needs Ray on this machine and on the cluster: "
                             'pip install "workbench[ray]"') from None
    return ray


def connect(address: str | None) -> "Session":
    """Join the Ray cluster at `address` (`local`/None: what `ray.init()` finds, else one started here).

    A Ray session already open in this process (a library user, the tests) is used as it is.
    """
    ray = _import_ray()
    if ray.is_initialized():
        return Session(ray, address, started=False)
    import workbench

    target = None if address in (None, LOCAL) else address
    if target not in (None, "auto"):
        _check_reachable(target)
    with tempfile.TemporaryFile() as said, _stderr_to(said):  # Ray's C++ core logs each retry there
        try:
            ray.init(address=target, logging_level=logging.ERROR, log_to_driver=False,
                     runtime_env={"py_modules": [str(Path(workbench.__file__).parent)]})
            failure = None
        except (ConnectionError, ValueError, RuntimeError, TimeoutError) as exc:
            failure = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            failure += (" (start one with `ray start --head`, or give --ray without an address to start "
                        "one here)")
            said.seek(0)
            if b"InvalidAuthToken" in said.read():
                failure = ("the cluster asks for a token: set RAY_AUTH_MODE=token here (its token in "
                           "~/.ray/auth_token or RAY_AUTH_TOKEN)")
    if failure is not None:
        raise WorkbenchError(f"cannot join the Ray cluster at {address}: {failure}")
    return Session(ray, address, started=True)


@contextmanager
def _stderr_to(file: Any) -> Iterator[None]:
    """File descriptor 2 (what C++ libraries write to) goes to `file` meanwhile."""
    sys.stderr.flush()
    saved = os.dup(2)
    os.dup2(file.fileno(), 2)
    try:
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """A HOST:PORT that accepts no connection is said at once (Ray itself retries for minutes)."""
    import socket

    hostport = address.split("://", 1)[-1]
    host, _, port = hostport.rpartition(":")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=timeout).close()
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
        raise WorkbenchError(f"cannot join the Ray cluster at {address}: {reason} (is the cluster running? "
                             "`ray start --head` prints its address)") from None


def cluster_config(asked: Any, resolved: Any, gpus: float, threads: int) -> Any:
    """The translation config the actors run: the backend decided here, the device of the cluster
    (CUDA when it has GPUs, unless cpu was asked for) and that device's default precision."""
    from workbench.translate.backends import COMPUTE_TYPES

    device = asked.device or ("cuda" if gpus >= 1 else "cpu")
    if device not in ("cpu", "cuda"):
        raise WorkbenchError(f"unknown device {device!r}: use cpu or cuda")
    if device == "cuda" and gpus < 1:
        raise WorkbenchError("--device cuda: the Ray cluster has no GPU; use --device cpu")
    allowed = COMPUTE_TYPES[resolved.backend][device]
    compute = asked.compute_type or allowed[0]
    if compute not in allowed:
        raise WorkbenchError(f"compute type {compute!r} is not available for {resolved.backend} on {device}: "
                             f"use one of {', '.join(allowed)}")
    return replace(resolved, device=device, compute_type=compute,
                   threads=threads if device == "cpu" else resolved.threads)


def _budget(cpus: float, share: float) -> float:
    """The cluster CPUs translator actors may hold: `share` of them, one always left to aligning."""
    return min(cpus * share, cpus - 1) if share < 1 else cpus


def actor_threads(cpus: float, share: float) -> int:
    return max(1, min(ACTOR_THREADS, int(_budget(cpus, share))))


def pool_shape(cpus: float, gpus: float, device: str, share: float, threads: int) -> tuple[int, float]:
    """(translator actors, CPUs each reserves): one actor per GPU on CUDA, else CPU actors of
    `threads` threads within the budget (at least one, reserving nothing when the budget is short)."""
    if device == "cuda":
        return int(gpus), (1 if cpus - gpus >= 1 else 0)
    budget = _budget(cpus, share)
    return max(1, int(budget // threads)), (threads if budget >= threads else 0)


class Session:
    """A connection to a Ray cluster for one command: its translator pool and aligning tasks."""

    def __init__(self, ray: Any, address: str | None, started: bool):
        self.ray = ray
        self.address = address
        self.started = started
        resources = ray.cluster_resources()
        self.cpus = float(resources.get("CPU", 0))
        self.gpus = float(resources.get("GPU", 0))
        self.pool: TranslatorPool | None = None

    def describe(self) -> str:
        where = "started here" if self.started and self.address in (None, LOCAL) else f"at {self.address}"
        return f"Ray cluster {where}: {self.cpus:g} CPU(s), {self.gpus:g} GPU(s)"

    def sent(self) -> str:
        """What went to the translator actors (a re-run of the same work sends nothing)."""
        pool = self.pool
        return (f"{pool.sentences if pool else 0} segment(s) sent to the Ray cluster in "
                f"{pool.batches if pool else 0} batch(es)")

    def translate_with_cluster(self, translators: dict[str, Any], asked: Any = None,
                               share: float = 0.5) -> "TranslatorPool | None":
        """Let `translators` (lang -> MarianTranslator) decode on a pool of actors; the memory stays here.

        `share`: the part of the cluster's CPUs the actors may hold (the rest aligns).
        """
        from workbench.translate import TranslationConfig

        distinct = list({id(t): t for t in translators.values()}.values())
        if not distinct:
            return None
        first = distinct[0]
        models = {lang: loc for t in distinct for lang, loc in t.models.items()}
        identities = {lang: t.identity(lang) for t in distinct for lang in t.models}
        threads = actor_threads(self.cpus, share)
        config = cluster_config(asked or TranslationConfig(), first.config, self.gpus, threads)
        actors, cpus_each = pool_shape(self.cpus, self.gpus, config.device, share, threads)
        self.pool = TranslatorPool(self, models, identities, config, actors=actors, cpus_each=cpus_each)
        for t in distinct:
            t.config = config  # the memory key: backend, precision and options the actors decode with
            t.decoder = self.pool
        return self.pool

    def aligner(self, settings: Any) -> "RayAligner":
        return RayAligner(self.ray, settings)

    def in_flight(self) -> int:
        """Pairs handed to the cluster at once (their locks are held here meanwhile)."""
        return max(64, int(4 * self.cpus))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.started:
            self.ray.shutdown()


# ----- translation -------------------------------------------------------------------------------

def _models_cache() -> Path:
    from workbench.translate.ct2 import cache_dir

    return cache_dir().parent / "models"


def _safe(identity: str) -> str:
    return re.sub(r"[^\w.@-]+", "--", identity)


def model_files(folder: Path) -> dict[str, bytes]:
    """The files of a model folder (followed through the Hugging Face cache's links)."""
    return {f.name: f.read_bytes() for f in sorted(folder.iterdir()) if f.is_file()}


def local_model(identity: str, path: str, revision: str | None, shipped: list[Any]) -> Path:
    """On a worker: the model folder to load, the driver's path when it holds the same model,
    else a copy of the shipped files in this node's cache."""
    from workbench.translate.models import WEIGHT_FILES, weights_hash

    folder = Path(path)
    weights = [folder / f for f in WEIGHT_FILES if (folder / f).is_file()] if folder.is_dir() else []
    if weights and (revision or identity.endswith("@" + weights_hash(weights[0])[:16])):
        return folder  # a Hugging Face snapshot is named by its revision; a folder by its weights
    target = _models_cache() / _safe(identity)
    if (target / "config.json").is_file():
        return target
    import ray

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".ship-", dir=target.parent))
    try:
        for name, data in ray.get(shipped[0]).items():
            (work / name).write_bytes(data)
        try:
            os.rename(work, target)
        except OSError:  # copied meanwhile by another actor on this node: keep theirs
            if not (target / "config.json").is_file():
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


class TranslatorActor:
    """Decodes batches for the driver; loads each language's model once, on its first batch."""

    def __init__(self, models: dict[str, tuple[str, str, str | None, list[Any]]], config: Any):
        self.models = models  # lang -> (identity, driver's path, revision, [shipped files])
        self.config = config
        self.engines: dict[str, Any] = {}

    def decode(self, lang: str, k: int, job: Any) -> tuple[int, list[list[str]]]:
        from workbench.translate.backends import generate_split, open_engine

        if lang not in self.engines:
            identity, path, revision, shipped = self.models[lang]
            self.engines[lang] = open_engine(local_model(identity, path, revision, shipped), identity, self.config)
        return k, generate_split(self.engines[lang], job.sources, job.max_new, job.beams, job.options)


class TranslatorPool:
    """A `MarianTranslator.decoder` over translator actors: batches out, output pieces back, in any order."""

    def __init__(self, session: Session, models: dict[str, Any], identities: dict[str, str], config: Any,
                 actors: int, cpus_each: float):
        self.session = session
        self.models = models
        self.identities = identities
        self.config = config
        self.actors_wanted = max(1, actors)
        self.cpus_each = cpus_each
        self.batches = 0    # batches sent to the cluster
        self.sentences = 0  # units (what the model sees) sent
        self._actors: list[Any] = []
        self._pool: Any = None

    def _start(self) -> Any:
        ray = self.session.ray
        if self._pool is None:
            remote = ray.remote(TranslatorActor)
            options: dict[str, Any] = {"num_cpus": self.cpus_each}
            if self.config.device == "cuda":
                options["num_gpus"] = 1
            shipped = {lang: (self.identities[lang], str(loc.path), loc.revision, [ray.put(model_files(loc.path))])
                       for lang, loc in self.models.items()}
            self._actors = [remote.options(**options).remote(shipped, self.config)
                            for _ in range(self.actors_wanted)]
            from ray.util import ActorPool

            self._pool = ActorPool(self._actors)
        return self._pool

    def __call__(self, lang: str, jobs: list[Any]) -> Iterator[tuple[int, list[list[str]]]]:
        if not jobs:
            return
        ray = self.session.ray
        pool = self._start()
        for k, job in enumerate(jobs):
            pool.submit(lambda actor, item: actor.decode.remote(lang, *item), (k, job))
        self.batches += len(jobs)
        self.sentences += sum(len(job.sources) for job in jobs)
        for _ in jobs:
            try:
                yield pool.get_next_unordered()
            except ray.exceptions.RayTaskError as exc:
                cause = getattr(exc, "cause", None)
                if isinstance(cause, WorkbenchError):
                    raise WorkbenchError(str(cause)) from None
                raise WorkbenchError(f"a translator on the Ray cluster failed: {cause or exc}") from None
            except ray.exceptions.RayActorError:
                raise WorkbenchError("a translator actor on the Ray cluster stopped (out of memory?); what was "
                                     "translated is kept in the memory: run again to resume") from None

    def close(self) -> None:
        for actor in self._actors:
            self.session.ray.kill(actor)
        self._actors, self._pool = [], None


# ----- aligning (run) ----------------------------------------------------------------------------

def _align_task(job: Any, settings: Any, previous: Any) -> tuple[str, Any]:
    """On a worker: the aligned file's text and summary for one pair (no file is touched)."""
    from workbench.run import workers
    from workbench.run.pair import aligned_text

    workers.fresh_embeddings()
    limits = workers.single_threaded_math()
    try:
        return aligned_text(job.zh, job.vi, job.target, workers.job_mt(job, settings), settings.glossary,
                                     settings.mode, previous, job.score)
    finally:
        limits.restore_original_limits()


class RayAligner:
    """A `workers.Executor`: each pair aligned by a Ray task; locks, reading and writing stay here."""

    def __init__(self, ray: Any, settings: Any):
        self.ray = ray
        self.settings = settings
        self._settings = ray.put(settings)
        self._task = ray.remote(num_cpus=1)(_align_task)
        self._pending: dict[Any, tuple[Any, Any]] = {}  # ObjectRef -> (job, slot)
        self._ready: deque[Any] = deque()

    @property
    def in_flight(self) -> int:
        return len(self._pending) + len(self._ready)

    def submit(self, job: Any) -> None:
        from workbench.run.pair import open_slot
        from workbench.run.workers import outcome_of_error

        try:
            slot = open_slot(job.target, self.settings.discard_review)
        except Exception as exc:  # noqa: BLE001 - refused (open in review) or failed: this pair only
            self._ready.append(outcome_of_error(job.index, job.target, exc))
            return
        self._pending[self._task.remote(job, self._settings, slot.previous)] = (job, slot)

    def next_done(self) -> Any:
        from workbench.run.pair import finish_slot
        from workbench.run.workers import PairOutcome, outcome_of_error

        if self._ready:
            return self._ready.popleft()
        (ref,), _ = self.ray.wait(list(self._pending), num_returns=1)
        job, slot = self._pending.pop(ref)
        try:
            text, summary = self.ray.get(ref)
        except self.ray.exceptions.RayError as exc:
            slot.release()
            cause = getattr(exc, "cause", None) or exc
            line = str(cause).strip().splitlines()[-1] if str(cause).strip() else type(cause).__name__
            return PairOutcome(job.index, failed=f"{job.target}: aligning on the Ray cluster failed: {line}")
        try:
            return PairOutcome(job.index, summary=finish_slot(slot, text, summary, self.settings.discard_review))
        except Exception as exc:  # noqa: BLE001 - a write failure is this pair's (or fatal: see outcome_of_error)
            return outcome_of_error(job.index, job.target, exc)

    def close(self, cancel: bool = False) -> None:
        for ref, (_, slot) in self._pending.items():
            slot.release()
            if cancel:
                self.ray.cancel(ref)
        self._pending.clear()
