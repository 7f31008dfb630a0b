"""The load test's company: the demo company scaled up, in the current (throw-away) database.

- the demo (site/zhidu/demo: org chart, 40 staff, role logins, its regulations, job
  descriptions, contracts and archives, all through the real paths);
- ``EMPLOYEES`` more staff in ``DEPARTMENTS`` departments under the demo company, each with a
  login in the 员工 role and a position with its published job description; every login has
  the password ``PASSWORD`` as an Argon2 hash with the production parameters (computed once
  and shared: hashing 2,000 passwords one by one would take ~8 minutes of set-up);
- ``REGULATIONS`` regulations for all staff of 50 to 100 articles (10 chapters), published
  through the real path, so each is assigned to every employee (pending acknowledgements); the
  first two have a V1.0 and a revised V2.0 in force, so their reading pages list versions;
- the embedded search index built for this database (``search_rebuild``).

Returns what the load users need: logins with their pending assignments, the reading pages,
the search words.
"""

import datetime
import sys
import time

EMPLOYEES = 2_000
DEPARTMENTS = 20
REGULATIONS = 8
PASSWORD = "zhidu-load-2026"
# Words found in the generated regulations and in the demo's (2-character words included).
SEARCH_WORDS = ["考勤", "请假", "保密", "报销", "线上审批", "安全", "合同", "培训", "加班", "运营"]


def _say(message: str) -> None:
    print(f"  [load] {message}", file=sys.stderr, flush=True)


