"""The records' PDFs read back: a contract expiry notice from the contract's ledger, and a
destruction list (销毁清单) from its screen, each with its verification code; hidden items on a
list counted, never named."""

import datetime

import pymupdf
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from records.archive_services import (
    appraisal_approve,
    appraisal_record,
    destruction_list_approve,
    destruction_list_create,
    destruction_list_execute,
)
from records.contracts import obligation_add
from records.models import GeneratedDocument
from tests.records import archive_fixtures
from tests.records.contract_helpers import hr_user, make_contract, owner

pytestmark = pytest.mark.django_db

OLD = datetime.date(2012, 4, 1)


def pdf_text(content: bytes) -> str:
    return "".join(p.get_text() for p in pymupdf.open(stream=content, filetype="pdf")).replace(
        "\n", ""
    )


def test_the_contract_expiry_notice_names_the_end_and_the_open_obligations(client):
    hr = hr_user(clearance=3)
    today = timezone.localdate()
    contract = make_contract(
        user=hr,
        title="仓储服务合同",
        counterparty="杭州云仓物流有限公司",
        signed_on=today - datetime.timedelta(days=300),
        starts_on=today - datetime.timedelta(days=290),
        ends_on=today + datetime.timedelta(days=20),
    )
    obligation_add(
        user=hr,
        contract=contract,
        kind="payment",
        description="支付尾款",
        due_on=today + datetime.timedelta(days=10),
        amount=None,
        responsible=owner(),
    )
    client.force_login(hr)
    url = reverse("contract_expiry_notice", args=[contract.pk])
    assert url in client.get(reverse("contract_ledger", args=[contract.pk])).content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    ends = contract.ends_on
    assert "合同到期通知" in text and "仓储服务合同" in text and "杭州云仓物流有限公司" in text
    assert f"{ends.year}年{ends.month}月{ends.day}日" in text and "支付尾款" in text
    assert GeneratedDocument.objects.get(kind="contract_expiry").code in text
    low = hr_user(clearance=0)
    hidden = make_contract(user=hr, title="保密协议", classification=2)
    other = Client()
    other.force_login(low)
    assert other.get(reverse("contract_expiry_notice", args=[hidden.pk])).status_code == 404


def test_the_destruction_list_pdf_lists_what_was_destroyed_and_counts_what_is_hidden():
    hr, admin = archive_fixtures.hr_user(), archive_fixtures.admin_user()  # 秘密 / 绝密
    items = [
        archive_fixtures.file_item(filed_on=OLD, title="2012年度考勤记录", classification=1),
        archive_fixtures.file_item(filed_on=OLD, title="2012年度薪酬台账", classification=3),
    ]
    for item in items:
        appraisal = appraisal_record(item=item, decision="destroy", reason="已无保存价值", user=hr)
        appraisal_approve(appraisal=appraisal, user=admin)
    record = destruction_list_create(items=items, user=admin)
    destruction_list_approve(record=record, user=archive_fixtures.admin_user())  # a second person
    destruction_list_execute(record=record, user=admin)

    client = Client()
    client.force_login(hr)
    screen = reverse("archive_destruction_list", args=[record.pk])
    url = reverse("archive_destruction_list_pdf", args=[record.pk])
    assert url in client.get(screen).content.decode()
    text = pdf_text(client.get(url).content)
    assert "销毁清单" in text and record.number in text
    assert items[0].archival_code in text and "2012年度考勤记录" in text and "已无保存价值" in text
    assert "2012年度薪酬台账" not in text and items[1].archival_code not in text
    assert "另有 1 份超出您密级权限的档案" in text  # the hidden one is only counted
    assert GeneratedDocument.objects.get(kind="destruction_list").code in text
