"""ReviewSession: every edit, undo/redo, autosave, versions, on files built from seed sentences."""

from __future__ import annotations

import json

import pytest

from tests.support.review_support import SEEDS
from tests.support.review_support import VI_SEED as VI
from tests.support.review_support import ZH_SEED as ZH
from tests.support.review_support import sample_aligned, write_sample
from workbench.errors import WorkbenchError
from workbench.review.session import ReviewSession, check_version, fold
from workbench.store.aligned import dumps_aligned, read_aligned


@pytest.fixture
def session(tmp_path):
    s = ReviewSession.open(write_sample(tmp_path))
    yield s
    s.close()


def saved(session) -> list:
    session.save()
    return read_aligned(session.path).beads


def notations(beads) -> list[str]:
    return [b.notation for b in beads]


def test_confirm_reject_toggle_and_progress(session):
    session.confirm(0)
    session.reject(1)
    progress = session.progress
    assert (progress.links, progress.confirmed, progress.rejected) == (5, 1, 1)
    assert (progress.unaligned_zh, progress.unaligned_vi, progress.beads) == (1, 1, 7)
    assert progress.line() == "links confirmed 1/5, rejected 1 · unaligned zh 1, vi 1"
    beads = saved(session)
    assert [b.status for b in beads[:3]] == ["confirmed", "rejected", "auto"]
    session.confirm(0)  # confirming twice puts it back
    assert saved(session)[0].status == "auto"


def test_merge_split_roundtrip_keeps_texts(session):
    original = sample_aligned()
    session.merge_next(1)
    beads = saved(session)
    assert notations(beads)[:3] == ["[0]:[0]", "[1, 2]:[1, 2]", "[3]:[3]"]
    assert beads[1].zh_text == original.beads[1].zh_text + original.beads[2].zh_text
    assert beads[1].vi_text == original.beads[1].vi_text + " " + original.beads[2].vi_text
    assert beads[1].zh_en.startswith("On September 24")
    session.split(1)
    assert notations(saved(session)) == notations(original.beads)
    assert saved(session)[2].vi_text == original.beads[2].vi_text


def test_split_one_to_one_unaligns(session):
    session.split(0)
    assert notations(saved(session))[:3] == ["[0]:[]", "[]:[0]", "[1]:[1]"]
    with pytest.raises(WorkbenchError, match="one sentence"):
        session.split(0)


def test_unlink_then_link_restores(session):
    session.unlink(2)
    assert notations(saved(session))[2:4] == ["[2]:[]", "[]:[2]"]
    session.link(2, 3)
    beads = saved(session)
    assert notations(beads)[2] == "[2]:[2]"
    assert beads[2].zh_text.startswith("会议有来自35个")
    assert beads[2].vi_en.startswith("Attending were")


def test_link_unaligned_pair_at_the_end(session):
    # beads 5 ([5]:[]) and 6 ([]:[5]) are unaligned on opposite sides
    session.link(6, 5)
    beads = saved(session)
    assert notations(beads)[-1] == "[5]:[5]"
    assert len(beads) == 6
    with pytest.raises(WorkbenchError, match="unaligned"):
        session.link(0, 1)


def test_move_sentence_both_directions(session):
    session.move_sentence(2, "zh", -1)  # zh 2 joins bead 1; bead 2 keeps vi 2 only
    assert notations(saved(session))[1:3] == ["[1, 2]:[1]", "[]:[2]"]
    session.move_sentence(1, "zh", 1)  # and back
    assert notations(saved(session))[1:3] == ["[1]:[1]", "[2]:[2]"]
    session.move_sentence(5, "zh", 1)  # last zh joins the vi-only bead: the empty bead disappears
    beads = saved(session)
    assert notations(beads)[-1] == "[5]:[5]" and len(beads) == 6
    with pytest.raises(WorkbenchError, match="no previous"):
        session.move_sentence(0, "vi", -1)


