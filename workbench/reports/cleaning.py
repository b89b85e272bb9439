"""Cleaning: keep the article of a scraped news page, drop the rest, say why.

The page is read line by line. Every kept line becomes a `Block` marked as
`title`, `body` or `caption`; every dropped line becomes a `Dropped` with its
reason and line number so a reviewer can check what was removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from workbench.reports.document import Dropped
from workbench.reports.segment import split_sentences
from workbench.textfacts import HAN as _HAN


@dataclass(frozen=True)
class Block:
    """A kept line of the article (one paragraph, title or caption)."""

    text: str
    kind: str  # "title", "body" or "caption"
    line: int  # 1-based line number in the decoded input


@dataclass
class Cleaned:
    """The kept blocks of a page, in order, and the dropped lines with their reasons."""

    blocks: list[Block] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


# Whole-line markers (lowercased, trailing ":" and "»" removed) that start a
# block of links to other articles: it and everything after it is not the article.
RELATED_MARKERS = {
    "相关新闻", "相关阅读", "相关报道", "相关文章", "延伸阅读", "推荐阅读", "更多", "查看更多",
    "更多新闻", "更多阅读", "热点新闻", "热门新闻", "猜你喜欢",
    "đọc thêm", "tin liên quan", "xem thêm", "bài liên quan", "tin cùng chuyên mục",
    "tin khác", "tin mới", "tin mới nhất", "tin nổi bật", "có thể bạn quan tâm",
    "bạn có thể quan tâm", "cùng chuyên mục", "xem tiếp", "tin đọc nhiều", "đọc nhiều",
    "related news", "read more", "more news", "see more",
}
# "Xem thêm: <headline>" in the middle of an article links elsewhere.
_LINK_LINE = re.compile("(?:" + "|".join(map(re.escape, sorted(RELATED_MARKERS, key=len, reverse=True)))
                        + r")\s*[:：»>]\s*\S")
# Section names of news sites: a breadcrumb when they come before the headline.
SECTION_NAMES = {
    "thời sự", "chính trị", "xã hội", "kinh tế", "thế giới", "văn hóa", "giáo dục", "pháp luật",
    "thể thao", "đối ngoại", "quốc tế", "du lịch", "sức khỏe", "công nghệ", "đời sống", "tin tức",
    "时政", "国际", "新闻", "要闻", "经济", "社会", "文化", "旅游", "体育", "越南新闻", "中越关系",
}
# Page-footer markers: after the article they end it.
FOOTER_MARKERS = {"lên đầu top", "lên đầu trang", "lên đầu", "về đầu trang", "back to top",
                  "返回顶部", "回到顶部", "top"}

_NAV_WORDS = {
    "trang chủ", "home", "menu", "tìm kiếm", "search", "video", "podcast", "e-paper", "emagazine",
    "24h qua", "mới nhất", "thông báo", "chia sẻ", "bản in", "in bài", "首页", "返回首页", "搜索",
    "分享", "打印", "字号", "大", "中", "小", "关闭窗口", "english", "tiếng việt",
}

# Vietnamese provinces and centrally-run cities (63 before the 2025 merger, and
# the new names), as navigation menus list them.
PROVINCES = {
    "an giang", "bà rịa - vũng tàu", "bà rịa-vũng tàu", "bắc giang", "bắc kạn", "bạc liêu",
    "bắc ninh", "bến tre", "bình định", "bình dương", "bình phước", "bình thuận", "cà mau",
    "cần thơ", "cao bằng", "đà nẵng", "đắk lắk", "đắk nông", "điện biên", "đồng nai",
    "đồng tháp", "gia lai", "hà giang", "hà nam", "hà nội", "hà tĩnh", "hải dương",
    "hải phòng", "hậu giang", "hòa bình", "hưng yên", "khánh hòa", "kiên giang", "kon tum",
    "lai châu", "lâm đồng", "lạng sơn", "lào cai", "long an", "nam định", "nghệ an",
    "ninh bình", "ninh thuận", "phú thọ", "phú yên", "quảng bình", "quảng nam",
    "quảng ngãi", "quảng ninh", "quảng trị", "sóc trăng", "sơn la", "tây ninh", "thái bình",
    "thái nguyên", "thanh hóa", "thừa thiên huế", "thừa thiên - huế", "tiền giang",
    "tp hcm", "tp.hcm", "tphcm", "tp. hồ chí minh", "tp hồ chí minh", "hồ chí minh",
    "trà vinh", "tuyên quang", "vĩnh long", "vĩnh phúc", "yên bái", "huế", "tp huế",
}

# Page furniture, matched at the start of the lowercased line; the group name is the reason.
_FURNITURE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("login", r"(?:đăng nhập|đăng xuất|đăng ký|login|log in|sign in|sign up|登录|注册|登录/注册)$"
              r"|bạn (?:cần|phải|chưa) đăng nhập|请先?登录|vui lòng đăng nhập"),
    ("subscription", r"(?:icon )?đăng ký (?:gói|nhận|tài khoản)|gia hạn tài khoản|订阅|开通会员|成为会员"),
    ("payment", r"thanh toán .*(?:thành công|thất bại)|mua bài|支付|付费"),
    ("comments", r"bạn không thể gửi bình luận|(?:gửi )?bình luận$|ý kiến bạn đọc$"
                 r"|发表评论$|网友评论$|评论$"),
    ("sharing", r"tặng (?:bằng link|bạn đọc|bài)|chọn \d+ trong \d+ hình thức"),
    ("terms", r"bản quyền|copyright\b|©"),
    ("navigation", r"icon\b"),
)))
# ... and anywhere in it.
_FURNITURE_INSIDE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in (
    ("subscription", "bạn đọc vip"),
    ("payment", "phương thức thanh toán|hình thức thanh toán|chính sách thanh toán"),
    ("terms", "điều khoản sử dụng|版权所有"),
)))
_FURNITURE_REASON = {"terms": "terms of use"}
_BREADCRUMB_ROOT = re.compile(r"(?:首页|主页|trang chủ|home)\b")
# "首页 > 国际", "Trang chủ » Thời sự": a breadcrumb trail; "【纠错】【打印】": site links.
_BREADCRUMB = re.compile(r"^[^>»/|]{1,20}(?:\s*[>»/|]\s*[^>»/|]{1,20})+$")
_BRACKET_LINKS = re.compile(r"^(?:【[^】]{1,20}】\s*)+$")

_IMAGE_FILE = re.compile(r"^\S+\.(?:jpe?g|png|gif|webp|bmp|svg|avif)\b", re.IGNORECASE)
_URL_LINE = re.compile(r"^(?:(?:nguồn|theo|source|来源|原文|链接)\s*[:：]\s*)?(?:https?://|www\.)\S+$",
                       re.IGNORECASE)
# "<headline> - Ảnh 1." : a placeholder where the page had a photo.
_PHOTO_NUMBER = re.compile(r"^(?P<alt>.*?)\s*(?P<dash>[-–—])?\s*(?:ảnh|hình|photo)\s*\d+\.?$",
                           re.IGNORECASE)
# "<headline> ảnh 1<caption>": the placeholder glued to the caption.
_GLUED_PHOTO = re.compile(r"^(?P<alt>.+?)\s+(?:ảnh|hình)\s*\d+\s*(?P<rest>.*)$", re.IGNORECASE)
_CREDIT = re.compile(r"(?:^|[\s.。(（])(?:ảnh|ảnh minh họa|nguồn ảnh|photo)\s*:|图自|图片来源|图/|图：|摄影?[:：]|摄\s*[)）]",
                     re.IGNORECASE)
_CREDIT_ONLY = re.compile(r"^[(（]?\s*(?:(?:ảnh|ảnh minh họa|nguồn ảnh|photo|图|摄影?|图片来源)\s*[:：]|图自)"
                          r"\s*(?:[^.。!?！？]|\.(?=\S)){0,40}[)）]?$"
                          r"|^[(（][^()（）]{0,30}摄影?[)）]$", re.IGNORECASE)
_BYLINE = re.compile(r"[(（【\[]?(?:tin|bài|tin và ảnh|bài và ảnh|tin, ảnh|nhóm pv|pv|ctv|thực hiện)\s*:"
                     r"|[(（【\[]?(?:记者|编辑|责编|责任编辑|作者)[:：\s]", re.IGNORECASE)
# After "记者：" a question or an answer, not a name: an interview's turn is article text.
_SPEAKS = re.compile(r"[，？！?!]|[^\n]{41}")
# An agency or source line closing the article: "越通社", "TTXVN", "(Theo Tuổi Trẻ)".
_AGENCY = re.compile(r"^(?:越通社|新华社|中新社|人民网|TTXVN|VNA|\(?[Tt]heo (?:[A-ZĐ][\w.]*\s?){1,4}\)?)$")
_OUTLET_TAG = re.compile(r"^\((?:[A-ZĐ][A-Za-zĐđ.]{1,9})\)\s*[-–—]?\s*")
_DATELINE = re.compile(r"^(?:越通社|新华社|中新社|人民网|新华网)[^，,。\s]{0,12}?(?:——|—|电)\s*"
                       r"(?:[(（](?:记者|通讯员)[^)）]{0,20}[)）]\s*)?")
_END_MARK = re.compile(r"\s*[(（](?:完|终|全文完|hết)[)）]\s*$")

_DATE_TOKEN = re.compile(
    r"\d{1,4}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?|\d{1,2}:\d{2}(?::\d{2})?|\d{4}年\d{1,2}月\d{1,2}日"
    r"|\d{1,2}月\d{1,2}日|\d{1,2}:\d{2}")
_DATE_FILLER = re.compile(
    r"(?:thứ\s*(?:hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật|ngày|giờ|gmt\s*[+-]?\s*\d*|utc|am|pm|sa|ch"
    r"|星期.|周.|发布时间|发布|时间|更新|cập nhật|đăng|published|updated"
    r"|(?:来源|稿源|source|nguồn)\s*[:：]\s*[^\s|,]+|[|,:：\-–—/()（）\s])+",
    re.IGNORECASE)

_CLOSERS = "”’\"'」』）)]》»"
_TERMINATORS = ".!?。！？…"


def ends_sentence(text: str) -> bool:
    """Whether `text` ends with sentence punctuation (closing quotes and brackets aside)."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINATORS


