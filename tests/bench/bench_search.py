"""Search at scale: the embedded FTS5 backend against Wagtail's built-in database backend.

Scale (issue: search): 20,000 synthetic documents of ~2,000 Chinese characters (40 M
characters), one index entry per document. The text is drawn from a vocabulary of real
regulation words — harvested from the demo content (site/zhidu/demo/data.py) and, when present,
the customer's seed files (../shared/seeds, traditional characters converted) — with a Zipf
frequency, sentences and articles (第X条). 10 % of the documents are converted to traditional
characters; some carry pinyin annotations as in the seeds (運(yùn)營). Levels 0–4, 20 % with a
need-to-know list, some superseded or repealed, eight categories, two kinds.

Query set: 100 "planted" words (2–4 characters, reserved from the general vocabulary) each put
into 1–6 given documents — 20 of them only into traditional documents, 8 of them with pinyin
annotations — plus 3 queries typed in traditional characters, 30 frequent words and 20
two-word queries. ``recall`` is the share of (planted word, visible target document) pairs
found in the first 20 hits; ``hidden_hits`` counts hits the access filter should have removed.

Targets: ``index_chars_per_s`` ≥ 1,000,000 (IndexEntry text forms + backend.index, per
character of raw text); ``query_p95_ms`` ≤ 20 (the full BackendQuery path: a staff access
filter (levels ≤ 2, three departments for need-to-know), every facet, snippets, limit 20);
``recall`` = 1.0; ``latency_ratio_vs_builtin`` ≥ 20.

Alternative measured in the same run: Wagtail's built-in database search backend
(wagtail.search.backends.database → SQLite FTS5) on the same 20,000 texts, indexed through a
throw-away indexed model in the benchmark's own database, queried with the level filter
(need-to-know cannot be expressed there) and one facet (level), first 20 results. Its queries
take seconds, so it runs a fixed subset of the query set (stated in the rows); the ratio
compares both backends' p95 on that same subset.
"""

import bisect
import datetime
import itertools
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .bench_import import _metric

# A smaller corpus for a quick look: ZHIDU_BENCH_SEARCH_DOCUMENTS=2000 make bench BENCH=search
DOCUMENTS = int(os.environ.get("ZHIDU_BENCH_SEARCH_DOCUMENTS", "20000"))
CHARS = 2_000
TRADITIONAL_SHARE = 0.10
PLANTED = 100
PLANTED_TRADITIONAL = 20
COMMON_QUERIES = 30
PAIR_QUERIES = 20
BUILTIN_QUERIES = 30  # the built-in backend's subset (its queries take seconds)
BATCH = 500
ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT.parent / "shared" / "seeds"
SCALE = (
    f"{DOCUMENTS:,} documents × ~2,000 chars ({DOCUMENTS * 2 / 1000:g} M chars), "
    "10% traditional, pinyin-annotated words"
)
CATEGORIES = ["人事", "财务", "行政", "电商运营", "客服", "物流", "采购", "信息安全"]
# Words written with pinyin annotations, as the seed files do (traditional + (pinyin)).
PINYIN_WORDS = {
    "运营": "運(yùn)營",
    "库存": "庫(kù)存",
    "绩效": "績(jì)效",
    "仓储": "倉(cāng)儲(chǔ)",
    "退货": "退貨(huò)",
    "推广": "推廣(guǎng)",
    "报销": "報(bào)銷(xiāo)",
    "账款": "賬(zhàng)款",
}
TRADITIONAL_QUERIES = ["員工", "規定", "審批"]  # typed in traditional, text in simplified
STAFF_LEVEL = 2
STAFF_DEPARTMENTS = frozenset({1, 2, 3})


def _say(message: str) -> None:
    print(f"  [search] {message}", file=sys.stderr, flush=True)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


# -- corpus ----------------------------------------------------------------------------------


