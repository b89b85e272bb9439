"""Modal screens: editing English, adding a glossary entry."""

from __future__ import annotations

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
            yield Label("Add a glossary entry   (select the term in each text; ctrl+s add, esc cancel)",
                        classes="title")
            yield TextArea(printable(self.zh_text), id="zh-text", read_only=True, soft_wrap=True, classes="source")
            yield TextArea(printable(self.vi_text), id="vi-text", read_only=True, soft_wrap=True, classes="source")
            with Horizontal(classes="fields"):
                yield Input(placeholder="zh term", id="zh")
                yield Input(placeholder="vi term", id="vi")
            with Horizontal(classes="fields"):
                yield Input(placeholder="English", id="en")
                yield Input(placeholder="note (optional)", id="note")
            yield Static("", id="error")
            with Horizontal(classes="buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

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
