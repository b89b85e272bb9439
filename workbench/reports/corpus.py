"""Reports in, `Document`s out: read (format, encoding), language, clean, segment.

    doc = load_document("seeds/000_75ef3c063faf8c49.txt")   # or a web page, a .docx
    doc.lang, doc.encoding, doc.sentences[0].text, doc.dropped[0].reason, doc.meta

Every `Sentence` satisfies `doc.text[s.start:s.end] == s.text`; `doc.text` is
the cleaned article, one kept line (title, paragraph or caption) per line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from workbench.reports.cleaning import Block, Cleaned, clean, is_photo_credit
from workbench.reports.document import KINDS, Document, Dropped, Sentence
from workbench.errors import WorkbenchError
from workbench.reports.formats import Source, format_name, read_source
from workbench.reports.loading import MAX_REPORT_BYTES, decode, read_report_bytes
from workbench.reports.language import detect_language, has_script, language_shares
from workbench.reports.segment import split_sentences

__all__ = [
    "KINDS", "MAX_REPORT_BYTES", "Block", "Cleaned", "Document", "Dropped", "Sentence",
    "build_document", "clean", "detect_language", "load_document", "load_text", "split_sentences",
]


def load_text(path: str | Path) -> tuple[str, str]:
    """The decoded text of a report file (LF newlines, NFC) and its encoding name."""
    return decode(read_report_bytes(path), path)


def load_document(path: str | Path) -> Document:
    """Load, clean and segment one report; WorkbenchError for input it cannot use."""
    source, data = read_source(path)
    lang = detect_language(source.text, path)
    return build_document(source.text, lang, path=Path(path), encoding=source.encoding,
                          sha256=hashlib.sha256(data).hexdigest(), source=source)


def build_document(text: str, lang: str, path: Path = Path("<text>"), encoding: str = "utf-8",
                   sha256: str = "", source: Source | None = None) -> Document:
    """Clean and segment decoded `text` already known to be in `lang`.

    `source` (from `read_source`) adds what reading the file found: the kinds the
    markup gives lines, their place in the file, what was left out, the metadata.
    """
    if source is not None:
        cleaned = clean(text, lang, source.kinds, source.source_lines)
    else:
        cleaned = clean(text, lang)
    joined = "\n".join(block.text for block in cleaned.blocks)
    other = "vi" if lang == "zh" else "zh"
    mixed = has_script(joined, other)
    sentences: list[Sentence] = []
    offset = 0
    for block in cleaned.blocks:
        # A paragraph in the report's other language (a quoted passage) is split by its rules.
        block_lang = _paragraph_language(block.text, lang, other) if mixed else lang
        for start, end in _block_spans(block, block_lang):
            sentences.append(Sentence(len(sentences), block.text[start:end], block.kind,
                                      offset + start, offset + end))
        offset += len(block.text) + 1
    dropped = cleaned.dropped
    if source is not None and source.dropped:
        dropped = sorted(source.dropped + dropped, key=lambda d: d.line)
    if not sentences:
        where = f" in the {format_name(source.format)}" if source is not None and source.format != "text" else ""
        raise WorkbenchError(f"no article text found{where} ({len(dropped)} lines dropped as page "
                             "boilerplate)", path)
    notes = []
    if source is not None and source.controls_removed:
        notes.append(f"removed {source.controls_removed} control character(s)")
    meta = dict(source.meta) if source is not None else {"format": "text"}
    return Document(path=path, lang=lang, encoding=encoding, text=joined, sentences=sentences,
                    dropped=dropped, sha256=sha256, meta=meta, notes=notes)


def _block_spans(block: Block, lang: str) -> list[tuple[int, int]]:
    if block.kind == "title":
        return [(0, len(block.text))]
    spans = split_sentences(block.text, lang)
    if block.kind == "caption":
        spans = _merge_credits(block.text, spans)
    return spans


def _paragraph_language(text: str, lang: str, other: str) -> str:
    """The language to split a paragraph by: `other` when most of it is in that language."""
    return other if language_shares(text).get(other, 0.0) > 0.5 else lang


def _merge_credits(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep a photo credit ("Ảnh: NGUYỆT NHI", "图自越通社") with the caption it signs."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and is_photo_credit(text[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
