"""The source normalisation the opus-mt models were trained on, applied before SentencePiece.

OPUS-MT-train (the Helsinki-NLP recipes behind `Helsinki-NLP/opus-mt-*`)
prepares SentencePiece models' data the same way for every source language
(`PRE=simple` in lib/config.mk, lib/preprocess.mk; the released models ship it
as `preprocess.sh`, scripts/preprocess-spm.sh):

1. Moses' replace-unicode-punctuation: full-width and CJK punctuation to ASCII
   (，→,  。→". "  、→,  “”→"  《》→"  ：→:  ？→?  ！→!  （）→()  ；→;
   「」→"  ０-９→0-9  ．→". "  ～→~  ’→'  …→...  【】→[]  ％→%  〈〉→<>);
2. zero-width characters (U+200B, U+2060, U+FEFF) deleted, every other
   control or format character replaced by a space;
3. runs of spaces collapsed, the ends trimmed.

Step 1 comes from sacremoses (`MosesPunctNormalizer.replace_unicode_punct`, its
port of the Moses script), which maps full-width １ to 1 where the Perl script
(and hence the training data) has a typo mapping it to a quote. There is no
language-specific step for Chinese or Vietnamese: Moses' normalize-punctuation
(what `MarianTokenizer.normalize` would apply, but `MarianTokenizer` never calls
it) belongs to the recipes for tokenised, not SentencePiece, models.
"""

from __future__ import annotations

import re
from functools import lru_cache

from workbench.translate.memory import normalise

VERSION = "opus-mt-train-spm-1"  # part of the memory key: a change here retranslates
_ZERO_WIDTH = re.compile("[\u200b\u2060\ufeff]")


@lru_cache(maxsize=1)
def _replace_punct():
    from sacremoses import MosesPunctNormalizer

    return MosesPunctNormalizer().replace_unicode_punct


@lru_cache(maxsize=1)
def _control():
    import regex  # a dependency of sacremoses; the standard re has no \p{C}

    return regex.compile(r"\p{C}")


def opus_mt_normalise(text: str) -> str:
    """`text` as the opus-mt models saw their training data (see the module docstring)."""
    text = _replace_punct()(normalise(text))
    text = _control().sub(" ", _ZERO_WIDTH.sub("", text))
    return normalise(text)
