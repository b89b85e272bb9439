"""`translate --ray` and `run --ray` on a local Ray cluster: the same files as the local path,
the translation memory consulted before anything is sent, an interrupted run resumed.

One cluster for the whole session (`ray start --head --block`, 2 CPUs, started by the
`ray_cluster` fixture and stopped with it); every command is the real CLI in a subprocess
that joins it by address, as a user's would.
"""

from __future__ import annotations

import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.ray_cluster import LocalCluster, free_port
from tests.support.report_folders import news_folder, same_tree

pytest.importorskip("ray")  # the test extra installs it


@pytest.fixture(scope="session")
def ray_cluster():
    """(address, environment) of a 2-CPU Ray cluster private to this test session."""
    cluster = LocalCluster(cpus=2)
    try:
        yield cluster.address, cluster.env
    finally:
        cluster.stop()


@pytest.fixture
def ray_env(ray_cluster, isolated_env):
    address, env = ray_cluster
    return address, dict(isolated_env, **{k: env[k] for k in LocalCluster.JOIN})


def sent(stderr: str) -> tuple[int, int]:
    """(segments, batches) the command says it sent to the cluster."""
    found = re.search(r"(\d+) segment\(s\) sent to the Ray cluster in (\d+) batch\(es\)", stderr)
    assert found, stderr
    return int(found[1]), int(found[2])


def test_translate_on_the_cluster_writes_what_the_local_path_writes(tmp_path, cli, ray_env, tiny_model_zh,
                                                                     tiny_model_vi):
    address, env = ray_env
    folder = news_folder(tmp_path / "in", docs=3, lines=5)
    models = ["--model-zh", tiny_model_zh, "--model-vi", tiny_model_vi, "--no-progress"]
    local = cli("translate", folder, "--out", tmp_path / "local", *models,
                env=dict(env, WORKBENCH_DATA_DIR=str(tmp_path / "local-data")))
    assert local.returncode == 0, local.stderr
    first = cli("translate", folder, "--out", tmp_path / "ray", *models, "--ray", address, env=env)
    assert first.returncode == 0, first.stderr
    assert f"Ray cluster at {address}: 2 CPU(s), 0 GPU(s)" in first.stderr
    segments, batches = sent(first.stderr)
    assert segments > 0 and batches > 0
    assert sorted(p.name for p in (tmp_path / "ray").iterdir()) == sorted(p.name for p in (tmp_path / "local").iterdir())
    assert same_tree(tmp_path / "local", tmp_path / "ray") == []

    # The memory is asked before anything is sent: a re-run sends nothing and writes the same.
    again = cli("translate", folder, "--out", tmp_path / "again", *models, "--ray", address, env=env)
    assert again.returncode == 0, again.stderr
    assert sent(again.stderr) == (0, 0)
    assert "(0 translated," in again.stderr
    assert same_tree(tmp_path / "local", tmp_path / "again") == []


def test_run_on_the_cluster_writes_what_the_local_path_writes(tmp_path, cli, ray_env, tiny_model_zh, tiny_model_vi):
    address, env = ray_env
    folder = news_folder(tmp_path / "in", lines=5)
    models = ["--model-zh", tiny_model_zh, "--model-vi", tiny_model_vi]
    local = cli("run", folder, "--out", tmp_path / "local", *models, "--workers", "1",
                env=dict(env, WORKBENCH_DATA_DIR=str(tmp_path / "local-data")))
    assert local.returncode == 0, local.stderr
    remote = cli("run", folder, "--out", tmp_path / "ray", *models, "--ray", address, env=env)
    assert remote.returncode == 0, remote.stderr
    assert sent(remote.stderr)[0] > 0
    assert len(list((tmp_path / "ray").glob("*.jsonl"))) == 4
    assert same_tree(tmp_path / "local", tmp_path / "ray") == []
    assert (sorted(remote.stdout.replace(str(tmp_path / "ray"), "OUT").splitlines())
            == sorted(local.stdout.replace(str(tmp_path / "local"), "OUT").splitlines()))

    # Up to date: nothing is sent, nothing aligned, nothing rewritten.
    stamps = {p.name: p.stat().st_mtime_ns for p in (tmp_path / "ray").glob("*.jsonl")}
    again = cli("run", folder, "--out", tmp_path / "ray", *models, "--ray", address, env=env)
    assert again.returncode == 0, again.stderr
    assert sent(again.stderr) == (0, 0) and "4 up to date" in again.stdout
    assert {p.name: p.stat().st_mtime_ns for p in (tmp_path / "ray").glob("*.jsonl")} == stamps


def _memory_rows(path: Path) -> int:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as db:
            return db.execute("SELECT COUNT(*) FROM translations").fetchone()[0]
    except sqlite3.Error:  # not created yet
        return 0


