"""TSV export of an aligned file: a header row, then one link a row (the same links as TMX)."""

from __future__ import annotations

import csv
import io

from workbench.export.links import SIDES, english_origin, exportable, one_line
from workbench.store.aligned import AlignedFile

TSV_COLUMNS = ["zh_ids", "vi_ids", "zh", "vi", "zh_en", "vi_en", "zh_en_origin", "vi_en_origin", "score",
               "status", "note"]


def to_tsv(aligned: AlignedFile, include_auto: bool = False) -> str:
    """Tab-separated values with a header row, the same links as TMX; ids as `2 3`, every cell one line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_COLUMNS)
    for b in exportable(aligned, include_auto):
        origins = [english_origin(aligned.header, b, side) if getattr(b, f"{side}_en") else "" for side in SIDES]
        writer.writerow([" ".join(map(str, b.zh)), " ".join(map(str, b.vi)), one_line(b.zh_text),
                         one_line(b.vi_text), one_line(b.zh_en), one_line(b.vi_en), *origins, f"{b.score:.4f}",
                         b.status, one_line(b.note)])
    return out.getvalue()
