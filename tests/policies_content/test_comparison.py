import json

from django.template.loader import render_to_string

from policies_content.comparison import compare_documents
from policies_content.importing.document import ParsedBlock, ParsedDocument
from policies_content.stream import parsed_from_dict, parsed_to_dict

ATTENDANCE = [
    ("a1", "为规范公司考勤管理，制定本制度。"),
    ("a2", "本制度适用于公司全体员工。"),
    ("a3", "员工每月26天为满勤，满勤者发放全勤奖。"),
    ("a4", "迟到三次按旷工半天处理。"),
    ("a5", "请假须提前一天提交书面申请，经部门经理批准。"),
    ("a6", "本制度由人力资源部负责解释。"),
]


def article(uid, text, clauses=()):
    return ParsedBlock(
        "article",
        text,
        uid=uid,
        clauses=[
            ParsedBlock("clause", c, level=2, uid=f"{uid}-{i}") for i, c in enumerate(clauses)
        ],
    )


def document(articles, title="考勤管理制度", with_uids=True):
    blocks = [article(uid if with_uids else "", text) for uid, text in articles]
    return ParsedDocument(title=title, blocks=blocks)


def by_text(comparison):
    return {(c.new_text or c.old_text): c for c in comparison.changes}


def test_an_inserted_article_is_added_and_the_renumbered_ones_after_it_are_not_changed():
    new = list(ATTENDANCE)
    new.insert(2, ("n1", "员工上下班须打卡。"))

    comparison = compare_documents(document(ATTENDANCE), document(new))

    assert [c.kind for c in comparison.changes] == [
        "unchanged",
        "unchanged",
        "added",
        "unchanged",
        "unchanged",
        "unchanged",
        "unchanged",
    ]
    added = comparison.changes[2]
    assert (added.new_label, added.new_text) == ("第三条", "员工上下班须打卡。")
    last = comparison.changes[-1]
    assert (last.old_label, last.new_label) == ("第六条", "第七条")


def test_a_moved_article_is_moved_not_removed_and_added():
    new = [ATTENDANCE[i] for i in (0, 1, 3, 4, 2, 5)]

    comparison = compare_documents(document(ATTENDANCE), document(new))

    moved = by_text(comparison)["员工每月26天为满勤，满勤者发放全勤奖。"]
    assert moved.kind == "moved"
    assert (moved.old_label, moved.new_label) == ("第三条", "第五条")
    assert comparison.counts() == {
        "added": 0,
        "removed": 0,
        "changed": 0,
        "moved": 1,
        "unchanged": 5,
    }


def test_an_edited_article_highlights_whole_words():
    new = list(ATTENDANCE)
    new[2] = ("a3", "员工每月22天为满勤，满勤者发放全勤奖。")

    comparison = compare_documents(document(ATTENDANCE), document(new))

    change = comparison.changes[2]
    assert change.kind == "changed"
    assert change.new_label == "第三条"
    assert ("delete", "26") in change.segments
    assert ("insert", "22") in change.segments
    assert [op for op, _text in change.segments].count("insert") == 1
    # The untouched words around the number are shown as they are.
    assert "".join(t for op, t in change.segments if op != "insert") == ATTENDANCE[2][1]
    assert "".join(t for op, t in change.segments if op != "delete") == new[2][1]


def test_a_rewritten_article_is_changed_when_its_block_id_is_kept():
    new = list(ATTENDANCE)
    new[3] = ("a4", "每月累计迟到超过三十分钟的，扣发当月绩效工资。")

    comparison = compare_documents(document(ATTENDANCE), document(new))

    change = comparison.changes[3]
    assert (change.kind, change.old_label, change.new_label) == ("changed", "第四条", "第四条")
    assert comparison.counts()["added"] == comparison.counts()["removed"] == 0


def test_an_edited_clause_is_reported_inside_its_article():
    old = ParsedDocument(
        "考勤管理制度",
        [article("a1", "考勤规定如下：", ["每月26天为满勤；", "迟到三次按旷工半天处理。"])],
    )
    new = ParsedDocument(
        "考勤管理制度",
        [article("a1", "考勤规定如下：", ["每月22天为满勤；", "迟到三次按旷工半天处理。"])],
    )

    comparison = compare_documents(old, new)

    (change,) = comparison.changes
    assert change.kind == "changed"
    assert [(c.kind, c.new_label) for c in change.clauses] == [
        ("changed", "（一）"),
        ("unchanged", "（二）"),
    ]
    assert ("insert", "22") in change.clauses[0].segments
    assert comparison.changed == 1


