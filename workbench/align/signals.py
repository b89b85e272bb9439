"""Similarity signals between the sentences of two documents.

Every bag-like signal turns the sentences of both sides into non-negative sparse
vectors in one shared feature space. The similarity of a bead (one or more
sentences a side) is then the cosine of the *summed* vectors, which is the
similarity of the concatenated text: merged beads are scored on their joint
content, not averaged. Features are weighted by inverse document frequency over
the sentences of both documents, so rare words, names and numbers count most
(this is what removes most of the "hub" sentences that resemble everything).

Signals:
- ``english``: character 2–4-grams of the English of both sides (chrF-like);
- ``words``: the same English as words cut to five letters (a crude stemmer);
- ``cognate``: Sino-Vietnamese readings of the Chinese side against the
  Vietnamese syllables, as syllable unigrams and bigrams, toneless and toned, plus the
  native Vietnamese translations of the Chinese side's everyday words (`native_bag`);
- ``anchor``: numbers, dates, Latin-script names and acronyms;
- glossary entries matched in a sentence join the text signals as extra
  features (see `build_signals`);
- ``embed`` (dense, not a bag): all-MiniLM-L6-v2 sentence embeddings of the
  English of both sides (`workbench.align.embed`), every run of up to
  `EMBED_WINDOW` consecutive sentences embedded as one text, so a bead is scored
  on its concatenated text as Bertalign does; skipped when the model package is
  not installed or a side has no English;
- length (not a vector): agreement of the two lengths, in characters of the
  English when both sides have some (the MT's length predicts the target's far
  better than the Chinese character count), else of the texts with the
  documents' length ratio (Gale & Church's model).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Sequence

import numpy as np
from scipy import sparse

from workbench.crosslingual import hanviet, native
from workbench.crosslingual.hanviet import _tone_key as tone_key  # tone as a digit, wherever the mark sits
from workbench.crosslingual.anchors import extract_anchors
from workbench.textfacts import HAN as _HAN

# Characters of one language that correspond to one English character (spaces not
# counted): the prior length ratio of a language pair, used where the documents do not
# give their own (comparable mode; auto mode with few matching sentences). Medians over
# sentences of news translated from English (dev-zhvi: zh 0.41, vi 1.03); literary
# Chinese runs longer (MAC chapters: 0.30), which is why the aligners measure each
# pair's own ratio whenever they can.
CHARS_PER_EN = {"en": 1.0, "vi": 1.03, "zh": 0.41}

_EN_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_LATIN_RUN = re.compile(r"[A-Za-z0-9\u00C0-\u024F\u1E00-\u1EFF]+")


IDF_POWER = 0.75  # dev set: 0.75 beat 0.5 and 1.0 (rare n-grams matter, but not all)


@dataclass
class Signal:
    """One bag-like signal: sparse vectors of both sides in a shared space."""

    name: str
    src: sparse.csr_matrix  # n x F, non-negative
    tgt: sparse.csr_matrix  # m x F, non-negative
    weight: float
    always_present: bool  # False: a bead with no features on either side gives no evidence


@dataclass
class DenseSignal:
    """Sentence embeddings of both sides; `src[size][r]` embeds sentences r..r+size-1 as one
    text (unit rows), so a bead is scored on its concatenated text, as Bertalign does."""

    name: str
    src: dict[int, np.ndarray]
    tgt: dict[int, np.ndarray]
    weight: float
    floor: float  # cosine of unrelated sentences, rescaled to 0


CHUNK = 2048  # sentences turned into sparse rows at a time
_MAX_COLS = 2**31 - 1  # columns of a chunk before the vocabulary's size is known


def _rows(bags: Iterable[Iterable | Counter], vocab: dict) -> sparse.csr_matrix:
    """Bags of features (a Counter, or a list with repeats) -> count rows over `vocab`
    (feature -> column, grown as new features come). Built a chunk of sentences at a
    time, so only one chunk's Python objects are alive at once."""
    parts: list[sparse.csr_matrix] = []
    cols: list[int] = []
    vals: list[float] = []
    ptr = [0]

    def flush() -> None:
        if len(ptr) > 1:
            parts.append(sparse.csr_matrix((np.array(vals, np.float32), np.array(cols, np.int32),
                                            np.array(ptr, np.int64)), shape=(len(ptr) - 1, _MAX_COLS)))
        cols.clear(), vals.clear(), ptr.clear(), ptr.append(0)

    for bag in bags:
        counts = bag if isinstance(bag, dict) else Counter(bag)
        cols.extend(vocab.setdefault(f, len(vocab)) for f in counts)
        vals.extend(counts.values())
        ptr.append(len(cols))
        if len(ptr) > CHUNK:
            flush()
    flush()
    if not parts:
        return sparse.csr_matrix((0, 1), dtype=np.float32)
    return sparse.vstack(parts, format="csr")


