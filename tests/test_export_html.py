"""`workbench export html`: the aligned pair as a page, checked in headless Chromium (Debian's
`chromium`; the browser tests skip without it) and, for what the markup must hold, parsed with lxml."""

from __future__ import annotations

import json
import os
import shutil
import struct
from pathlib import Path

import lxml.html
import pytest

from tests.support.browser import CHROMIUM, DESKTOP, PHONE, Browser, run_chromium
from tests.support.review_support import sample_aligned, write_glossary
from workbench.store.aligned import make_bead, read_aligned, write_aligned

ROOT = Path(__file__).resolve().parent.parent
SEED_PAIR = ROOT / "aligned" / "000_75ef3c063faf8c49__002_9180580ce9d8d433.jsonl"
HARD = ROOT.parent / "shared" / "dev-zhvi" / "align" / "hard"
SCREENSHOT = ROOT / "docs" / "html_export_desktop.png"  # shown in the README; rewritten with the env below
UPDATE_SCREENSHOT = os.environ.get("WORKBENCH_UPDATE_SCREENSHOTS") == "1"
# Markup a scraped report could carry: each would run script if it reached the page as markup.
PAYLOADS = ("<img src=x onerror=\"document.title='pwned'\">",
            "<script>document.body.dataset.pwned=1</script>",
            "</style><svg onload=\"document.body.dataset.pwned=2\"></svg>",
            "\"><iframe srcdoc=\"<script>parent.document.body.dataset.pwned=3</script>\"></iframe>")

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (Debian: "
                                    "apt-get install -y chromium); the page is not checked in a browser")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if CHROMIUM is None:
        pytest.skip("chromium is not installed (Debian: apt-get install -y chromium)")
    with Browser(tmp_path_factory.mktemp("chromium-profile")) as b:
        yield b


def css(element, selector: str) -> list:
    """Elements under `element` matching a descendant chain of `tag.class` steps (what these tests need
    of CSS selectors, as XPath)."""
    path = "."
    for step in selector.split():
        tag, *classes = step.split(".")
        path += "//" + (tag or "*") + "".join(
            f"[contains(concat(' ', normalize-space(@class), ' '), ' {c} ')]" for c in classes)
    return element.xpath(path)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def export(cli, source: Path, *args: str) -> Path:
    proc = cli("export", "html", str(source), *args)
    assert proc.returncode == 0, proc.stderr
    return source.with_suffix(".html") if "--out" not in args else Path(args[args.index("--out") + 1])


def page_facts(tab) -> dict:
    """What the rendered page shows, read from the live DOM after its script ran."""
    return tab.eval("""(() => {
      const ids = sel => [...document.querySelectorAll(sel)].map(e => e.id);
      return {
        links: document.querySelectorAll('main .row.link').length,
        alone: {zh: ids('.row.gap .side.zh.alone .s'), vi: ids('.row.gap .side.vi.alone .s')},
        labels: [...document.querySelectorAll('.side.alone .label')].map(e => e.textContent),
        shading: [...document.querySelectorAll('.side.alone')].map(e => getComputedStyle(e).backgroundColor),
        linkShading: [...document.querySelectorAll('.row.link .side')].map(e => getComputedStyle(e).backgroundColor),
        js: document.documentElement.classList.contains('js'),
        scripts: document.scripts.length,
        overflow: document.documentElement.scrollWidth - innerWidth,
        aloneLinks: [...document.querySelectorAll('#alone a')].map(a => {
          const target = document.getElementById(a.hash.slice(1));
          return {shown: a.textContent, id: a.hash.slice(1), text: target && target.querySelector('.src').textContent,
                  shaded: !!(target && target.closest('.side.alone'))};
        }),
      };
    })()""")


def sides_layout(tab) -> dict:
    """Where the first link row puts its zh and vi sides."""
    return tab.eval("""(() => {
      const row = document.querySelector('main .row.link');
      const box = s => row.querySelector('.side.' + s).getBoundingClientRect();
      const zh = box('zh'), vi = box('vi');
      return {zhRight: zh.right, viLeft: vi.left, zhBottom: zh.bottom, viTop: vi.top, zhTop: zh.top};
    })()""")


def unaligned_ids(path: Path) -> dict[str, list[str]]:
    beads = read_aligned(path).beads
    return {side: [f"{side}-{i}" for b in beads if not (b.zh and b.vi) for i in getattr(b, side)]
            for side in ("zh", "vi")}


