"""Widgets of the review screens: the bead table (virtualised), the detail panel (scrolls),
one-line title and key bars that always fit the width.

Text from the file (reports, English, notes, titles) reaches the screen only as
`rich.text.Text` built by `literal` / `highlight`: never read as markup, and with
control characters shown as visible pictures (`workbench.display.printable`), so
no escape sequence in a report can act on the terminal.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from workbench.display import printable
from workbench.review.qa import KIND_LABELS, provenance
from workbench.review.session import ReviewSession

STATUS_GLYPH = {"auto": "·", "confirmed": "✓", "rejected": "✗"}
NUM_W, STATUS_W, QA_W, SCORE_W = 6, 2, 2, 6
QA_MARK = "!"  # beside the status of a bead with QA flags (once its flags are known)


def literal(text: object, style: Style | str = "") -> Text:
    """`text` exactly as written (no markup), control characters made visible."""
    return Text(printable(text), style=style)


def _cell(text: str, width: int, style: Style | str = "") -> Text:
    cell = Text(printable(text).replace("\n", " ").replace("\t", " "), style=style, no_wrap=True, end="")
    cell.truncate(width, overflow="ellipsis", pad=True)
    return cell


class BeadTable(ScrollView, can_focus=True):
    """The beads as rows (zh | vi, English under each), rendering only the visible lines.

    Rendering is line by line (Textual's line API), so a file of thousands of
    beads costs no more to draw or rebuild than a short one.
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
    ]
    COMPONENT_CLASSES = {
        "beadtable--cursor", "beadtable--auto", "beadtable--confirmed", "beadtable--rejected",
        "beadtable--english", "beadtable--score-low", "beadtable--mark", "beadtable--rule", "beadtable--qa",
    }
    DEFAULT_CSS = """
    BeadTable { background: $surface; }
    BeadTable > .beadtable--cursor { background: $accent 30%; }
    BeadTable > .beadtable--auto { color: $warning; }
    BeadTable > .beadtable--confirmed { color: $success; }
    BeadTable > .beadtable--rejected { color: $error; }
    BeadTable > .beadtable--english { color: $text-muted; text-style: italic; }
    BeadTable > .beadtable--score-low { color: $error; }
    BeadTable > .beadtable--mark { background: $warning 30%; }
    BeadTable > .beadtable--rule { color: $panel-lighten-2; }
    BeadTable > .beadtable--qa { color: $error; text-style: bold; }
    """

    cursor = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The highlighted bead changed (`index` into the session's beads, or None when no row)."""

        def __init__(self, index: int | None) -> None:
            self.index = index
            super().__init__()

    def __init__(self, session: ReviewSession, **kwargs) -> None:
        super().__init__(**kwargs)
        self.session = session
        self.rows: list[int] = list(range(len(session.beads)))
        self.marked: int | None = None  # bead chosen as the first half of a link
        self.row_height = 2
        self.show_qa = True  # the QA mark column (off until flags can be shown cheaply, if ever)
        # Rendered lines by (bead, line of row, width, look): a key press redraws one or two rows.
        self._lines: dict[tuple[int, int, int, int], Strip] = {}

    # ----- content ------------------------------------------------------------------------------
    def set_rows(self, rows: list[int], focus: int | None = None) -> None:
        """Show these bead indices; put the cursor on bead `focus` (or the nearest row)."""
        self.rows = rows
        self._lines.clear()
        self.row_height = 2 if self.session.has_english else 1
        self._resize()
        if focus is None:
            self.cursor = min(self.cursor, max(0, len(rows) - 1))
        else:
            self.cursor = self.row_of(focus)
        self.refresh()

    def row_of(self, bead: int) -> int:
        """The row showing bead `bead`, or the row of the nearest bead after it."""
        import bisect

        return min(bisect.bisect_left(self.rows, bead), max(0, len(self.rows) - 1))

    @property
    def current(self) -> int | None:
        return self.rows[self.cursor] if self.rows else None

    def _resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) * self.row_height)

    def on_resize(self) -> None:
        self._resize()

    def invalidate(self, bead: int | None = None) -> None:
        """Forget rendered lines (of one bead, or all) after an edit, and redraw."""
        if bead is None:
            self._lines.clear()
        else:
            for key in [k for k in self._lines if k[0] == bead]:
                del self._lines[key]
        self.refresh()

    def watch_cursor(self, old: int, cursor: int) -> None:
        scroll_before = self.scroll_y
        self._scroll_to_cursor()
        if self.scroll_y == scroll_before:
            for row in {old, cursor}:  # only the rows whose look changed
                self.refresh_lines(row * self.row_height - int(self.scroll_y), self.row_height)
        else:
            self.refresh()
        self.post_message(self.Highlighted(self.current))

    def _scroll_to_cursor(self) -> None:
        top = self.cursor * self.row_height
        height = self.scrollable_content_region.height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif height and top + self.row_height > self.scroll_y + height:
            self.scroll_to(y=top + self.row_height - height, animate=False, immediate=True)

    # ----- keys and mouse -----------------------------------------------------------------------
    def _move_to(self, row: int) -> None:
        if self.rows:
            self.cursor = max(0, min(len(self.rows) - 1, row))

    def action_cursor(self, step: int) -> None:
        self._move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height // self.row_height - 1)
        self._move_to(self.cursor + direction * page)

    def action_edge(self, end: int) -> None:
        self._move_to(len(self.rows) - 1 if end else 0)

    def on_click(self, event: Click) -> None:
        row = (event.y + int(self.scroll_y)) // self.row_height
        if 0 <= row < len(self.rows):
            self.cursor = row

    # ----- drawing ------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = int(self.scroll_y) + y
        row, sub = divmod(line, self.row_height)
        if row >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        index = self.rows[row]
        look = 1 if row == self.cursor else 2 if index == self.marked else 0
        key = (index, sub, width, look)
        strip = self._lines.get(key)
        if strip is None:
            text = self._line(index, sub, width)
            if look:
                text.stylize(self.get_component_rich_style("beadtable--cursor" if look == 1 else "beadtable--mark"))
            strip = Strip(list(text.render(self.app.console)))
            strip = strip.adjust_cell_length(width, self.rich_style).apply_style(self.rich_style)
            if len(self._lines) > 4000:
                self._lines.clear()
            self._lines[key] = strip
        return strip

    def _line(self, index: int, sub: int, width: int) -> Text:
        bead = self.session.beads[index]
        text_w = max(10, width - NUM_W - STATUS_W - QA_W - SCORE_W - 3)
        zh_w = text_w // 2
        vi_w = text_w - zh_w
        rule = self.get_component_rich_style("beadtable--rule")
        status = self.get_component_rich_style(f"beadtable--{bead.status}")
        if sub == 0:
            low = bead.score < 0.5 and bead.zh and bead.vi
            score = f"{bead.score:5.2f}" if bead.zh and bead.vi else "    –"
            flagged = self.session.flags(index) if self.show_qa else []
            parts = [
                _cell(f"{index + 1:>5}", NUM_W, status),
                _cell(STATUS_GLYPH.get(bead.status, "?"), STATUS_W, status),
                _cell(QA_MARK if flagged else "", QA_W, self.get_component_rich_style("beadtable--qa")),
                _cell(bead.zh_text, zh_w), Text("│", rule, end=""),
                _cell(bead.vi_text, vi_w), Text("│", rule, end=""),
                _cell(score, SCORE_W, self.get_component_rich_style("beadtable--score-low") if low else ""),
            ]
        else:
            english = self.get_component_rich_style("beadtable--english")
            parts = [
                _cell("", NUM_W + STATUS_W + QA_W),
                _cell(bead.zh_en or "" if bead.zh else "", zh_w, english), Text("│", rule, end=""),
                _cell(bead.vi_en or "" if bead.vi else "", vi_w, english), Text("│", rule, end=""),
                _cell("", SCORE_W),
            ]
        return Text.assemble(*parts, end="")


