"""Export a regulation to Word (.docx) with real styles, so it can be edited and re-imported.

Chapters and sections use Word's Heading styles (the navigation pane and a table of contents
work), numbers come from block_numbering (the same labels as the web page), and the header,
footer and document-control table carry the facts ISO 9001 §7.5 asks of a controlled copy.
A plain function returning bytes: no request, no page object.
"""

import io

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from policies_content.block_numbering import number_blocks, with_label
from policies_content.importing.document import (
    ParsedBlock,
    ParsedDocument,
    ParsedJobDescription,
)

BODY_FONT = ("Times New Roman", "宋体")
HEADING_FONT = ("Times New Roman", "黑体")
BODY_SIZE = Pt(12)  # 小四
CLAUSE_INDENT = Pt(24)  # two characters of 小四
WATERMARK_GREY = RGBColor(0xBF, 0xBF, 0xBF)
APPROVAL_KEYS = ("prepared_by", "reviewed_by", "approved_by")  # 编制 / 审核 / 批准
SECTION_HEADING = {1: "Heading 2", 2: "Heading 3"}  # deeper sections: Heading 4


def document_to_docx(
    document: ParsedDocument,
    *,
    version: str = "",
    confidentiality: str = "",
    effective_date: str = "",
    approvals: dict[str, str] | None = None,
    watermark: str = "",
) -> bytes:
    """The regulation as .docx bytes.

    ``version`` and ``effective_date``, when given, win over the document's metadata (the
    caller knows the version being exported); ``approvals`` may set prepared_by, reviewed_by
    and approved_by (the people who actually signed in the workflow).
    """
    word = docx.Document()
    _set_up_styles(word)
    section = word.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4

    metadata = dict(document.metadata)
    if version:
        metadata["version"] = version
    if effective_date:
        metadata["effective_date"] = effective_date
    metadata.update({k: v for k, v in (approvals or {}).items() if v and k in APPROVAL_KEYS})

    word.add_paragraph(document.title, style="Title")
    _add_control_table(word, metadata)
    _add_header_footer(word, metadata, confidentiality, watermark)
    _add_body(word, document.blocks)
    for job in document.job_descriptions:
        _add_job_description(word, job)

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _set_fonts(style, fonts: tuple[str, str]) -> None:
    """Explicit Latin and East Asian fonts; theme fonts are removed as Word prefers them."""
    r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        r_fonts.attrib.pop(qn(f"w:{attr}"), None)
    latin, east_asian = fonts
    r_fonts.set(qn("w:ascii"), latin)
    r_fonts.set(qn("w:hAnsi"), latin)
    r_fonts.set(qn("w:eastAsia"), east_asian)


def _set_up_styles(word) -> None:
    normal = word.styles["Normal"]
    _set_fonts(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3", "Heading 4"):
        style = word.styles[name]
        _set_fonts(style, HEADING_FONT)
        style.font.color.rgb = RGBColor(0, 0, 0)  # regulations are printed in black
    for name in ("Title", "Heading 1"):
        word.styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _control_rows(metadata: dict[str, str]) -> list[tuple[str, str]]:
    rows = [("文件编号", metadata.get("document_number", ""))]
    if metadata.get("issuance_number"):
        rows.append(("发文字号", metadata["issuance_number"]))
    rows += [
        ("版本", metadata.get("version", "")),
        ("生效日期", metadata.get("effective_date", "")),
        ("编制", metadata.get("prepared_by", "")),
        ("审核", metadata.get("reviewed_by", "")),
        ("批准", metadata.get("approved_by", "")),
    ]
    if metadata.get("distribution"):
        rows.append(("受文部门", metadata["distribution"]))
    return rows


def _add_control_table(word, metadata: dict[str, str]) -> None:
    _add_table(word, [list(row) for row in _control_rows(metadata)])


def _add_table(word, rows: list[list[str]]) -> None:
    width = max((len(row) for row in rows), default=0)
    if not width:
        return
    table = word.add_table(rows=len(rows), cols=width)
    table.style = word.styles["Table Grid"]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=False):
            cell.text = value


