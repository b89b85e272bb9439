"""The project view: every aligned file of a folder with its progress; enter opens one."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable

from workbench.display import printable
from workbench.review.project import FileStatus, Project, file_status, holder_text
from workbench.review.session import Progress
from workbench.tui.widgets import KeyBar, TextLine

COLUMNS = ("#", "file", "links ✓", "✗", "unaligned zh", "vi", "state")
BATCH = 25  # rows filled per screen update while the statuses load


def _cells(number: int, status: FileStatus) -> list:
    name = Text(printable(status.path.name), no_wrap=True, overflow="ellipsis")
    p = status.progress
    if status.error:
        return [str(number), name, "", "", "", "", Text(printable(status.error), "red")]
    if p is None:
        return [str(number), name, "…", "", "", "", ""]
    links = Text(f"{p.confirmed}/{p.links}", "bold green" if p.links and p.decided == p.links else "")
    state = Text(f"reviewed by {printable(holder_text(status.holder))}: opens read-only", "yellow") \
        if status.holder else Text("done" if p.links and p.decided == p.links else "")
    return [str(number), name, links, str(p.rejected or ""), str(p.unaligned_zh), str(p.unaligned_vi), state]


class ProjectScreen(Screen[None]):
    """The aligned files of the project, their progress read in a worker thread (first paint
    does not wait for 500 files to be read)."""

    BINDINGS = [
        Binding("o", "open", "open", show=False),  # enter: the table's own row selection
        Binding("ctrl+f", "concordance", "all files", show=False),
        Binding("q", "quit", "quit", show=False),
    ]

    def __init__(self, project: Project, focus: Path | None = None) -> None:
        super().__init__()
        self.project = project
        self.statuses: list[FileStatus] = [FileStatus(p) for p in project.files]
        self.loaded = 0  # statuses read so far
        self._focus = focus

    def compose(self) -> ComposeResult:
        yield TextLine(id="titles")
        yield TextLine(id="status")
        yield DataTable(id="files", cursor_type="row", zebra_stripes=True)
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # the file name gives way first, so the progress columns fit a narrow terminal
        longest = max((len(printable(s.path.name)) for s in self.statuses), default=4)
        others = sum(len(c) + 2 for c in COLUMNS if c != "file") + len(str(len(self.statuses))) + 12
        for column in COLUMNS:
            width = max(16, min(longest, self.app.size.width - others)) if column == "file" else None
            table.add_column(column, key=column, width=width)
        table.add_rows(_cells(i + 1, s) for i, s in enumerate(self.statuses))
        at = self.project.index(self._focus) if self._focus is not None else None
        if at is not None:
            table.move_cursor(row=at, animate=False)
        table.focus()
        self.query_one(KeyBar).set_keys([("enter", "open"), ("^f", "search all files"), ("q", "quit")])
        self.update_titlebar()
        self._load()

    def update_titlebar(self) -> None:
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append("workbench review  ", "bold")
        title.append(printable(f"{self.project.folder}/"), "bold")
        title.append(f"  {len(self.statuses)} aligned file{'s' if len(self.statuses) != 1 else ''}")
        total = Progress()
        for s in self.statuses:
            if s.progress is not None:
                for name in ("links", "confirmed", "rejected", "unaligned_zh", "unaligned_vi", "beads"):
                    setattr(total, name, getattr(total, name) + getattr(s.progress, name))
        status = Text(no_wrap=True, overflow="ellipsis")
        if not self.statuses:
            status.append(f"no aligned files here: `workbench run FOLDER --out-dir {printable(self.project.folder)}` "
                          "aligns a folder of reports", "italic")
        else:
            status.append(f"all files: {total.line()}", "bold")
            if self.loaded < len(self.statuses):
                status.append(f" · reading {self.loaded}/{len(self.statuses)}", "dim")
        self.query_one("#titles", TextLine).update(title)
        self.query_one("#status", TextLine).update(status)

    @work(thread=True, exit_on_error=False, group="statuses")
    def _load(self) -> None:
        batch: list[tuple[int, FileStatus]] = []
        for i, path in enumerate(self.project.files):
            batch.append((i, file_status(path)))
            if len(batch) >= BATCH or i == len(self.project.files) - 1:
                done, batch = batch, []
                try:
                    self.app.call_from_thread(self._fill, done)
                except RuntimeError:
                    return  # the app is closing

    def _fill(self, done: list[tuple[int, FileStatus]]) -> None:
        if not self.is_attached:
            return
        table = self.query_one(DataTable)
        for i, status in done:
            self.statuses[i] = status
            for column, value in zip(COLUMNS, _cells(i + 1, status)):
                table.update_cell_at((i, COLUMNS.index(column)), value)
        self.loaded += len(done)
        self.update_titlebar()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not self.statuses:
            return
        status = self.statuses[table.cursor_row]
        if status.error:
            self.app.say(status.error, "error")
            return
        self.app.open_file(status.path)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_open()

    def action_concordance(self) -> None:
        self.app.open_concordance()

    async def action_quit(self) -> None:
        await self.app.action_quit()
