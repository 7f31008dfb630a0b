"""How alike two documents' texts are: Jaccard similarity of character 4-grams.

Shingles rather than an edit distance: cheap enough to compare every imported document with
the whole library, and insensitive to paragraphs being moved around.
"""

import re

SHINGLE = 4
NEAR_DUPLICATE = 0.6
NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def shingles(text: str) -> frozenset[str]:
    text = NOISE.sub("", text)
    if len(text) <= SHINGLE:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + SHINGLE] for i in range(len(text) - SHINGLE + 1))


def similarity(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)
