"""履行统计 against figures computed by hand from a small fixture, on screen and in the XLSX.

The fixture (year 2024):

- A 购销 CNY 100,000: signed 01-10, 01-15 → 06-30.
- B 服务 USD 50,000, 秘密: signed 02-20, 03-01 → 2025-02-28.
- C 购销 CNY 20,000: signed 05-05, 05-05 → 12-31, terminated 08-15.
- D 服务 CNY 30,000: signed 2023-12-01, 01-01 → 03-31; 补充协议一 effective 03-15: +5,000,
  ends 09-30.
- E: a draft (never signed) — counted nowhere.

Obligations due in 2024: A 02-01 done 01-30 (on time), A 03-15 done 03-20 (late), A 06-30 open;
B 05-01 done 05-01 (on time), B 11-30 done 12-05 (late); D 09-01 open. B 2025-01-15 is outside.

By hand, per quarter (signed count; CNY; USD; in force at the end; expiring; on time; late; open):
Q1: 2; 100,000; 50,000; 3 (A, B, D as amended); 0 (D's end moved to 09-30); 1; 1; 0
Q2: 1; 20,000; 0; 4 (A ends 06-30 itself); 1 (A); 1; 0; 1
Q3: 0; 0; 0; 2 (B, D); 1 (D); 0; 0; 1
Q4: 0; 0; 0; 1 (B); 0 (C was terminated before its end); 0; 1; 0
Year: 3; 120,000; 50,000; 1; 2 (A, D); 2; 2; 2
"""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from records.contract_selectors import contract_statistics, statistics_table
from records.contracts import (
    contract_amend,
    contract_terminate,
    obligation_add,
    obligation_complete,
)
from tests.records.contract_helpers import D, hr_user, make_contract

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_language_after():
    """Requests by an English-speaking user leave English active in this thread: reset it."""
    yield
    translation.deactivate()


QUARTERS = [
    # label, signed, CNY, USD, in force, expiring, on time, late, open
    ["2024 Q1", 2, Decimal("100000"), Decimal("50000"), 3, 0, 1, 1, 0],
    ["2024 Q2", 1, Decimal("20000"), Decimal("0"), 4, 1, 1, 0, 1],
    ["2024 Q3", 0, Decimal("0"), Decimal("0"), 2, 1, 0, 0, 1],
    ["2024 Q4", 0, Decimal("0"), Decimal("0"), 1, 0, 0, 1, 0],
]
YEAR = [["2024", 3, Decimal("120000"), Decimal("50000"), 1, 2, 2, 2, 2]]


@pytest.fixture
def hr():
    return hr_user(clearance=3)


@pytest.fixture
def fixture(hr):
    def contract(title, **kwargs):
        return make_contract(user=hr, title=title, **kwargs)

    a = contract("A", amount=Decimal("100000"), ends_on=D(2024, 6, 30))
    b = contract(
        "B",
        contract_type="service",
        amount=Decimal("50000"),
        currency="USD",
        signed_on=D(2024, 2, 20),
        starts_on=D(2024, 3, 1),
        ends_on=D(2025, 2, 28),
        classification=2,
    )
    c = contract(
        "C",
        amount=Decimal("20000"),
        signed_on=D(2024, 5, 5),
        starts_on=D(2024, 5, 5),
        ends_on=D(2024, 12, 31),
    )
    contract_terminate(user=hr, contract=c, terminated_on=D(2024, 8, 15), reason="协商解除")
    d = contract(
        "D",
        contract_type="service",
        amount=Decimal("30000"),
        signed_on=D(2023, 12, 1),
        starts_on=D(2024, 1, 1),
        ends_on=D(2024, 3, 31),
    )
    contract_amend(
        user=hr,
        contract=d,
        title="延期",
        signed_on=D(2024, 3, 10),
        effective_on=D(2024, 3, 15),
        summary="延期至9月底",
        amount_change=Decimal("5000"),
        new_ends_on=D(2024, 9, 30),
    )
    contract("E", signed_on=None, starts_on=D(2024, 4, 1))

    def obligation(on, due, done=None):
        row = obligation_add(user=hr, contract=on, kind="payment", description="付款", due_on=due)
        if done:
            obligation_complete(user=hr, obligation=row, completed_on=done)

    obligation(a, D(2024, 2, 1), D(2024, 1, 30))
    obligation(a, D(2024, 3, 15), D(2024, 3, 20))
    obligation(a, D(2024, 6, 30))
    obligation(b, D(2024, 5, 1), D(2024, 5, 1))
    obligation(b, D(2024, 11, 30), D(2024, 12, 5))
    obligation(d, D(2024, 9, 1))
    obligation(b, D(2025, 1, 15))
    return {"a": a, "b": b, "c": c, "d": d}


def test_quarterly_figures_match_the_hand_computed_ones(hr, fixture):
    _header, rows = statistics_table(contract_statistics(user=hr, period="quarter", year=2024))
    assert rows == QUARTERS


def test_yearly_figures_match_the_hand_computed_ones(hr, fixture):
    _header, rows = statistics_table(contract_statistics(user=hr, period="year", year=2024))
    assert rows == YEAR


def test_monthly_figures(hr, fixture):
    figures = {f.label: f for f in contract_statistics(user=hr, period="month", year=2024)}
    assert len(figures) == 12
    february, march = figures["2024-02"], figures["2024-03"]
    assert (february.signed_count, dict(february.signed_amounts)) == (1, {"USD": Decimal("50000")})
    assert (february.in_force, february.on_time, february.late) == (2, 1, 0)  # A and D
    assert (march.signed_count, march.in_force, march.late) == (0, 3, 1)
    assert figures["2024-06"].expiring == 1 and figures["2024-09"].expiring == 1


def test_contracts_above_the_users_clearance_are_left_out(fixture):
    low = hr_user(clearance=1)
    _header, rows = statistics_table(contract_statistics(user=low, period="year", year=2024))
    # without B (秘密): 2 signed, CNY only; B's two obligations (on time, late) gone
    assert rows == [["2024", 2, Decimal("120000"), 0, 2, 1, 1, 2]]


def test_the_screen_and_the_xlsx_show_the_figures(client, hr, fixture):
    client.force_login(hr)
    url = reverse("contract_statistics")
    page = client.get(url, {"period": "quarter", "year": "2024"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Contract statistics" in text and "2024 Q3" in text and "Amount signed (USD)" in text
    download = client.get(url, {"period": "quarter", "year": "2024", "format": "xlsx"})
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    with translation.override("en"):
        header, _rows = statistics_table(contract_statistics(user=hr, period="year", year=2024))
    assert values[0] == header
    assert values[1:] == [
        [label, n, float(cny), float(usd), *rest] for label, n, cny, usd, *rest in QUARTERS
    ]
