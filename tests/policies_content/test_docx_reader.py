"""read_docx on .docx files built here with python-docx (numbering XML written by hand)."""

import io
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from policies_content.importing.docx_reader import MAX_UNCOMPRESSED, DocxReadError, read_docx
from tests.docx_builders import add_list, numbered, to_bytes

# %N in w:lvlText is level N's counter, so the second level (ilvl 1) prints %2.
ARTICLE_LIST = [("chineseCounting", "第%1条", 1), ("chineseCounting", "（%2）", 1)]


def test_automatic_article_and_clause_numbers_are_read_as_word_prints_them():
    document = docx.Document()
    num = add_list(document, 90, ARTICLE_LIST, num_id=90)
    numbered(document, "为了规范考勤，制定本制度。", num)
    numbered(document, "迟到", num, ilvl=1)
    numbered(document, "早退", num, ilvl=1)
    numbered(document, "本制度适用于全体员工。", num)
    numbered(document, "旷工", num, ilvl=1)
    for i in range(3, 13):
        numbered(document, f"条文{i}", num)

    lines = read_docx(to_bytes(document))

    assert [line.numbering for line in lines[:5]] == [
        "第一条",
        "（一）",
        "（二）",
        "第二条",
        "（一）",
    ]
    assert lines[0].text == "为了规范考勤，制定本制度。"  # the number is not part of the text
    assert lines[-1].numbering == "第十二条"
    assert lines[-1].text == "条文12"


@pytest.mark.parametrize(
    ("levels", "ilvls", "expected"),
    [
        ([("chineseCounting", "%1、", 1)], [0, 0], ["一、", "二、"]),
        ([("decimal", "%1.", 1)], [0, 0, 0], ["1.", "2.", "3."]),
        (
            [("decimal", "%1.", 1), ("decimal", "%1.%2", 1)],
            [0, 1, 1, 0, 1],
            ["1.", "1.1", "1.2", "2.", "2.1"],
        ),
        ([("decimalEnclosedCircle", "%1", 1)], [0, 0], ["①", "②"]),
        ([("lowerLetter", "%1)", 1)], [0, 0], ["a)", "b)"]),
        ([("upperRoman", "%1.", 1)], [0, 0, 0, 0], ["I.", "II.", "III.", "IV."]),
        ([("chineseCountingThousand", "第%1章", 1)], [0, 0], ["第一章", "第二章"]),
        ([("bullet", "\u2022", 1)], [0], [""]),
        ([("decimal", "%1.", 5)], [0, 0], ["5.", "6."]),
    ],
)
def test_number_formats(levels, ilvls, expected):
    document = docx.Document()
    num = add_list(document, 91, levels, num_id=91)
    for i, ilvl in enumerate(ilvls):
        numbered(document, f"item {i}", num, ilvl)
    assert [line.numbering for line in read_docx(to_bytes(document))] == expected


def test_lists_sharing_an_abstract_list_continue_unless_restarted():
    document = docx.Document()
    first = add_list(document, 92, [("decimal", "%1.", 1)], num_id=92)
    same = add_list(document, 92, [], num_id=93)
    restarted = add_list(document, 92, [], num_id=94, overrides={0: 1})
    numbered(document, "a", first)
    numbered(document, "b", first)
    numbered(document, "c", same)
    numbered(document, "d", restarted)
    numbered(document, "e", restarted)
    assert [line.numbering for line in read_docx(to_bytes(document))] == [
        "1.",
        "2.",
        "3.",
        "1.",
        "2.",
    ]


def test_empty_numbered_paragraphs_count_but_are_not_returned():
    document = docx.Document()
    num = add_list(document, 95, [("decimal", "%1.", 1)], num_id=95)
    numbered(document, "a", num)
    numbered(document, "", num)
    numbered(document, "c", num)
    lines = read_docx(to_bytes(document))
    assert [(line.numbering, line.text) for line in lines] == [("1.", "a"), ("3.", "c")]


def test_unresolvable_numbering_gives_no_number():
    document = docx.Document()
    numbered(document, "dangling", 4711)
    broken = add_list(document, 96, [("decimal", "%1.", 1)], num_id=96)
    # point the num at a missing abstract list
    for num in document.part.numbering_part.element.findall(qn("w:num")):
        if num.get(qn("w:numId")) == str(broken):
            num.find(qn("w:abstractNumId")).set(qn("w:val"), "999")
    numbered(document, "broken", broken)
    lines = read_docx(to_bytes(document))
    assert [(line.text, line.numbering) for line in lines] == [("dangling", ""), ("broken", "")]


def test_headings_come_from_styles_and_outline_levels():
    document = docx.Document()
    document.add_paragraph("考勤管理制度", style="Title")
    document.add_paragraph("第一章 总则", style="Heading 1")
    document.add_paragraph("一、范围", style="Heading 2")
    document.add_paragraph("细则", style="Heading 3")
    outlined = document.add_paragraph("大纲段落")
    outlined._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    document.add_paragraph("正文")
    lines = read_docx(to_bytes(document))
    assert [(line.text, line.heading) for line in lines] == [
        ("考勤管理制度", 1),
        ("第一章 总则", 2),
        ("一、范围", 3),
        ("细则", 4),
        ("大纲段落", 3),
        ("正文", None),
    ]


