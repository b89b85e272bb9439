"""Glossary: files maintainers edit, term matching, term checks, MT term enforcement, suggestions.

Public API (stable; used by the review UI, the aligner and the MT pipeline):

- `load_glossary(path_or_dir) -> Glossary` (raises `GlossaryError`, a WorkbenchError, listing problems)
- `check_files(paths) -> Checked` (entries and every problem, for `workbench glossary check`)
- `Glossary.entries`, `Glossary.match(text, lang, fold_accents=False) -> list[TermMatch]`,
  `Glossary.concepts_in(text, lang) -> set[int]`, `GlossaryTermHook(glossary)`: the MT term hook
- `Entry(zh, vi, en, note, file, line, id)`, `TermMatch(start, end, entry, lang, term)`
- `term_issues(src_text, src_lang, english, glossary) -> list[TermIssue]`,
  `apply_term_fix(english, issue) -> str` (raises `TermFixError` when it cannot locate)
- `add_entry(file, zh, vi, en, note="", force=False) -> AddResult`
- `suggest_from_aligned(aligned, glossary) -> list[Suggestion]`
"""

from workbench.glossary.checks import TermFixError, TermIssue, apply_term_fix, term_issues
from workbench.glossary.edit import AddResult, add_entries, add_entry, make_entry
from workbench.glossary.enforce import GlossaryTermHook
from workbench.glossary.files import Checked, Entry, GlossaryError, Problem, check_files
from workbench.glossary.match import TermMatch
from workbench.glossary.model import Glossary, load_glossary
from workbench.glossary.suggest import Suggestion, match_names, suggest_from_aligned, suggest_names

__all__ = [
    "AddResult", "Checked", "Entry", "Glossary", "GlossaryError", "GlossaryTermHook", "Problem", "Suggestion",
    "TermFixError", "TermIssue", "TermMatch", "add_entries", "add_entry", "apply_term_fix", "check_files",
    "load_glossary", "make_entry", "match_names", "suggest_from_aligned", "suggest_names", "term_issues",
]
