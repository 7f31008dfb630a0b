"""分发 and 签收: who is asked to sign, major/minor carry-over, hires, transfers and departures,
signing with the password, double submits, 代签, the comprehension check, append-only records
and the staff pages."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from policies_content.acknowledging import (
    acknowledgement_sign,
    assignment_open,
    proxy_acknowledgement_record,
)
from policies_content.library import category_page
from policies_content.models import (
    Acknowledgement,
    AcknowledgementChanged,
    Assignment,
    AssignmentState,
    ComprehensionQuestion,
    IssuedVersion,
    QuizAttempt,
    RegulationPage,
)
from records.models import AuditEntry, Employee
from records.roles import POLICY_EDITOR, STAFF
from tests.factories import (
    CompanyFactory,
    DepartmentFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
PASSWORD = "pw-for-tests"


def article(text):
    return ("article", {"text": text, "clauses": []})


@pytest.fixture
def org():
    company = CompanyFactory()
    sales = DepartmentFactory(name="销售部", parent=company)
    return {
        "company": company,
        "sales": sales,
        "sales_group": DepartmentFactory(name="华东组", kind="group", parent=sales),
        "finance": DepartmentFactory(name="财务部", parent=company),
    }


def employee(department, **fields):
    return EmployeeFactory(department=department, **fields)


def document(*, title="考勤管理制度", number="HM-RS-2026-001", level=1, **distribution):
    departments = distribution.pop("departments", [])
    positions = distribution.pop("positions", [])
    groups = distribution.pop("groups", [])
    people = distribution.pop("employees", [])
    page = RegulationPage(
        title=title,
        document_number=number,
        classification=level,
        body=[article("员工应按时上班。"), article("迟到三次按旷工半天处理。")],
        effective_date=TODAY,
        change_summary="首次发布",
        **distribution,
    )
    category_page("人事").add_child(instance=page)
    page.distribution.set(departments)
    page.distribution_positions.set(positions)
    page.distribution_groups.set(groups)
    page.distribution_employees.set(people)
    page.save_revision().publish()
    return RegulationPage.objects.get(pk=page.pk)


def revise(page, *, kind, text):
    page = RegulationPage.objects.get(pk=page.pk)
    page.body = [article("员工应按时上班。"), article(text)]
    page.change_kind, page.change_summary = kind, "修订"
    page.effective_date = TODAY
    page.save_revision().publish()
    return IssuedVersion.objects.filter(page_id=page.pk).order_by("-major", "-minor").first()


def assigned(page) -> set[str]:
    return set(
        Assignment.objects.filter(page_id=page.pk).values_list(
            "employee__employee_number", flat=True
        )
    )


def sign(assignment, *, password=PASSWORD):
    assignment_open(assignment=assignment, user=assignment.employee.user)
    return acknowledgement_sign(
        assignment=assignment, user=assignment.employee.user, password=password, confirmed=True
    )


def open_assignment(person, page) -> Assignment:
    return Assignment.objects.get(employee=person, page_id=page.pk, state=AssignmentState.OPEN)


# -- distribution by each target kind -----------------------------------------------------


def test_all_staff_assigns_every_active_employee_with_the_due_date(org):
    people = [employee(org["sales"]), employee(org["finance"])]
    employee(org["finance"], status=Employee.Status.DEPARTED)
    page = document(distribution_all_staff=True, acknowledgement_due_days=5)
    assert assigned(page) == {p.employee_number for p in people}
    due = Assignment.objects.filter(page_id=page.pk).values_list("due_on", flat=True)
    assert set(due) == {TODAY + datetime.timedelta(days=5)}


def test_department_with_and_without_sub_departments(org):
    seller = employee(org["sales"])
    group_member = employee(org["sales_group"])
    employee(org["finance"])
    with_subs = document(departments=[org["sales"]])
    assert assigned(with_subs) == {seller.employee_number, group_member.employee_number}
    only_top = document(
        number="HM-RS-2026-002",
        title="销售部例会制度",
        departments=[org["sales"]],
        distribution_include_subdepartments=False,
    )
    assert assigned(only_top) == {seller.employee_number}


def test_positions_roles_and_individuals(org):
    cashier = PositionFactory(name="出纳", department=org["finance"])
    holder = employee(org["finance"], position=cashier)
    editor = EmployeeFactory(
        department=org["sales"], user=UserFactory(username="hr1", roles=[POLICY_EDITOR])
    )
    named = employee(org["sales"])
    employee(org["sales"])  # nobody names this one
    page = document(
        positions=[cashier], groups=[Group.objects.get(name=POLICY_EDITOR)], employees=[named]
    )
    assert assigned(page) == {
        holder.employee_number,
        editor.employee_number,
        named.employee_number,
    }


def test_version_issued_ahead_is_assigned_when_it_comes_into_force(org):
    from policies_content.distribution import in_force_distribute

    person = employee(org["sales"])
    page = RegulationPage(
        title="新制度",
        document_number="HM-RS-2026-009",
        body=[article("下月起实行。")],
        effective_date=TODAY + datetime.timedelta(days=10),
        distribution_all_staff=True,
        change_summary="首次发布",
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    assert not Assignment.objects.exists()
    assert in_force_distribute(today=TODAY + datetime.timedelta(days=10)) == 1
    made = Assignment.objects.get()
    assert made.employee == person
    assert made.due_on == TODAY + datetime.timedelta(days=17)
    assert in_force_distribute(today=TODAY + datetime.timedelta(days=11)) == 0


# -- hires, transfers, departures ------------------------------------------------------------


def test_new_hire_and_transfer_get_what_now_targets_them_departure_closes(org):
    page = document(departments=[org["finance"]])
    hire = employee(org["finance"])
    assert hire.employee_number in assigned(page)

    mover = employee(org["sales"])
    assert mover.employee_number not in assigned(page)
    mover.department = org["finance"]
    mover.save()
    assert open_assignment(mover, page).department == org["finance"]

    hire.status = Employee.Status.DEPARTED
    hire.save()
    closed = Assignment.objects.get(employee=hire, page_id=page.pk)
    assert closed.state == AssignmentState.DEPARTED and closed.closed_at is not None


# -- major and minor versions ----------------------------------------------------------------


def test_major_needs_everyone_again_minor_is_covered_by_the_major_signature(org):
    signer, straggler = employee(org["sales"]), employee(org["sales"])
    page = document(distribution_all_staff=True)
    first = sign(open_assignment(signer, page))

    minor = revise(page, kind="minor", text="迟到三次扣除全勤奖。")
    covered = Assignment.objects.get(employee=signer, version=minor)
    assert covered.state == AssignmentState.COVERED and covered.covered_by == first
    assert Assignment.objects.get(employee=straggler, version=minor).state == AssignmentState.OPEN
    old = Assignment.objects.get(employee=straggler, version__minor=0, version__major=1)
    assert old.state == AssignmentState.SUPERSEDED

    major = revise(page, kind="major", text="迟到按分钟扣薪。")
    assert Assignment.objects.get(employee=signer, version=major).state == AssignmentState.OPEN
    assert Assignment.objects.filter(version=major).count() == 2


# -- signing ---------------------------------------------------------------------------------


def test_signature_records_the_manifestation_and_an_audit_entry(org):
    person = employee(org["sales"], name="王小明", employee_number="E1001")
    page = document(distribution_all_staff=True)
    ack = sign(open_assignment(person, page))
    version = IssuedVersion.objects.get(page_id=page.pk)
    assert (ack.printed_name, ack.employee_number, ack.version_label) == ("王小明", "E1001", "V1.0")
    assert ack.text_sha256 == version.sha256
    assert "《考勤管理制度》" in ack.statement or "考勤管理制度" in ack.statement
    assert Assignment.objects.get(pk=ack.assignment_id).state == AssignmentState.SIGNED
    entry = AuditEntry.objects.get(action="acknowledge")
    assert entry.details["employee_number"] == "E1001" and entry.version == "V1.0"


def test_cannot_sign_before_opening_nor_without_confirming(org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    assignment = open_assignment(person, page)
    with pytest.raises(ValidationError, match="阅读"):
        acknowledgement_sign(
            assignment=assignment, user=person.user, password=PASSWORD, confirmed=True
        )
    assignment_open(assignment=assignment, user=person.user)
    with pytest.raises(ValidationError):
        acknowledgement_sign(
            assignment=assignment, user=person.user, password=PASSWORD, confirmed=False
        )
    assert not Acknowledgement.objects.exists()


def test_wrong_password_is_refused_logged_and_writes_nothing(org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    assignment = open_assignment(person, page)
    with pytest.raises(ValidationError, match="密码"):
        sign(assignment, password="wrong")
    assert not Acknowledgement.objects.exists()
    assert Assignment.objects.get(pk=assignment.pk).state == AssignmentState.OPEN
    refused = AuditEntry.objects.get(action="signature_refused")
    assert refused.actor_id == person.user.pk


def test_double_submit_makes_one_acknowledgement(org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    assignment = open_assignment(person, page)
    first = sign(assignment)
    again = sign(Assignment.objects.get(pk=assignment.pk))
    assert first == again
    assert (first.already_signed, again.already_signed) == (False, True)
    assert Acknowledgement.objects.count() == 1
    assert AuditEntry.objects.filter(action="acknowledge").count() == 1


def test_the_page_says_signed_then_already_signed_on_a_double_submit(client, org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    assignment = open_assignment(person, page)
    client.force_login(person.user)
    url = reverse("acknowledgement_sign", args=[assignment.pk])
    client.get(url)  # opened
    form = {"confirm": "yes", "password": PASSWORD}
    first = client.post(url, form, follow=True).content.decode()
    assert "签收成功" in first and "您已签收过此版本" not in first
    second = client.post(url, form, follow=True)
    assert second.redirect_chain[-1][0] == reverse("acknowledgement_receipt", args=[assignment.pk])
    assert "您已签收过此版本" in second.content.decode()
    assert Acknowledgement.objects.count() == 1


def test_proxy_acknowledgement_needs_reason_and_scan_and_is_marked(org):
    person = employee(org["sales"])
    hr = UserFactory(username="hr-proxy", roles=[POLICY_EDITOR])
    page = document(distribution_all_staff=True)
    assignment = open_assignment(person, page)
    scan = ContentFile(b"%PDF-1.4 scan", name="scan.pdf")
    with pytest.raises(ValidationError):
        proxy_acknowledgement_record(assignment=assignment, recorded_by=hr, scan=scan, reason=" ")
    ack = proxy_acknowledgement_record(
        assignment=assignment, recorded_by=hr, scan=scan, reason="仓库人员无电脑，纸质签收"
    )
    assert ack.is_proxy and ack.recorded_by == hr and ack.proxy_scan.name.endswith(".pdf")
    assert AuditEntry.objects.get(action="acknowledge").details["kind"] == "proxy"


# -- append-only -----------------------------------------------------------------------------


def test_acknowledgements_cannot_be_changed_or_deleted_by_code_or_sql(org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    ack = sign(open_assignment(person, page))
    ack.printed_name = "别人"
    with pytest.raises(AcknowledgementChanged):
        ack.save()
    with pytest.raises(AcknowledgementChanged):
        ack.delete()
    with pytest.raises(AcknowledgementChanged):
        Acknowledgement.objects.filter(pk=ack.pk).update(printed_name="别人")
    table = Acknowledgement._meta.db_table
    for sql in (f"UPDATE {table} SET printed_name = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert Acknowledgement.objects.get().printed_name == person.name


# -- comprehension check ---------------------------------------------------------------------


def test_failing_the_check_means_not_signed_results_are_kept(client, org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    question = ComprehensionQuestion.objects.create(
        page=page, question="迟到几次按旷工半天处理？", choices="一次\n三次\n五次", answer=2
    )
    assignment = open_assignment(person, page)
    client.force_login(person.user)
    url = reverse("acknowledgement_sign", args=[assignment.pk])
    assert "迟到几次" in client.get(url).content.decode()
    client.post(reverse("acknowledgement_quiz", args=[assignment.pk]), {f"q{question.pk}": "1"})
    refused = client.post(url, {"confirm": "yes", "password": PASSWORD})
    assert refused.status_code == 400 and not Acknowledgement.objects.exists()
    client.post(reverse("acknowledgement_quiz", args=[assignment.pk]), {f"q{question.pk}": "2"})
    assert client.post(url, {"confirm": "yes", "password": PASSWORD}).status_code == 302
    assert Acknowledgement.objects.get().quiz_score == 100
    assert list(QuizAttempt.objects.order_by("at").values_list("passed", flat=True)) == [
        False,
        True,
    ]


# -- staff pages -----------------------------------------------------------------------------


def test_staff_home_lists_pending_with_overdue_marked_and_signing_removes_it(client, org):
    person = employee(org["sales"], name="李四", employee_number="E2002")
    person.user.groups.add(Group.objects.get(name=STAFF))
    page = document(distribution_all_staff=True)
    late = document(number="HM-RS-2026-003", title="报销管理制度", distribution_all_staff=True)
    Assignment.objects.filter(page_id=late.pk).update(due_on=TODAY - datetime.timedelta(days=2))
    client.force_login(person.user)
    home = client.get(reverse("staff_home")).content.decode()
    assert "考勤管理制度" in home and "报销管理制度" in home
    assert "已逾期" in home

    assignment = open_assignment(person, page)
    url = reverse("acknowledgement_sign", args=[assignment.pk])
    reading = client.get(url).content.decode()
    assert "迟到三次按旷工半天处理。" in reading and 'class="toc' in reading
    assert "本人已阅读并理解" in reading
    response = client.post(url, {"confirm": "yes", "password": PASSWORD})
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    version = IssuedVersion.objects.get(page_id=page.pk)
    assert "李四" in receipt and "E2002" in receipt and version.sha256 in receipt
    home = client.get(reverse("staff_home")).content.decode()
    assert "考勤管理制度" not in home.split("我的签收")[0]


def test_wrong_password_on_the_page_says_so_in_chinese(client, org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    assignment = open_assignment(person, page)
    client.force_login(person.user)
    url = reverse("acknowledgement_sign", args=[assignment.pk])
    client.get(url)
    response = client.post(url, {"confirm": "yes", "password": "nope"})
    assert response.status_code == 400 and "密码不正确" in response.content.decode()


def test_five_wrong_passwords_at_signing_lock_signing_and_sign_in_until_unlocked(client, org):
    from axes.utils import reset as axes_reset

    person = employee(org["sales"])
    person.user.set_password(PASSWORD)
    person.user.save()
    assignment = open_assignment(person, document(distribution_all_staff=True))
    client.force_login(person.user)
    url = reverse("acknowledgement_sign", args=[assignment.pk])
    client.get(url)
    for _ in range(4):
        response = client.post(url, {"confirm": "yes", "password": "guess"})
        assert response.status_code == 400 and "密码不正确" in response.content.decode()
    fifth = client.post(url, {"confirm": "yes", "password": "guess"})
    assert fifth.status_code == 429 and "密码错误次数过多" in fifth.content.decode()

    # Locked: the right password signs nothing, and signing in from this address is refused.
    right = client.post(url, {"confirm": "yes", "password": PASSWORD})
    assert "密码错误次数过多，签收和登录已锁定 15 分钟" in right.content.decode()
    assert not Acknowledgement.objects.filter(assignment=assignment).exists()
    client.logout()
    login = client.post(reverse("login"), {"username": person.user.username, "password": PASSWORD})
    assert login.status_code == 429 and "_auth_user_id" not in client.session

    # An administrator lifts the lock (组织架构 → 账户安全): the signature goes through.
    axes_reset(username=person.user.username)
    client.force_login(person.user)
    signed = client.post(url, {"confirm": "yes", "password": PASSWORD})
    assert signed.status_code == 302
    assert Acknowledgement.objects.filter(assignment=assignment).count() == 1


def test_resign_after_major_revision_shows_what_changed(client, org):
    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    sign(open_assignment(person, page))
    revise(page, kind="major", text="迟到按分钟扣薪。")
    client.force_login(person.user)
    body = client.get(
        reverse("acknowledgement_sign", args=[open_assignment(person, page).pk])
    ).content.decode()
    assert "V1.0" in body and "迟到按分钟扣薪" in body and "<del>" in body


def test_someone_elses_or_a_hidden_assignment_answers_404(client, org):
    person, other = employee(org["sales"], clearance=2), employee(org["sales"], clearance=1)
    page = document(distribution_all_staff=True)
    secret = document(
        number="HM-RS-2026-004", title="薪酬保密制度", level=2, distribution_all_staff=True
    )
    person.clearance = 1  # lowered after the assignment was made
    person.save()
    client.force_login(person.user)
    for assignment in (open_assignment(other, page), open_assignment(person, secret)):
        for name in ("acknowledgement_sign", "acknowledgement_receipt"):
            assert client.get(reverse(name, args=[assignment.pk])).status_code == 404
    home = client.get(reverse("staff_home")).content.decode()
    assert "薪酬保密制度" not in home


def test_editors_name_individual_readers_by_employee_number(org):
    from policies_content.page_forms import EmployeeNumbersField

    first, second = employee(org["sales"]), employee(org["sales"])
    form_class = RegulationPage.get_edit_handler().get_form_class()
    field = form_class(for_user=UserFactory()).fields["distribution_employees"]
    assert isinstance(field, EmployeeNumbersField)
    found = field.clean(f"{first.employee_number}，{second.employee_number}\n")
    assert set(found) == {first, second}
    with pytest.raises(ValidationError, match="E9999"):
        field.clean(f"{first.employee_number} E9999")
    assert field.prepare_value([second.pk, first.pk]) == " ".join(
        sorted([first.employee_number, second.employee_number])
    )


def paper_signature(person, page, hr, content=b"%PDF-1.4 paper") -> Acknowledgement:
    """代签 by ``hr`` for ``person`` with a scan of the signed paper (``content``)."""
    return proxy_acknowledgement_record(
        assignment=open_assignment(person, page),
        recorded_by=hr.user,
        scan=ContentFile(content, name="paper.pdf"),
        reason="仓库人员无电脑",
    )


def scan_served_only_to(client, ack, *, allowed, refused, content=b"%PDF-1.4 paper") -> None:
    """The scan's view gives ``content`` to each of ``allowed``, 404 to each of ``refused``."""
    url = reverse("proxy_scan", args=[ack.pk])
    for user, status in [(u, 200) for u in allowed] + [(u, 404) for u in refused]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == content