def vectorise(src_bags: Iterable[Iterable | Counter], tgt_bags: Iterable[Iterable | Counter],
              idf: bool = True) -> tuple[sparse.csr_matrix, sparse.csr_matrix]:
    """Bags of features (a Counter, or a list with repeats; any iterable, consumed once)
    -> tf-idf sparse matrices (float32) in one shared feature space."""
    vocab: dict = {}
    out = [_rows(src_bags, vocab), _rows(tgt_bags, vocab)]
    n_feat = max(1, len(vocab))
    del vocab
    out = [sparse.csr_matrix((m.data, m.indices, m.indptr), shape=(m.shape[0], n_feat)) for m in out]
    if idf and n_feat:
        df = np.zeros(n_feat)
        for mat in out:
            df += np.bincount(mat.indices, minlength=n_feat)
        n_docs = out[0].shape[0] + out[1].shape[0]
        weights = ((np.log((1 + n_docs) / (1 + df)) + 1.0) ** IDF_POWER).astype(np.float32)
        for mat in out:
            mat.data *= weights[mat.indices]
    return out[0], out[1]


def char_ngram_bag(text: str, n_min: int = 2, n_max: int = 4) -> list[str]:
    """Character n-grams (with repeats) of the lowercased words, punctuation dropped."""
    s = " " + " ".join(_EN_TOKEN.findall(text.lower())) + " "
    grams: list[str] = []
    for n in range(n_min, n_max + 1):
        grams += [s[i:i + n] for i in range(len(s) - n + 1)]
    return grams


def word_bag(text: str, stem: int = 5) -> list[str]:
    """Lowercased words cut to their first `stem` letters (a crude, language-free stemmer)."""
    return [w[:stem] for w in _EN_TOKEN.findall(text.lower())]


def _syllable_bag(groups: Iterable[Sequence[str]]) -> Counter:
    """Unigrams and bigrams over a sequence of positions, each with alternative readings."""
    bag: Counter = Counter()
    prev: Sequence[str] = ()
    for alts in groups:
        if not alts:
            prev = ()
            continue
        w = 1.0 / len(alts)
        for a in alts:
            bag[a] += w
        if prev:
            wb = w / len(prev)
            for p in prev:
                for a in alts:
                    bag[p + "_" + a] += wb
        prev = alts
    return bag


def zh_syllable_bag(text: str) -> Counter:
    """The zh sentence read as Sino-Vietnamese syllables (Latin runs kept as they are)."""
    groups: list[Sequence[str]] = []
    pos = 0
    for m in _LATIN_RUN.finditer(text):
        groups.extend(hanviet.readings(ch) if _HAN.match(ch) else () for ch in text[pos:m.start()])
        groups.append((hanviet.strip_tones(m.group()),))
        pos = m.end()
    groups.extend(hanviet.readings(ch) if _HAN.match(ch) else () for ch in text[pos:])
    return _syllable_bag(groups)


