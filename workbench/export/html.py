"""The aligned pair as one HTML page, for the people a translator hands the result to.

`pair_page` renders one aligned file: both reports side by side in reading order (a link's
sentences on one row; a run of sentences with no partner on one row, shaded and labelled on
their own side), the English under each sentence, each link's status, score, QA flags and
whether a reviewer edited it; at the top the pair at a glance and what each report has alone
(`qa.alone_facts`). Glossary terms are marked in zh, vi and English, the glossary's English on
hover. `index_page` lists the aligned files of a folder with their review progress.

A page is one self-contained file: inline CSS (`data/export_html.css`) and one small inline
script (`data/export_html.js`, keys to jump between gaps; everything else works without it).
A Content-Security-Policy allows that script alone (by its hash) and no network at all.
The page is built with lxml's element builder: report text only ever becomes text nodes and
attribute values, which the serializer escapes, so a `<script>` in a report stays visible text.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

import lxml.html
from lxml.html.builder import E

from workbench import __version__
from workbench.crosslingual.anchors import extract_anchors
from workbench.errors import WorkbenchError, file_errors
from workbench.export.links import english_origin, xml_text
from workbench.review.project import aligned_files
from workbench.review.qa import KIND_LABELS, QA, AloneFact, alone_facts
from workbench.review.session import Progress
from workbench.store.aligned import AlignedFile, Bead
from workbench.store.files import atomic_write_text, ensure_folder
from workbench.store.journal import read_aligned_current

SIDES = ("zh", "vi")
LANG_TAGS = {"zh": "zh-CN", "vi": "vi", "en": "en"}
REPORT = {"zh": "Chinese report", "vi": "Vietnamese report"}
STATUS_LABELS = {"confirmed": "confirmed", "rejected": "rejected", "auto": "automatic"}
DOCTYPE = "<!DOCTYPE html>"
# When a report's page date is unknown, the glance shows the dates its opening mentions: at most
# MAX_TEXT_DATES of them, from its first OPENING sentences (where news gives the event's date).
MAX_TEXT_DATES = 4
OPENING = 10


@cache
def _asset(name: str) -> str:
    return resources.files("workbench").joinpath("data", name).read_text(encoding="utf-8")


def _csp() -> str:
    """No network, no plugin, no form; inline styles; the page's own script only (by its hash)."""
    digest = base64.b64encode(hashlib.sha256(_asset("export_html.js").encode("utf-8")).digest()).decode()
    return (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def _t(text: Any) -> str:
    """Text as lxml takes it: characters XML cannot hold dropped (they carry no words)."""
    return xml_text(str(text if text is not None else ""))


def _cls(*names: str) -> dict[str, str]:
    return {"class": " ".join(n for n in names if n)}


def _document(title: str, body: list[Any]) -> str:
    root = E.html(
        {"lang": "en"},
        E.head(
            E.meta(charset="utf-8"),
            E.meta({"http-equiv": "Content-Security-Policy", "content": _csp()}),
            E.meta(name="viewport", content="width=device-width, initial-scale=1"),
            E.meta(name="generator", content=f"workbench {__version__}"),
            E.title(_t(title)),
            E.style(_asset("export_html.css")),
        ),
        E.body(E.div(_cls("page"), *body), E.script(_asset("export_html.js"))),
    )
    return lxml.html.tostring(root, doctype=DOCTYPE, encoding="unicode", method="html") + "\n"


class _Marker:
    """Report and English text as text nodes, glossary terms as `<mark>` with the glossary's English."""

    def __init__(self, glossary: Any):
        self.glossary = glossary
        self._tips: dict[int, str] = {}
        self.used: dict[int, Any] = {}  # the entries marked, for the page's list of terms

    def _tip(self, entry: Any) -> str:
        tip = self._tips.get(entry.id)
        if tip is None:
            tip = self._tips[entry.id] = _t(" | ".join(entry.en))
            self.used[entry.id] = entry
        return tip

    def __call__(self, text: str, lang: str) -> list[Any]:
        text = _t(text)
        if self.glossary is None or not text:
            return [text]
        out: list[Any] = []
        at = 0
        for m in self.glossary.match(text, lang, fold_accents=lang != "zh"):
            out += [text[at:m.start], E.mark(_cls("term"), text[m.start:m.end], title=self._tip(m.entry))]
            at = m.end
        out.append(text[at:])
        return out


@dataclass
class _Counts:
    links: int = 0
    confirmed: int = 0
    rejected: int = 0
    auto: int = 0
    edited: int = 0
    flagged: int = 0
    alone: dict[str, int] | None = None


def _edited(bead: Bead) -> bool:
    """A reviewer re-cut the bead (link, unlink, merge, split, move) or rewrote an English."""
    return bead.origin == "manual" or bool(bead.history)


class _PairPage:
    def __init__(self, aligned: AlignedFile, glossary: Any, source: str, index_href: str | None):
        self.aligned = aligned
        self.header = aligned.header
        self.sentences = {side: self.header[side]["sentences"] for side in SIDES}
        self.mark = _Marker(glossary)
        self.qa = QA(self.header, aligned.beads, glossary)
        self.glossary = glossary
        self.source = source
        self.index_href = index_href

    # ----- one sentence, one side ----------------------------------------------------------------
    def _sentence(self, side: str, i: int, english: str | None, origin: str = "") -> Any:
        block = E.div(_cls("s"), {"id": f"{side}-{i}"},
                      E.a(_cls("n"), str(i), href=f"#{side}-{i}"),
                      E.span(_cls("src"), *self.mark(self.sentences[side][i].get("text", ""), side),
                             lang=LANG_TAGS[side]))
        if english:
            block.append(self._english(english, origin))
        return block

    def _english(self, english: str, origin: str) -> Any:
        tag = {"reviewer": "reviewer", "mt+glossary": "MT + glossary", "mt": "MT"}[origin]
        return E.span(_cls("en", "reviewer" if origin == "reviewer" else ""), {"lang": "en"},
                      E.span(_cls("tag"), tag), *self.mark(english, "en"))

    def _side(self, bead: Bead, side: str) -> Any:
        ids = getattr(bead, side)
        english = getattr(bead, f"{side}_en")
        origin = english_origin(self.header, bead, side) if english else "mt"
        per_sentence = origin != "reviewer" and all(self.sentences[side][i].get("en") for i in ids)
        block = E.div(_cls("side", side), lang=LANG_TAGS[side])
        for i in ids:
            sentence = self.sentences[side][i]
            own = "mt+glossary" if sentence.get("en_source") == "glossary" else "mt"
            block.append(self._sentence(side, i, sentence.get("en") if per_sentence else None, own))
        if english and not per_sentence:
            block.append(self._english(english, origin))
        return block

    @staticmethod
    def _extra(flags: list, notes: list[str]) -> list[Any]:
        out: list[Any] = []
        if flags:
            out.append(E.ul(_cls("flags"), *[E.li(_cls("flag", f.kind), E.b(KIND_LABELS[f.kind]), ": ", _t(f.message))
                                             for f in flags]))
        out += [E.p(_cls("note"), "note: ", _t(note)) for note in notes]
        return [E.div(_cls("extra"), *out)] if out else []

    # ----- rows ----------------------------------------------------------------------------------
    def _link_row(self, k: int, bead: Bead, counts: _Counts) -> Any:
        flags = self.qa.flags(bead)
        edited = _edited(bead)
        counts.links += 1
        counts.confirmed += bead.status == "confirmed"
        counts.rejected += bead.status == "rejected"
        counts.auto += bead.status == "auto"
        counts.edited += edited
        counts.flagged += bool(flags)
        meta = E.div(_cls("meta"),
                     E.span(_cls("status", bead.status), STATUS_LABELS.get(bead.status, _t(bead.status))),
                     E.span(_cls("score"), f"{bead.score:.2f}"),
                     E.span(_cls("ids"), _t(bead.notation)))
        if edited:
            meta.append(E.span(_cls("edited"), "edited"))
        return E.div(_cls("row", "link", bead.status, "edited" if edited else "", "flagged" if flags else ""),
                     {"id": f"b-{k}", "data-status": bead.status},
                     self._side(bead, "zh"), meta, self._side(bead, "vi"),
                     *self._extra(flags, [bead.note] if bead.note else []))

    def _gap_row(self, run: list[tuple[int, Bead]], counts: _Counts) -> Any:
        """A run of one-sided beads between two links: each side's sentences on its own side."""
        sides = {}
        for side in SIDES:
            beads = [b for _, b in run if getattr(b, side)]
            if not beads:
                sides[side] = E.div(_cls("side", side, "empty"))
                continue
            n = sum(len(getattr(b, side)) for b in beads)
            block = E.div(_cls("side", side, "alone"), lang=LANG_TAGS[side])
            block.append(E.span(_cls("label"), f"only in the {REPORT[side]}"
                                + (f" · {n} sentences" if n > 1 else "")))
            for b in beads:
                for child in self._side(b, side):
                    block.append(child)
            sides[side] = block
        flags = [f for _, b in run for f in self.qa.flags(b)]
        edited = any(_edited(b) for _, b in run)
        counts.edited += sum(_edited(b) for _, b in run)
        counts.flagged += sum(bool(self.qa.flags(b)) for _, b in run)
        meta = E.div(_cls("meta"), E.span(_cls("status", "gap"), "no partner"))
        if edited:
            meta.append(E.span(_cls("edited"), "edited"))
        return E.div(_cls("row", "gap", "edited" if edited else "", "flagged" if flags else ""),
                     {"id": f"b-{run[0][0]}"}, sides["zh"], meta, sides["vi"],
                     *self._extra(flags, [b.note for _, b in run if b.note]))

    def _rows(self, counts: _Counts) -> list[Any]:
        rows: list[Any] = []
        run: list[tuple[int, Bead]] = []
        for k, bead in enumerate(self.aligned.beads):
            if bead.zh and bead.vi:
                if run:
                    rows.append(self._gap_row(run, counts))
                    run = []
                rows.append(self._link_row(k, bead, counts))
            elif bead.zh or bead.vi:
                run.append((k, bead))
        if run:
            rows.append(self._gap_row(run, counts))
        return rows

    # ----- the top: the pair at a glance -------------------------------------------------------------
    def _dates(self, side: str) -> str:
        meta = self.header[side].get("meta") or {}
        if isinstance(meta, dict) and meta.get("date"):
            return f"page date {_t(meta['date'])}"
        seen: dict[str, None] = {}
        for sentence in self.sentences[side][:OPENING]:
            keys = sorted(k for k in extract_anchors(sentence.get("text", ""), side) if k.startswith("date:"))
            seen.update(dict.fromkeys(k.partition(":")[2] for k in keys))
            if len(seen) >= MAX_TEXT_DATES:
                break
        return ("its opening mentions " + ", ".join(list(seen)[:MAX_TEXT_DATES])) if seen else "not known"

    def _source(self, side: str) -> str:
        doc = self.header[side]
        meta = doc.get("meta") if isinstance(doc.get("meta"), dict) else {}
        parts = [doc.get("file") or "", meta.get("site") or "", meta.get("author") or ""]
        return " · ".join(_t(p) for p in parts if p) or "—"

    def _english_source(self, side: str) -> str:
        model = (self.header.get("models") or {}).get(side)
        has = any(s.get("en") for s in self.sentences[side])
        if model and has:
            return f"machine translation ({_t(model)})"
        return "machine translation" if has else "none (no MT model was available)"

    def _facts_table(self, counts: _Counts) -> Any:
        def row(label: str, zh: Any, vi: Any) -> Any:
            return E.tr(E.th(label, scope="row"), E.td(zh), E.td(vi))

        return E.table(
            _cls("facts"),
            E.tr(E.th(""), E.th(REPORT["zh"], scope="col"), E.th(REPORT["vi"], scope="col")),
            row("Source", self._source("zh"), self._source("vi")),
            row("Date", self._dates("zh"), self._dates("vi")),
            row("Sentences", str(len(self.sentences["zh"])), str(len(self.sentences["vi"]))),
            row("English", self._english_source("zh"), self._english_source("vi")),
        )

    def _alone_section(self, facts: list[AloneFact]) -> Any:
        cols = []
        for side in SIDES:
            mine = [f for f in facts if f.side == side]
            col = E.div(_cls("col", side), E.h3(f"Only in the {REPORT[side]}"))
            if not mine:
                col.append(E.p(_cls("none"), "no number, date or name that the other report lacks"
                               if self.alone_sentences(side) else "no sentence without a partner"))
            else:
                dl = E.dl()
                for kind in ("numbers", "dates", "names"):
                    items = [f for f in mine if f.kind == kind]
                    if not items:
                        continue
                    dl.append(E.dt(kind.capitalize()))
                    dd = E.dd()
                    for f in items:
                        where = ", ".join(f"{side} {i}" for i in f.sentences)
                        dd.append(E.a(_t(f.shown), href=f"#{side}-{f.sentences[0]}", lang=LANG_TAGS[side],
                                      title=f"in sentence {where}"))
                    dl.append(dd)
                col.append(dl)
            cols.append(col)
        return E.section(_cls("alone"), {"id": "alone"}, E.h2("What each report has alone"),
                         E.div(_cls("cols"), *cols))

    def _terms_section(self) -> list[Any]:
        """The glossary entries marked on the page, in glossary order (hover shows their English only)."""
        if not self.mark.used:
            return []
        rows = [E.tr(*[E.td(_t(" | ".join(getattr(entry, lang))), lang=LANG_TAGS[lang]) for lang in ("zh", "vi", "en")],
                     E.td(_t(entry.note)))
                for _, entry in sorted(self.mark.used.items())]
        return [E.details(_cls("terms"), E.summary(f"Glossary terms in this pair ({len(rows)})"),
                          E.table(_cls("facts", "glossary"),
                                  E.tr(E.th("zh"), E.th("vi"), E.th("English"), E.th("note")), *rows))]

    def alone_sentences(self, side: str) -> int:
        return sum(len(getattr(b, side)) for b in self.aligned.beads if not (b.zh and b.vi))

    def _counts_list(self, counts: _Counts) -> Any:
        items = [(f"{counts.links}", " links: "), (f"{counts.confirmed}", " confirmed, "),
                 (f"{counts.auto}", " automatic (not reviewed), "), (f"{counts.rejected}", " rejected")]
        return E.ul(_cls("counts"),
                    E.li(*[x for number, words in items for x in (E.b(number), words)]),
                    E.li(E.b(str(counts.alone["zh"])), " zh and ", E.b(str(counts.alone["vi"])),
                         " vi sentences without a partner"),
                    E.li(E.b(str(counts.edited)), " edited by a reviewer"),
                    E.li(E.b(str(counts.flagged)), " with QA flags"))

    def _tools(self) -> list[Any]:
        def box(key: str, words: str) -> Any:
            return E.label(E.span(_cls("box")), words, {"for": f"f-{key}"})

        return [
            E.input(_cls("filter"), type="checkbox", id="f-gaps"),
            E.input(_cls("filter"), type="checkbox", id="f-flags"),
            E.input(_cls("filter"), type="checkbox", id="f-english"),
            E.nav(_cls("tools"), {"aria-label": "filters"},
                  box("gaps", "only sentences without a partner"), box("flags", "only QA flags"),
                  box("english", "hide English"),
                  E.span(_cls("legend"),
                         E.span(_cls("status", "confirmed"), "confirmed"), E.span(_cls("status", "auto"), "automatic"),
                         E.span(_cls("status", "rejected"), "rejected"),
                         E.mark(_cls("term"), "glossary term", title="hover a term for its glossary English"),
                         E.span("score 0–1")),
                  E.span(_cls("keys"), E.kbd("n"), E.kbd("p"), " gaps · ", E.kbd("f"), E.kbd("F"), " flags",
                         title="keys: n / p next / previous gap, f / F next / previous row with QA flags")),
        ]

    def render(self) -> str:
        counts = _Counts(alone={side: self.alone_sentences(side) for side in SIDES})
        rows = self._rows(counts)
        facts = alone_facts(self.header, self.aligned.beads, self.glossary)
        titles = {side: _t(self.header[side].get("title") or self.header[side].get("file") or side) for side in SIDES}
        kicker = [E.a(_cls("back"), "← all pairs", href=self.index_href), " · "] if self.index_href else []
        kicker += ["aligned pair", f" · {_t(self.source)}" if self.source else "",
                   f" · {_t(self.header.get('mode'))} mode" if self.header.get("mode") else ""]
        body = [
            E.header(E.p(_cls("kicker"), *kicker),
                     E.h1(E.span(titles["zh"], lang=LANG_TAGS["zh"]), E.span(titles["vi"], lang=LANG_TAGS["vi"])),
                     self._facts_table(counts), self._counts_list(counts), *self._terms_section(),
                     self._alone_section(facts)),
            *self._tools(),
            E.main({"id": "beads"}, *rows),
            E.footer(f"Made by workbench {__version__} on "
                     f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} from the aligned file as a "
                     "reviewer last left it. Shaded: sentences one report has and the other does not match."),
        ]
        return _document(f"{titles['zh']} ↔ {titles['vi']}", body)