# ----- the seed pair, in the browser ------------------------------------------------------------------
@needs_chromium
def test_seed_pair_side_by_side_on_desktop_stacked_on_a_phone(tmp_path, cli, browser):
    source = tmp_path / SEED_PAIR.name
    shutil.copy(SEED_PAIR, source)
    page = export(cli, source)  # the repo's glossary/ by default
    beads = read_aligned(source).beads
    tab = browser.open(page.as_uri(), DESKTOP)
    facts = page_facts(tab)
    assert facts["links"] == sum(1 for b in beads if b.zh and b.vi) == 6
    # every sentence without a partner sits, shaded and labelled, on its own side
    assert {side: sorted(facts["alone"][side]) for side in ("zh", "vi")} == \
        {side: sorted(ids) for side, ids in unaligned_ids(source).items()}
    assert set(facts["labels"]) >= {"only in the Chinese report · 2 sentences",
                                    "only in the Vietnamese report · 2 sentences"}
    assert all(c not in ("rgba(0, 0, 0, 0)", "transparent") for c in facts["shading"])
    assert set(facts["linkShading"]) == {"rgba(0, 0, 0, 0)"}
    assert facts["js"] and facts["scripts"] == 1  # the page's own script ran under its CSP
    # what each report has alone: each fact links to a shaded sentence of its side that gives it
    shown = {a["shown"] for a in facts["aloneLinks"]}
    assert {"2030", "40%", "Nguyễn Văn Nên", "Nguyễn Minh Hằng"} <= shown
    assert all(a["shaded"] for a in facts["aloneLinks"])
    assert next(a for a in facts["aloneLinks"] if a["shown"] == "Nguyễn Văn Nên")["text"].count("Nguyễn Văn Nên")
    assert "2030" in next(a for a in facts["aloneLinks"] if a["shown"] == "2030")["text"]
    # glossary terms marked in both reports, the glossary English on hover
    titles = tab.eval("[...document.querySelectorAll('mark.term')].map(m => m.closest('[lang]').lang + ' ' + m.title)")
    assert any(t.startswith("zh-CN Ho Chi Minh City") for t in titles)
    assert any(t.startswith("vi Ho Chi Minh City") for t in titles)
    desktop = sides_layout(tab)
    assert desktop["zhRight"] <= desktop["viLeft"] and desktop["zhTop"] == desktop["viTop"]
    shot = tab.screenshot(tmp_path / "desktop.png")
    assert png_size(shot) == DESKTOP
    if UPDATE_SCREENSHOT or not SCREENSHOT.exists():
        SCREENSHOT.parent.mkdir(exist_ok=True)
        SCREENSHOT.write_bytes(shot)

    tab.resize(PHONE)
    tab.next_frame()
    phone = sides_layout(tab)
    assert phone["viTop"] >= phone["zhBottom"]  # stacked: zh above vi
    assert page_facts(tab)["overflow"] <= 0    # nothing wider than the phone
    assert png_size(tab.screenshot(tmp_path / "phone.png")) == PHONE


@needs_chromium
def test_keys_jump_between_gaps_and_filters_work_without_javascript(tmp_path, cli, browser):
    source = tmp_path / SEED_PAIR.name
    shutil.copy(SEED_PAIR, source)
    page = export(cli, source)
    tab = browser.open(page.as_uri(), DESKTOP)
    gaps = tab.eval("[...document.querySelectorAll('.row.gap')].map(r => r.id)")
    visited = []
    for _ in range(3):
        tab.key("n")
        tab.next_frame()
        visited.append(tab.eval("location.hash.slice(1)"))
    assert visited == gaps[:3]
    tab.key("p")
    tab.next_frame()
    assert tab.eval("location.hash.slice(1)") == gaps[1]

    tab.send("Emulation.setScriptExecutionDisabled", {"value": True})
    tab.navigate(page.as_uri())
    assert tab.eval("document.documentElement.classList.contains('js')") is False
    shown = "[...document.querySelectorAll('main .row')].filter(r => r.offsetParent !== null).map(r => r.className)"
    assert any("link" in c for c in tab.eval(shown))
    tab.eval("document.querySelector('label[for=f-gaps]').click()")  # what a click on the label does
    assert tab.eval(shown) and all(c.startswith("row gap") for c in tab.eval(shown))
    tab.send("Emulation.setScriptExecutionDisabled", {"value": False})


