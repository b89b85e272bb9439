"""Reports as they arrive: web pages and Word files, read through the real CLI.

The two news pages in tests/data are written like the sites they imitate: header,
menus, breadcrumbs, scripts, advertisements, a figure with its caption, a
related-news list, comments, a sidebar and a footer around the article, and the
publication date in `<meta property="article:published_time">`. The Word file is
made here with python-docx, with a text box and tracked changes added as raw XML.
"""

from __future__ import annotations

import html
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.test_reports_loading import assert_one_line_error
from workbench.reports.corpus import load_document, load_text
from workbench.store.aligned import read_aligned

DATA = ROOT / "tests" / "data"
VI_PAGE = DATA / "vi_news_page.html"
ZH_PAGE = DATA / "zh_news_page.html"
SEED_ZH = "000_75ef3c063faf8c49.txt"
SEED_VI = "002_9180580ce9d8d433.txt"

# The article of each page, sentence by sentence, as a reader of the page sees it.
VI_ARTICLE = [
    ("title", "Đối thoại Hữu nghị năm 2024: Các thành phố cùng hành động để xây dựng tương lai"),
    ("body", "Chủ tịch UBND TP.HCM Phan Văn Mãi kỳ vọng qua Đối thoại Hữu nghị lần 2, TP.HCM cùng bạn bè "
             "quốc tế có thêm cơ hội trao đổi, hợp tác để cùng chuyển đổi công nghiệp, phát triển bền vững."),
    ("body", "Sáng 24-9, TP.HCM tổ chức hội nghị Đối thoại Hữu nghị TP.HCM lần 2 năm 2024 với chủ đề "
             "“Chuyển đổi công nghiệp: Kinh nghiệm phát triển và ưu tiên hợp tác”."),
    ("body", "Tham dự có ông Nguyễn Văn Nên, Bí thư Thành ủy TP.HCM; ông Phan Văn Mãi, Chủ tịch UBND "
             "TP.HCM; bà Nguyễn Minh Hằng, Thứ trưởng Bộ Ngoại giao và 35 đoàn lãnh đạo đến từ các địa "
             "phương quốc tế có quan hệ hợp tác hữu nghị với TP.HCM."),
    ("caption", "Toàn cảnh phiên Hội nghị Thị trưởng trong khuôn khổ Đối thoại Hữu nghị TP.HCM lần 2 năm "
                "2024. Ảnh: NGUYỆT NHI"),
    ("title", "Thúc đẩy tinh thần hữu nghị để đạt mục tiêu chung"),
    ("body", "Nhắc lại về chủ đề của Đối thoại Hữu nghị lần 2, Chủ tịch UBND TP.HCM Phan Văn Mãi cho rằng "
             "chuyển đổi công nghiệp là một yêu cầu cấp thiết đối với TP.HCM và các đô thị trên toàn thế "
             "giới."),
    ("body", "Hành trình chuyển đổi công nghiệp của TP được thúc đẩy bởi cả động lực nội tại và những xu "
             "hướng toàn cầu."),
    ("body", "“Để duy trì tính cạnh tranh và phát triển bền vững, TP.HCM cần phải chuyển đổi từ các ngành "
             "công nghiệp truyền thống sang các ngành công nghiệp công nghệ cao và có giá trị gia tăng "
             "lớn” - ông Mãi thông tin."),
    ("body", "Người đứng đầu chính quyền TP.HCM cũng cam kết TP sẽ tiếp tục là một đối tác năng động, "
             "cởi mở và chân thành với các địa phương trên thế giới."),
]
ZH_ARTICLE = [
    ("title", "35个国际地方政府代表团出席2024年胡志明市友好对话会议"),
    ("body", "9月24日，胡志明市以“产业转型：发展经验与合作重点”为主题，召开2024年胡志明市友好对话会议。"),
    ("body", "会议有来自35个与胡志明市建立友好合作关系的国际地方政府代表团出席。"),
    ("body", "胡志明市人民委员会主席潘文迈在开幕式致辞中表示：“2024年友好对话的主题涉及当前紧迫的关键问题。"),
    ("body", "在深刻的产业转型时期，创新和可持续发展成为成功的决定性因素。”"),
    ("caption", "胡志明市人民委员会主席潘文迈在开幕式致辞。图自越通社"),
    ("body", "市人民委员会主席认为，从内部来看，为了保持竞争力和可持续发展，胡志明市需要从传统产业转向高科技和高附加值产业。"),
    ("body", "该市的目标是到2030年将高科技产业占全市GDP的比重从目前的23%提高到40%。"),
    ("body", "胡志明市采取了双重战略，将绿色转型和数字化转型相结合，以建设可持续、包容和有韧性的经济。"),
    ("body", "该市承诺将继续成为世界各地友城积极、开放和真诚的合作伙伴。"),
]
# Page furniture of each page: none of it may reach a sentence.
VI_FURNITURE = ["Trang chủ", "Đăng nhập", "Tìm kiếm", "Khuyến mãi", "Quảng cáo", "adSlot", "gtag",
                "Tin liên quan", "TP.HCM đón 35 đoàn", "Bình luận", "Mong thành phố", "Lan Anh",
                "Đọc nhiều", "Giá vàng", "Bản quyền", "Lên đầu trang", "Từ khóa", "Zalo", "Chia sẻ",
                "24/09/2024 11:35", "Thời sự"]
