"""The admin screens of the import (upload, reports, near-duplicates) and the Word exports."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from policies_content.document_import import ImportFile, documents_import
from policies_content.models import DocumentImportRun, NearDuplicate, RegulationPage
from policies_content.word import DOCX_TYPE
from records.roles import POLICY_EDITOR, STAFF
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD = "考勤管理制度\n第一条 员工应按时上班，不得迟到早退。\n第二条 本制度自发布之日起施行。\n"
SIMILAR = "考勤管理制度\n第一条 员工应按时上下班。\n第二条 迟到三次记旷工一天。\n"


@pytest.fixture
def hr_client(client):
    """A 制度管理员 who is also an employee cleared for 秘密 (2)."""
    client.force_login(EmployeeFactory(clearance=2, user__roles=[POLICY_EDITOR, STAFF]).user)
    return client


@pytest.fixture
def staff_client(client):
    client.force_login(EmployeeFactory(clearance=4, user__roles=[STAFF]).user)
    return client


def upload(name: str, text: str | bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode() if isinstance(text, str) else text)


def imported_page(text: str = GOOD) -> RegulationPage:
    run = documents_import(files=[ImportFile("考勤.txt", text.encode())])
    return RegulationPage.objects.get(pk=run.report["files"][0]["documents"][0]["page_id"])


def test_hr_uploads_two_files_and_reads_the_report(hr_client):
    response = hr_client.post(
        reverse("document_import"),
        {"files": [upload("考勤.txt", GOOD), upload("坏文件.docx", b"not a word file" * 50)]},
    )
    run = DocumentImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("document_import_run", args=[run.pk])

    html = hr_client.get(response["Location"]).content.decode()
    page = RegulationPage.objects.get()
    assert "考勤.txt" in html and "坏文件.docx" in html
    assert "考勤管理制度" in html
    assert "已新建（草稿）" in html  # created (draft)
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    assert "Word 文件已损坏" in html  # the bad file's reason
    assert run.report["files"][1]["error"] in html
    assert (run.created_count, run.error_count) == (1, 1)
    assert run.user is not None and run.user.employee.clearance == 2

    listing = hr_client.get(reverse("document_import_runs"))
    assert listing.status_code == 200
    assert reverse("document_import_run", args=[run.pk]) in listing.content.decode()


def test_hr_chooses_the_category_on_upload(hr_client):
    from policies_content.library import category_page

    finance = category_page("财务")
    hr_client.post(
        reverse("document_import"),
        {"files": [upload("考勤.txt", GOOD)], "category": finance.pk},
    )
    assert RegulationPage.objects.get().get_parent().pk == finance.pk


def test_near_duplicates_are_listed_compared_and_marked_reviewed(hr_client):
    response = hr_client.post(
        reverse("document_import"),
        {"files": [upload("考勤一.txt", GOOD), upload("考勤二.txt", SIMILAR)]},
    )
    assert response.status_code == 302
    pair = NearDuplicate.objects.get()
    first, second = RegulationPage.objects.order_by("pk")
    assert {pair.page_id, pair.similar_to_id} == {first.pk, second.pk}

    listing = hr_client.get(reverse("document_near_duplicates")).content.decode()
    assert reverse("document_near_duplicate", args=[pair.pk]) in listing
    assert listing.count("考勤管理制度") >= 2

    compare = hr_client.get(reverse("document_near_duplicate", args=[pair.pk]))
    assert compare.status_code == 200
    html = compare.content.decode()
    assert html.count("考勤管理制度") >= 2  # both titles, side by side
    assert reverse("wagtailadmin_pages:edit", args=[first.pk]) in html
    assert reverse("wagtailadmin_pages:edit", args=[second.pk]) in html
    assert "不得迟到早退" in html and "迟到三次记旷工一天" in html

    done = hr_client.post(reverse("document_near_duplicate", args=[pair.pk]))
    assert done.status_code == 302
    assert done["Location"] == reverse("document_near_duplicates")
    pair.refresh_from_db()
    assert pair.resolved
    listing = hr_client.get(reverse("document_near_duplicates")).content.decode()
    assert reverse("document_near_duplicate", args=[pair.pk]) not in listing


def test_staff_cannot_reach_the_import_screens(staff_client):
    page = imported_page()
    run = DocumentImportRun.objects.get()
    pair = NearDuplicate.objects.create(page=page, similar_to=page.get_parent(), similarity=0.9)
    urls = [
        reverse("document_import"),
        reverse("document_import_runs"),
        reverse("document_import_run", args=[run.pk]),
        reverse("document_near_duplicates"),
        reverse("document_near_duplicate", args=[pair.pk]),
        reverse("document_admin_docx", args=[page.pk]),
    ]
    for url in urls:
        assert staff_client.get(url).status_code != 200, url
    staff_client.post(reverse("document_import"), {"files": [upload("保密.txt", GOOD)]})
    staff_client.post(reverse("document_near_duplicate", args=[pair.pk]))
    assert DocumentImportRun.objects.count() == 1
    pair.refresh_from_db()
    assert not pair.resolved


def test_the_page_editor_offers_the_word_export(hr_client):
    page = imported_page()
    export_url = reverse("document_admin_docx", args=[page.pk])
    edit = hr_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    assert edit.status_code == 200
    html = edit.content.decode()
    assert export_url in html
    assert "导出 Word" in html

    response = hr_client.get(export_url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert ".docx" in response["Content-Disposition"]
    word = docx.Document(io.BytesIO(response.content))
    texts = [p.text for p in word.paragraphs]
    assert texts[0] == "考勤管理制度"
    assert "员工应按时上班，不得迟到早退。" in " ".join(texts)


def test_readers_download_published_documents_they_are_cleared_for(client):
    page = imported_page()
    page.classification = 2  # 秘密
    page.save_revision().publish()
    url = reverse("document_docx", args=[page.pk])

    client.force_login(EmployeeFactory(clearance=2).user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert docx.Document(io.BytesIO(response.content)).paragraphs[0].text == "考勤管理制度"

    client.force_login(EmployeeFactory(clearance=1).user)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())  # a login without an employee record
    assert client.get(url).status_code == 404


def test_an_unpublished_document_cannot_be_downloaded_from_the_site(client):
    page = imported_page()
    assert not page.live
    client.force_login(EmployeeFactory(clearance=4).user)
    assert client.get(reverse("document_docx", args=[page.pk])).status_code == 404
