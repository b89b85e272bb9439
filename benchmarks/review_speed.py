"""Review UI speed: first paint of a 5,000-bead file, time per key press (navigation, confirm,
next decision, merge), what the review journal costs per edit, and the project view of 500
aligned files (first paint, all progress read, a key press, opening a file).

Targets: first paint <= 1 s, <= 50 ms per key press. Keys are sent with Textual's
pilot (headless); a key press is measured as the CPU time the app spends on it
(handling plus repainting), because the pilot's wall time also includes the idle
waits it inserts after every key. Baselines measured in the same run: the same steps
on a 50-bead file (the ratio shows whether the cost grows with the file), a minimal
Textual app pressing a no-op key (the floor of the harness), and, for reference,
filling Textual's DataTable with the same 5,000 two-line rows. The journal's cost: the
same confirms on the same file with the journal off (`ReviewSession.open(journal=False)`,
edits kept in memory until saved), as a ratio. Reading: `read_aligned` (parse + validate)
against bare `json.loads` of the same lines.

The project view's baseline is the same steps on 20 files.

    python benchmarks/review_speed.py [--beads 5000] [--presses 100] [--files 500]

The last line is `review_first_paint_s: <seconds>`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.review_support import big_aligned  # noqa: E402
from workbench.review.project import Project  # noqa: E402
from workbench.review.session import ReviewSession  # noqa: E402
from workbench.store.aligned import read_aligned, write_aligned  # noqa: E402
from workbench.tui.app import ReviewApp  # noqa: E402


async def press_many(pilot, key: str, times: int) -> tuple[float, float]:
    """(CPU s, wall s) per press."""
    wall, cpu = time.perf_counter(), time.process_time()
    for _ in range(times):
        await pilot.press(key)
    return (time.process_time() - cpu) / times, (time.perf_counter() - wall) / times


async def measure(path: Path, presses: int, journal: bool = True) -> dict[str, float]:
    from workbench.tui.review_screen import ReviewScreen

    painted: list[float] = []
    mount = ReviewScreen.on_mount

    def on_mount(screen) -> None:  # the first frame drawn (QA flags are prepared after it)
        mount(screen)
        screen.call_after_refresh(lambda: painted.append(time.perf_counter()))

    ReviewScreen.on_mount = on_mount
    start = time.perf_counter()
    glossary = ROOT / "glossary"  # the project's glossary: term matching is part of each key press
    session = ReviewSession.open(path, glossary_dir=glossary if any(glossary.glob("*.tsv")) else None,
                                 journal=journal)
    app = ReviewApp(session)
    result = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        result["first_paint_s"] = time.perf_counter() - start  # the app idle after its first paint
        result["first_frame_s"] = painted[0] - start
        # QA flags and the scorer are prepared in a worker thread after the first paint; keys are
        # measured once it is done, so its CPU time is not counted as the keys'
        while not app.review.prepared.is_set():
            await pilot.pause(0.01)
        result["prepared_s"] = time.perf_counter() - start
        for name, key, times in (("down", "down", presses), ("confirm", "c", presses), ("up", "up", presses),
                                 ("next", "n", presses), ("merge", "m", max(1, presses // 10))):
            result[f"key_{name}_cpu_s"], result[f"key_{name}_wall_s"] = await press_many(pilot, key, times)
        await pilot.press("q")
    ReviewScreen.on_mount = mount
    return result


async def measure_project(folder: Path, presses: int) -> dict[str, float]:
    """The project view of `folder`: first paint, every file's progress read, a key, opening a file."""
    from workbench.tui.project_screen import ProjectScreen
    from workbench.tui.review_screen import ReviewScreen

    painted: list[float] = []
    mount = ProjectScreen.on_mount

    def on_mount(screen) -> None:  # the first frame drawn, while the files' progress is still read
        mount(screen)
        screen.call_after_refresh(lambda: painted.append(time.perf_counter()))

    ProjectScreen.on_mount = on_mount
    start = time.perf_counter()
    app = ReviewApp(project=Project(folder))
    result = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while not painted:
            await pilot.pause(0.01)
        result["first_paint_s"] = painted[0] - start
        while not (isinstance(app.screen, ProjectScreen) and app.screen.loaded == len(app.screen.statuses)):
            await pilot.pause(0.01)
        result["all_progress_s"] = time.perf_counter() - start
        result["key_down_cpu_s"], result["key_down_wall_s"] = await press_many(pilot, "down", presses)
        t = time.perf_counter()
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen):
            await pilot.pause(0.01)
        result["open_file_s"] = time.perf_counter() - t
        await pilot.press("q")
    ProjectScreen.on_mount = mount
    return result


def write_project(folder: Path, files: int) -> None:
    folder.mkdir()
    aligned = big_aligned(60)  # a news report pair: about 60 beads
    for i in range(files):
        write_aligned(folder / f"{i:04d}_zh__{i:04d}_vi.jsonl", aligned)