def test_edit_english_keeps_history(session):
    before = session.beads[3].zh_en
    session.edit_english(3, "zh", "Chairman Phan Van Mai spoke at the opening")
    session.edit_english(3, "zh", "Chairman Phan Van Mai spoke at the opening ceremony")
    bead = saved(session)[3]
    assert bead.zh_en == "Chairman Phan Van Mai spoke at the opening ceremony"
    assert [h["en"] for h in bead.history] == [before, "Chairman Phan Van Mai spoke at the opening"]
    assert [h["source"] for h in bead.history] == ["mt", "edit"]


def test_edited_english_survives_merge(session):
    session.edit_english(3, "zh", "Chairman Phan Van Mai spoke")
    session.merge_next(3)
    bead = saved(session)[3]
    assert bead.zh_en.startswith("Chairman Phan Van Mai spoke ")
    assert bead.history and bead.history[0]["side"] == "zh"


def test_undo_redo_round_trip_every_edit(session):
    start = dumps_aligned(session.aligned)
    edits = [lambda: session.confirm(0), lambda: session.reject(1), lambda: session.merge_next(1),
             lambda: session.split(1), lambda: session.unlink(0), lambda: session.link(0, 1),
             lambda: session.move_sentence(2, "vi", 1), lambda: session.edit_english(0, "vi", "Edited"),
             lambda: session.set_note(0, "check the date")]
    states = [start]
    for edit in edits:
        edit()
        states.append(dumps_aligned(session.aligned))
    for state in reversed(states[:-1]):
        session.undo()
        assert dumps_aligned(session.aligned) == state
    assert session.undo() is None
    for state in states[1:]:
        session.redo()
        assert dumps_aligned(session.aligned) == state
    assert session.redo() is None
    session.undo()
    session.confirm(2)  # a new edit clears the redo stack
    assert session.redo() is None
    assert saved(session)[2].status == "confirmed"


def test_filters_search_and_next_decision(session):
    # the one-sided beads 5 and 6 have no score: never "low", never to decide, always "unaligned"
    assert session.visible("low") == [i for i, b in enumerate(session.beads) if b.zh and b.vi and b.score < 0.5]
    assert session.visible("unaligned") == [5, 6]
    session.confirm(0)
    session.reject(2)
    assert session.visible("todo") == [1, 3, 4]
    assert session.next_decision(0) == 1
    assert session.next_decision(4) == 1  # wraps around, over the unaligned sentences
    assert session.visible("all", "doi thoai") == [0, 1]  # diacritics-free search finds Đối thoại
    assert session.visible("all", "潘文迈") == [3]
    assert fold("Đối THOẠI") == "doi thoai"
    for name in ("qa", "qa:numbers", "qa:names", "qa:terms", "qa:mt", "qa:length"):
        session.visible(name)
    with pytest.raises(WorkbenchError, match="unknown filter"):
        session.visible("nonsense")


def test_a_confirmed_low_link_leaves_the_low_filter(session):
    low = session.visible("low")
    session.confirm(low[0])
    assert low[0] not in session.visible("low")


def test_autosave_is_debounced(tmp_path):
    now = [100.0]
    session = ReviewSession.open(write_sample(tmp_path), clock=lambda: now[0], autosave_delay=1.0, max_delay=5.0)
    session.confirm(0)
    assert not session.autosave()  # edits are still coming
    now[0] += 0.5
    session.confirm(1)
    now[0] += 0.9
    assert not session.autosave()
    assert read_aligned(session.path).beads[0].status == "auto"
    now[0] += 0.2
    assert session.autosave()
    assert [b.status for b in read_aligned(session.path).beads[:2]] == ["confirmed", "confirmed"]
    # a steady stream of edits is still saved every max_delay seconds
    for _ in range(12):
        now[0] += 0.5
        session.reject(3)
        session.autosave()
    assert session.saves >= 2
    session.close()


