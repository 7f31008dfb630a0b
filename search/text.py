"""The text pipeline shared by indexing and querying: what makes 2-character Chinese words
findable (DESIGN.md, "Decisions already measured").

1. NFKC (full-width letters and digits, compatibility forms);
2. pinyin annotations such as 運(yùn)營 removed — *before* step 3, or 運營 never becomes 运营;
3. traditional → simplified (OpenCC t2s);
4. lower case;
5. segmentation with rjieba ``cut_for_search`` (a word and its sub-words: 员工守则 → 员工 守则
   员工守则), tokens without a letter or digit dropped, joined by spaces. The dictionary only,
   without HMM new-word guessing: guessing glued 配部 in 第3条配部… into one token 条配部, so
   a search for 配部 missed it; unknown words now fall apart into characters, which the
   query side matches exactly (search.query).

Queries go through the same steps, so 員工 finds 员工 and 运营 finds 運(yùn)營.
"""

import functools
import re
import unicodedata

import rjieba

# (yùn) （zhāng） (zhang1): Latin letters with tone marks or a tone digit inside brackets.
PINYIN_ANNOTATION = re.compile(
    r"[(（]\s*[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+[1-5]?"
    r"(?:\s+[a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]+[1-5]?)*\s*[)）]"
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
WORDLIKE = re.compile(r"\w", re.UNICODE)


@functools.cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Steps 1–4: the form both the index and queries compare."""
    text = unicodedata.normalize("NFKC", CONTROL.sub(" ", text or ""))
    text = PINYIN_ANNOTATION.sub("", text)
    return _converter().convert(text).lower()


def tokens(text: str) -> list[str]:
    """Step 5 on already normalised text: search tokens, punctuation and spaces dropped."""
    return [t for t in rjieba.cut_for_search(text, False) if WORDLIKE.search(t) and not t.isspace()]


def index_text(text: str) -> str:
    """What a backend stores for full-text matching."""
    return " ".join(tokens(normalise(text)))


def query_tokens(normalised: str) -> tuple[str, ...]:
    """The tokens a query word needs, from already normalised text: its search tokens minus
    any compound whose parts are also there (员工守则 → 员工, 守则). The indexed text holds the
    parts of every compound, but not always the compound — segmentation depends on context —
    so requiring the parts finds every text containing the word."""
    found = list(dict.fromkeys(tokens(normalised)))
    return tuple(t for t in found if not any(o != t and o in t for o in found))
