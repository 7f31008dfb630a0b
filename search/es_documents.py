"""The Elasticsearch index of search entries, as elasticsearch-dsl definitions.

The analyzer works on stock Elasticsearch 8 (no plugin): a ``pattern_replace`` char filter
removes pinyin annotations such as 運(yùn)營 (search.text.PINYIN_ANNOTATION, in Java regex
syntax), then the standard tokenizer (one token per CJK character), ``cjk_width`` (full-width
letters and digits, half-width kana), ``lowercase`` and ``cjk_bigram`` (adjacent characters
as bigrams: 2-character words match). It covers the raw ``text`` and ``title``. Beside it,
``normalised`` and ``title_normalised`` hold our own pipeline's output (NFKC, traditional →
simplified, rjieba segmentation: search.text.index_text) split on whitespace only, so the
Elasticsearch backend finds everything the embedded backend finds; queries ask both.

``plain`` / ``title_plain`` hold the normalised text without spaces (as the embedded
backend's ``plain`` columns): quoted phrases are matched there, and the ``标题:`` field filter
on ``title_plain``. Access data (level, need_to_know) and the status dates are copied into
every document so the backend applies them inside the query.
"""

from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    MetaField,
    Text,
    analyzer,
    char_filter,
    normalizer,
    token_filter,
)

from .text import PINYIN_ANNOTATION

# A keyword term is at most 32,766 UTF-8 bytes; longer values are kept but not indexed.
KEYWORD_MAX = 8191

# Python's pattern is valid Java regex as is (character classes, \s, (?:…)).
pinyin_annotation = char_filter(
    "zhidu_pinyin_annotation",
    type="pattern_replace",
    pattern=PINYIN_ANNOTATION.pattern,
    replacement="",
)
cjk_bigrams = token_filter("zhidu_cjk_bigram", type="cjk_bigram", output_unigrams=False)
zhidu_cjk = analyzer(
    "zhidu_cjk",
    tokenizer="standard",
    char_filter=[pinyin_annotation],
    filter=["cjk_width", "lowercase", cjk_bigrams],
)
lowercase_keyword = normalizer("zhidu_lowercase", filter=["lowercase"])


class EntryDocument(Document):
    """One search.backends.base.IndexEntry; the document id is its ``key``."""

    class Meta:
        dynamic = MetaField("strict")  # a typo in a field name fails loudly, never maps

    key = Keyword()
    kind = Keyword()
    page_id = Integer()
    source = Keyword()  # IndexEntry.source: page:12, contract:5, archive:7
    version_id = Integer()
    title = Keyword(ignore_above=KEYWORD_MAX, fields={"cjk": Text(analyzer=zhidu_cjk)})
    document_number = Keyword(normalizer=lowercase_keyword, ignore_above=KEYWORD_MAX)
    version = Keyword(normalizer=lowercase_keyword)
    label = Keyword(index=False)
    anchor = Keyword(index=False)
    url = Keyword(index=False)
    text = Text(analyzer=zhidu_cjk)
    normalised = Text(analyzer="whitespace")
    title_normalised = Text(analyzer="whitespace")
    plain = Text(analyzer=zhidu_cjk)
    title_plain = Keyword(
        normalizer=lowercase_keyword,
        ignore_above=KEYWORD_MAX,
        fields={"cjk": Text(analyzer=zhidu_cjk)},
    )
    level = Integer()
    need_to_know = Integer(multi=True)
    repealed = Boolean()
    draft = Boolean()
    effective_date = Date(format="strict_date")
    superseded_on = Date(format="strict_date")
    category = Keyword()
    department_id = Integer()


def entry_index(name: str) -> Index:
    """The index definition (settings, analysis, mapping) for a concrete index ``name``."""
    index = Index(name)
    index.document(EntryDocument)
    return index
