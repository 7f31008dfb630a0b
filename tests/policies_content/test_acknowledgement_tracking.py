"""签收跟踪: HR's tracking screens, export, 催办 (chase) and 代签 (proxy acknowledgement)."""

import csv
import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from policies_content.acknowledging import (
    acknowledgement_sign,
    assignment_open,
    proxy_acknowledgement_record,
)
from policies_content.library import category_page
from policies_content.models import (
    Acknowledgement,
    AcknowledgementKind,
    Assignment,
    AssignmentState,
    Chase,
    RegulationPage,
)
from records.audit import audit_chain_head
from records.models import AuditAction, AuditEntry, Employee
from records.roles import AUDITOR, POLICY_EDITOR, REVIEWER, STAFF
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PDF = b"%PDF-1.4\n% paper signature scan\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 16
PROXY_TAG = 'class="ack-tag ack-tag-proxy"'
SELF_TAG = 'class="ack-tag ack-tag-self"'
OVERDUE_TAG = 'class="ack-tag ack-tag-overdue"'


def article(text):
    return ("article", {"text": text, "clauses": []})


def make_document(*, title, number, level=1, **fields):
    """A regulation in force for a month, for all staff; any field can be given."""
    values = {
        "body": [article(f"{title}正文。")],
        "effective_date": TODAY - datetime.timedelta(days=30),
        "change_summary": "首次发布",
        "distribution_all_staff": True,
        **fields,
    }
    page = RegulationPage(title=title, document_number=number, classification=level, **values)
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def assignment(page, employee) -> Assignment:
    return Assignment.objects.select_related("version", "employee").get(
        page_id=page.pk, employee=employee
    )


