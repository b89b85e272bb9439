"""The review screen of one aligned file: a thin Textual face over `ReviewSession`."""

from __future__ import annotations

import threading

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from workbench.display import printable
from workbench.errors import WorkbenchError
from workbench.review.qa import KIND_LABELS, KINDS
from workbench.review.session import FILTER_LABELS, FILTERS, ReviewSession
from workbench.tui.screens import AddTerm, EditText
from workbench.tui.widgets import BeadTable, DetailPanel, KeyBar, TextLine

# (keys, action, key bar label or "" when left off the bar, palette title); the palette lists every
# action by its title, so typing any word of it ("move", "filter", "file") finds it.
ACTIONS = [
    ("c", "confirm", "confirm", "Confirm the bead (again: back to auto)"),
    ("x", "reject", "reject", "Reject the bead (again: back to auto)"),
    ("n", "next_decision", "next", "Next bead to decide: an undecided link or a flagged bead"),
    ("f", "filter", "filter", "Filter: cycle all, to decide, QA flags, low score, unaligned"),
    ("l", "link", "link", "Link an unaligned zh sentence with an unaligned vi sentence (press on each)"),
    ("u", "unlink", "unlink", "Unlink the bead into unaligned sentences"),
    ("m", "merge", "merge", "Merge the bead with the next one"),
    ("s", "split", "split", "Split the bead in two"),
    ("e", "edit('zh')", "edit zh", "Edit the English of the zh side"),
    ("E", "edit('vi')", "edit vi", "Edit the English of the vi side"),
    ("z,ctrl+z", "undo", "undo", "Undo the last change"),
    ("slash", "search", "search", "Search this file: zh, vi, English and notes"),
    ("ctrl+f", "concordance", "all files", "Concordance: search every aligned file, with the glossary and readings"),
    ("greater_than_sign", "next_file", "next file", "Next file of the project"),
    ("less_than_sign", "previous_file", "", "Previous file of the project"),
    ("p", "project", "files", "Project view: every aligned file with its progress"),
    ("q", "quit", "quit", "Save and quit"),
    ("g", "add_term", "", "Add a glossary entry from the bead's texts"),
    ("1", "fix(1)", "", "Fix term issue 1 with the glossary (keys 1-9: the issue of that number)"),
    ("N", "note", "", "Write a reviewer's note on the bead"),
    ("left_square_bracket", "move('zh',-1)", "", "Move the first zh sentence to the previous bead"),
    ("right_square_bracket", "move('zh',1)", "", "Move the last zh sentence to the next bead"),
    ("left_curly_bracket", "move('vi',-1)", "", "Move the first vi sentence to the previous bead"),
    ("right_curly_bracket", "move('vi',1)", "", "Move the last vi sentence to the next bead"),
    ("shift+down", "scroll_detail(3)", "", "Scroll the detail panel down"),
    ("shift+up", "scroll_detail(-3)", "", "Scroll the detail panel up"),
    ("y,ctrl+y", "redo", "", "Redo the last undone change"),
    ("ctrl+s", "save", "", "Save now"),
]
KEY_LABELS = {"left_square_bracket": "[", "right_square_bracket": "]", "left_curly_bracket": "{",
              "right_curly_bracket": "}", "slash": "/", "greater_than_sign": ">", "less_than_sign": "<",
              "ctrl+f": "^f", "shift+down": "⇧↓", "shift+up": "⇧↑", "ctrl+s": "^s"}
# Every filter, in the palette: "Filter: …".
FILTER_COMMANDS = [(f, f"Filter: {FILTER_LABELS[f]}") for f in FILTERS] + \
                  [(f"qa:{k}", f"Filter: QA {KIND_LABELS[k]}") for k in KINDS]


def key_label(keys: str) -> str:
    first = keys.split(",")[0]
    return KEY_LABELS.get(first, first)


