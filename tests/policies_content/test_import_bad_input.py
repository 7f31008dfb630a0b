"""Files that must not import: each is reported with a reason, nothing of it is kept, and the
good files of the same run still import. Markup in a Word file stays text and is escaped."""

import io
import random
import zipfile

import docx
import pytest
from django.core.management import call_command
from wagtail.models import Page

from policies_content.document_import import ImportFile, documents_import
from policies_content.library import category_page
from policies_content.models import (
    DocumentNumber,
    JobDescriptionPage,
    NearDuplicate,
    RegulationPage,
)
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
GOOD_TEXT = "考勤管理制度\n第一条 员工应按时上班，不得迟到早退。\n第二条 本制度自发布之日起施行。\n"
GOOD = ImportFile("考勤管理制度.txt", GOOD_TEXT.encode())


def zip_of_zeros(size_mb: int) -> bytes:
    """A small zip whose one member inflates to ``size_mb`` MB (a zip bomb)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<x/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(MB)
            for _ in range(size_mb):
                member.write(chunk)
    return out.getvalue()


def binary_noise() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(4096) + bytes(64)


def errors_by_name(run) -> dict[str, str]:
    return {file["name"]: file["error"] for file in run.report["files"]}


def bad_files() -> list[tuple[ImportFile, str]]:
    """(file, a fragment its message must contain: the essential fact, in Chinese)."""
    return [
        (ImportFile("加密.docx", OLE + bytes(512) + b"EncryptedPackage" + bytes(512)), "密码"),
        (ImportFile("损坏.docx", random.Random(3).randbytes(8192)), "损坏"),
        (ImportFile("炸弹.docx", zip_of_zeros(300)), "200"),
        (ImportFile("图片.txt", binary_noise()), "二进制"),
        (ImportFile("巨大.txt", GOOD_TEXT.encode() * 10, size=100 * MB), "100"),
        (ImportFile("空白.txt", b""), "空"),
        (ImportFile("扫描件.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"), ".pdf"),
    ]


def test_each_bad_file_is_reported_and_the_good_file_still_imports():
    bad = bad_files()
    files = [file for file, _fragment in bad]
    run = documents_import(files=[*files[:3], GOOD, *files[3:]])

    errors = errors_by_name(run)
    for file, fragment in bad:
        assert errors[file.name], f"{file.name}: no error reported"
        assert fragment in errors[file.name], (file.name, errors[file.name])
    assert errors[GOOD.name] == ""
    for file in run.report["files"]:
        if file["name"] != GOOD.name:
            assert file["documents"] == [], file["name"]
    assert (run.error_count, run.created_count) == (len(bad), 1)
    assert list(RegulationPage.objects.values_list("title", flat=True)) == ["考勤管理制度"]


def test_the_size_limit_message_states_both_sizes():
    run = documents_import(files=[ImportFile("巨大.txt", b"x" * 10, size=100 * MB)])
    message = errors_by_name(run)["巨大.txt"]
    assert "100.0" in message and "20.0" in message


def test_a_file_over_the_size_limit_is_refused_before_it_is_parsed(monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("a file over the limit was read")

    for target in (
        "policies_content.importing.parser.read_text",
        "policies_content.importing.parser.read_markdown",
        "policies_content.importing.docx_reader.read_docx",
    ):
        monkeypatch.setattr(target, must_not_run)
    head = (GOOD_TEXT.encode() * (21 * MB // len(GOOD_TEXT.encode()) + 1))[: 21 * MB]
    run = documents_import(
        files=[
            ImportFile("巨大.txt", head, size=100 * MB),
            ImportFile("巨大.docx", b"PK\x03\x04" + bytes(1024), size=100 * MB),
        ]
    )
    errors = errors_by_name(run)
    assert all("100.0" in error for error in errors.values()), errors  # refused by its size
    assert not RegulationPage.objects.exists()


def test_the_command_refuses_a_100_mb_file_and_imports_the_rest(tmp_path):
    huge = tmp_path / "巨大.txt"
    with huge.open("wb") as handle:
        handle.write(GOOD_TEXT.encode())
        handle.truncate(100 * MB)  # sparse: no 100 MB written to disk
    good = tmp_path / GOOD.name
    good.write_bytes(GOOD.data)
    out = io.StringIO()

    call_command("import_documents", str(huge), str(good), stdout=out, stderr=io.StringIO())

    text = out.getvalue()
    assert "【巨大.txt】" in text
    refusal = text.split("【巨大.txt】", 1)[1].splitlines()[1]
    assert "未导入" in refusal and "100.0" in refusal
    assert "《考勤管理制度》" in text
    assert text.rstrip().splitlines()[-1].endswith("出错文件 1。")
    assert list(RegulationPage.objects.values_list("title", flat=True)) == ["考勤管理制度"]


def test_a_file_that_fails_half_way_leaves_nothing_behind(monkeypatch):
    """The second regulation of a file cannot be written: the first one of the same file must
    not stay either, and the run goes on with the next files."""
    from policies_content import document_import

    real = document_import._new_regulation

    def failing(document, report):
        if document.title == "财务管理制度":
            raise RuntimeError("磁盘已满")
        return real(document, report)

    monkeypatch.setattr(document_import, "_new_regulation", failing)
    documents = Page.objects.type(RegulationPage, JobDescriptionPage)
    pages, numbers = documents.count(), DocumentNumber.objects.count()
    leave = "请假管理办法\n第一条 员工请假须提前申请。\n第二条 病假须提供医院证明。\n"
    mixed = leave + "财务管理制度\n第一条 会计应当如实核算。\n"

    run = documents_import(
        files=[
            ImportFile("两份制度.txt", mixed.encode()),
            GOOD,
            ImportFile("请假.txt", leave.encode()),  # the rolled-back rule, on its own
        ]
    )

    errors = errors_by_name(run)
    assert "磁盘已满" in errors["两份制度.txt"], errors
    assert run.report["files"][0]["documents"] == []
    assert errors[GOOD.name] == errors["请假.txt"] == ""
    # nothing of the failed file: 请假管理办法 exists once, from 请假.txt, as a new page
    assert [d["action"] for d in run.report["files"][2]["documents"]] == ["created"]
    assert sorted(RegulationPage.objects.values_list("title", flat=True)) == sorted(
        ["考勤管理制度", "请假管理办法"]
    )
    assert documents.count() == pages + 2
    assert DocumentNumber.objects.filter(page__isnull=False).count() == numbers + 2
    assert not NearDuplicate.objects.exists()
    assert (run.error_count, run.created_count) == (1, 2)


def test_a_number_held_by_another_document_is_not_taken():
    holder = JobDescriptionPage(title="会计岗位说明书", slug="kuaiji", document_number="HR-GW-001")
    category_page("岗位说明书").add_child(instance=holder)
    text = "财务管理制度\n文件编号:HR-GW-001\n第一条 会计应当如实核算。\n"

    run = documents_import(files=[ImportFile("财务.txt", text.encode())])

    document = run.report["files"][0]["documents"][0]
    assert document["action"] == "created"
    assert any("HR-GW-001" in w and "会计岗位说明书" in w for w in document["warnings"])
    page = RegulationPage.objects.get(title="财务管理制度")
    assert page.document_number and page.document_number != "HR-GW-001"
    holder.refresh_from_db()
    assert holder.document_number == "HR-GW-001"


# --- markup inside a Word file --------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
BOLD = "<b>粗体</b>"


def word_with_markup() -> bytes:
    document = docx.Document()
    document.add_paragraph("网络安全管理制度", style="Title")
    paragraph = document.add_paragraph("第一条 禁止在系统中运行")
    paragraph.add_run(SCRIPT)
    paragraph.add_run("之类的脚本。")
    paragraph = document.add_paragraph("第二条 重要内容用")
    paragraph.add_run(BOLD).bold = True
    paragraph.add_run("标出。")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def published_markup_page(client):
    run = documents_import(files=[ImportFile("网络安全.docx", word_with_markup())])
    assert run.created_count == 1
    page = RegulationPage.objects.get()
    page.get_latest_revision().publish()
    page.refresh_from_db()
    client.force_login(EmployeeFactory(clearance=page.classification).user)
    response = client.get(page.url)
    assert response.status_code == 200
    return page, response.content.decode()


def test_markup_in_a_word_file_is_shown_escaped(client):
    _page, html = published_markup_page(client)
    assert "&lt;script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "&lt;b&gt;粗体&lt;/b&gt;" in html
    assert "<b>粗体" not in html


def test_markup_in_a_word_file_is_kept_as_text(client):
    page, html = published_markup_page(client)
    articles = [block.value for block in page.body if block.block_type == "article"]
    assert [article["text"] for article in articles] == [
        f"禁止在系统中运行{SCRIPT}之类的脚本。",
        f"重要内容用{BOLD}标出。",
    ]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
