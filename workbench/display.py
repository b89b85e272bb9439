"""Text from reports and file names shown on a terminal: literally, never as codes or markup.

A scraped page can hold escape sequences (OSC 52 sets the clipboard, CSI 2J wipes
the screen), bidirectional overrides that reorder what is shown, and text that
looks like Rich markup (`[link=…]`). Everything that reaches the terminal from a
report, a glossary or a file name goes through `printable` (plain output) or
`markup_safe` (Rich output), so it is shown as written and cannot act.
"""

from __future__ import annotations

import re

from rich.markup import escape

# C0 controls but tab and newline, DEL, C1 controls, line/paragraph separators, and the
# bidirectional embedding/override/isolate marks.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode control pictures: ␛ for ESC, ␇ for BEL
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"


def printable(text: object) -> str:
    """`text` with every control, separator and bidi-override character made visible."""
    return _UNSAFE.sub(_visible, str(text))


def markup_safe(text: object) -> str:
    """`printable(text)` with Rich markup escaped, for strings given to a Rich console."""
    return escape(printable(text))


def has_unsafe(text: str) -> bool:
    """Whether `text` holds a character `printable` would change."""
    return _UNSAFE.search(text) is not None


def json_text(data: object, terminal: bool | None = None) -> str:
    """`data` as indented JSON (UTF-8 text as is); for a terminal (default: whether stdout is
    one), every character `printable` would change is written as its `\\uXXXX` escape, so the
    JSON reads back the same but a bidi override or a C1 control from a report cannot act.
    JSON to a pipe or file stays byte-exact."""
    import json
    import sys

    text = json.dumps(data, ensure_ascii=False, indent=2)
    if terminal is None:
        terminal = sys.stdout.isatty()
    # Outside strings JSON holds only ASCII punctuation and whitespace, so every match is in a string.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if terminal else text
