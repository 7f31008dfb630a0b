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
YI_WORDS = set("统唯之第同万逐单专划均归整合不进另每任")  # X一 words
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
        token = _accept(match, line, start, last_end, counters, pending)
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


def _accept(
    match, line: str, start: int, last_end: int, counters: _Counters, previous: Token | None
) -> Token | None:
    """Whether this marker really starts a chapter, article or item (see module docstring).

    Inside a line a marker counts after a sentence ends or a closing bracket; after a short
    fragment only when that fragment is a heading (the line's start, or the title of a chapter
    or numbered heading) — so "第三条公司实行统一、规范…" or "附表(1)所列" stay text. An article's
    own title may run into its first "1." item (第三条基本原则1. 坚守…).
    """
    group = next(
        name
        for name in ("chapter", "part", "article", "l1", "l2", "l3", "l4", "l5")
        if match.group(name)
    )
    number = parse_chinese_numeral(match.group(f"n_{group}"))
    if number is None or number == 0:
        return None
    at_start = start == 0
    punctuated = line[start - 1] in BOUNDARY if start else True
    short = _short_segment(line, start, last_end)
    after_heading = previous is None or previous.kind in ("chapter", "part", "item")
    heading_fragment = short and after_heading
    if group in ("chapter", "part"):
        expected = number == counters.chapter + 1 or number == 1
        if not (at_start or ((punctuated or heading_fragment) and expected)):
            return None
        counters.chapter = number if group == "chapter" else counters.chapter
        counters.reset_items()
        return Token(kind=group, number=number)
    if group == "article":
        expected = number in (counters.article + 1, 1)
        if not (at_start or ((punctuated or heading_fragment) and expected)):
            return None
        counters.article = number
        counters.reset_items()
        return Token(kind="article", number=number)
    level = ITEM_LEVEL[group]
    if level == 5:
        if not (at_start or punctuated or short):
            return None
        if int(match.group("n_l5")) != max(counters.levels[3], 1):
            return None
        number = int(match.group("n_l5b"))
    open_list = counters.levels[level] > 0
    continues = open_list and number == counters.levels[level] + 1
    article_title = level == 3 and short and previous is not None and previous.kind == "article"
    if at_start:
        ok = True
    elif continues:
        ok = punctuated or heading_fragment or level in (2, 4)
    elif number == 1 and level == 1 and (open_list or line[start - 1] in YI_WORDS):
        ok = punctuated  # 统一、唯一、之一 … are words, not a new list
    elif number == 1:
        ok = punctuated or heading_fragment or article_title
    else:
        ok = False
    if not ok:
        return None
    counters.levels[level] = number
    counters.reset_items(level)
    return Token(kind="item", level=level, number=number)


def _short_segment(line: str, start: int, last_end: int) -> bool:
    segment = line[last_end:start]
    return 0 < len(segment.strip()) <= SHORT_HEADING and not SENTENCE_MARKS.search(segment)


def build_blocks(
    tokens: list[Token], *, chapter_titles: set[str] = frozenset()
) -> list[ParsedBlock]:
    """Tokens → body blocks. Lines equal to a table-of-contents entry become chapters."""
    blocks: list[ParsedBlock] = []
    candidates: set[int] = set()  # short numbered items: heading or item, decided below
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
                blocks.extend(_item_blocks(token, candidates))
        else:
            _add_text(blocks, article, token.text)
    blocks = [b for b in blocks if b.text or b.clauses or b.rows or b.kind == "article"]
    return _settle_candidates(blocks, candidates)


def _settle_candidates(blocks: list[ParsedBlock], candidates: set[int]) -> list[ParsedBlock]:
    """Decide each short numbered item: a heading when something sits under it, else an item.

    一、工作时间。 followed by text or deeper items is a heading (its 。 dropped); a numbered
    sentence (1. 不得迟到。) or a short item with nothing deeper under it stays an item with
    its text unchanged, and an unnumbered line after it continues it.
    """
    out: list[ParsedBlock] = []
    for i, block in enumerate(blocks):
        if id(block) in candidates:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            kind = "section" if _heads(block, nxt) else "clause"
            text = block.text.rstrip("。:：") if kind == "section" else block.text
            block = ParsedBlock(kind=kind, level=block.level, text=text)
        elif (
            block.kind == "paragraph"
            and out
            and out[-1].kind == "clause"
            and (_continues_item(block.text))
        ):
            out[-1].text += "\n" + block.text
            continue
        out.append(block)
    return out


def _heads(block: ParsedBlock, nxt: ParsedBlock | None) -> bool:
    if nxt is None:
        return False
    deeper = nxt.kind in ("section", "clause") and nxt.level > block.level
    if block.level > 1 and block.text[-1:] in "。；;":
        return False  # a numbered sentence, not a heading
    return deeper or nxt.kind in ("paragraph", "table", "article")


def _continues_item(text: str) -> bool:
    """An unnumbered line after an item continues it unless it looks like a caption or
    heading (short, no sentence punctuation: 电子商务运营流程图)."""
    return len(text) > SHORT_HEADING or bool(SENTENCE_MARKS.search(text))


def _item_blocks(token: Token, candidates: set[int]) -> list[ParsedBlock]:
    text = token.text.strip()
    stripped = text.rstrip("。:：")
    if stripped and len(stripped) <= SHORT_HEADING and not SENTENCE_MARKS.search(stripped):
        block = ParsedBlock(kind="section", level=token.level, text=text)
        candidates.add(id(block))
        return [block]
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
    if blocks and blocks[-1].kind == "clause" and _continues_item(text):
        blocks[-1].text += "\n" + text
        return
    blocks.append(ParsedBlock(kind="paragraph", text=text))