def test_tables_are_read_in_place_between_paragraphs_and_merged_cells_once():
    document = docx.Document()
    document.add_paragraph("before")
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "岗位"
    table.cell(0, 1).text = "职责"
    table.cell(0, 1).merge(table.cell(0, 2))
    table.cell(1, 0).text = "主管"
    table.cell(1, 1).text = "管理\n考核"
    table.cell(1, 2).text = " 其他 "
    document.add_paragraph("after")
    lines = read_docx(to_bytes(document))
    assert [line.text for line in lines] == ["before", "", "after"]
    assert lines[1].table == [["岗位", "职责"], ["主管", "管理\n考核", "其他"]]


def test_bold_prefix_is_the_leading_bold_text():
    document = docx.Document()
    paragraph = document.add_paragraph()
    paragraph.add_run("第一条").bold = True
    paragraph.add_run(" 为了规范管理。")
    styled = document.add_paragraph()
    styled.add_run("注意：", style="Strong")
    styled.add_run("按时打卡")
    plain = document.add_paragraph()
    plain.add_run("普通")
    plain.add_run("加粗").bold = True
    lines = read_docx(to_bytes(document))
    assert [(line.text, line.bold_prefix) for line in lines] == [
        ("第一条 为了规范管理。", "第一条"),
        ("注意：按时打卡", "注意："),
        ("普通加粗", ""),
    ]


def test_hyperlink_text_is_part_of_the_paragraph():
    document = docx.Document()
    paragraph = document.add_paragraph("详见")
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="rId99">'
            "<w:r><w:t>员工手册</w:t></w:r></w:hyperlink>"
        )
    )
    paragraph.add_run("。")
    assert read_docx(to_bytes(document))[0].text == "详见员工手册。"


def test_markup_in_text_stays_literal_text():
    document = docx.Document()
    document.add_paragraph("<script>alert(1)</script>")
    assert read_docx(to_bytes(document))[0].text == "<script>alert(1)</script>"


def test_blank_paragraphs_are_skipped():
    document = docx.Document()
    document.add_paragraph("  ")
    document.add_paragraph("正文")
    assert [line.text for line in read_docx(to_bytes(document))] == ["正文"]


# --- files that must be refused -------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refused(data: bytes) -> str:
    with pytest.raises(DocxReadError) as caught:
        read_docx(data)
    assert caught.value.message
    assert str(caught.value) == caught.value.message
    return caught.value.message


def test_encrypted_word_files_are_refused_with_a_password_hint():
    message = refused(OLE + b"\0" * 512 + b"EncryptedPackage" + b"\0" * 512)
    assert "encrypted" in message or "密码" in message or "加密" in message


def test_legacy_doc_files_are_refused_with_a_save_as_hint():
    message = refused(OLE + b"\0" * 2048 + b"WordDocument")
    assert ".docx" in message


def test_random_bytes_are_refused_as_damaged():
    message = refused(b"this is not a word file at all" * 10)
    assert "damaged" in message or "损坏" in message


def test_a_zip_without_a_word_document_is_refused_as_damaged():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("junk.txt", "hello")
        archive.writestr("word/junk.bin", b"\x00\x01")
    message = refused(out.getvalue())
    assert "damaged" in message or "损坏" in message


def test_a_docx_with_broken_xml_is_refused_as_damaged():
    source = zipfile.ZipFile(io.BytesIO(to_bytes(docx.Document())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "word/document.xml":
                data = b"<w:document><w:body><w:p>"
            archive.writestr(member, data)
    message = refused(out.getvalue())
    assert "damaged" in message or "损坏" in message


def zip_of_zeros(size_mb: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<x/>")
        with archive.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size_mb):
                member.write(chunk)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = zip_of_zeros(300)
    assert len(bomb) < 2 * 1024 * 1024
    message = refused(bomb)
    assert str(MAX_UNCOMPRESSED // (1024 * 1024)) in message


def test_a_highly_compressed_member_is_refused_even_under_the_total_limit():
    refused(zip_of_zeros(20))


def test_too_many_members_are_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for i in range(10_001):
            archive.writestr(f"m/{i}", b"")
    assert "200" in refused(out.getvalue())


def test_numbering_can_come_from_the_paragraph_style():
    document = docx.Document()
    num = add_list(document, 97, ARTICLE_LIST, num_id=97)
    style = document.styles.add_style("制度条款", WD_STYLE_TYPE.PARAGRAPH)
    style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="{num}"/></w:numPr>')
    )
    document.add_paragraph("a", style=style)
    document.add_paragraph("b", style=style)
    assert [line.numbering for line in read_docx(to_bytes(document))] == ["第一条", "第二条"]


def test_paragraphs_inside_content_controls_and_numbered_cells_are_read():
    document = docx.Document()
    num = add_list(document, 98, [("decimal", "%1.", 1)], num_id=98)
    numbered(document, "first", num)
    table = document.add_table(rows=1, cols=1)
    cell_paragraph = table.cell(0, 0).paragraphs[0]
    cell_paragraph.add_run("in a cell")
    cell_paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num}"/></w:numPr>')
    )
    wrapped = document.add_paragraph("inside a content control")
    sdt = parse_xml(f"<w:sdt {nsdecls('w')}><w:sdtPr/><w:sdtContent/></w:sdt>")
    wrapped._p.addprevious(sdt)
    sdt.find(qn("w:sdtContent")).append(wrapped._p)
    numbered(document, "third", num)
    lines = read_docx(to_bytes(document))
    assert lines[1].table == [["2.in a cell"]]
    assert [(line.text, line.numbering) for line in lines if not line.table] == [
        ("first", "1."),
        ("inside a content control", ""),
        ("third", "3."),
    ]