def vi_syllable_bag(text: str) -> Counter:
    """Toneless Vietnamese syllables; punctuation breaks bigrams."""
    groups: list[Sequence[str]] = []
    for chunk in re.split(r"[^\w\s.]|\s[-–]\s", text):
        groups.extend((s,) for s in hanviet.vi_syllables(chunk))
        groups.append(())
    return _syllable_bag(groups)


def _zh_toned_groups(text: str) -> list[tuple[str, ...]]:
    return [tuple("~" + tone_key(r) for r in hanviet.toned_readings(ch)) if _HAN.match(ch) else ()
            for ch in text]


def _vi_toned_groups(text: str, known: set[str] | frozenset[str]) -> list[tuple[str, ...]]:
    groups: list[tuple[str, ...]] = []
    for chunk in re.split(r"[^\w\s.]|\s[-–]\s", text):
        keys = ("~" + tone_key(w) for w in re.findall(r"[^\W\d_]+", hanviet.expand_abbreviations(chunk)))
        groups.extend((k,) if k in known else () for k in keys)
        groups.append(())
    return groups


def cognate_bags(zh: Sequence[str], vi: Sequence[str]) -> tuple[Iterator[Counter], Iterator[Counter]]:
    """Sino-Vietnamese features of both sides: toneless readings against toneless
    syllables (tolerant of table tone errors and name variants), plus readings with
    their tone against the Vietnamese syllables that carry the tone of a reading of some
    character of the Chinese document. Sino-Vietnamese words keep their tones regularly,
    so the toned features drop chance matches with native words (on news translated
    from English, the share of sentences whose best cognate match is their translation
    rose from 0.62 to 0.69); other syllables are left out so they do not dilute."""
    chars = {ch for t in zh for ch in _HAN.findall(t)}
    known = {"~" + tone_key(r) for ch in chars for r in hanviet.toned_readings(ch)}
    zh_native = [native_bag(t) for t in zh]
    known |= {key for bag in zh_native for key in bag if key.startswith("~") and "_" not in key}
    return ((zh_syllable_bag(t) + _syllable_bag(_zh_toned_groups(t)) + nb for t, nb in zip(zh, zh_native)),
            (vi_syllable_bag(t) + _syllable_bag(_vi_toned_groups(t, known)) for t in vi))


def native_bag(text: str) -> Counter:
    """The native Vietnamese translations of the everyday words of a zh sentence
    (`workbench.crosslingual.native`), as syllables and their bigrams, toneless and with
    their tone, as readings are; a word's alternative translations share its weight."""
    bag: Counter = Counter()
    for alternatives in native.glosses(text):
        w = 1.0 / len(alternatives)
        for gloss in alternatives:
            for keys in ([hanviet.strip_tones(s) for s in gloss], ["~" + tone_key(s) for s in gloss]):
                for k in keys:
                    bag[k] += w
                for a, b in zip(keys, keys[1:]):
                    bag[a + "_" + b] += w
    return bag


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,}\b")


def _fallback_anchors(text: str, lang: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text)
    keys = {"n:" + d.replace(",", "").replace(".", "") for d in _DIGITS.findall(text)}
    keys |= {"a:" + a.lower() for a in _ACRONYM.findall(text)}
    return keys


def anchor_sets(texts: Sequence[str], lang: str) -> list[set[str]]:
    """Anchor keys of each sentence (`workbench.crosslingual.anchors`; a simpler scheme for other languages)."""
    out = []
    for t in texts:
        try:
            out.append(set(extract_anchors(t, lang)))
        except (ValueError, KeyError):  # a language the extractor does not know
            out.append(_fallback_anchors(t, lang))
    return out


def glossary_bags(glossary: Any, texts: Sequence[str], lang: str) -> list[Counter]:
    """Which glossary entries each sentence mentions (the entry's position as the feature)."""
    ids = {id(e): k for k, e in enumerate(glossary.entries)}
    return [Counter(("term", ids.get(id(m.entry), -1)) for m in glossary.match(t, lang)) for t in texts]


