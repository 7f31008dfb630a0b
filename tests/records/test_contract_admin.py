"""The contract screens in the admin: list, add and edit with a reason, history, the performance
ledger, the overdue list, attachments — and the access policy on every one of them."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from records.contracts import contract_amend, contract_attachment_add, obligation_add
from records.models import AuditAction, AuditEntry, Contract, ContractAttachment, Obligation
from records.roles import AUDITOR, STAFF
from tests.factories import DepartmentFactory, EmployeeFactory, UserFactory
from tests.records.contract_helpers import D, hr_user, make_contract, owner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_language_after():
    """Requests by an English-speaking user leave English active in this thread: reset it."""
    yield
    translation.deactivate()


LIST = reverse("wagtailsnippets_records_contract:list")
ADD = reverse("wagtailsnippets_records_contract:add")
PDF = b"%PDF-1.4\n% scanned contract\n"


def edit_url(contract):
    return reverse("wagtailsnippets_records_contract:edit", args=[contract.pk])


def history_url(contract):
    return reverse("wagtailsnippets_records_contract:history", args=[contract.pk])


def ledger_url(contract):
    return reverse("contract_ledger", args=[contract.pk])


@pytest.fixture
def hr():
    return hr_user(clearance=3)


@pytest.fixture
def hr_client(client, hr):
    client.force_login(hr)
    return client


def form_data(department, person, **changes):
    data = {
        "contract_number": "",
        "title": "物流配送服务合同",
        "contract_type": "service",
        "counterparty": "顺达物流有限公司",
        "department": department.pk,
        "owner": person.pk,
        "amount": "120000.00",
        "currency": "CNY",
        "signed_on": "2024-03-01",
        "starts_on": "2024-03-01",
        "ends_on": "2025-02-28",
        "late_signing_note": "",
        "renewal_terms": "期满前30日书面通知续约",
        "terminated_on": "",
        "termination_reason": "",
        "classification": "1",
        "related_regulations-TOTAL_FORMS": "0",
        "related_regulations-INITIAL_FORMS": "0",
        "related_regulations-MIN_NUM_FORMS": "0",
        "related_regulations-MAX_NUM_FORMS": "1000",
        "change_reason": "新签物流合同",
    }
    data.update(changes)
    return data


def test_hr_sees_the_contract_list_and_menu(hr_client, hr):
    make_contract(user=hr, title="年度办公用品采购合同")
    response = hr_client.get(LIST)
    assert response.status_code == 200
    text = response.content.decode()
    assert "年度办公用品采购合同" in text and "HM-HT-2024-0001" in text
    assert "Performance ledger" in text
    dashboard = hr_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Contracts" in dashboard and "Contract statistics" in dashboard


def test_hr_adds_a_contract_and_the_history_shows_who_when_why(hr_client, hr):
    department, person = DepartmentFactory(), owner()
    form = hr_client.get(ADD)
    assert form.status_code == 200 and "Reason for change" in form.content.decode()
    response = hr_client.post(ADD, form_data(department, person))
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = Contract.objects.get()
    assert contract.contract_number == "HM-HT-2024-0001"
    assert contract.status == "expired"
    response = hr_client.post(
        edit_url(contract),
        form_data(
            department,
            person,
            contract_number=contract.contract_number,
            amount="130000",
            change_reason="金额调整：增加配送点",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    history = hr_client.get(history_url(contract)).content.decode()
    assert "新签物流合同" in history and "金额调整：增加配送点" in history
    assert "Reason for change" in history


def test_an_edit_without_a_reason_is_refused(hr_client, hr):
    contract = make_contract(user=hr)
    form = hr_client.get(edit_url(contract)).content.decode()
    assert "办公用品采购合同" in form and "Performance ledger" in form
    data = form_data(
        contract.department,
        contract.owner,
        contract_number=contract.contract_number,
        change_reason="",
    )
    response = hr_client.post(edit_url(contract), data)
    assert response.status_code == 200
    assert contract.revisions.count() == 1
    assert Contract.objects.get().title == "办公用品采购合同"


def test_a_duplicate_number_in_the_form_is_refused_with_nothing_written(hr_client, hr):
    existing = make_contract(user=hr)
    response = hr_client.post(
        ADD,
        form_data(existing.department, existing.owner, contract_number=existing.contract_number),
    )
    assert response.status_code == 200
    assert "A contract with this number already exists." in response.content.decode()
    assert Contract.objects.count() == 1


def test_bad_dates_in_the_form_are_refused_with_nothing_written(hr_client):
    response = hr_client.post(ADD, form_data(DepartmentFactory(), owner(), ends_on="2024-01-01"))
    assert response.status_code == 200
    assert "The end date is before the start date." in response.content.decode()
    assert not Contract.objects.exists()


def test_the_ledger_shows_versions_states_and_records_a_completion(hr_client, hr):
    today = timezone.localdate()
    contract = make_contract(user=hr, ends_on=D(2099, 12, 31))
    contract_amend(
        user=hr,
        contract=contract,
        title="增加采购品类",
        signed_on=D(2024, 5, 1),
        effective_on=D(2024, 5, 1),
        summary="增加打印耗材",
        amount_change=Decimal("2000"),
    )
    overdue = obligation_add(
        user=hr,
        contract=contract,
        kind="delivery",
        description="第一批交货",
        due_on=today - datetime.timedelta(days=3),
    )
    page = hr_client.get(ledger_url(contract))
    assert page.status_code == 200
    text = page.content.decode()
    for expected in ("Original contract", "Amendment 1", "增加打印耗材", "第一批交货", "Overdue"):
        assert expected in text
    response = hr_client.post(
        ledger_url(contract),
        {
            "action": "complete",
            "complete-obligation": overdue.pk,
            "complete-completed_on": today.isoformat(),
            "complete-note": "签收单已扫描",
        },
    )
    assert response.status_code == 302
    overdue.refresh_from_db()
    assert overdue.state() == "late"
    assert "Done late" in hr_client.get(ledger_url(contract)).content.decode()


def test_a_bad_ledger_entry_shows_the_error_and_writes_nothing(hr_client, hr):
    contract = make_contract(user=hr)
    response = hr_client.post(
        ledger_url(contract),
        {
            "action": "obligation",
            "obligation-kind": "payment",
            "obligation-description": "尾款",
            "obligation-due_on": "2026-01-01",
            "obligation-amount": "500",
        },
    )
    assert response.status_code == 400
    assert "The due date is after the contract ends." in response.content.decode()
    assert not Obligation.objects.exists()


def test_the_overdue_list_spans_contracts(hr_client, hr):
    contract = make_contract(user=hr, ends_on=D(2099, 12, 31))
    obligation_add(
        user=hr, contract=contract, kind="payment", description="逾期的付款", due_on=D(2024, 6, 1)
    )
    obligation_add(
        user=hr, contract=contract, kind="payment", description="未到期的付款", due_on=D(2099, 6, 1)
    )
    text = hr_client.get(reverse("contract_overdue")).content.decode()
    assert "逾期的付款" in text and "未到期的付款" not in text


def test_attachments_upload_and_download(hr_client, hr):
    contract = make_contract(user=hr)
    upload = SimpleUploadedFile("合同扫描件.pdf", PDF, content_type="application/pdf")
    response = hr_client.post(
        ledger_url(contract), {"action": "attach", "attach-title": "签字页", "attach-file": upload}
    )
    assert response.status_code == 302
    attachment = ContractAttachment.objects.get()
    download = hr_client.get(reverse("contract_attachment", args=[attachment.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF


def test_a_file_of_the_wrong_type_is_refused_with_nothing_written(hr_client, hr):
    contract = make_contract(user=hr)
    upload = SimpleUploadedFile("macro.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = hr_client.post(ledger_url(contract), {"action": "attach", "attach-file": upload})
    assert response.status_code == 400
    assert "Only PDF, JPG, PNG and DOCX files can be attached." in response.content.decode()
    assert not ContractAttachment.objects.exists()


def test_a_contract_above_the_users_clearance_is_a_404_everywhere(client, hr):
    secret = make_contract(user=hr, title="高管劳动合同", contract_type="labour")  # 秘密
    open_one = make_contract(user=hr, title="普通采购合同")
    obligation_add(
        user=hr, contract=secret, kind="payment", description="保密付款", due_on=D(2024, 6, 1)
    )
    attachment = contract_attachment_add(
        user=hr, contract=secret, upload=SimpleUploadedFile("scan.pdf", PDF)
    )
    low = hr_user(clearance=1)
    client.force_login(low)
    for url in (
        edit_url(secret),
        history_url(secret),
        ledger_url(secret),
        reverse("contract_attachment", args=[attachment.pk]),
        reverse("wagtailsnippets_records_contract:delete", args=[secret.pk]),
    ):
        assert client.get(url).status_code == 404, url
    listing = client.get(LIST).content.decode()
    assert "普通采购合同" in listing and "高管劳动合同" not in listing
    assert "保密付款" not in client.get(reverse("contract_overdue")).content.decode()
    assert client.get(edit_url(open_one)).status_code == 200


def test_viewing_a_secret_contract_is_in_the_audit_trail(hr_client, hr):
    secret = make_contract(user=hr, title="高管劳动合同", contract_type="labour")  # 秘密
    plain = make_contract(user=hr, title="普通采购合同")
    assert hr_client.get(ledger_url(secret)).status_code == 200
    assert hr_client.get(ledger_url(plain)).status_code == 200
    views = AuditEntry.objects.filter(action=AuditAction.VIEW_CONFIDENTIAL)
    assert list(views.values_list("object_id", "actor")) == [(str(secret.pk), hr.pk)]


def test_need_to_know_limits_a_contract_to_its_departments(client, hr):
    legal = DepartmentFactory(name="法务组")
    contract = make_contract(user=hr, title="并购保密协议", contract_type="nda", classification=1)
    contract.need_to_know = [legal]
    contract.save()
    outsider = hr_user(clearance=3)
    client.force_login(outsider)
    assert client.get(ledger_url(contract)).status_code == 404
    insider = UserFactory(roles=[*hr.groups.values_list("name", flat=True)])
    EmployeeFactory(user=insider, department=legal, clearance=3)
    client.force_login(insider)
    assert client.get(ledger_url(contract)).status_code == 200


def test_auditors_and_staff_never_reach_the_contract_admin(client, hr):
    contract = make_contract(user=hr)
    auditor = UserFactory(roles=[AUDITOR])
    EmployeeFactory(user=auditor, clearance=4)
    staff = UserFactory(roles=[STAFF])
    EmployeeFactory(user=staff, clearance=4)
    for person in (auditor, staff):
        client.force_login(person)
        for url in (LIST, ledger_url(contract), reverse("contract_statistics")):
            response = client.get(url)
            assert response.status_code in (302, 403), (person, url, response.status_code)
            assert "办公用品采购合同" not in response.content.decode()
