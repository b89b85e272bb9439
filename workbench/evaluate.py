"""Alignment quality: strict and lax precision, recall and F1 (Thompson & Koehn 2019).

A strict hit is a test bead identical to a gold bead. A lax hit is a test bead
that shares at least one source and one target id with some gold bead. Beads
empty on one side count in the precision denominator (they are claims the
aligner makes) but not in recall (the gold's unaligned sentences are not links
to find). Counts are summed over all files before dividing.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from workbench.errors import WorkbenchError

BeadIds = tuple[tuple[int, ...], tuple[int, ...]]
_BEAD_LINE = re.compile(r"^\s*(\[[\d,\s]*\])\s*:\s*(\[[\d,\s]*\])\s*$")


def format_bead(src_ids: Sequence[int], tgt_ids: Sequence[int]) -> str:
    """The standard notation, exactly Python's list repr: `[0, 1]:[2]`."""
    return f"{list(src_ids)!r}:{list(tgt_ids)!r}"


def parse_bead(text: str, path: str | Path | None = None, line: int | None = None) -> BeadIds:
    m = _BEAD_LINE.match(text)
    if not m:
        raise WorkbenchError(f"not a bead, expected e.g. [0, 1]:[2], got {text.strip()[:60]!r}", path, line)
    src, tgt = (tuple(ast.literal_eval(g)) for g in m.groups())
    if not src and not tgt:
        raise WorkbenchError("a bead needs at least one sentence id: []:[]", path, line)
    return src, tgt


def read_beads(path: str | Path) -> list[BeadIds]:
    """One bead a line; blank lines and `#` comments are skipped; errors name the file and line."""
    return read_bead_file(path)[0]


def read_bead_file(path: str | Path) -> tuple[list[BeadIds], list[str]]:
    """(beads, aligner signatures from `# aligner: ...` comment lines) of a bead file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise WorkbenchError("no such file", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbenchError(f"cannot read bead file: {exc}", path) from None
    beads, signatures = [], []
    for no, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            if key.strip() == "aligner" and value.strip():
                signatures.append(value.strip())
        elif line:
            beads.append(parse_bead(raw, path, no))
    if not beads:
        raise WorkbenchError("no beads in the file", path)
    return beads, signatures


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


# Bump when the same files may score differently.
METRIC_VERSION = "1.0"


@dataclass(frozen=True)
class AlignmentScores:
    strict: Scores
    lax: Scores
    files: int = 0
    gold_beads: int = 0
    test_beads: int = 0
    aligners: tuple[str, ...] = ()  # signatures of what produced the test files, when they say

    @property
    def signature(self) -> str:
        """What these numbers are, as sacrebleu signs its scores."""
        return (f"metric:thompson-koehn-2019|strict+lax|one-sided:precision-only|counts:summed|"
                f"files:{self.files}|beads:gold={self.gold_beads},test={self.test_beads}|version:{METRIC_VERSION}")


def _prf(hits_p: int, n_test: int, hits_r: int, n_gold: int) -> Scores:
    p = hits_p / n_test if n_test else 0.0
    r = hits_r / n_gold if n_gold else 0.0
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def _hits(gold: Sequence[BeadIds], test: Sequence[BeadIds]) -> tuple[int, int, int]:
    """(strict hits, lax hits, test beads) of `test` measured against `gold`."""
    gold_set = {(tuple(s), tuple(t)) for s, t in gold if s or t}
    test_set = {(tuple(s), tuple(t)) for s, t in test if s or t}
    gold_tgt_of: dict[int, set[int]] = {}
    for s, t in gold_set:
        for i in s:
            gold_tgt_of.setdefault(i, set()).update(t)
    strict = lax = 0
    for s, t in test_set:
        if (s, t) in gold_set:
            strict += 1
            lax += 1
        elif any(set(t) & gold_tgt_of.get(i, set()) for i in s):
            lax += 1
    return strict, lax, len(test_set)


def score_alignments(gold: Sequence[Sequence[BeadIds]], test: Sequence[Sequence[BeadIds]]) -> AlignmentScores:
    """Strict and lax P/R/F1 with counts summed over file pairs (gold[k] against test[k]).

    Recall is precision with the roles swapped and one-sided beads removed from both.
    """
    if len(gold) != len(test):
        raise WorkbenchError(f"{len(gold)} gold files but {len(test)} test files; give them in pairs")
    ps = pl = pn = rs = rl = rn = 0
    for g_beads, t_beads in zip(gold, test):
        s, lx, n = _hits(g_beads, t_beads)
        ps, pl, pn = ps + s, pl + lx, pn + n
        links_g = [(a, b) for a, b in g_beads if a and b]
        links_t = [(a, b) for a, b in t_beads if a and b]
        s, lx, n = _hits(links_t, links_g)
        rs, rl, rn = rs + s, rl + lx, rn + n
    return AlignmentScores(_prf(ps, pn, rs, rn), _prf(pl, pn, rl, rn), files=len(gold),
                           gold_beads=sum(map(len, gold)), test_beads=sum(map(len, test)))


def evaluate_files(gold_paths: Sequence[str | Path], test_paths: Sequence[str | Path]) -> AlignmentScores:
    if len(gold_paths) != len(test_paths):
        raise WorkbenchError(f"{len(gold_paths)} gold files but {len(test_paths)} test files; "
                             "give one test file per gold file, in the same order")
    if not gold_paths:
        raise WorkbenchError("no files to evaluate; give --gold and --test files")
    tests = [read_bead_file(p) for p in test_paths]
    scores = score_alignments([read_beads(p) for p in gold_paths], [beads for beads, _ in tests])
    aligners = tuple(dict.fromkeys(sig for _, sigs in tests for sig in sigs))
    return replace(scores, aligners=aligners)


@dataclass(frozen=True)
class MTScores:
    """Corpus-level MT quality against references (sacrebleu's standard settings)."""

    bleu: float
    chrf: float
    sentences: int
    signature: str


def score_translations(hypotheses: Sequence[str], references: Sequence[str]) -> MTScores:
    """BLEU and chrF of line-parallel hypotheses against one reference each."""
    from sacrebleu.metrics import BLEU, CHRF

    if len(hypotheses) != len(references):
        raise WorkbenchError(f"{len(hypotheses)} translations for {len(references)} references; "
                             "give one line each")
    bleu, chrf = BLEU(), CHRF()
    b = bleu.corpus_score(list(hypotheses), [list(references)])
    c = chrf.corpus_score(list(hypotheses), [list(references)])
    return MTScores(bleu=b.score, chrf=c.score, sentences=len(hypotheses),
                    signature=f"{bleu.get_signature()} | {chrf.get_signature()}")