def _grid_rows(grid: Table) -> list[list[Text]]:
    columns = [list(column.cells) for column in grid.columns]
    return [list(cells) for cells in zip(*columns)]


def highlight(text: str, matches: list, style: str) -> Text:
    """`text` shown literally, with the spans of glossary matches styled.

    Spans index the file's text; each piece is made printable on its own, since a control
    character may become a longer picture.
    """
    spans: list[list[int]] = []
    for start, end in sorted((m.start, m.end) for m in matches):
        if spans and start <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([start, end])
    out, pos = Text(), 0
    for start, end in spans:
        out.append(printable(text[pos:start]))
        out.append(printable(text[start:end]), style)
        pos = end
    out.append(printable(text[pos:]))
    return out


class TextLine(Widget):
    """Shows one renderable; unlike a Static, updating it repaints without re-laying out the
    screen (its height is fixed in the stylesheet)."""

    _content: RenderableType = ""

    def render(self) -> RenderableType:
        return self._content

    def update(self, content: RenderableType) -> None:
        self._content = content
        self.refresh()


class KeyBar(TextLine):
    """The keys of the screen, most useful first, as many as the width holds, always ending with
    the palette key (which lists every action by name)."""

    keys: list[tuple[str, str]] = []

    def set_keys(self, keys: list[tuple[str, str]]) -> None:
        self.keys = keys
        self.refresh()

    def render(self) -> RenderableType:
        width = max(0, self.size.width)
        tail = [("^p", "all actions")]
        out = Text(no_wrap=True, overflow="crop", end="")
        used = sum(len(k) + len(d) + 3 for k, d in tail)
        shown = []
        for key, description in self.keys:
            cost = len(key) + len(description) + 3
            if used + cost > width:
                break
            shown.append((key, description))
            used += cost
        for key, description in shown + tail:
            out.append(f" {key}", "bold reverse")
            out.append(f" {description} ")
        return out