@needs_chromium
def test_print_hides_the_tools_and_keeps_the_beads(tmp_path, cli, browser):
    source = tmp_path / SEED_PAIR.name
    shutil.copy(SEED_PAIR, source)
    tab = browser.open(export(cli, source).as_uri(), DESKTOP)
    tab.send("Emulation.setEmulatedMedia", {"media": "print"})
    assert tab.eval("getComputedStyle(document.querySelector('.tools')).display") == "none"
    assert tab.eval("getComputedStyle(document.querySelector('main .row')).breakInside") == "avoid"
    pdf = tab.send("Page.printToPDF", {})["data"]
    assert len(pdf) > 10_000
    tab.send("Emulation.setEmulatedMedia", {"media": ""})


# ----- report text is text ------------------------------------------------------------------------
def hostile_file(tmp_path: Path) -> Path:
    """The sample with markup in both titles, sentences of both sides, their English and a note."""
    aligned = sample_aligned(True)
    for n, side in enumerate(("zh", "vi")):
        doc = aligned.header[side]
        doc["title"] = f"{side} title {PAYLOADS[0]}"
        doc["file"] = f"{side}{PAYLOADS[1]}.txt"
        for k, sentence in enumerate(doc["sentences"][:4]):
            sentence["text"] = f"{sentence['text']} {PAYLOADS[(k + n) % len(PAYLOADS)]} \x1b[2J\x00end"
            sentence["en"] = f"English {PAYLOADS[(k + n + 1) % len(PAYLOADS)]}"
    aligned.beads = [make_bead(aligned.header, b.zh, b.vi, b.score) for b in aligned.beads]
    aligned.beads[0].note = f"note {PAYLOADS[2]}"
    aligned.beads[1].vi_en = f"reviewed {PAYLOADS[3]}"
    aligned.beads[1].history.append({"side": "vi", "en": "earlier", "source": "mt", "replaced_by": "edit"})
    path = tmp_path / "hostile.jsonl"
    write_aligned(path, aligned)
    return path


def test_markup_in_a_report_is_escaped_text(tmp_path, cli):
    page = export(cli, hostile_file(tmp_path))
    doc = lxml.html.parse(str(page)).getroot()
    assert len(doc.findall(".//script")) == 1 and not doc.xpath("//img|//svg|//iframe")
    assert not [e for e in doc.iter() if isinstance(e.tag, str) for a in e.attrib if a.startswith("on")]
    text = doc.text_content()
    for payload in PAYLOADS:
        assert payload in text  # shown as written
    assert "\x1b" not in page.read_text(encoding="utf-8")  # control characters dropped, the rest kept


@needs_chromium
def test_no_script_from_a_report_runs_in_the_browser(tmp_path, cli, browser):
    page = export(cli, hostile_file(tmp_path))
    # Chromium's own --dump-dom: the DOM after the page's scripts ran
    proc = run_chromium(["--dump-dom", page.as_uri()], tmp_path / "profile")
    assert proc.returncode == 0, proc.stderr
    dom = lxml.html.fromstring(proc.stdout)
    assert "js" in (dom.get("class") or "")  # scripts do run here: ours did
    assert dom.find("body").get("data-pwned") is None
    assert len(dom.findall(".//script")) == 1 and not dom.xpath("//img|//svg|//iframe")
    tab = browser.open(page.as_uri(), DESKTOP)
    assert tab.eval("document.title") != "pwned" and tab.eval("document.body.dataset.pwned") is None
    visible = tab.eval("document.body.innerText")
    assert all(payload in visible for payload in PAYLOADS[:3])