def pair_page(aligned: AlignedFile, glossary: Any = None, source: str = "", index_href: str | None = None) -> str:
    """The HTML page of one aligned file (see the module's description); `source` names the file,
    `index_href` links back to a folder's index page."""
    return _PairPage(aligned, glossary, source, index_href).render()


# ----- a folder: one page per aligned file and an index ----------------------------------------------
@dataclass
class IndexRow:
    """One aligned file of a folder export: its page and progress, or why it has none."""

    source: Path
    page: str = ""            # the page's file name, beside the index
    zh_title: str = ""
    vi_title: str = ""
    progress: Progress | None = None
    error: str = ""


def page_name(source: Path, taken: set[str]) -> str:
    """The page's file name for an aligned file: its stem + .html, never the index's name."""
    name = f"{source.stem}.html"
    if name == "index.html" or name in taken:
        name = f"{source.stem}.pair.html"
    return name


def index_page(rows: list[IndexRow], folder: str) -> str:
    """The index of a folder export: every aligned file with its review progress, linking its page."""
    table = E.table(_cls("files"), E.tr(
        E.th("pair"), E.th("review progress"), E.th(_cls("num"), "links"), E.th(_cls("num"), "confirmed"),
        E.th(_cls("num", "hide-narrow"), "rejected"), E.th(_cls("num", "hide-narrow"), "automatic"),
        E.th(_cls("num"), "alone zh"), E.th(_cls("num"), "alone vi")))
    totals = [0] * 6
    for row in rows:
        if row.error:
            table.append(E.tr(E.td(E.span(_cls("file"), _t(row.source.name)),
                                   E.span(_cls("error"), "cannot be read: ", _t(row.error))), E.td(colspan="7")))
            continue
        p = row.progress
        auto = p.links - p.decided
        share = p.confirmed / p.links if p.links else 0.0
        numbers = [p.links, p.confirmed, p.rejected, auto, p.unaligned_zh, p.unaligned_vi]
        totals = [a + b for a, b in zip(totals, numbers)]
        table.append(E.tr(
            E.td(_cls("pair"), E.a(E.span(_t(row.zh_title), lang=LANG_TAGS["zh"]), E.br(),
                                   E.span(_t(row.vi_title), lang=LANG_TAGS["vi"]), href=quote(row.page)),
                 E.span(_cls("file"), _t(row.source.name))),
            E.td(f"{p.confirmed}/{p.links} confirmed" + (f", {p.rejected} rejected" if p.rejected else ""),
                 E.span(_cls("bar"), E.span(style=f"width: {100 * share:.1f}%")),
                 title=f"{100 * share:.0f}% of the links confirmed"),
            *[E.td(_cls("num", "hide-narrow" if j in (2, 3) else ""), str(n)) for j, n in enumerate(numbers)]))
    readable = [r for r in rows if not r.error]
    table.append(E.tr(E.th(f"{len(readable)} pair{'' if len(readable) == 1 else 's'}"), E.td(""),
                      *[E.td(_cls("num", "hide-narrow" if j in (2, 3) else ""), E.b(str(n)))
                        for j, n in enumerate(totals)]))
    body = [E.header(E.p(_cls("kicker"), "aligned pairs · ", _t(folder)), E.h1("Aligned report pairs")),
            table,
            E.footer(f"Made by workbench {__version__} on "
                     f"{datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.")]
    return _document(f"Aligned report pairs · {folder}", body)