ZH_FURNITURE = ["首页", "登录", "搜索", "广告", "机票", "订阅", "相关新闻", "越美政治", "网友评论",
                "希望胡志明市", "热点新闻", "版权所有", "返回顶部", "分享到", "打印", "发布时间", "字号",
                "责任编辑", "_hmt"]


def segment_json(cli, path: Path) -> dict:
    proc = cli("segment", path, "--json")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    return json.loads(proc.stdout)


def source_line(page: Path, fragment: str) -> int:
    """The 1-based line of `page` where `fragment` first occurs."""
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


@pytest.mark.parametrize("page, article, furniture, meta", [
    (VI_PAGE, VI_ARTICLE, VI_FURNITURE,
     {"format": "html", "date": "2024-09-24", "site": "Báo Pháp Luật TP.HCM", "author": "Nguyệt Nhi",
      "title": "Đối thoại Hữu nghị năm 2024: Các thành phố cùng hành động"}),
    (ZH_PAGE, ZH_ARTICLE, ZH_FURNITURE,
     {"format": "html", "date": "2024-09-24", "site": "越通社",
      "title": "35个国际地方政府代表团出席2024年胡志明市友好对话会议"}),
], ids=["vi", "zh"])
def test_news_page_keeps_the_article_once_and_no_furniture(cli, page, article, furniture, meta):
    out = segment_json(cli, page)
    assert [(s["kind"], s["text"]) for s in out["sentences"]] == article
    text = "\n".join(s["text"] for s in out["sentences"])
    assert [f for f in furniture if f in text] == []
    assert {k: out["meta"].get(k) for k in meta} == meta
    # What was left out is reported by region, at its line in the HTML source.
    dropped = {(d["reason"], d["line"]) for d in out["dropped"]}
    comments = "<section class=\"comments\"" if page == VI_PAGE else "<div class=\"comment\""
    related = "<section class=\"related-news\">" if page == VI_PAGE else "<div class=\"related\">"
    assert ("comments", source_line(page, comments) + 1) in dropped
    assert ("related news", source_line(page, related) + 1) in dropped
    assert ("scripts", source_line(page, "<script")) in dropped
    reasons = {d["reason"] for d in out["dropped"]}
    assert {"navigation", "advertisement", "page footer", "sidebar", "HTML comments"} <= reasons
    shown = " ".join(d["text"] for d in out["dropped"])
    unseen = ("adSlot", "gtag", "_hmt", "订阅", "Tìm kiếm")  # in scripts and attributes: not page text
    assert [f for f in furniture if f not in shown and f not in unseen] == []


def test_segment_table_names_the_format_and_the_page(cli):
    proc = cli("segment", VI_PAGE)
    assert proc.returncode == 0, proc.stderr
    assert "language vi" in proc.stdout and "format html" in proc.stdout
    assert "date 2024-09-24" in proc.stdout and "related news" in proc.stdout


def test_html_saved_as_txt_is_read_as_a_web_page(cli, tmp_path):
    saved = tmp_path / "page.txt"
    saved.write_bytes(ZH_PAGE.read_bytes())
    out = segment_json(cli, saved)
    assert out["meta"]["format"] == "html"
    assert [(s["kind"], s["text"]) for s in out["sentences"]] == ZH_ARTICLE


