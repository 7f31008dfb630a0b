"""parse_file on small texts written here: structure, cleaning, encodings, metadata.

What is asserted is what HR would see on the imported page: the numbered blocks and their
text (numbers are generated, never part of the text).
"""

import codecs

import pytest

from policies_content.importing.cleaning import strip_pinyin
from policies_content.importing.parser import parse_file
from policies_content.stream import canonical_text


def parse(text: str, *, name: str = "制度.txt", encoding: str = "utf-8"):
    result = parse_file(name=name, data=text.encode(encoding))
    assert result.error == ""
    return result.documents


def only(text: str, **kwargs):
    documents = parse(text, **kwargs)
    assert len(documents) == 1, [d.title for d in documents]
    return documents[0]


def shape(document) -> list[tuple]:
    """(kind, level, text, [clause texts]) per block."""
    return [
        (block.kind, block.level, block.text, [clause.text for clause in block.clauses])
        for block in document.blocks
    ]


# --- chapters, articles, clauses, sections --------------------------------------------------


def test_chapters_and_articles_written_on_one_line():
    document = only(
        "考勤管理制度\n"
        "第一章 总则 第一条 为了规范考勤，制定本制度。第二条 本制度适用于全体员工。\n"
        "第二章 考勤第三条 员工应按时上下班。\n"
    )
    assert document.title == "考勤管理制度"
    assert shape(document) == [
        ("chapter", 0, "总则", []),
        ("article", 0, "为了规范考勤，制定本制度。", []),
        ("article", 0, "本制度适用于全体员工。", []),
        ("chapter", 0, "考勤", []),
        ("article", 0, "员工应按时上下班。", []),
    ]
    assert "第三条 员工应按时上下班。" in canonical_text(document)


def test_clauses_inside_articles_keep_their_level_and_text():
    document = only(
        "考勤管理制度\n"
        "第一条 员工有下列情形之一的，按旷工处理：（一）未请假缺勤的；（二）请假未批准的。\n"
        "第二条 迟到处理如下：\n"
        "1. 迟到十分钟以内的，口头警告；\n"
        "2. 迟到十分钟以上的，记旷工半天。\n"
    )
    assert shape(document) == [
        ("article", 0, "员工有下列情形之一的，按旷工处理：", ["未请假缺勤的；", "请假未批准的。"]),
        (
            "article",
            0,
            "迟到处理如下：",
            ["迟到十分钟以内的，口头警告；", "迟到十分钟以上的，记旷工半天。"],
        ),
    ]
    assert [c.level for c in document.blocks[0].clauses] == [2, 2]
    assert [c.level for c in document.blocks[1].clauses] == [3, 3]
    text = canonical_text(document)
    # canonical text is NFKC-normalised: （二） reads (二), ， reads ,
    assert "(二)请假未批准的。" in text
    assert "2.迟到十分钟以上的,记旷工半天。" in text


def test_numbered_sections_with_sub_items_outside_articles():
    document = only(
        "请假管理办法\n"
        "一、总则\n"
        "为规范请假，特制定本办法。\n"
        "二、请假类别\n"
        "（一）事假\n"
        "员工因私事请假的，按事假处理。\n"
        "（二）病假：员工因病请假的，须提供医院证明。\n"
    )
    assert shape(document) == [
        ("section", 1, "总则", []),
        ("paragraph", 0, "为规范请假，特制定本办法。", []),
        ("section", 1, "请假类别", []),
        ("section", 2, "事假", []),
        ("paragraph", 0, "员工因私事请假的，按事假处理。", []),
        ("clause", 2, "病假：员工因病请假的，须提供医院证明。", []),
    ]
    assert "(二)病假:员工因病请假的" in canonical_text(document)


