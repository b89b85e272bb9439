"""A private local Ray cluster for the Ray tests and benchmarks/run_scaling.py.

`ray start --head --block` in its own session, on a free port of 127.0.0.1, with its
own temp folder; stopping it ends only the processes it started (SIGTERM to the head,
then whatever still names its temp folder), never another user's Ray.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it (from /proc: parent links)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo.extend(children.get(found[-1], []))
    return found


class LocalCluster:
    """`address` and `env` (for the commands that join it) of a running head node."""

    JOIN = ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_USAGE_STATS_ENABLED")  # what a joining command needs

    def __init__(self, cpus: int = 2, timeout: float = 120):
        self.temp = tempfile.mkdtemp(prefix="wb-ray-", dir="/tmp")  # short: Ray's socket paths must fit
        port = free_port()
        self.address = f"127.0.0.1:{port}"
        self._log = os.path.join(self.temp, "head.err")  # Ray's own words when the head fails to start
        # Token authentication with a token of its own: the commands that join get it in their environment.
        self.env = dict(os.environ, RAY_AUTH_MODE="token", RAY_AUTH_TOKEN=secrets.token_hex(32),
                        RAY_USAGE_STATS_ENABLED="0")
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
        with open(self._log, "wb") as err:
            self.head = subprocess.Popen(
                [sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block", f"--num-cpus={cpus}",
                 "--num-gpus=0", f"--port={port}", f"--ray-client-server-port={free_port()}",
                 f"--dashboard-port={free_port()}", f"--dashboard-agent-listen-port={free_port()}",  # not the defaults
                 "--node-ip-address=127.0.0.1", f"--temp-dir={self.temp}", "--include-dashboard=false",
                 "--disable-usage-stats"],
                env=self.env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
        deadline = time.monotonic() + timeout
        while True:
            if self.head.poll() is not None:
                why = self.last_lines()
                self.stop()
                raise RuntimeError(f"ray start --head exited with {self.head.returncode}:\n{why}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"the local Ray cluster did not start in {timeout:g} s") from None
                time.sleep(0.5)

    def last_lines(self, count: int = 20) -> str:
        """The last lines Ray wrote to stderr (why a head node did not start)."""
        try:
            with open(self._log, "rb") as fh:
                return "\n".join(fh.read().decode("utf-8", "replace").splitlines()[-count:])
        except OSError:
            return "(no output)"

    def pids(self) -> list[int]:
        """The head and every process it started (for memory sampling)."""
        return descendants(self.head.pid)

    def stop(self) -> None:
        started = descendants(self.head.pid)[1:]
        if self.head.poll() is None:
            self.head.send_signal(signal.SIGTERM)  # `--block`: stops the processes it started
            try:
                self.head.wait(timeout=10)  # it drains for up to 30 s: nothing of ours runs there
            except subprocess.TimeoutExpired:
                os.killpg(self.head.pid, signal.SIGKILL)
        for pid in started:  # whatever outlived it
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(self.temp, ignore_errors=True)
