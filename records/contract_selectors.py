"""Reads of contracts for screens, exports and reminders. Every read takes the ``user`` and
goes through the access policy (records.permissions): a contract above someone's clearance or
outside their need-to-know never appears in a list, a ledger or a statistic they see."""

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from records.contract_reminders import remind_days
from records.models import Contract, Obligation, ObligationState
from records.permissions import can_view, visible_to

PERIODS = ("month", "quarter", "year")


def contracts_for(*, user) -> QuerySet:
    """The contracts this user may see, with what their lists show."""
    return visible_to(
        Contract.objects.select_related("department", "owner").prefetch_related("amendments"),
        user,
    )


def contract_for(*, user, pk) -> Contract | None:
    """One contract if it exists and the user may see it; None otherwise (answer 404)."""
    contract = Contract.objects.filter(pk=pk).prefetch_related("amendments").first()
    if contract is None or not can_view(user, contract):
        return None
    return contract


@dataclass
class ExpiringContract:
    contract: Contract
    ends_on: datetime.date
    days_left: int


def contracts_expiring(
    *, user, today: datetime.date | None = None, within_days: int | None = None
) -> list[ExpiringContract]:
    """Signed, not terminated contracts the user may see whose end date in force today
    (amendments included, as for the expiry reminders) is within ``within_days`` — by default
    the largest ZHIDU_CONTRACT_REMIND_DAYS threshold, when reminding starts — soonest first.
    Two queries however many contracts there are."""
    today = today or timezone.localdate()
    if within_days is None:
        within_days = max(remind_days(), default=0)
    horizon = today + datetime.timedelta(days=within_days)
    candidates = (
        contracts_for(user=user)
        .exclude(signed_on__isnull=True)
        .exclude(terminated_on__lte=today)
        # Ending in the window as signed, or amended (an amendment may move the end).
        .filter(Q(ends_on__range=(today, horizon)) | Q(amendments__new_ends_on__isnull=False))
        .distinct()
    )
    expiring = []
    for contract in candidates:
        ends_on = contract.terms_on(today).ends_on
        if ends_on is not None and today <= ends_on <= horizon:
            expiring.append(
                ExpiringContract(
                    contract=contract, ends_on=ends_on, days_left=(ends_on - today).days
                )
            )
    return sorted(expiring, key=lambda row: (row.ends_on, row.contract.contract_number))


@dataclass
class LedgerRow:
    obligation: Obligation
    state: str

    @property
    def state_label(self) -> str:
        return str(ObligationState(self.state).label)

    @property
    def overdue(self) -> bool:
        return self.state == ObligationState.OVERDUE


def contract_ledger(*, user, contract: Contract, today: datetime.date | None = None):
    """合同履行一览表 of one contract: its obligations by due date, each with its state."""
    if not can_view(user, contract):
        return []
    today = today or timezone.localdate()
    obligations = contract.obligations.select_related("responsible").order_by("due_on", "pk")
    return [LedgerRow(obligation=o, state=o.state(today)) for o in obligations]


def overdue_obligations(*, user, today: datetime.date | None = None) -> list[LedgerRow]:
    """Every obligation not done by its due date, across the contracts the user may see."""
    today = today or timezone.localdate()
    rows = (
        Obligation.objects.filter(
            contract__in=contracts_for(user=user).values("pk"),
            completed_on__isnull=True,
            due_on__lt=today,
        )
        .select_related("contract", "responsible")
        .order_by("due_on", "pk")
    )
    return [LedgerRow(obligation=o, state=ObligationState.OVERDUE) for o in rows]


@dataclass
class PeriodFigures:
    """The figures of one month, quarter or year (see ``contract_statistics``)."""

    label: str
    start: datetime.date
    end: datetime.date
    signed_count: int = 0
    signed_amounts: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    in_force: int = 0
    expiring: int = 0
    on_time: int = 0
    late: int = 0
    open: int = 0