def test_proxy_scan_is_private_and_served_only_to_the_employee_and_hr(client, org, settings):
    person, other = employee(org["sales"]), employee(org["sales"])
    hr = EmployeeFactory(
        department=org["sales"], user=UserFactory(username="hr-scan", roles=[POLICY_EDITOR])
    )
    ack = paper_signature(person, document(distribution_all_staff=True), hr)
    path = ack.proxy_scan.path
    assert path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    scan_served_only_to(client, ack, allowed=[person.user, hr.user], refused=[other.user])
    assert AuditEntry.objects.filter(action="export", object_id=str(ack.pk)).count() == 2


def test_readers_who_may_not_read_the_version_are_not_asked_until_cleared(org):
    cleared, low = employee(org["sales"], clearance=2), employee(org["sales"], clearance=1)
    page = document(level=2, distribution_all_staff=True)
    assert assigned(page) == {cleared.employee_number}
    low.clearance = 2
    low.save()
    assert assigned(page) == {cleared.employee_number, low.employee_number}


def test_repeal_closes_open_assignments(org):
    from policies_content.issuing import document_repeal

    person = employee(org["sales"])
    page = document(distribution_all_staff=True)
    document_repeal(page=page, reason="已被新制度取代", on=TODAY)
    closed = Assignment.objects.get(employee=person, page_id=page.pk)
    assert closed.state == AssignmentState.REPEALED
    assert not Assignment.objects.open().exists()


