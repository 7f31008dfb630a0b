"""The demo company's archives: a new user sees the records area populated."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from records.archive_selectors import archive_items_due_for_disposal, loans_overdue
from records.audit import audit_verify
from records.models import ArchiveItem, DestructionList, LegalHold

pytestmark = pytest.mark.django_db


def test_the_demo_company_has_archive_items_in_every_state(client):
    call_command("load_demo")
    hr = get_user_model().objects.get(username="hr")
    assert ArchiveItem.objects.count() >= 10
    assert ArchiveItem.objects.filter(category_code="RS", classification=2).count() == 3
    assert ArchiveItem.objects.filter(source_type__model="issuedversion").exists()
    assert ArchiveItem.objects.filter(status="disposed").count() == 1
    assert ArchiveItem.objects.filter(status="on_loan").count() == 2
    assert DestructionList.objects.filter(executed_on__isnull=False).count() == 1
    assert LegalHold.objects.filter(released_at__isnull=True).count() == 1
    assert [row["item"].title for row in archive_items_due_for_disposal(user=hr)] == [
        "2014年度办公用品采购记录"
    ]
    assert loans_overdue(user=hr).count() == 1
    assert audit_verify().ok
    client.force_login(hr)
    listing = client.get(reverse("wagtailsnippets_records_archiveitem:list")).content.decode()
    assert "Z001-WS-" in listing and "2015年度总经理办公会会议纪要" in listing
    for name in ("archive_loans", "archive_holds", "archive_disposal", "archive_destruction_lists"):
        assert client.get(reverse(name)).status_code == 200, name
