"""Modal screens: editing English, adding a glossary entry, the concordance of every file."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from rich.text import Text
from textual.widgets import Button, Input, Label, Static, TextArea

from workbench.display import printable
from workbench.tui.threads import hand_back


class EditText(ModalScreen[str | None]):
    """A multi-line editor (the English of one side, or a note); returns the text or None (cancelled).

    Text from the file is shown literally, control characters as pictures; saved unchanged,
    the original text comes back (so a picture never replaces the character it shows).
    """

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, source: str, text: str) -> None:
        super().__init__()
        self.heading, self.source, self.text = title, source, text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"{self.heading}   (ctrl+s save, esc cancel)", classes="title")
            yield Static(Text(printable(self.source)), id="source")
            yield TextArea(printable(self.text), id="english", soft_wrap=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        edited = self.query_one(TextArea).text
        self.dismiss(self.text if edited == printable(self.text) else edited)

    def action_cancel(self) -> None:
        self.dismiss(None)


class AddTerm(ModalScreen[bool]):
    """Add a glossary entry: select the term in the zh and vi texts, type the English.

    Selecting text (shift+arrows or the mouse) in either text copies it into the
    matching field (a Vietnamese term loses a capital only its sentence start gave it).
    Tab from the texts goes on to the first empty field; a field is entered with its
    text kept, never selected (typing adds to it). A conflict with an existing entry,
    or the same zh, vi and English already there, is shown and nothing is written; new
    terms of a concept sharing a term and the English are added to it as variants.
    """

    BINDINGS = [Binding("ctrl+s", "save", "Add"), Binding("escape", "cancel", "Cancel"),
                Binding("tab", "next_field", "Next field", show=False)]
    FIELDS = (("zh", "zh term"), ("vi", "vi term"), ("en", "English"), ("note", "note"))

    def __init__(self, session, zh_text: str, vi_text: str) -> None:
        super().__init__()
        self.session, self.zh_text, self.vi_text = session, zh_text, vi_text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(Text(f"Add a glossary entry to {printable(self.session.additions_file)}"), classes="title")
            yield Static("Select the term in each text (shift+arrows, mouse) · tab: next empty field · "
                         "ctrl+s: add · esc: cancel", classes="help")
            yield TextArea(printable(self.zh_text), id="zh-text", read_only=True, soft_wrap=True, classes="source")
            yield TextArea(printable(self.vi_text), id="vi-text", read_only=True, soft_wrap=True, classes="source")
            for name, label in self.FIELDS:
                with Horizontal(classes="field"):
                    yield Label(label, classes="name")
                    yield Input(placeholder="(optional)" if name == "note" else "", id=name, compact=True,
                                select_on_focus=False)
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="add", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#zh-text", TextArea).focus()

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        area = event.text_area
        raw = area.selected_text
        selected = raw.strip()
        if not selected:
            return
        if area.id == "vi-text":
            from workbench.glossary.termcase import glossary_case

            start = area.document.get_index_from_location(min(area.selection.start, area.selection.end))
            start += len(raw) - len(raw.lstrip())
            sentences = [s.get("text", "") for s in self.session.header.get("vi", {}).get("sentences", [])]
            selected = glossary_case(selected, area.text, start, sentences)
        self.query_one("#zh" if area.id == "zh-text" else "#vi", Input).value = selected

    def action_next_field(self) -> None:
        """From the zh text to the vi text; from the vi text to the first empty field (the English once
        both terms are selected); elsewhere the usual order."""
        focused = self.focused
        if focused is not None and focused.id == "zh-text":
            self.query_one("#vi-text", TextArea).focus()
        elif focused is not None and focused.id == "vi-text":
            empty = [f for f in self.query(Input) if not f.value.strip() and f.id != "note"]
            (empty[0] if empty else self.query_one("#en", Input)).focus()
        else:
            self.focus_next()

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "add" else self.action_cancel()

    def action_save(self) -> None:
        from workbench.errors import WorkbenchError

        values = {name: self.query_one(f"#{name}", Input).value.strip() for name, _ in self.FIELDS}
        if not values["zh"] or not values["vi"] or not values["en"]:
            self.query_one("#error", Static).update("zh, vi and English are all needed")
            return
        try:
            result = self.session.add_glossary_entry(values["zh"], values["vi"], values["en"], values["note"])
        except (WorkbenchError, ImportError) as exc:
            self.query_one("#error", Static).update(Text(printable(f"not added: {exc}")))
            return
        if result.action == "exists":
            self.query_one("#error", Static).update(Text(printable(f"{result.describe()}; nothing written")))
            return
        self.app.notify(printable(result.describe()), markup=False)
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class Concordance(ModalScreen[object]):
    """Search every aligned file of the project (`workbench.review.search`); enter on a hit opens it there.

    Returns the chosen `workbench.review.search.Hit`, or None.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, paths: list, glossary, query: str = "") -> None:
        super().__init__()
        self.paths, self.glossary, self.initial = paths, glossary, query
        self.hits: list = []

    def compose(self) -> ComposeResult:
        from textual.widgets import DataTable

        with Vertical(id="dialog"):
            yield Label("Search every aligned file (glossary terms and Sino-Vietnamese readings too)   "
                        "(enter: search / open the hit, esc: close)", classes="title")
            yield Input(value=self.initial, placeholder="a word, a name or a term: 潘文迈, Phan Văn Mãi, hội nghị",
                        id="query", compact=True)
            yield Static("", id="summary")
            yield DataTable(id="hits", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one("#hits")
        for column in ("file", "bead", "zh", "vi"):
            table.add_column(column, key=column)
        self.query_one("#query", Input).focus()
        if self.initial:
            self.run_search(self.initial)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.run_search(event.value)

    def run_search(self, query: str) -> None:
        self.query_one("#summary", Static).update(Text(f"searching for {printable(query)} …", "italic"))
        self._search(query)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _search(self, query: str) -> None:
        from workbench.errors import WorkbenchError
        from workbench.review.search import search

        try:
            result = search(self.paths, query, self.glossary)
        except WorkbenchError as exc:
            hand_back(self.app, self._show_error, str(exc))
            return
        hand_back(self.app, self._show, result)

    def _show_error(self, message: str) -> None:
        self.query_one("#summary", Static).update(Text(printable(message), "red"))

    def _show(self, result) -> None:
        from workbench.review.search import field_text

        table = self.query_one("#hits")
        table.clear()
        self.hits = result.hits
        for hit in self.hits:
            cells = []
            for name in ("zh", "vi"):
                text = field_text(hit.bead, name)
                matches = [m for m in hit.matches if m.field in (name, f"{name}_en")]
                cells.append(_snippet(text, [m for m in matches if m.field == name]) if text else Text("–", "dim"))
            table.add_row(Text(printable(hit.path.name), no_wrap=True, overflow="ellipsis"), str(hit.index + 1),
                          *cells)
        terms = result.terms
        widened = [t for t in [*terms.zh, *terms.vi] if t != terms.query]
        summary = result.summary()
        if widened:
            summary += " · also: " + ", ".join(widened)
        readings = [shown for lang, _, shown in terms.patterns if lang == "vi"]
        if readings:
            summary += " · readings: " + ", ".join(readings)
        if result.errors:
            summary += f" · {len(result.errors)} file(s) unreadable"
        self.query_one("#summary", Static).update(Text(printable(summary + (" · ↓: the hits" if self.hits else ""))))
        # the focus stays in the query box: its first Down goes to the first hit (see on_key)

    def on_key(self, event) -> None:
        """Down in the query box: into the hits, on the first one."""
        box = self.query_one("#query", Input)
        if event.key == "down" and box.has_focus and self.hits:
            table = self.query_one("#hits")
            table.focus()
            table.move_cursor(row=0, animate=False)
            event.stop()
            event.prevent_default()

    def on_data_table_row_selected(self, event) -> None:
        if 0 <= event.cursor_row < len(self.hits):
            self.dismiss(self.hits[event.cursor_row])

    def action_cancel(self) -> None:
        self.dismiss(None)


def _snippet(text: str, matches: list, width: int = 60) -> Text:
    """`text` around its first match, the matches in bold (shown literally)."""
    start = max(0, (matches[0].start if matches else 0) - width // 3)
    out = Text(no_wrap=True, overflow="ellipsis")
    if start:
        out.append("…")
    pos = start
    for m in matches:
        if m.start < pos:
            continue
        out.append(printable(text[pos:m.start]))
        out.append(printable(text[m.start:m.end]), "bold reverse")
        pos = m.end
    out.append(printable(text[pos:]))
    return out