def _add_page_field(paragraph) -> None:
    """A PAGE field (begin / instruction / separate / result / end) that Word recomputes."""

    def field_char(kind: str) -> None:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(element)

    field_char("begin")
    instruction = OxmlElement("w:instrText")
    instruction.set(qn("xml:space"), "preserve")
    instruction.text = " PAGE "
    paragraph.add_run()._r.append(instruction)
    field_char("separate")
    paragraph.add_run("1")  # shown until Word updates the field
    field_char("end")


def _add_header_footer(word, metadata, confidentiality: str, watermark: str) -> None:
    section = word.sections[0]
    header = section.header.paragraphs[0]
    header.text = "  ".join(
        v for v in (metadata.get("document_number"), metadata.get("version")) if v
    )
    if watermark:
        mark = header.add_run(("  " if header.text else "") + watermark)
        mark.font.color.rgb = WATERMARK_GREY

    footer = section.footer
    page = footer.paragraphs[0]
    if confidentiality:
        mark = confidentiality if confidentiality.startswith("密级") else f"密级：{confidentiality}"
        footer.paragraphs[0].text = mark
        page = footer.add_paragraph(style=word.styles["Footer"])
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page.add_run("— ")
    _add_page_field(page)
    page.add_run(" —")


def _add_body(word, blocks: list[ParsedBlock]) -> None:
    styles = {f"Heading {n}": word.styles[f"Heading {n}"] for n in range(1, 5)}
    for label, block, clause_labels in number_blocks(blocks):
        if block.kind == "chapter":
            word.add_paragraph(with_label(label, block.text), style=styles["Heading 1"])
        elif block.kind == "section":
            style = styles[SECTION_HEADING.get(block.level, "Heading 4")]
            word.add_paragraph(with_label(label, block.text), style=style)
        elif block.kind == "article":
            paragraph = word.add_paragraph()
            paragraph.add_run(label).bold = True
            if block.text:
                paragraph.add_run(" " + block.text)
        elif block.kind == "table":
            _add_table(word, block.rows)
        elif block.kind == "clause":
            word.add_paragraph(with_label(label, block.text))
        else:
            for line in block.text.split("\n"):
                if line.strip():
                    word.add_paragraph(line.strip())
        for clause, clause_label in zip(block.clauses, clause_labels, strict=True):
            paragraph = word.add_paragraph(with_label(clause_label, clause.text))
            _indent_two_characters(paragraph)


def _indent_two_characters(paragraph) -> None:
    """Left indent of two characters (w:leftChars), with a fixed fallback for other readers."""
    paragraph.paragraph_format.left_indent = CLAUSE_INDENT
    paragraph._p.get_or_add_pPr().get_or_add_ind().set(qn("w:leftChars"), "200")


def _add_labelled(word, label: str, value: str) -> None:
    if value:
        paragraph = word.add_paragraph()
        paragraph.add_run(f"{label}：").bold = True
        paragraph.add_run(value)


def _add_numbered_list(word, heading: str, items: list[str]) -> None:
    if items:
        word.add_paragraph(heading, style="Heading 2")
        for n, item in enumerate(items, start=1):
            word.add_paragraph(f"{n}. {item}")


def _add_job_description(word, job: ParsedJobDescription) -> None:
    word.add_paragraph(f"岗位说明书：{job.position}", style="Heading 1")
    _add_labelled(word, "直接上级", job.reports_to)
    _add_labelled(word, "岗位目的", job.purpose)
    _add_numbered_list(word, "岗位职责", job.duties)
    if job.education or job.experience or job.skills:
        word.add_paragraph("任职要求", style="Heading 2")
        _add_labelled(word, "学历", job.education)
        _add_labelled(word, "工作经验", job.experience)
        _add_labelled(word, "技能", job.skills)
    _add_numbered_list(word, "考核指标", job.indicators)
