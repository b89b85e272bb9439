"""Work off the app's event loop that can never keep the app from exiting.

Two ways a review once outlived `q` or a closed terminal:

- a worker thread handing its result back with Textual's `call_from_thread`, which
  waits for the event loop to run it: when the app is exiting the loop never does,
  while the loop's shutdown waits for that very thread (all threads waiting);
- work of seconds (QA flags and the scorer's signals of a large file) in the loop's
  thread pool, which the exit waits for.

So results come back with `hand_back` (queued, never waited for), computing that
writes nothing runs in a daemon thread (`in_daemon_thread`), and once the session is
saved an `ExitWatchdog` ends the process if it is still there after a grace period.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from typing import Any

from textual.message import Message

EXIT_GRACE_SECONDS = 2.0


class HandBack(Message):
    """A callback to run on the app's event loop, sent from another thread."""

    def __init__(self, callback: Callable[..., Any], args: tuple) -> None:
        super().__init__()
        self.callback = callback
        self.args = args


def hand_back(app, callback: Callable[..., Any], *args: Any) -> bool:
    """Run `callback(*args)` on `app`'s loop soon (the app handles `HandBack`); never waits.
    False when the app is closing (the result is no longer wanted)."""
    try:
        return app.post_message(HandBack(callback, args))
    except RuntimeError:  # the event loop is closed
        return False


def in_daemon_thread(target: Callable[[], None], name: str) -> threading.Thread:
    """Start `target` in a daemon thread: the process exits without waiting for it (it must write nothing)."""
    thread = threading.Thread(target=target, name=name, daemon=True)
    thread.start()
    return thread


class ExitWatchdog:
    """Ends the process with `code` unless it has exited `seconds` after `arm` (the session is saved by then).

    Off unless `enabled`: only the `review` command owns its process (an app driven by
    tests or embedded elsewhere must not end it).
    """

    def __init__(self, enabled: bool = False) -> None:
        self.enabled = enabled
        self._timer: threading.Timer | None = None

    def arm(self, code: int, seconds: float = EXIT_GRACE_SECONDS) -> None:
        self.cancel()
        if not self.enabled:
            return
        self._timer = threading.Timer(seconds, self._fire, args=(code,))
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    @staticmethod
    def _fire(code: int) -> None:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


def terminal_gone() -> bool:
    """Whether the app's terminal hung up (closed window, dropped ssh): it answers nothing then."""
    import termios

    try:
        termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError):
        return True
    return False
