"""审计区: acknowledgement evidence per employee and per document, and the 证据包 an auditor
downloads: its manifest verifies, it holds only what the auditor may see, and only the period
asked for."""

import csv
import datetime
import hashlib
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from policies_content.acknowledging import (
    acknowledgement_sign,
    assignment_open,
    proxy_acknowledgement_record,
)
from policies_content.library import category_page
from policies_content.models import Assignment, EvidenceBundle, RegulationPage
from records.models import AuditAction, AuditEntry
from records.roles import AUDITOR
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_document(title, number, level=1):
    page = RegulationPage(
        title=title,
        document_number=number,
        classification=level,
        body=[("article", {"text": f"{title}第一条内容。", "clauses": []})],
        effective_date=TODAY - datetime.timedelta(days=30),
        change_summary="首次发布",
        distribution_all_staff=True,
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def sign(page, employee):
    mine = Assignment.objects.get(page_id=page.pk, employee=employee)
    assignment_open(assignment=mine, user=employee.user)
    acknowledgement_sign(
        assignment=mine, user=employee.user, password="pw-for-tests", confirmed=True
    )


@pytest.fixture
def story():
    company = CompanyFactory(name="华茂电子商务有限公司")
    sales = DepartmentFactory(name="销售部", code="XS", parent=company)
    hr = EmployeeFactory(name="人事专员", department=company, clearance=3).user
    people = {
        "张三": EmployeeFactory(
            name="张三", department=sales, employee_number="HM0201", clearance=3
        ),
        "李四": EmployeeFactory(name="李四", department=sales, employee_number="HM0202"),
        "王五": EmployeeFactory(name="王五", department=sales, employee_number="HM0203"),
    }
    rule = make_document("考勤管理制度", "HM-RS-2026-201")
    secret = make_document("高管薪酬制度", "HM-RS-2026-299", level=3)  # above the auditor
    sign(rule, people["张三"])
    sign(secret, people["张三"])
    proxy_acknowledgement_record(
        assignment=Assignment.objects.get(page_id=rule.pk, employee=people["李四"]),
        recorded_by=hr,
        scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%scan\n"),
        reason="车间无电脑",
    )
    auditor = UserFactory(roles=[AUDITOR])
    EmployeeFactory(name="审计员吴", department=company, clearance=2, user=auditor)
    return {"rule": rule, "secret": secret, "people": people, "auditor": auditor}


def generate(client, url, callbacks, start, end):
    with callbacks(execute=True):
        return client.post(url, {"date_from": start.isoformat(), "date_to": end.isoformat()})


def download(client, bundle) -> zipfile.ZipFile:
    response = client.get(reverse("evidence_bundle_download", args=[bundle.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == bundle.sha256
    return zipfile.ZipFile(io.BytesIO(data))


def rows_of(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_an_auditor_downloads_a_documents_bundle_whose_manifest_verifies(
    client, story, django_capture_on_commit_callbacks
):
    client.force_login(story["auditor"])
    home = client.get(reverse("auditor_home"), {"document": "考勤"}).content.decode()
    url = reverse("evidence_document", args=[story["rule"].pk])
    assert url in home
    page = client.get(url).content.decode()
    assert "王五（HM0203）" in page and "张三（HM0201）" not in page  # who has not signed

    response = generate(
        client, url, django_capture_on_commit_callbacks, TODAY - datetime.timedelta(days=60), TODAY
    )
    bundle = EvidenceBundle.objects.get()
    assert response["Location"] == reverse("evidence_bundle", args=[bundle.pk])
    screen = client.get(response["Location"]).content.decode()
    assert "下载证据包（ZIP）" in screen
    status = client.get(response["Location"], {"format": "json"}).json()
    # a version, two receipts, then the records and the ZIP
    assert status["state"] == "done" and status["done"] == status["total"] == 4

    archive = download(client, bundle)
    manifest = rows_of(archive, "清单.csv")
    listed = {row["文件名"] for row in manifest}
    assert listed == set(archive.namelist()) - {"清单.csv"}
    for row in manifest:
        assert hashlib.sha256(archive.read(row["文件名"])).hexdigest() == row["SHA-256"]
    assert "版本/HM-RS-2026-201-V1.0.pdf" in listed
    receipts = sorted(name for name in listed if name.startswith("回执/"))
    assert receipts == [
        "回执/HM-RS-2026-201-V1.0-HM0201.pdf",
        "回执/HM-RS-2026-201-V1.0-HM0202.pdf",
    ]
    signatures = rows_of(archive, "签收记录.csv")
    sales = [r for r in signatures if r["部门"] == "销售部"]  # HR and the auditor are asked too
    assert {(r["工号"], r["签名方式"] != "") for r in sales} == {
        ("HM0201", True),
        ("HM0202", True),
        ("HM0203", False),
    }
    audit = rows_of(archive, "审计记录.csv")
    assert {r["操作"] for r in audit} >= {"签收"}
    assert all("高管薪酬制度" not in r["对象"] for r in audit)
    statement = archive.read("说明.txt").decode()
    assert "审计日志完整" in statement and "考勤管理制度" in statement

    exports = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("sequence")
    assert [e.details["what"] for e in exports] == ["evidence bundle", "evidence bundle zip"]


def test_an_employees_bundle_leaves_out_what_the_auditor_may_not_see(
    client, story, django_capture_on_commit_callbacks
):
    client.force_login(story["auditor"])
    zhang = story["people"]["张三"]
    url = reverse("evidence_employee", args=[zhang.pk])
    page = client.get(url).content.decode()
    assert "考勤管理制度" in page and "高管薪酬制度" not in page
    generate(client, url, django_capture_on_commit_callbacks, TODAY, TODAY)
    archive = download(client, EvidenceBundle.objects.get())
    names = archive.namelist()
    assert "回执/HM-RS-2026-201-V1.0-HM0201.pdf" in names
    assert not any("HM-RS-2026-299" in name for name in names)
    everything = b"".join(archive.read(name) for name in names if not name.endswith(".pdf"))
    assert "高管薪酬制度".encode() not in everything
    assert "1 个版本未纳入" in archive.read("说明.txt").decode()


def test_only_the_period_asked_for_goes_in(client, story, django_capture_on_commit_callbacks):
    client.force_login(story["auditor"])
    url = reverse("evidence_document", args=[story["rule"].pk])
    yesterday = TODAY - datetime.timedelta(days=1)
    generate(
        client,
        url,
        django_capture_on_commit_callbacks,
        yesterday - datetime.timedelta(5),
        yesterday,
    )
    archive = download(client, EvidenceBundle.objects.get())
    names = archive.namelist()
    assert "版本/HM-RS-2026-201-V1.0.pdf" in names  # in force then
    assert not any(name.startswith("回执/") for name in names)  # everyone was asked today
    assert rows_of(archive, "签收记录.csv") == []


def test_a_period_that_ends_before_it_starts_is_refused_in_chinese(
    client, story, django_capture_on_commit_callbacks
):
    client.force_login(story["auditor"])
    url = reverse("evidence_document", args=[story["rule"].pk])
    response = generate(
        client, url, django_capture_on_commit_callbacks, TODAY, TODAY - datetime.timedelta(days=1)
    )
    assert response.status_code == 200
    assert "开始日期不能晚于结束日期。" in response.content.decode()
    assert not EvidenceBundle.objects.exists()


def test_who_may_reach_the_evidence(client, story, django_capture_on_commit_callbacks):
    staff = story["people"]["王五"].user
    client.force_login(staff)
    url = reverse("evidence_document", args=[story["rule"].pk])
    assert client.get(url).status_code == 403
    client.force_login(story["auditor"])
    hidden = reverse("evidence_document", args=[story["secret"].pk])
    assert client.get(hidden).status_code == 404  # 机密: above the auditor's clearance
    generate(client, url, django_capture_on_commit_callbacks, TODAY, TODAY)
    bundle = EvidenceBundle.objects.get()
    other = UserFactory(roles=[AUDITOR])
    client.force_login(other)
    for name in ("evidence_bundle", "evidence_bundle_download"):
        assert client.get(reverse(name, args=[bundle.pk])).status_code == 404  # not theirs