# A short line without sentence punctuation is a heading (or, under a photo, a caption).
_SHORT = {"zh": 40, "vi": 160}
# Longer lines are paragraphs: none of the page-furniture rules applies to them.
_MAX_CHROME = 160
# Invisible characters scraped pages carry: zero-width space/joiner, stray BOM, soft hyphen.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


def _norm(line: str) -> str:
    """The line with invisible characters removed and whitespace runs made one space."""
    return " ".join(_INVISIBLE.sub("", line).split())


def _key(line: str) -> str:
    return line.lower().rstrip(":：»> ").strip()


def _is_doubled(text: str) -> bool:
    """A headline written twice: "X X" (the teaser of a link to another article)."""
    n = len(text)
    return n % 2 == 1 and n > 8 and text[n // 2] == " " and text[: n // 2] == text[n // 2 + 1:]


def _is_datetime_line(text: str) -> bool:
    if len(text) > 80 or not _DATE_TOKEN.search(text):
        return False
    rest = _DATE_FILLER.sub("", _DATE_TOKEN.sub("", text))
    return not rest


def _is_glued_headlines(text: str) -> bool:
    """Chinese headlines of other articles run together with spaces, no punctuation."""
    parts = text.split(" ")
    if len(parts) < 2 or ends_sentence(text):
        return False
    return all(len(p) >= 8 and len(_HAN.findall(p)) >= 0.7 * len(p) for p in parts)


def _sentences(text: str, lang: str) -> int:
    """How many sentences with words in them `text` holds (a stray quotation mark is none)."""
    return sum(1 for a, b in split_sentences(text, lang) if any(ch.isalnum() for ch in text[a:b]))


def is_photo_credit(text: str) -> bool:
    """Whether `text` is only a photo credit: "Ảnh: NGUYỆT NHI", "图自越通社"."""
    return bool(_CREDIT_ONLY.match(text)) and not ends_sentence(text)


def _short_line_reason(text: str, key: str) -> str | None:
    """Why a short line is page furniture rather than article, or None."""
    if key in PROVINCES:
        return "navigation (province list)"
    if _is_datetime_line(text):
        return "date/time stamp"
    m = _FURNITURE.match(key) or _FURNITURE_INSIDE.search(key)
    if m:
        return _FURNITURE_REASON.get(m.lastgroup, m.lastgroup)
    if key in _NAV_WORDS:
        return "navigation"
    if _BRACKET_LINKS.match(text):
        return "navigation"
    if not ends_sentence(text) and _BREADCRUMB.match(text) and _BREADCRUMB_ROOT.match(key):
        return "navigation (breadcrumb)"
    m = _BYLINE.match(text)
    if m and not _SPEAKS.search(text, m.end()):
        return "byline"
    if _AGENCY.match(text):
        return "agency signature"
    if is_photo_credit(text):
        return "photo credit without caption"
    return None


class _Cleaner:
    def __init__(self, lang: str, kinds: list[str | None] | None = None,
                 numbers: list[int] | None = None):
        self.lang = lang
        self.kinds = kinds  # per input line: the kind its markup gives it, or None
        self.numbers = numbers  # per input line: its line in the source file
        self.hint: str | None = None
        self.out = Cleaned()
        self.title: Block | None = None
        self.body_started = False
        self.after_image = False  # the last non-empty line stood for a photo
        self.punctuated = False  # a kept line has a sentence end
        self.seen: dict[str, int] = {}  # kept text -> its line number
        self.by_prefix: dict[str, list[int]] = {}  # first chars -> indexes into blocks

    def drop(self, text: str, reason: str, line: int) -> None:
        self.out.dropped.append(Dropped(text, reason, line))

    def number(self, i: int) -> int:
        """The source line of input line i (0-based)."""
        return self.numbers[i] if self.numbers else i + 1

    def cut(self, lines: list[str], i: int, reason: str) -> None:
        """Drop line i (for `reason`) and every non-empty line after it."""
        first = self.number(i)
        self.drop(_norm(lines[i]), reason, first)
        for j in range(i + 1, len(lines)):
            text = _norm(lines[j])
            if text:
                self.drop(text, f"after {reason} (line {first})", self.number(j))

    def keep(self, text: str, kind: str, line: int) -> None:
        block = Block(text, kind, line)
        self.out.blocks.append(block)
        self.punctuated = self.punctuated or ends_sentence(text) or any(ch in "。！？" for ch in text)
        self.seen.setdefault(text, line)
        self.by_prefix.setdefault(text[:12], []).append(len(self.out.blocks) - 1)
        if kind == "title" and self.title is None:
            self.title = block
        if kind == "body":
            self.body_started = True
        self.after_image = False

    def run(self, text: str) -> Cleaned:
        lines = text.split("\n")
        for i, raw in enumerate(lines):
            line = self.number(i)
            self.hint = self.kinds[i] if self.kinds else None
            text = _norm(raw).lstrip("•·▪►» ").strip()
            if not text:
                continue
            key = _key(text)
            if self.body_started and key in RELATED_MARKERS:
                self.cut(lines, i, "related-news block")
                break
            if self.body_started and key in FOOTER_MARKERS:
                self.cut(lines, i, "page footer")
                break
            if self.body_started and _is_doubled(text):
                self.cut(lines, i, "related-news block")
                break
            if key in RELATED_MARKERS or key in FOOTER_MARKERS:
                self.drop(text, "navigation", line)
                continue
            if not self.out.blocks and key in SECTION_NAMES:
                self.drop(text, "navigation (section name)", line)
                continue
            if _LINK_LINE.match(key):
                self.drop(text, "link to another article", line)
                continue
            self.line(text, key, line)
        self._drop_signature()
        self.out.dropped.sort(key=lambda d: d.line)
        return self.out

    def _drop_signature(self) -> None:
        """An author's name closing the article ("Hà Phương") is a signature, not a heading."""
        blocks = self.out.blocks
        if self.body_started and blocks and blocks[-1].kind == "title":
            words = blocks[-1].text.split()
            if len(words) <= 5 and all(w[0].isupper() for w in words):
                self.drop(blocks[-1].text, "byline (author's name)", blocks[-1].line)
                blocks.pop()

    def line(self, text: str, key: str, line: int) -> None:
        if _IMAGE_FILE.match(text):
            self.after_image = True
            return self.drop(text, "image file name", line)
        if _URL_LINE.match(text):
            return self.drop(text, "source URL", line)
        if len(text) <= _MAX_CHROME:  # page furniture is short; paragraphs skip these checks
            reason = _short_line_reason(text, key)
            if reason:
                if reason == "photo credit without caption":
                    self.after_image = False
                return self.drop(text, reason, line)
            m = _PHOTO_NUMBER.match(text) if text.rstrip(".")[-1:].isdigit() else None
            if m and (m["dash"] or _norm(m["alt"]) in (self.title.text if self.title else "", "")):
                self.after_image = True
                return self.drop(text, "image placeholder (photo number)", line)
        if self.title is not None and text.startswith(self.title.text):
            m = _GLUED_PHOTO.match(text)
            if m and _norm(m["alt"]) == self.title.text:
                self.after_image = True
                self.drop(text[:m.start("rest")].strip(), "image alt text (repeated headline)", line)
                text = m["rest"].strip()
                if not text:
                    return None
        text = self._strip_tags(text, line)
        if not text:
            return None
        if text in self.seen:
            return self._repeat(text, line)
        # Other articles' headlines glued by spaces follow a punctuated article; in a text with no
        # sentence punctuation at all (subtitles, a transcript) such a line is the text itself.
        if self.lang == "zh" and self.punctuated and _is_glued_headlines(text):
            return self.drop(text, "related-news headlines", line)
        self._drop_repeated_lead(text, line)
        self.keep(text, self._kind(text), line)
        return None

    def _strip_tags(self, text: str, line: int) -> str:
        for pattern, reason in ((_OUTLET_TAG, "outlet tag"), (_DATELINE, "dateline"),
                                (_END_MARK, "end mark")):
            if pattern is _END_MARK:
                m = pattern.search(text) if text.endswith((")", "）")) else None
            else:
                m = pattern.match(text)
            if m and m.group().strip() and len(text) > len(m.group()):
                self.drop(m.group().strip(), reason, line)
                text = (text[: m.start()] + text[m.end():]).strip()
        return text

    def _repeat(self, text: str, line: int) -> None:
        first = self.seen[text]
        self.drop(text, f"repeated line (same as line {first})", line)
        prev = self.out.blocks[-1] if self.out.blocks else None
        if self.title is not None and text == self.title.text:
            # The headline again, not right under itself: the alt text of a photo.
            self.after_image = prev is not self.title
        elif prev is not None and prev.text == text and prev.kind == "title" and prev is not self.title:
            # A short line written twice is a photo's alt text and its caption.
            self.out.blocks[-1] = Block(prev.text, "caption", prev.line)

    def _drop_repeated_lead(self, text: str, line: int) -> None:
        """A summary paragraph that the body repeats word for word at its start."""
        for idx in reversed(self.by_prefix.get(text[:12], [])):
            block = self.out.blocks[idx]
            if block.kind == "body" and len(block.text) >= 20 and text.startswith(block.text):
                del self.out.blocks[idx]
                self.by_prefix = {}
                for j, b in enumerate(self.out.blocks):
                    self.by_prefix.setdefault(b.text[:12], []).append(j)
                self.drop(block.text, f"lead repeated at the start of line {line}", block.line)
                return

    def _kind(self, text: str) -> str:
        if self.hint:  # the markup says what the line is
            return self.hint
        short = _SHORT[self.lang]
        if _CREDIT.search(text) or (self.after_image and len(text) <= 2 * short):
            return "caption"
        if ends_sentence(text) or _sentences(text, self.lang) > 1:
            return "body"  # a line of sentences is a paragraph, whatever it ends with ("…说：")
        if self.lang == "zh" and self.body_started and not self.punctuated:
            return "body"  # a short line of an unpunctuated text (subtitles) is not a subheading
        first_line = self.title is None and not self.out.blocks
        # The page's first line is its headline; later short unpunctuated lines are subheadings.
        return "title" if len(text) <= (2 * short if first_line else short) else "body"


def clean(text: str, lang: str, kinds: list[str | None] | None = None,
          numbers: list[int] | None = None) -> Cleaned:
    """Split the decoded page `text` (in `lang`) into kept blocks and dropped lines.

    For text read from markup, `kinds` gives each line's kind where the markup
    says it (a heading is a title, a figure caption a caption) and `numbers` each
    line's place in the source file, used for `Block.line` and `Dropped.line`.
    """
    return _Cleaner(lang, kinds, numbers).run(text)
