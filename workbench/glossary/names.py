"""Vietnamese personal names in text, their English form, and Sino-Vietnamese readings."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from workbench.crosslingual import hanviet
from workbench.textfacts import VI_SURNAMES, capitalised_runs, fold_accents, is_capitalised, vi_name_spans
from workbench.textfacts import strip_tones as toneless

__all__ = ["VI_SURNAMES", "capitalised_runs", "english_name", "is_capitalised", "name_reading", "readings",
           "toneless", "vi_name_spans"]


def english_name(vi: str) -> str:
    """The English form of a Vietnamese name: the same letters without marks (Phan Văn Mãi -> Phan Van Mai)."""
    return fold_accents(unicodedata.normalize("NFC", vi))


@lru_cache(maxsize=None)
def readings(ch: str) -> tuple[str, ...]:
    """Toneless Sino-Vietnamese readings of a Han character (empty when unknown)."""
    return tuple(toneless(r) for r in hanviet.readings(ch))


def name_reading(zh: str) -> str:
    """Reading of a Han name with tone marks and capitals (潘文迈 -> Phan Văn Mại), for evidence."""
    return hanviet.name_reading(zh)
