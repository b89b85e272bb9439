"""SIGTERM handled as Ctrl-C is: a long job stops the same way whichever of the two ends it.

`kill PID`, a closed session or a service manager sends SIGTERM; Python's default is
to die at once, without the `finally` blocks that let running pairs finish writing
and without a word. Inside `terminate_as_interrupt()` SIGTERM raises `Terminated`, a
KeyboardInterrupt, so the code that handles Ctrl-C handles it too (exit 143 = 128 + 15).
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """The process was sent SIGTERM."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated()


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM raises `Terminated` (in the main thread; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
