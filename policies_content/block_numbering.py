"""The one place that decides the numbers (第X章, 第X条, 一、, （一）, 1., （1）, 1.1).

Numbers are never stored in block text: they are generated from the order of the blocks, so
inserting or moving an article renumbers everything after it. The web page and the Word export
both call ``number_blocks`` so that what staff read and what they download cannot disagree.
"""

from typing import NamedTuple

from policies_content.importing.document import ParsedBlock
from policies_content.numbering import chinese_numeral

MAX_LEVEL = 5
# An article's 款/项 are written （一）（二） unless the source said otherwise.
DEFAULT_ARTICLE_CLAUSE_LEVEL = 2


class NumberedBlock(NamedTuple):
    """A block with its generated label; ``clause_labels`` pair with ``block.clauses``."""

    label: str
    block: ParsedBlock
    clause_labels: list[str]


class _LevelCounters:
    """Counters for levels 1..5 shared by sections and clauses of one scope.

    Numbering at level L increments L and resets every deeper level, as an outline does.
    """

    def __init__(self) -> None:
        self.values = [0] * (MAX_LEVEL + 1)  # index 0 unused

    def reset(self) -> None:
        self.values = [0] * (MAX_LEVEL + 1)

    def next_label(self, level: int) -> str:
        self.values[level] += 1
        for deeper in range(level + 1, MAX_LEVEL + 1):
            self.values[deeper] = 0
        n = self.values[level]
        if level == 1:
            return f"{chinese_numeral(n)}、"
        if level == 2:
            return f"（{chinese_numeral(n)}）"
        if level == 3:
            return f"{n}."
        if level == 4:
            return f"（{n}）"
        # Level 5 is a decimal sub-number of the last 1. item; Word shows 1 when there was none.
        return f"{self.values[3] or 1}.{n}"


def _clamp(level: int, default: int) -> int:
    """Levels outside 1..5 (0 = not stated by the source) fall back or are capped."""
    if level < 1:
        return default
    return min(level, MAX_LEVEL)


def clause_labels(clauses: list[ParsedBlock]) -> list[str]:
    """Labels for the clauses of one article; every article starts again at （一）."""
    counters = _LevelCounters()
    return [counters.next_label(_clamp(c.level, DEFAULT_ARTICLE_CLAUSE_LEVEL)) for c in clauses]


def number_blocks(blocks: list[ParsedBlock]) -> list[NumberedBlock]:
    """Return every block with its label, in order. Pure: the blocks are not modified.

    - chapters count 第一章, 第二章 … and reset section/clause numbering;
    - articles count 第一条 … 第N条 across the whole document (chapters do not restart them),
      and their own clauses are numbered afresh per article;
    - sections and top-level clauses share one set of level counters (a clause at level 2
      after a section at level 1 is its （一）);
    - paragraphs and tables get "".
    """
    chapters = articles = 0
    counters = _LevelCounters()
    numbered: list[NumberedBlock] = []
    for block in blocks:
        label = ""
        if block.kind == "chapter":
            chapters += 1
            counters.reset()
            label = f"第{chinese_numeral(chapters)}章"
        elif block.kind == "article":
            articles += 1
            label = f"第{chinese_numeral(articles)}条"
        elif block.kind in ("section", "clause"):
            label = counters.next_label(_clamp(block.level, 1))
        numbered.append(NumberedBlock(label, block, clause_labels(block.clauses)))
    return numbered


def with_label(label: str, text: str) -> str:
    """Join a label and its text as Chinese documents print them.

    Labels that end in their own punctuation run straight into the text (一、总则, （一）…,
    1.范围); others take a space (第一章 总则, 第一条 …, 1.1 范围).
    """
    if not label:
        return text
    if not text:
        return label
    if label[-1] in "、）).":
        return label + text
    return f"{label} {text}"
