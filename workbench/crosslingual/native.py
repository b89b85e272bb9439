"""Everyday Chinese words with their native Vietnamese translations (吃 ăn, 知道 biết).

Sino-Vietnamese readings make formal vocabulary match across the two languages, but the
everyday words of talks, posts and dialogue are native Vietnamese: 我们说 is "chúng tôi
nói", not "ngã môn thuyết". `data/zh_vi_native.tsv` lists about a thousand such words. A
Chinese sentence is read by longest match against the list (知道 before 知), and each
listed word gives its Vietnamese translations. Longest match over the list, not a general
word segmenter, because a listed character inside an unlisted word usually still means
itself (人 in 中国人, 看 in 看起来): on every dev set it found more true links than
jieba's words did. The list is in simplified characters; a traditional-character text
(們, 這, 說) is read through OpenCC's traditional-to-simplified conversion first.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from importlib import resources

from workbench.textfacts import HAN_RUN, simplified


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
    table = lexicon()
    longest = max(map(len, table))
    out = []
    for run in HAN_RUN.findall(simplified(text)):
        i = 0
        while i < len(run):
            for n in range(min(longest, len(run) - i), 0, -1):
                if run[i:i + n] in table:
                    out.append(table[run[i:i + n]])
                    i += n
                    break
            else:
                i += 1
    return tuple(out)