@pytest.mark.parametrize(
    "sentence",
    [
        "本制度版本为V1.0，自发布之日起施行。",
        "法定节假日加班的，按2.5倍计算加班工资。",
        "公司实行统一、规范的考勤管理。",
        "各部门应当按照统一、规范的要求执行，具体办法另行规定。",
    ],
    ids=["version-V1.0", "factor-2.5", "tongyi-guifan-1", "tongyi-guifan-2"],
)
def test_numbers_inside_a_sentence_are_not_item_markers(sentence):
    in_article = only(f"考勤管理制度\n第一条 {sentence}\n第二条 本制度由人事部负责解释。\n")
    assert shape(in_article)[0] == ("article", 0, sentence, [])
    under_heading = only(
        f"考勤管理制度\n一、总则\n{sentence}\n二、附则\n本制度由人事部负责解释。\n"
    )
    assert shape(under_heading)[:2] == [("section", 1, "总则", []), ("paragraph", 0, sentence, [])]


@pytest.mark.parametrize(
    "sentence",
    [
        "员工请假应填写附表(1)所列的请假单，经批准后生效。",
        "请假单格式见附件（一），由人事部统一印制。",
    ],
    ids=["ascii-1", "fullwidth-yi"],
)
def test_a_bracketed_reference_inside_a_sentence_does_not_start_a_clause(sentence):
    document = only(f"考勤管理制度\n第一条 {sentence}\n第二条 本制度自发布之日起施行。\n")
    assert shape(document)[0] == ("article", 0, sentence, [])


def test_short_numbered_items_keep_their_full_stop():
    document = only("考勤管理制度\n一、工作纪律\n1. 不得迟到。\n2. 不得早退。\n")
    assert shape(document) == [
        ("section", 1, "工作纪律", []),
        ("clause", 3, "不得迟到。", []),
        ("clause", 3, "不得早退。", []),
    ]


def test_a_numbered_sentence_continued_on_the_next_line_is_an_item_not_a_heading():
    # 是源…电子商务管理制度 has exactly this: 6、办公时间不得…办私事。/上班时间不得…
    document = only(
        "考勤管理制度\n"
        "一、工作纪律\n"
        "1. 员工不得利用公司电话办私事。\n"
        "上班时间不得从事与工作无关的事情。\n"
        "2. 工作时间不得擅自离岗，确有需要的须向主管报告。\n"
    )
    kinds = [(block.kind, block.level) for block in document.blocks]
    assert kinds == [("section", 1), ("clause", 3), ("clause", 3)]
    assert document.blocks[1].text == (
        "员工不得利用公司电话办私事。\n上班时间不得从事与工作无关的事情。"
    )


# --- cleaning -------------------------------------------------------------------------------


def test_pinyin_annotations_are_stripped_only_after_han_characters_with_tone_marks():
    assert strip_pinyin("運(yùn)營") == "運營"
    assert strip_pinyin("運（yùn）營和律(lǜ)师") == "運營和律师"
    assert strip_pinyin("搜索引擎优化(SEO)") == "搜索引擎优化(SEO)"
    assert strip_pinyin("接口(api)和的(de)") == "接口(api)和的(de)"  # no tone mark
    assert strip_pinyin("abc(yùn)") == "abc(yùn)"  # not after a Han character

    document = only(
        "電商運(yùn)營管理制度\n一、引言\n規範電商運(yùn)營(yíng)行為，推廣搜索引擎優化(SEO)。\n"
    )
    assert document.title == "電商運營管理制度"
    assert shape(document)[1] == ("paragraph", 0, "規範電商運營行為，推廣搜索引擎優化(SEO)。", [])


def test_broken_line_wraps_are_joined():
    document = only(
        "电商部人员规章制度\n"
        "一、工作时间。\n"
        "1. 电商部门人员工作时间为每周五天,每天工作8小时,具体\n"
        "工作时间由部门负责人统一安排。\n"
        "2. 电商部门人员必须按时上下班,不得擅自迟到早退,如有特\n"
        "殊情况需请假,需提前向部门负责人请假并得到批准。\n"
    )
    clauses = [block.text for block in document.blocks if block.kind == "clause"]
    assert clauses == [
        "电商部门人员工作时间为每周五天,每天工作8小时,具体工作时间由部门负责人统一安排。",
        "电商部门人员必须按时上下班,不得擅自迟到早退,如有特殊情况需请假,需提前向部门负责人请假并得到批准。",
    ]


