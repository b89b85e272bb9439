"""The review app: a thin Textual face over `workbench.review.ReviewSession`."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input

from workbench.display import printable
from workbench.errors import WorkbenchError
from workbench.review import FILTER_LABELS, FILTERS, ReviewSession
from workbench.tui.screens import AddTerm, EditText
from workbench.tui.widgets import BeadTable, DetailPanel, TextLine

# (key, action, footer label, palette description); the palette lists every action.
ACTIONS = [
    ("c", "confirm", "Confirm", "Confirm the bead (again: back to auto)"),
    ("x", "reject", "Reject", "Reject the bead (again: back to auto)"),
    ("n", "next_unreviewed", "Next", "Jump to the next unreviewed bead"),
    ("l", "link", "Link", "Link an unaligned zh sentence with an unaligned vi sentence (press on each)"),
    ("u", "unlink", "Unlink", "Unlink the bead into unaligned sentences"),
    ("m", "merge", "Merge", "Merge the bead with the next one"),
    ("s", "split", "Split", "Split the bead in two"),
    ("left_square_bracket", "move('zh',-1)", "zh↑", "Move the first zh sentence to the previous bead"),
    ("right_square_bracket", "move('zh',1)", "zh↓", "Move the last zh sentence to the next bead"),
    ("left_curly_bracket", "move('vi',-1)", "vi↑", "Move the first vi sentence to the previous bead"),
    ("right_curly_bracket", "move('vi',1)", "vi↓", "Move the last vi sentence to the next bead"),
    ("e", "edit('zh')", "Edit zh EN", "Edit the English of the zh side"),
    ("E", "edit('vi')", "Edit vi EN", "Edit the English of the vi side"),
    ("N", "note", "Note", "Write a reviewer's note on the bead"),
    ("1", "fix(1)", "Fix term", "Apply the fix of term issue 1 (keys 1-9)"),
    ("g", "add_term", "Add term", "Add a glossary entry from the selected text"),
    ("f", "filter", "Filter", "Cycle the filter: all, unreviewed, term issues, low score"),
    ("slash", "search", "Search", "Search the texts and English"),
    ("z,ctrl+z", "undo", "Undo", "Undo the last change"),
    ("y,ctrl+y", "redo", "Redo", "Redo the last undone change"),
    ("ctrl+s", "save", "Save", "Save now"),
    ("q", "quit", "Quit", "Save and quit"),
]
KEY_LABELS = {"left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
              "right_curly_bracket": "}", "slash": "/"}
# Actions of the main screen: off while a dialog is open (its keys must not edit the beads).
MAIN_ACTIONS = {action.split("(")[0] for _, action, _, _ in ACTIONS} | {"cancel"}
# Left out of the footer for room (still in the palette and the README's key table).
QUIET = {"move('zh',-1)", "move('zh',1)", "move('vi',-1)", "move('vi',1)", "redo", "save", "note"}


class ReviewApp(App[None]):
    """Walk the beads of an aligned pair; every change is saved (debounced) and undoable."""

    CSS_PATH = "review.tcss"
    TITLE = "workbench review"
    BINDINGS = [
        *(Binding(key, action, label, tooltip=help_, show=action not in QUIET)
          for key, action, label, help_ in ACTIONS),
        *(Binding(str(n), f"fix({n})", f"Fix {n}", show=False) for n in range(2, 10)),
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    def __init__(self, session: ReviewSession, autosave_every: float = 0.25) -> None:
        super().__init__()
        self.session = session
        self.filter = "all"
        self.query_text = ""
        self.autosave_every = autosave_every
        self._saving = False
        self.ended_by: int | None = None  # the signal (SIGTERM, SIGHUP) that ended the review, if any
        self.save_error: OSError | None = None  # the last save on closing failed

    # ----- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TextLine(id="titles")
        yield TextLine(id="status")
        yield BeadTable(self.session, id="beads")
        yield DetailPanel(id="detail")
        yield Input(placeholder="search zh, vi or English (enter: apply, esc: clear)", id="search")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.table.focus()
        self.table.set_rows(self.session.visible(), 0)
        self.table.post_message(BeadTable.Highlighted(self.table.current))
        self.update_titlebar()
        if not self.session.read_only:
            self.set_interval(self.autosave_every, self.autosave)
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, self._end_by_signal, signum)
        if self.session.restored:
            self.say(f"restored {self.session.restored} edits from the journal of a review that did not end")

    @property
    def table(self) -> BeadTable:
        return self.query_one(BeadTable)

    def update_titlebar(self) -> None:
        s = self.session
        done, total = s.progress
        bar = Text(no_wrap=True, overflow="ellipsis")
        bar.append(printable(s.title("zh")), "bold")
        bar.append("  ⇄  ")
        bar.append(printable(s.title("vi")), "bold")
        line2 = Text(no_wrap=True, overflow="ellipsis")
        line2.append(f"confirmed {done}/{total}", "bold green" if total and done == total else "bold")
        if self.filter != "all" or self.query_text:
            shown = len(self.table.rows)
            line2.append(f"  ·  showing {shown} ({FILTER_LABELS[self.filter]}"
                         + (f", “{printable(self.query_text)}”" if self.query_text else "") + ")")
        if self.table.marked is not None:
            line2.append(f"  ·  linking bead {self.table.marked + 1}: press l on the other side's sentence",
                         "bold yellow")
        if s.read_only:
            line2.append("  ·  READ-ONLY", "bold red")
        elif s.dirty:
            line2.append("  ·  unsaved", "yellow")
        if not s.has_english:
            line2.append("  ·  no translation model: English columns empty", "italic")
        self.query_one("#titles", TextLine).update(bar)
        self.query_one("#status", TextLine).update(line2)

    def on_bead_table_highlighted(self, message: BeadTable.Highlighted) -> None:
        self.query_one(DetailPanel).show(self.session, message.index)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        for key, action, label, help_ in ACTIONS:
            if action == "quit":
                continue
            key = key.split(",")[0]
            yield SystemCommand(f"{label} ({KEY_LABELS.get(key, key)})", help_,
                                lambda action=action: self.run_action(action))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in MAIN_ACTIONS and action != "quit" and len(self.screen_stack) > 1:
            return False
        return True

    def say(self, message: str, severity: str = "information") -> None:
        """A notification shown literally (messages hold file names and report text)."""
        self.notify(printable(message), severity=severity, markup=False)

    # ----- running edits ------------------------------------------------------------------------
    def refresh_view(self, focus: int | None = None) -> None:
        current = self.table.current if focus is None else focus
        self.table.set_rows(self.session.visible(self.filter, self.query_text), current)
        self.table.post_message(BeadTable.Highlighted(self.table.current))
        self.update_titlebar()

    def edit(self, operation, *args) -> None:
        """Run a session edit on the current bead; show refusals as notifications."""
        index = self.table.current
        if index is None:
            return
        try:
            focus = operation(index, *args)
        except WorkbenchError as exc:
            self.say(str(exc), "error")
            return
        if operation in (self.session.confirm, self.session.reject) and self.filter == "all" and not self.query_text:
            self.table.invalidate(index)  # rows unchanged: redraw just this bead
            self.table.post_message(BeadTable.Highlighted(index))
            self.update_titlebar()
            return
        self.refresh_view(focus)

    def autosave(self) -> None:
        """Save in a worker thread when due, so a large file never stalls the keys."""
        if self._saving or not self.session.autosave_due():
            return
        self._saving = True
        version, snapshot = self.session.snapshot()
        self._write(version, snapshot)

    @work(thread=True, exit_on_error=False)
    def _write(self, version: int, snapshot) -> None:
        try:
            self.session.write_snapshot(version, snapshot)
            error = None
        except OSError as exc:
            error = f"could not save: {exc}"
        self.call_from_thread(self._written, error)

    def _written(self, error: str | None) -> None:
        self._saving = False
        if error:
            self.say(error, "error")
        self.update_titlebar()

    # ----- actions ------------------------------------------------------------------------------
    def action_confirm(self) -> None:
        self.edit(self.session.confirm)

    def action_reject(self) -> None:
        self.edit(self.session.reject)

    def action_next_unreviewed(self) -> None:
        nxt = self.session.next_unreviewed(-1 if self.table.current is None else self.table.current)
        if nxt is None:
            self.say("every bead is reviewed")
            return
        if nxt not in self.table.rows:
            self.filter, self.query_text = "all", ""
            self.refresh_view(nxt)
        else:
            self.table.cursor = self.table.row_of(nxt)

    def action_link(self) -> None:
        index = self.table.current
        if index is None:
            return
        bead = self.session.beads[index]
        if bead.zh and bead.vi:
            self.say("link joins two unaligned sentences; this bead has both sides (u unlinks it)", "warning")
            return
        marked = self.table.marked
        if marked is None or marked == index:
            self.table.marked = None if marked == index else index
            self.table.invalidate()
            self.update_titlebar()
            return
        self.table.marked = None
        self.edit(lambda i: self.session.link(marked, i))

    def action_unlink(self) -> None:
        self.edit(self.session.unlink)

    def action_merge(self) -> None:
        self.edit(self.session.merge_next)

    def action_split(self) -> None:
        self.edit(self.session.split)

    def action_move(self, side: str, direction: int) -> None:
        self.edit(self.session.move_sentence, side, direction)

    def action_edit(self, side: str) -> None:
        index = self.table.current
        if index is None:
            return
        bead = self.session.beads[index]
        if not getattr(bead, side):
            self.say(f"this bead has no {side} sentence", "warning")
            return

        def done(text: str | None) -> None:
            if text is not None:
                self.edit(self.session.edit_english, side, text)

        self.push_screen(EditText(f"English of the {side} side", getattr(bead, f"{side}_text"),
                                  getattr(bead, f"{side}_en") or ""), done)

    def action_note(self) -> None:
        index = self.table.current
        if index is None:
            return
        bead = self.session.beads[index]

        def done(text: str | None) -> None:
            if text is not None:
                self.edit(self.session.set_note, text.strip())

        self.push_screen(EditText(f"Note on bead {index + 1}", bead.notation, bead.note), done)

    def action_fix(self, number: int) -> None:
        self.edit(self.session.apply_term_fix, number - 1)

    def action_add_term(self) -> None:
        index = self.table.current
        if index is None or self.session.read_only:
            return
        bead = self.session.beads[index]
        self.push_screen(AddTerm(self.session, bead.zh_text, bead.vi_text), lambda added: added and self.refresh_view())

    def action_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.refresh_view()

    def action_search(self) -> None:
        box = self.query_one("#search", Input)
        box.display = True
        box.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.query_text = event.value.strip()
            event.input.display = bool(self.query_text)
            self.table.focus()
            self.refresh_view()

    def action_cancel(self) -> None:
        box = self.query_one("#search", Input)
        if self.table.marked is not None:
            self.table.marked = None
            self.table.invalidate()
        elif box.display or self.query_text:
            box.value, self.query_text, box.display = "", "", False
            self.table.focus()
            self.refresh_view()
        self.update_titlebar()

    def action_undo(self) -> None:
        self._history(self.session.undo, "nothing to undo")

    def action_redo(self) -> None:
        self._history(self.session.redo, "nothing to redo")

    def _history(self, step, empty: str) -> None:
        try:
            focus = step()
        except WorkbenchError as exc:
            self.say(str(exc), "error")
            return
        if focus is None:
            self.say(empty)
        else:
            self.refresh_view(focus)

    def action_save(self) -> None:
        if self.session.read_only:
            self.say("opened read-only: nothing is saved", "warning")
            return
        try:
            self.session.save()
        except OSError as exc:
            self.say(f"could not save: {exc}", "error")
        else:
            self.say("saved")
        self.update_titlebar()

    async def action_quit(self) -> None:
        self.close_session()
        self.exit()

    def on_unmount(self) -> None:
        self.close_session()  # also on ctrl+c or an error: never leave edits unsaved
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)

    def close_session(self) -> None:
        """Save and unlock. A save that fails (a full disk) leaves the edits in the journal;
        the error is kept in `save_error` for the command to report after the screen is gone."""
        try:
            self.session.close()
        except OSError as exc:
            self.save_error = exc

    def _end_by_signal(self, signum: int) -> None:
        """SIGTERM, or SIGHUP (the terminal closed, ssh dropped): save, release the lock, exit.

        Saved first, before anything is drawn: the terminal may be gone.
        """
        self.ended_by = signum
        self.close_session()
        self.exit()


def run(session: ReviewSession) -> None:
    ReviewApp(session).run()

