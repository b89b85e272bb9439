"""Glossary exchange with other tools: TBX (ISO 30042, TBX-Basic dialect) and CSV.

TBX export writes TBX v3 (ISO 30042:2019, namespace `urn:iso:std:iso:30042:ed-2`,
`type="TBX-Basic"`, `style="dca"`): one `conceptEntry` per concept, a
`langSec` per language (zh, vi, en), one `termSec` per variant (the first is
the preferred term), the note as a concept-level `note`. Import reads TBX v3
and the older TBX v2 (`martif`/`termEntry`/`langSet`/`tig`) with lxml; language
tags are matched by their primary subtag (zh-CN -> zh, vi-VN -> vi, en-US -> en).

CSV uses the columns zh, vi, en, note (header row required), variants
separated by '|' as in the TSV files.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from lxml import etree

from workbench.errors import WorkbenchError, file_errors
from workbench.glossary.edit import make_entry
from workbench.glossary.files import HEADER, SEP, Entry

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FORMATS = ("tbx", "csv")
# Characters XML 1.0 cannot hold; written as their Unicode control pictures (␛ for ESC).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda m: chr(0x2400 + ord(m.group())) if m.group() < "\x20" else "\ufffd", text)


def export_tbx(entries: list[Entry], title: str = "workbench glossary") -> str:
    """The entries as a TBX-Basic (TBX v3, DCA style) document."""
    root = etree.Element(f"{{{TBX_NS}}}tbx", nsmap={None: TBX_NS},
                         attrib={"type": "TBX-Basic", "style": "dca", XML_LANG: "en"})
    header = etree.SubElement(root, f"{{{TBX_NS}}}tbxHeader")
    desc = etree.SubElement(etree.SubElement(header, f"{{{TBX_NS}}}fileDesc"), f"{{{TBX_NS}}}sourceDesc")
    etree.SubElement(desc, f"{{{TBX_NS}}}p").text = title
    body = etree.SubElement(etree.SubElement(root, f"{{{TBX_NS}}}text"), f"{{{TBX_NS}}}body")
    for number, entry in enumerate(entries, start=1):
        concept = etree.SubElement(body, f"{{{TBX_NS}}}conceptEntry", id=f"c{number}")
        if entry.note:
            etree.SubElement(concept, f"{{{TBX_NS}}}note").text = _xml_text(entry.note)
        for lang in ("zh", "vi", "en"):
            sec = etree.SubElement(concept, f"{{{TBX_NS}}}langSec", attrib={XML_LANG: lang})
            for i, term in enumerate(entry.terms(lang)):
                term_sec = etree.SubElement(sec, f"{{{TBX_NS}}}termSec")
                etree.SubElement(term_sec, f"{{{TBX_NS}}}term").text = _xml_text(term)
                status = "preferredTerm-admn-sts" if i == 0 else "admittedTerm-admn-sts"
                etree.SubElement(term_sec, f"{{{TBX_NS}}}termNote", type="administrativeStatus").text = status
    xml = etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
    return xml.decode("utf-8")


def import_tbx(path: str | Path) -> list[Entry]:
    """Entries of a TBX file (v3 or v2); WorkbenchError naming file and line on bad input."""
    path = Path(path)
    try:
        with file_errors(path, "read the TBX file"):
            data = path.read_bytes()
        tree = etree.ElementTree(etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True)))
    except etree.XMLSyntaxError as exc:
        raise WorkbenchError(f"not well-formed XML: {exc.msg}", path, exc.lineno) from None
    entries = []
    concepts = [el for el in tree.iter() if isinstance(el.tag, str)
                and etree.QName(el).localname in ("conceptEntry", "termEntry")]
    if etree.QName(tree.getroot()).localname not in ("tbx", "martif"):
        raise WorkbenchError("not a TBX file (root element must be <tbx> or <martif>)", path, 1)
    for concept in concepts:
        terms: dict[str, list[str]] = {"zh": [], "vi": [], "en": []}
        notes = []
        for el in concept.iter():
            if not isinstance(el.tag, str):
                continue
            name = etree.QName(el).localname
            if name in ("langSec", "langSet"):
                lang = (el.get(XML_LANG) or "").split("-")[0].lower()
                if lang in terms:
                    terms[lang].extend(" ".join(t.text.split()) for t in el.iter()
                                       if isinstance(t.tag, str) and etree.QName(t).localname == "term" and t.text)
            elif name == "note" and el.getparent() is concept and el.text:
                notes.append(" ".join(el.text.split()))
        missing = [lang for lang, found in terms.items() if not found]
        if missing:
            raise WorkbenchError(f"concept has no {' or '.join(missing)} term (zh, vi and en are required)",
                                 path, concept.sourceline)
        try:
            entry = make_entry(terms["zh"], terms["vi"], terms["en"], "; ".join(notes))
        except WorkbenchError as exc:
            raise WorkbenchError(str(exc), path, concept.sourceline) from None
        entry.file, entry.line = path, concept.sourceline
        entries.append(entry)
    if not concepts:
        raise WorkbenchError("no concept entries in the TBX file", path)
    return entries


def export_csv(entries: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for e in entries:
        writer.writerow([SEP.join(e.zh), SEP.join(e.vi), SEP.join(e.en), e.note])
    return out.getvalue()


def import_csv(path: str | Path) -> list[Entry]:
    """Entries of a CSV file with a header zh,vi,en[,note]; WorkbenchError naming file and line."""
    path = Path(path)
    try:
        with file_errors(path, "read the CSV file"):
            text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise WorkbenchError("not UTF-8 text; save the CSV as UTF-8", path) from None
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        # A field over the csv module's limit (128 KiB) is no glossary term: say so, no traceback.
        what = ("a field is longer than 128 KiB; a glossary term is a few words"
                if "field larger" in str(exc) else f"not a readable CSV file ({exc})")
        raise WorkbenchError(what, path, reader.line_num) from None
    if not rows or [c.strip().lower() for c in rows[0][:3]] != list(HEADER[:3]):
        raise WorkbenchError("first row must be the header zh,vi,en,note", path, 1)
    entries = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) not in (3, 4):
            raise WorkbenchError(f"expected 4 columns (zh, vi, en, note), found {len(row)}", path, number)
        try:
            entry = make_entry(row[0], row[1], row[2], row[3] if len(row) == 4 else "")
        except WorkbenchError as exc:
            raise WorkbenchError(str(exc), path, number) from None
        entry.file, entry.line = path, number
        entries.append(entry)
    return entries


def read_exchange(fmt: str, path: str | Path) -> list[Entry]:
    if fmt not in FORMATS:
        raise WorkbenchError(f"unknown format {fmt!r} (expected tbx or csv)")
    return import_tbx(path) if fmt == "tbx" else import_csv(path)


def write_exchange(fmt: str, entries: list[Entry]) -> str:
    if fmt not in FORMATS:
        raise WorkbenchError(f"unknown format {fmt!r} (expected tbx or csv)")
    return export_tbx(entries) if fmt == "tbx" else export_csv(entries)
