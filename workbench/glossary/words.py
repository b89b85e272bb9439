"""Word boundaries of Chinese text (jieba's dictionary segmentation), so a term picked out of a
report is a whole word or a run of whole words, never a piece of one (副市 of 副市长)."""

from __future__ import annotations

import logging
from functools import lru_cache


@lru_cache(maxsize=4096)
def zh_word_bounds(text: str) -> frozenset[int]:
    """Offsets in `text` where a word starts or ends (0 and len(text) included)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it announces building its dictionary on first use
    bounds = {0, len(text)}
    for _, start, end in jieba.tokenize(text):
        bounds.update((start, end))
    return frozenset(bounds)


def whole_words(text: str, start: int, end: int) -> bool:
    """Whether `text[start:end]` begins and ends on word boundaries."""
    bounds = zh_word_bounds(text)
    return start in bounds and end in bounds
