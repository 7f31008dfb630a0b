"""Journey: a member of staff signs in, finds the rule waiting for their signature on 我的文件,
reads it, signs with their password and sees it leave 待我签收."""

from policies_content.models import Acknowledgement
from records.roles import STAFF
from tests.browser.support import DESKTOP, JOURNEY, PASSWORD, PHONE, department, expect, sign_in
from tests.factories import EmployeeFactory, regulation_publish

pytestmark = JOURNEY


def test_staff_reads_and_signs_the_pending_rule(browser):
    person = EmployeeFactory(
        name="王小丽", employee_number="E0101", department=department(), user__roles=[STAFF]
    )
    regulation_publish(
        title="考勤管理制度",
        number="HM-RS-2026-001",
        articles=["员工应按时上下班，不得迟到早退。", "迟到三次按旷工半天处理。"],
    )
    page = browser.new_page()

    page.goto("/accounts/login/")
    expect(page.get_by_role("heading", name="登录")).to_be_visible()
    browser.screenshot(page, "login")
    sign_in(page, "E0101")

    # Staff land on 我的文件, with the rule under 待我签收.
    expect(page).to_have_url(f"{browser.base_url}/my/")
    pending = page.locator("section.pending")
    expect(pending.get_by_role("heading", name="待我签收")).to_be_visible()
    rule = pending.get_by_role("link", name="考勤管理制度 V1.0")
    expect(rule).to_be_visible()
    browser.screenshot(page, "pending")

    rule.click()
    expect(page.get_by_role("heading", name="考勤管理制度", level=1)).to_be_visible()
    expect(page.get_by_text("迟到三次按旷工半天处理。")).to_be_visible()
    sign = page.locator("#sign")
    statement = sign.get_by_label("本人已阅读并理解《考勤管理制度》")
    password = sign.get_by_label("您的登录密码（作为电子签名）")
    for size in (DESKTOP, PHONE):
        # The box to tick is at the start of its statement's line, not stretched across the
        # card on a line of its own where one cannot tell what it confirms.
        page.set_viewport_size(size)
        box, line = statement.bounding_box(), sign.locator("label.choice").bounding_box()
        assert box["width"] < 40, f"{size}: the tick box is {box['width']}px wide"
        assert abs(box["x"] - line["x"]) < 10 and box["y"] < line["y"] + 30, size
    browser.screenshot(page, "reading")

    # A wrong password is refused, and said so, in Chinese.
    statement.check()
    password.fill("not-my-password")
    sign.get_by_role("button", name="签收").click()
    expect(page.get_by_role("alert")).to_contain_text("密码")
    assert not Acknowledgement.objects.filter(employee=person).exists()
    browser.screenshot(page, "wrong-password")

    statement.check()  # on the page shown again (locators find their element anew)
    password.fill(PASSWORD)
    sign.get_by_role("button", name="签收").click()

    # The receipt: who signed, what, and the rule is no longer waiting.
    expect(page.get_by_text("签收成功。回执如下。")).to_be_visible()
    expect(page.locator("main")).to_contain_text("王小丽")
    expect(page.locator("main")).to_contain_text("E0101")
    browser.screenshot(page, "receipt")

    page.get_by_role("navigation").get_by_role("link", name="我的文件").click()
    pending = page.locator("section.pending")
    expect(pending).to_contain_text("暂无待签收的文件。")
    expect(pending.get_by_role("link", name="考勤管理制度 V1.0")).to_have_count(0)
    browser.screenshot(page, "nothing-pending")
    assert Acknowledgement.objects.filter(employee=person).count() == 1