def test_gbk_page_with_declared_charset(tmp_path):
    text = ZH_PAGE.read_text(encoding="utf-8").replace("charset=utf-8", "charset=gb2312")
    page = tmp_path / "gbk.html"
    page.write_bytes(text.encode("gb18030"))
    doc = load_document(page)
    assert doc.encoding == "gb18030"
    assert [(s.kind, s.text) for s in doc.sentences] == ZH_ARTICLE


# --- Word documents --------------------------------------------------------------------

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCX_ARTICLE = [
    ("title", "Đối thoại Hữu nghị năm 2024"),
    ("body", "Sáng 24-9, TP.HCM tổ chức hội nghị Đối thoại Hữu nghị TP.HCM lần 2 năm 2024 với chủ đề "
             "“Chuyển đổi công nghiệp: Kinh nghiệm phát triển và ưu tiên hợp tác”."),
    ("body", "Tham dự có ông Phan Văn Mãi, Chủ tịch UBND TP.HCM, và 35 đoàn lãnh đạo đến từ các địa "
             "phương quốc tế."),
    ("body", "Hội nghị bàn về chuyển đổi công nghiệp và phát triển bền vững."),
    ("title", "Các thành phố tham dự"),
    ("body", "Thành phố"), ("body", "Quốc gia"),
    ("body", "Torino"), ("body", "Ý"),
    ("body", "Osaka"), ("body", "Nhật Bản"),
    ("body", "Ông Stefano Lo Russo, Thị trưởng TP Torino, cho rằng vai trò của các thành phố ngày càng "
             "quan trọng."),
    ("body", "Đối thoại Hữu nghị là sự kiện đối ngoại thường niên của TP.HCM."),
]
DELETED = "Bản nháp cũ: hội nghị bị hoãn."


