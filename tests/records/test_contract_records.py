"""Contracts as records: legal holds on a contract (placed and released from its screens,
blocking deletion), and 归档 of an ended contract — by the ledger action or automatically."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from records.contract_filing import contract_file
from records.contracts import contract_statuses_refresh, contract_terminate, obligation_add
from records.filing import already_filed
from records.legal_holds import is_on_hold, legal_hold_place
from records.models import ArchiveItem, AuditAction, AuditEntry, Contract, LegalHold
from tests.factories import UserFactory
from tests.records.contract_helpers import D, hr_user, make_contract, owner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_language_after():
    yield
    translation.deactivate()


@pytest.fixture
def hr():
    return hr_user()


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def test_hr_places_and_releases_a_hold_from_the_contract_screens(hr_client, hr):
    contract = make_contract(user=hr)
    ledger = hr_client.get(reverse("contract_ledger", args=[contract.pk])).content.decode()
    holds_url = reverse("contract_holds", args=[contract.pk])
    assert holds_url in ledger
    edit = hr_client.get(reverse("wagtailsnippets_records_contract:edit", args=[contract.pk]))
    assert holds_url in edit.content.decode()

    refused = hr_client.post(holds_url, {"reason": ""})
    assert refused.status_code == 200 and not LegalHold.objects.exists()
    response = hr_client.post(holds_url, {"reason": "劳动仲裁案件证据保全"})
    assert response.status_code == 302 and is_on_hold(contract)
    page = hr_client.get(holds_url).content.decode()
    assert "劳动仲裁案件证据保全" in page and contract.contract_number in page
    assert (
        "Under a legal hold"
        in hr_client.get(reverse("contract_ledger", args=[contract.pk])).content.decode()
    )
    listed = hr_client.get(reverse("archive_holds")).content.decode()
    assert holds_url in listed

    hold = LegalHold.objects.get()
    hr_client.post(reverse("archive_hold_release", args=[hold.pk]), {"reason": "案件已结"})
    assert not is_on_hold(contract)
    actions = set(
        AuditEntry.objects.filter(object_id=str(contract.pk)).values_list("action", flat=True)
    )
    assert {AuditAction.LEGAL_HOLD, AuditAction.LEGAL_HOLD_RELEASE} <= actions


def test_a_held_contract_cannot_be_deleted(client, hr):
    contract = make_contract(user=hr)
    legal_hold_place(obj=contract, reason="诉讼", user=hr)
    with pytest.raises(ValidationError, match="法律保全"):
        contract.delete()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("wagtailsnippets_records_contract:delete", args=[contract.pk])
    response = client.post(url, follow=True)
    assert Contract.objects.filter(pk=contract.pk).exists()
    assert "处于法律保全中" in response.content.decode()


def test_a_contract_the_user_may_not_see_has_no_hold_screen(client, hr):
    secret = make_contract(user=hr, classification=3)
    low = hr_user(clearance=1)
    client.force_login(low)
    assert client.get(reverse("contract_holds", args=[secret.pk])).status_code == 404
    assert client.post(reverse("contract_file", args=[secret.pk])).status_code == 404


def test_an_ended_contract_is_filed_with_its_terms_ledger_and_amendments(hr_client, hr):
    contract = make_contract(user=hr, ends_on=D(2024, 6, 30))
    obligation_add(
        user=hr,
        contract=contract,
        kind="payment",
        description="首付款",
        due_on=D(2024, 2, 1),
        amount=Decimal("3000.00"),
        responsible=owner(),
    )
    contract_statuses_refresh(today=datetime.date(2025, 1, 1))
    contract.refresh_from_db()
    assert contract.status == "expired"
    ledger_url = reverse("contract_ledger", args=[contract.pk])
    assert "File in the archive" in hr_client.get(ledger_url).content.decode()

    hr_client.post(reverse("contract_file", args=[contract.pk]))
    item = already_filed(contract)
    assert item is not None and item.category_code == "HT" and item.retention == "D30"
    assert item.archival_code.split("-")[1] == "HT"
    assert item.snapshot["contract_number"] == contract.contract_number
    assert item.snapshot["obligations"][0]["description"] == "首付款"
    assert item.classification == contract.classification
    assert f"Filed as {item.archival_code}" in hr_client.get(ledger_url).content.decode()
    # twice is refused, nothing more written
    hr_client.post(reverse("contract_file", args=[contract.pk]))
    assert ArchiveItem.objects.count() == 1


def test_a_contract_still_in_force_is_not_filed(hr):
    contract = make_contract(user=hr, ends_on=D(2099, 12, 31))
    with pytest.raises(ValidationError, match="已到期或已终止"):
        contract_file(contract=contract, user=hr)
    assert not ArchiveItem.objects.exists()


@override_settings(ZHIDU_AUTO_FILE=["ended_contracts"])
def test_contracts_are_filed_automatically_when_they_end(hr, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    expiring = make_contract(
        user=hr, signed_on=today, starts_on=today, ends_on=today + datetime.timedelta(days=10)
    )
    running = make_contract(user=hr, title="仓储服务合同", ends_on=D(2099, 12, 31))
    entered_late = make_contract(
        user=hr,
        title="旧租赁合同",
        signed_on=D(2019, 6, 1),
        starts_on=D(2019, 7, 1),
        ends_on=D(2020, 6, 30),
    )
    assert already_filed(expiring) is None
    with django_capture_on_commit_callbacks(execute=True):
        contract_statuses_refresh(today=today + datetime.timedelta(days=30))
    assert already_filed(expiring) is not None and already_filed(running) is None
    assert already_filed(entered_late) is not None
    with django_capture_on_commit_callbacks(execute=True):
        contract_terminate(
            user=hr, contract=running, terminated_on=D(2024, 11, 1), reason="对方违约"
        )
    assert already_filed(running) is not None


def test_without_the_setting_nothing_is_filed_automatically(hr, django_capture_on_commit_callbacks):
    contract = make_contract(user=hr, ends_on=D(2024, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        contract_statuses_refresh(today=datetime.date(2025, 1, 1))
    assert already_filed(contract) is None
