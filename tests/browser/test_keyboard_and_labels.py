"""The sign form and the search forms for people who use the keyboard or a screen reader: every
control has a name (its <label>, aria-label or aria-labelledby), Tab reaches the fields in a
sensible order, and Enter submits."""

import re

from policies_content.models import Acknowledgement
from records.roles import AUDITOR, STAFF
from tests.browser.support import (
    JOURNEY,
    PASSWORD,
    department,
    expect,
    form_controls,
    sign_in,
    tab_until,
)
from tests.factories import EmployeeFactory, regulation_publish

pytestmark = JOURNEY


def unnamed(controls: list[dict]) -> list[str]:
    return [c["control"] for c in controls if not c["name"]]


def test_sign_form_is_labelled_and_signs_from_the_keyboard(browser):
    person = EmployeeFactory(employee_number="E0202", department=department(), user__roles=[STAFF])
    regulation_publish(
        title="保密管理制度",
        number="HM-ZH-2026-003",
        articles=["员工对公司商业秘密负有保密义务。", "离职后两年内仍须保密。"],
        category="管理制度",
    )
    page = browser.new_page()
    page.goto("/accounts/login/")
    controls = form_controls(page, "main form")
    assert [c["name"] for c in controls] == ["工号或用户名", "密码"]
    sign_in(page, "E0202")
    page.locator("section.pending").get_by_role("link", name="保密管理制度 V1.0").click()

    controls = form_controls(page)
    assert unnamed(controls) == []
    sign_controls = {c["name"] for c in form_controls(page, "#sign")}
    assert sign_controls == {
        "本人已阅读并理解《保密管理制度》(V1.0)，同意遵守。",
        "您的登录密码（作为电子签名）",
    }

    # From the top of the page: Tab to the statement, tick it with Space, Tab to the password,
    # Tab to the button; back to the password and Enter signs.
    tab_until(page, lambda el: el["name"] == "confirm")
    page.keyboard.press("Space")
    expect(page.locator("#sign input[name=confirm]")).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.locator("#sign").get_by_role("button", name="签收")).to_be_focused()
    browser.screenshot(page, "keyboard-on-sign-button")
    page.keyboard.press("Shift+Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_text("签收成功。回执如下。")).to_be_visible()
    assert Acknowledgement.objects.filter(employee=person).count() == 1
    browser.screenshot(page, "signed-with-enter")


def test_search_forms_are_labelled_and_search_from_the_keyboard(browser, empty_search_index):
    EmployeeFactory(
        employee_number="A0002",
        clearance=2,
        department=department("审计部"),
        user__roles=[STAFF, AUDITOR],
    )
    regulation_publish(title="考勤管理制度", number="HM-RS-2026-001", articles=["请假须申请。"])
    page = browser.new_page()
    sign_in(page, "A0002")

    # The box in the header: reached with Tab, Enter searches.
    tab_until(page, lambda el: el["name"] == "q")
    page.keyboard.type("请假")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=%E8%AF%B7%E5%81%87$"))
    expect(page.locator("ol.search-results .hit-title")).to_have_count(1)
    browser.screenshot(page, "searched-from-the-header")
    assert unnamed(form_controls(page)) == []
    names = {c["name"] for c in form_controls(page, "main")}
    assert names == {"搜索规章制度和岗位说明书"}

    # The auditor's advanced search: the search box, every filter, the saved-search name.
    page.get_by_role("link", name="高级搜索（审计员）").click()
    expect(page.locator("ol.search-results .hit-title")).to_have_count(1)
    controls = form_controls(page)
    assert unnamed(controls) == []
    names = {c["name"] for c in controls}
    assert {"搜索规章制度和岗位说明书", "生效日期起", "生效日期止", "在此日期有效"} <= names
    assert {"排序方式", "搜索名称"} <= names
    browser.screenshot(page, "advanced-search")

    # Tab from the header box reaches the page's own box; Enter there searches again.
    page.get_by_role("search").first.get_by_label("搜索制度").focus()
    tab_until(page, lambda el: el["name"] == "q")
    page.keyboard.press("Control+A")
    page.keyboard.type("迟到")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/audit/search/\?q=%E8%BF%9F%E5%88%B0"))
    expect(page.locator("p.search-empty")).to_contain_text("迟到")
