"""Shared fixtures. Shared file: add fixtures by insertion, never rewrite it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
DEV_ALIGN = SHARED / "dev-align" / "mac"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seed_sentences(seeds_dir) -> dict[str, list[str]]:
    """The sentences of the seed reports by language, in file order."""
    from workbench.reports.corpus import load_document

    out: dict[str, list[str]] = {"zh": [], "vi": []}
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = load_document(path)
        out[doc.lang] += [s.text for s in doc.sentences]
    return out


@pytest.fixture
def one_thread(monkeypatch):
    """A tiny model gains nothing from threads, and they crawl when the cores are busy."""
    monkeypatch.setenv("OMP_NUM_THREADS", "1")


@pytest.fixture(scope="session")
def dev_align_dir() -> Path:
    if not DEV_ALIGN.is_dir():
        pytest.skip("../shared/dev-align is not beside the repo")
    return DEV_ALIGN


@pytest.fixture
def isolated_env(tmp_path, monkeypatch) -> dict[str, str]:
    """Environment for CLI subprocesses: private data dir, offline, no model found."""
    env = dict(os.environ)
    env["WORKBENCH_DATA_DIR"] = str(tmp_path / "wb-data")
    env["HF_HUB_OFFLINE"] = "1"
    env["TRANSFORMERS_OFFLINE"] = "1"
    env["HF_HOME"] = str(tmp_path / "hf-home")
    env.pop("WORKBENCH_MODEL_ZH", None)
    env.pop("WORKBENCH_MODEL_VI", None)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            input: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run `python -m workbench ARGS` as a user would; returns the completed process."""
    return subprocess.run(
        [sys.executable, "-m", "workbench", *map(str, args)],
        capture_output=True, text=True, env=env, cwd=cwd or ROOT, input=input, timeout=timeout,
    )


@pytest.fixture
def cli(isolated_env):
    """`cli(*args)` runs the real command in a subprocess with an isolated environment."""
    def _run(*args, **kwargs):
        kwargs.setdefault("env", isolated_env)
        return run_cli(*args, **kwargs)
    return _run

# --- fixtures added by features below this line ---


# translate: tiny MarianMT models built on disk once per session (tests/support/tiny_marian.py)
@pytest.fixture(scope="session")
def tiny_model_zh(tmp_path_factory) -> Path:
    from tests.support.tiny_marian import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-opus-mt-zh-en"), "zh")


@pytest.fixture(scope="session")
def tiny_model_vi(tmp_path_factory) -> Path:
    from tests.support.tiny_marian import build_tiny_marian

    return build_tiny_marian(tmp_path_factory.mktemp("tiny-opus-mt-vi-en"), "vi")


# translate: CTranslate2 conversions of the tiny models go to a private cache, not the user's
@pytest.fixture(scope="session", autouse=True)
def private_model_cache(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wb-cache")
    os.environ["WORKBENCH_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture
def gdir(tmp_path) -> Path:
    """A copy of the repository's glossary folder that a test may edit."""
    folder = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", folder)
    return folder
