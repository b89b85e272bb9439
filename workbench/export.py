"""Exports of aligned files for other tools: TMX 1.4b (CAT tools such as OmegaT, Trados) and TSV.

What is exported: links (two-sided beads) a reviewer confirmed; with `include_auto`
also the links nobody decided yet, marked `x-status: auto`; never rejected links and
never unaligned sentences (they have no partner, and no score).

TMX, per link (a CAT tool takes from each `<tu>` the variants of its project's source
and target languages, so each language pair gets its own unit):
- a `<tu>` with `zh-CN` and `vi-VN`: the bitext. Props: `x-status`, `x-score` (the
  aligner's fused score; a reviewer's re-cut is scored the same way), `x-alignment`
  (`aligner` or `reviewer`), `x-en-zh` / `x-en-vi` (the English of each side, for tools
  that show a unit's properties); the reviewer's note as `<note>`;
- a `<tu>` with `zh-CN` and `en`, and one with `vi-VN` and `en`, for each side that has
  English: what zh→en and vi→en projects use. Props: `x-status`, `x-origin` (`mt`: raw
  machine translation; `mt+glossary`: MT post-edited with the glossary by the workbench;
  `reviewer`: English a reviewer wrote or fixed), `x-mt-model`, `x-mt-warnings`; an English
  that is MT also names the model as the `creationtool` of its `<tuv>`.
Every segment and prop is one line (a reviewer's multi-line English is joined with
spaces); characters XML 1.0 cannot hold are dropped. The file validates against the
TMX 1.4b DTD (tests/data/tmx14.dtd).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timezone
from typing import Any

from lxml import etree

from workbench import __version__
from workbench.store import AlignedFile, Bead

TMX_LANGS = {"zh": "zh-CN", "vi": "vi-VN", "en": "en"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SIDES = ("zh", "vi")


def exportable(aligned: AlignedFile, include_auto: bool = False) -> list[Bead]:
    """Links a translator can reuse: confirmed ones, and undecided ones on request; never rejected."""
    keep = ("confirmed", "auto") if include_auto else ("confirmed",)
    return [b for b in aligned.beads if b.zh and b.vi and b.status in keep]


# What XML 1.0 cannot hold (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/U+FFFF) and what
# it discourages (DEL, C1 controls): report text scraped from the web may carry any of them.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (dropped: they carry no words)."""
    return _NOT_XML.sub("", text)


def one_line(text: str | None) -> str:
    """`text` as one line for a segment or a cell: every run of whitespace (newlines too) is one space."""
    return xml_text(" ".join((text or "").split()))  # split first: U+0085 and U+2028 are breaks too


def english_origin(header: dict[str, Any], bead: Bead, side: str) -> str:
    """Where a side's English comes from: "reviewer", "mt+glossary" or "mt"."""
    if any(h.get("side") == side for h in bead.history):
        return "reviewer"
    sentences = header[side]["sentences"]
    if any(sentences[i].get("en_source") == "glossary" for i in getattr(bead, side)):
        return "mt+glossary"
    return "mt"


def mt_warnings(header: dict[str, Any], bead: Bead, side: str) -> list[str]:
    sentences = header[side]["sentences"]
    return [w for i in getattr(bead, side) for w in sentences[i].get("mt_warnings") or ()]


def _prop(parent: etree._Element, kind: str, value: str) -> None:
    etree.SubElement(parent, "prop", type=kind).text = one_line(value)


def _tuv(tu: etree._Element, lang: str, text: str, **attributes: str) -> None:
    tuv = etree.SubElement(tu, "tuv", {XML_LANG: TMX_LANGS[lang], **attributes})
    etree.SubElement(tuv, "seg").text = one_line(text)


def to_tmx(aligned: AlignedFile, include_auto: bool = False) -> bytes:
    """TMX 1.4b of the exportable links (see the module's description)."""
    header = aligned.header
    root = etree.Element("tmx", version="1.4")
    head = etree.SubElement(root, "header", {
        "creationtool": "workbench", "creationtoolversion": __version__, "datatype": "plaintext",
        "segtype": "sentence", "adminlang": "en", "srclang": TMX_LANGS["zh"], "o-tmf": "workbench-aligned",
        "creationdate": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
    })
    files = {side: one_line(header[side].get("file") or side) for side in SIDES}
    for side in SIDES:
        _prop(head, f"x-{side}-file", files[side])
    if header.get("aligner"):
        _prop(head, "x-aligner", header["aligner"])
    models = header.get("models") or {}
    body = etree.SubElement(root, "body")
    for bead in exportable(aligned, include_auto):
        tuid = f"{files['zh']}:{bead.zh}__{files['vi']}:{bead.vi}"
        tu = etree.SubElement(body, "tu", tuid=tuid)
        _prop(tu, "x-status", bead.status)
        _prop(tu, "x-score", f"{bead.score:.4f}")
        _prop(tu, "x-alignment", "reviewer" if bead.origin == "manual" else "aligner")
        for side in SIDES:
            english = getattr(bead, f"{side}_en")
            if english:
                _prop(tu, f"x-en-{side}", english)
        if bead.note:
            etree.SubElement(tu, "note").text = one_line(bead.note)
        _tuv(tu, "zh", bead.zh_text)
        _tuv(tu, "vi", bead.vi_text)
        for side in SIDES:
            english = getattr(bead, f"{side}_en")
            if not english or not english.strip():
                continue
            origin = english_origin(header, bead, side)
            en_tu = etree.SubElement(body, "tu", tuid=f"{tuid}#en-{side}")
            _prop(en_tu, "x-status", bead.status)
            _prop(en_tu, "x-origin", origin)
            model = models.get(side)
            if model and origin != "reviewer":
                _prop(en_tu, "x-mt-model", model)
            warnings = mt_warnings(header, bead, side)
            if warnings and origin != "reviewer":
                _prop(en_tu, "x-mt-warnings", "; ".join(warnings))
            _tuv(en_tu, side, getattr(bead, f"{side}_text"))
            _tuv(en_tu, "en", english, **({"creationtool": one_line(model)} if model and origin != "reviewer" else {}))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True,
                          doctype='<!DOCTYPE tmx SYSTEM "tmx14.dtd">')


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
