"""Acknowledgement tracking at company scale, on SQLite and on PostgreSQL.

Scale (issue: acknowledgement tracking): 10,000 employees in 50 departments, 300 documents
(50 for all staff, 250 for 10 departments each), 1,000,000 assignments, 70 % of them signed
(700,000 acknowledgements), 25 % open (some overdue), 5 % closed as superseded.

Targets: ``my_pending_ms`` ≤ 20 ms (staff "待我签收": pending_assignments(user=…) evaluated,
median over 50 employees); ``document_dashboard_ms`` ≤ 100 ms (one all-staff document by
department: the HR selector ``version_by_department`` where present, else the equivalent
aggregate); ``assign_10000_s`` ≤ 3 s (version_distribute of a new all-staff version).
``tracking_overview_ms`` (every document in force with its counts) has no target: it is
measured because it aggregates over all 1,000,000 rows.

The data are built by tests/bench/scale.py (shared with the frontend benchmark) with bulk
inserts, not the services, which would take far longer than the measurements. The SQLite part
runs in the benchmark's own throw-away database; the PostgreSQL part in a subprocess against a
throw-away database created (and dropped) on ``ZHIDU_BENCH_POSTGRES_URL`` (default
postgres://postgres@127.0.0.1:5432). Every row names its database.
"""

import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from .postgres import admin_connection
from .scale import ALL_STAFF_DOCUMENTS, EMPLOYEES, SCALE, company_build, frozen_text