def scan(name="scan.pdf", data=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def company():
    return CompanyFactory()


@pytest.fixture
def sales(company):
    return DepartmentFactory(name="销售部", code="XS", parent=company)


@pytest.fixture
def finance(company):
    return DepartmentFactory(name="财务部", code="CW", parent=company)


@pytest.fixture
def hr(company):
    office = DepartmentFactory(name="人力资源部", code="RL", parent=company)
    return EmployeeFactory(
        name="人事专员", department=office, clearance=2, user__roles=[POLICY_EDITOR]
    ).user


@pytest.fixture
def story(sales, finance, hr):
    """One document in force with an assignment in every state, across two departments."""
    people = {
        "self": EmployeeFactory(name="张签", department=sales, user__email="zq@example.com"),
        "proxy": EmployeeFactory(name="李代", department=sales, user__email="ld@example.com"),
        "overdue": EmployeeFactory(name="王逾", department=sales, user__email="wy@example.com"),
        "opened": EmployeeFactory(name="赵阅", department=sales, user__email="zy@example.com"),
        "noemail": EmployeeFactory(name="钱无", department=finance),
        "covered": EmployeeFactory(name="孙覆", department=finance, user__email="sf@example.com"),
        "departed": EmployeeFactory(name="周离", department=finance, user__email="zl@e.com"),
    }
    page = make_document(title="考勤管理制度", number="HM-RS-2024-001")
    mine = {key: assignment(page, person) for key, person in people.items()}
    assignment_open(assignment=mine["self"], user=people["self"].user)
    acknowledgement_sign(
        assignment=mine["self"], user=people["self"].user, password="pw-for-tests", confirmed=True
    )
    proxy_acknowledgement_record(
        assignment=mine["proxy"], recorded_by=hr, scan=scan(), reason="车间无电脑"
    )
    Assignment.objects.filter(pk=mine["overdue"].pk).update(due_on=TODAY - datetime.timedelta(1))
    assignment_open(assignment=mine["opened"], user=people["opened"].user)
    Assignment.objects.filter(pk=mine["covered"].pk).update(state=AssignmentState.COVERED)
    departed = people["departed"]
    departed.status = Employee.Status.DEPARTED
    departed.save()
    return {"page": page, "people": people, "assignments": mine}


@pytest.fixture
def secret(hr, story):
    """机密 (3): above the HR user's clearance (2); one of the story's employees is cleared
    for it, so it has an assignment HR must not learn of."""
    cleared = story["people"]["overdue"]
    cleared.clearance = 3
    cleared.save()
    return make_document(title="高管薪酬制度", number="HM-RS-2024-099", level=3)


def by_department(response):
    return {row["department__name"]: row for row in response.context["departments"]}


# --- Counts and drill-down ----------------------------------------------------------------------


def test_overview_counts_every_state(client, hr, story):
    client.force_login(hr)
    response = client.get(reverse("acknowledgement_overview"))
    assert response.status_code == 200
    (row,) = [r for r in response.context["rows"] if r["version"].page_id == story["page"].pk]
    # 7 asked, 1 left the company; HR (an employee too) is asked as well: 7 required.
    assert (row["assigned"], row["opened"], row["signed_self"], row["signed_proxy"]) == (7, 2, 1, 1)
    assert (row["covered"], row["open"], row["overdue"], row["closed"]) == (1, 4, 1, 1)
    assert row["percent"] == round(100 * 3 / 7)
    assert "考勤管理制度" in response.content.decode()


def test_document_counts_by_department_and_names(client, hr, story):
    client.force_login(hr)
    url = reverse("acknowledgement_document", args=[story["page"].pk])
    response = client.get(url)
    rows = by_department(response)
    sales, finance = rows["销售部"], rows["财务部"]
    assert (sales["assigned"], sales["opened"], sales["signed"], sales["overdue"]) == (4, 2, 2, 1)
    assert (sales["signed_self"], sales["signed_proxy"], sales["percent"]) == (1, 1, 50)
    assert (finance["assigned"], finance["covered"], finance["closed"]) == (2, 1, 1)
    assert finance["percent"] == 50
    assert 'class="ack-self" style="width: 25.0%"' in response.content.decode()

    drill = client.get(url, {"department": sales.get("department_id")})
    names = {a.employee.name: a for a in drill.context["names"]}
    assert set(names) == {"张签", "李代", "王逾", "赵阅"}
    html = drill.content.decode()
    assert html.count(PROXY_TAG) == 1 and html.count(SELF_TAG) == 1
    assert html.count(OVERDUE_TAG) == 1
    proxy_url = reverse("acknowledgement_proxy", args=[story["assignments"]["overdue"].pk])
    assert proxy_url in html  # open: a paper signature can be recorded
    assert reverse("acknowledgement_proxy", args=[story["assignments"]["self"].pk]) not in html


def test_department_and_employee_screens(client, hr, story, sales):
    client.force_login(hr)
    response = client.get(reverse("acknowledgement_department", args=[sales.pk]))
    (row,) = response.context["rows"]
    assert (row["assigned"], row["signed"], row["overdue"], row["percent"]) == (4, 2, 1, 50)

    proxy = story["people"]["proxy"]
    response = client.get(reverse("acknowledgement_employee", args=[proxy.pk]))
    (entry,) = response.context["history"]
    assert entry.acknowledgement.kind == AcknowledgementKind.PROXY
    assert PROXY_TAG in response.content.decode()

    found = client.get(reverse("acknowledgement_employee_find"), {"number": proxy.employee_number})
    assert found["Location"] == reverse("acknowledgement_employee", args=[proxy.pk])


# --- Access ----------------------------------------------------------------------------------


def test_document_above_clearance_appears_nowhere(client, hr, story, secret, sales):
    client.force_login(hr)
    hidden = secret.pk
    overview = client.get(reverse("acknowledgement_overview"))
    assert hidden not in {r["version"].page_id for r in overview.context["rows"]}
    assert "高管薪酬制度" not in overview.content.decode()
    department = client.get(reverse("acknowledgement_department", args=[sales.pk]))
    assert "高管薪酬制度" not in department.content.decode()
    employee = story["people"]["overdue"]
    history = client.get(reverse("acknowledgement_employee", args=[employee.pk]))
    assert {a.page_id for a in history.context["history"]} == {story["page"].pk}
    assert "高管薪酬制度" not in history.content.decode()
    hidden_assignment = assignment(secret, employee)
    for url in (
        reverse("acknowledgement_document", args=[hidden]),
        reverse("acknowledgement_export", args=[hidden, "csv"]),
        reverse("acknowledgement_export", args=[hidden, "xlsx"]),
        reverse("acknowledgement_proxy", args=[hidden_assignment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "高管薪酬制度" not in response.content.decode()
    assert client.post(reverse("acknowledgement_chase", args=[hidden])).status_code == 404
    assert not Chase.objects.exists() and not mail.outbox
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("role", [STAFF, AUDITOR, REVIEWER])
def test_users_without_the_permission_are_refused_and_have_no_menu(client, story, role):
    user = EmployeeFactory(clearance=4, user__roles=[role]).user
    client.force_login(user)
    page_id = story["page"].pk
    for url in (
        reverse("acknowledgement_overview"),
        reverse("acknowledgement_document", args=[page_id]),
        reverse("acknowledgement_export", args=[page_id, "csv"]),
        reverse("acknowledgement_proxy", args=[story["assignments"]["overdue"].pk]),
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        assert "考勤管理制度" not in response.content.decode()
    response = client.post(reverse("acknowledgement_chase", args=[page_id]))
    assert response.status_code in (302, 403)
    assert not Chase.objects.exists()
    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("acknowledgement_overview") not in home.content.decode()


def test_menu_and_page_button_for_hr(client, hr, story):
    client.force_login(hr)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("acknowledgement_overview") in home
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[story["page"].pk]))
    assert reverse("acknowledgement_document", args=[story["page"].pk]) in edit.content.decode()


# --- Export ----------------------------------------------------------------------------------


def test_export_csv_and_xlsx_rows_neutralise_formulas_and_end_with_chain_head(client, hr, story):
    Employee.objects.filter(pk=story["people"]["opened"].pk).update(name="=HYPERLINK(1)")
    client.force_login(hr)
    page = story["page"]
    response = client.get(reverse("acknowledgement_export", args=[page.pk, "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, *rows, last = lines
    assert len(header) == 11 and len(rows) == 8  # everyone asked, the departed included
    assert last == ["Chain head", audit_chain_head()] or last[1] == audit_chain_head()
    by_name = {row[2]: row for row in rows}
    assert "'=HYPERLINK(1)" in by_name and "=HYPERLINK(1)" not in by_name
    proxy = by_name["李代"]
    version = story["assignments"]["proxy"].version
    assert proxy[0] == "销售部" and proxy[1] == story["people"]["proxy"].employee_number
    assert proxy[6] == str(AcknowledgementKind.PROXY.label) and proxy[9] == "V1.0"
    assert proxy[10] == version.sha256 and proxy[5]
    assert by_name["王逾"][8] and not by_name["张签"][8]  # overdue marked
    assert by_name["'=HYPERLINK(1)"][4] and not by_name["王逾"][4]  # opened_at
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, object_id=str(version.pk)).exists()

    response = client.get(reverse("acknowledgement_export", args=[page.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 9
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert "'=HYPERLINK(1)" in {row[2] for row in values}
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 2


# --- 催办 ------------------------------------------------------------------------------------


def test_chase_mails_only_open_assignments_is_rate_limited_and_audited(client, hr, story):
    client.force_login(hr)
    page = story["page"]
    url = reverse("acknowledgement_chase", args=[page.pk])
    response = client.post(url)
    assert response.status_code == 302
    # Open: 王逾, 赵阅 (sales), 钱无 (no e-mail: skipped), the HR user (no e-mail).
    assert sorted(m.to[0] for m in mail.outbox) == ["wy@example.com", "zy@example.com"]
    message = next(m for m in mail.outbox if m.to == ["wy@example.com"])
    assert "考勤管理制度" in message.subject + message.body and "V1.0" in message.body
    assert (TODAY - datetime.timedelta(days=1)).isoformat() in message.body  # its due date
    assert (
        reverse("acknowledgement_sign", args=[story["assignments"]["overdue"].pk]) in message.body
    )
    chase = Chase.objects.get()
    assert chase.reminded == 2 and chase.by == hr and chase.department is None
    entry = AuditEntry.objects.get(action=AuditAction.CHASE)
    assert entry.details["reminded"] == 2 and entry.details["without_email"] == 2

    # Again within the window: refused, with when it becomes possible.
    mail.outbox.clear()
    response = client.post(url, follow=True)
    assert not mail.outbox and Chase.objects.count() == 1
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    possible = timezone.localtime(chase.at + datetime.timedelta(hours=24))
    assert possible.strftime("%Y-%m-%d %H:%M") in text
    # A department of it too.
    client.post(url, {"department": story["people"]["overdue"].department_id})
    assert not mail.outbox and Chase.objects.count() == 1

    # After the window: allowed again.
    Chase.objects.update(at=timezone.now() - datetime.timedelta(hours=25))
    client.post(url, {"department": story["people"]["overdue"].department_id})
    assert len(mail.outbox) == 2 and Chase.objects.count() == 2


def test_chase_mail_in_the_employees_language(client, hr, story):
    from wagtail.users.models import UserProfile

    person = story["people"]["opened"].user
    UserProfile.objects.update_or_create(user=person, defaults={"preferred_language": "en"})
    client.force_login(hr)
    client.post(reverse("acknowledgement_chase", args=[story["page"].pk]))
    english = next(m for m in mail.outbox if m.to == [person.email])
    assert english.subject.startswith("Reminder: please sign")


# --- 代签 ------------------------------------------------------------------------------------


def test_proxy_form_records_a_proxy_shown_as_proxy(client, hr, story):
    client.force_login(hr)
    target = story["assignments"]["overdue"]
    url = reverse("acknowledgement_proxy", args=[target.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"reason": "仓库员工无电脑", "scan": scan(), "signed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    ack = Acknowledgement.objects.get(assignment=target)
    assert ack.kind == AcknowledgementKind.PROXY and ack.recorded_by == hr
    assert ack.proxy_reason == "仓库员工无电脑" and ack.proxy_scan
    drill = client.get(response["Location"]).content.decode()
    assert drill.count(PROXY_TAG) == 2  # this one and the story's earlier proxy
    assert reverse("proxy_scan", args=[ack.pk]) in drill


@pytest.mark.parametrize(
    "data, field",
    [
        ({"reason": "", "scan": "pdf"}, "reason"),
        ({"reason": "   ", "scan": "pdf"}, "reason"),
        ({"reason": "无电脑", "scan": "txt"}, "scan"),
        ({"reason": "无电脑", "scan": "png-named-pdf"}, "scan"),
        ({"reason": "无电脑", "scan": "pdf", "future": True}, "signed_on"),
    ],
)
def test_proxy_form_refuses_bad_input(client, hr, story, data, field):
    client.force_login(hr)
    target = story["assignments"]["overdue"]
    files = {
        "pdf": scan(),
        "txt": scan("scan.txt", b"hello", "text/plain"),
        "png-named-pdf": scan("scan.pdf", PNG),
    }
    day = TODAY + datetime.timedelta(days=1) if data.get("future") else TODAY
    response = client.post(
        reverse("acknowledgement_proxy", args=[target.pk]),
        {"reason": data["reason"], "scan": files[data["scan"]], "signed_on": day.isoformat()},
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Acknowledgement.objects.filter(assignment=target).exists()


def test_proxy_for_a_signed_assignment_is_refused(client, hr, story):
    client.force_login(hr)
    target = story["assignments"]["self"]
    response = client.post(
        reverse("acknowledgement_proxy", args=[target.pk]),
        {"reason": "无电脑", "scan": scan(), "signed_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    assert Acknowledgement.objects.get(assignment=target).kind == AcknowledgementKind.SELF


# --- Query counts do not grow with the rows shown --------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_employees_or_documents(client, hr, sales, finance):
    client.force_login(hr)
    page = make_document(title="制度0", number="HM-Q-000")
    for n in range(5):
        make_document(title=f"制度{n + 1}", number=f"HM-Q-{n + 1:03}")
    EmployeeFactory.create_batch(3, department=sales)
    EmployeeFactory.create_batch(2, department=finance)
    document = reverse("acknowledgement_document", args=[page.pk])
    drill = f"{document}?department={sales.pk}"
    overview = reverse("acknowledgement_overview")
    small = [_queries(client, url) for url in (overview, document, drill)]

    for n in range(5, 12):
        make_document(title=f"制度{n + 1}", number=f"HM-Q-{n + 1:03}")
    EmployeeFactory.create_batch(25, department=sales)
    EmployeeFactory.create_batch(20, department=finance, user__email="x@example.com")
    for person in Employee.objects.filter(department=sales)[:10]:
        assignment_open(assignment=assignment(page, person), user=person.user)
    large = [_queries(client, url) for url in (overview, document, drill)]
    assert large == small
    assert Assignment.objects.filter(page_id=page.pk).count() >= 50


def test_the_status_report_pdf_gives_completion_by_department_and_the_unsigned(client, hr, story):
    import pymupdf

    from records.models import GeneratedDocument

    client.force_login(hr)
    page = story["page"]
    screen = client.get(reverse("acknowledgement_document", args=[page.pk])).content.decode()
    url = reverse("acknowledgement_export", args=[page.pk, "pdf"])
    assert url in screen
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.get_text() for p in pymupdf.open(stream=response.content, filetype="pdf"))
    flat = text.replace("\n", "")
    assert "签收情况报告" in flat and "《考勤管理制度》" in flat
    assert "销售部" in flat and "财务部" in flat
    for unsigned in ("王逾", "赵阅", "钱无"):
        assert unsigned in flat
    for done in ("张签", "李代", "孙覆"):
        assert done not in flat  # signed, 代签 or covered: not on the list
    assert "逾期" in flat  # 王逾 is past the due date
    record = GeneratedDocument.objects.get(kind="status_report")
    assert record.code in flat and record.generated_by == hr
    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("sequence")
    assert entry.details["format"] == "pdf" and entry.details["code"] == record.code
