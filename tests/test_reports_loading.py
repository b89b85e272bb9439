"""Loading reports: encodings, newlines, NFC, language detection, and bad input via the CLI."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from workbench.reports.corpus import detect_language, load_document, load_text
from workbench.errors import WorkbenchError
from workbench.reports.loading import MAX_REPORT_BYTES

SEED_ZH = "000_75ef3c063faf8c49.txt"
SEED_VI = "002_9180580ce9d8d433.txt"

ZH_SIMPLIFIED = ("促进胡志明市与中国上海市之间的合作\n"
                 "10月19日中午，胡志明市人民委员会副主席杨英德与中国上海市副市长宗明举行视频会议，"
                 "商讨促进两市未来合作的方向。\n"
                 "杨英德表示，过去两市已开展多项交流合作项目。\n")
ZH_TRADITIONAL = ("促進胡志明市與中國上海市之間的合作\n"
                  "胡志明市人民委員會主席潘文邁在開幕式致辭中表示：「二零二四年友好對話的主題涉及"
                  "當前緊迫的關鍵問題。」\n會議有來自三十五個國際地方政府代表團出席。\n")
VI_TEXT = ("Đối thoại Hữu nghị năm 2024\n"
           "Sáng 24-9, TP.HCM tổ chức hội nghị Đối thoại Hữu nghị lần 2 năm 2024.\n"
           "Tham dự có ông Phan Văn Mãi, Chủ tịch UBND TP.HCM.\n")


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- encodings ---------------------------------------------------------------------

@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),          # BOM + native order
    ("utf-16-le", "utf-16"),       # BOM written by hand below
    ("utf-16-be", "utf-16"),
    ("gbk", "gb18030"),
    ("gb18030", "gb18030"),
])
def test_chinese_encodings_decode_to_the_same_text(tmp_path, encoding, expected):
    data = ZH_SIMPLIFIED.encode(encoding)
    if encoding == "utf-16-le":
        data = b"\xff\xfe" + data
    elif encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    text, found = load_text(write(tmp_path, "r.txt", data))
    assert text == ZH_SIMPLIFIED
    assert found == expected


def test_big5_traditional_chinese_is_not_mistaken_for_gbk(tmp_path):
    text, found = load_text(write(tmp_path, "big5.txt", ZH_TRADITIONAL.encode("big5")))
    assert (text, found) == (ZH_TRADITIONAL, "big5")


@pytest.mark.parametrize("sample", ["短文本。", "会议全景", "胡志明市。"])
def test_short_gbk_text_is_not_read_as_big5(tmp_path, sample):
    text, found = load_text(write(tmp_path, "short.txt", sample.encode("gbk")))
    assert (text, found) == (sample, "gb18030")


def test_crlf_and_cr_become_lf_and_offsets_hold(tmp_path):
    data = VI_TEXT.replace("\n", "\r\n").encode("utf-8")
    path = write(tmp_path, "crlf.txt", data)
    text, _ = load_text(path)
    assert "\r" not in text and text == VI_TEXT
    doc = load_document(path)
    assert [s.text for s in doc.sentences] == [s.text for s in load_document(
        write(tmp_path, "lf.txt", VI_TEXT.encode())).sentences]
    assert all(doc.text[s.start:s.end] == s.text for s in doc.sentences)


def test_decomposed_vietnamese_is_normalised_to_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", VI_TEXT)
    assert nfd != VI_TEXT
    text, _ = load_text(write(tmp_path, "nfd.txt", nfd.encode("utf-8")))
    assert text == VI_TEXT


def test_seeds_load_with_hash_and_language(seeds_dir):
    langs = {p.name[:3]: load_document(p).lang for p in sorted(seeds_dir.glob("*.txt"))}
    assert langs == {"000": "zh", "001": "vi", "002": "vi", "003": "vi", "004": "zh"}
    doc = load_document(seeds_dir / SEED_ZH)
    assert doc.encoding == "utf-8" and len(doc.sha256) == 64


# --- language ------------------------------------------------------------------------

def test_chinese_page_with_latin_names_and_vietnamese_caption_tail_is_zh():
    text = ("比利时王国 VVOB 组织驻越南国家项目主任卡罗琳娜·鲁特科夫斯卡(Karolina Rutkowska)表示,"
            "越南正逐步确立其地位。美国“回馈儿童组织”(Giving It Back to Kids,简称 GIBTK)创始人认为。\n"
            "促进合作 ảnh 1守德市。图自 hanoimoi.com.vn\n"
            "Lãnh đạo TPHCM dự Đối thoại hữu nghị. Ảnh: Sở Ngoại vụ TPHCM\n")
    assert detect_language(text) == "zh"


def test_vietnamese_page_with_english_acronyms_and_names_is_vi():
    text = ("Diễn đàn kinh tế TPHCM năm nay có hơn 1.000 đại biểu từ World Bank, IMF, IFC, ADB, "
            "World Economic Forum (WEF) và Fourth Industrial Revolution Centre (C4IR). "
            "Ông Stefano Lo Russo, Mayor of Torino, and Mr Takahashi Toru, Deputy Mayor of Osaka, "
            "attended the Mayors Conference in Ho Chi Minh City.")
    assert detect_language(text) == "vi"


def test_seed_pages_detect_their_language(seeds_dir):
    for path in seeds_dir.glob("*.txt"):
        text, _ = load_text(path)
        assert detect_language(text) == ("zh" if path.name[:3] in ("000", "004") else "vi")


@pytest.mark.parametrize("text, named", [
    ("The city held its second Friendship Dialogue on Tuesday. Delegations from 35 cities "
     "attended the conference on industrial transformation.", "Latin script"),
    ("นครโฮจิมินห์จัดการประชุมเจรจามิตรภาพครั้งที่สอง มีคณะผู้แทนจาก 35 เมืองเข้าร่วม", "Thai"),
    ("ホーチミン市は友好対話会議を開催しました。", "Japanese"),
    ("Хошимин провел второй диалог дружбы с делегациями из 35 городов.", "Cyrillic"),
    ("La ville a organisé le deuxième dialogue d'amitié à Hô Chi Minh-Ville, où les délégués "
     "étaient très nombreux.", "Latin script"),
    ("La délégation de Đà Nẵng a été reçue à Hô Chi Minh-Ville par le président du comité "
     "populaire, qui a présenté les priorités de la coopération décentralisée.", "Latin script"),
    ("นครโฮจิมินห์จัดการประชุม Đối thoại Hữu nghị ครั้งที่สอง มีคณะผู้แทนจาก 35 เมืองเข้าร่วมการประชุม", "Thai"),
    ("2024 - 35 - 23% - 40%", "no words"),
])
def test_other_languages_are_unsupported(text, named):
    with pytest.raises(WorkbenchError, match="unsupported language") as info:
        detect_language(text)
    assert named in str(info.value)


# --- bad input through the real command ---------------------------------------------

def assert_one_line_error(proc, path: Path | str, *needles: str) -> str:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert str(path) in lines[0]
    for needle in needles:
        assert needle in lines[0]
    return lines[0]


def test_cli_empty_file(cli, tmp_path):
    path = write(tmp_path, "empty.txt", b"")
    assert_one_line_error(cli("segment", path), path, "empty")
    blank = write(tmp_path, "blank.txt", b" \r\n\n\t\n")
    assert_one_line_error(cli("segment", blank), blank, "empty")


def test_cli_png_is_binary(cli, tmp_path):
    png = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00"
           b"\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05")
    path = write(tmp_path, "photo.txt", png)
    assert_one_line_error(cli("segment", path), path, "binary", "PNG")


def test_cli_gbk_chinese_report_loads(cli, tmp_path, seeds_dir):
    text, _ = load_text(seeds_dir / SEED_ZH)
    path = write(tmp_path, "gbk.txt", text.encode("gbk"))
    proc = cli("segment", path, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["lang"] == "zh" and out["encoding"] == "gb18030"
    reference = load_document(seeds_dir / SEED_ZH)
    assert [s["text"] for s in out["sentences"]] == [s.text for s in reference.sentences]


def test_cli_utf16_vietnamese_report_loads(cli, tmp_path, seeds_dir):
    text, _ = load_text(seeds_dir / SEED_VI)
    path = write(tmp_path, "utf16.txt", text.replace("\n", "\r\n").encode("utf-16"))
    proc = cli("segment", path, "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["lang"] == "vi" and out["encoding"] == "utf-16"
    reference = load_document(seeds_dir / SEED_VI)
    assert [s["text"] for s in out["sentences"]] == [s.text for s in reference.sentences]


def test_cli_english_report_is_unsupported(cli, tmp_path):
    path = write(tmp_path, "english.txt",
                 b"Friendship Dialogue 2024\n\nHo Chi Minh City hosted 35 delegations on "
                 b"September 24. The conference discussed industrial transformation.\n")
    assert_one_line_error(cli("segment", path), path, "unsupported language")


def test_cli_thai_report_is_unsupported(cli, tmp_path):
    path = write(tmp_path, "thai.txt",
                 "การประชุมเจรจามิตรภาพ\n\nนครโฮจิมินห์จัดการประชุมเมื่อวันที่ 24 กันยายน\n".encode())
    assert_one_line_error(cli("segment", path), path, "unsupported language", "Thai")


def test_cli_missing_path_and_folder(cli, tmp_path):
    missing = tmp_path / "nope.txt"
    assert_one_line_error(cli("segment", missing), missing, "no such file")
    assert_one_line_error(cli("segment", tmp_path), tmp_path, "folder")


def test_cli_50_mb_file_is_refused_quickly_with_the_limit(cli, tmp_path, seeds_dir):
    path = tmp_path / "huge.txt"
    chunk = (seeds_dir / SEED_ZH).read_bytes()
    with path.open("wb") as fh:
        while fh.tell() < 50 * 1024 * 1024:
            fh.write(chunk * 64)
    proc = cli("segment", path, timeout=60)
    line = assert_one_line_error(proc, path, "MB")
    assert f"{MAX_REPORT_BYTES // (1024 * 1024)} MB" in line


def test_cli_damaged_utf8_names_the_line(cli, tmp_path):
    data = VI_TEXT.encode("utf-8") + b"C\xe1c \xff\xfe\n"
    path = write(tmp_path, "damaged.txt", data)
    line = assert_one_line_error(cli("segment", path), path, "encoding", "UTF-8")
    assert f"{path}:4:" in line


# --- control characters ---------------------------------------------------------------

def test_control_characters_are_stripped_at_load_and_reported(cli, tmp_path):
    # A bell, an escape sequence, C1 controls (CSI, NEL) and a form feed, as copy-paste leaves them.
    dirty = (VI_TEXT.replace("Sáng 24-9", "Sáng\x07 24-9\x1b[2J")
             .replace("Tham dự", "\x9bTham\x85dự")
             .replace("ông Phan", "ông\x0cPhan"))
    path = write(tmp_path, "dirty.txt", dirty.encode("utf-8"))
    out = json.loads(cli("segment", path, "--json").stdout)
    texts = [s["text"] for s in out["sentences"]]
    assert not any(ch in text for text in texts for ch in "\x07\x1b\x9b\x85\x0c")
    assert "Sáng 24-9[2J, TP.HCM tổ chức hội nghị Đối thoại Hữu nghị lần 2 năm 2024." in texts
    assert out["notes"] == ["removed 5 control character(s)"]
    doc = load_document(path)
    assert all(doc.text[s.start:s.end] == s.text for s in doc.sentences)
    table = cli("segment", path)
    assert table.returncode == 0 and "note: removed 5 control character(s)" in table.stdout
    clean = json.loads(cli("segment", write(tmp_path, "clean.txt", VI_TEXT.encode()), "--json").stdout)
    assert clean["notes"] == []


def test_a_stray_nul_is_stripped_but_nul_heavy_files_are_binary(tmp_path):
    doc = load_document(write(tmp_path, "nul.txt", VI_TEXT.replace("Tham", "Th\x00am").encode()))
    assert "Tham dự" in doc.text and doc.notes == ["removed 1 control character(s)"]
    with pytest.raises(WorkbenchError, match="NUL bytes"):
        load_document(write(tmp_path, "utf16-no-bom.txt", VI_TEXT.encode("utf-16-le")))


# --- language by share ---------------------------------------------------------------------

# A Chinese report on a Vietnamese poetry reading, quoting the Vietnamese at length: more of
# its syllables are Vietnamese than Chinese, but every word of its own is Chinese.
ZH_QUOTING_VI = (
    "越南诗人阮攸的名作在胡志明市朗诵会上引起共鸣\n"
    "9月24日，胡志明市举办越南古典文学朗诵会。主持人首先朗诵了《金云翘传》的开篇：\n"
    "“Trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau. Trải qua một cuộc bể dâu, "
    "những điều trông thấy mà đau đớn lòng. Lạ gì bỉ sắc tư phong, trời xanh quen thói má hồng đánh ghen. "
    "Cảo thơm lần giở trước đèn, phong tình cổ lục còn truyền sử xanh. Rằng năm Gia Tĩnh triều Minh, "
    "bốn phương phẳng lặng, hai kinh vững vàng.”\n"
    "随后，越南作家协会代表介绍了这部作品在越南文学史上的地位。他用越南语说：\n"
    "“Truyện Kiều là kiệt tác của văn học Việt Nam, được nhiều thế hệ người Việt thuộc lòng và "
    "được dịch ra nhiều thứ tiếng trên thế giới, trong đó có tiếng Trung Quốc, tiếng Anh và tiếng Pháp. "
    "Mỗi câu thơ trong tác phẩm đều chứa đựng tình yêu thương con người và khát vọng công lý.”\n"
    "与会者认为，这次活动有助于促进两国文化交流。\n"
)


def test_chinese_report_quoting_long_vietnamese_passages_is_chinese_and_mixed(cli, tmp_path):
    from workbench.reports.language import language_shares

    assert language_shares(ZH_QUOTING_VI)["vi"] > 0.5  # counting letters would call it Vietnamese
    assert detect_language(ZH_QUOTING_VI) == "zh"
    path = write(tmp_path, "kieu.txt", ZH_QUOTING_VI.encode())
    table = cli("segment", path)
    assert table.returncode == 0, table.stderr
    out = json.loads(cli("segment", path, "--json").stdout)
    share = out["languages"]["vi"]
    assert out["lang"] == "zh" and 0.5 < share < 0.6
    assert f"language zh (mixed: {share:.0%} vi)" in table.stdout
    texts = [s["text"] for s in out["sentences"]]
    # The quoted Vietnamese is split as Vietnamese, the Chinese around it as Chinese.
    assert "Trải qua một cuộc bể dâu, những điều trông thấy mà đau đớn lòng." in texts
    assert "主持人首先朗诵了《金云翘传》的开篇：" in texts and "他用越南语说：" in texts


def test_vietnamese_report_quoting_chinese_is_vietnamese_and_plain_reports_are_not_mixed():
    from workbench.reports.document import Document
    from workbench.reports.language import language_shares

    text = ("Đoàn đại biểu thành phố Quảng Châu đã đến thăm TP.HCM vào tuần trước.\n"
            "Ông Lý nhắc lại câu thơ cổ “床前明月光，疑是地上霜。举头望明月，低头思故乡。"
            "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。” trong bài phát biểu tại hội nghị.\n")
    assert language_shares(text)["zh"] > 0.5 and detect_language(text) == "vi"
    plain = ("Ông Lý nhắc đến hai chữ “明月” trong bài phát biểu tại hội nghị thượng đỉnh "
             "của các thành phố kết nghĩa.")
    doc = Document(Path("x"), "vi", "utf-8", plain)
    assert 0 < doc.languages["zh"] < 0.1 and doc.language_label == "vi"


def test_seed_reports_are_not_mixed(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        doc = load_document(path)
        assert doc.language_label == doc.lang and doc.languages[doc.lang] > 0.9
