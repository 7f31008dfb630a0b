"""档号 allocation per DA/T 22-2015: 全宗号-门类-年度-保管期限-机构代码-件号.

Example: ``Z001-WS-2026-Y-ZH-0001``. Numbers run per series (fonds, category, year, retention,
organisation code), start at 1 and are gap-free: the series' counter row is locked with
``select_for_update`` inside the caller's filing transaction, so concurrent filings queue and
a filing that fails rolls its number back with everything else.
"""

import re

from django.conf import settings
from django.db import IntegrityError, transaction

from records.models import ArchivalCodeCounter

ITEM_DIGITS = 4


def fonds_code() -> str:
    """全宗号 of this company (settings.ZHIDU_ARCHIVE_FONDS)."""
    return getattr(settings, "ZHIDU_ARCHIVE_FONDS", "Z001")


def org_code_for(department) -> str:
    """机构代码: the department's code without separators (DS-YY → DSYY), upper case, so the
    hyphens of the 档号 stay unambiguous."""
    return re.sub(r"[^0-9A-Za-z]", "", department.code).upper()


def archival_code_format(
    *, fonds: str, category_code: str, year: int, retention: str, org_code: str, item_number: int
) -> str:
    return f"{fonds}-{category_code}-{year}-{retention}-{org_code}-{item_number:0{ITEM_DIGITS}d}"


def archival_number_next(
    *, fonds: str, category_code: str, year: int, retention: str, org_code: str
) -> int:
    """The next 件号 of the series, reserved until the caller's transaction ends.

    Must run inside a transaction (the filing's): the counter row stays locked until it
    commits or rolls back. The row is created race-safely: two first filings of a series both
    try to insert; the loser's insert fails inside its savepoint and it locks the winner's row.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("archival_number_next must run inside the filing transaction")
    series = {
        "fonds": fonds,
        "category_code": category_code,
        "year": year,
        "retention": retention,
        "org_code": org_code,
    }
    if not ArchivalCodeCounter.objects.filter(**series).exists():
        try:
            with transaction.atomic():
                ArchivalCodeCounter.objects.create(**series, last_number=0)
        except IntegrityError:
            pass  # created meanwhile by a concurrent filing
    counter = ArchivalCodeCounter.objects.select_for_update().get(**series)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number
