"""Issued versions: numbering, frozen text and hash, dates in force, repeal, history pages."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from policies_content.issuing import document_repeal, review_record_add
from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage
from policies_content.selectors import library_in_force
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def article(text):
    return ("article", {"text": text, "clauses": []})


def publish(page, *, effective, kind="major", summary="修订", body=None):
    if body is not None:
        page.body = body
    page.effective_date = effective
    page.change_kind, page.change_summary = kind, summary
    page.save_revision().publish()
    page.refresh_from_db()
    return IssuedVersion.objects.filter(page_id=page.pk).order_by("-major", "-minor").first()


@pytest.fixture
def page():
    regulation = RegulationPage(
        title="加班管理制度", document_number="HM-RS-2024-009", body=[article("加班须事先申请。")]
    )
    category_page("人事").add_child(instance=regulation)
    return regulation


@pytest.fixture
def reader(client):
    client.force_login(EmployeeFactory(clearance=1).user)
    return client


def test_first_publication_issues_v1_with_frozen_text_and_hash(page):
    version = publish(page, effective=datetime.date(2024, 3, 1), summary="")
    assert version.version == "V1.0" and version.change_summary == "首次发布"
    assert "加班须事先申请。" in version.canonical_text
    assert version.sha256 == hashlib.sha256(version.canonical_text.encode()).hexdigest()
    assert page.version == "V1.0" and page.status == "in_force"


def test_minor_and_major_changes_number_the_versions(page):
    publish(page, effective=datetime.date(2024, 3, 1))
    minor = publish(page, effective=datetime.date(2024, 6, 1), kind="minor", summary="文字修改")
    major = publish(
        page,
        effective=datetime.date(2025, 1, 1),
        kind="major",
        summary="实质修改",
        body=[article("加班须事先书面申请并经主管批准。")],
    )
    assert [minor.version, major.version] == ["V1.1", "V2.0"]
    assert major.sha256 != minor.sha256


def test_exactly_one_version_is_in_force_on_any_date(page):
    v1 = publish(page, effective=datetime.date(2024, 3, 1))
    v2 = publish(
        page,
        effective=datetime.date(2025, 1, 1),
        summary="第二版",
        body=[article("加班须书面申请。")],
    )
    in_force = IssuedVersion.objects.filter(page_id=page.pk)
    assert list(in_force.in_force_on(datetime.date(2024, 2, 28))) == []
    assert list(in_force.in_force_on(datetime.date(2024, 12, 31))) == [v1]
    assert list(in_force.in_force_on(datetime.date(2025, 1, 1))) == [v2]
    v1.refresh_from_db()
    assert v1.superseded_on == datetime.date(2025, 1, 1)


def test_a_future_effective_date_is_scheduled_and_the_reader_sees_the_version_in_force(
    page, reader
):
    publish(page, effective=TODAY - datetime.timedelta(days=30), summary="")
    scheduled = publish(
        page,
        effective=TODAY + datetime.timedelta(days=10),
        summary="下月起施行",
        body=[article("加班须提前三天申请。")],
    )
    assert scheduled.state() == "scheduled"
    assert scheduled.state(TODAY + datetime.timedelta(days=10)) == "in_force"
    text = reader.get(page.url).content.decode()
    assert "加班须事先申请。" in text and "加班须提前三天申请。" not in text
    assert "V2.0" in text  # announced as taking effect later


def test_issued_versions_cannot_be_changed_or_deleted(page):
    version = publish(page, effective=TODAY)
    version.change_summary = "篡改"
    with pytest.raises(ValidationError):
        version.save()
    with pytest.raises(ValidationError):
        version.delete()
    assert IssuedVersion.objects.get(pk=version.pk).change_summary == "修订"


def test_republishing_without_a_change_summary_is_refused(page):
    publish(page, effective=TODAY)
    with pytest.raises(ValidationError):
        publish(page, effective=TODAY, summary="")
    assert IssuedVersion.objects.filter(page_id=page.pk).count() == 1


def test_repeal_stops_the_version_in_force(page):
    v1 = publish(page, effective=datetime.date(2024, 3, 1))
    successor = RegulationPage(title="加班与调休管理制度", body=[article("新规定。")])
    category_page("人事").add_child(instance=successor)
    document_repeal(
        page=page, reason="并入新制度", on=datetime.date(2025, 7, 1), successor=successor
    )
    v1.refresh_from_db()
    assert v1.superseded_on == datetime.date(2025, 7, 1) and v1.repealed
    assert v1.state(datetime.date(2025, 7, 2)) == "repealed"
    with pytest.raises(ValidationError):
        document_repeal(page=page, reason="again", on=datetime.date(2025, 8, 1))


def test_a_document_with_history_cannot_be_deleted_in_the_admin(client, page):
    publish(page, effective=TODAY)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]), follow=True)
    assert RegulationPage.objects.filter(pk=page.pk).exists()
    assert "不能删除" in response.content.decode() or "cannot be" in response.content.decode()


def test_review_without_change_is_recorded_without_a_new_version(page):
    publish(page, effective=TODAY)
    review_record_add(page=page, note="复审：无需修改")
    assert IssuedVersion.objects.filter(page_id=page.pk).count() == 1
    assert page.review_records.get().note == "复审：无需修改"


def test_version_pages_are_stable_and_respect_clearance(page, reader, client):
    publish(page, effective=datetime.date(2024, 3, 1))
    publish(
        page,
        effective=datetime.date(2025, 1, 1),
        summary="第二版",
        body=[article("加班须书面申请。")],
    )
    url = reverse("version_detail", args=[page.document_number, "1.0"])
    response = reader.get(url)
    assert response.status_code == 200
    assert "加班须事先申请。" in response.content.decode()
    history = reader.get(
        reverse("document_history", args=[page.document_number]), {"date": "2024-12-31"}
    ).content.decode()
    assert "V1.0" in history and "V2.0" in history
    compare = reader.get(
        reverse("version_compare", args=[page.document_number]), {"from": "1.0", "to": "2.0"}
    )
    assert compare.status_code == 200
    secret = RegulationPage(
        title="薪酬保密制度",
        document_number="HM-CW-2024-001",
        classification=3,
        body=[article("薪酬保密。")],
    )
    category_page("财务").add_child(instance=secret)
    publish(secret, effective=TODAY)
    assert (
        reader.get(reverse("version_detail", args=[secret.document_number, "1.0"])).status_code
        == 404
    )
    assert reader.get(reverse("document_history", args=[secret.document_number])).status_code == 404


def test_library_as_of_a_date_lists_what_was_in_force_and_visible(page, reader):
    publish(page, effective=datetime.date(2024, 3, 1))
    secret = RegulationPage(title="薪酬保密制度", classification=3, body=[article("薪酬保密。")])
    category_page("财务").add_child(instance=secret)
    publish(secret, effective=datetime.date(2024, 1, 1))
    employee = reader.session.get("_auth_user_id")
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(pk=employee)
    titles = [
        d["title"]
        for g in library_in_force(user=user, day=datetime.date(2024, 6, 1))
        for d in g["documents"]
    ]
    assert titles == ["加班管理制度"]
    assert library_in_force(user=user, day=datetime.date(2024, 2, 1)) == []
    text = reader.get(reverse("library_as_of"), {"date": "2024-06-01"}).content.decode()
    assert "加班管理制度" in text and "薪酬保密制度" not in text


def test_reviews_fall_due_after_the_cycle_and_a_review_resets_the_clock(page, client):
    from django.core import mail
    from django.core.management import call_command

    from policies_content.selectors import reviews_due
    from records.roles import POLICY_EDITOR

    publish(page, effective=TODAY - datetime.timedelta(days=400))
    assert [item["page"].pk for item in reviews_due() if item["overdue"]] == [page.pk]
    hr = UserFactory(username="hr-reviews", email="hr@example.com", roles=[POLICY_EDITOR])
    EmployeeFactory(user=hr, clearance=1)
    UserFactory(username="hr-uncleared", email="hr0@example.com", roles=[POLICY_EDITOR])
    RegulationPage.objects.filter(pk=page.pk).update(classification=1)
    IssuedVersion.objects.filter(page_id=page.pk).update(classification=1)
    call_command("reviews_remind")
    assert [m.to for m in mail.outbox] == [["hr@example.com"]]  # never to one not cleared
    assert "加班管理制度" in mail.outbox[-1].body
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert "加班管理制度" in client.get(reverse("document_reviews")).content.decode()
    client.post(reverse("document_reviewed", args=[page.pk]), {"note": "已复审"})
    assert reviews_due() == []
    assert IssuedVersion.objects.filter(page_id=page.pk).count() == 1


def test_repeal_from_the_admin_asks_for_a_reason(page, client):
    publish(page, effective=TODAY)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("document_repeal", args=[page.pk])
    refused = client.post(url, {"repealed_on": TODAY.isoformat(), "reason": ""})
    assert refused.status_code == 200
    assert not IssuedVersion.objects.filter(page_id=page.pk, repealed=True).exists()
    client.post(url, {"repealed_on": TODAY.isoformat(), "reason": "已被新制度取代"})
    page.refresh_from_db()
    assert page.status == "repealed"
    assert IssuedVersion.objects.get(page_id=page.pk).repealed


def test_review_reminders_go_once_a_day_to_each_editor_also_after_a_stop(page, monkeypatch):
    from django.core import mail
    from django.core.management import call_command

    from policies_content import review_reminders
    from policies_content.review_reminders import reviews_remind
    from records.roles import POLICY_EDITOR
    from tests.interruptions import run_stopped

    publish(page, effective=TODAY - datetime.timedelta(days=400))
    editors = [
        UserFactory(username=f"hr-review-{n}", email=f"hr{n}@example.com", roles=[POLICY_EDITOR])
        for n in range(3)
    ]
    for editor in editors:
        EmployeeFactory(user=editor, clearance=4)
    mail.outbox.clear()

    run_stopped(reviews_remind, monkeypatch=monkeypatch, module=review_reminders, after=1)
    assert reviews_remind().sent == 2
    call_command("reviews_remind")  # cron again the same day: nothing new
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.email for e in editors)
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert reviews_remind(now=tomorrow).sent == 3  # still due: reminded again the next day
