"""The archives in the admin: screens render for HR, hidden items are 404, the filed record
cannot be edited there, held items cannot be deleted, auditors never reach the admin."""

import datetime

import pytest
from django.urls import reverse

from records.archive_services import appraisal_record
from records.legal_holds import legal_hold_place
from records.models import ArchiveItem, Employee, LegalHold
from records.roles import POLICY_EDITOR, STAFF
from tests.factories import EmployeeFactory, UserFactory

from .archive_fixtures import admin_user, auditor_user, file_item, hr_user, in_english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

LIST = reverse("wagtailsnippets_records_archiveitem:list")


def edit_url(item):
    return reverse("wagtailsnippets_records_archiveitem:edit", args=[item.pk])


@pytest.fixture
def hr(client):
    user = hr_user()
    client.force_login(user)
    client.user = user
    return client


def test_hr_sees_the_archive_list_with_codes(hr):
    item = file_item(title="考勤管理制度 V1.0")
    text = hr.get(LIST).content.decode()
    assert item.archival_code in text and "考勤管理制度 V1.0" in text


def test_items_above_the_users_clearance_are_not_listed_and_are_404(client):
    low = EmployeeFactory(clearance=1).user
    from django.contrib.auth.models import Group

    low.groups.add(Group.objects.get(name=POLICY_EDITOR), Group.objects.get(name=STAFF))
    client.force_login(low)
    secret = file_item(title="机密人事档案", classification=3)
    visible = file_item(title="公开的制度", classification=1)
    text = client.get(LIST).content.decode()
    assert visible.archival_code in text and secret.archival_code not in text
    for name in ("edit", "history", "inspect", "delete"):
        url = reverse(f"wagtailsnippets_records_archiveitem:{name}", args=[secret.pk])
        assert client.get(url).status_code == 404, name
    assert client.get(reverse("archive_item_holds", args=[secret.pk])).status_code == 404
    assert client.get(reverse("archive_loan_request", args=[secret.pk])).status_code == 404
    assert client.get(reverse("archive_appraise", args=[secret.pk])).status_code == 404


