"""TMX 1.4b export of an aligned file, for CAT tools such as OmegaT and Trados.

The links of `links.exportable`; undecided ones (with `include_auto`) are marked `x-status: auto`.

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

from datetime import datetime, timezone

from lxml import etree

from workbench import __version__
from workbench.export.links import (
    SIDES,
    english_origin,
    exportable,
    mt_warnings,
    one_line,
)
from workbench.store.aligned import AlignedFile

TMX_LANGS = {"zh": "zh-CN", "vi": "vi-VN", "en": "en"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


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
