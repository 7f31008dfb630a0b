"""Document control speed: issuing a 200-article regulation, comparing two 200-article
versions, and the library as in force on a date with 2,000 documents.

Targets (issue: document control): publish_200_articles_s ≤ 1 s; compare_200_articles_ms
≤ 200 ms; in_force_on_date_2000_docs_ms ≤ 300 ms. Alternatives measured alongside: difflib over
the two texts' lines (what a plain text diff costs), and asking each document in turn which
version was in force (what the one-query selector replaces).
"""

import datetime
import difflib
import statistics
import time

from django.contrib.auth import get_user_model

from policies_content.comparison import compare_documents
from policies_content.importing.document import ParsedBlock, ParsedDocument
from policies_content.issuing import version_issue
from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage
from policies_content.selectors import library_in_force
from policies_content.stream import canonical_text, parsed_to_stream

from .bench_import import _metric


def _articles(count: int, *, edit_every: int = 0) -> list[ParsedBlock]:
    blocks = []
    for n in range(count):
        text = (
            f"员工应当遵守公司考勤与保密规定，违反者按本制度第{n}项处理，情节严重的解除劳动合同。"
        )
        if edit_every and n % edit_every == 0:
            text = text.replace("情节严重的", "情节特别严重的")
        blocks.append(
            ParsedBlock(
                kind="article",
                text=text,
                uid=f"a{n}",
                clauses=[
                    ParsedBlock(kind="clause", level=2, text=f"第{n}项的细则一。", uid=f"c{n}-1"),
                    ParsedBlock(kind="clause", level=2, text=f"第{n}项的细则二。", uid=f"c{n}-2"),
                ],
            )
        )
    return blocks


def _median_ms(function, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run() -> list[dict]:
    results = []
    category = category_page("人事")
    page = RegulationPage(
        title="基准考勤制度",
        slug="bench-two-hundred-articles",
        body=parsed_to_stream(_articles(200)),
    )
    category.add_child(instance=page)
    revision = page.save_revision()
    start = time.perf_counter()
    revision.publish()
    results.append(
        _metric(
            "publish_200_articles_s",
            time.perf_counter() - start,
            "s",
            1,
            "200 articles, 400 clauses: publish and issue V1.0 (hash, freeze)",
        )
    )

    old = ParsedDocument(title="基准", blocks=_articles(200))
    new_blocks = _articles(200, edit_every=10)
    new_blocks.insert(50, ParsedBlock(kind="article", text="新增一条：加班须事先审批。", uid="new"))
    del new_blocks[120]
    new = ParsedDocument(title="基准", blocks=new_blocks)
    compare_ms = _median_ms(lambda: compare_documents(old, new))
    results.append(
        _metric(
            "compare_200_articles_ms",
            compare_ms,
            "ms",
            200,
            "200 vs 200 articles: 20 edited, 1 inserted, 1 removed",
        )
    )
    old_lines, new_lines = canonical_text(old).splitlines(), canonical_text(new).splitlines()
    difflib_ms = _median_ms(lambda: list(difflib.unified_diff(old_lines, new_lines)))
    results.append(
        _metric(
            "compare_vs_line_diff_ratio",
            compare_ms / difflib_ms,
            "x",
            None,
            "clause comparison ÷ difflib line diff of the same texts",
        )
    )

    _two_thousand_documents(category)
    admin = get_user_model().objects.create_superuser("bench-admin", password="x")
    day = datetime.date(2025, 6, 1)
    count = sum(len(group["documents"]) for group in library_in_force(user=admin, day=day))
    in_force_ms = _median_ms(lambda: library_in_force(user=admin, day=day))
    results.append(
        _metric(
            "in_force_on_date_2000_docs_ms",
            in_force_ms,
            "ms",
            300,
            f"2,000 documents with 2 versions each; {count} in force that day",
        )
    )
    page_ids = list(IssuedVersion.objects.values_list("page_id", flat=True).distinct()[:200])

    def one_by_one():
        for page_id in page_ids:
            IssuedVersion.objects.filter(page_id=page_id).in_force_on(day).first()

    per_doc_ms = _median_ms(one_by_one, runs=3) * (2000 / max(len(page_ids), 1))
    results.append(
        _metric(
            "in_force_vs_per_document_ratio",
            in_force_ms / per_doc_ms,
            "x",
            None,
            "one query ÷ asking each of 2,000 documents (extrapolated from 200)",
        )
    )
    return results


def _two_thousand_documents(category) -> None:
    """2,000 small issued documents: V1.0 from 2024-01-01, V2.0 from 2025-01-01."""
    body = parsed_to_stream(_articles(3))
    for n in range(2000):
        page = RegulationPage(
            title=f"基准制度{n}",
            slug=f"bench-{n}",
            document_number=f"B-{n:05}",
            body=body,
            live=True,
        )
        category.add_child(instance=page)
        for major, year in ((1, 2024), (2, 2025)):
            page.effective_date = datetime.date(year, 1, 1)
            page.change_kind, page.change_summary = "major", f"第{major}版"
            version_issue(page=page)
