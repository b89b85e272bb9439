"""Web pages: the article of a saved news page, with its headline, captions and metadata.

trafilatura (a main-text extractor made for news pages) decides which
paragraphs are the article, and reads the page's title, date, site name and
author from its metadata. It leaves out by design what a translator needs too,
so the page's own structure adds it back:

- the headline: the `<h1>` just before the article (else the page title);
- the lead ("sapo"): paragraphs between the headline and the body that read as
  sentences, which many news sites keep outside the body's container;
- captions: `<figcaption>` (or a `caption` class) inside the article.

Text inside markup that says it is page furniture (advertisements, comments,
related news, sharing, tags, navigation, by `<nav>`/`<aside>`/`<footer>` or by
class/id) is dropped even where the extractor kept it. Everything else on the
page is reported as dropped: one entry per region, with the line of the HTML
source where it starts.
"""

from __future__ import annotations

import bisect
import copy
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from workbench.reports.document import Dropped
from workbench.errors import WorkbenchError
from workbench.reports.source import Source

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body button caption center dd details dialog div dl dt "
    "fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html label legend "
    "li main menu nav ol option p pre section select summary table tbody td textarea tfoot th "
    "thead tr ul".split())
# Elements whose content is never text of the page, summarised as one dropped entry each kind.
_SKIPPED = {"script": "scripts", "noscript": "scripts", "template": "scripts", "style": "styles",
            "head": None, "svg": "embedded media", "math": "embedded media",
            "iframe": "embedded media", "object": "embedded media", "embed": "embedded media",
            "canvas": "embedded media", "video": "embedded media", "audio": "embedded media",
            "map": "embedded media"}
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

# Furniture by element name; the page-level ones count only outside the article
# (an article's own <header> holds its headline and lead).
_TAG_FURNITURE = {"nav": "navigation", "menu": "navigation", "form": "form", "button": "form",
                  "select": "form", "textarea": "form", "label": "form",
                  "aside": "sidebar", "header": "page header", "footer": "page footer"}
_PAGE_LEVEL = frozenset({"sidebar", "page header", "page footer"})
# Elements that never hold the article (<form> may: some sites wrap the whole page in one).
_CONTAINER_FURNITURE = frozenset({"nav", "menu", "aside", "header", "footer"})
# ... and by the words of its class and id ("ads-banner" -> ads, banner).
_CLASS_FURNITURE = {
    reason: frozenset(words.split()) for reason, words in {
        "advertisement": "ad ads adv advert adverts advertisement advertising adsbygoogle banner "
                         "sponsor sponsored promo promotion quangcao",
        "comments": "comment comments cmt reply replies disqus binhluan",
        "related news": "related relate relates lienquan recommend recommended readmore morenews "
                        "popular trending mostread",
        "sharing": "share sharing social sns print toolbar bookmark",
        "tags": "tag tags keyword keywords tukhoa topics",
        "navigation": "nav navbar navigation menu menubar topbar breadcrumb breadcrumbs crumb "
                      "crumbs pagination pager",
        "form": "search login signin subscribe newsletter register",
        "article info (date, author, source)": "author byline date time meta info dateline source editor",
        "sidebar": "sidebar side widget",
        "page header": "header masthead",
        "page footer": "footer copyright",
    }.items()}
_CLASS_WORD = re.compile(r"[a-z0-9]+")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext")
_MAX_DROPPED_TEXT = 300


@dataclass
class _Block:
    """A run of page text between block-level boundaries."""

    text: str
    element: object  # the block-level element it belongs to
    line: int
    link_chars: int  # characters inside <a>: link lists are navigation


