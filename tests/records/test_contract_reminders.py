"""Expiry reminders (到期提醒): to the owner at 90 / 30 / 7 days, each once; statuses refreshed."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from records.contract_reminders import contracts_remind
from records.contracts import contract_amend, contract_terminate
from records.models import ContractReminder
from records.models.contracts import ContractStatus
from tests.records.contract_helpers import hr_user, make_contract, owner

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def hr():
    return hr_user()


@pytest.fixture
def contract(hr):
    return make_contract(
        user=hr,
        title="仓储物流服务合同",
        owner=owner(name="田志刚"),
        signed_on=days(-100),
        starts_on=days(-100),
        ends_on=days(200),
    )


def test_the_owner_is_reminded_once_at_each_threshold(contract):
    ends = contract.ends_on
    for before in (120, 91, 90, 89, 60, 30, 30, 29, 8, 7, 7, 3, 0):
        contracts_remind(today=ends - datetime.timedelta(days=before))
    assert [m.to for m in mail.outbox] == [[contract.owner.user.email]] * 3
    assert "仓储物流服务合同" in mail.outbox[0].body and contract.contract_number in (
        mail.outbox[0].body
    )
    assert sorted(ContractReminder.objects.values_list("days_before", flat=True)) == [7, 30, 90]


def test_a_late_first_run_sends_only_the_nearest_threshold(contract):
    contracts_remind(today=contract.ends_on - datetime.timedelta(days=20))
    assert len(mail.outbox) == 1
    assert ContractReminder.objects.get().days_before == 30


def test_the_thresholds_are_configurable(contract, settings):
    settings.ZHIDU_CONTRACT_REMIND_DAYS = "60,15"
    ends = contract.ends_on
    for before in (90, 60, 30, 15, 7):
        contracts_remind(today=ends - datetime.timedelta(days=before))
    assert sorted(ContractReminder.objects.values_list("days_before", flat=True)) == [15, 60]


def test_an_amendment_moving_the_end_date_starts_the_reminders_afresh(hr, contract):
    contracts_remind(today=contract.ends_on - datetime.timedelta(days=30))
    contract_amend(
        user=hr,
        contract=contract,
        title="续期",
        signed_on=TODAY,
        effective_on=TODAY,
        summary="续期半年",
        new_ends_on=days(380),
    )
    contracts_remind(today=days(380 - 30))
    assert len(mail.outbox) == 2


def test_no_reminder_for_a_terminated_contract(hr, contract):
    contract_terminate(user=hr, contract=contract, terminated_on=TODAY, reason="提前解除")
    contracts_remind(today=contract.ends_on - datetime.timedelta(days=7))
    assert mail.outbox == []


def test_no_reminder_for_a_departed_owner(hr, contract):
    contract.owner.status = "departed"
    contract.owner.save()
    contracts_remind(today=contract.ends_on - datetime.timedelta(days=7))
    assert mail.outbox == []


def test_the_command_refreshes_statuses_and_reports(hr, capsys):
    ended = make_contract(user=hr, signed_on=days(-30), starts_on=days(-30), ends_on=days(10))
    assert ended.status == ContractStatus.PERFORMING
    type(ended).objects.filter(pk=ended.pk).update(ends_on=days(-1))  # as if the date passed
    with translation.override("en"):
        call_command("contracts_remind")
    ended.refresh_from_db()
    assert ended.status == ContractStatus.EXPIRED
    assert "1 contract status(es) updated" in capsys.readouterr().out


def test_a_run_stopped_half_way_and_run_again_sends_each_reminder_once(hr, monkeypatch):

    from records import contract_reminders
    from tests.interruptions import run_stopped

    contracts = [
        make_contract(
            user=hr,
            title=f"运输服务合同{n}",
            owner=owner(name=f"负责人{n}"),
            signed_on=days(-100),
            starts_on=days(-100),
            ends_on=days(20 + n),
        )
        for n in range(4)
    ]
    run_stopped(contracts_remind, monkeypatch=monkeypatch, module=contract_reminders, after=2)
    assert len(mail.outbox) == 2 and ContractReminder.objects.count() == 2

    assert contracts_remind().sent == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(c.owner.user.email for c in contracts)
    assert contracts_remind().sent == 0 and len(mail.outbox) == 4