def test_an_interrupted_run_on_the_cluster_resumes_from_the_memory(tmp_path, cli, ray_env, tiny_model_zh):
    address, env = ray_env
    folder = news_folder(tmp_path / "in", docs=5, lines=12)
    for vi in folder.glob("vi_*"):
        vi.unlink()
    args = ["translate", folder, "--model-zh", tiny_model_zh, "--no-progress", "--batch-tokens", "24"]
    memory = Path(env["WORKBENCH_DATA_DIR"]) / "translation-memory.sqlite3"
    proc = subprocess.Popen([sys.executable, "-m", "workbench", *map(str, args), "--out", str(tmp_path / "cut"),
                             "--ray", address], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 240
    while _memory_rows(memory) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)  # Ctrl-C once the first batches came back
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr  # it was still translating
    kept = _memory_rows(memory)
    assert kept > 0

    resumed = cli(*args, "--out", tmp_path / "resumed", "--ray", address, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert sent(resumed.stderr)[0] == _memory_rows(memory) - kept > 0  # only what the cut run did not store

    local = cli(*args, "--out", tmp_path / "local", env=dict(env, WORKBENCH_DATA_DIR=str(tmp_path / "local-data")))
    assert local.returncode == 0, local.stderr
    assert same_tree(tmp_path / "local", tmp_path / "resumed") == []


def test_an_address_that_answers_nothing_is_one_line(tmp_path, cli):
    port = free_port()  # nothing listens there
    started = time.monotonic()
    proc = cli("run", "seeds", "--mt", "none", "--out", tmp_path / "o", "--ray", f"127.0.0.1:{port}")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: cannot join the Ray cluster at 127.0.0.1:{port}: Connection refused (is the cluster running? "
        "`ray start --head` prints its address)"]
    assert time.monotonic() - started < 60
    assert not (tmp_path / "o").exists()


def test_without_ray_installed_ray_is_one_line(tmp_path, isolated_env):
    code = ("import sys\nsys.modules['ray'] = None  # as if not installed: `import ray` fails\n"
            "from workbench.cli import main\nsys.argv = ['workbench'] + sys.argv[1:]\nmain()\n")
    for command in (["run", "seeds", "--mt", "none", "--out", str(tmp_path / "o")],
                    ["translate", "seeds", "--out", str(tmp_path / "en")]):
        proc = subprocess.run([sys.executable, "-c", code, *command, "--ray"], capture_output=True, text=True,
                              env=isolated_env, cwd=ROOT, timeout=120)
        assert proc.returncode == 2, proc.stderr
        assert proc.stderr.strip().splitlines() == [
            'error: --ray needs Ray on this machine and on the cluster: pip install "workbench[ray]"']


def test_translator_pool_follows_the_cluster_resources():
    """One actor per GPU (CUDA, that device's precision), else CPU actors within the CPU budget."""
    from workbench.run.cluster import actor_threads, cluster_config, pool_shape
    from workbench.errors import WorkbenchError
    from workbench.translate import TranslationConfig

    resolved = TranslationConfig(backend="ctranslate2", device="cpu", compute_type="int8")
    on_gpus = cluster_config(TranslationConfig(), resolved, gpus=2, threads=4)
    assert (on_gpus.device, on_gpus.compute_type) == ("cuda", "int8_float16")
    assert pool_shape(16, 2, "cuda", 0.5, 4) == (2, 1)
    assert cluster_config(TranslationConfig(device="cpu"), resolved, gpus=2, threads=4).device == "cpu"
    with pytest.raises(WorkbenchError, match="has no GPU"):
        cluster_config(TranslationConfig(device="cuda"), resolved, gpus=0, threads=4)
    on_cpus = cluster_config(TranslationConfig(), resolved, gpus=0, threads=actor_threads(16, 0.5))
    assert (on_cpus.device, on_cpus.compute_type, on_cpus.threads) == ("cpu", "int8", 4)
    assert pool_shape(16, 0, "cpu", 0.5, 4) == (2, 4)   # `run`: half the CPUs translate, half align
    assert pool_shape(16, 0, "cpu", 1.0, 4) == (4, 4)   # `translate`: all of them
    assert pool_shape(2, 0, "cpu", 0.5, actor_threads(2, 0.5)) == (1, 1)  # one CPU left to align


def test_a_cluster_that_asks_for_a_token_is_one_line(tmp_path, cli, ray_env, isolated_env):
    address, _ = ray_env
    env = {k: v for k, v in isolated_env.items() if not k.startswith("RAY_AUTH")}
    proc = cli("run", "seeds", "--mt", "none", "--out", tmp_path / "o", "--ray", address, env=env)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        f"error: cannot join the Ray cluster at {address}: the cluster asks for a token: set RAY_AUTH_MODE=token "
        "here (its token in ~/.ray/auth_token or RAY_AUTH_TOKEN)"]