def read_html(text: str, path: str | Path | None = None) -> Source:
    """The article of web page `text` (decoded markup) as a Source."""
    root = _parse(text, path)
    blocks, skipped = _page_blocks(root)
    extracted = _extract(root)
    kept = _match(blocks, extracted.body if extracted is not None else None)
    page = _Page(blocks, kept)
    chosen = page.article(extracted.title if extracted is not None else "")
    dropped = page.dropped(set(chosen)) + skipped
    if not any(i >= 0 and kind != "title" and _reads_as_sentences(blocks[i])
               for i, (kind, _) in chosen.items()):
        what = sorted({d.reason for d in dropped} - set(_SKIPPED.values()) - {"HTML comments"})
        raise WorkbenchError("no article text found in the web page"
                             + (f" (only {', '.join(what)})" if what else ""), path)
    lines, kinds, numbers = [], [], []
    for i in sorted(chosen):
        kind, line_text = chosen[i]
        lines.append(line_text)
        kinds.append(kind)
        numbers.append(blocks[i].line if i >= 0 else _title_line(root))
    meta = {"format": "html"}
    if extracted is not None:
        for key, value in (("date", extracted.date), ("title", extracted.title),
                           ("site", extracted.sitename), ("author", extracted.author)):
            value = " ".join(str(value or "").split())
            if value and (key != "date" or _ISO_DAY.match(value)):
                meta[key] = value
    return Source("html", "utf-8", lines, kinds, numbers, sorted(dropped, key=lambda d: d.line), meta)


def _parse(text: str, path: str | Path | None):
    import lxml.html
    from lxml import etree

    try:
        parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=False, remove_pis=True)
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text, count=1), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise WorkbenchError(f"cannot read the web page ({exc})", path) from None
    return root


def _page_blocks(root) -> tuple[list[_Block], list[Dropped]]:
    """The page's text as blocks in reading order, and summaries of the non-text elements."""

    blocks: list[_Block] = []
    stack = [root]
    pieces: list[str] = []
    state = {"line": 0, "links": 0}
    link_depth = 0

    def add(text: str | None, line: int) -> None:
        if text:
            if not pieces:
                state["line"] = line
            pieces.append(text)
            if link_depth:
                state["links"] += len(text.strip())

    def flush() -> None:
        text = " ".join("".join(pieces).split())
        if text:
            blocks.append(_Block(text, stack[-1], state["line"] or 1, state["links"]))
        pieces.clear()
        state["links"] = 0

    todo: list[tuple[object, bool]] = [(root, False)]  # (element, its end): no recursion limit
    while todo:
        el, end = todo.pop()
        line = el.sourceline or 0
        if not isinstance(el.tag, str):  # comment or processing instruction
            add(el.tail, line)
            continue
        tag = el.tag.lower()
        if end:
            if tag == "a":
                link_depth -= 1
            if tag in _BLOCK_TAGS:
                flush()
                stack.pop()
            add(el.tail, line)
            continue
        if tag in _SKIPPED:
            add(el.tail, line)
            continue
        if tag in _BLOCK_TAGS or tag == "br":
            flush()
            if tag in _BLOCK_TAGS:
                stack.append(el)
        if tag == "a":
            link_depth += 1
        add(el.text, line)
        todo.append((el, True))
        todo.extend((child, False) for child in reversed(el))
    flush()
    return blocks, _skipped(root)


def _skipped(root) -> list[Dropped]:
    """One entry per kind of element that never holds page text: scripts, styles, media, comments."""
    from lxml import etree

    found: dict[str, list[tuple[str, int]]] = {}
    for el in root.iter():
        if el.tag is etree.Comment:
            found.setdefault("HTML comments", []).append(("<!-- -->", el.sourceline or 1))
        elif isinstance(el.tag, str) and _SKIPPED.get(el.tag.lower()):
            found.setdefault(_SKIPPED[el.tag.lower()], []).append((f"<{el.tag.lower()}>", el.sourceline or 1))
    out = []
    for reason, items in found.items():
        lines = [line for _, line in items]
        tags = sorted({tag for tag, _ in items})
        span = f"line {lines[0]}" if min(lines) == max(lines) else f"lines {min(lines)}–{max(lines)}"
        out.append(Dropped(f"{len(items)} × {', '.join(tags)} ({span})", reason, min(lines)))
    return out


def _extract(root):
    """trafilatura's reading of the page: body (its XML) and metadata, or None."""
    import trafilatura
    from lxml import etree

    for name in _LOGGERS:  # its warnings would be extra lines on our stderr
        logging.getLogger(name).setLevel(logging.CRITICAL)
    tree = copy.deepcopy(root)
    # What never holds article text goes before extraction (metadata in JSON-LD stays):
    # a page's size is mostly scripts, styles and inline images.
    etree.strip_elements(tree, etree.Comment, "style", "noscript", "template", "svg", with_tail=False)
    for script in list(tree.iter("script")):
        if "ld+json" not in (script.get("type") or ""):
            script.drop_tree()
    try:
        return trafilatura.bare_extraction(
            tree, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, include_formatting=False, favor_recall=True,
            date_extraction_params={"extensive_search": False, "original_date": True})
    except (ValueError, TypeError, RecursionError):
        return None


