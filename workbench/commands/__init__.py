"""Command modules, one per feature; each has `register(app)`."""

from __future__ import annotations

import importlib

import typer

# Each module owns the commands of one feature (kept apart so they stay thin).
MODULES = ("corpus", "pairing", "translate", "align", "pipeline", "glossary", "review")


def register_all(app: typer.Typer) -> None:
    for name in MODULES:
        module = importlib.import_module(f"workbench.commands.{name}")
        module.register(app)