# ----- what the page holds: English, statuses, terms, flags ------------------------------------------
def test_english_statuses_review_marks_terms_and_flags(tmp_path, cli):
    aligned = sample_aligned(True)
    zh = aligned.header["zh"]["sentences"]
    zh[0].update(en_source="glossary", mt_warnings=["length_ratio: 0.3 of the source's tokens"])
    aligned.beads[0] = make_bead(aligned.header, [0], [0], 0.62, status="confirmed")
    aligned.beads[1] = make_bead(aligned.header, [1], [1], 0.81, status="confirmed", note="dates\nchecked")
    aligned.beads[1].vi_en = "On the morning of 24 September, HCMC held the dialogue."
    aligned.beads[1].history.append({"side": "vi", "en": "earlier", "source": "mt", "replaced_by": "edit"})
    aligned.beads[2] = make_bead(aligned.header, [2], [2], 0.44, status="rejected")
    source = tmp_path / "sample.jsonl"
    write_aligned(source, aligned)
    page = export(cli, source, "--glossary", str(write_glossary(tmp_path / "glossary")), "--out",
                  str(tmp_path / "out" / "sample.html"))
    doc = lxml.html.parse(str(page)).getroot()
    rows = css(doc, "main .row")
    assert [r.get("id") for r in rows] == ["b-0", "b-1", "b-2", "b-3", "b-4", "b-5"]  # b-5, b-6: one gap row
    assert [r.get("data-status") for r in rows[:5]] == ["confirmed", "confirmed", "rejected", "auto", "auto"]
    assert [css(r, ".status")[0].text for r in rows] == \
        ["confirmed", "confirmed", "rejected", "automatic", "automatic", "no partner"]
    assert [css(r, ".score")[0].text for r in rows[:5]] == ["0.62", "0.81", "0.44", "0.77", "0.70"]
    # English under each sentence, its origin named; the reviewer's English marked, the bead too
    first_zh = css(rows[0], ".side.zh .s")[0]
    assert css(first_zh, ".en")[0].get("lang") == "en"
    assert css(first_zh, ".en .tag")[0].text == "MT + glossary"
    reviewed = css(rows[1], ".side.vi .en.reviewer")[0]
    assert reviewed.text_content() == "reviewerOn the morning of 24 September, HCMC held the dialogue."
    assert "edited" in rows[1].get("class") and css(rows[1], ".edited")
    assert "edited" not in rows[0].get("class")
    assert css(rows[1], ".note")[0].text_content() == "note: dates\nchecked"
    # glossary terms in zh, vi and English, each with the glossary's English as its title
    marks = {(m.getparent().get("lang") or m.getparent().getparent().get("lang"), m.text, m.get("title").split(" (")[0])
             for m in css(doc, "mark.term")}
    assert ("zh-CN", "胡志明市", "Ho Chi Minh City | HCMC") in marks
    assert ("vi", "TP.HCM", "Ho Chi Minh City | HCMC") in marks
    assert ("en", "Ho Chi Minh City", "Ho Chi Minh City | HCMC") in marks
    # QA flags on their beads: the MT warning on bead 0
    flags = [li.text_content() for li in css(rows[0], ".flags li")]
    assert "MT warnings: zh MT length_ratio: 0.3 of the source's tokens" in flags
    assert "flagged" in rows[0].get("class")
    counts = css(doc, ".counts li")[0].text_content()
    assert counts == "5 links: 2 confirmed, 2 automatic (not reviewed), 1 rejected"


# ----- a dev-zhvi `hard` document, aligned by the CLI ------------------------------------------------
@needs_chromium
def test_hard_document_page(tmp_path, cli, browser):
    if not HARD.is_dir():
        pytest.skip("../shared/dev-zhvi is not beside the repo")
    source = tmp_path / "014.jsonl"
    proc = cli("align", str(HARD / "014.zh"), str(HARD / "014.vi"), "--out", str(source), "--mt", "none")
    assert proc.returncode == 0, proc.stderr
    beads = read_aligned(source).beads
    gold_unaligned = [line for line in (HARD / "014.gold.align").read_text().splitlines()
                      if "[]" in line]
    assert gold_unaligned  # a hard document: sentences one side has alone
    tab = browser.open(export(cli, source).as_uri(), DESKTOP)
    facts = page_facts(tab)
    assert facts["links"] == sum(1 for b in beads if b.zh and b.vi)
    assert {side: sorted(facts["alone"][side]) for side in ("zh", "vi")} == \
        {side: sorted(ids) for side, ids in unaligned_ids(source).items()}
    numbers = [a for a in facts["aloneLinks"] if a["shown"].isdigit()]
    assert numbers and all(a["shaded"] for a in facts["aloneLinks"])
    for a in numbers:  # each number is in the sentence it links to (thousands separators aside)
        assert a["shown"] in a["text"].replace(",", "").replace(".", ""), a
    tab.resize(PHONE)
    tab.next_frame()
    assert page_facts(tab)["overflow"] <= 0
    assert png_size(tab.screenshot(tmp_path / "phone.png")) == PHONE


# ----- a folder: an index with each file's progress --------------------------------------------------
@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "aligned"
    folder.mkdir()
    for path in sorted((ROOT / "aligned").glob("*.jsonl")):
        shutil.copy(path, folder / path.name)
    marked = _most_linked(folder)
    aligned = read_aligned(marked)
    links = [b for b in aligned.beads if b.zh and b.vi]
    links[0].status, links[1].status = "confirmed", "rejected"
    write_aligned(marked, aligned)
    return folder