def _key(text: str) -> str:
    return "".join(text.split())


def _match(blocks: list[_Block], body) -> set[int]:
    """Indexes of the page blocks whose text the extractor kept."""
    if body is None:
        return set()
    starts, page = [], []
    pos = 0
    for b in blocks:
        starts.append(pos)
        key = _key(b.text)
        page.append(key)
        pos += len(key)
    text = "".join(page)
    kept: set[int] = set()
    cursor = 0

    def mark(start: int, end: int) -> None:
        i = max(0, bisect.bisect_right(starts, start) - 1)
        while i < len(blocks) and starts[i] < end:
            size = len(page[i])
            overlap = min(end, starts[i] + size) - max(start, starts[i])
            if size and overlap * 2 >= size:
                kept.add(i)
            i += 1

    for part in _parts(body):
        key = _key(part)
        if not key:
            continue
        at = text.find(key, cursor)
        if at < 0:
            at = text.find(key)
        if at < 0:
            continue  # the extractor rewrote it: leave it to the page structure
        mark(at, at + len(key))
        cursor = at + len(key)
    return kept


_OUT_BLOCKS = ("p", "head", "item", "cell", "quote", "code")


def _parts(body) -> list[str]:
    """The texts of the extractor's output blocks (paragraphs, headings, list items, cells)."""
    return ["".join(el.itertext()) for el in body.iter(*_OUT_BLOCKS)
            if not any(a.tag in _OUT_BLOCKS for a in el.iterancestors())]


class _Page:
    """The page's blocks, which of them the extractor kept, and where the article is."""

    def __init__(self, blocks: list[_Block], kept: set[int]):
        self.blocks = blocks
        self.kept = kept
        self.container = _common_ancestor([blocks[i].element for i in kept]) if kept else None
        # What the extractor kept lies inside page-level furniture (the page had no article
        # and it took the header's or the footer's text): all of it is that furniture.
        self.container_reason = next(
            (_TAG_FURNITURE[_tag(a)] for a in (self.container, *self.container.iterancestors())
             if _tag(a) in _CONTAINER_FURNITURE), None) if self.container is not None else None
        self._memo: dict[object, tuple[str | None, object, bool]] = {}

    def category(self, i: int) -> tuple[str | None, object]:
        """(why block i is page furniture, the region it belongs to), or (None, None).

        The nearest marked element names the reason; the outermost one is the region
        (a comment section with its form and replies is one dropped entry). Inside the
        article only inline furniture counts (its own <header> holds the headline).
        """
        reason, region, _ = self._state(self.blocks[i].element)
        return reason, region

    def _state(self, el) -> tuple[str | None, object, bool]:
        """(reason, region, inside the article) of element `el`, memoised down from the root."""
        chain = []
        while el is not None and el not in self._memo:
            chain.append(el)
            el = el.getparent()
        state = self._memo[el] if el is not None else (None, None, False)
        for node in reversed(chain):
            if node is self.container:
                # Below a container narrower than the page, or below an <article>, a
                # <header> or <footer> is the article's own.
                own = _tag(node) not in ("body", "html")
                state = (self.container_reason, node if self.container_reason else None, own)
            else:
                reason, region, inside = state
                found = _furniture(node)
                if found and inside and found in _PAGE_LEVEL:
                    found = None
                state = (found or reason, region if region is not None else (node if found else None),
                         inside or _tag(node) == "article")
            self._memo[node] = state
        return state

    def article(self, title: str) -> dict[int, tuple[str | None, str]]:
        """Block index -> (kind or None, text) of every article block; index -1 is a headline
        taken from the page's metadata when no block of the page holds it."""
        chosen: dict[int, tuple[str | None, str]] = {}
        for i in sorted(self.kept):
            if self.category(i)[0] is None and not _is_links(self.blocks[i]):
                chosen[i] = (self._kind(i), self.blocks[i].text)
        if not chosen:
            return chosen
        first, last = min(chosen), max(chosen)
        head = self._headline(first, title)
        if head is not None and head not in chosen:
            chosen[head] = ("title", self.blocks[head].text)
        elif head is None and title and not any(
                _same_headline(title, self.blocks[i].text) for i in sorted(chosen)[:2]):
            chosen[-1] = ("title", " ".join(title.split()))
        start = head if head is not None and head < first else first
        for i in range(start + 1, len(self.blocks)):
            if i in chosen or self.category(i)[0] is not None:
                continue
            block = self.blocks[i]
            if _is_caption(block.element) and (i < last or self._within(block.element)):
                chosen[i] = ("caption", block.text)
            elif i < first and _reads_as_sentences(block):
                chosen[i] = (None, block.text)  # the lead, kept outside the body's container
        return chosen

    def _within(self, el) -> bool:
        return any(a is self.container for a in el.iterancestors())

    def _headline(self, first: int, title: str) -> int | None:
        """The article's headline: the last <h1> before its first paragraph, else the first
        inside it, else the block that repeats the page title."""
        h1 = [i for i, b in enumerate(self.blocks) if _tag(b.element) == "h1"
              and self.category(i)[0] is None]
        before = [i for i in h1 if i <= first]
        if before:
            return before[-1]
        inside = [i for i in h1 if i in self.kept]
        if inside:
            return inside[0]
        key = _key(title)
        for i in range(first + 1):
            if key and _key(self.blocks[i].text) == key:
                return i
        return None

    def _kind(self, i: int) -> str | None:
        el = self.blocks[i].element
        tag = _tag(el)
        if tag in _HEADINGS:
            return "title"
        if _is_caption(el):
            return "caption"
        return None  # a paragraph or cell: cleaning tells headline, subheading and caption apart

    def dropped(self, chosen: set[int]) -> list[Dropped]:
        """One entry per region of page text left out, with its reason and source line."""
        out: list[Dropped] = []
        last = (None, None, -2)
        for i, block in enumerate(self.blocks):
            if i in chosen:
                continue
            reason, anchor = self.category(i)
            if reason is None and i in self.kept and _is_links(block):
                reason = "links"
            if reason is None:
                reason = "not article text" if self._state(block.element)[2] else "outside the article"
            same = anchor is last[1] if anchor is not None else (last[1] is None and reason == last[0])
            if out and same and last[2] == i - 1:
                prev = out[-1]
                out[-1] = Dropped(_shorten(prev.text + " | " + block.text), prev.reason, prev.line)
            else:
                out.append(Dropped(_shorten(block.text), reason, block.line))
            last = (reason, anchor, i)
        return out

