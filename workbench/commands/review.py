"""Commands of the review feature: `workbench review`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from workbench.errors import WorkbenchError


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""

    @app.command("review")
    def review(
        files: list[Path] = typer.Argument(..., metavar="FILE", help="An aligned file, or a zh report and a vi report "
                                                     "(aligned first into aligned/)."),
        read_only: bool = typer.Option(False, "--read-only", help="Open without a lock; nothing is saved."),
        glossary: Path | None = typer.Option(None, "--glossary", help="Glossary folder (default: glossary/ "
                                                                      "when it exists)."),
    ) -> None:
        """Review an aligned pair in the terminal: confirm beads, fix alignments, English and terms."""
        from workbench import locking
        from workbench.review import ReviewSession

        if len(files) == 2:
            path = _align_first(*files)
        elif len(files) == 1:
            path = files[0]
        else:
            raise WorkbenchError("give one aligned file, or a zh report and a vi report")
        try:
            session = ReviewSession.open(path, read_only=read_only, glossary_dir=glossary)
        except locking.FileLocked as exc:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                raise
            typer.echo(f"error: {exc}", err=True)
            if not typer.confirm("Open it read-only instead?", default=True):
                raise typer.Exit(2) from None
            session = ReviewSession.open(path, read_only=True, glossary_dir=glossary)
        if session.lock is not None and session.lock.took_over:
            typer.echo(f"note: took over a stale lock left by pid {session.lock.took_over.get('pid')}", err=True)
        if session.restored:
            typer.echo(f"{path}: restored {session.restored} edits from the journal of a review that "
                       f"did not end (they are saved now)", err=True)
        from workbench.tui.app import ReviewApp

        app = ReviewApp(session)
        try:
            app.run()
        finally:
            app.close_session()
        if app.save_error is not None and session.journal is not None:
            raise WorkbenchError(f"{app.save_error}; every edit is kept in {session.journal.file.name} and "
                                 f"is restored when the file is opened again")
        if app.ended_by is not None:  # saved and unlocked; the terminal may be gone, so print nothing
            raise typer.Exit(128 + app.ended_by)
        if not session.read_only:
            done, total = session.progress
            typer.echo(f"{path}: confirmed {done}/{total}")


def _align_first(zh_file: Path, vi_file: Path) -> Path:
    """Align the pair into aligned/, unless an aligned file for it is already there (it may hold reviews)."""
    from workbench.display import printable
    from workbench.pipeline import align_pair, load_glossary_if_any, reports_changed
    from workbench.store import aligned_name

    existing = None
    for first, second in ((zh_file, vi_file), (vi_file, zh_file)):
        if (Path("aligned") / aligned_name(first, second)).is_file():
            existing = Path("aligned") / aligned_name(first, second)
            if not reports_changed(existing, zh_file, vi_file):
                typer.echo(f"reviewing the existing {printable(existing)}", err=True)
                return existing
            break
    summary = align_pair(zh_file, vi_file, out_dir=Path("aligned"), out=existing, mt="auto",
                         glossary=load_glossary_if_any(None), notify=lambda m: typer.echo(printable(m), err=True))
    for line in summary.review_lines():  # the reports changed: aligned again, keeping the review
        typer.echo(line, err=True)
    return summary.out
