"""The demo company's contracts (合同) and their performance ledgers (合同履行一览表).

Dates are relative to the day the demo is built, so a new user always finds the states HR
deals with: a purchase contract with an overdue acceptance, a packaging contract expiring in
under 30 days whose renewal notice is overdue, a logistics service contract extended by a
补充协议, an expired and a terminated service contract, labour contracts and a confidentiality
agreement with demo employees (秘密 by default), and a draft. Everything goes through the real
services (records.contracts) as HR (the ``hr`` login), so revisions, reasons and audit entries
are those the product writes.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from records.contracts import (
    contract_amend,
    contract_create,
    contract_terminate,
    obligation_add,
    obligation_complete,
)
from records.models import Department, Employee


def _day(offset: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)


def _ledger(hr, contract, rows) -> None:
    """rows: (kind, description, due offset, amount, done offset or None)."""
    for kind, description, due, amount, done in rows:
        obligation = obligation_add(
            user=hr,
            contract=contract,
            kind=kind,
            description=description,
            due_on=_day(due),
            amount=Decimal(amount) if amount else None,
            responsible=contract.owner,
        )
        if done is not None:
            obligation_complete(
                user=hr,
                obligation=obligation,
                completed_on=_day(done),
                completed_amount=Decimal(amount) if amount else None,
                note="凭证已归档",
            )


def contracts_build() -> None:
    hr = get_user_model().objects.get(username="hr")
    departments = {d.code: d for d in Department.objects.all()}
    people = {e.employee_number: e for e in Employee.objects.all()}
    regulations = dict(
        Page.objects.filter(title__in=["费用报销管理办法", "信息安全与保密管理制度"]).values_list(
            "title", "pk"
        )
    )

    def contract(**values):
        return contract_create(user=hr, reason="录入已签合同", **values)

    components = contract(
        title="电子元器件年度采购合同",
        contract_type="sales",
        counterparty="深圳华强电子供应链有限公司",
        department=departments["CP"],
        owner=people["HM0032"],  # 蒋卫东
        amount=Decimal("860000.00"),
        signed_on=_day(-200),
        starts_on=_day(-195),
        ends_on=_day(165),
        renewal_terms="期满前60日双方协商续签；未续签的，合同到期终止。",
        related_page_ids=[regulations["费用报销管理办法"]] if regulations else [],
    )
    _ledger(
        hr,
        components,
        [
            ("delivery", "第一批元器件交货", -150, "430000", -152),
            ("payment", "支付第一批货款", -120, "430000", -110),
            ("acceptance", "第二批到货验收", -20, None, None),
            ("payment", "支付第二批货款", 40, "430000", None),
        ],
    )

    packaging = contract(
        title="包装材料年度采购合同",
        contract_type="sales",
        counterparty="东莞市永丰包装材料有限公司",
        department=departments["CP"],
        owner=people["HM0033"],  # 蔡宏亮
        amount=Decimal("180000.00"),
        signed_on=_day(-340),
        starts_on=_day(-335),
        ends_on=_day(20),
        renewal_terms="期满前30日书面通知是否续约。",
    )
    _ledger(
        hr,
        packaging,
        [
            ("delivery", "首批纸箱及填充物交货", -300, "60000", -301),
            ("payment", "支付上半年货款", -160, "90000", -158),
            ("renewal_notice", "书面通知对方是否续约", -10, None, None),
            ("payment", "支付下半年货款", 15, "90000", None),
        ],
    )

    logistics = contract(
        title="仓储物流配送服务合同",
        contract_type="service",
        counterparty="顺达供应链管理有限公司",
        department=departments["DS-WL"],
        owner=people["HM0028"],  # 田志刚
        amount=Decimal("1200000.00"),
        signed_on=_day(-400),
        starts_on=_day(-395),
        ends_on=_day(-30),
    )
    contract_amend(
        user=hr,
        contract=logistics,
        title="服务期延长及增加华东仓",
        signed_on=_day(-45),
        effective_on=_day(-30),
        summary="服务期延长一年；增加华东仓配送，合同金额增加60万元。",
        amount_change=Decimal("600000.00"),
        new_ends_on=_day(335),
    )
    _ledger(
        hr,
        logistics,
        [
            ("payment", "第一季度服务费", -300, "300000", -301),
            ("payment", "第二季度服务费", -210, "300000", -195),
            ("payment", "第三季度服务费", -120, "300000", -121),
            ("acceptance", "年度服务质量考核", -35, None, -33),
            ("payment", "华东仓第一季度服务费", 60, "150000", None),
        ],
    )

    agency = contract(
        title="天猫店铺代运营服务合同",
        contract_type="service",
        counterparty="杭州星辰网络科技有限公司",
        department=departments["DS"],
        owner=people["HM0012"],  # 刘振宇
        amount=Decimal("240000.00"),
        signed_on=_day(-735),
        starts_on=_day(-730),
        ends_on=_day(-365),
    )
    _ledger(
        hr,
        agency,
        [
            ("payment", "代运营服务费（上半年）", -600, "120000", -600),
            ("payment", "代运营服务费（下半年）", -420, "120000", -415),
            ("acceptance", "年度运营指标验收", -370, None, -368),
        ],
    )

    hosting = contract(
        title="云服务器租用服务合同",
        contract_type="service",
        counterparty="北京云栈计算有限公司",
        department=departments["JS"],
        owner=people["HM0036"],  # 叶锦程
        amount=Decimal("96000.00"),
        signed_on=_day(-250),
        starts_on=_day(-240),
        ends_on=_day(125),
    )
    _ledger(hr, hosting, [("payment", "预付半年租金", -235, "48000", -236)])
    contract_terminate(
        user=hr,
        contract=hosting,
        terminated_on=_day(-15),
        reason="服务商多次宕机，双方协商解除",
    )

    for number, title, starts, ends in [
        ("HM0014", "劳动合同（黄思远）", -400, 695),
        ("HM0015", "劳动合同（朱梦琪）", -1100, -5),
    ]:
        employee = people[number]
        labour = contract(
            title=title,
            contract_type="labour",
            counterparty=employee.name,
            department=departments["ZH"],
            owner=people["HM0004"],  # 赵雅琴 (HR)
            amount=Decimal("0"),
            signed_on=_day(starts),
            starts_on=_day(starts),
            ends_on=_day(ends),
            renewal_terms="期满前30日书面征询续订意向。",
        )
        _ledger(hr, labour, [("renewal_notice", "书面征询续订意向", ends - 30, None, None)])

    contract(
        title="保密协议（叶锦程）",
        contract_type="nda",
        counterparty=people["HM0036"].name,
        department=departments["ZH"],
        owner=people["HM0004"],
        signed_on=_day(-900),
        starts_on=_day(-900),
        related_page_ids=[regulations["信息安全与保密管理制度"]] if regulations else [],
    )

    contract_create(
        user=hr,
        reason="起草",
        title="年度快递服务框架协议",
        contract_type="service",
        counterparty="中通快递华东分公司",
        department=departments["DS-WL"],
        owner=people["HM0028"],
        amount=Decimal("500000.00"),
        starts_on=_day(30),
        ends_on=_day(395),
    )