def _most_linked(folder: Path) -> Path:
    """The aligned file with the most links (one link is confirmed and one rejected in it)."""
    return max(sorted(folder.glob("*.jsonl")),
               key=lambda p: sum(1 for b in read_aligned(p).beads if b.zh and b.vi))


def test_folder_index_lists_each_pair_with_its_progress(folder, tmp_path, cli):
    out = tmp_path / "site"
    proc = cli("export", "html", str(folder), "--out-dir", str(out))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{out / 'index.html'}: 2 pair pages"
    index = lxml.html.parse(str(out / "index.html")).getroot()
    rows = css(index, "table.files tr")[1:-1]
    assert [css(r, "a")[0].get("href") for r in rows] == \
        [p.with_suffix(".html").name for p in sorted(folder.glob("*.jsonl"))]
    assert all((out / css(r, "a")[0].get("href")).is_file() for r in rows)
    marked = _most_linked(folder)
    links = sum(1 for b in read_aligned(marked).beads if b.zh and b.vi)
    row = next(r for r in rows if css(r, "a")[0].get("href") == marked.with_suffix(".html").name)
    assert css(row, "td")[1].text == f"1/{links} confirmed, 1 rejected"
    page = lxml.html.parse(str(out / css(row, "a")[0].get("href"))).getroot()
    assert css(page, "a.back")[0].get("href") == "index.html"


def test_folder_with_an_unreadable_file_lists_it_and_exits_1(folder, tmp_path, cli):
    bad = folder / "broken.jsonl"
    header = json.loads((sorted(folder.glob("*.jsonl"))[0]).read_text(encoding="utf-8").split("\n")[0])
    bad.write_text(json.dumps(header) + "\n{not json\n", encoding="utf-8")
    proc = cli("export", "html", str(folder))  # default: the pages beside the aligned files
    assert proc.returncode == 1
    assert "skipped:" in proc.stderr and "broken.jsonl:2" in proc.stderr
    assert "2 pair pages; 1 file(s) could not be read" in proc.stdout
    index = lxml.html.parse(str(folder / "index.html")).getroot()
    assert "broken.jsonl" in css(index, ".error")[0].text_content()


@pytest.mark.parametrize("args, message", [
    (["tmx", "{folder}"], "is a folder: `export tmx` takes one aligned file"),
    (["html", "{file}", "--out-dir", "{tmp}/x"], "--out-dir is for a folder of aligned files"),
    (["html", "{folder}", "--out", "{tmp}/x.html"], "give --out-dir DIR, not --out"),
    (["html", "{tmp}/empty"], "no aligned files here"),
    (["html", "{file}", "--out", "{file}"], "refusing to overwrite the aligned file itself"),
    (["html", "{file}", "--include-auto"], "--include-auto is for tmx and tsv"),
])
def test_wrong_use_is_one_clear_line_exit_2(folder, tmp_path, cli, args, message):
    (tmp_path / "empty").mkdir()
    file = sorted(folder.glob("*.jsonl"))[0]
    before = file.read_bytes()
    proc = cli("export", *[a.format(folder=folder, file=file, tmp=tmp_path) for a in args])
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert file.read_bytes() == before


def test_web_pages_give_their_date_and_site_at_the_top(tmp_path, cli):
    source = tmp_path / "pages.jsonl"
    proc = cli("align", str(ROOT / "tests" / "data" / "zh_news_page.html"),
               str(ROOT / "tests" / "data" / "vi_news_page.html"), "--out", str(source), "--mt", "none")
    assert proc.returncode == 0, proc.stderr
    assert read_aligned(source).header["vi"]["meta"] == {"date": "2024-09-24", "site": "Báo Pháp Luật TP.HCM",
                                                         "author": "Nguyệt Nhi"}
    doc = lxml.html.parse(str(export(cli, source))).getroot()
    table = {tr[0].text_content(): [td.text_content() for td in tr[1:]]
             for tr in css(doc, "table.facts tr")[1:] if len(tr) == 3}
    assert table["Date"] == ["page date 2024-09-24", "page date 2024-09-24"]
    assert table["Source"] == ["zh_news_page.html · 越通社",
                               "vi_news_page.html · Báo Pháp Luật TP.HCM · Nguyệt Nhi"]
    # a text report says nothing of itself: the dates its opening mentions
    seed = lxml.html.parse(str(export(cli, SEED_PAIR, "--out", str(tmp_path / "seed.html")))).getroot()
    dates = [tr for tr in css(seed, "table.facts tr") if tr[0].text_content() == "Date"][0]
    assert [td.text_content() for td in dates[1:]] == ["its opening mentions 24/9"] * 2


