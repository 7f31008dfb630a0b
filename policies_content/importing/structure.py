"""Recognise 第X章 / 第X条 / 一、 / （一） / 1. / （1） / 1.1 and build the body blocks.

Markers are found at line starts and inside lines (scraped text often has a whole section on
one line). Inside a line a marker is only believed when it continues the numbering in progress
or starts a new list right after a sentence ends or a short heading, so "统一、规范" or "V1.0"
are not taken for items.
"""

import re
from dataclasses import dataclass

from .document import ParsedBlock
from .numerals import parse_chinese_numeral

CN = "一二三四五六七八九十百千零〇两"
MARKER = re.compile(
    rf"(?P<chapter>第(?P<n_chapter>[{CN}\d]+)章)[:：\s]*"
    rf"|(?P<part>第(?P<n_part>[{CN}\d]+)节)[:：\s]*"
    rf"|(?P<article>第(?P<n_article>[{CN}\d]+)条)[:：,，、\s]*"
    rf"|(?P<l2>[(（](?P<n_l2>[{CN}]+)[)）])\s*"
    r"|(?P<l4>[(（](?P<n_l4>\d{1,2})[)）])\s*"
    r"|(?P<l5>(?<![\d.])(?P<n_l5>\d{1,2})\.(?P<n_l5b>\d{1,2})(?![\d.%]))\s*"
    rf"|(?P<l1>(?<![{CN}第])(?P<n_l1>[{CN}]+)[、])\s*"
    r"|(?P<l3>(?<![\d.A-Za-z:：/-])(?P<n_l3>\d{1,2})[、.．](?![\d]))\s*"
)
ITEM_LEVEL = {"l1": 1, "l2": 2, "l3": 3, "l4": 4, "l5": 5}
BOUNDARY = set('。；;：:！!？?）)】」”"—') | {" "}
HEADING_WORDS = (
    "总则",
    "總則",
    "附则",
    "附則",
    "概述",
    "引言",
    "前言",
    "目的",
    "适用范围",
    "總綱",
    "总纲",
    "背景介绍",
)
SENTENCE_MARKS = re.compile(r"[，,。；;！!？?]")
SHORT_HEADING = 25


class HeadingLine(str):
    """A line the source marks as a heading (a Word heading style, a Markdown #): what it
    starts is a heading, never a clause of the article before it."""


@dataclass
class Token:
    kind: str  # chapter | part | article | item | text | table
    level: int = 0
    number: int = 0
    text: str = ""
    rows: list | None = None
    heading: bool = False


class _Counters:
    def __init__(self):
        self.chapter = 0
        self.article = 0
        self.levels = [0] * 6

    def reset_items(self, below: int = 0):
        for level in range(below + 1, 6):
            self.levels[level] = 0


def tokenize(lines: list) -> list[Token]:
    """Lines (str, or list-of-rows for a table) → marker and text tokens in order."""
    counters = _Counters()
    tokens: list[Token] = []
    for line in lines:
        if isinstance(line, list):
            tokens.append(Token(kind="table", rows=line))
            continue
        line_tokens = _tokenize_line(line, counters)
        if isinstance(line, HeadingLine) and line_tokens:
            line_tokens[0].heading = True
        tokens.extend(line_tokens)
    return tokens


def _tokenize_line(line: str, counters: _Counters) -> list[Token]:
    tokens: list[Token] = []
    last_end = 0
    pending: Token | None = None
    for match in MARKER.finditer(line):
        start = match.start()
        token = _accept(match, line, start, last_end, counters)
        if token is None:
            continue
        before = line[last_end:start].strip()
        if pending is not None:
            pending.text = before
            tokens.append(pending)
        elif before:
            tokens.append(Token(kind="text", text=before))
        pending = token
        last_end = match.end()
    rest = line[last_end:].strip()
    if pending is not None:
        pending.text = rest
        tokens.append(pending)
    elif rest:
        tokens.append(Token(kind="text", text=rest))
    return tokens


def _accept(match, line: str, start: int, last_end: int, counters: _Counters) -> Token | None:
    kind = match.lastgroup if match.lastgroup in ("chapter", "part", "article") else None
    group = next(
        name
        for name in ("chapter", "part", "article", "l1", "l2", "l3", "l4", "l5")
        if match.group(name)
    )
    number = parse_chinese_numeral(match.group(f"n_{group}"))
    if number is None or number == 0:
        return None
    at_start = start == 0
    boundary = at_start or _boundary(line, start, last_end)
    if group in ("chapter", "part"):
        expected = number == counters.chapter + 1 or number == 1
        if not (at_start or (boundary and expected)):
            return None
        counters.chapter = number if group == "chapter" else counters.chapter
        counters.reset_items()
        return Token(kind=group, number=number)
    if group == "article":
        if not (at_start or (boundary and number in (counters.article + 1, 1))):
            return None
        counters.article = number
        counters.reset_items()
        return Token(kind="article", number=number)
    level = ITEM_LEVEL[group]
    if level == 5:
        if not boundary or int(match.group("n_l5")) != max(counters.levels[3], 1):
            return None
        number = int(match.group("n_l5b"))
    continues = number == counters.levels[level] + 1
    restarts = number == 1
    paren = level in (2, 4)
    if at_start:
        ok = True
    elif paren:
        ok = (
            continues
            or (restarts and boundary)
            or (restarts and _short_segment(line, start, last_end))
        )
    else:
        ok = boundary and (continues or restarts)
    if not ok:
        return None
    counters.levels[level] = number
    counters.reset_items(level)
    del kind
    return Token(kind="item", level=level, number=number)


