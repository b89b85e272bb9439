"""The package's layout: no import circle between modules, packages layered as the README lists them."""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"

# Top to bottom, as README's Layout section lists them: each may import only what stands below it.
LAYERS = ["__main__", "cli", "commands", "tui", "export", "review", "run", "pairing", "translate", "align",
          "glossary", "store", "evaluate", "crosslingual", "reports", "textfacts", "errors", "display",
          "workbench"]
BOTTOM = {"textfacts", "errors", "display"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Every project module each module imports: at the top, inside functions, under TYPE_CHECKING."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([node.module] if node.module else []))
                targets.add(base)
                targets.update(f"{base}.{alias.name}" for alias in node.names)
        graph[name] = {t for t in targets if t in modules and t != name}
    return graph


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "workbench"


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_circle_between_modules():
    assert _cycle(_imports(_modules())) is None, " -> ".join(_cycle(_imports(_modules())) or [])


def test_a_circle_is_found_when_there_is_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_packages_import_only_what_stands_below_them():
    graph = _imports(_modules())
    units = {_unit(m) for m in graph}
    assert units <= set(LAYERS), f"not placed in LAYERS (and README's Layout): {sorted(units - set(LAYERS))}"
    upward = sorted(f"{m} -> {t}" for m, targets in graph.items() for t in targets
                    if LAYERS.index(_unit(t)) < LAYERS.index(_unit(m)))
    assert not upward, "imports against the layering:\n" + "\n".join(upward)
    bottom = sorted(f"{m} -> {t}" for m, targets in graph.items() if _unit(m) in BOTTOM for t in targets)
    assert not bottom, "the bottom modules import nothing of the project:\n" + "\n".join(bottom)


def test_few_modules_directly_in_the_package():
    direct = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in ("__init__.py", "__main__.py", "cli.py"))
    assert len(direct) <= 12, direct


def test_the_readme_lists_every_package():
    layout = (ROOT / "README.md").read_text(encoding="utf-8").split("## Layout", 1)[1]
    for unit in set(LAYERS) - {"__main__", "workbench"}:
        kind = "/" if (PACKAGE / unit).is_dir() else ".py"
        assert f"`{unit}{kind}`" in layout, unit


def test_nothing_stray_at_the_repository_root():
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    top = {line.split("/", 1)[0] for line in tracked.splitlines()}
    assert top <= {"pyproject.toml", "README.md", "seeds", "workbench", "glossary", "aligned", "tests", "benchmarks",
                   ".ci", ".gitignore", "docs"}, sorted(top)
