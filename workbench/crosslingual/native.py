"""Everyday Chinese words with their native Vietnamese translations (吃 ăn, 知道 biết).

Sino-Vietnamese readings make formal vocabulary match across the two languages, but the
everyday words of talks, posts and dialogue are native Vietnamese: 我们说 is "chúng tôi
nói", not "ngã môn thuyết". `data/zh_vi_native.tsv` lists a few hundred such words; a
Chinese sentence is cut into words by jieba's dictionary segmentation, and each listed word
gives its Vietnamese translations; a word not listed counts only when it is made wholly of
listed words (吃饭 = 吃 + 饭, but 中 in 中国 is not the word 中 "trong").
"""

from __future__ import annotations

import logging
import unicodedata
from functools import lru_cache
from importlib import resources

from workbench.textfacts import HAN_RUN


@lru_cache(maxsize=1)
def lexicon() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Chinese word -> its translations, each a tuple of lowercase Vietnamese syllables."""
    text = resources.files("workbench").joinpath("data", "zh_vi_native.tsv").read_text(encoding="utf-8")
    table: dict[str, tuple[tuple[str, ...], ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        zh, vi = line.split("\t")[:2]
        table[zh.strip()] = tuple(tuple(unicodedata.normalize("NFC", g).lower().split())
                                  for g in vi.split("|") if g.strip())
    return table


@lru_cache(maxsize=8192)
def glosses(text: str) -> tuple[tuple[tuple[str, ...], ...], ...]:
    """The translations of each listed word of `text`, in order of the words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it announces building its dictionary on first use
    table = lexicon()
    out = []
    for run in HAN_RUN.findall(text):
        for word in jieba.cut(run, HMM=False):
            out.extend(table[piece] for piece in _listed_pieces(word, table))
    return tuple(out)


def _listed_pieces(word: str, table: dict) -> list[str]:
    """`word` itself if listed, else its cut into listed words (longest first: 吃饭 = 吃 + 饭)
    when there is one; [] when some part is not listed (中 of 中国 is not the word 中)."""
    pieces, i = [], 0
    while i < len(word):
        for n in range(min(4, len(word) - i), 0, -1):
            if word[i:i + n] in table:
                pieces.append(word[i:i + n])
                i += n
                break
        else:
            return []
    return pieces
