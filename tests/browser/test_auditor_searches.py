"""Journey: an auditor signs in, searches from the box in the header, moves to 高级搜索 in the
审计区 with the same words and narrows the hits by effective date; then opens a document's
acknowledgement evidence, generates its 证据包 for a period and downloads it — the ZIP's
manifest verifies every file.

The test profile turns the second factor off for every role (settings/test.py), as the other
tests do; it is exercised in tests/site/test_security.py.
"""

import csv
import datetime
import hashlib
import io
import re
import zipfile

from records.roles import AUDITOR, STAFF
from tests.browser.support import JOURNEY, TODAY, department, expect, sign_in
from tests.factories import EmployeeFactory, regulation_publish

pytestmark = JOURNEY


def test_auditor_searches_and_filters_by_effective_date(browser, empty_search_index):
    EmployeeFactory(
        employee_number="A0001",
        name="审计员甲",
        department=department("审计部"),
        clearance=2,
        user__roles=[STAFF, AUDITOR],
    )
    regulation_publish(
        title="考勤管理制度",
        number="HM-RS-2025-001",
        articles=["员工请假须事先书面申请。", "迟到三次按旷工半天处理。"],
        effective=TODAY - datetime.timedelta(days=400),
    )
    regulation_publish(
        title="休假管理办法",
        number="HM-RS-2026-007",
        articles=["年休假须提前一周请假。", "病假须提供医院证明。"],
        effective=TODAY - datetime.timedelta(days=10),
    )
    regulation_publish(
        title="报销管理办法",
        number="HM-CW-2026-002",
        category="财务",
        articles=["报销须附发票原件。"],
        effective=TODAY - datetime.timedelta(days=10),
    )
    page = browser.new_page()
    sign_in(page, "A0001")

    # Auditors land in the read-only 审计区.
    expect(page).to_have_url(f"{browser.base_url}/audit/")
    expect(page.get_by_role("heading", name="审计区", level=1)).to_be_visible()
    browser.screenshot(page, "auditor-area")

    header_search = page.get_by_role("search").get_by_label("搜索制度")
    header_search.fill("请假")
    header_search.press("Enter")
    hits = page.locator("ol.search-results .hit-title")
    expect(hits).to_have_count(2)
    expect(hits.filter(has_text="考勤管理制度")).to_have_count(1)
    expect(hits.filter(has_text="休假管理办法")).to_have_count(1)
    expect(page.locator("ol.search-results mark").first).to_have_text("请假")
    browser.screenshot(page, "search-results")

    page.get_by_role("link", name="高级搜索（审计员）").click()
    expect(page.get_by_role("heading", name="高级搜索", level=1)).to_be_visible()
    expect(
        page.locator("form.advanced-search").get_by_label("搜索规章制度和岗位说明书")
    ).to_have_value("请假")
    expect(hits).to_have_count(2)
    browser.screenshot(page, "advanced-search")

    # Only what came into force in the last month: the older rule drops out.
    since = (TODAY - datetime.timedelta(days=30)).isoformat()
    page.get_by_label("生效日期起").fill(since)
    page.get_by_role("button", name="应用筛选").click()
    expect(page).to_have_url(re.compile(rf"/audit/search/\?.*date_from={since}"))
    expect(hits).to_have_count(1)
    expect(hits.first).to_contain_text("休假管理办法")
    expect(page.get_by_label("生效日期起")).to_have_value(since)
    expect(page.get_by_role("link", name="清除筛选")).to_be_visible()
    browser.screenshot(page, "filtered-by-date")

    # The evidence bundle of one document for the last year, from the 审计区.
    page.get_by_role("link", name="审计区").first.click()
    page.get_by_label("标题或文件编号").fill("考勤")
    page.get_by_label("标题或文件编号").press("Enter")
    page.locator("#documents").get_by_role("link", name="考勤管理制度").click()
    expect(page.get_by_role("heading", name="考勤管理制度", level=1)).to_be_visible()
    page.get_by_label("起始日期").fill((TODAY - datetime.timedelta(days=365)).isoformat())
    page.get_by_label("截止日期").fill(TODAY.isoformat())
    browser.screenshot(page, "evidence-document")
    page.get_by_role("button", name="生成证据包").click()
    download_link = page.get_by_role("link", name="下载证据包（ZIP）")
    expect(download_link).to_be_visible()
    browser.screenshot(page, "evidence-bundle-ready")
    with page.expect_download() as downloading:
        download_link.click()
    archive = zipfile.ZipFile(downloading.value.path())
    manifest = list(csv.DictReader(io.StringIO(archive.read("清单.csv").decode("utf-8-sig"))))
    assert {row["文件名"] for row in manifest} == set(archive.namelist()) - {"清单.csv"}
    for row in manifest:
        assert hashlib.sha256(archive.read(row["文件名"])).hexdigest() == row["SHA-256"]
    assert "版本/HM-RS-2025-001-V1.0.pdf" in archive.namelist()
    assert "审计日志完整" in archive.read("说明.txt").decode()
