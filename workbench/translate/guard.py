"""Output bounded by input, loops stopped, and every suspicious output flagged.

Real opus-mt weights fail in known ways: a degenerate hypothesis ("no, no, no,
...", transformers#12616; zh-en repeats, Helsinki-NLP/Opus-MT#105) that would
hold a whole batch to `max_length` 512; empty output for valid Chinese; parts of
long inputs dropped. So:

- **Length bound**: a batch decodes at most `a * n + b` new tokens (default
  1.5n + 10), n its longest source in tokens; each sentence's output is then
  held to its own bound, so the result does not depend on the batch it was in.
- **Loop stop**: a hypothesis whose last tokens repeat one unit (up to
  `MAX_PERIOD` tokens) enough times ends there: the PyTorch backend forces `</s>`
  in the decoder (a logits processor, so beam search drops it), CTranslate2
  output is cut at the same token (identical for greedy decoding). Units of
  words must repeat 3 times (4 for a single token); units without letters 6
  times, so "1,000,000,000" is no loop. `no_repeat_ngram_size` is not used: it
  forbids the legitimate repeats of news English ("Ho Chi Minh City ... Ho Chi
  Minh City").
- **Flags** on each output (`FLAGS`); a flagged output is shown as an MT
  warning and never stored in the translation memory as good.
"""

from __future__ import annotations

import math
from typing import Sequence

FLAGS = {
    "empty": "no English for a non-empty source",
    "length_ratio": "output length out of proportion to the source",
    "repetition": "the output repeats itself",
    "truncated_input": "the source was cut to the model's input limit",
}
MAX_PERIOD = 6
MIN_RATIO = 0.35  # output/source tokens below this (for sources of MIN_RATIO_SOURCE+ tokens)
MIN_RATIO_SOURCE = 8


def length_bound(source_tokens: int, bound: tuple[float, int], cap: int) -> int:
    """Most new tokens (without `</s>`) for a source of `source_tokens` tokens."""
    a, b = bound
    return max(1, min(cap, math.ceil(a * source_tokens + b)))


def _repeats_needed(unit: Sequence[str]) -> int:
    if not any(ch.isalpha() for piece in unit for ch in piece):
        return 6
    return 4 if len(unit) == 1 else 3


def loop_period(tokens: Sequence[str], end: int | None = None) -> int:
    """The period of the loop `tokens[:end]` ends in, or 0."""
    n = len(tokens) if end is None else end
    for p in range(1, MAX_PERIOD + 1):
        unit = tokens[n - p:n]
        need = _repeats_needed(unit)
        if n < p * need:
            continue
        if all(tokens[n - (k + 1) * p:n - k * p] == unit for k in range(1, need)):
            return p
    return 0


def loop_end(tokens: Sequence[str]) -> int | None:
    """Length of the shortest prefix of `tokens` that ends in a loop, or None."""
    tokens = list(tokens)
    for i in range(2, len(tokens) + 1):
        if loop_period(tokens, i):
            return i
    return None


def flags_for(source_tokens: int, output: Sequence[str], english: str, bound: int,
              truncated_to: int | None) -> list[str]:
    """MT warnings ("flag: detail") for one output of `len(output)` tokens."""
    out: list[str] = []
    if truncated_to:
        out.append(f"truncated_input: the source was cut to the model's limit of {truncated_to} tokens")
    if not english.strip():
        out.append("empty: no English for a non-empty source")
    end = loop_end(output)
    if end is not None:
        period = loop_period(list(output), end)
        unit = "".join(output[end - period:end]).replace("\u2581", " ").strip()
        out.append(f"repetition: the English repeats {unit!r} in a loop")
    if len(output) >= bound:
        out.append(f"length_ratio: stopped at the length bound ({bound} tokens for a source of "
                   f"{source_tokens})")
    elif english.strip() and source_tokens >= MIN_RATIO_SOURCE and len(output) < MIN_RATIO * source_tokens:
        out.append(f"length_ratio: {len(output)} tokens of English for a source of {source_tokens}: "
                   "part of the sentence is probably missing")
    return out