def _vocabulary() -> list[str]:
    """Real regulation words: rjieba words of 2–4 Chinese characters from the demo content
    and the seed files (normalised: pinyin stripped, traditional → simplified)."""
    import rjieba

    from search.text import normalise

    sources = [(ROOT / "site" / "zhidu" / "demo" / "data.py").read_text(encoding="utf-8")]
    if SEEDS.is_dir():
        sources += [p.read_text(encoding="utf-8", errors="ignore") for p in SEEDS.glob("*.txt")]
    words: dict[str, None] = {}
    for source in sources:
        for run in re.findall(r"[\u4e00-\u9fff]+", normalise(source)):
            for word in rjieba.cut(run):
                if 2 <= len(word) <= 4:
                    words[word] = None
    return sorted(words)


class Corpus:
    """The documents (as plain dicts), the planted words and where they were put."""

    def __init__(self, seed: int = 20260):
        import opencc

        from search.text import query_tokens

        rng = random.Random(seed)
        vocabulary = _vocabulary()
        rng.shuffle(vocabulary)
        pinyin = [w for w in PINYIN_WORDS if w not in TRADITIONAL_QUERIES]
        # Planted words are atomic for the segmenter (query_tokens(w) == (w,)), so a query for
        # one needs that very word, not a more frequent part of it.
        reserved_pool = [w for w in vocabulary if w not in PINYIN_WORDS and query_tokens(w) == (w,)]
        self.planted_words = reserved_pool[: PLANTED - len(pinyin)] + pinyin
        reserved = set(self.planted_words)
        # A word is reserved only if no general word contains it (or it would occur anyway).
        general = [w for w in vocabulary if w not in reserved and not any(r in w for r in reserved)]
        self.common = general[:COMMON_QUERIES]  # the most frequent (Zipf rank 1…)
        weights = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(general))))
        self.vocabulary_size = len(vocabulary)

        traditional = set(rng.sample(range(DOCUMENTS), int(DOCUMENTS * TRADITIONAL_SHARE)))
        simplified = [i for i in range(DOCUMENTS) if i not in traditional]
        self.targets: dict[str, set[int]] = {}
        inserts: dict[int, list[str]] = {}
        trad_only = set(self.planted_words[:PLANTED_TRADITIONAL])
        for word in self.planted_words:
            pool = (
                sorted(traditional)
                if word in trad_only
                else simplified
                if word in PINYIN_WORDS
                else range(DOCUMENTS)
            )
            docs = rng.sample(pool, rng.randint(1, 6))
            self.targets[word] = set(docs)
            for doc in docs:
                inserts.setdefault(doc, []).append(PINYIN_WORDS.get(word, word))
        self.traditional_words = [w for w in self.planted_words if w in trad_only]

        s2t = opencc.OpenCC("s2t")
        self.documents = []
        start = datetime.date(2021, 1, 1)
        for i in range(DOCUMENTS):
            text = self._text(rng, general, weights, inserts.get(i, []))
            title = f"{rng.choice(general)}{rng.choice(general)}管理制度"
            if i in traditional:
                text, title = s2t.convert(text), s2t.convert(title)
            effective = start + datetime.timedelta(days=rng.randint(0, 1800))
            superseded = (
                effective + datetime.timedelta(days=rng.randint(30, 300))
                if rng.random() < 0.2
                else None
            )
            self.documents.append(
                {
                    "id": i,
                    "title": title,
                    "text": text,
                    "level": rng.choices(range(5), weights=[30, 40, 15, 10, 5])[0],
                    "ntk": (rng.randint(1, 20),) if rng.random() < 0.2 else (),
                    "repealed": superseded is not None and rng.random() < 0.25,
                    "effective_date": effective,
                    "superseded_on": superseded,
                    "category": rng.choice(CATEGORIES),
                    "department_id": rng.randint(1, 20),
                    "kind": "job_description" if rng.random() < 0.2 else "regulation",
                }
            )
        self.chars = sum(len(d["text"]) + len(d["title"]) for d in self.documents)

    @staticmethod
    def _text(rng, words, cum_weights, planted: list[str]) -> str:
        out, length, article, planted = [], 0, 0, list(planted)
        total = cum_weights[-1]
        while length < CHARS:
            article += 1
            sentence = [f"第{article}条"]
            for _ in range(rng.randint(2, 4)):
                clause = [
                    words[bisect.bisect(cum_weights, rng.random() * total)]
                    for _ in range(rng.randint(3, 7))
                ]
                if planted and rng.random() < 0.3:
                    clause.insert(rng.randint(0, len(clause)), planted.pop())
                sentence.append("".join(clause) + "，")
            sentence[-1] = sentence[-1][:-1] + "。"
            text = "".join(sentence)
            out.append(text)
            length += len(text)
        if planted:
            out.append("".join(planted) + "。")
        return "".join(out)

    def visible(self, doc: dict) -> bool:
        return doc["level"] <= STAFF_LEVEL and (
            not doc["ntk"] or bool(set(doc["ntk"]) & STAFF_DEPARTMENTS)
        )


