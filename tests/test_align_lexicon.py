"""The word-translation signal the parallel aligner learns from its own first pass
(`workbench.align.lexicon`): native Vietnamese words carry evidence once the document has
taught their translations, and a document that teaches nothing gets no such signal."""

from __future__ import annotations

import random

import numpy as np

from workbench.align import align_sentences
from workbench.align.lexicon import _bags, ibm1, lexical_signal
from workbench.align.parallel import ParallelParams, align_parallel
from workbench.align.signals import build_signals
from workbench.evaluate import score_alignments

# Chinese characters and their native Vietnamese words: no Sino-Vietnamese reading of one
# is the other (蚊 reads "văn", the word is "muỗi"), and none is in the shipped list of
# everyday words (`data/zh_vi_native.tsv`), so the cognate signal cannot see them.
NATIVE = {"蚊": "muỗi", "蚁": "kiến", "蜂": "ong", "虾": "tôm", "蟹": "cua", "鸭": "vịt", "鹅": "ngỗng",
          "鼠": "chuột", "猴": "khỉ", "熊": "gấu", "龟": "rùa", "蛙": "ếch", "锅": "nồi", "锤": "búa",
          "勺": "thìa", "瓜": "dưa", "姜": "gừng", "蒜": "tỏi", "桥": "cầu", "井": "giếng", "伞": "ô",
          "帽": "mũ", "袜": "tất", "裙": "váy", "梳": "lược", "绳": "dây", "针": "kim", "布": "vải",
          "扫": "quét", "煎": "rán", "炒": "xào", "烤": "nướng"}


def test_the_native_words_are_outside_the_shipped_list():
    from workbench.crosslingual.native import lexicon

    assert not set(NATIVE) & set(lexicon())


def _document(n: int, seed: int, translate: bool = True):
    """n sentence pairs of native words (a number in some, as the only shared anchor); a
    tenth of the sentences of each side have no partner. With translate=False the
    Vietnamese words are drawn at random instead of translating the Chinese."""
    rng = random.Random(seed)
    chars, words = list(NATIVE), list(NATIVE.values())
    zh, vi, gold = [], [], []
    for _ in range(n):
        units = [rng.choice(chars) for _ in range(rng.randint(3, 9))]
        if rng.random() < 0.3:
            units.insert(rng.randrange(len(units)), str(rng.randint(10, 999)))
        vi_units = [NATIVE.get(u, u) if translate or u not in NATIVE else rng.choice(words) for u in units]
        zh_line, vi_line = "".join(units) + "。", " ".join(vi_units).capitalize() + "."
        roll = rng.random()
        if roll < 0.1:
            gold.append(([len(zh)], []))
            zh.append(zh_line)
        elif roll < 0.2:
            gold.append(([], [len(vi)]))
            vi.append(vi_line)
        else:
            gold.append(([len(zh)], [len(vi)]))
            zh.append(zh_line)
            vi.append(vi_line)
    return zh, vi, gold


def _strict_f1(docs, lexicon: bool):
    tests = [[(s, t) for s, t, _ in align_parallel(build_signals(zh, vi, "zh", "vi"), ParallelParams(lexicon=lexicon))]
             for zh, vi, _ in docs]
    return score_alignments([g for *_, g in docs], tests).strict.f1


def test_ibm1_learns_native_translations():
    zh, vi, gold = _document(60, 0)
    links = [(s[0], t[0]) for s, t in gold if s and t]
    src_vocab, tgt_vocab = {}, {}
    src = _bags(zh, "zh", src_vocab)
    tgt = _bags(vi, "vi", tgt_vocab)
    table = ibm1(src[[i for i, _ in links]], tgt[[j for _, j in links]]).toarray()
    words = {v: k for k, v in tgt_vocab.items()}
    right = sum(words[int(table[src_vocab[ch]].argmax())] == NATIVE[ch][:5] for ch in NATIVE if ch in src_vocab)
    assert right >= 0.9 * len(NATIVE)


def test_learned_signal_aligns_native_vocabulary():
    """True links share no cognate, only native words and a few numbers: the first pass
    misplaces sentences, the signal learned from its links puts them right."""
    docs = [_document(100, seed) for seed in range(3)]
    without, with_lexicon = _strict_f1(docs, False), _strict_f1(docs, True)
    # Measured: 0.882 without, 0.980 with.
    assert with_lexicon >= without + 0.04, (without, with_lexicon)
    result = align_sentences(*docs[0][:2], "zh", "vi")
    assert result.mode == "parallel"
    assert "+lexicon*" in result.signature
    assert result.details["calibration"]["lexicon"]["t"] > 2


def test_no_lexicon_without_evidence():
    """Words that do not translate consistently teach nothing: the cross-fitted signal shows
    no lead of the links over their neighbours, gets no weight, and the alignment is the
    one without it."""
    zh, vi, _ = _document(100, 1, translate=False)
    info: dict = {}
    with_lexicon = align_parallel(build_signals(zh, vi, "zh", "vi"), ParallelParams(), info)
    assert info["lexicon"]["weight"] == 0.0 and info["lexicon"]["t"] < 2
    assert with_lexicon == align_parallel(build_signals(zh, vi, "zh", "vi"), ParallelParams(lexicon=False))
    assert "lexicon" not in align_sentences(zh, vi, "zh", "vi", mode="parallel").signature


def test_cross_fitting_keeps_a_link_from_scoring_itself():
    """A sentence is projected with the model of the other half's links: its vector is the
    same whether or not its own link is among the training links, while the other half's
    vectors, whose model lost a link, change."""
    zh, vi, gold = _document(60, 2)
    links = [(s[0], t[0]) for s, t in gold if s and t]
    i, j = next((i, j) for i, j in links if i % 2 == 0)
    base = lexical_signal(zh, vi, "zh", "vi", links)
    without = lexical_signal(zh, vi, "zh", "vi", [link for link in links if link != (i, j)])
    assert np.allclose(base.src[i].toarray(), without.src[i].toarray())
    odd = [r for r, _ in links if r % 2 == 1]
    assert not np.allclose(base.src[odd].toarray(), without.src[odd].toarray())
