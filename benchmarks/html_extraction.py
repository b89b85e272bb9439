"""Main text of real web pages: the product against trafilatura alone, on dev-html.

    python benchmarks/html_extraction.py [--pages ../shared/dev-html] [--half a|b] [-v]

Each page of `index.tsv` comes with the main text a person marked (`ID.txt`: the
article's body, without headline, date and author lines). Measured per page, as
character-bigram precision and recall (whitespace ignored), then averaged:

- trafilatura: `trafilatura.extract` with its defaults, on the page transcoded to UTF-8
  (`ID.html`: on the original bytes its own encoding guess fails on 6 of the 35 pages,
  so this is the library at its best);
- product: `load_document(ID.orig.html)`: its article text apart from the headline
  (the title lines before the first body sentence) and captions, which the expected
  text leaves out; their share of the kept text is printed on its own line, with how
  much of them the expected text holds anyway. Subheadings and short table cells
  (kind "title" after the body starts) are article text; "body only" leaves them out too.

A page the product refuses counts 0 in "all pages" and is listed with its message.
`--half a` / `--half b` measure one half of the pages (by id, alternating), so that
anything chosen by looking at one half can be reported on the other.
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bigrams(text: str) -> Counter:
    s = "".join(text.split())
    return Counter(s[i:i + 2] for i in range(len(s) - 1))


@dataclass
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(found: str, expected: Counter) -> Score:
    got = bigrams(found)
    overlap = sum((got & expected).values())
    return Score(overlap / sum(got.values()) if got else 0.0,
                 overlap / sum(expected.values()) if expected else 0.0)


def mean(scores: list[Score]) -> tuple[float, float, float]:
    n = len(scores) or 1
    return (sum(s.precision for s in scores) / n, sum(s.recall for s in scores) / n,
            sum(s.f1 for s in scores) / n)


def trafilatura_text(data: bytes) -> str:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    return trafilatura.extract(data) or ""


def product_text(path: Path) -> tuple[str | None, str, str, str]:
    """(article text or None when refused, body sentences only, headline/caption text, refusal)."""
    from workbench.reports.corpus import load_document
    from workbench.errors import WorkbenchError

    try:
        doc = load_document(path)
    except WorkbenchError as exc:
        return None, "", "", str(exc)
    first_body = next((s.index for s in doc.sentences if s.kind == "body"), len(doc.sentences))
    article, body, other = [], [], []
    for s in doc.sentences:
        if s.kind == "caption" or (s.kind == "title" and s.index < first_body):
            other.append(s.text)
        else:
            article.append(s.text)
            if s.kind == "body":
                body.append(s.text)
    return "\n".join(article), "\n".join(body), "\n".join(other), ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=Path, default=ROOT.parent / "shared" / "dev-html")
    ap.add_argument("--half", choices=("a", "b"), help="only one half of the pages (alternating by id)")
    ap.add_argument("-v", "--verbose", action="store_true", help="one line per page")
    args = ap.parse_args()
    with (args.pages / "index.tsv").open(encoding="utf-8") as fh:
        ids = sorted(row["id"] for row in csv.DictReader(fh, delimiter="\t"))
    if args.half:
        ids = ids[0 if args.half == "a" else 1::2]
    lib, prod, prod_read, lib_read, body_only = [], [], [], [], []
    extra_chars = body_chars = extra_expected = 0
    refused: list[tuple[str, str]] = []
    for page_id in ids:
        folder = args.pages / "pages"
        expected_text = (folder / f"{page_id}.txt").read_text(encoding="utf-8")
        expected = bigrams(expected_text)
        orig = folder / f"{page_id}.orig.html"
        t = score(trafilatura_text((folder / f"{page_id}.html").read_bytes()), expected)
        lib.append(t)
        body, only, other, message = product_text(orig)
        if body is None:
            refused.append((page_id, message))
            p = Score(0.0, 0.0)
            body_only.append(p)
        else:
            p = score(body, expected)
            body_only.append(score(only, expected))
            prod_read.append(p)
            lib_read.append(t)
            extra_chars += len("".join(other.split()))
            body_chars += len("".join(body.split()))
            extra_expected += sum((bigrams(other) & expected).values())
        prod.append(p)
        if args.verbose:
            print(f"{page_id}  trafilatura P {t.precision:.2f} R {t.recall:.2f}   "
                  f"product P {p.precision:.2f} R {p.recall:.2f}" + (f"   REFUSED: {message}" if body is None else ""))
    print(f"pages: {len(ids)}" + (f" (half {args.half})" if args.half else ""))
    print("character-bigram precision / recall / F1, averaged over pages:")
    for name, scores in (("trafilatura alone, all pages", lib), ("product (article), all pages", prod),
                         ("trafilatura alone, pages the product read", lib_read),
                         ("product (article), pages it read", prod_read),
                         ("product (body sentences only), all pages", body_only)):
        p, r, f = mean(scores)
        print(f"  {name:44s} P {p:.3f}  R {r:.3f}  F1 {f:.3f}")
    total = extra_chars + body_chars
    print(f"headline/caption lines kept: {extra_chars} characters, "
          f"{extra_chars / total if total else 0:.1%} of the kept text "
          f"({extra_expected} of their bigrams are in the expected text anyway)")
    print(f"pages refused: {len(refused)} of {len(ids)}")
    for page_id, message in refused:
        print(f"  {page_id}: {message}")
    p, r, f = mean(prod)
    print(f"html_article_f1: {f:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