PENDING_SAMPLE = 50
TARGETS = {"my_pending_ms": 20, "document_dashboard_ms": 100, "assign_10000_s": 3}
ROOT = Path(__file__).resolve().parents[2]
POSTGRES_URL = os.environ.get("ZHIDU_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def _metric(metric, value, unit, target, scale, database, **extra) -> dict:
    from .bench_import import _metric as shaped

    row = shaped(metric, value, unit, target, f"{database}: {scale}")
    row["database"] = database
    row.update(extra)
    return row


def _say(message: str) -> None:
    print(f"  [acknowledgement] {message}", file=sys.stderr, flush=True)


# --- measurements ------------------------------------------------------------------------------


def _timed_ms(function) -> float:
    start = time.perf_counter()
    function()
    return (time.perf_counter() - start) * 1000


def _dashboard():
    """The per-document, by-department read: the HR selector if present, else its equivalent."""
    from policies_content import acknowledgement_selectors as selectors

    if hasattr(selectors, "version_by_department"):
        return (
            "policies_content.acknowledgement_selectors.version_by_department",
            lambda version: list(selectors.version_by_department(version=version)),
        )

    from django.db.models import Count, Q
    from django.utils import timezone

    from policies_content.models import Assignment, AssignmentState

    def by_department(version):
        pk, today = "pk", timezone.localdate()
        return list(
            Assignment.objects.filter(version=version)
            .values("department_id", "department__name")
            .annotate(
                assigned=Count(pk),
                opened=Count(pk, filter=Q(opened_at__isnull=False)),
                signed=Count(pk, filter=Q(state=AssignmentState.SIGNED)),
                overdue=Count(pk, filter=Q(state=AssignmentState.OPEN, due_on__lt=today)),
            )
            .order_by("department__name")
        )

    return "tests.bench.bench_acknowledgement._dashboard (Assignment aggregate)", by_department


def measure() -> list[dict]:
    """Build the data in the current database and measure; rows name the database."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from policies_content import acknowledgement_selectors as selectors
    from policies_content.acknowledgement_selectors import pending_assignments
    from policies_content.distribution import version_distribute
    from policies_content.models import Assignment, IssuedVersion, RegulationPage

    database = connection.vendor
    today = timezone.localdate()
    company = company_build(today=today)
    staff, versions, load_s = company.staff, company.versions, company.load_s
    results = []

    # 待我签收: one employee's pending list, as the home page evaluates it.
    User = get_user_model()
    sample = [staff[i][0] for i in range(7, EMPLOYEES, EMPLOYEES // PENDING_SAMPLE)]
    user_ids = dict(
        get_user_model().objects.filter(employee__pk__in=sample).values_list("employee__pk", "pk")
    )
    times, rows_shown = [], []
    for employee_id in sample:
        user = User.objects.get(pk=user_ids[employee_id])  # as the auth middleware loads it

        def pending(user=user):
            rows = list(pending_assignments(user=user))
            rows_shown.append(len(rows))
            return [(row.version.title, row.due_on) for row in rows]

        times.append(_timed_ms(pending))
    times.sort()
    results.append(
        _metric(
            "my_pending_ms",
            statistics.median(times),
            "ms",
            TARGETS["my_pending_ms"],
            f"{SCALE}; median of {len(times)} employees ({min(rows_shown)}–{max(rows_shown)} "
            f"rows shown; p95 {times[int(len(times) * 0.95) - 1]:.1f} ms)",
            database,
            measured="policies_content.acknowledgement_selectors.pending_assignments",
        )
    )

    # One all-staff document by department (10,000 assignments, 50 departments).
    name, by_department = _dashboard()
    all_staff = list(
        IssuedVersion.objects.filter(pk__in=[pk for pk, _page in versions[:ALL_STAFF_DOCUMENTS]])
    )
    times = []
    for version in all_staff[:10]:
        by_department(version)  # each document once to warm the cache, then timed
        times.append(_timed_ms(lambda version=version: by_department(version)))
    results.append(
        _metric(
            "document_dashboard_ms",
            statistics.median(times),
            "ms",
            TARGETS["document_dashboard_ms"],
            f"{SCALE}; one all-staff document (10,000 assignments) by 50 departments, "
            f"median of {len(times)} documents",
            database,
            measured=name,
        )
    )

    if hasattr(selectors, "tracked_versions"):
        admin = User.objects.create_superuser(f"bench-ack-admin-{database}", password="x")
        overview_ms = statistics.median(
            _timed_ms(lambda: list(selectors.tracked_versions(user=admin))) for _ in range(3)
        )
        results.append(
            _metric(
                "tracking_overview_ms",
                overview_ms,
                "ms",
                None,
                f"{SCALE}; every document in force with its counts (superuser)",
                database,
                measured="policies_content.acknowledgement_selectors.tracked_versions",
            )
        )

    # A new all-staff version: 10,000 assignments.
    from policies_content.library import category_page

    page = RegulationPage(
        title="基准新制度",
        slug="bench-ack-new",
        document_number="BA-NEW",
        body=[("article", {"text": "新制度。", "clauses": []})],
        live=True,
        distribution_all_staff=True,
    )
    category_page("人事").add_child(instance=page)
    content, text = frozen_text()
    version = IssuedVersion.objects.create(
        page_id=page.pk,
        document_number=page.document_number,
        title=page.title,
        major=1,
        minor=0,
        change_kind="major",
        change_summary="首次发布",
        classification=1,
        content=content,
        canonical_text=text,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        effective_date=today,
    )
    version = IssuedVersion.objects.get(pk=version.pk)
    start = time.perf_counter()
    assigned = version_distribute(version=version, today=today)
    assign_s = time.perf_counter() - start
    assert Assignment.objects.filter(version=version).count() == assigned == EMPLOYEES
    results.append(
        _metric(
            "assign_10000_s",
            assign_s,
            "s",
            TARGETS["assign_10000_s"],
            f"{SCALE}; version_distribute of a new all-staff version: {assigned:,} assignments",
            database,
            measured="policies_content.distribution.version_distribute",
        )
    )
    results.append(
        _metric(
            "load_1m_assignments_s",
            load_s,
            "s",
            None,
            f"{SCALE}; writing the synthetic data (executemany; COPY on PostgreSQL): "
            "set-up cost, no target",
            database,
        )
    )
    return results


# --- PostgreSQL in a subprocess ----------------------------------------------------------------


def _postgres() -> list[dict]:
    """Run ``measure`` in a subprocess against a throw-away PostgreSQL database."""
    url = urlparse(POSTGRES_URL)
    name = f"zhidu_bench_ack_{os.getpid()}"
    try:
        admin = admin_connection(POSTGRES_URL)
    except Exception as error:  # no server: say so in the rows, do not hide it
        _say(f"PostgreSQL not reachable at {POSTGRES_URL}: {error}")
        return [
            {
                "metric": metric,
                "value": None,
                "unit": "ms" if metric.endswith("_ms") else "s",
                "target": target,
                "ok": False,
                "scale": f"postgresql: not measured, no server at {POSTGRES_URL}",
                "database": "postgresql",
            }
            for metric, target in TARGETS.items()
        ]
    with admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            out = Path(tempfile.mkdtemp(prefix="zhidu-bench-pg-")) / "results.json"
            env = dict(os.environ)
            env["DATABASE_URL"] = urlunparse(url._replace(path=f"/{name}"))
            subprocess.run(
                [sys.executable, "-m", "tests.bench.bench_acknowledgement", str(out)],
                cwd=ROOT,
                env=env,
                check=True,
            )
            return json.loads(out.read_text())
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run() -> list[dict]:
    results = measure()
    results += _postgres()
    order = list(TARGETS) + ["tracking_overview_ms", "load_1m_assignments_s"]
    return sorted(results, key=lambda r: (order.index(r["metric"]), r["database"]))


if __name__ == "__main__":
    # The PostgreSQL part: DATABASE_URL is set by ``_postgres``; results go to argv[1].
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhidu.settings.test")
    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    _say(f"postgresql: migrated in {time.perf_counter() - started:.1f} s")
    Path(sys.argv[1]).write_text(json.dumps(measure(), ensure_ascii=False))