def _furniture(el) -> str | None:
    tag = _tag(el)
    if tag in _TAG_FURNITURE:
        return _TAG_FURNITURE[tag]
    words = set(_CLASS_WORD.findall(f"{el.get('class', '')} {el.get('id', '')}".lower()))
    if not words:
        return None
    for reason, markers in _CLASS_FURNITURE.items():
        if words & markers:
            return reason
    return None


def _is_caption(el) -> bool:
    for node in (el, *list(el.iterancestors())[:2]):
        if _tag(node) == "figcaption" or "caption" in (node.get("class") or "").lower():
            return True
    return False


def _same_headline(a: str, b: str) -> bool:
    """Whether the page title and a line of the page are one headline, give or take a word."""
    from difflib import SequenceMatcher

    a, b = _key(a), _key(b)
    return a == b or SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.8


def _is_links(block: _Block) -> bool:
    """Mostly link text and no sentence: a menu entry or a link to another article."""
    from workbench.reports.cleaning import ends_sentence

    return block.link_chars * 2 >= len(block.text) and not ends_sentence(block.text)


def _reads_as_sentences(block: _Block) -> bool:
    from workbench.reports.cleaning import ends_sentence

    return (block.link_chars * 2 < len(block.text) and len(block.text) >= 20
            and ends_sentence(block.text))


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _common_ancestor(elements: list) -> object:
    path = [elements[0], *elements[0].iterancestors()]
    common = {id(e) for e in path}
    for el in elements[1:]:
        common &= {id(e) for e in (el, *el.iterancestors())}
    return next(e for e in path if id(e) in common)


def _shorten(text: str) -> str:
    return text if len(text) <= _MAX_DROPPED_TEXT else text[:_MAX_DROPPED_TEXT - 1] + "…"


def _title_line(root) -> int:
    title = root.find(".//title")
    return title.sourceline if title is not None and title.sourceline else 1
