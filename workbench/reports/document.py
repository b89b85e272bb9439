"""The data model every stage shares: a cleaned, segmented report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

KINDS = ("title", "body", "caption")


@dataclass(frozen=True)
class Sentence:
    """One sentence; `start`/`end` are character offsets into `Document.text`."""

    index: int
    text: str
    kind: str  # one of KINDS
    start: int
    end: int


@dataclass(frozen=True)
class Dropped:
    """A line of the raw report that cleaning removed, and why (for the reviewer)."""

    text: str
    reason: str
    # 1-based line number in the decoded input; for a web page the line of its HTML
    # source, for a Word file the paragraph number.
    line: int


@dataclass
class Document:
    """A loaded report: language, encoding, cleaned text and its sentences."""

    path: Path
    lang: str  # "zh" or "vi"
    encoding: str
    text: str  # cleaned text, NFC; sentence offsets point into it
    sentences: list[Sentence] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)
    sha256: str = ""  # of the raw bytes
    # What the source says about itself beyond its text (e.g. a web page's metadata):
    # "format" ("text", "html", "docx"), "date" (ISO 8601 day), "title", "site", "author".
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what loading changed, e.g. control characters removed
    _languages: dict[str, float] | None = field(default=None, repr=False, compare=False)

    @property
    def languages(self) -> dict[str, float]:
        """Share of the cleaned text's syllables per language, largest first ({"zh": 0.65,
        "vi": 0.35}; "latin": Latin script without Vietnamese letters), each at least 0.01.

        Computed when first asked for: only `segment` shows it.
        """
        if self._languages is None:
            from workbench.reports.language import language_shares

            self._languages = {k: round(v, 2) for k, v in language_shares(self.text).items() if v >= 0.01}
        return self._languages

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def language_label(self) -> str:
        """The language as `segment` shows it: "zh", or "zh (mixed: 35% vi)"."""
        from workbench.reports.language import mixed_share

        mixed = mixed_share(self.lang, self.languages)
        return f"{self.lang} (mixed: {mixed[1]:.0%} {mixed[0]})" if mixed else self.lang

    @property
    def title(self) -> str:
        for s in self.sentences:
            if s.kind == "title":
                return s.text
        return self.sentences[0].text if self.sentences else self.path.stem