def test_what_each_report_has_alone_is_checked_against_the_other_whole_report():
    from workbench.review.qa import alone_facts
    from workbench.store.aligned import AlignedFile

    def side(lang: str, texts: list[str]) -> dict:
        return {"file": f"{lang}.txt", "sha256": "0" * 64, "title": texts[0], "lang": lang,
                "sentences": [{"text": t, "kind": "body", "en": None} for t in texts]}

    header = AlignedFile.make_header(
        zh=side("zh", ["2024年9月24日,会议在胡志明市举行。", "到2030年,高科技产业占GDP的比重将提高到40%。",
                       "潘文迈出席会议。"]),
        vi=side("vi", ["Ngày 24-9-2024, hội nghị diễn ra tại TP.HCM.",
                       "Ông Nguyễn Văn Nên và ông Phan Văn Mãi tham dự.",
                       "Có 58 địa phương nước ngoài tham gia.",
                       "Năm 2024, ông Phan Văn Mãi và ông Trần Phước Anh phát biểu tại 58 điểm."]))
    beads = [make_bead(header, [0], [0]), make_bead(header, [1], []), make_bead(header, [2], [1]),
             make_bead(header, [], [2]), make_bead(header, [], [3])]
    facts = [(f.side, f.kind, f.shown, f.sentences) for f in alone_facts(header, beads)]
    assert facts == [
        ("zh", "numbers", "40%", (1,)), ("zh", "dates", "2030", (1,)), ("zh", "names", "GDP", (1,)),
        # 58 twice, linked to both sentences; 2024 and Phan Văn Mãi (潘文迈) the Chinese report gives too;
        # Nguyễn Văn Nên is only in a linked sentence
        ("vi", "numbers", "58", (2, 3)), ("vi", "names", "Trần Phước Anh", (3,)),
    ]


def test_pages_and_index_read_the_review_journal(tmp_path, cli):
    from tests.support.review_support import write_sample
    from workbench.review.session import ReviewSession

    folder = tmp_path / "aligned"
    folder.mkdir()
    path = write_sample(folder)
    session = ReviewSession.open(path, autosave_delay=3600, max_delay=3600)
    session.confirm(3)  # journaled, not yet saved into the file
    try:
        one = cli("export", "html", str(path), "--out", "-")
        many = cli("export", "html", str(folder), "--out-dir", str(tmp_path / "site"))
    finally:
        session.close()
    assert one.returncode == 0 and many.returncode == 0, one.stderr + many.stderr
    page = lxml.html.fromstring(one.stdout)
    assert [r.get("data-status") for r in css(page, "main .row.link")] == ["auto", "auto", "auto", "confirmed", "auto"]
    index = lxml.html.parse(str(tmp_path / "site" / "index.html")).getroot()
    assert css(index, "table.files tr")[1][1].text == "1/5 confirmed"


@needs_chromium
def test_index_in_the_browser_links_each_page_and_fits_a_phone(folder, tmp_path, cli, browser):
    out = tmp_path / "site"
    assert cli("export", "html", str(folder), "--out-dir", str(out)).returncode == 0
    tab = browser.open((out / "index.html").as_uri(), PHONE)
    assert tab.eval("document.documentElement.scrollWidth - innerWidth") <= 0
    assert tab.eval("document.querySelectorAll('table.files td.pair a').length") == 2
    tab.follow("document.querySelector('table.files td.pair a').click()")
    assert tab.eval("location.pathname").endswith(sorted(folder.glob("*.jsonl"))[0].stem + ".html")
    assert tab.eval("document.querySelectorAll('main .row').length") > 0


def test_the_page_needs_nothing_from_outside(tmp_path, cli):
    source = tmp_path / SEED_PAIR.name
    shutil.copy(SEED_PAIR, source)
    text = export(cli, source).read_text(encoding="utf-8")
    doc = lxml.html.fromstring(text)
    assert not doc.xpath("//*[@src]|//link|//object|//embed|//iframe|//img|//form")
    assert all(href.startswith("#") for href in doc.xpath("//a/@href"))
    style = "".join(doc.xpath("//style/text()"))
    assert "url(" not in style and "@import" not in style and "@font-face" not in style
    csp = doc.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")[0]
    assert csp.startswith("default-src 'none';") and "script-src 'sha256-" in csp
