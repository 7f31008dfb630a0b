"""Snippets with highlights, computed from an entry's raw text for the hits shown.

Matching happens on the normalised form (traditional → simplified, NFKC, lower case), but the
reader sees the original text: when normalising keeps the length (the usual case: OpenCC maps
character to character) positions carry over; otherwise the normalised text is shown.
"""

import unicodedata
from html import escape

from .backends.base import Term
from .text import PINYIN_ANNOTATION, _converter

WIDTH = 90
HEAD = 600


def _comparable(text: str) -> tuple[str, str]:
    shown = PINYIN_ANNOTATION.sub("", text)
    composed = shown
    if not unicodedata.is_normalized("NFKC", shown):  # the quick check is far cheaper
        composed = unicodedata.normalize("NFKC", shown)
    folded = _converter().convert(composed).lower()
    if len(folded) != len(shown):
        return folded, folded
    return shown, folded


def snippet_html(text: str, terms: tuple[Term, ...], *, width: int = WIDTH) -> str:
    needles = sorted(
        ({t.plain for t in terms} | {tok for t in terms for tok in t.tokens}) - {""},
        key=len,
        reverse=True,
    )
    text = text or ""
    # Fold the head of a long text first: the first match is usually there.
    for part in (text[:HEAD], text) if len(text) > HEAD else (text,):
        shown, folded = _comparable(part)
        found = [i for i in (folded.find(n) for n in needles) if i != -1]
        first = min(found) if found else 0
        if found and first + width <= len(folded) or part is text:
            break
    begin = max(0, first - width // 3)
    finish = min(len(shown), begin + width)
    window = folded[begin:finish]
    spans: list[tuple[int, int]] = []  # in the window; longer needles first
    for needle in needles:
        start = window.find(needle)
        while start != -1:
            end = start + len(needle)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = window.find(needle, end)
    spans.sort()
    out, cursor = [], begin
    for start, end in spans:
        out.append(escape(shown[cursor : begin + start]))
        out.append(f"<mark>{escape(shown[begin + start : begin + end])}</mark>")
        cursor = begin + end
    out.append(escape(shown[cursor:finish]))
    return ("…" if begin else "") + "".join(out) + ("…" if finish < len(shown) else "")
