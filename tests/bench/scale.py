"""The company at the acknowledgement benchmark's scale, shared by the benchmarks that need it.

10,000 employees in 50 departments (the first employee of each department manages the others),
300 regulations (50 for all staff, 250 for 10 departments each, unpublished pages with one
issued version V1.0 each), 1,000,000 assignments, 70 % of them signed (700,000
acknowledgements), 25 % open (due dates from 20 days overdue to a week ahead), 5 % closed as
superseded. Same seed, same rows in every benchmark that builds it.

The data are written with bulk_create in batches (pages with Wagtail's add_child, unpublished;
issued versions, assignments and acknowledgements directly), not through the services, which
would take far longer than the measurements.
"""

import datetime
import hashlib
import random
import sys
import time
from dataclasses import dataclass

EMPLOYEES = 10_000
DEPARTMENTS = 50
ALL_STAFF_DOCUMENTS = 50
DEPARTMENT_DOCUMENTS = 250
DEPARTMENTS_PER_DOCUMENT = 10
BATCH = 20_000
SCALE = (
    "10,000 employees, 50 departments, 300 documents, 1,000,000 assignments "
    "(70% signed, 25% open, 5% superseded)"
)


def _say(message: str) -> None:
    print(f"  [scale] {message}", file=sys.stderr, flush=True)


def _batches(rows, size=BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def organisation_build():
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


def frozen_text() -> tuple[dict, str]:
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


def documents_build(departments):
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
    content, text = frozen_text()
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


def assignments_build(departments, staff, versions, today) -> tuple[int, int]:
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


@dataclass
class Company:
    departments: list[int]  # department pks, by code
    staff: list[tuple[int, int]]  # (employee pk, department pk), by employee number
    versions: list[tuple[int, int]]  # (issued version pk, page pk), by document number
    assignments: int
    signatures: int
    load_s: float


def company_build(*, today: datetime.date) -> Company:
    """Build the whole company in the current database (~1 minute on SQLite)."""
    from django.db import connection

    database = connection.vendor
    start = time.perf_counter()
    departments, staff = organisation_build()
    versions = documents_build(departments)
    _say(f"{database}: organisation and 300 documents in {time.perf_counter() - start:.1f} s")
    made, signed = assignments_build(departments, staff, versions, today)
    load_s = time.perf_counter() - start
    _say(f"{database}: {made:,} assignments, {signed:,} acknowledgements in {load_s:.1f} s")
    return Company(departments, staff, versions, made, signed, load_s)