def test_a_clause_inserted_first_renumbers_the_others_without_changing_them():
    clauses = ["每月26天为满勤；", "迟到三次按旷工半天处理。"]
    old = ParsedDocument("考勤管理制度", [article("a1", "考勤规定如下：", clauses)])
    new = ParsedDocument("考勤管理制度", [article("a1", "考勤规定如下：", clauses)])
    new.blocks[0].clauses.insert(0, ParsedBlock("clause", "上下班须打卡；", level=2, uid="new"))

    (change,) = compare_documents(old, new).changes

    assert change.kind == "changed"
    assert [(c.kind, c.old_label, c.new_label) for c in change.clauses] == [
        ("added", "", "（一）"),
        ("unchanged", "（一）", "（二）"),
        ("unchanged", "（二）", "（三）"),
    ]


def test_a_removed_article_keeps_its_old_label_and_place():
    new = [a for a in ATTENDANCE if a[0] != "a4"]

    comparison = compare_documents(document(ATTENDANCE), document(new))

    removed = comparison.changes[3]
    assert removed.kind == "removed"
    assert (removed.old_label, removed.new_label) == ("第四条", "")
    assert removed.old_text == "迟到三次按旷工半天处理。"
    assert comparison.changes[4].kind == "unchanged"
    assert comparison.changes[4].new_label == "第四条"


def test_without_uids_articles_are_matched_by_text_and_similarity():
    new = [ATTENDANCE[i] for i in (0, 1, 3, 2, 4)]  # a6 removed, a3/a4 swapped
    new[1] = ("", "本制度适用于公司全体正式员工及试用期员工。")
    new.append(("", "本制度自发布之日起施行。"))

    comparison = compare_documents(
        document(ATTENDANCE, with_uids=False), document(new, with_uids=False)
    )

    kinds = {(c.new_text or c.old_text): c.kind for c in comparison.changes}
    assert kinds["本制度适用于公司全体正式员工及试用期员工。"] == "changed"
    assert kinds["本制度由人力资源部负责解释。"] == "removed"
    assert kinds["本制度自发布之日起施行。"] == "added"
    assert sorted(kinds[ATTENDANCE[i][1]] for i in (2, 3)) == ["moved", "unchanged"]
    assert "本制度适用于公司全体员工。" not in kinds  # reported once, as the changed article


def test_renumbered_text_with_new_uids_is_still_the_same_article():
    """A draft re-imported from Word has fresh block ids: the text still identifies articles."""
    new = [(f"x{i}", text) for i, (_uid, text) in enumerate(ATTENDANCE)]

    comparison = compare_documents(document(ATTENDANCE), document(new))

    assert comparison.counts()["unchanged"] == len(ATTENDANCE)


def test_full_width_and_spacing_differences_are_not_changes():
    old = document([("a1", "每月26天为满勤。")])
    new = document([("b1", "每月 ２６ 天为满勤。")])

    assert compare_documents(old, new).changes[0].kind == "unchanged"


def test_to_dict_is_json_ready_and_counts_match_the_changes():
    new = list(ATTENDANCE)
    new[2] = ("a3", "员工每月22天为满勤，满勤者发放全勤奖。")
    del new[3]
    new.append(("n1", "本制度自发布之日起施行。"))
    new[0], new[1] = new[1], new[0]
    old_doc = parsed_from_dict(parsed_to_dict(document(ATTENDANCE)))

    data = json.loads(json.dumps(compare_documents(old_doc, document(new)).to_dict()))

    kinds = [change["kind"] for change in data["changes"]]
    assert data["counts"] == {
        "added": 1,
        "removed": 1,
        "changed": 1,
        "moved": 1,
        "unchanged": 3,
    }
    assert data["counts"] == {kind: kinds.count(kind) for kind in data["counts"]}
    changed = next(c for c in data["changes"] if c["kind"] == "changed")
    assert ["insert", "22"] in changed["segments"]


def test_the_fragment_shows_changes_with_ins_and_del_and_escapes_text():
    old = document([*ATTENDANCE, ("x", "<b>旧条款</b>")])
    new = list(ATTENDANCE)
    new[2] = ("a3", "员工每月22天为满勤，满勤者发放全勤奖。")
    new.insert(0, ("n1", "<script>alert(1)</script>"))

    html = render_to_string(
        "policies_content/includes/comparison.html",
        {"comparison": compare_documents(old, document(new))},
    )

    assert "<del>26</del><ins>22</ins>" in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>旧条款</b>" not in html and "&lt;b&gt;旧条款&lt;/b&gt;" in html
    # Unchanged runs are collapsed; the edited article shows its old and new numbers.
    assert html.count("<details>") == 2
    assert "第三条</s> → 第四条" in html