# -- ours ------------------------------------------------------------------------------------


def _entries(corpus: Corpus):
    from search.backends.base import IndexEntry

    for doc in corpus.documents:
        yield IndexEntry(
            key=f"d{doc['id']}",
            kind=doc["kind"],
            page_id=doc["id"],
            version_id=doc["id"],
            title=doc["title"],
            document_number=f"BENCH-{doc['id']:05d}",
            version="V1.0",
            label="",
            anchor="",
            url=f"/zhidu/BENCH-{doc['id']:05d}/",
            text=doc["text"],
            level=doc["level"],
            need_to_know=doc["ntk"],
            repealed=doc["repealed"],
            effective_date=doc["effective_date"],
            superseded_on=doc["superseded_on"],
            category=doc["category"],
            department_id=doc["department_id"],
        )


def _queries(corpus: Corpus, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, query): planted words first (the recall set), then the others."""
    queries = [("planted", w) for w in corpus.planted_words]
    queries += [("traditional_query", w) for w in TRADITIONAL_QUERIES]
    queries += [("common", w) for w in corpus.common]
    queries += [
        ("pair", f"{a} {b}")
        for a, b in zip(
            rng.sample(corpus.common, PAIR_QUERIES),
            rng.sample(corpus.planted_words, PAIR_QUERIES),
            strict=True,
        )
    ]
    return queries


def _ours(corpus: Corpus, queries, index_dir: Path) -> dict:
    from search.backends.base import AccessFilter, BackendQuery
    from search.backends.embedded import EmbeddedBackend
    from search.query import parse_query

    backend = EmbeddedBackend(index_dir / "bench-search.sqlite3")
    backend.clear()
    started = time.perf_counter()
    batch = []
    for entry in _entries(corpus):
        batch.append(entry)
        if len(batch) == BATCH:
            backend.index(batch)
            batch = []
    backend.index(batch)
    index_s = time.perf_counter() - started
    _say(f"embedded: indexed {corpus.chars:,} chars in {index_s:.1f} s")

    access = AccessFilter(max_level=STAFF_LEVEL, departments=STAFF_DEPARTMENTS)
    today = datetime.date(2026, 1, 1)
    times, found, hidden = {}, {}, 0
    for _round in range(2):  # the first round warms the page cache; the second is measured
        for kind, text in queries:
            q = BackendQuery(query=parse_query(text), access=access, today=today, limit=20)
            t0 = time.perf_counter()
            result = backend.search(q)
            times[(kind, text)] = (time.perf_counter() - t0) * 1000
            found[(kind, text)] = {hit.entry.page_id for hit in result.hits}
            hidden += sum(
                not corpus.visible(corpus.documents[hit.entry.page_id]) for hit in result.hits
            )
    # Recall as membership: is each target document matched at all (ranking aside)? One query
    # per (word, document), narrowed to that document by its number (编号:…).
    matched = {}
    for word, targets in corpus.targets.items():
        for doc in targets:
            q = BackendQuery(
                query=parse_query(f"{word} 编号:BENCH-{doc:05d}"), access=access, today=today
            )
            matched[(word, doc)] = backend.search(q).total > 0
    return {
        "index_s": index_s,
        "times": times,
        "found": found,
        "matched": matched,
        "hidden": hidden // 2,
    }


# -- Wagtail's built-in database backend ----------------------------------------------------


def _builtin(corpus: Corpus, queries) -> dict:
    from django.db import connection, models
    from wagtail.search import index
    from wagtail.search.backends import get_search_backend

    class BenchSearchDocument(index.Indexed, models.Model):
        title = models.CharField(max_length=200)
        body = models.TextField()
        level = models.IntegerField()
        search_fields = [
            index.SearchField("title", boost=2),
            index.SearchField("body"),
            index.FilterField("level"),
        ]

        class Meta:
            app_label = "zhidu_search"

        def __str__(self):
            return self.title

    with connection.schema_editor() as editor:
        editor.create_model(BenchSearchDocument)
    backend = get_search_backend()
    started = time.perf_counter()
    objects = [
        BenchSearchDocument(id=d["id"] + 1, title=d["title"], body=d["text"], level=d["level"])
        for d in corpus.documents
    ]
    BenchSearchDocument.objects.bulk_create(objects, batch_size=2000)
    for i in range(0, len(objects), 2000):
        backend.add_bulk(BenchSearchDocument, objects[i : i + 2000])
    index_s = time.perf_counter() - started
    _say(f"built-in ({type(backend).__name__}): indexed in {index_s:.1f} s")

    visible = BenchSearchDocument.objects.filter(level__lte=STAFF_LEVEL)
    times, found = {}, {}
    for kind, text in queries:
        t0 = time.perf_counter()
        results = backend.search(text, visible)
        hits = list(results[:20])
        results.facet("level")
        times[(kind, text)] = (time.perf_counter() - t0) * 1000
        found[(kind, text)] = {hit.pk - 1 for hit in hits}
    return {"index_s": index_s, "times": times, "found": found, "backend": type(backend).__name__}


def _recall(corpus: Corpus, found: dict, queries, matched: dict | None = None):
    """Share of (planted word, visible target document) pairs found: in the first 20 hits,
    or (``matched``) matched at all."""
    wanted = hit = 0
    for kind, word in queries:
        if kind != "planted":
            continue
        targets = {d for d in corpus.targets[word] if corpus.visible(corpus.documents[d])}
        wanted += len(targets)
        if matched is not None:
            hit += sum(matched[(word, d)] for d in targets)
        else:
            hit += len(targets & found[(kind, word)])
    return (hit / wanted if wanted else 1.0), wanted


def run() -> list[dict]:
    rng = random.Random(7)
    started = time.perf_counter()
    corpus = Corpus()
    _say(
        f"corpus: {len(corpus.documents):,} documents, {corpus.chars:,} chars, vocabulary "
        f"{corpus.vocabulary_size:,} words, built in {time.perf_counter() - started:.1f} s"
    )
    queries = _queries(corpus, rng)
    with tempfile.TemporaryDirectory(prefix="zhidu-bench-search-") as tmp:
        ours = _ours(corpus, queries, Path(tmp))
    recall, pairs = _recall(corpus, ours["found"], queries, ours["matched"])
    recall_first_20, _n = _recall(corpus, ours["found"], queries)
    trad = [("planted", w) for w in corpus.traditional_words]
    pinyin = [("planted", w) for w in PINYIN_WORDS]
    recall_trad, _n = _recall(corpus, ours["found"], trad, ours["matched"])
    recall_pinyin, _n = _recall(corpus, ours["found"], pinyin, ours["matched"])
    trad_queries_ok = all(ours["found"][("traditional_query", w)] for w in TRADITIONAL_QUERIES)

    # The built-in backend runs a fixed subset: planted words (incl. traditional and pinyin
    # ones), frequent words and pairs.
    subset = (
        [("planted", w) for w in corpus.planted_words[PLANTED_TRADITIONAL:][:10]]
        + trad[:5]
        + pinyin[:5]
        + [q for q in queries if q[0] == "common"][:6]
        + [q for q in queries if q[0] == "pair"][:4]
    )[:BUILTIN_QUERIES]
    builtin = _builtin(corpus, subset)
    builtin_recall, builtin_pairs = _recall(corpus, builtin["found"], subset)
    ours_recall_subset, _n = _recall(corpus, ours["found"], subset)
    ours_subset_p95 = _p95([ours["times"][q] for q in subset])
    builtin_p95 = _p95(list(builtin["times"].values()))

    all_times = list(ours["times"].values())
    n_queries = len(queries)
    query_scale = (
        f"{SCALE}; {n_queries} queries (100 planted words, 3 typed in traditional, "
        f"30 frequent, 20 pairs); staff filter (levels ≤ {STAFF_LEVEL}, need-to-know), "
        "all facets, snippets, limit 20"
    )
    subset_scale = (
        f"{SCALE}; the same {len(subset)}-query subset on both (10 planted, 5 traditional, "
        f"5 pinyin, 6 frequent, 4 pairs); built-in: {builtin['backend']}, level filter, "
        "facet on level, first 20"
    )
    return [
        _metric(
            "index_chars_per_s",
            corpus.chars / ours["index_s"],
            "char/s",
            1_000_000,
            f"{SCALE}; normalise (NFKC, pinyin, OpenCC) + bigrams + EmbeddedBackend.index in "
            f"batches of {BATCH}, {ours['index_s']:.1f} s",
            lower_is_better=False,
        ),
        _metric("query_p95_ms", _p95(all_times), "ms", 20, query_scale),
        _metric("query_median_ms", statistics.median(all_times), "ms", None, query_scale),
        _metric(
            "recall",
            recall,
            "ratio",
            1.0,
            f"{SCALE}; {pairs} (planted word, visible document) pairs: the document matched "
            "(query narrowed to it by 编号:)",
            lower_is_better=False,
        ),
        _metric(
            "recall_first_20",
            recall_first_20,
            "ratio",
            None,
            f"{SCALE}; the same pairs, the document among the first 20 hits of the plain query",
            lower_is_better=False,
        ),
        _metric(
            "recall_traditional_text",
            recall_trad,
            "ratio",
            1.0,
            f"{PLANTED_TRADITIONAL} simplified queries for words only in traditional documents",
            lower_is_better=False,
        ),
        _metric(
            "recall_pinyin_annotated",
            recall_pinyin,
            "ratio",
            1.0,
            f"{len(PINYIN_WORDS)} clean words written with pinyin annotations (運(yùn)營)",
            lower_is_better=False,
        ),
        _metric(
            "traditional_queries_found",
            1.0 if trad_queries_ok else 0.0,
            "ratio",
            1.0,
            "queries typed in traditional (員工, 規定, 審批) find simplified text",
            lower_is_better=False,
        ),
        _metric("hidden_hits", ours["hidden"], "hits", 0, query_scale),
        _metric(
            "builtin_recall",
            builtin_recall,
            "ratio",
            None,
            f"{subset_scale}; {builtin_pairs} (word, visible document) pairs; "
            f"ours on the same: {ours_recall_subset:.3f}",
            lower_is_better=False,
        ),
        _metric("builtin_query_p95_ms", builtin_p95, "ms", None, subset_scale),
        _metric("query_p95_subset_ms", ours_subset_p95, "ms", None, subset_scale),
        _metric(
            "latency_ratio_vs_builtin",
            builtin_p95 / ours_subset_p95,
            "x",
            20,
            f"{subset_scale}; built-in p95 ÷ ours",
            lower_is_better=False,
        ),
        _metric(
            "builtin_index_s",
            builtin["index_s"],
            "s",
            None,
            f"{SCALE}; bulk_create + add_bulk into the built-in backend; "
            f"ours: {ours['index_s']:.1f} s",
        ),
    ]
