"""归档 of superseded versions: by the action in the admin and automatically when configured."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from policies_content.filing import superseded_versions_file, version_file
from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage
from records.models import ArchiveItem
from tests.factories import DepartmentFactory
from tests.records.archive_fixtures import hr_user, in_english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def article(text):
    return ("article", {"text": text, "clauses": []})


def publish(page, *, effective, summary="修订", body=None):
    if body is not None:
        page.body = body
    page.effective_date, page.change_kind, page.change_summary = effective, "major", summary
    page.save_revision().publish()
    page.refresh_from_db()
    return IssuedVersion.objects.filter(page_id=page.pk).order_by("-major", "-minor").first()


@pytest.fixture
def page():
    regulation = RegulationPage(
        title="加班管理制度",
        document_number="HM-RS-2024-009",
        body=[article("加班须事先申请。")],
        owner_department=DepartmentFactory(code="ZH"),
    )
    category_page("人事").add_child(instance=regulation)
    return regulation


def two_versions(page):
    v1 = publish(page, effective=datetime.date(2024, 3, 1))
    v2 = publish(page, effective=datetime.date(2025, 1, 1), body=[article("加班须书面申请。")])
    v1.refresh_from_db()
    return v1, v2


def test_a_superseded_version_is_filed_with_its_text_and_hash(page):
    v1, _v2 = two_versions(page)
    item = version_file(version=v1, user=hr_user())
    assert item.archival_code.startswith("Z001-WS-") and "-Y-ZH-" in item.archival_code
    assert item.snapshot["text"] == v1.canonical_text
    assert item.snapshot["text_sha256"] == v1.sha256
    assert item.snapshot["version"] == "V1.0"
    assert item.source == v1


def test_the_version_in_force_and_a_second_filing_are_refused(page):
    v1, v2 = two_versions(page)
    with pytest.raises(ValidationError, match="still in force"):
        version_file(version=v2)
    item = version_file(version=v1)
    with pytest.raises(ValidationError, match=item.archival_code):
        version_file(version=v1)
    assert ArchiveItem.objects.count() == 1


def test_hr_files_from_the_documents_filing_screen(client, page):
    v1, _v2 = two_versions(page)
    client.force_login(hr_user())
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    url = reverse("document_version_filing", args=[page.pk])
    assert url in edit
    assert "V1.0" in client.get(url).content.decode()
    client.post(url, {"version": v1.pk})
    item = ArchiveItem.objects.get()
    assert item.archival_code in client.get(url).content.decode()


@override_settings(ZHIDU_AUTO_FILE=["superseded_versions"])
def test_superseded_versions_are_filed_automatically_after_the_commit(
    page, django_capture_on_commit_callbacks
):
    publish(page, effective=datetime.date(2024, 3, 1))
    with django_capture_on_commit_callbacks(execute=True):
        publish(page, effective=datetime.date(2025, 1, 1), body=[article("加班须书面申请。")])
    item = ArchiveItem.objects.get()
    assert item.snapshot["version"] == "V1.0"


def test_without_the_setting_nothing_is_filed_automatically(
    page, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        two_versions(page)
    assert not ArchiveItem.objects.exists()
    assert len(superseded_versions_file()) == 1
