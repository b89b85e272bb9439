"""`workbench export html` speed: writing the page of a 5,000-bead file, and how usable the page is
in headless Chromium (load, first frame, a key jump, a filter).

The file: the review tests' sample sentences (with English) repeated into `--beads` beads, a
sixth of them sentences one side has alone, links confirmed, rejected, undecided and edited,
with the repository's glossary (terms marked) and QA flags.

Baselines measured in the same run, interleaved over `--rounds`:
- writing: `workbench export tsv --include-auto` of the same file (the CLI, a subprocess each,
  Python start included), and in-process `export.tsv.to_tsv` against `export.html.pair_page`;
- the browser: the same steps on a 50-bead page (the ratio shows whether the cost grows with
  the file), and the 5,000-bead page with `content-visibility` turned off (what skipping the
  layout of rows off screen saves).

    python benchmarks/html_export.py [--beads 5000] [--rounds 3]

The last line is `html_export_s: <seconds of the CLI>`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support.browser import CHROMIUM, DESKTOP, Browser  # noqa: E402
from tests.support.review_support import sample_aligned  # noqa: E402
from workbench.export import html as export_html  # noqa: E402
from workbench.export.tsv import to_tsv  # noqa: E402
from workbench.glossary.model import load_glossary_if_any  # noqa: E402
from workbench.store.aligned import AlignedFile, make_bead, read_aligned, write_aligned  # noqa: E402


def make_file(n: int) -> AlignedFile:
    """`n` beads over repeated sample sentences: every 6th a sentence alone (zh and vi in turn)."""
    base = sample_aligned(True)
    zh, vi = base.header["zh"]["sentences"], base.header["vi"]["sentences"]
    header = dict(base.header)
    header["zh"] = dict(base.header["zh"], sentences=[dict(zh[i % len(zh)]) for i in range(n)])
    header["vi"] = dict(base.header["vi"], sentences=[dict(vi[i % len(vi)]) for i in range(n)])
    beads, z, v = [], 0, 0
    for k in range(n):
        if k % 6 == 5:
            if k % 12 == 5:
                beads.append(make_bead(header, [z], []))
                z += 1
            else:
                beads.append(make_bead(header, [], [v]))
                v += 1
            continue
        status = ("confirmed", "auto", "auto", "rejected", "confirmed")[k % 5]
        bead = make_bead(header, [z], [v], (k * 37 % 100) / 100, status=status)
        if k % 17 == 0:
            bead.vi_en = "A reviewer's English for this sentence."
            bead.history.append({"side": "vi", "en": "earlier", "source": "mt", "replaced_by": "edit"})
        beads.append(bead)
        z += 1
        v += 1
    header["zh"]["sentences"] = header["zh"]["sentences"][:z]
    header["vi"]["sentences"] = header["vi"]["sentences"][:v]
    return AlignedFile(header=header, beads=beads)


def cli(*args: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "workbench", *args], check=True, capture_output=True, cwd=ROOT,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def browser_steps(browser: Browser, url: str, content_visibility: bool = True) -> dict[str, float]:
    """Seconds: open (navigate to load event), first frame (to the first frame rendered after it), a key
    jump to the next gap far down the page, the 'only sentences without a partner' filter on and off."""
    tab = browser.open("about:blank", DESKTOP)
    if not content_visibility:
        tab.send("Page.addScriptToEvaluateOnNewDocument", {"source": (
            "document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
            "s.textContent = '.row { content-visibility: visible !important }'; document.head.append(s); });")})
    start = time.perf_counter()
    out = {"open": tab.navigate(url)}
    tab.next_frame()
    out["first_frame"] = time.perf_counter() - start
    tab.eval("scrollTo(0, document.documentElement.scrollHeight / 2)")
    tab.next_frame()
    start = time.perf_counter()
    tab.key("n")
    tab.next_frame()
    out["key_jump"] = time.perf_counter() - start
    start = time.perf_counter()
    tab.eval("document.getElementById('f-gaps').click()")
    tab.next_frame()
    tab.eval("document.getElementById('f-gaps').click()")
    tab.next_frame()
    out["filter_on_off"] = time.perf_counter() - start
    tab.send("Page.close")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--beads", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    glossary = load_glossary_if_any(ROOT / "glossary")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        big, small = tmp / "big.jsonl", tmp / "small.jsonl"
        write_aligned(big, make_file(args.beads))
        write_aligned(small, make_file(50))
        aligned = read_aligned(big)
        times: dict[str, list[float]] = {k: [] for k in ("cli_html", "cli_tsv", "html", "tsv")}
        for _ in range(args.rounds):
            times["cli_tsv"].append(cli("export", "tsv", str(big), "--include-auto", "--out", str(tmp / "big.tsv")))
            times["cli_html"].append(cli("export", "html", str(big), "--out", str(tmp / "big.html")))
            times["tsv"].append(timed(lambda: to_tsv(aligned, True)))
            times["html"].append(timed(lambda: export_html.pair_page(aligned, glossary, source=big.name)))
        export_html_page = tmp / "small.html"
        export_html_page.write_text(export_html.pair_page(read_aligned(small), glossary), encoding="utf-8")
        med = {k: statistics.median(v) for k, v in times.items()}
        size = (tmp / "big.html").stat().st_size
        print(f"{args.beads} beads ({sum(1 for b in aligned.beads if b.zh and b.vi)} links), page {size / 1e6:.1f} MB")
        print(f"CLI export html {med['cli_html']:.2f} s, export tsv {med['cli_tsv']:.2f} s: "
              f"ratio {med['cli_html'] / med['cli_tsv']:.2f}")
        print(f"in-process pair_page {med['html']:.2f} s, to_tsv {med['tsv']:.3f} s: "
              f"ratio {med['html'] / med['tsv']:.1f}")
        if CHROMIUM is None:
            print("chromium is not installed: browser steps skipped")
        else:
            steps: dict[str, list[dict[str, float]]] = {"big": [], "small": [], "big_no_cv": []}
            with Browser(tmp / "profile") as browser:
                for _ in range(args.rounds):
                    steps["small"].append(browser_steps(browser, export_html_page.as_uri()))
                    steps["big"].append(browser_steps(browser, (tmp / "big.html").as_uri()))
                    steps["big_no_cv"].append(browser_steps(browser, (tmp / "big.html").as_uri(), False))
            for step in steps["big"][0]:
                row = {k: statistics.median(r[step] for r in v) for k, v in steps.items()}
                print(f"browser {step:>13}: {args.beads} beads {row['big']:.3f} s, 50 beads {row['small']:.3f} s "
                      f"(ratio {row['big'] / row['small']:.1f}); without content-visibility {row['big_no_cv']:.3f} s")
        print(f"html_export_s: {med['cli_html']:.2f}")


if __name__ == "__main__":
    main()
