"""document_to_docx, checked by opening the result with python-docx and with read_docx."""

import io

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from policies_content.importing.document import (
    ParsedBlock,
    ParsedDocument,
    ParsedJobDescription,
)
from policies_content.importing.docx_reader import read_docx
from policies_content.word_export import document_to_docx


@pytest.fixture
def regulation():
    return ParsedDocument(
        title="考勤管理制度",
        metadata={
            "document_number": "HR-2024-001",
            "version": "V1.0",
            "prepared_by": "张三",
            "distribution": "全体员工",
        },
        blocks=[
            ParsedBlock("chapter", "总则"),
            ParsedBlock(
                "article",
                "员工有下列情形之一的，按旷工处理：",
                clauses=[
                    ParsedBlock("clause", "未请假缺勤的"),
                    ParsedBlock("clause", "请假未批准的"),
                ],
            ),
            ParsedBlock("article", "本制度适用于全体员工。"),
            ParsedBlock("chapter", "考勤"),
            ParsedBlock("section", "打卡", level=1),
            ParsedBlock("clause", "上班打卡", level=2),
            ParsedBlock("paragraph", "第一段\n第二段"),
            ParsedBlock("table", rows=[["岗位", "职责"], ["主管", "<script>x</script>"]]),
            ParsedBlock("article", "本制度自发布之日起施行。"),
        ],
        job_descriptions=[
            ParsedJobDescription(
                "电商主管",
                reports_to="运营总监",
                purpose="提升销售",
                duties=["制定运营计划", "管理团队"],
                education="本科",
                indicators=["销售额"],
            )
        ],
    )


def export(document, **kwargs):
    return docx.Document(io.BytesIO(document_to_docx(document, **kwargs)))


def paragraphs(word):
    return [(p.style.name, p.text) for p in word.paragraphs]


def test_title_chapters_and_sections_use_word_styles(regulation):
    styled = paragraphs(export(regulation))
    assert styled[0] == ("Title", "考勤管理制度")
    assert ("Heading 1", "第一章 总则") in styled
    assert ("Heading 1", "第二章 考勤") in styled
    assert ("Heading 2", "一、打卡") in styled
    assert ("Normal", "（一）上班打卡") in styled


def test_articles_start_with_a_bold_number_and_continue_across_chapters(regulation):
    word = export(regulation)
    articles = [p for p in word.paragraphs if p.text.startswith("第") and "条" in p.text[:5]]
    assert [p.text for p in articles] == [
        "第一条 员工有下列情形之一的，按旷工处理：",
        "第二条 本制度适用于全体员工。",
        "第三条 本制度自发布之日起施行。",
    ]
    first_run = articles[0].runs[0]
    assert first_run.text == "第一条" and first_run.bold
    assert not articles[0].runs[1].bold


def test_article_clauses_are_indented_and_numbered_per_article(regulation):
    word = export(regulation)
    clauses = [p for p in word.paragraphs if p.text.startswith("（")]
    assert [p.text for p in clauses[:2]] == ["（一）未请假缺勤的", "（二）请假未批准的"]
    assert clauses[0].paragraph_format.left_indent is not None
    assert clauses[0].paragraph_format.left_indent.cm == pytest.approx(0.85, abs=0.15)


def test_paragraphs_split_on_newlines_and_tables_keep_text_literally(regulation):
    word = export(regulation)
    texts = [p.text for p in word.paragraphs]
    assert "第一段" in texts and "第二段" in texts
    body_table = word.tables[1]
    assert body_table.style.name == "Table Grid"
    assert body_table.cell(1, 1).text == "<script>x</script>"


def test_document_control_table_follows_the_title(regulation):
    word = export(regulation, effective_date="2024-05-01", approvals={"approved_by": "李四"})
    body = word.element.body
    assert body[0].tag == qn("w:p") and body[1].tag == qn("w:tbl")
    table = word.tables[0]
    assert table.style.name == "Table Grid"
    rows = {row.cells[0].text: row.cells[1].text for row in table.rows}
    assert rows["文件编号"] == "HR-2024-001"
    assert rows["版本"] == "V1.0"
    assert rows["生效日期"] == "2024-05-01"
    assert rows["编制"] == "张三"
    assert rows["审核"] == ""
    assert rows["批准"] == "李四"
    assert rows["受文部门"] == "全体员工"
    assert "发文字号" not in rows


