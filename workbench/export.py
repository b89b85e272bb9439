"""Exports of aligned files for other tools: TMX 1.4 (CAT tools such as OmegaT) and TSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone

from lxml import etree

from workbench import __version__
from workbench.store import AlignedFile, Bead

TMX_LANGS = {"zh": "zh-CN", "vi": "vi-VN", "en": "en"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def exportable(aligned: AlignedFile, confirmed_only: bool = False) -> list[Bead]:
    """Two-sided beads a translator can reuse: never rejected ones; only confirmed ones on request."""
    keep = ("confirmed",) if confirmed_only else ("confirmed", "auto")
    return [b for b in aligned.beads if b.zh and b.vi and b.status in keep]


# What XML 1.0 cannot hold (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) and what
# it discourages (DEL, C1 controls): report text scraped from the web may carry any of them.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (dropped: they carry no words)."""
    return _NOT_XML.sub("", text)


def _english(bead: Bead) -> str | None:
    # The zh side's English is the translator's reference; the vi side's fills in when absent.
    return bead.zh_en or bead.vi_en or None


def to_tmx(aligned: AlignedFile, confirmed_only: bool = False) -> bytes:
    """TMX 1.4b: one <tu> per bead, with zh-CN, vi-VN and (when available) en variants."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", {
        "creationtool": "workbench", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "sentence", "adminlang": "en", "srclang": TMX_LANGS["zh"], "o-tmf": "workbench-aligned",
        "creationdate": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
    })
    body = etree.SubElement(root, "body")
    zh_file, vi_file = (xml_text(aligned.header[side].get("file") or side) for side in ("zh", "vi"))
    for bead in exportable(aligned, confirmed_only):
        tu = etree.SubElement(body, "tu", tuid=f"{zh_file}:{bead.zh}__{vi_file}:{bead.vi}")
        etree.SubElement(tu, "prop", type="x-status").text = bead.status
        etree.SubElement(tu, "prop", type="x-score").text = f"{bead.score:.4f}"
        if bead.note:
            etree.SubElement(tu, "note").text = xml_text(bead.note)
        for lang, text in (("zh", bead.zh_text), ("vi", bead.vi_text), ("en", _english(bead))):
            if text:
                tuv = etree.SubElement(tu, "tuv", {XML_LANG: TMX_LANGS[lang]})
                etree.SubElement(tuv, "seg").text = xml_text(text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


TSV_COLUMNS = ["zh_ids", "vi_ids", "zh", "vi", "zh_en", "vi_en", "score", "status", "note"]


def to_tsv(aligned: AlignedFile, confirmed_only: bool = False) -> str:
    """Tab-separated values with a header row; ids as `2 3`, tabs and newlines in text folded to spaces."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(TSV_COLUMNS)

    def clean(value: str | None) -> str:
        return xml_text(" ".join((value or "").split()))

    for b in exportable(aligned, confirmed_only):
        writer.writerow([" ".join(map(str, b.zh)), " ".join(map(str, b.vi)), clean(b.zh_text), clean(b.vi_text),
                         clean(b.zh_en), clean(b.vi_en), f"{b.score:.4f}", b.status, clean(b.note)])
    return out.getvalue()
