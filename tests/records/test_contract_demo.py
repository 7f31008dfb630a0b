"""The demo company has contracts, so a new HR user finds the contracts area populated."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile

from records.audit import audit_verify
from records.contract_selectors import contracts_for, overdue_obligations
from records.models import Contract, Obligation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_language_after():
    """Requests by an English-speaking user leave English active in this thread: reset it."""
    yield
    translation.deactivate()


def test_the_demo_has_contracts_in_every_state_with_ledgers(client):
    call_command("load_demo")
    hr = get_user_model().objects.get(username="hr")
    statuses = set(Contract.objects.values_list("status", flat=True))
    assert statuses == {"draft", "performing", "expired", "terminated"}
    assert contracts_for(user=hr).count() == Contract.objects.count() >= 8
    assert Contract.objects.filter(amendments__isnull=False).exists()
    states = {o.state() for o in Obligation.objects.all()}
    assert states == {"open", "overdue", "on_time", "late"}
    assert len(overdue_obligations(user=hr)) >= 2
    assert audit_verify().ok

    UserProfile.objects.update_or_create(user=hr, defaults={"preferred_language": "en"})
    client.force_login(hr)
    listing = client.get(reverse("wagtailsnippets_records_contract:list")).content.decode()
    assert "仓储物流配送服务合同" in listing and "包装材料年度采购合同" in listing
    logistics = Contract.objects.get(title="仓储物流配送服务合同")
    ledger = client.get(reverse("contract_ledger", args=[logistics.pk])).content.decode()
    assert "Amendment 1" in ledger and "Done late" in ledger
    staff = get_user_model().objects.get(username="staff")
    assert not contracts_for(user=staff).filter(contract_type="labour").exists()
