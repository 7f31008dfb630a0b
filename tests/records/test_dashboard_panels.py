"""HR's dashboard (the admin home) about records: contracts expiring and archive items due for
disposal — counted, each linked to the screen that acts on it, in Chinese, only to those who
keep them, and never naming a record above the reader's clearance."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from records.contracts import contract_amend, contract_terminate
from records.dashboard import RECORDS_PANELS
from records.legal_holds import legal_hold_place
from records.roles import REVIEWER
from tests.admin_dashboard import dashboard, panel, panel_query_counts, text
from tests.factories import EmployeeFactory

from .archive_fixtures import admin_user, file_item, hr_user
from .contract_helpers import make_contract

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET_CONTRACT = "高管聘用合同"
SECRET_ITEM = "高管薪酬档案"


def in_days(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def signed(*, user, title, ends_on, **kwargs):
    """A contract signed 100 days ago, running since 90 days ago until ``ends_on``."""
    return make_contract(
        user=user,
        title=title,
        signed_on=in_days(-100),
        starts_on=in_days(-90),
        ends_on=ends_on,
        **kwargs,
    )


@pytest.fixture
def people():
    return {"hr": hr_user(name="人事专员"), "admin": admin_user()}


@pytest.fixture
def contracts(people):
    """ZHIDU_CONTRACT_REMIND_DAYS is 90,30,7: the panel lists what ends within 90 days."""
    hr, admin = people["hr"], people["admin"]
    made = {
        "soon": signed(user=hr, title="仓储服务合同", ends_on=in_days(5)),
        "later": signed(user=hr, title="办公用品采购合同", ends_on=in_days(60)),
        "amended": signed(user=hr, title="设备维保合同", ends_on=in_days(300)),
        "far": signed(user=hr, title="广告投放合同", ends_on=in_days(200)),
        "ended": signed(user=hr, title="旧租赁合同", ends_on=in_days(-1)),
        "terminated": signed(user=hr, title="物流合同", ends_on=in_days(10)),
        "secret": signed(user=admin, title=SECRET_CONTRACT, ends_on=in_days(3), classification=3),
    }
    # 补充协议一 brings the end forward to 20 days from now.
    contract_amend(
        user=hr,
        contract=made["amended"],
        title="提前终止补充协议",
        signed_on=in_days(-2),
        effective_on=in_days(-1),
        summary="服务期缩短",
        new_ends_on=in_days(20),
    )
    contract_terminate(
        user=hr, contract=made["terminated"], terminated_on=TODAY, reason="双方协商解除"
    )
    return made


@pytest.fixture
def archive(people):
    """Two items past their 保管期限 (one under a legal hold), one above HR's clearance,
    one kept for 30 years and one permanent."""
    admin = people["admin"]
    items = {
        "due": file_item(title="2010年文书档案", filed_on=datetime.date(2010, 3, 1), user=admin),
        "held": file_item(title="2012年合同档案", filed_on=datetime.date(2012, 3, 1), user=admin),
        "secret": file_item(
            title=SECRET_ITEM, filed_on=datetime.date(2010, 3, 1), classification=3, user=admin
        ),
        "kept": file_item(
            title="2010年会计档案", filed_on=datetime.date(2010, 3, 1), retention="D30", user=admin
        ),
        "permanent": file_item(
            title="公司章程", filed_on=datetime.date(2010, 3, 1), retention="Y", user=admin
        ),
    }
    legal_hold_place(obj=items["held"], reason="劳动仲裁（2026）第12号", user=admin)
    return items


def test_hr_see_the_contracts_ending_within_90_days_soonest_first(client, people, contracts):
    html = panel(dashboard(client, people["hr"]), "contracts-expiring")
    words = text(html)
    assert "即将到期的合同" in words
    assert "3份合同将在90天内到期。" in words and "其中1份在7天内到期。" in words
    assert (
        words.index("仓储服务合同") < words.index("设备维保合同") < words.index("办公用品采购合同")
    )
    assert "剩余5天" in words and "剩余20天" in words  # the amended end, not the signed one
    assert in_days(20).isoformat() in words
    for key in ("soon", "later", "amended"):
        assert reverse("contract_ledger", args=[contracts[key].pk]) in html
    for title in ("广告投放合同", "旧租赁合同", "物流合同"):  # far off, ended, terminated
        assert title not in words
    full_list = (
        re.search(r'href="([^"]*ordering=ends_on[^"]*)"', html).group(1).replace("&amp;", "&")
    )
    listing = client.get(full_list).content.decode()
    assert listing.index("仓储服务合同") < listing.index("办公用品采购合同")


def test_hr_see_archive_items_due_for_disposal_held_ones_marked(client, people, archive):
    html = panel(dashboard(client, people["hr"]), "archive-disposal")
    words = text(html)
    assert "到期待处置" in words
    assert "2件档案到期待处置。" in words and "其中1件处于法律保全中，不得处置。" in words
    assert words.index("2010年文书档案") < words.index("2012年合同档案")  # due 2020, then 2022
    assert "法律保全中" in words
    assert reverse("archive_appraise", args=[archive["due"].pk]) in html
    assert reverse("archive_appraise", args=[archive["held"].pk]) not in html  # held: no 鉴定
    edit = reverse("wagtailsnippets_records_archiveitem:edit", args=[archive["held"].pk])
    assert edit in html
    assert "2010年会计档案" not in words and "公司章程" not in words
    assert reverse("archive_disposal") in html


def test_records_above_the_clearance_are_neither_listed_nor_counted(
    client, people, contracts, archive
):
    html = dashboard(client, people["hr"])  # cleared for 秘密 (2); these are 机密 (3)
    assert SECRET_CONTRACT not in html and contracts["secret"].contract_number not in html
    assert SECRET_ITEM not in html and archive["secret"].archival_code not in html
    # Positive control: an administrator cleared for 绝密 sees and counts both.
    seen = dashboard(client, people["admin"])
    assert SECRET_CONTRACT in panel(seen, "contracts-expiring")
    assert "4份合同将在90天内到期。" in text(panel(seen, "contracts-expiring"))
    assert SECRET_ITEM in panel(seen, "archive-disposal")


def test_no_contract_panel_without_contract_permissions(client, people, contracts, archive):
    reviewer = EmployeeFactory(clearance=4, user__roles=[REVIEWER]).user
    html = dashboard(client, reviewer)
    assert panel(html, "contracts-expiring") == "" and "仓储服务合同" not in html
    assert panel(html, "archive-disposal") == ""
    # Someone who appraises archives but keeps no contracts: the one panel, not the other.
    appraisers = Group.objects.create(name="档案鉴定")
    appraisers.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(content_type__app_label="records", codename="view_appraisal"),
    )
    archivist = EmployeeFactory(clearance=2).user
    archivist.groups.add(appraisers)
    html = dashboard(client, archivist)
    assert panel(html, "contracts-expiring") == "" and "仓储服务合同" not in html
    assert "2010年文书档案" in panel(html, "archive-disposal")


def test_contracts_come_before_archives_and_empty_panels_say_so(client, people):
    html = dashboard(client, people["hr"])
    assert html.index('id="zhidu-contracts-expiring-section"') < html.index(
        'id="zhidu-archive-disposal-section"'
    )
    assert "未来90天内没有到期的合同。" in text(panel(html, "contracts-expiring"))
    assert "没有到期待处置的档案。" in text(panel(html, "archive-disposal"))


def test_panel_queries_do_not_grow_with_the_rows(people, contracts, archive):
    before = panel_query_counts(people["hr"], RECORDS_PANELS)
    for n in range(3):
        signed(user=people["hr"], title=f"续签合同{n}", ends_on=in_days(40 + n))
        file_item(title=f"旧档案{n}", filed_on=datetime.date(2011, 3, 1), user=people["admin"])
    after = panel_query_counts(people["hr"], RECORDS_PANELS)
    assert after == before
