"""Options shared by several commands, so one thing has one name and one help everywhere."""

from __future__ import annotations

from enum import Enum

import typer


class MT(str, Enum):
    auto = "auto"
    none = "none"


MT_OPTION = typer.Option(MT.auto, "--mt", help="auto: translate when a model is found; none: never.")
GLOSSARY_OPTION = typer.Option(None, "--glossary", help="Glossary folder or file (default: glossary/ when it exists).")
MODEL_ZH_OPTION = typer.Option(None, "--model-zh", help="zh→en model: a folder or a model id.")
MODEL_VI_OPTION = typer.Option(None, "--model-vi", help="vi→en model: a folder or a model id.")
BACKEND_OPTION = typer.Option("auto", "--backend", help="MT engine: auto (ctranslate2 when installed), torch "
                              "or ctranslate2.")
DISCARD_OPTION = typer.Option(False, "--discard-review", help="Align existing files afresh, dropping their review "
                              "(the previous file is still kept in .backup/).")
RECUT_OPTION = typer.Option(False, "--recut", help="Align the beads nobody touched again even when only the "
                            "glossary changed (by default their cut is kept and they are scored again); per file "
                            "the links kept, added and removed are listed.")
WORKERS_OPTION = typer.Option(None, "--workers", min=1, help="Pairs aligned at once, each in its own process "
                              "(default: the cores available).")
RAY_OPTION = typer.Option(None, "--ray", metavar="[ADDRESS]",
                          help="Run on a Ray cluster: alone for the one ray.init() finds (else one started here), "
                               "auto, HOST:PORT or ray://HOST:PORT (needs Ray: the ray extra).")
# `--out` always names a file; a folder is `--out-dir`. The old `--out FOLDER` of run and translate
# still works, hidden, so scripts written for it keep running.
OUT_DIR_HIDDEN_ALIAS = typer.Option(None, "--out", hidden=True)
