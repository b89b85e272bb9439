"""The review app: the project view of aligned files and the review screen of one of them.

A thin Textual face over `workbench.review.session.ReviewSession` (one file) and
`workbench.review.project.Project` (the aligned files of a folder). One file is open at a
time: moving to another file saves and unlocks the current one first, and the next
is opened under the same rules as from the command line (its lock taken, its
journal replayed; a file someone else reviews opens read-only, marked so).
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from textual.app import App, SystemCommand
from textual.screen import Screen

from workbench.display import printable
from workbench.errors import WorkbenchError
from workbench.review.project import Project, holder_text, same_file
from workbench.review.session import Progress, ReviewSession
from workbench.tui.project_screen import ProjectScreen
from workbench.tui.review_screen import ACTIONS, FILTER_COMMANDS, ReviewScreen, key_label


@dataclass
class Closed:
    """A file reviewed in this run of the app, as it was left."""

    path: Path
    progress: Progress
    read_only: bool
    save_error: OSError | None = None
    journal: Path | None = None


class ReviewApp(App[None]):
    """Review aligned pairs: one file given (its folder is the project), or the project view first."""

    CSS_PATH = "review.tcss"
    TITLE = "workbench review"

    def __init__(self, session: ReviewSession | None = None, *, project: Project | None = None,
                 read_only: bool = False, glossary_dir: str | Path | None = None, glossary: Any = None,
                 autosave_every: float = 0.25) -> None:
        super().__init__()
        if session is None and project is None:
            raise ValueError("give a session or a project")
        self._first = session
        self.project = project
        self.read_only = read_only  # every file opened read-only (--read-only)
        self.glossary_dir = glossary_dir  # --glossary, if given (else each file finds glossary/ itself)
        self.glossary = glossary if glossary is not None else (session.glossary if session else None)
        self.autosave_every = autosave_every
        self.closed: list[Closed] = []
        self.ended_by: int | None = None  # the signal (SIGTERM, SIGHUP) that ended the review, if any

    # ----- screens ------------------------------------------------------------------------------
    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.add_signal_handler(signum, self._end_by_signal, signum)
        if self._first is not None:
            self.push_screen(self._review_screen(self._first))
            if self._first.restored:
                self.say(f"restored {self._first.restored} edits from the journal of a review that did not end")
        else:
            self.push_screen(ProjectScreen(self.project))

    @property
    def review(self) -> ReviewScreen | None:
        """The review screen of the open file, if a file is open."""
        return next((s for s in reversed(self.screen_stack) if isinstance(s, ReviewScreen)), None)

    @property
    def session(self) -> ReviewSession | None:
        review = self.review
        return review.session if review is not None else None

    @property
    def table(self):
        return self.review.table

    @property
    def filter(self) -> str:
        return self.review.filter

    def _project(self) -> Project:
        """The project given, else the folder of the first file opened."""
        if self.project is None:
            first = self.session or self._first
            path = first.path if first is not None else None
            self.project = Project.around(path) if path is not None else Project(Path("."), [])
        return self.project

    def _review_screen(self, session: ReviewSession, locked_by: str | None = None,
                       focus: int | None = None) -> ReviewScreen:
        position = ""
        if session.path is not None:
            project = self._project() if self.project is not None else Project.around(session.path)
            self.project = project
            at = project.index(session.path)
            if at is not None and len(project.files) > 1:
                position = f"file {at + 1}/{len(project.files)}"
        return ReviewScreen(session, locked_by=locked_by, position=position, focus=focus,
                            autosave_every=self.autosave_every)

    def open_file(self, path: Path, bead: int | None = None) -> bool:
        """Close the open file (saved, unlocked) and open `path`, at bead `bead`; False if refused."""
        from workbench.store import locking

        current = self.session
        if current is not None and current.path is not None and same_file(current.path, path):
            if bead is not None:
                self.review.filter, self.review.query_text = "all", ""
                self.review.refresh_view(bead)
            return True
        self.close_session()
        locked_by = None
        try:
            try:
                session = ReviewSession.open(path, read_only=self.read_only, glossary_dir=self.glossary_dir,
                                             glossary=self.glossary)
            except locking.FileLocked as exc:
                locked_by = holder_text(exc.holder)
                session = ReviewSession.open(path, read_only=True, glossary_dir=self.glossary_dir,
                                             glossary=self.glossary)
            except locking.LockUnavailable as exc:
                locked_by = f"nobody (no lock possible: {exc.reason})"
                session = ReviewSession.open(path, read_only=True, glossary_dir=self.glossary_dir,
                                             glossary=self.glossary)
        except WorkbenchError as exc:
            self.say(str(exc), "error")
            return False
        screen = self._review_screen(session, locked_by, bead)
        if self.review is not None or isinstance(self.screen, ProjectScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        if locked_by:
            self.say(f"{path}: opened read-only, reviewed by {locked_by}", "warning")
        if session.restored:
            self.say(f"restored {session.restored} edits from the journal of a review that did not end")
        return True

    def step_file(self, step: int) -> None:
        session = self.session
        if session is None or session.path is None:
            return
        target = self._project().neighbour(session.path, step)
        if target is None:
            self.say(f"this is the {'last' if step > 0 else 'first'} file of {printable(self._project().folder)}/")
            return
        self.open_file(target)

    def show_project(self) -> None:
        """Back to the project view (the open file is saved and unlocked first)."""
        current = self.session.path if self.session is not None else None
        self.close_session()
        self.switch_screen(ProjectScreen(self._project(), focus=current))

    def open_concordance(self) -> None:
        from workbench.tui.screens import Concordance

        project = self._project()
        paths = project.files or ([self.session.path] if self.session is not None else [])
        glossary = self.session.glossary if self.session is not None else self.glossary

        def chosen(hit) -> None:
            if hit is not None:  # once the dialog is gone: opening may replace the review screen
                self.call_after_refresh(self.open_file, hit.path, hit.index)

        self.push_screen(Concordance(paths, glossary), chosen)

    # ----- the command palette ------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        if isinstance(screen, ReviewScreen):
            for keys, action, _, title in ACTIONS:
                if action == "quit":
                    continue
                yield SystemCommand(f"{title} ({key_label(keys)})", title,
                                    lambda action=action, screen=screen: screen.run_action(action))
            for name, title in FILTER_COMMANDS:
                yield SystemCommand(title, f"Show only: {title[8:]}",
                                    lambda name=name, screen=screen: screen.set_filter(name))
        elif isinstance(screen, ProjectScreen):
            yield SystemCommand("Open the selected file (enter)", "Review the file under the cursor",
                                screen.action_open)
            yield SystemCommand("Concordance: search every aligned file (^f)", "Glossary terms and readings too",
                                self.open_concordance)

    def say(self, message: str, severity: str = "information") -> None:
        """A notification shown literally (messages hold file names and report text)."""
        self.notify(printable(message), severity=severity, markup=False)

    # ----- closing ------------------------------------------------------------------------------
    async def action_quit(self) -> None:
        self.close_session()
        self.exit()

    def on_unmount(self) -> None:
        self.close_session()  # also on ctrl+c or an error: never leave edits unsaved
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGHUP):
            loop.remove_signal_handler(signum)

    def close_session(self) -> None:
        """Save and unlock the open file, once. A save that fails (a full disk) leaves the edits in
        the journal; the error is kept for the command to report after the screen is gone."""
        session = self.session if self.review is not None else self._first
        if session is None or session.closed:
            return
        record = Closed(session.path, session.progress, session.read_only,
                        journal=session.journal.file if session.journal is not None else None)
        try:
            session.close()
        except OSError as exc:
            record.save_error = exc
        self.glossary = session.glossary
        if session.path is not None:
            self.closed.append(record)

    @property
    def save_error(self) -> OSError | None:
        return next((c.save_error for c in self.closed if c.save_error is not None), None)

    def _end_by_signal(self, signum: int) -> None:
        """SIGTERM, or SIGHUP (the terminal closed, ssh dropped): save, release the lock, exit.

        Saved first, before anything is drawn: the terminal may be gone.
        """
        self.ended_by = signum
        self.close_session()
        self.exit()


def run(session: ReviewSession) -> None:
    ReviewApp(session).run()