def _with_terms(bags: Iterable, terms: Sequence[Counter], weight: float) -> Iterator[dict]:
    """Each bag (a list with repeats, or a Counter) plus its glossary terms, `weight` each."""
    for bag, found in zip(bags, terms):
        merged = Counter(bag)
        for term, count in found.items():
            merged[term] += weight * count
        yield merged


def text_lengths(texts: Sequence[str]) -> np.ndarray:
    return np.array([len(re.sub(r"\s+", "", t)) for t in texts], dtype=np.float64)


def gale_church(src_len: np.ndarray, tgt_len: np.ndarray, ratio: float, variance: float) -> np.ndarray:
    """Probability that two lengths are translations of each other (Gale & Church 1993).

    `ratio` is target characters per source character, `variance` the variance per
    target character. Returns 2 * (1 - Phi(|delta|)) in [0, 1].
    """
    expected = np.maximum(src_len * ratio, 1.0)
    delta = (tgt_len - expected) / np.sqrt(variance * expected)
    from scipy.special import erfc
    return erfc(np.abs(delta) / math.sqrt(2.0))


@dataclass
class Signals:
    """Everything the aligners need about two documents."""

    vectors: list[Signal]
    src_len: np.ndarray
    tgt_len: np.ndarray
    len_ratio: float  # target characters per source character
    len_variance: float
    len_weight: float
    len_mode: str = "mult"  # "mean": Gale-Church probability averaged in; "mult": agreement factor
    src_en: Sequence[str] | None = None  # the English of both sides, when there is some
    tgt_en: Sequence[str] | None = None
    dense: list[DenseSignal] = field(default_factory=list)
    # (source sentences, target sentences, source language, target language), for the signals
    # learned from a first alignment pass (`workbench.align.lexicon`).
    texts: tuple[Sequence[str], Sequence[str], str, str] | None = None

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.vectors]


DEFAULT_WEIGHTS = {"english": 1.0, "words": 0.5, "cognate": 1.0, "anchor": 0.25, "glossary": 3.0,
                   "length": 0.5, "embed": 1.0}
# Sentence embeddings: beads of up to EMBED_WINDOW sentences a side are embedded as one
# text (larger ones as the normalised sum); cosines below EMBED_FLOOR, the typical
# similarity of unrelated sentences, count as 0 (dev set: median cosine of neighbouring
# non-translations 0.21, of gold 1-1 pairs 0.70).
EMBED_WINDOW = 4
EMBED_FLOOR = 0.3
LEN_VARIANCE = 6.8  # Gale & Church's value, per target character