def test_version_argument_wins_over_metadata(regulation):
    rows = {
        r.cells[0].text: r.cells[1].text for r in export(regulation, version="V2.0").tables[0].rows
    }
    assert rows["版本"] == "V2.0"


def test_header_footer_carry_number_version_mark_and_a_page_field(regulation):
    word = export(regulation, confidentiality="内部", watermark="受控副本")
    section = word.sections[0]
    header = section.header.paragraphs[0]
    assert "HR-2024-001" in header.text and "V1.0" in header.text
    assert header.runs[-1].text.strip() == "受控副本"
    assert header.runs[-1].font.color.rgb is not None
    footer_xml = section.footer._element.xml
    assert "密级：内部" in footer_xml
    assert "PAGE" in "".join(section.footer._element.itertext())
    assert 'w:fldCharType="begin"' in footer_xml and 'w:fldCharType="end"' in footer_xml
    page = section.footer.paragraphs[-1]
    assert page.text.startswith("— ") and page.text.endswith(" —")
    assert page.alignment == WD_ALIGN_PARAGRAPH.CENTER


def test_chinese_fonts_are_set_on_normal_and_headings(regulation):
    word = export(regulation)
    normal = word.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "宋体"
    assert normal.get(qn("w:ascii")) == "Times New Roman"
    heading = word.styles["Heading 1"].element.rPr.rFonts
    assert heading.get(qn("w:eastAsia")) == "黑体"
    assert heading.get(qn("w:eastAsiaTheme")) is None  # a theme font would override it


def test_job_descriptions_follow_the_body(regulation):
    styled = paragraphs(export(regulation))
    start = styled.index(("Heading 1", "岗位说明书：电商主管"))
    tail = styled[start:]
    assert ("Normal", "直接上级：运营总监") in tail
    assert ("Normal", "岗位目的：提升销售") in tail
    assert tail.index(("Heading 2", "岗位职责")) < tail.index(("Normal", "1. 制定运营计划"))
    assert ("Normal", "2. 管理团队") in tail
    assert ("Heading 2", "任职要求") in tail and ("Normal", "学历：本科") in tail
    assert tail.index(("Heading 2", "考核指标")) < tail.index(("Normal", "1. 销售额"))


def test_issuance_number_row_appears_when_present():
    document = ParsedDocument("通知", metadata={"issuance_number": "电商字〔2024〕3号"})
    rows = {r.cells[0].text: r.cells[1].text for r in export(document).tables[0].rows}
    assert rows["发文字号"] == "电商字〔2024〕3号"
    assert rows["文件编号"] == ""


def test_round_trip_through_the_reader_keeps_numbers_and_order(regulation):
    lines = read_docx(document_to_docx(regulation))
    texts = [line.text for line in lines if line.text]
    expected = [
        "考勤管理制度",
        "第一章 总则",
        "第一条 员工有下列情形之一的，按旷工处理：",
        "（一）未请假缺勤的",
        "（二）请假未批准的",
        "第二条 本制度适用于全体员工。",
        "第二章 考勤",
        "一、打卡",
        "（一）上班打卡",
        "第一段",
        "第二段",
        "第三条 本制度自发布之日起施行。",
    ]
    assert texts[: len(expected)] == expected
    by_text = {line.text: line for line in lines}
    assert by_text["考勤管理制度"].heading == 1
    assert by_text["第一章 总则"].heading == 2
    assert by_text["一、打卡"].heading == 3
    assert by_text["第一条 员工有下列情形之一的，按旷工处理："].bold_prefix == "第一条"
    tables = [line.table for line in lines if line.table]
    assert tables[1] == [["岗位", "职责"], ["主管", "<script>x</script>"]]


def test_a_thousand_articles_export():
    document = ParsedDocument(
        "大型制度",
        blocks=[
            ParsedBlock("article", f"条文{i}", clauses=[ParsedBlock("clause", "款")])
            for i in range(1000)
        ],
    )
    word = docx.Document(io.BytesIO(document_to_docx(document)))
    assert word.paragraphs[-2].text == "第一千条 条文999"