def periods_of(period: str, year: int) -> list[tuple[str, datetime.date, datetime.date]]:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    if period == "year":
        return [(str(year), datetime.date(year, 1, 1), datetime.date(year, 12, 31))]
    if period == "quarter":
        return [
            (
                f"{year} Q{q}",
                datetime.date(year, 3 * q - 2, 1),
                datetime.date(year, 3 * q, calendar.monthrange(year, 3 * q)[1]),
            )
            for q in range(1, 5)
        ]
    return [
        (
            f"{year}-{m:02d}",
            datetime.date(year, m, 1),
            datetime.date(year, m, calendar.monthrange(year, m)[1]),
        )
        for m in range(1, 13)
    ]


def _in_force_on(contract: Contract, day: datetime.date) -> bool:
    """Signed, started, not ended (the end in force that day) and not terminated by then."""
    if not contract.signed_on or contract.signed_on > day or contract.starts_on > day:
        return False
    if contract.terminated_on and contract.terminated_on <= day:
        return False
    ends_on = contract.terms_on(day).ends_on
    return ends_on is None or ends_on >= day


def _expires_within(contract: Contract, start: datetime.date, end: datetime.date) -> bool:
    """Its end date (as in force at the period's end) falls in the period, and it was not
    terminated before reaching it."""
    if not contract.signed_on:
        return False
    ends_on = contract.terms_on(end).ends_on
    if ends_on is None or not (start <= ends_on <= end):
        return False
    return not (contract.terminated_on and contract.terminated_on < ends_on)


def contract_statistics(*, user, period: str, year: int) -> list[PeriodFigures]:
    """Per month, quarter or the year, over the contracts the user may see:

    - signed: contracts whose signing date falls in the period — count, and amount (as signed,
      amendments not included) by currency;
    - in force at the period's end (``_in_force_on``);
    - expiring within the period (``_expires_within``);
    - obligations due in the period: done on time (on or before the due date), done late,
      still open (not done, whether or not overdue).
    """
    figures = [
        PeriodFigures(label=label, start=s, end=e) for label, s, e in periods_of(period, year)
    ]
    contracts = list(
        visible_to(Contract.objects.prefetch_related("amendments"), user).exclude(
            signed_on__isnull=True
        )
    )
    year_start, year_end = figures[0].start, figures[-1].end
    obligations = Obligation.objects.filter(
        contract__in=[c.pk for c in contracts], due_on__range=(year_start, year_end)
    ).only("due_on", "completed_on")
    for row in figures:
        for contract in contracts:
            if row.start <= contract.signed_on <= row.end:
                row.signed_count += 1
                row.signed_amounts[contract.currency] += contract.amount
            row.in_force += _in_force_on(contract, row.end)
            row.expiring += _expires_within(contract, row.start, row.end)
    for obligation in obligations:
        row = next(r for r in figures if r.start <= obligation.due_on <= r.end)
        if obligation.completed_on is None:
            row.open += 1
        elif obligation.completed_on <= obligation.due_on:
            row.on_time += 1
        else:
            row.late += 1
    return figures


def statistics_currencies(figures: list[PeriodFigures]) -> list[str]:
    """CNY first, then any other currency that appears."""
    seen = {c for row in figures for c, amount in row.signed_amounts.items() if amount}
    return ["CNY", *sorted(seen - {"CNY"})]


def statistics_table(figures: list[PeriodFigures]) -> tuple[list[str], list[list]]:
    """Header and rows of the statistics, as on screen and in the XLSX."""
    currencies = statistics_currencies(figures)
    header = [
        _("Period"),
        _("Contracts signed"),
        *[_("Amount signed (%(currency)s)") % {"currency": c} for c in currencies],
        _("In force at period end"),
        _("Expiring in period"),
        _("Obligations done on time"),
        _("Obligations done late"),
        _("Obligations still open"),
    ]
    rows = [
        [
            row.label,
            row.signed_count,
            *[row.signed_amounts.get(c, Decimal("0")) for c in currencies],
            row.in_force,
            row.expiring,
            row.on_time,
            row.late,
            row.open,
        ]
        for row in figures
    ]
    return header, rows
