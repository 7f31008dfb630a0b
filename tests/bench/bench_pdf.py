"""Generated PDFs (issue: PDF notices): a 2-page GB/T 9704 publication notice, a 50-page
printable regulation, and 500 acknowledgement receipts.

Targets: ``notice_2_pages_s`` (median of 7) ≤ 0.5; ``regulation_50_pages_s`` ≤ 10;
``receipts_500_s`` reported. Each PDF goes through the whole path a user's request takes:
template, WeasyPrint with the safe fetcher and the installed CJK fonts (HarfBuzz subsetting),
verification code and SHA-256 recorded. The page counts are read back from the PDFs and
stated in the rows. The alternative named in DESIGN.md (fontTools subsetting without
libharfbuzz-subset0, 10–19 s per notice) is not re-measured: it is what the set-up prevents.
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.utils import timezone

from policies_content.library import category_page
from policies_content.models import (
    Acknowledgement,
    AcknowledgementKind,
    Assignment,
    AssignmentState,
    IssuedVersion,
    ReceiptBatch,
    RegulationPage,
)
from policies_content.notice_pdf import publication_notice_pdf, regulation_pdf
from policies_content.receipt_batches import receipt_batch_request
from records.models import Department, Employee

from .bench_import import _metric

RECEIPTS = int(__import__("os").environ.get("BENCH_RECEIPTS", 500))


def _say(message: str) -> None:
    import sys

    print(f"  [pdf] {message}", file=sys.stderr, flush=True)


def _version(title: str, number: str, articles: int) -> IssuedVersion:
    page = RegulationPage(
        title=title,
        document_number=number,
        issuance_number="华茂人〔2026〕1号",
        body=[
            (
                "article",
                {
                    "text": f"员工应当遵守公司考勤与保密规定，按时上下班，不得迟到早退，第{n}项由"
                    "综合部负责解释并监督执行，违反者按本制度有关条款处理。",
                    "clauses": [],
                },
            )
            for n in range(1, articles + 1)
        ],
        effective_date=timezone.localdate(),
        change_summary="首次发布",
        distribution_all_staff=True,
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    return IssuedVersion.objects.get(page_id=page.pk)


def _pages(pdf: bytes) -> int:
    import pymupdf

    return len(pymupdf.open(stream=pdf, filetype="pdf"))


def _receipt_batch(company, hr) -> tuple[float, int]:
    """500 employees sign one version; the batch of their receipts is timed end to end."""
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"r{n:04d}") for n in range(RECEIPTS)
    )
    people = Employee.objects.bulk_create(
        Employee(employee_number=f"R{n:04d}", name=f"员工{n:04d}", department=company, user=u)
        for n, u in enumerate(users)
    )
    version = _version("员工保密守则", "HM-RS-2026-903", 3)
    assignments = Assignment.objects.filter(version=version, employee__in=people)
    Acknowledgement.objects.bulk_create(
        Acknowledgement(
            assignment=assignment,
            version=version,
            employee_id=assignment.employee_id,
            kind=AcknowledgementKind.SELF,
            printed_name=f"员工{assignment.employee.employee_number[1:]}",
            employee_number=assignment.employee.employee_number,
            statement="本人已阅读并理解《员工保密守则》（V1.0），同意遵守。",
            meaning="已阅读、理解并同意遵守",
            version_label="V1.0",
            text_sha256=version.sha256,
        )
        for assignment in assignments.select_related("employee")
    )
    assignments.update(state=AssignmentState.SIGNED)
    started = time.perf_counter()  # the task runs on commit (inline here, as embedded)
    batch = receipt_batch_request(version=version, user=hr)
    elapsed = time.perf_counter() - started
    batch.refresh_from_db()
    assert (batch.state, batch.done) == (ReceiptBatch.State.DONE, RECEIPTS), batch.error
    return elapsed, batch.archive.size


def run() -> list[dict]:
    company = Department.objects.create(name="华茂电子商务有限公司", code="HM", kind="company")
    user = get_user_model().objects.create_user(username="bench-hr", password="x")
    Employee.objects.create(
        employee_number="B0001", name="赵雅琴", department=company, user=user, clearance=2
    )
    short = _version("员工考勤管理制度", "HM-RS-2026-901", 3)
    publication_notice_pdf(version=short, user=user)  # fonts loaded once, as in a server
    times, pages = [], 0
    for _ in range(7):
        started = time.perf_counter()
        pdf = publication_notice_pdf(version=short, user=user).pdf
        times.append(time.perf_counter() - started)
        pages = _pages(pdf)
    _say(f"notice: {pages} pages, median {statistics.median(times):.3f} s")

    long = _version("员工手册", "HM-RS-2026-902", 370)
    started = time.perf_counter()
    long_pdf = regulation_pdf(version=long, user=user).pdf
    long_s = time.perf_counter() - started
    long_pages = _pages(long_pdf)
    _say(f"regulation: {long_pages} pages in {long_s:.2f} s")

    receipts_s, zip_bytes = _receipt_batch(company, user)
    _say(f"{RECEIPTS} receipts in {receipts_s:.1f} s ({zip_bytes / 1e6:.1f} MB ZIP)")

    return [
        _metric(
            "notice_2_pages_s",
            statistics.median(times),
            "s",
            0.5,
            f"印发通知 of a 3-article regulation ({pages} pages: the notice and its 附件), "
            "median of 7 after one warm-up; template, WeasyPrint, fonts, code and digest",
        ),
        _metric(
            "regulation_50_pages_s",
            long_s,
            "s",
            10,
            f"printable regulation, 370 articles ({long_pages} pages), one run",
        ),
        _metric(
            "receipts_500_s",
            receipts_s,
            "s",
            None,
            f"a batch of {RECEIPTS} 签收回执 (the background task HR start from the tracking "
            f"screen: each PDF with its own code and digest, then the ZIP with 清单.csv); "
            f"{receipts_s / RECEIPTS * 1000:.0f} ms each, ZIP {zip_bytes / 1e6:.1f} MB",
        ),
    ]
