"""Archive items: 档号 format and sequence, retention dates, immutability of the filed record,
corrections, duplicate and bad input refused with nothing written, history with reasons."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from wagtail.models import ModelLogEntry

from records.archival_codes import archival_code_format
from records.archive_selectors import archive_items_due_for_disposal, retention_due
from records.archive_services import archive_item_revise
from records.filing import archive_correct, archive_file
from records.models import ArchivalCodeCounter, ArchiveItem, AuditEntry
from records.personnel_filing import personnel_file
from tests.factories import DepartmentFactory, EmployeeFactory

from .archive_fixtures import file_item, hr_user, in_english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]


def test_archival_code_follows_da_t_22_with_four_digit_item_number():
    department = DepartmentFactory(code="ZH")
    item = file_item(department=department, retention="Y", filed_on=datetime.date(2026, 5, 4))
    assert item.archival_code == "Z001-WS-2026-Y-ZH-0001"
    assert (item.fonds, item.category_code, item.year, item.retention, item.org_code) == (
        "Z001",
        "WS",
        2026,
        "Y",
        "ZH",
    )
    assert item.item_number == 1


@override_settings(ZHIDU_ARCHIVE_FONDS="Q017")
def test_fonds_comes_from_the_setting_and_department_codes_lose_their_hyphens():
    item = file_item(department=DepartmentFactory(code="DS-yy"))
    assert item.archival_code == "Q017-WS-2026-D10-DSYY-0001"


def test_item_numbers_run_per_series_without_gaps():
    zh, cw = DepartmentFactory(code="ZH"), DepartmentFactory(code="CW")
    codes = [file_item(department=zh).archival_code for _ in range(3)]
    assert codes == [
        "Z001-WS-2026-D10-ZH-0001",
        "Z001-WS-2026-D10-ZH-0002",
        "Z001-WS-2026-D10-ZH-0003",
    ]
    # Another department, retention or year starts its own series at 0001.
    assert file_item(department=cw).archival_code.endswith("-CW-0001")
    assert file_item(department=zh, retention="D30").archival_code == "Z001-WS-2026-D30-ZH-0001"
    assert (
        file_item(department=zh, filed_on=datetime.date(2025, 6, 1)).archival_code
        == "Z001-WS-2025-D10-ZH-0001"
    )


def test_a_failed_filing_leaves_no_gap_in_the_series():
    department = DepartmentFactory(code="ZH")
    file_item(department=department)
    with pytest.raises(ValidationError):
        file_item(department=department, retention="D99")  # refused before numbering
    source = EmployeeFactory(department=department)
    file_item(source=source, department=department)
    with pytest.raises(ValidationError):
        file_item(source=source, department=department)  # duplicate
    assert file_item(department=department).archival_code.endswith("-0003")


def test_the_format_pads_item_numbers_to_four_digits():
    code = archival_code_format(
        fonds="Z001", category_code="RS", year=2024, retention="D30", org_code="ZH", item_number=7
    )
    assert code == "Z001-RS-2024-D30-ZH-0007"


@pytest.mark.parametrize(
    ("retention", "due"),
    [("Y", None), ("D30", datetime.date(2056, 12, 31)), ("D10", datetime.date(2036, 12, 31))],
)
def test_retention_due_for_each_retention_period(retention, due):
    item = file_item(retention=retention, filed_on=datetime.date(2026, 2, 1))
    assert retention_due(item) == due


def test_due_for_disposal_lists_only_items_whose_retention_has_run_out():
    department = DepartmentFactory(code="ZH")
    old = file_item(department=department, filed_on=datetime.date(2014, 3, 1), title="旧凭证")
    file_item(department=department, filed_on=datetime.date(2020, 3, 1), title="较新")
    file_item(department=department, retention="Y", filed_on=datetime.date(2000, 1, 1))
    user = hr_user()
    due = archive_items_due_for_disposal(user=user, day=datetime.date(2026, 11, 22))
    assert [row["item"] for row in due] == [old]
    assert due[0]["due_on"] == datetime.date(2024, 12, 31)


def test_every_bad_field_is_named_and_nothing_is_written():
    department = DepartmentFactory(code="ZH")
    with pytest.raises(ValidationError) as excinfo:
        archive_file(
            source=EmployeeFactory(department=department),
            title=" ",
            category_code="XX",
            retention="D5",
            department=department,
            classification=9,
            snapshot={},
            filed_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    assert set(excinfo.value.message_dict) == {
        "title",
        "category_code",
        "retention",
        "classification",
        "snapshot",
        "filed_on",
    }
    assert not ArchiveItem.objects.exists()
    assert not ArchivalCodeCounter.objects.exists()
    assert not AuditEntry.objects.filter(action="file").exists()


def test_filing_the_same_record_twice_is_refused_with_the_existing_code():
    item = file_item()
    with pytest.raises(ValidationError, match=item.archival_code):
        file_item(source=item.source, department=item.department)
    assert ArchiveItem.objects.count() == 1


def test_the_filed_record_cannot_change_and_says_why():
    item = file_item(title="原始标题")
    item.title = "改过的标题"
    item.snapshot = {"text": "tampered"}
    with pytest.raises(ValidationError, match="correction"):
        item.save()
    item.refresh_from_db()
    assert item.title == "原始标题"
    assert item.snapshot == {"text": f"filed {item.source_id}"}


def test_revising_metadata_cannot_touch_the_filed_fields():
    item = file_item()
    with pytest.raises(ValidationError, match="title"):
        archive_item_revise(item=item, user=None, reason="试图改标题", title="x")


def test_a_correction_is_a_new_item_referencing_the_original():
    user = hr_user()
    original = file_item(user=user)
    correction = archive_correct(
        original=original, snapshot={"text": "更正后"}, reason="工号录入错误", filed_by=user
    )
    assert correction.corrects == original
    assert correction.archival_code != original.archival_code
    assert correction.snapshot["correction_reason"] == "工号录入错误"
    original.refresh_from_db()
    assert original.snapshot == {"text": f"filed {original.source_id}"}
    with pytest.raises(ValidationError):
        archive_correct(original=original, snapshot={"text": "x"}, reason=" ", filed_by=user)


def test_the_snapshot_digest_is_the_sha256_of_the_filed_content():
    import hashlib

    from records.audit import canonical_json

    item = file_item()
    expected = hashlib.sha256(canonical_json(item.snapshot).encode()).hexdigest()
    assert item.snapshot_sha256 == expected


def test_personnel_file_is_classified_high_and_filed_under_rs():
    department = DepartmentFactory(code="ZH")
    employee = EmployeeFactory(name="王芳", employee_number="HM0042", department=department)
    item = personnel_file(employee=employee, user=hr_user())
    assert item.classification == 2
    assert item.category_code == "RS"
    assert "-RS-" in item.archival_code
    assert item.snapshot["employee_number"] == "HM0042"
    assert "王芳" in item.title


def test_metadata_changes_are_revisions_with_the_reason_in_history(client):
    user = hr_user()
    item = file_item(user=user)
    archive_item_revise(item=item, user=user, reason="移至二号库房", custody_location="二号库房")
    item.refresh_from_db()
    assert item.custody_location == "二号库房"
    assert item.revisions.count() == 2
    entry = ModelLogEntry.objects.filter(action="records.archive_change").get()
    assert entry.data["reason"] == "移至二号库房"
    client.force_login(user)
    history = client.get(reverse("wagtailsnippets_records_archiveitem:history", args=[item.pk]))
    assert history.status_code == 200
    assert "移至二号库房" in history.content.decode()


def test_a_reason_is_required_for_every_change():
    item = file_item()
    with pytest.raises(ValidationError):
        archive_item_revise(item=item, user=None, reason="  ", custody_location="三号库房")
    item.refresh_from_db()
    assert item.custody_location == ""