def export_folder(folder: Path, out_dir: Path, glossary: Any = None) -> list[IndexRow]:
    """Write a page for every aligned file of `folder` (as a reviewer last left it) and `index.html`
    into `out_dir`; a file that cannot be read is listed in the index with why."""
    files = aligned_files(folder)
    if not files:
        raise WorkbenchError("no aligned files here (files of `workbench run` or `workbench align`)", folder)
    ensure_folder(out_dir)
    rows: list[IndexRow] = []
    taken: set[str] = set()
    for path in files:
        row = IndexRow(path)
        rows.append(row)
        try:
            aligned = read_aligned_current(path)
        except WorkbenchError as exc:
            row.error = str(exc)
            continue
        row.page = page_name(path, taken)
        taken.add(row.page)
        row.zh_title = aligned.header["zh"].get("title") or aligned.header["zh"].get("file") or ""
        row.vi_title = aligned.header["vi"].get("title") or aligned.header["vi"].get("file") or ""
        row.progress = Progress.of(aligned.beads)
        target = out_dir / row.page
        with file_errors(target):
            atomic_write_text(target, pair_page(aligned, glossary, source=path.name, index_href="index.html"))
    target = out_dir / "index.html"
    with file_errors(target):
        atomic_write_text(target, index_page(rows, str(folder)))
    return rows
