"""Length-sorted batches under a token budget.

Sorting by length puts sentences of similar length together, so padding (work
the model does for nothing) stays small; the budget bounds the padded size of
each batch (sentences x longest sentence), which bounds memory and keeps the
decoder's batch large where sentences are short.
"""

from __future__ import annotations


def make_batches(lengths: list[int], max_tokens: int, max_sentences: int = 64) -> list[list[int]]:
    """Indices into `lengths`, grouped so that len(batch) * max(length) <= max_tokens.

    Longest first (an out-of-memory shows at once, not at the end); a sentence
    longer than the budget gets a batch of its own.
    """
    if max_tokens < 1 or max_sentences < 1:
        raise ValueError("max_tokens and max_sentences must be positive")
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for i in order:
        size = max(lengths[i], 1)
        width = max(longest, size)
        if current and (width * (len(current) + 1) > max_tokens or len(current) >= max_sentences):
            batches.append(current)
            current, width = [], size
        current.append(i)
        longest = width
    if current:
        batches.append(current)
    return batches