def _staff() -> list[int]:
    """EMPLOYEES employees with logins (员工), positions and job descriptions, in bulk."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from records.models import Department, Employee, Position
    from records.roles import STAFF
    from zhidu.demo import data

    company = Department.objects.get(code=data.COMPANY["code"])
    departments = Department.objects.bulk_create(
        Department(
            code=f"LOAD-{n:02}",
            name=f"业务{n + 1:02}部",
            kind=Department.Kind.DEPARTMENT,
            parent=company,
            sort_order=100 + n,
        )
        for n in range(DEPARTMENTS)
    )
    positions = Position.objects.bulk_create(
        Position(name=f"业务专员{n + 1:02}", department=department)
        for n, department in enumerate(departments)
    )
    User = get_user_model()
    hashed = make_password(PASSWORD)  # Argon2, the production hasher
    User.objects.bulk_create(
        (
            User(username=f"load{n:04}", email=f"load{n:04}@example.com", password=hashed)
            for n in range(EMPLOYEES)
        ),
        batch_size=1000,
    )
    users = dict(User.objects.filter(username__startswith="load").values_list("username", "pk"))
    staff_group = Group.objects.get(name=STAFF)
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=pk, group_id=staff_group.pk) for pk in users.values()
    )
    Employee.objects.bulk_create(
        (
            Employee(
                user_id=users[f"load{n:04}"],
                employee_number=f"L{n:04}",
                name=f"压测员工{n:04}",
                department=departments[n % DEPARTMENTS],
                position=positions[n % DEPARTMENTS],
                clearance=1,
                hire_date=datetime.date(2022, 3, 1),
            )
            for n in range(EMPLOYEES)
        ),
        batch_size=1000,
    )
    for position in positions:
        _job_description(position)
    return [department.pk for department in departments]


def _job_description(position) -> None:
    from django.utils import timezone

    from policies_content.library import JOB_DESCRIPTIONS, category_page
    from policies_content.models import JobDescriptionPage

    page = JobDescriptionPage(
        title=f"{position.name}岗位说明书",
        slug=f"load-jd-{position.pk}",
        department_id=position.department_id,
        position=position,
        position_title=position.name,
        reports_to="部门经理",
        purpose="负责本部门业务的日常运营，提升服务质量。",
        duties=[("duty", f"负责部门日常运营工作第{n}项，按时报送考勤与报销单据。") for n in (1, 2)]
        + [("duty", f"完成部门交办的第{n}项工作。") for n in range(3, 9)],
        education="大专及以上",
        classification=1,
        effective_date=timezone.localdate() - datetime.timedelta(days=200),
        change_summary="首次发布",
    )
    category_page(JOB_DESCRIPTIONS).add_child(instance=page)
    page.distribution_positions.set([position])
    page.save_revision().publish()


TOPICS = [
    ("员工考勤与请假管理制度", "考勤", "请假"),
    ("信息安全与保密管理制度", "保密", "安全"),
    ("费用报销管理办法", "报销", "票据"),
    ("员工培训管理制度", "培训", "考核"),
    ("加班与调休管理规定", "加班", "调休"),
    ("合同管理制度", "合同", "审批"),
    ("网店运营管理制度", "运营", "促销"),
    ("办公用品与固定资产管理办法", "资产", "领用"),
]


def _body(number: int, articles: int, edition: int) -> list:
    """10 chapters, ``articles`` articles with 2–3 clauses each; a later edition rewords
    every fifth article."""
    title, word, other = TOPICS[number % len(TOPICS)]
    per_chapter = articles // 10
    body = []
    for chapter in range(1, 11):
        body.append(("chapter", {"title": f"第{chapter}部分 {word}管理要求"}))
        for n in range(1, per_chapter + 1):
            article = (chapter - 1) * per_chapter + n
            text = (
                f"员工应当遵守公司{word}与{other}规定，第{article}项事务由综合部负责解释并监督"
                f"执行，未按规定办理的，按《{title}》处理。"
            )
            if edition > 1 and article % 5 == 0:
                text += "（修订：增加线上审批要求。）"
            clauses = [
                {"text": f"办理第{article}项{word}手续，应当提前一个工作日提交申请；"},
                {"text": f"部门负责人应当在三个工作日内审核{other}事项并签署意见。"},
            ]
            if n % 3 == 0:
                clauses.append({"text": "违反本条规定的，按员工奖惩制度处理。"})
            for clause in clauses:
                clause["level"] = "2"
            body.append(("article", {"text": text, "clauses": clauses}))
    return body


def _regulations(departments: list[int]) -> list:
    """REGULATIONS all-staff regulations of 50–100 articles, issued through publishing (each
    assigned to every employee); the first two revised as V2.0."""
    from django.utils import timezone

    from policies_content.library import category_page
    from policies_content.models import RegulationPage

    today = timezone.localdate()
    pages = []
    for number in range(REGULATIONS):
        articles = 50 + (number * 10) % 60  # 50, 60, … 100, 50 …
        title = TOPICS[number % len(TOPICS)][0]
        page = RegulationPage(
            title=title,
            slug=f"load-{number:02}",
            document_number=f"LOAD-RS-2026-{number + 1:03}",
            body=_body(number, articles, 1),
            classification=1,
            owner_department_id=departments[number % len(departments)],
            interpreting_department_id=departments[number % len(departments)],
            effective_date=today - datetime.timedelta(days=30 if number < 2 else 5),
            change_summary="首次发布",
            distribution_all_staff=True,
            acknowledgement_due_days=14,
        )
        category_page("人事").add_child(instance=page)
        page.save_revision().publish()
        if number < 2:
            page = RegulationPage.objects.get(pk=page.pk)
            page.body = _body(number, articles, 2)
            page.change_kind, page.change_summary = "major", "增加线上审批要求"
            page.effective_date = today - datetime.timedelta(days=3)
            page.save_revision().publish()
        pages.append(RegulationPage.objects.get(pk=page.pk))
    return pages


def company_build() -> dict:
    """Build everything in the current database; returns the plan for the load users."""
    from django.core.management import call_command
    from django.db import connection

    from policies_content.models import Assignment, AssignmentState, RegulationPage
    from records.models import Employee
    from records.permissions import can_view
    from zhidu.demo.loader import demo_load

    started = time.perf_counter()
    demo_load()
    _say(f"demo company in {time.perf_counter() - started:.1f} s")
    step = time.perf_counter()
    departments = _staff()
    _say(f"{EMPLOYEES:,} staff with logins in {time.perf_counter() - step:.1f} s")
    step = time.perf_counter()
    pages = _regulations(departments)
    _say(
        f"{REGULATIONS} regulations of 50–100 articles published and assigned in "
        f"{time.perf_counter() - step:.1f} s"
    )
    step = time.perf_counter()
    call_command("search_rebuild", "--no-progress", verbosity=0)
    _say(f"search index built in {time.perf_counter() - step:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    pending: dict[str, list[int]] = {}
    for username, assignment_id in Assignment.objects.filter(
        state=AssignmentState.OPEN, employee__user__username__startswith="load"
    ).values_list("employee__user__username", "pk"):
        pending.setdefault(username, []).append(assignment_id)
    reading = [page.url for page in pages]
    # the demo's regulations an ordinary employee may read (none above 内部, none restricted)
    reader = Employee.objects.select_related("user").get(employee_number="L0000").user
    reading += [
        page.url
        for page in RegulationPage.objects.live().exclude(slug__startswith="load-")
        if page.url and can_view(reader, page)
    ][:8]
    return {
        "password": PASSWORD,
        "accounts": [
            {"username": name, "pending": sorted(ids)} for name, ids in sorted(pending.items())
        ],
        "reading": reading,
        "search": SEARCH_WORDS,
        "employees": EMPLOYEES,
        "regulations": REGULATIONS,
        "assignments": Assignment.objects.count(),
        "build_s": round(time.perf_counter() - started, 1),
    }
