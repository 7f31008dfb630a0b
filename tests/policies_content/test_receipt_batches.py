"""签收回执 in bulk: HR ask for a version's receipts on the tracking screen, watch the batch,
download a ZIP whose every PDF verifies; an interrupted batch continues without duplicates."""

import csv
import datetime
import hashlib
import io
import zipfile

import pymupdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from policies_content import receipt_batches
from policies_content.acknowledging import (
    acknowledgement_sign,
    assignment_open,
    proxy_acknowledgement_record,
)
from policies_content.library import category_page
from policies_content.models import Assignment, IssuedVersion, ReceiptBatch, RegulationPage
from records.models import AuditAction, AuditEntry, GeneratedDocument
from records.roles import POLICY_EDITOR
from tests.factories import CompanyFactory, DepartmentFactory, EmployeeFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def make_document(*, number="HM-RS-2026-101", level=1):
    page = RegulationPage(
        title="考勤管理制度",
        document_number=number,
        classification=level,
        body=[("article", {"text": "员工应当按时上下班。", "clauses": []})],
        effective_date=TODAY - datetime.timedelta(days=3),
        change_summary="首次发布",
        distribution_all_staff=True,
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    company = CompanyFactory(name="华茂电子商务有限公司")
    sales = DepartmentFactory(name="销售部", code="XS", parent=company)
    finance = DepartmentFactory(name="财务部", code="CW", parent=company)
    hr = EmployeeFactory(
        name="人事专员", department=finance, clearance=2, user__roles=[POLICY_EDITOR]
    ).user
    people = {
        "张签": EmployeeFactory(name="张签", department=sales, employee_number="HM0101"),
        "赵签": EmployeeFactory(name="赵签", department=sales, employee_number="HM0102"),
        "钱签": EmployeeFactory(name="钱签", department=finance, employee_number="HM0103"),
        "李代": EmployeeFactory(name="李代", department=finance, employee_number="HM0104"),
        "王未": EmployeeFactory(name="王未", department=sales, employee_number="HM0105"),
    }
    page = make_document()
    for name in ("张签", "赵签", "钱签"):
        mine = Assignment.objects.get(page_id=page.pk, employee=people[name])
        assignment_open(assignment=mine, user=people[name].user)
        acknowledgement_sign(
            assignment=mine, user=people[name].user, password="pw-for-tests", confirmed=True
        )
    proxy = Assignment.objects.get(page_id=page.pk, employee=people["李代"])
    proxy_acknowledgement_record(
        assignment=proxy,
        recorded_by=hr,
        scan=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%scan\n"),
        reason="车间无电脑",
    )
    return {"page": page, "hr": hr, "sales": sales, "people": people}


def start(client, page, callbacks, **data):
    url = reverse("acknowledgement_receipt_batch_start", args=[page.pk])
    with callbacks(execute=True):
        return client.post(url, data)


def read_zip(client, batch) -> zipfile.ZipFile:
    response = client.get(reverse("acknowledgement_receipt_batch_download", args=[batch.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == batch.sha256
    return zipfile.ZipFile(io.BytesIO(data))


def manifest(archive) -> list[dict]:
    text = archive.read("清单.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_hr_get_every_receipt_of_a_version_as_a_zip_that_verifies(
    client, story, django_capture_on_commit_callbacks
):
    client.force_login(story["hr"])
    page = story["page"]
    screen = client.get(reverse("acknowledgement_document", args=[page.pk])).content.decode()
    assert "全部 4 份签收的回执（ZIP）" in screen

    response = start(client, page, django_capture_on_commit_callbacks)
    batch = ReceiptBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("acknowledgement_receipt_batch", args=[batch.pk])
    status = client.get(response["Location"], {"format": "json"}).json()
    assert (status["state"], status["done"], status["total"], status["percent"]) == (
        "done",
        4,
        4,
        100,
    )
    html = client.get(response["Location"]).content.decode()
    assert "下载回执（ZIP）" in html and 'value="4"' in html

    batch.refresh_from_db()
    archive = read_zip(client, batch)
    rows = manifest(archive)
    assert [row["工号"] for row in rows] == ["HM0101", "HM0102", "HM0103", "HM0104"]
    assert sum("代签" in row["签名方式"] for row in rows) == 1
    assert "HM0105" not in "".join(archive.namelist())  # 王未 has not signed
    for row in rows:
        pdf = archive.read(row["文件名"])
        assert hashlib.sha256(pdf).hexdigest() == row["SHA-256"]
        record = GeneratedDocument.objects.get(code=row["验证码"])
        assert record.sha256 == row["SHA-256"] and record.kind == "receipt"
        text = pymupdf.open(stream=pdf, filetype="pdf")[0].get_text()
        assert row["姓名"] in text and row["工号"] in text and record.code in text
    verify = client.post(
        reverse("verify_document", args=[rows[0]["验证码"]]), {"sha256": rows[0]["SHA-256"]}
    )
    assert "真实且未经改动" in verify.content.decode()

    exports = AuditEntry.objects.filter(action=AuditAction.EXPORT).order_by("sequence")
    assert [e.details["what"] for e in exports] == ["receipts", "receipts zip"]
    assert exports.last().details["sha256"] == batch.sha256


def test_one_departments_receipts(client, story, django_capture_on_commit_callbacks):
    client.force_login(story["hr"])
    page, sales = story["page"], story["sales"]
    drill = client.get(
        reverse("acknowledgement_document", args=[page.pk]), {"department": sales.pk}
    ).content.decode()
    assert "本部门回执（ZIP）" in drill
    start(client, page, django_capture_on_commit_callbacks, department=sales.pk)
    batch = ReceiptBatch.objects.get()
    assert (batch.department, batch.total) == (sales, 2)
    assert [row["姓名"] for row in manifest(read_zip(client, batch))] == ["张签", "赵签"]


def test_an_interrupted_batch_continues_without_generating_a_receipt_twice(
    client, story, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(story["hr"])
    real = receipt_batches.receipt_pdf
    calls = []

    def failing_on_the_third(**kwargs):
        calls.append(kwargs["assignment"].pk)
        if len(calls) == 3:
            raise OSError("磁盘已满")
        return real(**kwargs)

    monkeypatch.setattr(receipt_batches, "receipt_pdf", failing_on_the_third)
    start(client, story["page"], django_capture_on_commit_callbacks)
    batch = ReceiptBatch.objects.get()
    assert (batch.state, batch.done, batch.items.count()) == ("failed", 2, 2)
    html = client.get(reverse("acknowledgement_receipt_batch", args=[batch.pk])).content.decode()
    assert "磁盘已满" in html and "重试" in html
    assert (
        GeneratedDocument.objects.filter(kind="receipt").count() == 2
    )  # the failed one rolled back

    monkeypatch.setattr(receipt_batches, "receipt_pdf", real)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("acknowledgement_receipt_batch_continue", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.state, batch.done, batch.total) == ("done", 4, 4)
    assert GeneratedDocument.objects.filter(kind="receipt").count() == 4
    assert len(manifest(read_zip(client, batch))) == 4


def test_a_batch_that_stopped_advancing_offers_to_continue(client, story):
    client.force_login(story["hr"])
    batch = ReceiptBatch.objects.create(
        version=Assignment.objects.filter(page_id=story["page"].pk).first().version,
        requested_by=story["hr"],
        state=ReceiptBatch.State.RUNNING,
        total=4,
        done=1,
        progress_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    html = client.get(reverse("acknowledgement_receipt_batch", args=[batch.pk])).content.decode()
    assert "继续生成" in html
    batch.progress_at = timezone.now()
    batch.save()
    html = client.get(reverse("acknowledgement_receipt_batch", args=[batch.pk])).content.decode()
    assert "继续生成" not in html and "可以离开本页" in html


def test_nothing_signed_means_no_batch_and_a_clear_message(
    client, story, django_capture_on_commit_callbacks
):
    client.force_login(story["hr"])
    other = make_document(number="HM-RS-2026-102")
    response = start(client, other, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "还没有人签收，没有可生成的回执。" in page
    assert not ReceiptBatch.objects.exists()


def test_who_may_ask_for_and_see_a_batch(client, story, django_capture_on_commit_callbacks):
    staff = story["people"]["张签"].user
    client.force_login(staff)
    refused = start(client, story["page"], django_capture_on_commit_callbacks)
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
    assert not ReceiptBatch.objects.exists()

    secret = make_document(number="HM-RS-2026-103", level=3)  # 机密, above HR's clearance
    client.force_login(story["hr"])
    assert start(client, secret, django_capture_on_commit_callbacks).status_code == 404
    hidden = ReceiptBatch.objects.create(
        version=IssuedVersion.objects.get(page_id=secret.pk), total=0
    )
    for name in ("acknowledgement_receipt_batch", "acknowledgement_receipt_batch_download"):
        assert client.get(reverse(name, args=[hidden.pk])).status_code == 404