class ReviewScreen(Screen[None]):
    """Walk the beads of one aligned pair; every change is journaled, saved (debounced) and undoable."""

    BINDINGS = [
        *(Binding(key, action, label or title, show=False) for key, action, label, title in ACTIONS),
        *(Binding(str(n), f"fix({n})", f"Fix {n}", show=False) for n in range(2, 10)),
        Binding("escape", "cancel", "Cancel", show=False),
    ]

    def __init__(self, session: ReviewSession, *, locked_by: str | None = None, position: str = "",
                 focus: int | None = None, autosave_every: float = 0.25) -> None:
        super().__init__()
        self.session = session
        self.locked_by = locked_by  # who holds the lock when this file was opened read-only for it
        self.position = position    # "file 2/12" in a project
        self.filter = "all"
        self.query_text = ""
        self.autosave_every = autosave_every
        self.prepared = threading.Event()  # QA flags and the scorer are ready (see ReviewSession.prepare)
        self._focus = focus
        self._saving = False

    # ----- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield TextLine(id="titles")
        yield TextLine(id="status")
        yield BeadTable(self.session, id="beads")
        yield DetailPanel(id="detail")
        yield Input(placeholder="search zh, vi or English (enter: apply, esc: clear)", id="search")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.table.focus()
        self.table.set_rows(self.session.visible(), self._focus or 0)
        self.table.post_message(BeadTable.Highlighted(self.table.current))
        self.query_one(KeyBar).set_keys([(key_label(k), label) for k, _, label, _ in ACTIONS if label])
        self.update_titlebar()
        if not self.session.read_only:
            self.set_interval(self.autosave_every, self.autosave)
        self.call_after_refresh(self._prepare)

    @property
    def table(self) -> BeadTable:
        return self.query_one(BeadTable)

    def update_titlebar(self) -> None:
        s = self.session
        bar = Text(no_wrap=True, overflow="ellipsis")
        if self.position:
            bar.append(f"{self.position}  ", "dim")
        bar.append(printable(s.title("zh")), "bold")
        bar.append("  ⇄  ")
        bar.append(printable(s.title("vi")), "bold")
        progress = s.progress
        line2 = Text(no_wrap=True, overflow="ellipsis")
        done = progress.links and progress.decided == progress.links
        line2.append(progress.line(), "bold green" if done else "bold")
        if self.prepared.is_set():
            line2.append(f" · QA {s.flagged_open()}")
        if self.filter != "all" or self.query_text:
            line2.append(f" · showing {len(self.table.rows)} ({FILTER_LABELS[self.filter]}"
                         + (f", “{printable(self.query_text)}”" if self.query_text else "") + ")")
        if self.table.marked is not None:
            line2.append(f" · linking bead {self.table.marked + 1}: press l on the other side's sentence",
                         "bold yellow")
        if s.read_only:
            line2.append(" · READ-ONLY" + (f": reviewed by {printable(self.locked_by)}" if self.locked_by else ""),
                         "bold red")
        elif s.dirty:
            line2.append(" · unsaved", "yellow")
        if not s.has_english:
            line2.append(" · no translation model: English columns empty", "italic")
        self.query_one("#titles", TextLine).update(bar)
        self.query_one("#status", TextLine).update(line2)

    def on_bead_table_highlighted(self, message: BeadTable.Highlighted) -> None:
        self.query_one(DetailPanel).show(self.session, message.index)

    def say(self, message: str, severity: str = "information") -> None:
        self.app.say(message, severity)

    # ----- work done ahead ----------------------------------------------------------------------
    def _prepare(self) -> None:
        self._prepare_in_thread()

    @work(thread=True, exit_on_error=False, group="prepare")
    def _prepare_in_thread(self) -> None:
        """QA flags of every bead and the scorer's signals, after the first paint (seconds on
        files of thousands of beads); edits that come first build what they need themselves."""
        try:
            self.session.prepare()
        finally:
            self.prepared.set()
            try:
                self.app.call_from_thread(self._prepared)
            except RuntimeError:
                pass  # the app is closing

    def _prepared(self) -> None:
        if self.is_attached:
            self.table.invalidate()
            self.update_titlebar()

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
        self.app.call_from_thread(self._written, error)

    def _written(self, error: str | None) -> None:
        self._saving = False
        if error:
            self.say(error, "error")
        if self.is_attached:
            self.update_titlebar()

    # ----- actions ------------------------------------------------------------------------------
    def action_confirm(self) -> None:
        self.edit(self.session.confirm)

    def action_reject(self) -> None:
        self.edit(self.session.reject)

    def action_next_decision(self) -> None:
        nxt = self.session.next_decision(-1 if self.table.current is None else self.table.current)
        if nxt is None:
            self.say("nothing left to decide: every link is confirmed or rejected, no undecided bead is flagged")
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

        self.app.push_screen(EditText(f"English of the {side} side", getattr(bead, f"{side}_text"),
                                      getattr(bead, f"{side}_en") or ""), done)

    def action_note(self) -> None:
        index = self.table.current
        if index is None:
            return
        bead = self.session.beads[index]

        def done(text: str | None) -> None:
            if text is not None:
                self.edit(self.session.set_note, text.strip())

        self.app.push_screen(EditText(f"Note on bead {index + 1}", bead.notation, bead.note), done)

    def action_fix(self, number: int) -> None:
        self.edit(self.session.fix_term_number, number)

    def action_add_term(self) -> None:
        index = self.table.current
        if index is None:
            return
        if self.session.read_only:
            self.say("opened read-only: the glossary is not changed from here", "warning")
            return
        bead = self.session.beads[index]

        def added(done: bool | None) -> None:
            if done:
                self.app.glossary = self.session.glossary
                self.table.invalidate()
                self.refresh_view()

        self.app.push_screen(AddTerm(self.session, bead.zh_text, bead.vi_text), added)

    def action_filter(self) -> None:
        current = self.filter if self.filter in FILTERS else "all"
        self.set_filter(FILTERS[(FILTERS.index(current) + 1) % len(FILTERS)])

    def set_filter(self, name: str) -> None:
        self.filter = name
        self.refresh_view()

    def action_set_filter(self, name: str) -> None:
        self.set_filter(name)

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

    def action_scroll_detail(self, lines: int) -> None:
        self.query_one(DetailPanel).scroll_relative(y=lines, animate=False)

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

    def action_concordance(self) -> None:
        self.app.open_concordance()

    def action_next_file(self) -> None:
        self.app.step_file(1)

    def action_previous_file(self) -> None:
        self.app.step_file(-1)

    def action_project(self) -> None:
        self.app.show_project()

    async def action_quit(self) -> None:
        await self.app.action_quit()