def build_signals(src: Sequence[str], tgt: Sequence[str], src_lang: str, tgt_lang: str,
                  src_en: Sequence[str] | None = None, tgt_en: Sequence[str] | None = None,
                  glossary: Any = None, weights: dict[str, float] | None = None,
                  doc_length_ratio: bool = True, ngram: tuple[int, int] = (2, 4),
                  len_mode: str = "mult", length_from: str = "english",
                  embed_window: int = EMBED_WINDOW) -> Signals:
    """Compute the vectors of every signal available for this language pair.

    `embed_window` is the largest bead side embedded as one text (0: no embeddings).
    """
    w = dict(DEFAULT_WEIGHTS)
    w.update(weights or {})
    if src_en is None and src_lang == "en":
        src_en = src
    if tgt_en is None and tgt_lang == "en":
        tgt_en = tgt
    # Glossary terms join the text signals as extra features: a matched term counts
    # like `w["glossary"]` occurrences of a word, weighted by its rarity like any
    # other feature, so a term found in every sentence (the city's name) adds little.
    g_src = g_tgt = None
    if glossary is not None and w["glossary"] > 0:
        g_src, g_tgt = glossary_bags(glossary, src, src_lang), glossary_bags(glossary, tgt, tgt_lang)

    def text_vectors(name: str, src_bags: Iterable, tgt_bags: Iterable) -> None:
        if g_src is not None:
            src_bags = _with_terms(src_bags, g_src, w["glossary"])
            tgt_bags = _with_terms(tgt_bags, g_tgt, w["glossary"])
        a, b = vectorise(src_bags, tgt_bags)
        vectors.append(Signal(name, a, b, w[name], True))

    vectors: list[Signal] = []
    if src_en is not None and tgt_en is not None and w["english"] > 0:
        text_vectors("english", (char_ngram_bag(t, *ngram) for t in src_en), (char_ngram_bag(t, *ngram) for t in tgt_en))
        if w["words"] > 0:
            text_vectors("words", (word_bag(t) for t in src_en), (word_bag(t) for t in tgt_en))
    if {src_lang, tgt_lang} == {"zh", "vi"} and w["cognate"] > 0:
        zh_bags, vi_bags = cognate_bags(src, tgt) if src_lang == "zh" else cognate_bags(tgt, src)
        text_vectors("cognate", *((zh_bags, vi_bags) if src_lang == "zh" else (vi_bags, zh_bags)))
    if w["anchor"] > 0:
        sa, ta = anchor_sets(src, src_lang), anchor_sets(tgt, tgt_lang)
        if any(sa) and any(ta):
            # Sorted: a set's order follows the process's string hashing, and the column order must
            # not (it breaks ties in the mode's anchor order and orders float sums), or the same
            # pair aligns differently in another process.
            a, b = vectorise((sorted(x) for x in sa), (sorted(x) for x in ta))
            vectors.append(Signal("anchor", a, b, w["anchor"], False))
    if length_from == "english" and src_en is not None and tgt_en is not None:
        src_len, tgt_len = text_lengths(src_en), text_lengths(tgt_en)
    else:
        src_len, tgt_len = text_lengths(src), text_lengths(tgt)
    if doc_length_ratio and src_len.sum() > 0 and tgt_len.sum() > 0:
        ratio = float(tgt_len.sum() / src_len.sum())
    else:
        ratio = CHARS_PER_EN.get(tgt_lang, 1.0) / CHARS_PER_EN.get(src_lang, 1.0)
    # The variance is per English character; one target character weighs 1/CHARS_PER_EN of them.
    variance = LEN_VARIANCE * CHARS_PER_EN.get(tgt_lang, 1.0)
    out = Signals(vectors, src_len, tgt_len, ratio, variance, w["length"], len_mode,
                  texts=(src, tgt, src_lang, tgt_lang))
    if any(v.name == "english" for v in vectors):
        out.src_en, out.tgt_en = list(src_en), list(tgt_en)
        if w["embed"] > 0 and embed_window > 0:
            dense = embedding_signal(out.src_en, out.tgt_en, embed_window, w["embed"])
            if dense is not None:
                out.dense.append(dense)
    return out


def embedding_signal(src_en: Sequence[str], tgt_en: Sequence[str], window: int,
                     weight: float) -> DenseSignal | None:
    """Embeddings of every run of 1..`window` consecutive sentences of both English sides;
    None when the embedding model is not installed."""
    from workbench.align.embed import get_embedder

    embedder = get_embedder()
    if embedder is None:
        return None
    sides = []
    for texts in (src_en, tgt_en):
        runs = {k: [" ".join(texts[i:i + k]) for i in range(len(texts) - k + 1)]
                for k in range(1, max(1, window) + 1)}
        vecs = embedder.embed([t for k in runs for t in runs[k]]).astype(np.float64)
        out, at = {}, 0
        for k, rows in runs.items():
            out[k] = vecs[at:at + len(rows)]
            at += len(rows)
        sides.append(out)
    return DenseSignal("embed", sides[0], sides[1], weight, EMBED_FLOOR)