async def confirm_cost(path: Path, presses: int, journal: bool) -> tuple[float, float]:
    """(CPU s, wall s) per confirm, journal on or off."""
    session = ReviewSession.open(path, journal=journal)
    async with ReviewApp(session).run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        cost = await press_many(pilot, "c", presses)
        await pilot.press("q")
    return cost


def read_cost(path: Path) -> tuple[float, float]:
    """(read_aligned s, bare json.loads of the lines s): best of 3."""
    text = path.read_text(encoding="utf-8")

    def best(fn) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return min(times)

    return best(lambda: read_aligned(path)), best(lambda: [json.loads(x) for x in text.split("\n") if x])


async def noop_baseline(presses: int) -> tuple[float, float]:
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        BINDINGS = [("down", "nothing", "")]

        def compose(self):
            yield Static("baseline")

        def action_nothing(self) -> None:
            pass

    async with Minimal().run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        return await press_many(pilot, "down", presses)


async def datatable_fill(n: int) -> float:
    """Seconds to add n two-line rows to Textual's DataTable (the non-virtualised-build alternative)."""
    from rich.text import Text
    from textual.app import App
    from textual.widgets import DataTable

    aligned = big_aligned(n)

    class Plain(App):
        def compose(self):
            yield DataTable()

    app = Plain()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("#", "zh", "vi", "score")
        t = time.perf_counter()
        table.add_rows([(str(i), Text(f"{b.zh_text}\n{b.zh_en}"), Text(f"{b.vi_text}\n{b.vi_en}"), f"{b.score:.2f}")
                        for i, b in enumerate(aligned.beads)])
        await pilot.pause()
        return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--beads", type=int, default=5000)
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--files", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.jsonl", Path(tmp) / "small.jsonl"
        write_aligned(big, big_aligned(args.beads))
        write_aligned(small, big_aligned(50))
        base = asyncio.run(measure(small, args.presses))
        result = asyncio.run(measure(big, args.presses))
        # alternate journal on / off so drift on a shared machine hits both alike
        costs = {True: [], False: []}
        for _ in range(2):
            for journal in (False, True):
                costs[journal].append(asyncio.run(confirm_cost(big, args.presses, journal)))
        with_j = [sum(c[i] for c in costs[True]) / 2 for i in (0, 1)]
        without_j = [sum(c[i] for c in costs[False]) / 2 for i in (0, 1)]
        read_s, json_s = read_cost(big)
        write_project(Path(tmp) / "many", args.files)
        write_project(Path(tmp) / "few", 20)
        project_base = asyncio.run(measure_project(Path(tmp) / "few", args.presses))
        project = asyncio.run(measure_project(Path(tmp) / "many", args.presses))
    table_fill = asyncio.run(datatable_fill(args.beads))
    noop_cpu, noop_wall = asyncio.run(noop_baseline(args.presses))
    print(f"beads: {args.beads} (baseline 50), key presses per measure: {args.presses}")
    print(f"{'measure':<20}{f'{args.beads} beads':>12}{'50 beads':>12}{'ratio':>8}  target")
    for key, value in result.items():
        target = 1.0 if key in ("first_paint_s", "first_frame_s") else 0.05 if key.endswith("_cpu_s") else None
        verdict = "" if target is None else f"<= {target * 1000:.0f} ms {'ok' if value <= target else 'SLOW'}"
        print(f"{key:<20}{value * 1000:>10.1f}ms{base[key] * 1000:>10.1f}ms{value / base[key]:>8.2f}  {verdict}")
    print(f"minimal Textual app, no-op key: cpu {noop_cpu * 1000:.1f} ms, wall {noop_wall * 1000:.1f} ms per press "
          f"(the pilot's floor; key_down wall / this = {result['key_down_wall_s'] / noop_wall:.2f})")
    print(f"DataTable.add_rows of the same {args.beads} rows: {table_fill:.3f} s "
          f"(vs {result['first_paint_s']:.3f} s for the whole first paint here)")
    print(f"confirm with the journal: cpu {with_j[0] * 1000:.1f} ms, wall {with_j[1] * 1000:.1f} ms; without: "
          f"cpu {without_j[0] * 1000:.1f} ms, wall {without_j[1] * 1000:.1f} ms; "
          f"ratio cpu {with_j[0] / without_j[0]:.2f}, wall {with_j[1] / without_j[1]:.2f}")
    print(f"read_aligned of {args.beads} beads: {read_s * 1000:.0f} ms (bare json.loads {json_s * 1000:.0f} ms, "
          f"ratio {read_s / json_s:.2f})")
    print(f"project view: {args.files} aligned files of 60 beads (baseline 20 files)")
    for key, value in project.items():
        target = 1.0 if key == "first_paint_s" else 0.05 if key.endswith("_cpu_s") else None
        verdict = "" if target is None else f"<= {target * 1000:.0f} ms {'ok' if value <= target else 'SLOW'}"
        print(f"  {key:<18}{value * 1000:>10.1f}ms{project_base[key] * 1000:>10.1f}ms"
              f"{value / project_base[key]:>8.2f}  {verdict}")
    print(f"review_first_paint_s: {result['first_paint_s']:.3f}")


if __name__ == "__main__":
    main()
