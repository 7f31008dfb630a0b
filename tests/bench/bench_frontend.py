"""Staff pages at company scale: 我的文件 and the reading view of a 100-article regulation.

Scale: the acknowledgement benchmark's company (tests/bench/scale.py: 10,000 employees,
300 regulations, 1,000,000 assignments, 700,000 acknowledgements), plus, written through the
real publishing path: the reader's job description, and a regulation of 100 articles (10
chapters, 2–3 clauses per article) issued as V1.0 a year ago, revised as V1.1 and V2.0 (in
force today, to sign by the reader's department).

The reader is an ordinary employee (role 员工, clearance 内部) with a typical load: some 20
pending acknowledgements with due dates (some overdue), the 20 newest regulations they may
read, their job description, the search box.

Targets (server time, median of 30 requests through Django's test client after 3 warm-up
requests, logged in, template rendering included): ``staff_home_ms`` ≤ 150 ms (GET /my/);
``reading_view_100_articles_ms`` ≤ 150 ms (the regulation's public page as the reader sees
it: control fields, numbered body, version history; whatever it shows for a reader who must
sign it is measured with it). Each row also gives the p95 (``p95_ms``), the page's query
count (``queries``) and the full garbage collections that fell inside the timed requests
(``full_gc_ms``). Before the timed requests the heap is frozen as the server's entry points
do (``gc.freeze()`` in site/zhidu/wsgi.py); unfrozen, one full collection over the Django
and Wagtail heap cost ~100–250 ms here and lifted the p95 of 30 requests far above the
median. ``sign_view_100_articles_ms`` (the same version opened from 待我签收: contents list,
what changed, sign form) is reported without a target. SQLite only.
"""

import datetime
import gc
import statistics
import sys
import time
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from policies_content.library import JOB_DESCRIPTIONS, category_page
from policies_content.models import (
    Assignment,
    AssignmentState,
    JobDescriptionPage,
    RegulationPage,
)
from records.models import Employee, Position
from records.roles import STAFF

from .bench_import import _metric
from .scale import SCALE, company_build

TARGETS = {"staff_home_ms": 150, "reading_view_100_articles_ms": 150}
REQUESTS = 30
WARM_UP = 3
CHAPTERS = 10
ARTICLES_PER_CHAPTER = 10


def _say(message: str) -> None:
    print(f"  [frontend] {message}", file=sys.stderr, flush=True)


def _reader(company) -> Employee:
    """An ordinary employee (not a manager) with a position, the 员工 role and open work."""
    employee_pk, department_pk = company.staff[107]
    position = Position.objects.create(name="运营专员", department_id=department_pk)
    # update(), not save(): the data are already consistent; no re-distribution wanted here.
    Employee.objects.filter(pk=employee_pk).update(position=position)
    employee = Employee.objects.select_related("user").get(pk=employee_pk)
    employee.user.groups.add(Group.objects.get(name=STAFF))
    return employee


def _dated_library(today: datetime.date) -> None:
    """The generated regulations show a document number and an effective date on the home
    page, as issued documents do (the builder leaves the page fields empty)."""
    for n, page in enumerate(RegulationPage.objects.filter(document_number__startswith="BA-")):
        RegulationPage.objects.filter(pk=page.pk).update(
            effective_date=today - datetime.timedelta(days=3 * n),
            status="in_force",
            version="V1.0",
        )


def _job_description(employee: Employee) -> JobDescriptionPage:
    page = JobDescriptionPage(
        title="运营专员岗位说明书",
        department_id=employee.department_id,
        position_id=employee.position_id,
        position_title="运营专员",
        reports_to="运营主管",
        purpose="负责店铺日常运营，提升销售业绩。",
        duties=[("duty", f"负责店铺日常运营工作第{n}项。") for n in range(1, 9)],
        education="大专及以上",
        classification=1,
        effective_date=timezone.localdate(),
        change_summary="首次发布",
    )
    category_page(JOB_DESCRIPTIONS).add_child(instance=page)
    page.save_revision().publish()
    return page


def _body(edition: int) -> list:
    """10 chapters × 10 articles; every article has 2 clauses, every fifth a third. Later
    editions reword some articles, so the versions differ."""
    body = []
    for chapter in range(1, CHAPTERS + 1):
        body.append(("chapter", {"title": f"第{chapter}部分 管理要求"}))
        for n in range(1, ARTICLES_PER_CHAPTER + 1):
            number = (chapter - 1) * ARTICLES_PER_CHAPTER + n
            revised = edition > 1 and number % (7 - edition) == 0
            clauses = [
                {"text": f"员工应当按规定办理第{number}项手续，不得委托他人代办；", "level": "2"},
                {"text": "部门负责人应当在三个工作日内审核并签署意见。", "level": "2"},
            ]
            if n % 5 == 0:
                clauses.append({"text": "违反本条规定的，按员工奖惩制度处理。", "level": "2"})
            text = (
                f"员工应当遵守公司考勤、请假、保密与信息安全规定，按时上下班，第{number}项由"
                "综合部负责解释并监督执行。"
            )
            if revised:
                text += f"（第{edition}版修订：增加线上审批要求。）"
            body.append(("article", {"text": text, "clauses": clauses}))
    return body