def test_the_edit_form_changes_metadata_only_and_records_the_reason(hr):
    item = file_item(title="原始标题")
    page = hr.get(edit_url(item)).content.decode()
    assert "correction entry" in page  # says why the filed record cannot be edited
    response = hr.post(
        edit_url(item),
        {
            "title": "篡改",
            "archival_code": "Z001-WS-2026-D10-ZH-9999",
            "classification": "2",
            "custody_location": "档案室A柜3层",
            "change_reason": "入库上架",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    item.refresh_from_db()
    assert item.title == "原始标题"
    assert item.archival_code.endswith("-0001")
    assert (item.custody_location, item.classification) == ("档案室A柜3层", 2)
    history = hr.get(reverse("wagtailsnippets_records_archiveitem:history", args=[item.pk]))
    assert "入库上架" in history.content.decode()


def test_an_edit_without_a_reason_is_refused_and_changes_nothing(hr):
    item = file_item()
    response = hr.post(
        edit_url(item), {"classification": "1", "custody_location": "别处", "change_reason": ""}
    )
    assert response.status_code == 200
    item.refresh_from_db()
    assert item.custody_location == ""


def test_items_cannot_be_added_by_hand(hr):
    assert hr.get(reverse("wagtailsnippets_records_archiveitem:add")).status_code in (302, 403)


def test_a_held_item_cannot_be_deleted_from_the_admin():
    from django.test import Client

    client = Client()
    admin = admin_user()
    client.force_login(admin)
    item = file_item()
    legal_hold_place(obj=item, reason="诉讼保全", user=admin)
    url = reverse("wagtailsnippets_records_archiveitem:delete", args=[item.pk])
    response = client.post(url, follow=True)
    assert ArchiveItem.objects.filter(pk=item.pk).exists()
    assert "legal hold" in response.content.decode()


def test_hr_places_and_releases_a_hold_from_the_item_screen(hr):
    item = file_item()
    url = reverse("archive_item_holds", args=[item.pk])
    assert hr.get(url).status_code == 200
    response = hr.post(url, {"reason": "劳动争议诉讼"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    listing = hr.get(reverse("archive_holds")).content.decode()
    assert "劳动争议诉讼" in listing
    hr.post(reverse("archive_hold_release", args=[hold.pk]), {"reason": "已结案"})
    hold.refresh_from_db()
    assert hold.release_reason == "已结案" and hold.released_by == hr.user
    assert "劳动争议诉讼" not in hr.get(reverse("archive_holds")).content.decode()


def test_an_empty_hold_reason_shows_an_error_and_writes_nothing(hr):
    item = file_item()
    response = hr.post(reverse("archive_item_holds", args=[item.pk]), {"reason": ""})
    assert response.status_code == 200
    assert not LegalHold.objects.exists()


def test_loan_screens_request_and_list_overdue(hr):
    item = file_item(title="待借阅的档案")
    borrower = EmployeeFactory(name="借阅人")
    url = reverse("archive_loan_request", args=[item.pk])
    today = datetime.date.today()
    bad = hr.post(
        url,
        {
            "borrower": borrower.pk,
            "purpose": "审计",
            "requested_on": today.isoformat(),
            "due_back_on": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert bad.status_code == 200 and "due-back date" in bad.content.decode()
    ok = hr.post(
        url,
        {
            "borrower": borrower.pk,
            "purpose": "审计",
            "requested_on": today.isoformat(),
            "due_back_on": (today + datetime.timedelta(days=7)).isoformat(),
        },
    )
    assert ok.status_code == 302
    listing = hr.get(reverse("archive_loans")).content.decode()
    assert "借阅人" in listing and item.archival_code in listing
    overdue = hr.get(reverse("archive_loans"), {"overdue": "1"}).content.decode()
    assert item.archival_code not in overdue


def test_disposal_appraisal_and_destruction_screens_render_for_hr(hr):
    item = file_item(title="过期的会计凭证", filed_on=datetime.date(2010, 1, 5))
    due = hr.get(reverse("archive_disposal")).content.decode()
    assert item.archival_code in due
    response = hr.post(
        reverse("archive_appraise", args=[item.pk]),
        {"decision": "destroy", "reason": "保管期满，无保存价值", "keep_until": ""},
    )
    assert response.status_code == 302
    appraisals = hr.get(reverse("archive_appraisals")).content.decode()
    assert "保管期满，无保存价值" in appraisals
    assert hr.get(reverse("archive_destruction_lists")).status_code == 200


def test_hr_cannot_approve_an_appraisal_but_an_administrator_can(hr):
    item = file_item(filed_on=datetime.date(2010, 1, 5))
    appraisal = appraisal_record(item=item, decision="destroy", reason="到期", user=hr.user)
    url = reverse("archive_appraisal_approve", args=[appraisal.pk])
    refused = hr.post(url)
    assert refused.status_code in (302, 403) and refused.get("Location") != reverse(
        "archive_appraisals"
    )
    appraisal.refresh_from_db()
    assert appraisal.approved_at is None
    from django.test import Client

    admin = Client()
    admin.force_login(admin_user())
    assert admin.post(url).status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.approved_at is not None


def test_personnel_file_action_on_an_employee(hr):
    employee = EmployeeFactory(name="赵磊")
    listing = hr.get(reverse("wagtailsnippets_records_employee:list")).content.decode()
    assert reverse("archive_personnel_file", args=[employee.pk]) in listing
    url = reverse("archive_personnel_file", args=[employee.pk])
    assert hr.get(url).status_code == 200
    response = hr.post(url)
    assert response.status_code == 302
    item = ArchiveItem.objects.get(source_id=employee.pk)
    assert item.category_code == "RS" and item.classification == 2
    again = hr.post(url)
    assert again.status_code == 200 and item.archival_code in again.content.decode()
    assert ArchiveItem.objects.count() == 1


def test_auditors_and_staff_never_reach_the_archive_admin(client):
    file_item()
    for user in (auditor_user(), UserFactory(roles=[STAFF])):
        client.force_login(user)
        assert client.get(LIST).status_code in (302, 403)
        assert client.get(reverse("archive_loans")).status_code in (302, 403)
        assert client.get(reverse("archive_holds")).status_code in (302, 403)


def test_the_archives_menu_appears_for_hr(hr):
    text = hr.get(reverse("wagtailadmin_home")).content.decode()
    assert "Archives" in text or "档案" in text
    assert Employee.objects.exists()


def test_reverting_to_an_old_revision_restores_metadata_but_not_the_loan_status(hr):
    from records.archive_services import archive_item_revise

    item = file_item()
    archive_item_revise(item=item, user=hr.user, reason="上架", custody_location="A柜")
    first = item.revisions.order_by("created_at", "pk").last()
    archive_item_revise(item=item, user=hr.user, reason="借出", status="on_loan")
    url = reverse("wagtailsnippets_records_archiveitem:revisions_revert", args=[item.pk, first.pk])
    response = hr.post(
        url, {"classification": "1", "custody_location": "A柜", "change_reason": "恢复"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.status == "on_loan"
    assert item.custody_location == "A柜"


def test_lists_leave_out_loans_and_due_items_of_hidden_items(client):
    from django.contrib.auth.models import Group

    from records.archive_services import loan_request

    low = EmployeeFactory(clearance=1).user
    low.groups.add(Group.objects.get(name=POLICY_EDITOR), Group.objects.get(name=STAFF))
    secret = file_item(title="机密凭证", classification=3, filed_on=datetime.date(2010, 1, 5))
    loan_request(
        item=secret,
        borrower=EmployeeFactory(name="借机密者"),
        purpose="查阅",
        due_back_on=datetime.date.today() + datetime.timedelta(days=3),
    )
    legal_hold_place(obj=secret, reason="保全机密凭证", user=low)
    client.force_login(low)
    for name in ("archive_loans", "archive_disposal", "archive_holds"):
        text = client.get(reverse(name)).content.decode()
        assert secret.archival_code not in text and "保全机密凭证" not in text, name


def test_staff_see_visible_items_and_request_a_loan(client):
    employee = EmployeeFactory(clearance=1)
    visible = file_item(title="可见的制度版本", classification=1)
    hidden = file_item(title="看不到的人事档案", classification=2)
    client.force_login(employee.user)
    page = client.get(reverse("my_archives")).content.decode()
    assert "可见的制度版本" in page and "看不到的人事档案" not in page
    due = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    client.post(reverse("my_archives"), {"item": visible.pk, "purpose": "学习", "due_back_on": due})
    assert visible.loans.get().borrower == employee
    response = client.post(
        reverse("my_archives"), {"item": hidden.pk, "purpose": "偷看", "due_back_on": due}
    )
    assert response.status_code == 404
    assert not hidden.loans.exists()
    bad = client.post(
        reverse("my_archives"),
        {"item": visible.pk, "purpose": "再借", "due_back_on": datetime.date.today().isoformat()},
        follow=True,
    )
    assert "due-back date" in bad.content.decode()
    assert visible.loans.count() == 1


def test_staff_never_browse_other_peoples_personnel_files(client):
    from records.personnel_filing import personnel_file

    reader = EmployeeFactory(clearance=4, name="高密级员工")
    other = EmployeeFactory(name="别人")
    own = personnel_file(employee=reader, user=None)
    theirs = personnel_file(employee=other, user=None)
    client.force_login(reader.user)
    page = client.get(reverse("my_archives")).content.decode()
    assert own.archival_code in page
    assert theirs.archival_code not in page


def test_an_item_with_loans_is_not_deleted_and_the_admin_says_why():
    from django.test import Client

    from records.archive_services import loan_request

    client = Client()
    client.force_login(admin_user())
    item = file_item()
    loan_request(
        item=item,
        borrower=EmployeeFactory(),
        purpose="查阅",
        due_back_on=datetime.date.today() + datetime.timedelta(days=3),
    )
    url = reverse("wagtailsnippets_records_archiveitem:delete", args=[item.pk])
    response = client.post(url, follow=True)
    assert ArchiveItem.objects.filter(pk=item.pk).exists()
    assert "cannot be deleted" in response.content.decode()


def test_hr_files_a_correction_and_the_original_stays_as_filed(hr):
    original = file_item(title="2025年度盘点记录")
    digest = original.snapshot_sha256
    url = reverse("archive_correct", args=[original.pk])
    edit = hr.get(reverse("wagtailsnippets_records_archiveitem:edit", args=[original.pk]))
    assert url in edit.content.decode()
    form = hr.get(url).content.decode()
    assert f"filed {original.source_id}" in form  # the filed text, to correct

    refused = hr.post(url, {"title": "", "text": "更正后的内容", "reason": ""})
    assert refused.status_code == 200 and ArchiveItem.objects.count() == 1

    response = hr.post(
        url, {"title": "", "text": "盘点数量更正为 120 件。", "reason": "原记录数量笔误"}
    )
    correction = ArchiveItem.objects.exclude(pk=original.pk).get()
    assert response.status_code == 302
    assert correction.corrects == original and correction.archival_code != original.archival_code
    assert correction.snapshot["text"] == "盘点数量更正为 120 件。"
    assert correction.snapshot["correction_reason"] == "原记录数量笔误"
    original.refresh_from_db()
    assert (
        original.snapshot_sha256 == digest
        and original.snapshot["text"] != correction.snapshot["text"]
    )
