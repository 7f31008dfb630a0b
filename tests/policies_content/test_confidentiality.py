"""密级 and need-to-know on every document surface; 保密期限 downgrade; logged, watermarked
confidential views."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage
from policies_content.selectors import library_in_force, regulations_for_user
from records.models import AuditEntry
from records.permissions import can_view, visible_to
from records.roles import AUDITOR
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TITLE = "薪酬保密管理制度"
NUMBER = "HM-RS-2024-077"
SECRET_TEXT = "年终奖按绩效系数发放。"


def article(text):
    return ("article", {"text": text, "clauses": []})


@pytest.fixture
def category():
    return category_page("人事")


def make_document(category, *, level=2, departments=(), number=NUMBER, title=TITLE, **fields):
    page = RegulationPage(
        title=title,
        document_number=number,
        classification=level,
        body=[article(SECRET_TEXT)],
        effective_date=TODAY - datetime.timedelta(days=30),
        change_summary="首次发布",
        **fields,
    )
    category.add_child(instance=page)
    page.need_to_know_departments.set(list(departments))
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def surfaces(page):
    """(name, url) of every reading surface of one document."""
    return [
        ("page", page.url),
        ("history", reverse("document_history", args=[page.document_number])),
        ("version", reverse("version_detail", args=[page.document_number, "1.0"])),
        ("compare", reverse("version_compare", args=[page.document_number]) + "?from=1.0&to=1.0"),
        ("version_docx", reverse("version_docx", args=[page.document_number, "1.0"])),
        ("docx", reverse("document_docx", args=[page.pk])),
    ]


def listings(client, category):
    return {
        "staff_home": client.get(reverse("staff_home")),
        "category": client.get(category.url),
        "as_of": client.get(reverse("library_as_of")),
    }


def assert_no_trace(client, page, category):
    for name, url in surfaces(page):
        response = client.get(url)
        assert response.status_code == 404, name
        assert TITLE not in response.content.decode(), name
    for name, response in listings(client, category).items():
        assert response.status_code == 200, name
        body = response.content.decode()
        assert TITLE not in body and NUMBER not in body, name


def assert_visible(client, page, category):
    for name, url in surfaces(page):
        assert client.get(url).status_code == 200, name
    for name, response in listings(client, category).items():
        assert TITLE in response.content.decode(), name


def login(client, **employee):
    person = EmployeeFactory(**employee)
    client.force_login(person.user)
    return person


# 密级 ----------------------------------------------------------------------------------


def test_below_clearance_every_surface_answers_404_and_lists_nothing(client, category):
    page = make_document(category, level=2)
    login(client, clearance=1)
    assert_no_trace(client, page, category)


def test_cleared_reader_sees_every_surface(client, category):
    page = make_document(category, level=2)
    login(client, clearance=2)
    assert_visible(client, page, category)


# Need-to-know -----------------------------------------------------------------------------


@pytest.fixture
def finance():
    return DepartmentFactory(name="财务部", parent=CompanyFactory())


def test_need_to_know_hides_document_from_other_departments(client, category, finance):
    page = make_document(category, level=1, departments=[finance])
    login(client, clearance=4, department=DepartmentFactory(name="销售部"))
    assert_no_trace(client, page, category)


def test_need_to_know_admits_sub_department_staff(client, category, finance):
    page = make_document(category, level=1, departments=[finance])
    group = DepartmentFactory(name="核算组", kind="group", parent=finance)
    login(client, clearance=1, department=group)
    assert_visible(client, page, category)


def test_need_to_know_does_not_lift_clearance(client, category, finance):
    page = make_document(category, level=2, departments=[finance])
    login(client, clearance=1, department=finance)
    assert_no_trace(client, page, category)


def test_auditor_bypasses_need_to_know_but_not_clearance(category, finance):
    page = make_document(category, level=2, departments=[finance])
    auditor = EmployeeFactory(clearance=2, user=UserFactory(username="aud", roles=[AUDITOR])).user
    low = EmployeeFactory(clearance=1, user=UserFactory(username="aud1", roles=[AUDITOR])).user
    assert can_view(auditor, page)
    assert visible_to(RegulationPage.objects.all(), auditor).filter(pk=page.pk).exists()
    assert not can_view(low, page)
    assert not visible_to(RegulationPage.objects.all(), low).filter(pk=page.pk).exists()


def test_issued_version_keeps_its_need_to_know(client, category, finance):
    page = make_document(category, level=1, departments=[finance])
    version = IssuedVersion.objects.get(page_id=page.pk)
    assert version.need_to_know == [finance.pk]
    # The page is opened to everyone afterwards, without a new issue.
    RegulationPage.need_to_know_departments.through.objects.filter(
        regulationpage_id=page.pk
    ).delete()
    outsider = login(client, clearance=1, department=DepartmentFactory(name="销售部"))
    assert client.get(page.url).status_code == 200
    version_url = reverse("version_detail", args=[page.document_number, "1.0"])
    assert client.get(version_url).status_code == 404
    assert not visible_to(IssuedVersion.objects.all(), outsider.user).exists()
    assert library_in_force(user=outsider.user, day=TODAY) == []
    insider = EmployeeFactory(clearance=1, department=finance).user
    assert visible_to(IssuedVersion.objects.all(), insider).get() == version


def test_version_without_need_to_know_is_open_to_all_departments(category):
    page = make_document(category, level=1)
    assert IssuedVersion.objects.get(page_id=page.pk).need_to_know == []
    reader = EmployeeFactory(clearance=1).user
    assert visible_to(IssuedVersion.objects.all(), reader).count() == 1
    assert list(regulations_for_user(user=reader)) == [page]


def test_deleted_department_never_lifts_a_version_restriction(category):
    page = make_document(category, level=1, departments=[DepartmentFactory(name="临时部")])
    version = IssuedVersion.objects.get(page_id=page.pk)
    IssuedVersion.objects.filter(pk=version.pk).update(need_to_know=[987654])
    reader = EmployeeFactory(clearance=4).user
    assert not visible_to(IssuedVersion.objects.all(), reader).exists()
    assert not can_view(reader, IssuedVersion.objects.get(pk=version.pk))


# 保密期限 downgrade -------------------------------------------------------------------------


def test_downgrade_command_lowers_level_logs_and_opens_to_lower_readers(client, category):
    page = make_document(
        category, level=3, classified_until=TODAY - datetime.timedelta(days=1), downgrade_to=1
    )
    not_due = make_document(
        category,
        level=3,
        number="HM-RS-2024-078",
        title="未到期制度",
        classified_until=TODAY,
        downgrade_to=1,
    )
    login(client, clearance=1)
    assert client.get(page.url).status_code == 404

    call_command("classification_downgrade")

    page.refresh_from_db()
    not_due.refresh_from_db()
    assert (page.classification, page.classified_until) == (1, None)
    assert not_due.classification == 3
    entry = AuditEntry.objects.filter(action="downgrade").get()
    assert entry.object_id == str(page.pk)
    assert (entry.details["from_level"], entry.details["to_level"]) == (3, 1)
    response = client.get(page.url)
    assert response.status_code == 200 and SECRET_TEXT in response.content.decode()
    assert TITLE in client.get(reverse("staff_home")).content.decode()
    # The issued version keeps the level it was issued at.
    version_url = reverse("version_detail", args=[page.document_number, "1.0"])
    assert client.get(version_url).status_code == 404
    # Running again finds nothing more to do.
    call_command("classification_downgrade")
    assert AuditEntry.objects.filter(action="downgrade").count() == 1


# Logged views and watermark ------------------------------------------------------------


def test_secret_page_view_is_logged_and_watermarked(client, category):
    page = make_document(category, level=2)
    reader = login(client, clearance=2, name="李保密", employee_number="E7788")
    response = client.get(page.url, REMOTE_ADDR="10.1.2.3")
    body = response.content.decode()
    assert 'class="watermark"' in body and "李保密 E7788" in body
    entry = AuditEntry.objects.filter(action="view_confidential").get()
    assert entry.actor_id == reader.user.pk and entry.object_id == str(page.pk)
    assert entry.version == "V1.0" and entry.ip == "10.1.2.3"

    version_url = reverse("version_detail", args=[page.document_number, "1.0"])
    body = client.get(version_url).content.decode()
    assert "李保密 E7788" in body
    assert AuditEntry.objects.filter(action="view_confidential").count() == 2


def test_internal_page_has_no_watermark_and_no_view_log(client, category):
    page = make_document(category, level=1)
    login(client, clearance=2, name="李保密", employee_number="E7788")
    body = client.get(page.url).content.decode()
    assert 'class="watermark"' not in body and "E7788" not in body
    body = client.get(reverse("version_detail", args=[page.document_number, "1.0"])).content
    assert b'class="watermark"' not in body
    assert not AuditEntry.objects.filter(action="view_confidential").exists()


def docx_text(response) -> str:
    """Every part of a .docx (body, headers, footers) as one string."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(response.content)) as docx:
        return "".join(
            docx.read(name).decode() for name in docx.namelist() if name.endswith(".xml")
        )