def _regulation(employee: Employee, today: datetime.date) -> RegulationPage:
    """100 articles: V1.0 a year ago, V1.1, and V2.0 in force today, to sign by the reader's
    department (so the reader has it open in 待我签收)."""
    page = RegulationPage(
        title="员工考勤与请假管理制度",
        slug="attendance-and-leave",
        document_number="HM-RS-2026-100",
        issuance_number="华茂人〔2026〕8号",
        body=_body(1),
        classification=1,
        owner_department_id=employee.department_id,
        interpreting_department_id=employee.department_id,
        effective_date=today - datetime.timedelta(days=365),
        change_summary="首次发布",
    )
    category_page("人事").add_child(instance=page)
    page.distribution.set([employee.department_id])
    page.save_revision().publish()
    for edition, kind, days_ago, summary in (
        (2, "minor", 120, "文字修订"),
        (3, "major", 0, "增加线上审批要求"),
    ):
        page = RegulationPage.objects.get(pk=page.pk)
        page.body = _body(edition)
        page.change_kind = kind
        page.change_summary = summary
        page.effective_date = today - datetime.timedelta(days=days_ago)
        page.save_revision().publish()
    return RegulationPage.objects.get(pk=page.pk)


@dataclass
class Served:
    times: list[float]  # ms, sorted
    queries: int
    html: str
    full_gc_ms: list[float]  # CPython's full (generation 2) collections during the timed GETs


def _serve(client: Client, url: str) -> Served:
    """REQUESTS timed GETs after WARM_UP, the query count and HTML of one, and the full
    garbage collections that fell inside the timed requests: one such pause over the whole
    Django and Wagtail heap costs far more than a request, so it explains a p95 far above
    the median."""
    for _ in range(WARM_UP):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(url).content.decode()
    queries = len(captured)  # now: the log it reads is cleared by the next request
    pauses, started = [], []

    def full_gc(phase, info):
        if info["generation"] == 2:
            if phase == "start":
                started.append(time.perf_counter())
            elif started:
                pauses.append((time.perf_counter() - started.pop()) * 1000)

    times = []
    gc.callbacks.append(full_gc)
    try:
        for _ in range(REQUESTS):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
    finally:
        gc.callbacks.remove(full_gc)
    return Served(sorted(times), queries, html, pauses)


def _row(metric: str, served: Served, target, scale: str) -> dict:
    p95 = statistics.quantiles(served.times, n=20)[-1]
    pauses = served.full_gc_ms
    gc_note = f"; {len(pauses)} full GC in them, longest {max(pauses):.0f} ms" if pauses else ""
    row = _metric(
        metric,
        statistics.median(served.times),
        "ms",
        target,
        f"{SCALE}; {scale}; median of {len(served.times)} requests (p95 {p95:.1f} ms"
        f"{gc_note}), {served.queries} queries",
    )
    row["p95_ms"] = round(p95, 3)
    row["queries"] = served.queries
    row["full_gc_ms"] = [round(pause, 1) for pause in pauses]
    return row


def run() -> list[dict]:
    today = timezone.localdate()
    company = company_build(today=today)
    start = time.perf_counter()
    employee = _reader(company)
    _dated_library(today)
    _job_description(employee)
    regulation = _regulation(employee, today)
    assignment = Assignment.objects.get(
        employee=employee, page_id=regulation.pk, state=AssignmentState.OPEN
    )
    pending = Assignment.objects.filter(employee=employee, state=AssignmentState.OPEN).count()
    _say(f"reader, job description, 100-article regulation: {time.perf_counter() - start:.1f} s")

    client = Client()
    client.force_login(employee.user)
    # as the WSGI/ASGI entry points do after start-up (site/zhidu/wsgi.py): the long-lived heap
    # is frozen, so a full collection no longer walks it
    gc.collect()
    gc.freeze()
    results = []
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        served = _serve(client, "/my/")
        assert "运营专员岗位说明书" in served.html and regulation.title in served.html
        results.append(
            _row(
                "staff_home_ms",
                served,
                TARGETS["staff_home_ms"],
                f"GET /my/ as an employee with {pending} pending acknowledgements, 20 "
                "regulations listed, a job description",
            )
        )
        served = _serve(client, regulation.url)
        assert "第一百条" in served.html and "V2.0" in served.html
        results.append(
            _row(
                "reading_view_100_articles_ms",
                served,
                TARGETS["reading_view_100_articles_ms"],
                f"GET {regulation.url}: 100 articles, 10 chapters, 3 versions, V2.0 to sign",
            )
        )
        served = _serve(client, reverse("acknowledgement_sign", args=[assignment.pk]))
        results.append(
            _row(
                "sign_view_100_articles_ms",
                served,
                None,
                "the same V2.0 opened from 待我签收 (contents list, what changed, sign form)",
            )
        )
    results.append(
        _metric(
            "load_company_s",
            company.load_s,
            "s",
            None,
            f"{SCALE}; writing the synthetic data: set-up cost, no target",
        )
    )
    return results