def test_a_manager_sees_what_their_reports_still_have_to_sign(client, org):
    manager = employee(org["sales"], name="部门经理", clearance=1)
    late = employee(org["sales"], name="迟签员工", manager=manager, clearance=2)
    done = employee(org["sales"], name="已签员工", manager=manager, clearance=2)
    employee(org["sales"], name="别组员工")
    page = document(distribution_all_staff=True)
    document(number="HM-RS-2026-005", title="薪酬保密制度", level=2, distribution_all_staff=True)
    Assignment.objects.filter(page_id=page.pk, employee=late).update(
        due_on=TODAY - datetime.timedelta(days=1)
    )
    sign(open_assignment(done, page))
    client.force_login(manager.user)
    assert "我的团队" in client.get(reverse("staff_home")).content.decode()
    body = client.get(reverse("my_team")).content.decode()
    assert "迟签员工" in body and "已签员工" in body and "别组员工" not in body
    assert body.index("迟签员工") < body.index("已签员工")  # overdue first
    assert "考勤管理制度" in body and "已逾期" in body
    assert "薪酬保密制度" not in body  # above the manager's clearance
    client.force_login(late.user)
    assert client.get(reverse("my_team")).status_code == 404


def test_the_receipt_pdf_carries_the_signature_and_a_verification_code(client, org):
    import hashlib

    import pymupdf

    from records.models import GeneratedDocument

    person = employee(org["sales"], name="王小明")
    person.user.set_password(PASSWORD)
    person.user.save()
    page = document(departments=[org["sales"]])
    assignment = open_assignment(person, page)
    acknowledgement = sign(assignment)
    client.force_login(person.user)
    receipt = client.get(reverse("acknowledgement_receipt", args=[assignment.pk])).content.decode()
    pdf_url = reverse("acknowledgement_receipt_pdf", args=[assignment.pk])
    assert pdf_url in receipt

    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.get_text() for p in pymupdf.open(stream=response.content, filetype="pdf"))
    flat = text.replace("\n", "")
    assert "签收回执" in flat and "《考勤管理制度》" in flat and "王小明" in flat
    assert person.employee_number in flat and acknowledgement.text_sha256[:32] in flat.replace(
        " ", ""
    )
    record = GeneratedDocument.objects.get()
    assert record.code in flat and record.generated_by == person.user
    assert record.sha256 == hashlib.sha256(response.content).hexdigest()
    assert record.number == "HM-RS-2026-001" and record.version == "V1.0"

    other = employee(org["sales"])
    client.force_login(other.user)
    assert client.get(pdf_url).status_code == 404
