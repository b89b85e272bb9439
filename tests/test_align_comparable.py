"""The comparable aligner on the seed pair 000 (zh) / 002 (vi), without any MT."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.align import align_sentences

@pytest.fixture(scope="module")
def seed_pair(seeds_dir):
    from workbench.reports.corpus import load_document
    zh = load_document(seeds_dir / "000_75ef3c063faf8c49.txt")
    vi = load_document(seeds_dir / "002_9180580ce9d8d433.txt")
    zs, vs = [s.text for s in zh.sentences], [s.text for s in vi.sentences]
    return zs, vs, align_sentences(zs, vs, "zh", "vi", mode="auto")


def _links(zs, vs, beads):
    return [(" ".join(zs[i] for i in s), " ".join(vs[j] for j in t), score) for s, t, score in beads if s and t]


def _linked(links, zh_fragment, vi_fragment):
    return any(zh_fragment in z and vi_fragment in v for z, v, _ in links)


def test_auto_picks_comparable(seed_pair):
    _, _, result = seed_pair
    assert result.mode == "comparable"
    assert result.reason.startswith("comparable")


def test_translations_are_linked(seed_pair):
    zs, vs, result = seed_pair
    links = _links(zs, vs, result.beads)
    assert _linked(links, "胡志明市人民委员会主席潘文迈在开幕式致辞", "Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc")
    assert _linked(links, "从传统产业转向高科技", "từ các ngành công nghiệp truyền thống sang các ngành công nghiệp công nghệ cao")
    assert _linked(links, "内在动力和全球趋势", "động lực nội tại")


def test_no_unrelated_sentence_is_linked(seed_pair):
    zs, vs, result = seed_pair
    links = _links(zs, vs, result.beads)
    # The reports' tails (other news, the monument) have no counterpart in the other report.
    for z, v, _ in links:
        assert "莫比乌斯环" not in z and "白藤码头公园" not in z and "公共外交活动" not in z
        assert "Thứ trưởng Bộ Ngoại giao, phát biểu tại hội nghị" not in v
    assert len(links) <= 10


def test_every_sentence_once_in_source_order(seed_pair):
    zs, vs, result = seed_pair
    src = [i for s, _, _ in result.beads for i in s]
    tgt = sorted(j for _, t, _ in result.beads for j in t)
    assert src == sorted(src) == list(range(len(zs)))
    assert tgt == list(range(len(vs)))
    for s, t, score in result.beads:
        assert 0.0 <= score <= 1.0
        assert (score > 0) == bool(s and t)


def test_scores_compare_across_modes(seed_pair, dev_align_dir):
    """A real translation pair scores higher than a comparable-news link, on one scale."""
    zs, vs, result = seed_pair
    comparable = [score for s, t, score in result.beads if s and t]
    read = lambda p: p.read_text(encoding="utf-8").splitlines()
    # The same signals on both sides of the comparison: the seeds have no English, so no embeddings.
    par = align_sentences(read(dev_align_dir / "004.zh"), read(dev_align_dir / "004.en"), "zh", "en",
                          src_en=read(dev_align_dir / "004.trans"), mode="parallel", weights={"embed": 0.0})
    parallel = sorted(score for s, t, score in par.beads if s and t)
    assert max(comparable) <= 1.0 and parallel[len(parallel) // 2] > min(comparable)


def test_glossary_terms_help_without_drowning_the_links(seeds_dir):
    """With the project glossary (its city name is in almost every sentence) the same links hold."""
    from workbench.reports.corpus import load_document
    from workbench.glossary import load_glossary

    glossary = load_glossary(seeds_dir.parent / "glossary")
    zs = [s.text for s in load_document(seeds_dir / "000_75ef3c063faf8c49.txt").sentences]
    vs = [s.text for s in load_document(seeds_dir / "002_9180580ce9d8d433.txt").sentences]
    result = align_sentences(zs, vs, "zh", "vi", mode="comparable", glossary=glossary)
    links = _links(zs, vs, result.beads)
    assert _linked(links, "潘文迈在开幕式致辞", "Phan Văn Mãi phát biểu khai mạc")
    assert _linked(links, "从传统产业转向高科技", "ngành công nghiệp truyền thống")
    assert _linked(links, "该市承诺", "cam kết")
    for z, v, _ in links:
        assert "莫比乌斯环" not in z and "这是连接胡志明市与世界" not in z


def test_seed_gold_fully_found_and_nothing_outside(seed_pair):
    """The hand-made gold of the seed pair (tests/data/seed_000_002.gold.tsv): every required
    link found, no link outside the required and allowed ones."""
    zs, vs, result = seed_pair
    gold = Path(__file__).parent / "data" / "seed_000_002.gold.tsv"
    ids = lambda sents, frag: {i for i, s in enumerate(sents) if frag in s or s in frag}
    predicted = {(a, b) for s, t, _ in result.beads if s and t for a in s for b in t}
    allowed = set()
    for line in gold.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        status, zh, vi = line.split("\t")
        cells = {(a, b) for a in ids(zs, zh) for b in ids(vs, vi)}
        assert cells, (zh, vi)
        allowed |= cells
        if status == "required":
            assert cells & predicted, f"required link not found: {zh} / {vi}"
    assert predicted <= allowed, [(zs[a][:30], vs[b][:50]) for a, b in sorted(predicted - allowed)]
    assert "len_ratio:" in result.signature and result.signature.split("|")[1] == "mode:comparable"
