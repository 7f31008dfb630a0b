"""Journey: HR import an edited Word copy of a rule in force, declare it a major revision and
submit it; the reviewer (审核) and the approver (批准) approve it from their dashboards, which
publishes V2.0; the member of staff who signed V1.0 finds it waiting again, with what changed.

Server-side, before the browser opens: the people, V1.0 of the rule (published for all staff)
and the member of staff's signature on V1.0 (signing in the browser is test_staff_signs.py).
Everything after that goes through the browser: the admin menu, the import form and its report,
the page editor's 修订说明 and "submit", Wagtail's "awaiting your review" panel, the staff portal.
The consultation step (征求意见) passes by itself: this rule does not touch vital interests.
"""

import docx

from policies_content.acknowledging import acknowledgement_sign, assignment_open
from policies_content.models import Assignment, IssuedVersion
from records.roles import APPROVER, POLICY_EDITOR, REVIEWER, STAFF
from tests.browser.support import JOURNEY, PASSWORD, department, expect, sign_in
from tests.docx_builders import add_list, numbered, to_bytes
from tests.factories import EmployeeFactory, regulation_publish

pytestmark = JOURNEY

TITLE = "考勤管理制度"
NUMBER = "HM-RS-2026-001"
KEPT = "员工应按时上下班，不得迟到早退。"
OLD = "迟到三次按旷工半天处理。"
NEW = "迟到一次扣发当月全勤奖。"
CHANGE_SUMMARY = "迟到的处理由三次记旷工半天改为扣发当月全勤奖。"


def revised_word_file() -> bytes:
    """The rule as HR keep it in Word: title, 文件编号, articles numbered by Word itself."""
    document = docx.Document()
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(f"文件编号：{NUMBER}")
    articles = add_list(document, 80, [("chineseCounting", "第%1条", 1)], num_id=80)
    for text in (KEPT, NEW):
        numbered(document, text, articles)
    return to_bytes(document)


def test_hr_import_approval_and_staff_sees_what_changed(browser, tmp_path):
    team = department()
    staff = EmployeeFactory(
        employee_number="E0404", name="赵六", department=team, user__roles=[STAFF]
    )
    EmployeeFactory(
        employee_number="H0001", department=team, clearance=2, user__roles=[POLICY_EDITOR, STAFF]
    )
    EmployeeFactory(employee_number="R0001", department=team, user__roles=[REVIEWER])
    EmployeeFactory(employee_number="P0001", department=team, user__roles=[APPROVER])
    page_v1 = regulation_publish(title=TITLE, number=NUMBER, articles=[KEPT, OLD])
    signed = Assignment.objects.get(employee=staff, page_id=page_v1.pk)
    assignment_open(assignment=signed, user=staff.user)
    acknowledgement_sign(assignment=signed, user=staff.user, password=PASSWORD, confirmed=True)
    word = tmp_path / "考勤管理制度（修订稿）.docx"
    word.write_bytes(revised_word_file())

    # HR: import the Word file; it becomes a new draft of the rule in force.
    hr = browser.new_page()
    sign_in(hr, "H0001")
    expect(hr).to_have_url(f"{browser.base_url}/admin/")
    menu = hr.get_by_role("navigation", name="主菜单")
    menu.get_by_role("button", name="制度库").click()
    menu.get_by_role("link", name="导入制度").click()
    expect(hr.get_by_role("heading", name="导入制度")).to_be_visible()
    browser.screenshot(hr, "import-form")
    hr.get_by_label("文件").set_input_files(word)
    hr.get_by_role("button", name="导入").click()
    row = hr.locator("tr.import-document")
    expect(row).to_contain_text("已有文件的新草稿")
    expect(row).to_contain_text(f"文件编号：{NUMBER}")
    browser.screenshot(hr, "import-report")

    # HR: in the editor, declare a major revision with its 修订说明 and submit it.
    row.get_by_role("link", name=TITLE).click()
    summary = hr.get_by_label("修订说明", exact=True)
    summary.fill(CHANGE_SUMMARY)
    hr.get_by_label("本次修订为").select_option(label="重大修订（需全员重新签收）")
    summary.scroll_into_view_if_needed()
    browser.screenshot(hr, "editor")
    hr.get_by_role("button", name="更多动作").click()
    hr.get_by_role("button", name="提交给制度审批（编制→审核→批准）").click()
    expect(hr.get_by_role("row", name=TITLE)).to_contain_text("审核中")
    browser.screenshot(hr, "submitted")

    # 审核, then 批准 (which publishes), each from the decider's dashboard.
    for decider in ("R0001", "P0001"):
        desk = browser.new_page()
        sign_in(desk, decider)
        waiting = desk.get_by_role("region", name="等待你的审查")
        expect(waiting).to_contain_text(TITLE)
        browser.screenshot(desk, f"awaiting-{decider}")
        waiting.get_by_role("button", name="动作").click()
        waiting.get_by_role("button", name="批准", exact=True).click()
        expect(waiting).to_have_count(0)
        browser.screenshot(desk, f"approved-{decider}")
    issued = IssuedVersion.objects.filter(page_id=page_v1.pk).order_by("major", "minor")
    assert list(issued.values_list("major", "minor")) == [(1, 0), (2, 0)]

    # Staff: the rule is waiting again, as V2.0, and says what changed since V1.0.
    reader = browser.new_page()
    sign_in(reader, "E0404")
    pending = reader.locator("section.pending")
    rule = pending.get_by_role("link", name=f"{TITLE} V2.0")
    expect(rule).to_be_visible()
    browser.screenshot(reader, "pending-again")
    rule.click()
    changes = reader.locator("section.changes-since")
    expect(changes.get_by_role("heading")).to_have_text("自您签收 V1.0 以来的变化")
    expect(changes.locator("del").first).to_contain_text("三次")
    expect(changes.locator("ins").first).to_contain_text("全勤奖")
    expect(reader.locator("dl.control")).to_contain_text(CHANGE_SUMMARY)
    changes.scroll_into_view_if_needed()
    browser.screenshot(reader, "what-changed")
