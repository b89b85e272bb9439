"""Aligned files for the review tests, built from real seed sentences with `workbench.store`."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.store.aligned import AlignedFile, make_bead, write_aligned

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ZH_SEED, VI_SEED = "000_75ef3c063faf8c49.txt", "002_9180580ce9d8d433.txt"

# (seed sentence start, English as an MT system would give it).
ZH_PICKS = [
    ("35个国际地方政府代表团出席", "35 international local government delegations attend the 2024 HCMC Friendship Dialogue"),
    ("9月24日,胡志明市以", "On September 24, Ho Chi Minh City held the 2024 Friendship Dialogue on industrial transformation."),
    ("会议有来自35个", "Delegations from 35 international localities with friendly ties to the city attended."),
    ("胡志明市人民委员会主席潘文迈在开幕式致辞", "Chairman Pan Wenmai of the People's Committee of Ho Chi Minh City spoke at the opening"),
    ("市人民委员会主席认为", "The chairman said the city must move from traditional industries to high technology."),
    ("会议全景", "Panorama of the meeting"),
]
VI_PICKS = [
    ("Đối thoại Hữu nghị năm 2024:", "Friendship Dialogue 2024: cities act together to build the future"),
    ("Sáng 24-9, TP.HCM tổ chức", "On the morning of September 24, HCMC held the second Friendship Dialogue 2024."),
    ("Tham dự có ông Nguyễn Văn Nên", "Attending were Nguyen Van Nen, Phan Van Mai and 35 delegations of foreign localities."),
    ("Chủ tịch UBND TP.HCM Phan Văn Mãi phát biểu khai mạc.", "HCMC People's Committee Chairman Phan Văn Mãi gave the opening speech."),
    ("“Để duy trì tính cạnh tranh", "To stay competitive, HCMC must move from traditional industries to high technology."),
    ("Ảnh: NGUYỆT NHI", "Photo: Nguyet Nhi"),
]
# zh ids, vi ids, score: two one-sided beads at the end (an unaligned sentence on each side).
BEADS = [([0], [0], 0.62), ([1], [1], 0.81), ([2], [2], 0.44), ([3], [3], 0.77), ([4], [4], 0.70),
         ([5], [], 0.0), ([], [5], 0.0)]

GLOSSARY_TSV = (
    "zh\tvi\ten\tnote\n"
    "胡志明市\tTP.HCM|Thành phố Hồ Chí Minh\tHo Chi Minh City|HCMC\tcity name\n"
    "潘文迈\tPhan Văn Mãi\tPhan Van Mai\tchairman of the People's Committee\n"
)


def seed_sentence(name: str, start: str) -> str:
    """The sentence of a seed report that begins with `start` (split at 。 . ! ? and line ends)."""
    text = (SEEDS / name).read_text(encoding="utf-8")
    found = [s.strip() for line in text.splitlines()
             for s in re.split(r"(?<=[。!?])|(?<=[.!?])\s+", line.strip()) if s.strip().startswith(start)]
    if found:
        return start if start in found else found[0]
    raise LookupError(f"no sentence starting {start!r} in {name}")


def sample_aligned(english: bool = True) -> AlignedFile:
    def side(name: str, picks: list, lang: str) -> dict:
        sentences = [{"text": seed_sentence(name, start), "kind": "body", "en": en if english else None}
                     for start, en in picks]
        sentences[0]["kind"] = "title"
        return {"file": name, "sha256": "0" * 64, "title": sentences[0]["text"], "lang": lang,
                "sentences": sentences}

    header = AlignedFile.make_header(zh=side(ZH_SEED, ZH_PICKS, "zh"), vi=side(VI_SEED, VI_PICKS, "vi"),
                                     models={"zh": "test" if english else None, "vi": "test" if english else None},
                                     mode="auto")
    beads = [make_bead(header, zh, vi, score) for zh, vi, score in BEADS]
    return AlignedFile(header=header, beads=beads)


def write_sample(folder: Path, english: bool = True, name: str = "sample.jsonl") -> Path:
    path = folder / name
    write_aligned(path, sample_aligned(english))
    return path


def write_glossary(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "terms.tsv").write_text(GLOSSARY_TSV, encoding="utf-8")
    return folder


def big_aligned(n: int) -> AlignedFile:
    """An aligned file of `n` beads made by repeating the sample's sentences (for speed checks)."""
    base = sample_aligned(True)
    zh = base.header["zh"]["sentences"]
    vi = base.header["vi"]["sentences"]
    header = dict(base.header)
    header["zh"] = dict(base.header["zh"], sentences=[zh[i % len(zh)] for i in range(n)])
    header["vi"] = dict(base.header["vi"], sentences=[vi[i % len(vi)] for i in range(n)])
    beads = [make_bead(header, [i], [i], (i * 37 % 100) / 100) for i in range(n)]
    return AlignedFile(header=header, beads=beads)


# Text a scraped page can carry: OSC 52 (sets the clipboard), CSI 2J (wipes the screen),
# OSC 0 (sets the window title), Rich markup that would become a live hyperlink, and a closing tag
# that made Rich raise MarkupError.
HOSTILE = ("\x1b]52;c;aGVsbG8=\x07", "\x1b[2J", "\x1b]0;title\x07", "[link=https://x]text[/link]", "[/bold]")
# How each shows on screen (control pictures: ␛ for ESC, ␇ for BEL).
HOSTILE_SHOWN = ("␛]52;c;aGVsbG8=␇", "␛[2J", "␛]0;title␇", "[link=https://x]text[/link]", "[/bold]")


def hostile_aligned() -> AlignedFile:
    """The sample with every text of bead 1 (both sides, their English, the note) and both titles
    carrying the HOSTILE sequences."""
    aligned = sample_aligned(True)
    payload = "".join(HOSTILE)
    for side in ("zh", "vi"):
        doc = aligned.header[side]
        doc["title"] = f"{side} title {payload}"
        first = doc["sentences"][0]
        first["text"] = f"{first['text'][:12]} {payload} end"
        first["en"] = f"English {payload} end"
    aligned.beads[0] = make_bead(aligned.header, [0], [0], 0.62, note=f"note {payload}")
    return aligned


def many_issues_aligned() -> AlignedFile:
    """The sample with bead 4 ([3]:[3]) carrying every kind of QA flag: numbers that disagree, a
    name, glossary terms missing from the English, MT warnings on both sides and a vi side far
    longer than the file's usual (it holds the attendance sentence twice)."""
    aligned = sample_aligned(True)
    zh, vi = aligned.header["zh"]["sentences"], aligned.header["vi"]["sentences"]
    vi[3]["text"] = " ".join([vi[3]["text"], vi[2]["text"], vi[2]["text"].replace("35", "36")])
    zh[3]["en"] = "Chairman Pan Wenmai of the People's Committee of Saigon spoke at the opening"
    vi[3]["en"] = "The city's chairman gave the opening speech. Attending were many delegations."
    zh[3]["mt_warnings"] = ["repeats: the same words over and over"]
    vi[3]["mt_warnings"] = ["length_ratio: stopped at the length bound"]
    aligned.beads[3] = make_bead(aligned.header, [3], [3], 0.31)
    return aligned
