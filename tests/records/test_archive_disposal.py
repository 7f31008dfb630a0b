"""Legal holds, appraisals and destruction lists: holds block disposal and deletion and are
audited; appraisals need a second person; destruction marks items disposed, never deletes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from records.archive_selectors import retention_due
from records.archive_services import (
    appraisal_approve,
    appraisal_record,
    destruction_list_approve,
    destruction_list_create,
    destruction_list_execute,
)
from records.legal_holds import (
    assert_not_on_hold,
    is_on_hold,
    legal_hold_place,
    legal_hold_release,
)
from records.models import ArchiveItem, AuditEntry, DestructionList, LegalHold

from .archive_fixtures import admin_user, file_item, hr_user, in_english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

OLD = datetime.date(2012, 4, 1)  # D10 → due 2022-12-31


@pytest.fixture
def people():
    return {"hr": hr_user(), "admin": admin_user()}


def approved_destroy(item, people):
    appraisal = appraisal_record(
        item=item, decision="destroy", reason="已无保存价值", user=people["hr"]
    )
    return appraisal_approve(appraisal=appraisal, user=people["admin"])


def test_a_hold_is_placed_released_and_both_are_audited(people):
    item = file_item(filed_on=OLD)
    hold = legal_hold_place(obj=item, reason="劳动仲裁（2026）第12号", user=people["hr"])
    assert is_on_hold(item)
    legal_hold_release(hold=hold, reason="仲裁结案", user=people["admin"])
    assert not is_on_hold(item)
    hold.refresh_from_db()
    assert (hold.placed_by, hold.released_by, hold.release_reason) == (
        people["hr"],
        people["admin"],
        "仲裁结案",
    )
    actions = list(
        AuditEntry.objects.filter(object_id=str(item.pk), action__startswith="legal_hold")
        .order_by("sequence")
        .values_list("action", "details__reason")
    )
    assert actions == [("legal_hold", "劳动仲裁（2026）第12号"), ("legal_hold_release", "仲裁结案")]


def test_a_hold_needs_a_reason_and_is_released_once(people):
    item = file_item()
    with pytest.raises(ValidationError):
        legal_hold_place(obj=item, reason=" ", user=people["hr"])
    assert not LegalHold.objects.exists()
    hold = legal_hold_place(obj=item, reason="诉讼", user=people["hr"])
    legal_hold_release(hold=hold, reason="结案", user=people["hr"])
    with pytest.raises(ValidationError, match="already been released"):
        legal_hold_release(hold=hold, reason="再次", user=people["hr"])


def test_holds_are_generic_for_any_record(people):
    """Any saved model can be held (contracts will be): here, an employee record."""
    from tests.factories import EmployeeFactory

    employee = EmployeeFactory()
    legal_hold_place(obj=employee, reason="调查", user=people["hr"])
    with pytest.raises(ValidationError, match="legal hold"):
        assert_not_on_hold(employee)


def test_a_held_item_cannot_be_deleted(people):
    item = file_item()
    legal_hold_place(obj=item, reason="诉讼", user=people["hr"])
    with pytest.raises(ValidationError, match="legal hold"):
        item.delete()
    assert ArchiveItem.objects.filter(pk=item.pk).exists()


def test_appraisal_must_be_approved_by_someone_else(people):
    item = file_item(filed_on=OLD)
    appraisal = appraisal_record(item=item, decision="destroy", reason="到期", user=people["admin"])
    with pytest.raises(ValidationError, match="someone other"):
        appraisal_approve(appraisal=appraisal, user=people["admin"])
    appraisal.refresh_from_db()
    assert appraisal.approved_at is None


def test_keep_longer_needs_a_later_date_and_moves_the_due_date(people):
    item = file_item(filed_on=OLD)
    with pytest.raises(ValidationError) as excinfo:
        appraisal_record(item=item, decision="keep", reason="仍有参考价值", user=people["hr"])
    assert "keep_until" in excinfo.value.message_dict
    later = timezone.localdate() + datetime.timedelta(days=3650)
    appraisal = appraisal_record(
        item=item, decision="keep", keep_until=later, reason="仍有参考价值", user=people["hr"]
    )
    assert retention_due(item) == datetime.date(2022, 12, 31)  # not yet approved
    appraisal_approve(appraisal=appraisal, user=people["admin"])
    item.refresh_from_db()
    assert retention_due(item) == later


def test_only_items_approved_for_destruction_go_on_a_list(people):
    item = file_item(filed_on=OLD)
    with pytest.raises(ValidationError, match="no approved appraisal"):
        destruction_list_create(items=[item], user=people["hr"])
    assert not DestructionList.objects.exists()


def test_destruction_marks_items_disposed_and_keeps_the_rows(people):
    item = file_item(filed_on=OLD)
    approved_destroy(item, people)
    record = destruction_list_create(items=[item], user=people["hr"])
    assert record.number.startswith("XH-")
    with pytest.raises(ValidationError, match="approved before"):
        destruction_list_execute(record=record, user=people["hr"])
    destruction_list_approve(record=record, user=people["admin"])
    destruction_list_execute(record=record, user=people["hr"])
    item.refresh_from_db()
    assert item.status == ArchiveItem.Status.DISPOSED
    assert item.disposed_on == timezone.localdate()
    record.refresh_from_db()
    assert record.executed_by == people["hr"]
    assert AuditEntry.objects.filter(action="dispose", object_label=record.number).exists()


def test_a_hold_blocks_destruction_naming_the_item_and_changing_nothing(people):
    held = file_item(filed_on=OLD, title="被保全的凭证")
    free = file_item(filed_on=OLD, title="可销毁的凭证")
    for item in (held, free):
        approved_destroy(item, people)
    record = destruction_list_create(items=[held, free], user=people["hr"])
    destruction_list_approve(record=record, user=people["admin"])
    legal_hold_place(obj=held, reason="诉讼保全", user=people["admin"])
    with pytest.raises(ValidationError, match=held.archival_code):
        destruction_list_execute(record=record, user=people["hr"])
    for item in (held, free):
        item.refresh_from_db()
        assert item.status == ArchiveItem.Status.FILED
    record.refresh_from_db()
    assert record.executed_on is None


def test_a_held_item_cannot_be_put_on_a_destruction_list(people):
    item = file_item(filed_on=OLD)
    approved_destroy(item, people)
    legal_hold_place(obj=item, reason="审计调取", user=people["hr"])
    with pytest.raises(ValidationError, match="legal hold"):
        destruction_list_create(items=[item], user=people["hr"])


def test_destruction_date_cannot_be_in_the_future(people):
    item = file_item(filed_on=OLD)
    approved_destroy(item, people)
    record = destruction_list_create(items=[item], user=people["hr"])
    destruction_list_approve(record=record, user=people["admin"])
    with pytest.raises(ValidationError) as excinfo:
        destruction_list_execute(
            record=record, user=people["hr"], on=timezone.localdate() + datetime.timedelta(days=1)
        )
    assert "executed_on" in excinfo.value.message_dict
    item.refresh_from_db()
    assert item.status == ArchiveItem.Status.FILED
