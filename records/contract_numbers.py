"""合同编号: numbers allocated from a configurable scheme, never the same number twice.

ZHIDU_CONTRACT_NUMBER_FORMAT is a Python format string with ``{year}`` (of the signing date,
else today), ``{seq}`` (the running number, e.g. ``{seq:04d}``) and optionally ``{type}`` (the
type code: GX 购销, FW 服务, LD 劳动, BM 保密协议, QT 其他). The sequence runs per year — and per
type when the format names the type. The counter row is locked (``select_for_update``) for
the rest of the creating transaction, so two creations at once queue up and get different
numbers; a number typed in by hand is skipped when the sequence reaches it.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from records.models import Contract, ContractNumberCounter
from records.models.contracts import TYPE_CODES

DEFAULT_FORMAT = "HM-HT-{year}-{seq:04d}"


def number_format() -> str:
    return getattr(settings, "ZHIDU_CONTRACT_NUMBER_FORMAT", DEFAULT_FORMAT) or DEFAULT_FORMAT


def _render(fmt: str, *, year: int, type_code: str, seq: int) -> str:
    try:
        return fmt.format(year=year, type=type_code, seq=seq)
    except (KeyError, IndexError, ValueError) as exc:
        raise ImproperlyConfigured(
            f"ZHIDU_CONTRACT_NUMBER_FORMAT {fmt!r} is not valid: use {{year}}, {{seq}}, {{type}}"
        ) from exc


@transaction.atomic
def contract_number_allocate(*, contract_type: str, on: datetime.date) -> str:
    """The next free number for a contract of this type signed (or drafted) on ``on``."""
    fmt = number_format()
    type_code = TYPE_CODES.get(contract_type, "QT")
    key = f"{on.year}-{type_code}" if "{type" in fmt else str(on.year)
    ContractNumberCounter.objects.get_or_create(key=key)
    counter = ContractNumberCounter.objects.select_for_update().get(key=key)
    seq = counter.last
    while True:
        seq += 1
        number = _render(fmt, year=on.year, type_code=type_code, seq=seq)
        if not Contract.objects.filter(contract_number=number).exists():
            break
    counter.last = seq
    counter.save(update_fields=["last"])
    return number
