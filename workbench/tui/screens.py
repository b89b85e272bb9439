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
    matching field. A conflict with an existing entry is shown, and nothing is written.
    """

    BINDINGS = [Binding("ctrl+s", "save", "Add"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, session, zh_text: str, vi_text: str) -> None:
        super().__init__()
        self.session, self.zh_text, self.vi_text = session, zh_text, vi_text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(f"Add a glossary entry to {printable(self.session.additions_file)}   (select the term "
                        "in each text; ctrl+s add, esc cancel)", classes="title")
            yield TextArea(printable(self.zh_text), id="zh-text", read_only=True, soft_wrap=True, classes="source")
            yield TextArea(printable(self.vi_text), id="vi-text", read_only=True, soft_wrap=True, classes="source")
            with Horizontal(classes="fields"):
                yield Input(placeholder="zh term", id="zh", compact=True)
                yield Input(placeholder="vi term", id="vi", compact=True)
            with Horizontal(classes="fields"):
                yield Input(placeholder="English", id="en", compact=True)
                yield Input(placeholder="note (optional)", id="note", compact=True)
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="add", compact=True)
                yield Button("Cancel", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#zh-text", TextArea).focus()

    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        selected = event.text_area.selected_text.strip()
        if selected:
            field = "#zh" if event.text_area.id == "zh-text" else "#vi"
            self.query_one(field, Input).value = selected

    def on_input_submitted(self) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_save() if event.button.id == "add" else self.action_cancel()

    def action_save(self) -> None:
        from workbench.errors import WorkbenchError

        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in ("zh", "vi", "en", "note")}
        if not values["zh"] or not values["vi"] or not values["en"]:
            self.query_one("#error", Static).update("zh, vi and English are all needed")
            return
        try:
            target, action = self.session.add_glossary_entry(values["zh"], values["vi"], values["en"],
                                                             values["note"])
        except (WorkbenchError, ImportError) as exc:
            self.query_one("#error", Static).update(Text(printable(f"not added: {exc}")))
            return
        term = f"{values['zh']} = {values['vi']} = {values['en']}"
        self.app.notify(printable(f"already in the glossary: {term}" if action == "exists"
                                  else f"{action} {term} to {target}"), markup=False)
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
            self.app.call_from_thread(self._show_error, str(exc))
            return
        self.app.call_from_thread(self._show, result)

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
        summary = f"{len(result.hits)} bead{'s' if len(result.hits) != 1 else ''} in {result.files} file(s)"
        if widened:
            summary += " · also: " + ", ".join(widened)
        readings = [shown for lang, _, shown in terms.patterns if lang == "vi"]
        if readings:
            summary += " · readings: " + ", ".join(readings)
        if result.errors:
            summary += f" · {len(result.errors)} file(s) unreadable"
        self.query_one("#summary", Static).update(Text(printable(summary)))
        if self.hits:
            table.focus()

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