def test_read_only_refuses_edits_and_never_writes(tmp_path):
    path = write_sample(tmp_path)
    before = path.read_bytes()
    session = ReviewSession.open(path, read_only=True)
    with pytest.raises(WorkbenchError, match="read-only"):
        session.confirm(0)
    session.close()
    assert path.read_bytes() == before
    assert not path.with_name(path.name + ".lock").exists()


def test_versions(tmp_path):
    path = write_sample(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    for version, message in ((0, "older than this workbench reads"), (99, "newer than this workbench reads")):
        header["version"] = version
        path.write_text("\n".join([json.dumps(header)] + lines[1:]) + "\n", encoding="utf-8")
        with pytest.raises(WorkbenchError, match=message) as err:
            ReviewSession.open(path)
        assert err.value.path == str(path) and err.value.line == 1
    with pytest.raises(WorkbenchError, match="older"):
        check_version({"version": 0}, path)


def test_an_older_snapshot_never_overwrites_a_newer_save(session):
    session.confirm(0)
    old_version, old = session.snapshot()
    session.reject(1)
    assert session.save()
    assert not session.write_snapshot(old_version, old)  # a slow background save finishing late
    assert [b.status for b in read_aligned(session.path).beads[:2]] == ["confirmed", "rejected"]
    assert not session.dirty


def test_add_glossary_entry_and_conflict(tmp_path):
    from tests.support.review_support import write_glossary

    glossary = write_glossary(tmp_path / "glossary")
    session = ReviewSession.open(write_sample(tmp_path), glossary_dir=glossary)
    target, action = session.add_glossary_entry("人民委员会", "UBND", "People's Committee")
    assert (target, action) == (glossary / "added.tsv", "added")
    assert any(m.entry.en == ["People's Committee"] for m in session.glossary.match(session.beads[3].zh_text, "zh"))
    with pytest.raises(WorkbenchError, match="潘文迈"):
        session.add_glossary_entry("潘文迈", "Phan Văn Mãi", "Pan Wenmai")
    session.close()


def test_every_structural_edit_marks_its_beads_manual(session):
    """A re-run keeps beads a person cut: link, unlink, merge, split and move all make origin "manual"."""
    assert all(b.origin == "auto" and not b.touched for b in session.beads)
    session.unlink(2)  # [2]:[2] -> [2]:[] and []:[2]
    assert [b.origin for b in session.beads[2:4]] == ["manual", "manual"]
    session.link(2, 3)
    session.merge_next(0)
    session.split(0)
    session.move_sentence(3, "zh", -1)
    saved_beads = saved(session)
    by_notation = {b.notation: b for b in saved_beads}
    assert notations(saved_beads)[:4] == ["[0]:[0]", "[1]:[1]", "[2, 3]:[2]", "[]:[3]"]
    for notation in ("[0]:[0]", "[1]:[1]", "[2, 3]:[2]", "[]:[3]"):
        assert by_notation[notation].origin == "manual" and by_notation[notation].touched, notation
    untouched = [b for b in saved_beads if b.notation in ("[4]:[4]", "[5]:[]", "[]:[5]")]
    assert len(untouched) == 3 and all(b.origin == "auto" and not b.touched for b in untouched)
    session.undo()  # undoing restores the beads exactly as they were, origin included
    assert [(b.notation, b.origin) for b in session.beads[2:4]] == [("[2]:[2]", "manual"), ("[3]:[3]", "auto")]


def test_structural_edits_are_scored_by_the_aligner(tmp_path):
    """A link is confirmed and scored; merge, split and move rescore the beads they make with the
    aligner's own scoring, and a one-sided bead has no score (0, never copied from a parent)."""
    from workbench.run.pair import align_pair
    from workbench.review.rescore import Rescorer

    out = align_pair(SEEDS / ZH, SEEDS / VI, out_dir=tmp_path, mt="none", notify=lambda m: None).out
    aligned = read_aligned(out)
    scorer = Rescorer(aligned.header)
    # the aligner's own beads score the same through the rescorer: one scale for both
    for bead in aligned.beads:
        if bead.zh and bead.vi:
            assert abs(scorer.score(bead.zh, bead.vi) - bead.score) < 0.002, bead.notation
    session = ReviewSession.open(out)
    first = next(i for i, b in enumerate(session.beads) if b.zh and b.vi)
    session.unlink(first)
    unlinked = session.beads[first:first + 2]
    assert all(b.score == 0.0 and b.status == "auto" for b in unlinked)
    zh_only = next(i for i, b in enumerate(session.beads) if b.zh and not b.vi)
    vi_only = next(i for i, b in enumerate(session.beads) if b.vi and not b.zh)
    at = session.link(zh_only, vi_only)
    linked = session.beads[at]
    assert linked.status == "confirmed" and linked.origin == "manual"
    assert linked.score == scorer.score(linked.zh, linked.vi)
    session.merge_next(at)
    merged = session.beads[at]
    assert merged.score == scorer.score(merged.zh, merged.vi)
    session.merge_next(at)
    session.move_sentence(at, "zh", 1)  # `]`: the last zh sentence to the next bead; both rescored
    for bead in session.beads[at:at + 2]:
        assert bead.score == (scorer.score(bead.zh, bead.vi) if bead.zh and bead.vi else 0.0), bead.notation
    session.split(at)
    for bead in session.beads[at:at + 2]:
        assert bead.score == (scorer.score(bead.zh, bead.vi) if bead.zh and bead.vi else 0.0)
    session.close()


def test_term_issue_numbers_stay_after_a_fix(tmp_path):
    from tests.support.review_support import write_glossary

    session = ReviewSession.open(write_sample(tmp_path), glossary_dir=write_glossary(tmp_path / "glossary"))
    before = [(i.number, i.side) for i in session.term_issues(3)]
    assert before == [(1, "zh"), (2, "vi")]
    session.fix_term_number(3, 2)  # the vi side first: issue 1 keeps its number
    assert [(i.number, i.side) for i in session.term_issues(3)] == [(1, "zh")]
    with pytest.raises(WorkbenchError, match="no open term issue 2"):
        session.fix_term_number(3, 2)
    session.fix_term_number(3, 1)
    assert session.term_issues(3) == []
    session.close()


def test_qa_flags_numbers_names_terms_mt_and_length(tmp_path):
    from tests.support.review_support import write_glossary
    from workbench.store.aligned import make_bead, write_aligned

    aligned = sample_aligned()
    # bead 3 ([2]:[2]): the vi side loses its "35"; the zh sentence of bead 1 gets an MT warning
    vi = aligned.header["vi"]["sentences"]
    vi[2]["text"] = vi[2]["text"].replace("35", "36")
    aligned.header["zh"]["sentences"][0]["mt_warnings"] = ["length_ratio: stopped at the length bound"]
    aligned.beads[2] = make_bead(aligned.header, [2], [2], 0.44)
    path = tmp_path / "qa.jsonl"
    write_aligned(path, aligned)
    session = ReviewSession.open(path, glossary_dir=write_glossary(tmp_path / "glossary"))
    kinds = {i: {f.kind for f in session.flags(i)} for i in range(len(session.beads))}
    numbers = [f.message for f in session.flags(2) if f.kind == "numbers"]
    assert numbers == ["zh gives 35; vi does not", "vi gives 36; zh does not"]
    assert "mt" in kinds[0] and session.visible("qa:mt") == [0]
    # Nguyễn Văn Nên is in the vi text of bead 3 and written nowhere in its zh text
    assert any(f.kind == "names" and "Nguyễn Văn Nên" in f.message for f in session.flags(2))
    assert 2 in session.visible("qa:numbers") and 2 in session.visible("qa")
    # an edited English clears its side's MT warnings
    session.edit_english(0, "zh", "35 delegations attend the 2024 HCMC Friendship Dialogue")
    assert "mt" not in {f.kind for f in session.flags(0)}
    session.close()