def _text_box(text: str) -> str:
    """A run holding a text box as Word writes it: the DrawingML box and its VML copy."""
    body = f"<w:txbxContent><w:p><w:r><w:t>{html.escape(text)}</w:t></w:r></w:p></w:txbxContent>"
    return (
        f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml">'
        '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic>'
        '<a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx>{body}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{body}</v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


def make_docx(path: Path) -> Path:
    """A Vietnamese report as a colleague would send it: heading, paragraphs, a table,
    a text box, and tracked changes (one deletion, one insertion)."""
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    document.core_properties.title = "Đối thoại Hữu nghị 2024"
    document.core_properties.author = "Nguyệt Nhi"
    document.add_heading(DOCX_ARTICLE[0][1], level=1)
    document.add_paragraph(DOCX_ARTICLE[1][1])
    paragraph = document.add_paragraph(DOCX_ARTICLE[2][1])
    paragraph._p.append(parse_xml(
        f'<w:del {W_NS} w:id="1" w:author="Biên tập" w:date="2024-09-24T08:00:00Z"><w:r>'
        f'<w:delText xml:space="preserve"> {DELETED}</w:delText></w:r></w:del>'))
    paragraph = document.add_paragraph()
    paragraph._p.append(parse_xml(
        f'<w:ins {W_NS} w:id="2" w:author="Biên tập" w:date="2024-09-24T08:00:00Z"><w:r>'
        f'<w:t>{DOCX_ARTICLE[3][1]}</w:t></w:r></w:ins>'))
    document.add_heading(DOCX_ARTICLE[4][1], level=2)
    table = document.add_table(rows=3, cols=2)
    for i, (_, text) in enumerate(DOCX_ARTICLE[5:11]):
        table.cell(i // 2, i % 2).text = text
    paragraph = document.add_paragraph(DOCX_ARTICLE[11][1])
    paragraph._p.append(parse_xml(_text_box(DOCX_ARTICLE[12][1])))
    document.save(path)
    return path


def test_docx_paragraphs_headings_table_text_box_and_tracked_changes(cli, tmp_path):
    out = segment_json(cli, make_docx(tmp_path / "bao-cao.docx"))
    assert [(s["kind"], s["text"]) for s in out["sentences"]] == DOCX_ARTICLE
    assert out["lang"] == "vi" and out["encoding"] == "docx"
    assert out["meta"] == {"format": "docx", "title": "Đối thoại Hữu nghị 2024", "author": "Nguyệt Nhi"}
    assert {"text": DELETED, "reason": "tracked deletion", "line": 3} in out["dropped"]


def test_pair_finds_the_page_and_its_counterpart_and_skips_the_rest(cli, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    for page in (VI_PAGE, ZH_PAGE):
        shutil.copy(page, folder / page.name)
    skipped = make_not_reports(folder)
    proc = cli("pair", folder, "--json")
    assert proc.returncode == 0, proc.stderr
    pairs = json.loads(proc.stdout)["pairs"]
    assert [(p["zh"], p["vi"]) for p in pairs] == [("zh_news_page.html", "vi_news_page.html")]
    warnings = proc.stderr.strip().splitlines()
    assert all(line.startswith("skipped: ") for line in warnings), proc.stderr
    assert sorted(Path(line.removeprefix("skipped: ").split(": ")[0]).name
                  for line in warnings) == sorted(skipped)


def test_pair_reason_names_the_page_date(cli, tmp_path):
    """Pairing reads the page's own date (Document.meta["date"]) as time evidence."""
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in (VI_PAGE, ZH_PAGE):
        shutil.copy(page, folder / page.name)
    proc = cli("pair", folder, "--json")
    assert proc.returncode == 0, proc.stderr
    (pair,) = json.loads(proc.stdout)["pairs"]
    assert "page date" in pair["reason"], pair["reason"]


def test_docx_pairs_with_a_chinese_page(cli, tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    make_docx(folder / "bao-cao.docx")
    shutil.copy(ZH_PAGE, folder / ZH_PAGE.name)
    proc = cli("pair", folder, "--json")
    assert proc.returncode == 0, proc.stderr
    assert [(p["zh"], p["vi"]) for p in json.loads(proc.stdout)["pairs"]] == [
        ("zh_news_page.html", "bao-cao.docx")]


def make_not_reports(folder: Path) -> list[str]:
    """Files a folder of reports also holds; returns the names of those said to be skipped
    (the workbench's own aligned file is set apart without a word)."""
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    (folder / "logo.svg").write_text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    with zipfile.ZipFile(folder / "renamed.docx", "w") as archive:
        archive.writestr("notes.txt", "not a Word document")
    with zipfile.ZipFile(folder / "sheet.xlsx", "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    (folder / "x__y.jsonl").write_text(json.dumps({"format": "workbench-aligned", "version": 1}) + "\n")
    return ["logo.svg", "photo.jpg", "renamed.docx", "scan.pdf", "sheet.xlsx"]


def test_folder_listing_tells_reports_by_content(tmp_path, seeds_dir):
    from workbench.reports.listing import list_reports

    shutil.copy(seeds_dir / SEED_ZH, tmp_path / "report.txt")
    (tmp_path / "page.txt").write_bytes(VI_PAGE.read_bytes())  # a web page saved as .txt
    (tmp_path / "page.htm").write_bytes(ZH_PAGE.read_bytes())
    make_docx(tmp_path / "word.docx")
    (tmp_path / "utf16.txt").write_bytes("Báo cáo".encode("utf-16"))
    skipped = make_not_reports(tmp_path)
    listing = list_reports(tmp_path)
    assert [p.name for p in listing.files] == ["page.htm", "page.txt", "report.txt", "utf16.txt", "word.docx"]
    reasons = {p.name: why for p, why in listing.skipped}
    assert sorted(reasons) == sorted(skipped)
    assert [p.name for p in listing.own] == ["x__y.jsonl"]
    assert "JPEG" in reasons["photo.jpg"] and "PDF" in reasons["scan.pdf"] and "SVG" in reasons["logo.svg"]
    assert reasons["renamed.docx"] == "a ZIP archive, not a report"
    assert "Excel" in reasons["sheet.xlsx"]


def test_run_aligns_pages_and_skips_other_files_with_one_line_each(cli, tmp_path):
    folder, out = tmp_path / "inbox", tmp_path / "aligned"
    folder.mkdir()
    for page in (VI_PAGE, ZH_PAGE):
        shutil.copy(page, folder / page.name)
    skipped = make_not_reports(folder)
    proc = cli("run", folder, "--out", out, "--mt", "none")
    assert proc.returncode == 0, proc.stderr
    aligned = read_aligned(out / "zh_news_page__vi_news_page.jsonl")
    assert [s["text"] for s in aligned.header["vi"]["sentences"]] == [t for _, t in VI_ARTICLE]
    for name in skipped:
        assert sum(f"skipped: {folder / name}:" in line for line in proc.stderr.splitlines()) == 1


def test_translate_takes_pages_and_word_files_and_skips_the_rest(cli, tmp_path, tiny_model_vi,
                                                                 isolated_env):
    isolated_env["OMP_NUM_THREADS"] = "1"
    folder, out = tmp_path / "inbox", tmp_path / "en"
    (folder / "week").mkdir(parents=True)
    shutil.copy(VI_PAGE, folder / "week" / "page.html")
    make_docx(folder / "bao-cao.docx")
    (folder / "week" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64))
    proc = cli("translate", folder, "--out", out, "--model-vi", tiny_model_vi, "--no-progress")
    assert proc.returncode == 0, proc.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.en.txt")) == [
        "bao-cao.en.txt", "week/page.en.txt"]
    assert len((out / "week" / "page.en.txt").read_text(encoding="utf-8").splitlines()) == len(VI_ARTICLE)
    assert [line for line in proc.stderr.splitlines() if "skipped" in line] == [
        f"skipped: {folder / 'week' / 'photo.jpg'}: a JPEG image, not a report"]


# --- the seed pair as web pages -----------------------------------------------------------

def wrap_in_page(seed: Path, page: Path) -> Path:
    """The seed's text as a news site would serve it: its first line the headline, every
    other line a paragraph of the article, with the site's furniture around it."""
    text, _ = load_text(seed)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    article = [f"<h1>{html.escape(lines[0])}</h1>"] + [f"<p>{html.escape(line)}</p>" for line in lines[1:]]
    page.write_text(
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8">\n'
        f"<title>{html.escape(lines[0])}</title>\n"
        "<script>window.dataLayer = [];</script>\n</head><body>\n"
        '<header class="site-header"><a href="/">Home</a> <a href="/login">Login</a></header>\n'
        '<nav class="menu"><a href="/a">A</a> <a href="/b">B</a> <a href="/c">C</a></nav>\n'
        '<div class="ads-banner">Advertisement</div>\n'
        '<article class="detail">\n' + "\n".join(article) + "\n</article>\n"
        '<div class="comments"><p>Reader: a comment on the article.</p></div>\n'
        "<footer>Copyright 2024</footer>\n</body></html>\n", encoding="utf-8")
    return page


def test_seed_pair_as_web_pages_aligns_as_the_text_files_do(cli, tmp_path, seeds_dir):
    pages = tmp_path / "pages"
    pages.mkdir()
    zh = wrap_in_page(seeds_dir / SEED_ZH, pages / "zh.html")
    vi = wrap_in_page(seeds_dir / SEED_VI, pages / "vi.html")
    beads = []
    for pair, out in (((seeds_dir / SEED_ZH, seeds_dir / SEED_VI), tmp_path / "text.jsonl"),
                      ((zh, vi), tmp_path / "html.jsonl")):
        proc = cli("align", *pair, "--out", out, "--mt", "none")
        assert proc.returncode == 0, proc.stderr
        aligned = read_aligned(out)
        beads.append([(b.zh, b.vi, b.zh_text, b.vi_text, b.score) for b in aligned.beads])
    assert beads[0] == beads[1]
    assert sum(1 for zh_ids, vi_ids, *_ in beads[0] if zh_ids and vi_ids) >= 5


# --- bad input ---------------------------------------------------------------------------

def test_page_without_article_text_is_one_line(cli, tmp_path):
    page = VI_PAGE.read_text(encoding="utf-8")
    start, end = page.index("<main>"), page.index("</main>") + len("</main>")
    empty = tmp_path / "index.html"
    empty.write_text(page[:start] + "<main></main>" + page[end:], encoding="utf-8")
    assert_one_line_error(cli("segment", empty), empty, "no article text found in the web page")


def test_renamed_zip_is_not_a_word_document(cli, tmp_path):
    fake = tmp_path / "report.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("report.txt", "Báo cáo về hội nghị.")
    assert_one_line_error(cli("segment", fake), fake, "a ZIP archive, not a Word document")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    assert_one_line_error(cli("segment", broken), broken, "damaged ZIP")


def test_page_of_more_than_10_mb_around_a_short_article(cli, tmp_path):
    """The limit is on the text: 11 MB of scripts, inline images and menus are fine."""
    page = VI_PAGE.read_text(encoding="utf-8")
    data = json.dumps([{"id": i, "title": f"Tin số {i}", "url": f"/tin/{i}"} for i in range(180_000)],
                      ensure_ascii=False)
    image = "<img alt='' src='data:image/png;base64," + "iVBORw0KGgo" * 40_000 + "'>"
    menu = "<ul class='mega-menu'>" + "".join(f"<li><a href='/c/{i}'>Mục {i}</a></li>"
                                              for i in range(2000)) + "</ul>"
    big = tmp_path / "big.html"
    big.write_text(page.replace('<body class="article-page">', '<body class="article-page">'
                                f'<script id="__NEXT_DATA__" type="application/json">{data}</script>'
                                + image + menu), encoding="utf-8")
    assert big.stat().st_size > 10 * 1024 * 1024
    out = segment_json(cli, big)
    assert [(s["kind"], s["text"]) for s in out["sentences"]] == VI_ARTICLE


def test_markup_over_the_raw_limit_is_refused_before_reading(cli, tmp_path):
    from workbench.reports.loading import MAX_MARKUP_BYTES

    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:
        fh.write(b"<!DOCTYPE html><html><body><p>")
        fh.truncate(MAX_MARKUP_BYTES + 1)  # sparse: nothing is written, nothing may be read
    line = assert_one_line_error(cli("segment", huge, timeout=60), huge, "web page", "100 MB")
    assert "10 MB" in line


# --- page shapes of other sites --------------------------------------------------------------

PARAGRAPHS = [
    "Sáng 24-9, TP.HCM tổ chức hội nghị Đối thoại Hữu nghị lần 2 năm 2024 với nhiều đại biểu quốc tế.",
    "Tham dự có ông Phan Văn Mãi, Chủ tịch UBND TP.HCM, và nhiều đại biểu khác từ các thành phố.",
    "Hội nghị bàn về chuyển đổi công nghiệp, phát triển bền vững và hợp tác giữa các địa phương.",
    "Các đại biểu cũng thảo luận về kinh nghiệm phát triển đô thị thông minh và chuyển đổi số.",
]
_P = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)


@pytest.mark.parametrize("body, headline, caption", [
    # paragraphs separated by <br> in one <div>; no <h1>: the page title is the headline
    ("<div class='content'>" + "<br><br>".join(PARAGRAPHS) + "</div>", "Đối thoại Hữu nghị 2024", None),
    # an old table layout: a link menu in one cell, the article in the other
    ("<table><tr><td class='left'><a href='/1'>Xã hội</a><br><a href='/2'>Kinh doanh</a></td>"
     "<td><span class='tieude'>Đối thoại Hữu nghị năm 2024</span>" + _P + "</td></tr></table>",
     "Đối thoại Hữu nghị năm 2024", None),
    # the photo comes after the last paragraph
    ("<article><h1>Đối thoại Hữu nghị năm 2024</h1>" + _P + "<figure><img src='a.jpg'>"
     "<figcaption>Toàn cảnh hội nghị. Ảnh: NGUYỆT NHI</figcaption></figure></article>",
     "Đối thoại Hữu nghị năm 2024", "Toàn cảnh hội nghị. Ảnh: NGUYỆT NHI"),
], ids=["br-no-h1", "table-layout", "caption-last"])
def test_other_page_shapes(tmp_path, body, headline, caption):
    page = tmp_path / "page.html"
    page.write_text("<html><head><meta charset='utf-8'><title>Đối thoại Hữu nghị 2024 - Báo X</title></head>"
                    "<body><nav><a href='/'>Trang chủ</a> <a href='/ts'>Thời sự</a></nav>" + body +
                    "<div class='footer'>Bản quyền © Báo X</div></body></html>", encoding="utf-8")
    doc = load_document(page)
    expected = [("title", headline)] + [("body", p) for p in PARAGRAPHS]
    expected += [("caption", caption)] if caption else []
    assert [(s.kind, s.text) for s in doc.sentences] == expected