def _boundary(line: str, start: int, last_end: int) -> bool:
    """The marker follows a sentence end, a closing bracket, or a short heading fragment."""
    previous = line[start - 1] if start else ""
    return previous in BOUNDARY or _short_segment(line, start, last_end)


def _short_segment(line: str, start: int, last_end: int) -> bool:
    segment = line[last_end:start]
    return 0 < len(segment.strip()) <= SHORT_HEADING and not SENTENCE_MARKS.search(segment)


def build_blocks(
    tokens: list[Token], *, chapter_titles: set[str] = frozenset()
) -> list[ParsedBlock]:
    """Tokens → body blocks. Lines equal to a table-of-contents entry become chapters."""
    blocks: list[ParsedBlock] = []
    article: ParsedBlock | None = None
    for token in tokens:
        if token.kind == "table":
            article = None
            blocks.append(ParsedBlock(kind="table", rows=token.rows or []))
        elif token.kind == "chapter" or (token.kind == "text" and token.text in chapter_titles):
            article = None
            title, rest = _split_heading(token.text)
            blocks.append(ParsedBlock(kind="chapter", text=title))
            if rest:
                blocks.append(ParsedBlock(kind="paragraph", text=rest))
        elif token.kind == "part":
            article = None
            title, rest = _split_heading(token.text)
            blocks.append(ParsedBlock(kind="section", level=1, text=title))
            if rest:
                blocks.append(ParsedBlock(kind="paragraph", text=rest))
        elif token.kind == "article":
            article = ParsedBlock(kind="article", text=token.text)
            blocks.append(article)
        elif token.kind == "item":
            if token.heading:
                article = None
                blocks.append(
                    ParsedBlock(kind="section", level=token.level, text=token.text.rstrip("。:："))
                )
            elif article is not None:
                article.clauses.append(
                    ParsedBlock(kind="clause", level=token.level, text=token.text)
                )
            else:
                blocks.extend(_item_blocks(token))
        else:
            _add_text(blocks, article, token.text)
    blocks = [b for b in blocks if b.text or b.clauses or b.rows or b.kind == "article"]
    return _demote_lone_headings(blocks)


def _demote_lone_headings(blocks: list[ParsedBlock]) -> list[ParsedBlock]:
    """A short numbered item is a heading only when something is under it; else an item."""
    out: list[ParsedBlock] = []
    for i, block in enumerate(blocks):
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if block.kind == "section" and block.level >= 2 and not _is_under(nxt, block.level):
            block = ParsedBlock(kind="clause", level=block.level, text=block.text)
        if (
            block.kind == "paragraph"
            and out
            and out[-1].kind == "clause"
            and (not SENTENCE_MARKS.search(out[-1].text[-1:]))
        ):
            out[-1].text += "\n" + block.text
            continue
        out.append(block)
    return out


def _is_under(block: ParsedBlock | None, level: int) -> bool:
    if block is None:
        return False
    if block.kind in ("paragraph", "table", "article"):
        return True
    return block.kind in ("section", "clause") and block.level > level


def _item_blocks(token: Token) -> list[ParsedBlock]:
    text = token.text.strip()
    stripped = text.rstrip("。:：")
    if stripped and len(stripped) <= SHORT_HEADING and not SENTENCE_MARKS.search(stripped):
        return [ParsedBlock(kind="section", level=token.level, text=stripped)]
    for word in HEADING_WORDS:
        if text.startswith(word) and len(text) > len(word) + 4:
            rest = text[len(word) :].lstrip("。:：,，")
            return [
                ParsedBlock(kind="section", level=token.level, text=word),
                ParsedBlock(kind="paragraph", text=rest),
            ]
    return [ParsedBlock(kind="clause", level=token.level, text=text)]


def _split_heading(text: str) -> tuple[str, str]:
    text = text.strip()
    if len(text) <= 30 and not SENTENCE_MARKS.search(text):
        return text, ""
    for word in HEADING_WORDS:
        if text.startswith(word):
            return word, text[len(word) :].lstrip("。:：,，")
    match = SENTENCE_MARKS.search(text)
    head = text[: match.start()] if match else text
    if len(head) <= 20:
        return head, text[len(head) :].lstrip("。:：,，")
    return "", text


def _add_text(blocks: list[ParsedBlock], article: ParsedBlock | None, text: str) -> None:
    """Unnumbered text continues the open article or item; otherwise it is a paragraph."""
    if not text:
        return
    if article is not None:
        if article.clauses:
            article.clauses[-1].text += "\n" + text
        else:
            article.text = (article.text + "\n" + text).strip()
        return
    if blocks and blocks[-1].kind == "clause":
        blocks[-1].text += "\n" + text
        return
    blocks.append(ParsedBlock(kind="paragraph", text=text))
