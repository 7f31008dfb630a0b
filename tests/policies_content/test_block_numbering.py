from policies_content.block_numbering import clause_labels, number_blocks, with_label
from policies_content.importing.document import ParsedBlock


def labels(blocks):
    return [label for label, _block, _clauses in number_blocks(blocks)]


def test_articles_are_numbered_continuously_across_chapters():
    blocks = [
        ParsedBlock("chapter", "总则"),
        ParsedBlock("article", "a"),
        ParsedBlock("article", "b"),
        ParsedBlock("chapter", "附则"),
        ParsedBlock("article", "c"),
    ]
    assert labels(blocks) == ["第一章", "第一条", "第二条", "第二章", "第三条"]


def test_twelfth_article_and_chapter_use_chinese_numerals():
    blocks = [ParsedBlock("article", str(i)) for i in range(12)]
    assert labels(blocks)[-1] == "第十二条"


def test_section_levels_reset_deeper_counters():
    blocks = [
        ParsedBlock("section", "范围", level=1),
        ParsedBlock("section", "a", level=2),
        ParsedBlock("section", "b", level=2),
        ParsedBlock("section", "c", level=3),
        ParsedBlock("section", "d", level=4),
        ParsedBlock("section", "职责", level=1),
        ParsedBlock("section", "e", level=2),
        ParsedBlock("section", "f", level=3),
    ]
    assert labels(blocks) == ["一、", "（一）", "（二）", "1.", "（1）", "二、", "（一）", "1."]


def test_top_level_clauses_share_counters_with_sections():
    blocks = [
        ParsedBlock("section", "范围", level=1),
        ParsedBlock("clause", "x", level=2),
        ParsedBlock("clause", "y", level=2),
        ParsedBlock("clause", "z", level=1),
    ]
    assert labels(blocks) == ["一、", "（一）", "（二）", "二、"]


def test_a_chapter_restarts_section_and_clause_numbers():
    blocks = [
        ParsedBlock("chapter", "总则"),
        ParsedBlock("section", "a", level=1),
        ParsedBlock("clause", "b", level=2),
        ParsedBlock("chapter", "职责"),
        ParsedBlock("section", "c", level=1),
        ParsedBlock("clause", "d", level=2),
    ]
    assert labels(blocks) == ["第一章", "一、", "（一）", "第二章", "一、", "（一）"]


def test_level_five_is_a_decimal_sub_number_of_level_three():
    blocks = [
        ParsedBlock("section", "a", level=3),
        ParsedBlock("section", "b", level=5),
        ParsedBlock("section", "c", level=5),
        ParsedBlock("section", "d", level=3),
        ParsedBlock("section", "e", level=5),
    ]
    assert labels(blocks) == ["1.", "1.1", "1.2", "2.", "2.1"]


def test_article_clauses_restart_per_article_and_do_not_touch_outer_counters():
    first = ParsedBlock("article", "a", clauses=[ParsedBlock("clause", "x", level=2)] * 2)
    second = ParsedBlock(
        "article",
        "b",
        clauses=[
            ParsedBlock("clause", "y", level=2),
            ParsedBlock("clause", "z", level=3),
            ParsedBlock("clause", "w", level=2),
        ],
    )
    blocks = [ParsedBlock("section", "s", level=2), first, second, ParsedBlock("clause", "t", 2)]
    numbered = number_blocks(blocks)
    assert numbered[1].clause_labels == ["（一）", "（二）"]
    assert numbered[2].clause_labels == ["（一）", "1.", "（二）"]
    assert numbered[3].label == "（二）"


def test_clauses_without_a_level_read_as_items_of_their_article():
    assert clause_labels([ParsedBlock("clause", "x"), ParsedBlock("clause", "y")]) == [
        "（一）",
        "（二）",
    ]


def test_paragraphs_and_tables_are_unnumbered_and_blocks_are_not_modified():
    blocks = [ParsedBlock("paragraph", "p"), ParsedBlock("table", rows=[["a"]])]
    numbered = number_blocks(blocks)
    assert [(n.label, n.clause_labels) for n in numbered] == [("", []), ("", [])]
    assert numbered[0].block is blocks[0] and blocks[0].text == "p"


def test_labels_join_their_text_as_printed():
    assert with_label("第一章", "总则") == "第一章 总则"
    assert with_label("第一条", "为了") == "第一条 为了"
    assert with_label("一、", "范围") == "一、范围"
    assert with_label("（一）", "x") == "（一）x"
    assert with_label("1.", "范围") == "1.范围"
    assert with_label("1.1", "范围") == "1.1 范围"
    assert with_label("", "正文") == "正文"
