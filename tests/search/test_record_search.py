"""Contracts and archive items in search: found by their words (and the text of a contract's
scans) by those who keep them and by auditors, never by staff or above anyone's clearance;
a hit opens a read-only page of the record; the index follows every change; search_check
covers them."""

import datetime
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from records.contracts import contract_attachment_add, obligation_add
from records.filing import archive_file
from records.roles import AUDITOR, STAFF
from search.backends import get_backend
from search.service import search_for_user
from tests.factories import DepartmentFactory, EmployeeFactory
from tests.records.contract_helpers import hr_user, make_contract, owner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_index():
    get_backend().clear()
    yield
    get_backend().clear()


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run what the signals enqueue after commit (the index tasks run inline)."""

    def run(make):
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return run


def auditor(clearance=2):
    return EmployeeFactory(clearance=clearance, user__roles=[AUDITOR]).user


def staff(clearance=4):
    return EmployeeFactory(clearance=clearance, user__roles=[STAFF]).user


def numbers(results):
    return {hit.entry.document_number for hit in results.hits}


def pdf_with_text(text: str) -> bytes:
    """A one-page PDF with a text layer (Helvetica, ASCII)."""
    content = f"BT /F1 18 Tf 20 100 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def docx_with_text(text: str) -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_contract_is_found_by_keepers_and_auditors_and_opens_read_only(client, indexed):
    hr = hr_user(clearance=3)
    contract = indexed(
        lambda: make_contract(user=hr, counterparty="杭州云仓物流有限公司", classification=1)
    )
    for user in (hr, auditor()):
        found = search_for_user(user=user, query="云仓物流")
        assert numbers(found) == {contract.contract_number}
        assert found.hits[0].entry.kind == "contract"
    assert search_for_user(user=staff(), query="云仓物流").total == 0

    url = search_for_user(user=auditor(), query="云仓物流").hits[0].entry.url
    assert url == reverse("record_contract", args=[contract.pk])
    client.force_login(auditor())
    page = client.get(url).content.decode()
    assert contract.contract_number in page and "杭州云仓物流有限公司" in page
    client.force_login(staff())
    assert client.get(url).status_code == 404


def test_the_level_still_applies_to_contracts(indexed):
    hr = hr_user(clearance=3)
    secret = indexed(lambda: make_contract(user=hr, counterparty="机密供应商", classification=3))
    assert search_for_user(user=auditor(clearance=2), query="机密供应商").total == 0
    assert numbers(search_for_user(user=auditor(clearance=3), query="机密供应商")) == {
        secret.contract_number
    }


def test_ledger_entries_amendments_and_scans_are_searchable(indexed):
    hr = hr_user(clearance=3)
    contract = indexed(lambda: make_contract(user=hr))
    indexed(
        lambda: obligation_add(
            user=hr,
            contract=contract,
            kind="delivery",
            description="第二批冷链设备交付",
            due_on=datetime.date(2024, 5, 1),
            amount=None,
            responsible=owner(),
        )
    )
    indexed(
        lambda: contract_attachment_add(
            user=hr,
            contract=contract,
            upload=SimpleUploadedFile("scan.docx", docx_with_text("逾期交货按日支付违约金")),
            title="合同正本扫描件",
        )
    )
    indexed(
        lambda: contract_attachment_add(
            user=hr,
            contract=contract,
            upload=SimpleUploadedFile("annex.pdf", pdf_with_text("Penalty clause PX7731")),
            title="英文附件",
        )
    )
    keeper = hr
    assert numbers(search_for_user(user=keeper, query="冷链设备")) == {contract.contract_number}
    scan = search_for_user(user=keeper, query="违约金")
    assert scan.hits[0].entry.label == "合同正本扫描件"
    assert "<mark>违约金</mark>" in scan.hits[0].snippet_html
    assert search_for_user(user=keeper, query="PX7731").hits[0].entry.label == "英文附件"


def test_deleting_a_contract_removes_it_from_the_index(indexed):
    hr = hr_user(clearance=3)
    contract = indexed(lambda: make_contract(user=hr, counterparty="一次性供应商"))
    assert search_for_user(user=hr, query="一次性供应商").total == 1
    indexed(contract.delete)
    assert search_for_user(user=hr, query="一次性供应商").total == 0
    assert f"contract:{contract.pk}" not in get_backend().keys_by_source()


def test_an_archive_item_is_found_by_its_filed_text(client, indexed):
    department = DepartmentFactory(code="ZH")
    item = indexed(
        lambda: archive_file(
            source=EmployeeFactory(department=department),
            title="2019年度仓库盘点记录",
            category_code="WS",
            retention="D10",
            department=department,
            classification=1,
            snapshot={"text": "年终盘点发现冷库温控记录缺失三天。"},
        )
    )
    found = search_for_user(user=auditor(), query="温控记录")
    assert numbers(found) == {item.archival_code}
    assert found.facets["kind"] == {"archive": 1}
    assert search_for_user(user=staff(), query="温控记录").total == 0
    client.force_login(auditor())
    page = client.get(found.hits[0].entry.url).content.decode()
    assert item.archival_code in page and "冷库温控记录缺失" in page


def test_search_check_covers_records(indexed):
    hr = hr_user(clearance=3)
    contract = indexed(lambda: make_contract(user=hr, counterparty="漂移测试公司"))
    get_backend().delete_source(f"contract:{contract.pk}")
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("search_check", stdout=out)
    assert failed.value.returncode == 1
    assert contract.contract_number in out.getvalue()
    call_command("search_check", "--fix", stdout=io.StringIO(), stderr=io.StringIO())
    assert search_for_user(user=hr, query="漂移测试公司").total == 1