class DetailPanel(VerticalScroll, can_focus=False):
    """The selected bead in full: zh, vi and English with glossary terms highlighted, where the
    English came from, its QA flags and its numbered term issues. Scrolls (shift+↑/↓, mouse)."""

    plain = ""  # what is shown, as plain text (for tests and screen readers)

    def compose(self):
        yield Static(id="detail-body")

    def show(self, session: ReviewSession, index: int | None) -> None:
        body = self.query_one("#detail-body", Static)
        self.scroll_home(animate=False)
        if index is None or not session.beads:
            self.plain = "No bead matches the filter."
            body.update(Text(self.plain, style="italic"))
            return
        bead = session.beads[index]
        terms = session.term_matches(index)
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="bold", width=3)
        grid.add_column(ratio=1)
        term_style = "bold underline"
        for side in ("zh", "vi"):
            ids = getattr(bead, side)
            grid.add_row(side, highlight(getattr(bead, f"{side}_text"), terms[side], term_style) if ids
                         else Text("(none)", "dim"))
            grid.add_row("en", self._english(getattr(bead, f"{side}_en"), ids, session, side))
            for note in provenance(session.header, bead, side) if ids else ():
                grid.add_row("", Text(printable(note), "dim italic"))
        status = Text.assemble(
            (f"bead {index + 1} ", "bold"), (bead.notation, "dim"), "  ",
            (bead.status, {"auto": "yellow", "confirmed": "green", "rejected": "red"}.get(bead.status, "")),
            f"  score {bead.score:.2f}" if bead.zh and bead.vi else "  unaligned (no score)")
        if bead.origin == "manual":
            status.append("  re-cut by a reviewer", "dim")
        if bead.note:
            status.append(f"  note: {printable(bead.note)}", "italic")
        if any(h.get("side") in ("zh", "vi") for h in bead.history):
            status.append(f"  ({len(bead.history)} earlier English)", "dim")
        parts: list[RenderableType] = [status, grid]
        flags = [f for f in session.qa.flags(bead)]
        if flags:
            lines = Text("QA:\n", style="bold")
            for flag in flags:
                lines.append(f" {KIND_LABELS[flag.kind]}: ", "bold red")
                lines.append(f"{printable(flag.message)}\n")
            parts.append(lines)
        issues = session.term_issues(index)
        if issues:
            lines = Text("Term issues (press the number to fix):\n", style="bold")
            for found in issues:
                key = str(found.number) if found.number <= 9 else " "
                lines.append(f" {key} ", "reverse")
                lines.append(f" {printable(found.label)}\n")
            parts.append(lines)
        self.plain = "\n".join(
            [status.plain, *("  ".join(str(cell) for cell in row) for row in _grid_rows(grid)),
             *(p.plain for p in parts[2:])])
        body.update(Group(*parts))

    @staticmethod
    def _english(english: str | None, ids: list[int], session: ReviewSession, side: str) -> Text:
        if not ids:
            return Text("")
        if english is None:
            return Text("(no English)", "dim italic")
        matches = session.glossary.match(english, "en") if session.glossary is not None else []
        return highlight(english, matches, "bold underline")
