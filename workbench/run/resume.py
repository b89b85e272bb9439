"""Whether a pair's aligned file is up to date, so `run` can leave it alone (resume).

An aligned file is up to date when aligning its pair again would write the same
file: its header names the same two reports (file name and sha256 of their
bytes), the same glossary (hash), the same translation models (identities; none
when run without MT) and an aligner of the same version run in the mode asked
for (with the same sentence-embedding model, when it used one); no review edit
is waiting in its journal; with `--discard-review`, no bead a person touched.
The file must also read as a valid aligned file: a damaged one is not skipped
(aligning it again says what is wrong with it).

What the header does not record is not compared: MT decoding options other than
the model (backend, precision; `run` uses the defaults), and changes to the
aligner that did not bump `ALIGNER_VERSION`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from workbench.errors import WorkbenchError
from workbench.reports.document import Document

if TYPE_CHECKING:
    from workbench.store.aligned import AlignedFile


@dataclass(frozen=True)
class Expected:
    """What a file made by this run would record."""

    models: dict[str, str | None]
    glossary: str | None
    mode: str  # the mode asked for: auto, parallel or comparable
    discard_review: bool = False


def aligner_matches(signature: object, mode: str) -> bool:
    """`signature` (an `AlignmentResult.signature`) is this aligner's version, run in mode `mode` as asked."""
    from workbench.align import ALIGNER_VERSION
    from workbench.align.embed import model_identity

    if not isinstance(signature, str):
        return False
    parts = dict(part.split(":", 1) for part in signature.split("|") if ":" in part)
    if parts.get("align") != ALIGNER_VERSION:
        return False
    if mode == "auto":
        asked = parts.get("chosen") == "auto"
    else:
        asked = parts.get("chosen") == "asked" and parts.get("mode") == mode
    embed = parts.get("embed", "none")
    return asked and embed in ("none", model_identity())


def current(target: Path, zh: Document, vi: Document, expected: Expected) -> "AlignedFile | None":
    """The file at `target` when it is what aligning `zh` and `vi` again would write, else None."""
    from workbench.store.aligned import read_aligned
    from workbench.store.journal import journal_path

    try:
        if not target.is_file() or journal_path(target).exists():
            return None
        aligned = read_aligned(target)
    except (OSError, WorkbenchError):
        return None
    header = aligned.header
    for side, doc in (("zh", zh), ("vi", vi)):
        recorded = header.get(side, {})
        if recorded.get("file") != doc.name or recorded.get("sha256") != doc.sha256:
            return None
    if header.get("models") != expected.models or header.get("glossary") != expected.glossary:
        return None
    if not aligner_matches(header.get("aligner"), expected.mode):
        return None
    if expected.discard_review and any(b.touched for b in aligned.beads):
        return None
    return aligned

