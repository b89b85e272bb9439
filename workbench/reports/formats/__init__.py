"""Report file formats: what a file is, by its content, and the text it holds.

    source = read_source("page.html")   # or .docx, .txt, an HTML page saved as .txt
    source.format, source.lines, source.kinds, source.meta

A format reader turns a file into `Source`: the report's text as blocks (one
paragraph, heading, caption or table cell a line), the kind the markup gives a
block where it gives one, the line (HTML) or paragraph (DOCX) each block came
from, what was left out and why, and what the file says about itself (`meta`).
Cleaning and segmentation then treat every format alike.
"""

from __future__ import annotations

from pathlib import Path

from workbench.errors import WorkbenchError
from workbench.reports.loading import check_text_size, decode_report, read_report_bytes
from workbench.reports.source import Source, format_name


def read_source(path: str | Path) -> tuple[Source, bytes]:
    """Read report file `path` in whichever format its content is; the Source and the raw bytes."""
    data = read_report_bytes(path)
    if data.startswith(b"PK\x03\x04"):
        from workbench.reports.formats.docx import (
            read_docx,  # python-docx and trafilatura load only when needed
        )

        source = read_docx(data, path)
    else:
        decoded = decode_report(data, path, sniff_html=True)
        if decoded.html:
            from workbench.reports.formats.html import read_html

            source = read_html(decoded.text, path)
            source.encoding = decoded.encoding
        else:
            source = Source("text", decoded.encoding, decoded.text.split("\n"), meta={"format": "text"})
        source.controls_removed += decoded.controls_removed
    check_text_size(source.text, path, source.format)
    if not any(line.strip() for line in source.lines):
        raise WorkbenchError(f"no text found in the {format_name(source.format)}", path)
    return source, data
