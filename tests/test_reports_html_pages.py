"""Web pages as real sites saved them: legacy encodings, collection wrappers, CMS markup.

Each page is written here the way the 2000s Chinese portals of ../shared/dev-html
are: GB2312 bytes, a CleanEval `<text id=… encoding=…>` line before the markup,
long scripts of Latin text, a few bytes the encoding does not have, an article
container named by the CMS that made it. Run through the real CLI.
"""

from __future__ import annotations

import json

from lxml import etree

from workbench.reports.formats import html as html_format

ARTICLE = [
    "本报讯 十三岁的李某昨日在长春市某医院生下一名女婴，医生说母女平安，但仍需观察治疗。",
    "据医生介绍，此次生育对她的身体造成很大伤害，女婴得了吸入性肺炎，需要留院观察。",
    "李某说，她早就辍学了，两年前和父母一起搬到了长春，在公主岭居住时与男友相识。",
    "医生称，他工作这么多年，还没遇到过年龄这么小的产妇，社会的引导就变得格外重要。",
]
SCRIPT = "\n".join(f"function menu{i}(event) {{ if (event.ctrlKey && event.keyCode == 13) "
                   f"{{ document.getElementById('header').style.display = 'none'; }} }}" for i in range(60))


def page(article_class: str = "content", paragraphs: list[str] = ARTICLE, wrapper: bool = True,
         before: str = "") -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return ((('<text id="http://news.example.cn/2005/0731/255509.shtml" title="十三岁女孩生下女婴" '
              'encoding="gb2312">\n') if wrapper else "")
            + '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">\n'
            + f"<title>十三岁女孩生下女婴</title>\n<script>\n{SCRIPT}\n</script></head>\n<body>\n"
            + '<div id="nav"><a href="/">首页</a> <a href="/news">新闻</a> <a href="/sports">体育</a></div>\n'
            + f'<h1>十三岁女孩生下女婴</h1>\n{before}<div class="{article_class}">\n{body}\n</div>\n'
            + '<div class="footer">版权所有 新闻网</div>\n</body></html>\n'
            + ("</text>\n" if wrapper else ""))


def segment(cli, path):
    proc = cli("segment", "--json", path)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def body_text(doc) -> str:
    return "".join(s["text"] for s in doc["sentences"] if s["kind"] == "body")


def test_gb2312_page_with_a_cleaneval_wrapper_line_is_a_chinese_web_page(cli, tmp_path):
    path = tmp_path / "yahoo.html"
    path.write_bytes(page().encode("gb2312"))
    doc = segment(cli, path)
    assert doc["lang"] == "zh" and doc["encoding"] == "gb18030" and doc["meta"]["format"] == "html"
    assert body_text(doc) == "".join(ARTICLE)
    assert not any("function" in s["text"] or "encoding=" in s["text"] for s in doc["sentences"])


def test_wrapper_line_page_saved_as_txt_is_read_as_a_web_page(cli, tmp_path):
    path = tmp_path / "page.txt"
    path.write_bytes(page().encode("gb2312"))
    assert body_text(segment(cli, path)) == "".join(ARTICLE)


def test_a_page_whose_article_is_english_is_still_refused(cli, tmp_path):
    english = ["The thirteen-year-old gave birth yesterday in a hospital in Changchun, doctors said.",
               "The doctors said the baby had pneumonia and would stay in hospital for observation."]
    path = tmp_path / "english.html"
    path.write_bytes(page(paragraphs=english).replace("十三岁女孩生下女婴", "Girl gives birth")
                     .encode("gb2312"))
    proc = cli("segment", path)
    assert proc.returncode == 2 and "unsupported language" in proc.stderr


def test_a_few_bytes_the_encoding_lacks_are_replaced_and_counted(cli, tmp_path):
    data = page().encode("gb2312")
    cut = data.index("医生说".encode("gb2312"))
    damaged = data[:cut] + b"\xd2" + data[cut:]  # a lone lead byte: not GB18030
    path = tmp_path / "damaged.html"
    path.write_bytes(damaged)
    doc = segment(cli, path)
    assert doc["lang"] == "zh" and doc["encoding"] == "gb18030"
    assert "".join(ARTICLE[1:]) in body_text(doc)
    assert any(note.startswith("1 byte sequence(s) not valid gb18030") for note in doc["notes"])


def test_a_text_report_with_a_damaged_byte_is_still_refused(cli, tmp_path):
    path = tmp_path / "damaged.txt"
    path.write_bytes("\n".join(ARTICLE).encode("gb2312")[:40] + b"\xd2" + "。".encode("gb2312") * 3
                     + b"\xff\xfe\xfd")
    proc = cli("segment", path)
    assert proc.returncode == 2 and "unknown text encoding" in proc.stderr


def test_an_article_container_named_by_its_cms_is_kept(cli, tmp_path):
    """TRS, a CMS of Chinese news sites, names the article's container "TRS_Editor"."""
    path = tmp_path / "trs.html"
    dateline = "<div><p>2005-07-31 09:57 新闻网</p><p>【新春走基层】</p></div>\n"
    path.write_text(page("TRS_Editor", wrapper=False, before=dateline).replace("gb2312", "utf-8"),
                    encoding="utf-8")
    assert body_text(segment(cli, path)).endswith("".join(ARTICLE))


def test_a_byline_inside_the_article_is_still_dropped(cli, tmp_path):
    path = tmp_path / "byline.html"
    lines = [*ARTICLE, "<span class='editor'>责任编辑：王明</span>"]
    path.write_text(page("TRS_Editor", lines, wrapper=False), encoding="utf-8")
    doc = segment(cli, path)
    assert body_text(doc) == "".join(ARTICLE)
    assert any("王明" in d["text"] for d in doc["dropped"])


def test_an_interviewers_questions_are_article_text_not_bylines(cli, tmp_path):
    interview = ["记者：首先欢迎你来到新华网接受我们的采访，请问你是怎么走上农机这条路的？",
                 "李金泽：我从小在农村长大，对农业机械一直很有感情，后来就开了这家工厂。",
                 "记者：你通过什么渠道最快地获取这些信息？",
                 "李金泽：主要是看报纸和上网，国家的农业政策我每天都会关注。",
                 "（记者 张明超）"]
    path = tmp_path / "interview.html"
    path.write_text(page(paragraphs=interview, wrapper=False), encoding="utf-8")
    doc = segment(cli, path)
    assert body_text(doc) == "".join(interview[:4])
    assert any(d["text"] == "（记者 张明超）" for d in doc["dropped"])


def test_text_the_extractor_reordered_is_matched_block_by_block():
    """trafilatura may move a paragraph inside a long part: each page block is found in it."""
    root = html_format._parse("<html><body><div>" + "".join(f"<p>{p}</p>" for p in ARTICLE)
                              + "<p>首页</p></div></body></html>", None)
    blocks, _ = html_format._page_blocks(root)
    body = etree.fromstring(f"<body><p>{ARTICLE[2]}{ARTICLE[0]}{ARTICLE[1]}{ARTICLE[3]}</p></body>")
    assert html_format._match(blocks, body) == {0, 1, 2, 3}
