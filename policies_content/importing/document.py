"""The neutral shapes that readers, the parser, the Word exporter and the service share.

A ParsedDocument mirrors the page's StreamField without depending on Wagtail, so the parser
can be tested on plain text and a page can be exported and re-imported (round trip).
"""

from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["chapter", "section", "article", "clause", "paragraph", "table"]


@dataclass
class SourceLine:
    """One line (paragraph) of a source file as a reader sees it.

    ``heading`` is the outline level a Word heading style or Markdown ``#`` gives (1 = title
    level), ``numbering`` the text Word's automatic numbering would print before it (e.g.
    "第一条", "（一）", "1."), ``bold_prefix`` the leading bold run, ``table`` the rows of a table
    (then ``text`` is empty).
    """

    text: str
    heading: int | None = None
    numbering: str = ""
    bold_prefix: str = ""
    table: list[list[str]] | None = None


@dataclass
class ParsedBlock:
    """One body block. ``text`` is the title of a chapter/section, else the block's text.

    Numbers (第X章, 第X条, （一）) are never part of ``text``: they are generated on display.
    ``level`` orders sections and clauses: 1 一、 2 （一） 3 1. 4 （1） 5 1.1
    """

    kind: BlockKind
    text: str = ""
    level: int = 0
    clauses: list["ParsedBlock"] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    # The StreamField block id when the block comes from a page: stable across renumbering,
    # so versions of one document can be compared article by article.
    uid: str = ""


@dataclass
class ParsedJobDescription:
    """岗位说明书 found in a file (on its own or inside a regulation)."""

    position: str
    reports_to: str = ""
    purpose: str = ""
    duties: list[str] = field(default_factory=list)
    education: str = ""
    experience: str = ""
    skills: str = ""
    indicators: list[str] = field(default_factory=list)


@dataclass
class ParsedDocument:
    """A regulation found in a file, ready to become a page (or a new draft of one)."""

    title: str
    blocks: list[ParsedBlock] = field(default_factory=list)
    # document_number, issuance_number, version, prepared_by, reviewed_by, approved_by,
    # effective_date (ISO), distribution — only what the source states; blanks stay absent.
    metadata: dict[str, str] = field(default_factory=dict)
    job_descriptions: list[ParsedJobDescription] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    source_name: str = ""