def test_page_markers_and_download_site_lines_are_removed():
    document = only(
        "电商运营部招商销售人员管理制度1.doc\n"
        "- 格式:doc\n"
        "- 大小:66.50 KB\n"
        "- 文档页数:3\n"
        "电商部人员规章制度_第1页\n"
        "电商部人员规章制度\n"
        "一、工作时间\n"
        "员工每天工作8小时。\n"
        "电商部人员规章制度_第2页\n"
        "二、工作纪律\n"
        "员工必须保守公司商业秘密。\n"
        "下载本文档\n"
    )
    assert document.title == "电商部人员规章制度"
    text = canonical_text(document)
    for junk in ("格式", "大小", "文档页数", "_第", ".doc", "下载本文档"):
        assert junk not in text
    assert text.splitlines() == [
        "电商部人员规章制度",
        "一、工作时间",
        "员工每天工作8小时。",
        "二、工作纪律",
        "员工必须保守公司商业秘密。",
    ]


# --- encodings and Markdown -----------------------------------------------------------------

SIMPLE = "考勤管理制度\n第一条 员工应按时上班，不得迟到早退。\n"


@pytest.mark.parametrize(
    "data",
    [
        SIMPLE.encode("gbk"),
        SIMPLE.encode("gb18030"),
        codecs.BOM_UTF8 + SIMPLE.encode("utf-8"),
        SIMPLE.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["gbk", "gb18030", "utf-8 with BOM", "crlf"],
)
def test_text_encodings_are_decoded(data):
    result = parse_file(name="考勤.txt", data=data)
    assert result.error == ""
    [document] = result.documents
    assert document.title == "考勤管理制度"  # no BOM or mojibake in the title
    assert shape(document) == [("article", 0, "员工应按时上班，不得迟到早退。", [])]


def test_markdown_headings_and_pipe_tables():
    document = only(
        "# 考勤管理制度\n"
        "\n"
        "## 第一章 总则\n"
        "\n"
        "第一条 为规范考勤，制定本制度。\n"
        "\n"
        "| 岗位 | 职责 |\n"
        "| --- | --- |\n"
        "| 主管 | 审批请假 |\n"
        "\n"
        "## 第二章 附则\n"
        "\n"
        "第二条 本制度自**发布之日**起施行。\n",
        name="考勤.md",
    )
    assert document.title == "考勤管理制度"
    assert shape(document) == [
        ("chapter", 0, "总则", []),
        ("article", 0, "为规范考勤，制定本制度。", []),
        ("table", 0, "", []),
        ("chapter", 0, "附则", []),
        ("article", 0, "本制度自发布之日起施行。", []),
    ]
    assert document.blocks[2].rows == [["岗位", "职责"], ["主管", "审批请假"]]


# --- document-control data ------------------------------------------------------------------


def test_metadata_lines_become_fields_and_blanks_stay_blank():
    document = only(
        "是源考勤管理制度\n"
        "文件编号:SY-HR-2011-001\n"
        "版本:V1.0\n"
        "编制:\n"
        "审核:______\n"
        "批准:王五\n"
        "生效日期:2011年2月24日\n"
        "第一条 员工应按时上班。\n"
    )
    assert document.metadata == {
        "document_number": "SY-HR-2011-001",
        "version": "V1.0",
        "approved_by": "王五",
        "effective_date": "2011-02-24",
    }
    assert "prepared_by" not in document.metadata and "reviewed_by" not in document.metadata
    # the control lines are not body text
    assert canonical_text(document).splitlines() == ["是源考勤管理制度", "第一条 员工应按时上班。"]


def test_issuance_number_between_title_and_text():
    document = only("电子商务管理制度发字[2020]01号第一章总则第一条为规范电子商务，制定本制度。\n")
    assert document.title == "电子商务管理制度"
    assert document.metadata == {"issuance_number": "发字[2020]01号"}
    assert shape(document) == [
        ("chapter", 0, "总则", []),
        ("article", 0, "为规范电子商务，制定本制度。", []),
    ]


def test_several_regulations_in_one_file_are_separate_documents():
    documents = parse(
        "考勤管理制度\n第一条 员工应按时上班。\n"
        "费用报销管理办法\n第一条 报销须附发票。\n第二条 报销由财务部审核。\n"
    )
    assert [(d.title, len(d.blocks)) for d in documents] == [
        ("考勤管理制度", 1),
        ("费用报销管理办法", 2),
    ]
