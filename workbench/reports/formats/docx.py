"""Word files (.docx): paragraphs in reading order, headings as titles, tables and text boxes.

python-docx opens the package, checks it is a Word document and resolves
paragraph styles (a "Heading N", "Title" or outline-level style is a title, a
"Caption" style a caption). The text itself is read from the document XML with
lxml, because python-docx's `Paragraph.text` skips what a reviewer changed with
track changes on: text inserted (`w:ins`) is read, text deleted (`w:del`,
`w:moveFrom`) is not (it is reported as dropped). Text boxes (`w:txbxContent`,
read once: the VML fallback copy of a box is skipped) come after the paragraph
that anchors them; table cells are read row by row. Page headers, footers,
footnotes and comments are not part of the report. A dropped entry's line is the
paragraph number.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

from workbench.reports.document import Dropped
from workbench.errors import WorkbenchError
from workbench.reports.source import Source

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Subtrees whose text is not the document's current text.
_NOT_TEXT = {_W + "del", _W + "moveFrom", _MC + "Fallback", _W + "instrText", _W + "pPr",
             _W + "rPr", _W + "commentReference", _W + "footnoteReference", _W + "endnoteReference"}
_DELETED = {_W + "del", _W + "moveFrom"}
_BREAKS = {_W + "tab": " ", _W + "br": " ", _W + "cr": " ", _W + "noBreakHyphen": "-",
           _W + "softHyphen": ""}
_OTHER_ZIPS = (
    ("xl/workbook.xml", "an Excel workbook (.xlsx)"),
    ("ppt/presentation.xml", "a PowerPoint presentation (.pptx)"),
    ("content.xml", "an OpenDocument file (.odt/.ods); save it as .docx"),
    ("META-INF/container.xml", "an EPUB book"),
)


def zip_kind(file: bytes | str | Path) -> str | None:
    """None when the ZIP `file` (bytes or path) is a Word document, else what it is instead."""
    try:
        with zipfile.ZipFile(io.BytesIO(file) if isinstance(file, bytes) else file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "a damaged ZIP archive"
    if "word/document.xml" in names:
        return None
    for name, what in _OTHER_ZIPS:
        if name in names:
            return what
    return "a ZIP archive"


def read_docx(data: bytes, path: str | Path | None = None) -> Source:
    """The text of Word document `data` as a Source."""
    import docx
    from lxml import etree

    from workbench.reports.loading import MAX_MARKUP_BYTES, MB, strip_controls

    what = zip_kind(data)
    if what:
        raise WorkbenchError(f"{what}, not a Word document (.docx), web page or text report", path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = archive.getinfo("word/document.xml").file_size
    if size > MAX_MARKUP_BYTES:  # refuse before inflating it
        raise WorkbenchError(f"the Word document's text part is {size / 1e6:.0f} MB unpacked; "
                             f"a Word file may hold at most {MAX_MARKUP_BYTES // MB} MB", path)
    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError) as exc:
        raise WorkbenchError(f"cannot read the Word document ({exc})", path) from None
    reader = _Reader(_styles(document))
    reader.blocks(document.element.body)
    lines, kinds, numbers, controls = [], [], [], 0
    for text, kind, number in reader.out:
        text, removed = strip_controls(unicodedata.normalize("NFC", text))
        controls += removed
        lines.append(" ".join(text.split()))
        kinds.append(kind)
        numbers.append(number)
    meta = {"format": "docx"}
    # The file's creation date says when someone made the file, not when the event
    # happened, so it is no evidence for pairing: only title and author are kept.
    props = document.core_properties
    for key, value in (("title", props.title), ("author", props.author)):
        if value and value.strip():
            meta[key] = " ".join(value.split())
    return Source("docx", "docx", lines, kinds, numbers, reader.dropped, meta, controls)


def _styles(document) -> dict[str, str]:
    """Paragraph style id -> "title" or "caption" for the styles that make one."""
    from docx.enum.style import WD_STYLE_TYPE

    kinds: dict[str, str] = {}
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        kind = _style_kind(style)
        if kind:
            kinds[style.style_id] = kind
    return kinds


def _style_kind(style) -> str | None:
    seen = 0
    while style is not None and seen < 10:  # a style inherits from the one it is based on
        name = (style.name or "").lower()
        if name.startswith("heading") or name in ("title", "subtitle"):
            return "title"
        if name == "caption":
            return "caption"
        outline = style.element.find(f"{_W}pPr/{_W}outlineLvl")
        if outline is not None and outline.get(f"{_W}val", "9") != "9":
            return "title"
        style, seen = style.base_style, seen + 1
    return None


class _Reader:
    def __init__(self, styles: dict[str, str]):
        self.styles = styles
        self.out: list[tuple[str, str | None, int]] = []  # (text, kind, paragraph number)
        self.dropped: list[Dropped] = []
        self.paragraphs = 0

    def blocks(self, container, cell: bool = False) -> None:
        """Read the paragraphs and tables of a body, cell, text box or content control in order."""
        for child in container:
            tag = child.tag
            if tag == _W + "p":
                self.paragraph(child, cell)
            elif tag == _W + "tbl":
                for row in child.iter(_W + "tr"):
                    for tc in row.iterchildren(_W + "tc"):
                        self.blocks(tc, cell=True)
            elif tag in (_W + "sdt", _W + "sdtContent", _W + "customXml", _W + "ins",
                         _W + "moveTo", _MC + "AlternateContent", _MC + "Choice"):
                self.blocks(child, cell)

    def paragraph(self, p, cell: bool) -> None:
        self.paragraphs += 1
        number = self.paragraphs
        parts: list[str] = []
        boxes: list = []
        deleted: list[str] = []
        _collect(p, parts, boxes, deleted)
        text = "".join(parts).strip()
        if text:
            self.out.append((text, self._kind(p, cell), number))
        if deleted:
            self.dropped.append(Dropped(" ".join("".join(deleted).split()), "tracked deletion", number))
        for box in boxes:
            self.blocks(box)

    def _kind(self, p, cell: bool) -> str | None:
        style = p.find(f"{_W}pPr/{_W}pStyle")
        kind = self.styles.get(style.get(f"{_W}val")) if style is not None else None
        outline = p.find(f"{_W}pPr/{_W}outlineLvl")
        if outline is not None and outline.get(f"{_W}val", "9") != "9":
            kind = "title"
        return kind or ("body" if cell else None)


def _collect(el, parts: list[str], boxes: list, deleted: list[str]) -> None:
    """Current text of a paragraph's runs; text boxes and deleted text set aside."""
    for child in el:
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in _BREAKS:
            parts.append(_BREAKS[tag])
        elif tag == _W + "txbxContent":
            boxes.append(child)
        elif tag in _DELETED:
            deleted.extend(t.text or "" for t in child.iter(_W + "delText", _W + "t"))
        elif tag not in _NOT_TEXT and isinstance(tag, str):
            _collect(child, parts, boxes, deleted)
