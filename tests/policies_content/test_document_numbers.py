"""文件编号: allocated from the category's scheme, unique, never reused after deletion."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from policies_content.document_import import ImportFile, documents_import
from policies_content.library import category_page
from policies_content.models import DocumentNumber, DocumentNumberScheme, RegulationPage

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def management():
    return category_page("管理制度")


def add(category, title: str, **fields) -> RegulationPage:
    page = RegulationPage(title=title, **fields)
    category.add_child(instance=page)
    return page


def number_error(page) -> str:
    with pytest.raises(ValidationError) as caught:
        page.full_clean()
    assert "document_number" in caught.value.message_dict, caught.value.message_dict
    return " ".join(caught.value.message_dict["document_number"])


def test_new_pages_are_numbered_from_the_default_scheme(management):
    first = add(management, "考勤管理制度")
    second = add(management, "请假管理办法")
    assert first.document_number == f"ZD-{YEAR}-001"
    assert second.document_number == f"ZD-{YEAR}-002"
    first.refresh_from_db()
    assert first.document_number == f"ZD-{YEAR}-001"  # saved, not only set
    assert DocumentNumber.objects.get(number=f"ZD-{YEAR}-002").page_id == second.pk


def test_a_category_with_its_own_scheme_numbers_from_it(management):
    scheme = DocumentNumberScheme.objects.create(name="发文", pattern="发字〔{year}〕{seq:02}号")
    hr = category_page("人事")
    hr.number_scheme = scheme
    hr.save()
    assert add(hr, "招聘管理制度").document_number == f"发字〔{YEAR}〕01号"
    assert add(hr, "培训管理制度").document_number == f"发字〔{YEAR}〕02号"
    # the default scheme counts on its own
    assert add(management, "印章管理制度").document_number == f"ZD-{YEAR}-001"


def test_a_typed_number_is_kept(management):
    page = add(management, "考勤管理制度", document_number="HM-RS-2025-007")
    assert page.document_number == "HM-RS-2025-007"
    assert DocumentNumber.objects.get(number="HM-RS-2025-007").page_id == page.pk


def test_numbers_of_deleted_documents_are_never_reused(management):
    add(management, "考勤管理制度")
    doomed = add(management, "请假管理办法")
    deleted_number = doomed.document_number
    assert deleted_number == f"ZD-{YEAR}-002"
    doomed.delete()

    assert add(management, "加班管理办法").document_number == f"ZD-{YEAR}-003"
    retyped = RegulationPage(title="出差管理办法", slug="chuchai", document_number=deleted_number)
    assert deleted_number in number_error(retyped)
    with pytest.raises(ValidationError):
        add(management, "出差管理办法", document_number=deleted_number)
    assert not RegulationPage.objects.filter(document_number=deleted_number).exists()


def test_a_duplicate_typed_number_is_refused_naming_the_holder(management):
    holder = add(management, "考勤管理制度", document_number="HM-RS-2025-001")
    duplicate = RegulationPage(
        title="请假管理办法", slug="qingjia", document_number="HM-RS-2025-001"
    )
    message = number_error(duplicate)
    assert "考勤管理制度" in message and "HM-RS-2025-001" in message
    with pytest.raises(ValidationError):
        add(management, "请假管理办法", document_number="HM-RS-2025-001")
    assert list(RegulationPage.objects.filter(document_number="HM-RS-2025-001")) == [holder]
    # the holder itself may be saved again with its own number
    holder.full_clean()


def test_an_import_does_not_take_the_number_of_a_deleted_document(management):
    doomed = add(management, "保密管理规定", document_number="BM-2020-001")
    doomed.delete()
    text = "保密管理规定\n文件编号:BM-2020-001\n第一条 员工应保守公司秘密。\n"

    run = documents_import(files=[ImportFile("保密.txt", text.encode())])

    assert not RegulationPage.objects.filter(document_number="BM-2020-001").exists()
    assert DocumentNumber.objects.get(number="BM-2020-001").page_id is None
    file = run.report["files"][0]
    said = file["error"] + " ".join(w for d in file["documents"] for w in d["warnings"])
    assert "BM-2020-001" in said  # HR are told why the number was not used