def test_word_files_of_secret_documents_carry_the_readers_watermark(client, category):
    page = make_document(category, level=2)
    login(client, clearance=2, name="李保密", employee_number="E7788")
    for url in (
        reverse("version_docx", args=[page.document_number, "1.0"]),
        reverse("document_docx", args=[page.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert "李保密 E7788" in docx_text(response), url
    # Below 秘密 a Word file carries no personal watermark.
    internal = make_document(category, level=1, number="HM-RS-2024-090", title="内部制度")
    assert "E7788" not in docx_text(client.get(reverse("document_docx", args=[internal.pk])))


# Per-level handling restrictions ---------------------------------------------------------


def test_level_that_forbids_download_and_print_refuses_them_but_may_be_read(
    client, category, settings
):
    settings.ZHIDU_LEVEL_RESTRICTIONS = {3: frozenset({"download", "print"})}
    page = make_document(category, level=3)
    login(client, clearance=3)
    response = client.get(page.url)
    body = response.content.decode()
    assert response.status_code == 200 and SECRET_TEXT in body
    assert reverse("document_docx", args=[page.pk]) not in body  # no download link
    assert 'class="print-refused"' in body and "no-print" in body
    for url in (
        reverse("document_docx", args=[page.pk]),
        reverse("version_docx", args=[page.document_number, "1.0"]),
    ):
        refused = client.get(url)
        assert refused.status_code == 403
        assert "不允许下载" in refused.content.decode()
    assert not AuditEntry.objects.filter(action="export").exists()


def test_level_without_restrictions_offers_download_and_print(client, category, settings):
    settings.ZHIDU_LEVEL_RESTRICTIONS = {3: frozenset({"download"})}
    page = make_document(category, level=2)
    login(client, clearance=3)
    body = client.get(page.url).content.decode()
    assert reverse("document_docx", args=[page.pk]) in body
    assert 'class="print-refused"' not in body
    assert client.get(reverse("document_docx", args=[page.pk])).status_code == 200


def test_editors_export_refused_where_the_level_forbids_export(client, category, settings):
    from records.roles import ADMINISTRATOR

    settings.ZHIDU_LEVEL_RESTRICTIONS = {4: frozenset({"export"})}
    page = make_document(category, level=4)
    editor = EmployeeFactory(clearance=4, user=UserFactory(username="adm", roles=[ADMINISTRATOR]))
    client.force_login(editor.user)
    refused = client.get(reverse("document_admin_docx", args=[page.pk]))
    assert refused.status_code == 403 and "不允许导出" in refused.content.decode()
    settings.ZHIDU_LEVEL_RESTRICTIONS = {}
    assert client.get(reverse("document_admin_docx", args=[page.pk])).status_code == 200
