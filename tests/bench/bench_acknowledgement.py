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

The data are written with bulk_create in batches (pages with Wagtail's add_child, unpublished;
issued versions, assignments and acknowledgements directly), not through the services, which
would take far longer than the measurements. The SQLite part runs in the benchmark's own
throw-away database; the PostgreSQL part in a subprocess against a throw-away database created
(and dropped) on ``ZHIDU_BENCH_POSTGRES_URL`` (default postgres://postgres@127.0.0.1:5432).
Every row names its database.
"""

import datetime
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

EMPLOYEES = 10_000
DEPARTMENTS = 50
ALL_STAFF_DOCUMENTS = 50
DEPARTMENT_DOCUMENTS = 250
DEPARTMENTS_PER_DOCUMENT = 10
BATCH = 20_000
PENDING_SAMPLE = 50
SCALE = (
    "10,000 employees, 50 departments, 300 documents, 1,000,000 assignments "
    "(70% signed, 25% open, 5% superseded)"
)
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


# --- data --------------------------------------------------------------------------------------


def _batches(rows, size=BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _organisation():
    from django.contrib.auth import get_user_model

    from records.models import Department, Employee

    company, _ = Department.objects.get_or_create(
        code="BENCH-CO", defaults={"name": "基准集团", "kind": Department.Kind.COMPANY}
    )
    Department.objects.bulk_create(
        Department(
            code=f"BENCH-D{n:02}",
            name=f"基准部门{n:02}",
            kind=Department.Kind.DEPARTMENT,
            parent=company,
            sort_order=n,
        )
        for n in range(DEPARTMENTS)
    )
    departments = list(
        Department.objects.filter(code__startswith="BENCH-D")
        .order_by("code")
        .values_list("pk", flat=True)
    )
    User = get_user_model()
    User.objects.bulk_create(
        (
            User(username=f"bench{n:05}", email=f"bench{n:05}@example.com", password="!")
            for n in range(EMPLOYEES)
        ),
        batch_size=5000,
    )
    users = dict(User.objects.filter(username__startswith="bench").values_list("username", "pk"))

    def employee(n: int, manager_id=None) -> Employee:
        return Employee(
            user_id=users[f"bench{n:05}"],
            employee_number=f"B{n:05}",
            name=f"员工{n:05}",
            department_id=departments[n % DEPARTMENTS],
            clearance=2 if n % 10 == 0 else 1,
            manager_id=manager_id,
            hire_date=datetime.date(2020, 1, 1),
        )

    # The first employee of each department manages the others.
    Employee.objects.bulk_create(employee(n) for n in range(DEPARTMENTS))
    managers = dict(
        Employee.objects.filter(
            employee_number__in=[f"B{n:05}" for n in range(DEPARTMENTS)]
        ).values_list("department_id", "pk")
    )
    Employee.objects.bulk_create(
        (
            employee(n, managers[departments[n % DEPARTMENTS]])
            for n in range(DEPARTMENTS, EMPLOYEES)
        ),
        batch_size=5000,
    )
    staff = list(
        Employee.objects.filter(employee_number__startswith="B")
        .order_by("employee_number")
        .values_list("pk", "department_id")
    )
    return departments, staff


def _frozen_text() -> tuple[dict, str]:
    """A mid-sized regulation (40 articles, 80 clauses, ~6,000 characters) as issued versions
    freeze it: reads that load versions carry this much text per row."""
    from policies_content.importing.document import ParsedBlock, ParsedDocument
    from policies_content.stream import canonical_text, parsed_to_dict

    blocks = [
        ParsedBlock(
            kind="article",
            text=f"员工应当遵守公司考勤、请假与保密规定，违反者按本制度第{n}项处理。",
            clauses=[
                ParsedBlock(kind="clause", level=2, text=f"第{n}项的细则{k}，由人力资源部解释。")
                for k in (1, 2)
            ],
        )
        for n in range(40)
    ]
    document = ParsedDocument(title="基准签收制度", blocks=blocks)
    return parsed_to_dict(document), canonical_text(document)


def _documents(departments):
    """300 regulation pages (added to the tree, not published) and their V1.0, in force."""
    from policies_content.library import category_page
    from policies_content.models import IssuedVersion, RegulationPage

    category = category_page("人事")
    body = [("article", {"text": "员工应当遵守本制度。", "clauses": []})]
    pages = []
    for n in range(ALL_STAFF_DOCUMENTS + DEPARTMENT_DOCUMENTS):
        page = RegulationPage(
            title=f"基准签收制度{n:03}",
            slug=f"bench-ack-{n:03}",
            document_number=f"BA-{n:03}",
            body=body,
            live=True,
            distribution_all_staff=n < ALL_STAFF_DOCUMENTS,
        )
        category.add_child(instance=page)
        pages.append(page)
    content, text = _frozen_text()
    versions = []
    for n, page in enumerate(pages):
        # A few confidential documents, a few restricted to need-to-know departments.
        need_to_know = [departments[n % DEPARTMENTS]] if n % 37 == 5 else []
        versions.append(
            IssuedVersion(
                page_id=page.pk,
                document_number=page.document_number,
                title=page.title,
                major=1,
                minor=0,
                change_kind="major",
                change_summary="首次发布",
                classification=2 if n % 30 == 7 else n % 2,
                need_to_know=need_to_know,
                content=content,
                canonical_text=text,
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                effective_date=datetime.date(2025, 1, 1),
            )
        )
    IssuedVersion.objects.bulk_create(versions)
    versions = list(
        IssuedVersion.objects.filter(document_number__startswith="BA-")
        .order_by("document_number")
        .values_list("pk", "page_id")
    )
    return versions


def _readers(n: int, staff, by_department):
    if n < ALL_STAFF_DOCUMENTS:
        return staff
    first = (n * 7) % DEPARTMENTS
    wanted = [(first + k) % DEPARTMENTS for k in range(DEPARTMENTS_PER_DOCUMENT)]
    return [row for index in wanted for row in by_department[index]]


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Plain DB-API executemany (COPY on PostgreSQL): Django's bulk_create spends ~5× longer
    compiling the SQL of a million rows than the database spends writing them."""
    from django.db import connection

    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            table = quote(model._meta.db_table)
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        cursor.executemany(
            f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})", rows
        )


