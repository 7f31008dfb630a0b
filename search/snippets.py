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


def _comparable(text: str) -> tuple[str, str]:
    shown = PINYIN_ANNOTATION.sub("", text)
    folded = _converter().convert(unicodedata.normalize("NFKC", shown)).lower()
    if len(folded) != len(shown):
        return folded, folded
    return shown, folded


def snippet_html(text: str, terms: tuple[Term, ...], *, width: int = WIDTH) -> str:
    shown, folded = _comparable(text or "")
    needles = sorted(
        {t.plain for t in terms if t.exact} | {tok for t in terms for tok in t.tokens},
        key=len,
        reverse=True,
    )
    spans: list[tuple[int, int]] = []
    for needle in needles:
        start = folded.find(needle)
        while start != -1 and needle:
            end = start + len(needle)
            if not any(s < end and start < e for s, e in spans):
                spans.append((start, end))
            start = folded.find(needle, end)
    spans.sort()
    first = spans[0][0] if spans else 0
    begin = max(0, first - width // 3)
    finish = min(len(shown), begin + width)
    out, cursor = [], begin
    for start, end in spans:
        if end <= begin or start >= finish:
            continue
        start, end = max(start, begin), min(end, finish)
        out.append(escape(shown[cursor:start]))
        out.append(f"<mark>{escape(shown[start:end])}</mark>")
        cursor = end
    out.append(escape(shown[cursor:finish]))
    return ("…" if begin else "") + "".join(out) + ("…" if finish < len(shown) else "")
