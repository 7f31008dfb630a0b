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
   query side matches exactly (search.query). Elasticsearch's word fields hold these.
6. for the embedded index instead of 5: character bigrams of steps 1–4 (bigram_runs). A
   segmenter cuts by context — 环比 inside 循环比较 becomes 循环 比较 — so a token index misses
   words the text plainly contains (measured: 1 in 250 planted words); bigrams in sequence
   find every occurrence, and skip rjieba's cost at indexing.

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


# Characters written without spaces between words: CJK ideographs (and compatibility forms).
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUNS = re.compile(f"([{_CJK}]+)|([^\\W{_CJK}]+)")
# A line break or space between two Chinese characters (wrapped lines in imported files).
CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def bigram_runs(plain: str) -> list[list[str]]:
    """Already normalised text as runs of tokens: a run of Chinese characters becomes its
    overlapping pairs plus its last character alone (员工守则 → 员工 工守 守则 则), so every
    character starts a token; a run of letters or digits stays one word. A word matched as
    the sequence of its pairs occurs exactly there, whatever a segmenter would make of the
    context (环比 inside 循环比较) — what the embedded backend matches."""
    return [
        [*map(str.__add__, cjk, cjk[1:]), cjk[-1]] if cjk else [word]
        for cjk, word in RUNS.findall(CJK_GAP.sub("", plain))
    ]


def bigram_text(plain: str) -> str:
    """What the embedded backend stores for full-text matching (bigram_runs, space-joined)."""
    return " ".join(token for run in bigram_runs(plain) for token in run)


def bigram_phrase(plain: str) -> list[str]:
    """A query word as the token sequence to find (the last one a prefix): the tokens of
    every run but the last as indexed — a run ends where the text's run ends — and of the
    last run its pairs only, or its one character, which in the text starts a pair or ends a
    run (配部 → 配部; 第3条 → 第 3 条…)."""
    runs = bigram_runs(plain)
    if not runs:
        return []
    last = runs[-1]
    if len(last) > 1:
        last = last[:-1]
    return [token for run in runs[:-1] for token in run] + last
