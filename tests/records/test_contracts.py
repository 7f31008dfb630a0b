"""Contracts (合同): numbers, validation with nothing written, amendments (补充协议) as versions,
the performance ledger (overdue / late), termination and statuses, search text."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone, translation

from records.contract_numbers import contract_number_allocate
from records.contracts import (
    contract_amend,
    contract_statuses_refresh,
    contract_terminate,
    obligation_add,
    obligation_complete,
)
from records.models import (
    AuditAction,
    AuditEntry,
    Contract,
    ContractAmendment,
    ContractNumberCounter,
    Obligation,
)
from records.models.contracts import ContractStatus
from tests.records.contract_helpers import D, hr_user, make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr():
    return hr_user()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def revisions_of(contract) -> int:
    return contract.revisions.count()


# --- 合同编号 ---------------------------------------------------------------------------------


def test_numbers_follow_the_default_scheme_per_signing_year(hr):
    first = make_contract(user=hr)
    second = make_contract(user=hr, title="第二份")
    next_year = make_contract(
        user=hr, signed_on=D(2025, 2, 1), starts_on=D(2025, 2, 1), ends_on=D(2025, 12, 31)
    )
    assert [first.contract_number, second.contract_number, next_year.contract_number] == [
        "HM-HT-2024-0001",
        "HM-HT-2024-0002",
        "HM-HT-2025-0001",
    ]


def test_a_configured_scheme_can_number_by_type(hr, settings):
    settings.ZHIDU_CONTRACT_NUMBER_FORMAT = "HT-{type}-{year}-{seq:03d}"
    sale = make_contract(user=hr)
    service = make_contract(user=hr, contract_type="service")
    sale2 = make_contract(user=hr)
    assert [sale.contract_number, service.contract_number, sale2.contract_number] == [
        "HT-GX-2024-001",
        "HT-FW-2024-001",
        "HT-GX-2024-002",
    ]


def test_a_number_typed_by_hand_is_kept_and_skipped_by_the_sequence(hr):
    make_contract(user=hr)
    manual = make_contract(user=hr, contract_number="HM-HT-2024-0002")
    following = make_contract(user=hr)
    assert manual.contract_number == "HM-HT-2024-0002"
    assert following.contract_number == "HM-HT-2024-0003"


def test_a_duplicate_number_is_refused_with_nothing_written(hr):
    make_contract(user=hr, contract_number="HT-2024-007")
    counters = list(ContractNumberCounter.objects.values_list("key", "last"))
    with pytest.raises(ValidationError) as error:
        make_contract(user=hr, contract_number="HT-2024-007", title="重复编号")
    assert error.value.message_dict["contract_number"] == [
        "A contract with this number already exists."
    ]
    assert Contract.objects.count() == 1
    assert list(ContractNumberCounter.objects.values_list("key", "last")) == counters


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_share_a_number():
    numbers, errors = [], []

    def allocate():
        try:
            numbers.append(contract_number_allocate(contract_type="sales", on=D(2024, 5, 1)))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=allocate) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == [f"HM-HT-2024-{n:04d}" for n in range(1, 9)]


# --- validation: a clear error, nothing written ------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": D(2024, 1, 1)}, "ends_on", "The end date is before the start date."),
        ({"amount": Decimal("-1")}, "amount", "The amount cannot be negative."),
        (
            {"amount": Decimal("1000000000000")},
            "amount",
            "Ensure that there are no more than 12 digits before the decimal point.",
        ),
        (
            {"signed_on": D(2024, 2, 1)},
            "late_signing_note",
            "The contract was signed after its start date: give the reason.",
        ),
        ({"contract_type": "loan"}, "contract_type", "Value 'loan' is not a valid choice."),
        ({"currency": "RMB"}, "currency", "Value 'RMB' is not a valid choice."),
    ],
)
def test_bad_contract_input_is_refused_with_nothing_written(hr, changes, field, message):
    with pytest.raises(ValidationError) as error:
        make_contract(user=hr, **changes)
    assert message in error.value.message_dict[field]
    assert not Contract.objects.exists()
    assert not ContractNumberCounter.objects.exists()
    assert not AuditEntry.objects.filter(object_type="records.contract").exists()


def test_a_signing_date_in_the_future_is_refused(hr):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        make_contract(user=hr, signed_on=tomorrow, starts_on=tomorrow, ends_on=None)
    assert error.value.message_dict["signed_on"] == ["The signing date is in the future."]
    assert not Contract.objects.exists()


def test_signing_after_the_start_is_accepted_with_a_reason(hr):
    contract = make_contract(
        user=hr, signed_on=D(2024, 2, 1), late_signing_note="入职后补签劳动合同"
    )
    assert contract.pk and contract.late_signing_note == "入职后补签劳动合同"


def test_a_level_above_the_editors_clearance_is_refused(hr):
    low = hr_user(clearance=1)
    with pytest.raises(ValidationError) as error:
        make_contract(user=low, classification=3)
    assert "classification" in error.value.message_dict
    assert not Contract.objects.exists()


def test_labour_and_confidentiality_contracts_default_to_a_higher_level(hr):
    assert make_contract(user=hr, contract_type="labour").classification == 2
    assert make_contract(user=hr, contract_type="nda").classification == 2
    assert make_contract(user=hr, contract_type="sales").classification == 1


# --- creation: a revision with who and why; status from the dates -----------------------------


def test_creating_makes_a_first_revision_with_the_reason_and_audits_the_status(hr):
    contract = make_contract(user=hr, reason="新签年度采购合同")
    revision = contract.revisions.get()
    assert revision.user == hr
    assert revision.content["change_reason"] == "新签年度采购合同"
    assert contract.status == ContractStatus.EXPIRED  # ended 2024-12-31
    entry = AuditEntry.objects.get(action=AuditAction.STATUS_CHANGE)
    assert entry.details == {"from": "", "to": "expired"}


def test_status_follows_the_dates():
    contract = Contract(signed_on=D(2024, 1, 1), starts_on=D(2024, 2, 1), ends_on=D(2024, 6, 30))
    assert contract.derived_status(D(2024, 1, 15)) == ContractStatus.EFFECTIVE
    assert contract.derived_status(D(2024, 2, 1)) == ContractStatus.PERFORMING
    assert contract.derived_status(D(2024, 6, 30)) == ContractStatus.PERFORMING
    assert contract.derived_status(D(2024, 7, 1)) == ContractStatus.EXPIRED
    assert Contract(starts_on=D(2024, 2, 1)).derived_status(D(2024, 3, 1)) == "draft"


def test_the_daily_refresh_updates_and_audits_statuses(hr):
    today = timezone.localdate()
    contract = make_contract(
        user=hr,
        signed_on=today - datetime.timedelta(days=10),
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today + datetime.timedelta(days=5),
    )
    assert contract.status == ContractStatus.PERFORMING
    assert contract_statuses_refresh(today=today + datetime.timedelta(days=6)) == 1
    contract.refresh_from_db()
    assert contract.status == ContractStatus.EXPIRED
    entry = AuditEntry.objects.filter(action=AuditAction.STATUS_CHANGE).first()
    assert entry.details == {"from": "performing", "to": "expired"}
    assert contract_statuses_refresh(today=today + datetime.timedelta(days=6)) == 0


def test_termination_ends_the_contract_with_a_reason_in_the_history(hr):
    today = timezone.localdate()
    contract = make_contract(
        user=hr, signed_on=D(2024, 1, 1), starts_on=D(2024, 1, 1), ends_on=D(2099, 12, 31)
    )
    contract_terminate(user=hr, contract=contract, terminated_on=today, reason="对方严重违约")
    contract.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED
    assert (
        contract.revisions.order_by("-pk").first().content["change_reason"].endswith("对方严重违约")
    )
    with pytest.raises(ValidationError):
        contract_terminate(user=hr, contract=contract, terminated_on=today, reason="again")


def test_termination_before_signing_is_refused_with_nothing_written(hr):
    contract = make_contract(user=hr)
    before = revisions_of(contract)
    with pytest.raises(ValidationError) as error:
        contract_terminate(user=hr, contract=contract, terminated_on=D(2023, 1, 1), reason="x")
    assert "terminated_on" in error.value.message_dict
    contract.refresh_from_db()
    assert contract.terminated_on is None and revisions_of(contract) == before


# --- 补充协议 ------------------------------------------------------------------------------------


def test_an_amendment_is_a_new_version_effective_from_its_own_date(hr):
    contract = make_contract(user=hr, amount=Decimal("10000"), ends_on=D(2024, 6, 30))
    amendment = contract_amend(
        user=hr,
        contract=contract,
        title="延长服务期",
        signed_on=D(2024, 6, 1),
        effective_on=D(2024, 6, 15),
        summary="服务期延长至2024年12月31日，金额增加5000元。",
        amount_change=Decimal("5000"),
        new_ends_on=D(2024, 12, 31),
    )
    assert amendment.number == 1
    contract.refresh_from_db()
    assert contract.terms_on(D(2024, 6, 14)).ends_on == D(2024, 6, 30)
    assert contract.terms_on(D(2024, 6, 14)).amount == Decimal("10000")
    assert contract.terms_on(D(2024, 6, 15)).ends_on == D(2024, 12, 31)
    assert contract.terms_on(D(2024, 6, 15)).amount == Decimal("15000")
    assert contract.revisions.count() == 2
    latest = contract.revisions.order_by("-pk").first()
    assert latest.content["change_reason"] == "Amendment 1：延长服务期"
    labels = [v["label"] for v in contract.versions()]
    assert labels == ["Original contract", "Amendment 1"]
    with translation.override("zh-hans"):
        assert contract.amendment_list()[0].label.endswith("一")
    assert AuditEntry.objects.filter(action=AuditAction.AMEND).count() == 1
    assert "服务期延长" in contract.search_text() and contract.contract_number in (
        contract.search_text()
    )


def test_a_ledger_entry_made_with_an_older_copy_keeps_the_amended_status(hr):
    today = timezone.localdate()
    contract = make_contract(
        user=hr, signed_on=D(2024, 1, 1), starts_on=D(2024, 1, 1), ends_on=D(2024, 12, 31)
    )
    assert contract.status == ContractStatus.EXPIRED
    contract_amend(
        user=hr,
        contract=contract,
        title="续期",
        signed_on=today,
        effective_on=today,
        summary="续期两年",
        new_ends_on=today + datetime.timedelta(days=730),
    )
    obligation_add(  # ``contract`` is the copy from before the amendment
        user=hr, contract=contract, kind="payment", description="续期款", due_on=today
    )
    contract.refresh_from_db()
    assert contract.status == ContractStatus.PERFORMING


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"effective_on": D(2024, 1, 1)}, "effective_on"),  # before the contract starts
        ({"amount_change": Decimal("-20000")}, "amount_change"),  # amount below zero
        ({"new_ends_on": D(2024, 5, 1)}, "new_ends_on"),  # before it takes effect
        ({"signed_on": D(2023, 12, 1)}, "signed_on"),  # before the contract was signed
    ],
)
def test_bad_amendments_are_refused_with_nothing_written(hr, changes, field):
    contract = make_contract(user=hr, amount=Decimal("10000"))
    values = {
        "title": "变更",
        "signed_on": D(2024, 6, 1),
        "effective_on": D(2024, 6, 1),
        "summary": "变更内容",
        **changes,
    }
    with pytest.raises(ValidationError) as error:
        contract_amend(user=hr, contract=contract, **values)
    assert field in error.value.message_dict
    assert not ContractAmendment.objects.exists()
    assert revisions_of(contract) == 1


# --- 合同履行一览表 ------------------------------------------------------------------------------


def test_ledger_states_open_overdue_on_time_and_late(hr):
    contract = make_contract(user=hr, ends_on=D(2099, 12, 31))
    today = timezone.localdate()

    def add(due, description):
        return obligation_add(
            user=hr, contract=contract, kind="payment", description=description, due_on=due
        )

    on_time = add(D(2024, 3, 1), "首付款")
    late = add(D(2024, 4, 1), "第二期")
    overdue = add(today - datetime.timedelta(days=1), "第三期")
    still_open = add(today + datetime.timedelta(days=30), "尾款")
    obligation_complete(user=hr, obligation=on_time, completed_on=D(2024, 3, 1))
    obligation_complete(
        user=hr, obligation=late, completed_on=D(2024, 4, 9), completed_amount=Decimal("100")
    )
    states = {o.description: o.state() for o in Obligation.objects.all()}
    assert states == {"首付款": "on_time", "第二期": "late", "第三期": "overdue", "尾款": "open"}
    assert overdue.state() == "overdue" and still_open.state() == "open"
    assert AuditEntry.objects.filter(action=AuditAction.OBLIGATION_COMPLETE).count() == 2


@pytest.mark.parametrize(
    ("due_on", "message"),
    [
        (D(2024, 1, 1), "The due date is before the contract starts."),
        (D(2025, 1, 1), "The due date is after the contract ends."),
    ],
)
def test_an_obligation_outside_the_contract_period_is_refused(hr, due_on, message):
    contract = make_contract(user=hr)
    with pytest.raises(ValidationError) as error:
        obligation_add(
            user=hr, contract=contract, kind="delivery", description="交货", due_on=due_on
        )
    assert error.value.message_dict["due_on"] == [message]
    assert not Obligation.objects.exists()
    assert revisions_of(contract) == 1


def test_an_amendment_extends_the_period_obligations_may_fall_in(hr):
    contract = make_contract(user=hr)
    contract_amend(
        user=hr,
        contract=contract,
        title="续期",
        signed_on=D(2024, 12, 1),
        effective_on=D(2024, 12, 1),
        summary="续期一年",
        new_ends_on=D(2025, 12, 31),
    )
    obligation_add(
        user=hr, contract=contract, kind="delivery", description="交货", due_on=D(2025, 6, 1)
    )
    assert Obligation.objects.count() == 1


def test_bad_completions_are_refused_and_the_obligation_stays_open(hr):
    contract = make_contract(user=hr)
    obligation = obligation_add(
        user=hr, contract=contract, kind="payment", description="付款", due_on=D(2024, 5, 1)
    )
    future = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as error:
        obligation_complete(user=hr, obligation=obligation, completed_on=future)
    assert error.value.message_dict["completed_on"] == ["The completion date is in the future."]
    with pytest.raises(ValidationError):
        obligation_complete(
            user=hr,
            obligation=obligation,
            completed_on=D(2024, 5, 1),
            completed_amount=Decimal("-5"),
        )
    obligation.refresh_from_db()
    assert obligation.completed_on is None and obligation.completed_amount is None
    obligation_complete(user=hr, obligation=obligation, completed_on=D(2024, 5, 1))
    with pytest.raises(ValidationError) as again:
        obligation_complete(user=hr, obligation=obligation, completed_on=D(2024, 5, 2))
    assert again.value.messages == ["This obligation is already recorded as done."]