ASSIGNMENT_FIELDS = [
    "id",
    "version",
    "page",
    "employee",
    "department",
    "assigned_at",
    "due_on",
    "state",
    "opened_at",
    "closed_at",
]
ACKNOWLEDGEMENT_FIELDS = [
    "id",
    "assignment",
    "version",
    "employee",
    "kind",
    "signed_at",
    "printed_name",
    "employee_number",
    "statement",
    "meaning",
    "version_label",
    "text_sha256",
    "proxy_reason",
    "proxy_scan",
]


def _assignments_and_signatures(departments, staff, versions, today) -> tuple[int, int]:
    """1,000,000 assignments and an acknowledgement for each signed one, in batches."""
    from django.db import connection, transaction
    from django.db.models import Max

    from policies_content.models import Acknowledgement, Assignment, AssignmentState

    ops = connection.ops
    rng = random.Random(20250101)
    index_of = {pk: i for i, pk in enumerate(departments)}
    by_department: dict[int, list] = {}
    for pk, department_id in staff:
        by_department.setdefault(index_of[department_id], []).append((pk, department_id))
    number = {pk: f"B{i:05}" for i, (pk, _dept) in enumerate(staff)}
    assigned = ops.adapt_datetimefield_value(datetime.datetime(2025, 1, 1, 9, tzinfo=datetime.UTC))
    signed_at = ops.adapt_datetimefield_value(datetime.datetime(2025, 1, 3, 9, tzinfo=datetime.UTC))
    signed_due = ops.adapt_datefield_value(datetime.date(2025, 1, 8))
    open_due = [
        ops.adapt_datefield_value(today + datetime.timedelta(days=d)) for d in range(-20, 8)
    ]
    statement = "本人已阅读并理解《基准签收制度》(V1.0)，同意遵守。"
    first_id = (Assignment.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def rows():
        next_id = first_id
        for n, (version_id, page_id) in enumerate(versions):
            for employee_id, department_id in _readers(n, staff, by_department):
                roll = rng.random()
                if roll < 0.70:
                    state, due_on, opened, closed = "signed", signed_due, assigned, signed_at
                elif roll < 0.95:
                    state, due_on, opened, closed = "open", rng.choice(open_due), None, None
                else:
                    state, due_on, opened, closed = "superseded", signed_due, None, assigned
                who = (employee_id, department_id)
                yield (next_id, version_id, page_id, *who, assigned, due_on, state, opened, closed)
                next_id += 1

    def signature(row) -> tuple:
        pk, version_id, _page, employee_id = row[:4]
        proxy = pk % 50 == 0
        employee_number = number[employee_id]
        return (
            pk,
            pk,
            version_id,
            employee_id,
            "proxy" if proxy else "self",
            signed_at,
            f"员工{employee_number[1:]}",
            employee_number,
            statement,
            "已阅读、理解并同意遵守",
            "V1.0",
            "0" * 64,
            "无电脑岗位，纸质签收" if proxy else "",
            "acknowledgements/bench/scan.pdf" if proxy else "",
        )

    made = signed = 0
    for batch in _batches(rows()):
        acks = [signature(row) for row in batch if row[7] == AssignmentState.SIGNED]
        with transaction.atomic():
            _insert(Assignment, ASSIGNMENT_FIELDS, batch)
            _insert(Acknowledgement, ACKNOWLEDGEMENT_FIELDS, acks)
        made += len(batch)
        signed += len(acks)
        if made % 200_000 < BATCH:
            _say(f"{made:,} assignments written")
    if connection.vendor == "postgresql":
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in ops.sequence_reset_sql(no_style(), [Assignment, Acknowledgement]):
                cursor.execute(sql)
            cursor.execute("ANALYZE")  # what autovacuum does after a load this size
    return made, signed


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
    start = time.perf_counter()
    departments, staff = _organisation()
    versions = _documents(departments)
    _say(f"{database}: organisation and 300 documents in {time.perf_counter() - start:.1f} s")
    made, signed = _assignments_and_signatures(departments, staff, versions, today)
    load_s = time.perf_counter() - start
    _say(f"{database}: {made:,} assignments, {signed:,} acknowledgements in {load_s:.1f} s")
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
    content, text = _frozen_text()
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
        import psycopg

        admin = psycopg.connect(
            host=url.hostname,
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password,
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        )
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
