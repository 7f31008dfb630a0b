"""Find where one regulation ends and the next begins, and what each is called.

Scraped files concatenate many rules. A title is a short line ending in a regulation noun
(制度, 办法, 规定 …), alone on its line, repeated (电商部门管理制度电商部门管理制度),
or run straight into the first heading or article (电商运营管理制度大全第一章总则第一条…).
"""

import re
from dataclasses import dataclass, field

TITLE_NOUNS = (
    "制度|办法|規定|规定|细则|細則|规范|規範|守则|守則|规程|規程|章程|准则|準則|条例|條例|须知|須知"
    "|手册|手冊|说明书|說明書|体制|體制"
)
TITLE_TAIL = r"(?:范文|范本|大全|汇编|彙編|全文|正本)?(?:\s*[（(][^()（）]{1,12}[)）])?\d?"
TITLE = re.compile(rf"^(?P<title>[^。，,；;！？!?:：\s]{{2,40}}?(?:{TITLE_NOUNS}){TITLE_TAIL})$")
STRUCTURE_AFTER_TITLE = re.compile(
    r"(第[一二三四五六七八九十]+章|第[一二三四五六七八九十]+条|一[、.．]|[(（]一[)）]|1[、.．]"
    r"|编制人?\s*[:：]|文件编号\s*[:：])"
)
NUMBERED = re.compile(
    r"^(第[一二三四五六七八九十百零〇\d]+[章条節节篇]|[一二三四五六七八九十]+[、.．]|[(（][一二三四五六七八九十\d]+[)）]"
    r"|\d{1,2}[、.．]|[A-Za-z][.．、])"
)
PIECE_MARK = re.compile(r"^篇[一二三四五六七八九十]+\s*[:：]\s*")
BOOK_TITLE = re.compile(r"《([^《》]{2,40})》")
NOISE_SUFFIX = re.compile(
    r"(?:范文|范本|大全|汇编|彙編)(?:\s*[（(][^()（）]{1,12}[)）])?$|[（(][^()（）]{1,12}[)）]$|\d$"
)


def title_candidate(line: str) -> str | None:
    """The title if this whole line is a regulation title, else None."""
    line = line.strip()
    if not line or len(line) > 60 or NUMBERED.match(line):
        return None
    match = TITLE.match(line)
    if not match:
        return None
    return tidy_title(match.group("title"))


def tidy_title(title: str) -> str:
    """Tidy a found title: 《…》 wins, 范文(三篇) and a trailing 1 go, a doubled title halves."""
    book = BOOK_TITLE.search(title)
    if book:
        return book.group(1)
    title = PIECE_MARK.sub("", title).strip()
    previous = None
    while previous != title:
        previous = title
        title = NOISE_SUFFIX.sub("", title).strip()
    half = len(title) // 2
    if len(title) % 2 == 0 and title[:half] == title[half:]:
        title = title[:half]
    # Two titles run together (篇一:电子商务公司规章制度电子商务管理制度): the last one is the
    # document's own; a 范文 or 范本 between them is the download site's label.
    for noun in re.finditer(rf"(?:{TITLE_NOUNS})(?:范文|范本|大全)?", title):
        rest = title[noun.end() :]
        if len(rest) >= 4 and TITLE.match(rest):
            return tidy_title(rest)
    return title


def glued_title(line: str) -> tuple[str, str] | None:
    """(title, rest) when a title runs straight into the first heading or article on its line."""
    line = PIECE_MARK.sub("", line)
    for match in STRUCTURE_AFTER_TITLE.finditer(line[:70]):
        head = line[: match.start()]
        head = BOOK_TITLE.sub(lambda m: m.group(0), head)
        if not head:
            return None
        candidate = title_candidate(head)
        if candidate is None:
            # 电子商务管理制度发字[20__]01号第一章 — an issuance number between title and text.
            stripped = re.sub(r"发字\s*[\[〔【][^\]〕】]*[\]〕】]\s*\d*号\s*$", "", head)
            candidate = title_candidate(stripped) if stripped != head else None
            if candidate is None:
                continue
            rest = line[len(stripped) :]
            return candidate, rest
        return candidate, line[match.start() :]
    return None


@dataclass
class RawDocument:
    """The lines of one document as found in a file, before structure is parsed."""

    title: str
    lines: list[str] = field(default_factory=list)


def split_documents(lines: list[str], *, fallback_title: str) -> list[RawDocument]:
    """Split cleaned lines into documents at each title.

    A title repeated on the next non-blank line (or glued to that line's text) is one title.
    Lines before any title belong to a document named by the file.
    """
    documents: list[RawDocument] = []
    current: RawDocument | None = None
    for line in lines:
        if not line:
            continue
        standalone = title_candidate(PIECE_MARK.sub("", line))
        glued = None if standalone else glued_title(line)
        title = standalone or (glued[0] if glued else None)
        if title and current is not None and _continues(current, title, line):
            if glued:
                current.lines.append(glued[1])
            continue
        if title and not (current and _is_section_heading(current, title)):
            current = RawDocument(title=title)
            documents.append(current)
            if glued:
                current.lines.append(glued[1])
            continue
        if current is None:
            current = RawDocument(title=fallback_title)
            documents.append(current)
        current.lines.append(line)
    return [doc for doc in documents if doc.lines]


def _continues(current: RawDocument, title: str, line: str) -> bool:
    """The same title again before any body text: a repeat, not a new document."""
    return title == current.title and not current.lines


def _is_section_heading(current: RawDocument, title: str) -> bool:
    """A title-like line listed in the current document's own table of contents is a heading
    inside it (e.g. 电子商务部管理制度 within 是源…电子商务管理制度)."""
    return title in table_of_contents(current.lines)


TOC_ENTRY = re.compile(r"^\d{1,2}[、.．]\s*(?P<entry>[^。，,；;：:]{2,30})$")


def table_of_contents(lines: list[str]) -> set[str]:
    """Entries of a 目录: a numbered list of at least three short headings near the top, most
    of which appear again further down as headings on their own lines."""
    entries: list[str] = []
    end = 0
    for index, line in enumerate(lines[:40]):
        match = TOC_ENTRY.match(line)
        if match:
            entries.append(match.group("entry").strip())
            end = index
        elif len(entries) >= 3:
            break
        else:
            entries = []
    if len(entries) < 3:
        return set()
    later = {line.strip() for line in lines[end + 1 :]}
    repeated = [entry for entry in entries if entry in later]
    return set(entries) if len(repeated) * 2 >= len(entries) else set()
