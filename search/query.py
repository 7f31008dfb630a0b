"""Parse what a user typed into a ParsedQuery: words, "quoted phrases", -exclusions and field
filters (编号:SYCW). Never raises: quotes left open, FTS operators, wildcards, control
characters and very long input are all taken as plain text, and the query is cut to
MAX_QUERY_CHARS first."""

import re

from .backends.base import ParsedQuery, Term
from .text import normalise, query_tokens

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
FIELD_NAMES = {
    "编号": "document_number",
    "文件编号": "document_number",
    "number": "document_number",
    "标题": "title",
    "title": "title",
    "版本": "version",
    "version": "version",
}
PART = re.compile(r'(-?)(?:"([^"]*)"?|“([^”]*)”?|(\S+))')


def _term(text: str, *, exact: bool) -> Term | None:
    plain = normalise(text).replace(" ", "")
    found = query_tokens(plain)
    if not found:
        return None
    # A word the dictionary does not know falls apart into characters (search.text); then the
    # characters must also stand together, or 配部 would match any text with 配 and 部.
    scattered = len(found) > 1 and any(len(token) == 1 for token in found)
    return Term(tokens=found, plain=plain, exact=(exact or scattered) and len(found) > 1)


def parse_query(raw: str) -> ParsedQuery:
    text = normalise((raw or "")[: MAX_QUERY_CHARS * 2])[:MAX_QUERY_CHARS]
    terms, excluded, fields = [], [], {}
    for minus, straight, curly, word in PART.findall(text):
        quoted = not word
        body = word or straight or curly
        if word and ":" in word and not minus:
            name, _, value = word.partition(":")
            if name in FIELD_NAMES and value:
                fields[FIELD_NAMES[name]] = value
                continue
        term = _term(body, exact=quoted)
        if term is None:
            continue
        (excluded if minus else terms).append(term)
    return ParsedQuery(
        terms=tuple(terms[:MAX_TERMS]), excluded=tuple(excluded[:MAX_TERMS]), fields=fields
    )
