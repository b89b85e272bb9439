"""Reports in, `Document`s out: load (encoding, language), clean, segment.

    doc = load_document("seeds/000_75ef3c063faf8c49.txt")
    doc.lang, doc.encoding, doc.sentences[0].text, doc.dropped[0].reason

Every `Sentence` satisfies `doc.text[s.start:s.end] == s.text`; `doc.text` is
the cleaned article, one kept line (title, paragraph or caption) per line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from workbench.cleaning import Block, Cleaned, clean, is_photo_credit
from workbench.document import KINDS, Document, Dropped, Sentence
from workbench.errors import WorkbenchError
from workbench.loading import MAX_REPORT_BYTES, decode, detect_language, read_report_bytes
from workbench.segment import split_sentences

__all__ = [
    "KINDS", "MAX_REPORT_BYTES", "Block", "Cleaned", "Document", "Dropped", "Sentence",
    "build_document", "clean", "detect_language", "load_document", "load_text", "split_sentences",
]


def load_text(path: str | Path) -> tuple[str, str]:
    """The decoded text of a report file (LF newlines, NFC) and its encoding name."""
    return decode(read_report_bytes(path), path)


def load_document(path: str | Path) -> Document:
    """Load, clean and segment one report; WorkbenchError for input it cannot use."""
    data = read_report_bytes(path)
    text, encoding = decode(data, path)
    lang = detect_language(text, path)
    return build_document(text, lang, path=Path(path), encoding=encoding,
                          sha256=hashlib.sha256(data).hexdigest())


def build_document(text: str, lang: str, path: Path = Path("<text>"), encoding: str = "utf-8",
                   sha256: str = "") -> Document:
    """Clean and segment decoded `text` already known to be in `lang`."""
    cleaned = clean(text, lang)
    parts: list[str] = []
    sentences: list[Sentence] = []
    offset = 0
    for block in cleaned.blocks:
        for start, end in _block_spans(block, lang):
            sentences.append(Sentence(len(sentences), block.text[start:end], block.kind,
                                      offset + start, offset + end))
        parts.append(block.text)
        offset += len(block.text) + 1
    if not sentences:
        raise WorkbenchError(f"no article text found ({len(cleaned.dropped)} lines dropped as "
                             "page boilerplate)", path)
    return Document(path=path, lang=lang, encoding=encoding, text="\n".join(parts),
                    sentences=sentences, dropped=cleaned.dropped, sha256=sha256)


def _block_spans(block: Block, lang: str) -> list[tuple[int, int]]:
    if block.kind == "title":
        return [(0, len(block.text))]
    spans = split_sentences(block.text, lang)
    if block.kind == "caption":
        spans = _merge_credits(block.text, spans)
    return spans


def _merge_credits(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep a photo credit ("Ảnh: NGUYỆT NHI", "图自越通社") with the caption it signs."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and is_photo_credit(text[start:end]):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged
