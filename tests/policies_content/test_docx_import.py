"""Word files in and out: automatic numbering, round trips through page_to_docx, size."""

import docx
import pytest

from policies_content.document_import import ImportFile, documents_import
from policies_content.importing.document import ParsedBlock, ParsedDocument
from policies_content.importing.parser import parse_file
from policies_content.models import JobDescriptionPage, RegulationPage
from policies_content.stream import canonical_text, page_to_parsed
from policies_content.word import page_to_docx
from policies_content.word_export import document_to_docx
from tests.docx_builders import add_list, numbered, to_bytes

SHIYUAN = "是源医学科技(深圳)有限公司电子商务管理制度"


ARTICLES = [
    "为了规范员工考勤管理，根据国家有关规定，制定本制度。",
    "员工有下列情形之一的，按旷工处理：",
    "本制度适用于公司全体员工。",
    "员工应按公司规定的时间上下班。",
    "迟到、早退按下列规定处理：",
    "请假须提前一个工作日申请。",
    "病假须提供医院证明。",
    "年休假按国家规定执行。",
    "加班须经部门负责人批准。",
    "考勤记录由人事部每月汇总。",
    "违反本制度的，按员工奖惩规定处理。",
    "本制度自发布之日起施行。",
]
CLAUSES = {
    1: ["未经批准擅自缺勤的；", "请假期满未续假的；", "伪造请假证明的。"],
    4: ["迟到十分钟以内的，口头警告；", "迟到十分钟以上的，记旷工半天。"],
}


def word_regulation_with_automatic_numbers() -> bytes:
    """第X条 and （X） come from Word's numbering, not from the paragraph text."""
    document = docx.Document()
    document.add_paragraph("考勤管理制度", style="Title")
    num = add_list(
        document,
        70,
        [("chineseCounting", "第%1条", 1), ("chineseCounting", "（%2）", 1)],
        num_id=70,
    )
    for index, text in enumerate(ARTICLES):
        numbered(document, text, num)
        for clause in CLAUSES.get(index, []):
            numbered(document, clause, num, ilvl=1)
    return to_bytes(document)


def test_automatic_word_numbering_imports_as_articles_and_clauses():
    result = parse_file(name="考勤管理制度.docx", data=word_regulation_with_automatic_numbers())
    assert result.error == ""
    [document] = result.documents
    assert document.title == "考勤管理制度"
    assert [block.kind for block in document.blocks] == ["article"] * len(ARTICLES)
    assert [block.text for block in document.blocks] == ARTICLES  # numbers are not text
    assert [[c.text for c in block.clauses] for block in document.blocks] == [
        CLAUSES.get(index, []) for index in range(len(ARTICLES))
    ]
    text = canonical_text(document).splitlines()  # NFKC: （三） reads (三)
    assert text[1] == "第一条 为了规范员工考勤管理,根据国家有关规定,制定本制度。"
    assert "(三)伪造请假证明的。" in text
    assert text[-1] == "第十二条 本制度自发布之日起施行。"


@pytest.mark.django_db
def test_automatic_word_numbering_through_the_import_service():
    run = documents_import(
        files=[ImportFile("考勤管理制度.docx", word_regulation_with_automatic_numbers())]
    )
    [report] = run.report["files"][0]["documents"]
    assert (report["action"], report["articles"], report["chapters"]) == ("created", 12, 0)
    page = RegulationPage.objects.get(pk=report["page_id"])
    articles = [block.value for block in page.body if block.block_type == "article"]
    assert [article["text"] for article in articles] == ARTICLES
    assert [c["text"] for c in articles[1]["clauses"]] == CLAUSES[1]


# --- round trips ----------------------------------------------------------------------------


def assert_round_trip(page) -> bytes:
    """The page exported to Word and read back is the same document."""
    data = page_to_docx(page)
    result = parse_file(name="x.docx", data=data)
    assert result.error == ""
    assert len(result.documents) == 1, [d.title for d in result.documents]
    [document] = result.documents
    assert canonical_text(document) == canonical_text(page_to_parsed(page)), page.title
    assert document.metadata.get("document_number") == page.document_number
    return data


@pytest.mark.django_db
def test_every_demo_document_survives_a_word_round_trip():
    from zhidu.demo.loader import demo_load

    demo_load()
    pages = [
        *RegulationPage.objects.order_by("pk"),
        *JobDescriptionPage.objects.order_by("pk"),
    ]
    assert len(pages) >= 8
    exported = [(page.title, assert_round_trip(page)) for page in pages]

    run = documents_import(files=[ImportFile(f"{title}.docx", data) for title, data in exported])
    actions = [(d["title"], d["action"]) for f in run.report["files"] for d in f["documents"]]
    assert actions == [(page.title, "unchanged") for page in pages]
    assert run.error_count == 0


@pytest.mark.django_db
def test_an_imported_seed_regulation_survives_a_word_round_trip(seeds_dir):
    path = next(iter(sorted(seeds_dir.glob("000_*.txt"))))
    documents_import(files=[ImportFile(path.name, path.read_bytes())])
    page = RegulationPage.objects.get(title=SHIYUAN).get_latest_revision_as_object()
    assert page.document_number == "SYCW2010--005"
    data = assert_round_trip(page)

    pages = RegulationPage.objects.count() + JobDescriptionPage.objects.count()
    run = documents_import(files=[ImportFile("是源.docx", data)])
    report, *job_descriptions = run.report["files"][0]["documents"]
    assert (report["title"], report["action"], report["page_id"]) == (
        SHIYUAN,
        "unchanged",
        page.pk,
    )
    # its job descriptions are found again in the body, and recognised too
    assert len(job_descriptions) == 6
    assert {d["action"] for d in job_descriptions} == {"unchanged"}
    assert (run.created_count, run.updated_count) == (0, 0)
    assert RegulationPage.objects.count() + JobDescriptionPage.objects.count() == pages


def test_a_thousand_articles_survive_export_and_reimport():
    blocks = []
    for chapter in range(10):
        blocks.append(ParsedBlock("chapter", f"分则{'甲乙丙丁戊己庚辛壬癸'[chapter]}"))
        for n in range(100):
            clauses = [ParsedBlock("clause", "应当书面报告；", level=2)] if n % 10 == 0 else []
            blocks.append(
                ParsedBlock(
                    "article", f"本条规定第{chapter * 100 + n + 1}项事务。", clauses=clauses
                )
            )
    document = ParsedDocument(
        title="大型综合管理制度", blocks=blocks, metadata={"document_number": "BIG-001"}
    )
    result = parse_file(name="big.docx", data=document_to_docx(document))
    assert result.error == ""
    [back] = result.documents
    assert sum(block.kind == "article" for block in back.blocks) == 1000
    assert sum(block.kind == "chapter" for block in back.blocks) == 10
    assert canonical_text(back) == canonical_text(document)
    assert "第一千条 本条规定第1000项事务。" in canonical_text(back)
