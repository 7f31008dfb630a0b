"""The demo's acknowledgement story (阅知签收), told between and after the document versions.

Publishing assigned every version to its readers (policies_content.distribution, the real
path). This module signs most of them, on the days a company would have, and leaves the rest
in the states HR has to deal with:

- signed: nearly everyone signed each V1.0 within a few days (two signed after the due date);
- covered: 考勤与休假管理制度 V1.1 is a minor revision, covered by the signatures on V1.0;
- superseded: 魏嘉豪 had not signed 考勤 V1.0 when V1.1 replaced it, and signed V1.1;
- proxy (代签): 潘明 works in the warehouse without a computer; HR recorded his paper
  signatures with a scan;
- re-sign after a major revision: 电子商务部运营管理制度 V2.0 (in force for 10 days, due 3 days
  ago) — most of 电子商务部 signed again, a few are overdue (one opened it and stopped);
  运营专员岗位说明书 V2.0 (in force since yesterday, due in 2 days) — two have signed;
- departed (离职): 唐诗雨 left two days ago with V2.0 unsigned: that assignment closed as 离职.

The demo ``staff`` login (黄思远) therefore has one overdue and one pending re-sign, each with
"what changed since you last signed"; ``hr`` sees every state in the tracking screens.

Signatures made on earlier days cannot go through ``acknowledgement_sign``: it stamps the
moment of signing and checks a password that only the role logins have. They are written by
the service's own write (``_signature_write``: the same manifestation, assignment update and
audit entry) with the time they were made; the audit entry records when the demo wrote it.
Paper signatures go through ``proxy_acknowledgement_record`` itself.
"""

import datetime
import io
import random

from django.core.files.base import ContentFile
from django.utils import timezone, translation
from PIL import Image, ImageDraw

from policies_content.acknowledging import _signature_write, proxy_acknowledgement_record
from policies_content.models import (
    AcknowledgementKind,
    Assignment,
    AssignmentState,
    JobDescriptionPage,
    RegulationPage,
)
from records.models import Employee
from records.services import employee_login_sync

PROXY_REASON = "仓库人员无电脑，纸质签收"
OPERATIONS = "电子商务部运营管理制度"
JOB = "运营专员岗位说明书"
ATTENDANCE = "考勤与休假管理制度"

PAPER_ONLY = {"HM0031"}  # 潘明
NOT_SIGNED_BEFORE_REVISION = {(ATTENDANCE, "HM0039")}  # 魏嘉豪: V1.0 superseded unsigned
SIGNED_LATE = {(ATTENDANCE, "HM0019"), ("费用报销管理办法", "HM0020")}
OPERATIONS_V2_UNSIGNED = {"HM0014", "HM0017", "HM0020", "HM0026", "HM0021"}
OPERATIONS_V2_OPENED = {"HM0017"}  # read it, has not signed
JOB_V2_SIGNED = {"HM0015", "HM0016"}
DEPARTING, DEPARTED_DAYS_AGO = "HM0021", 2  # 唐诗雨


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _assigned_day(assignment: Assignment) -> datetime.date:
    """A version reached a reader the day it took effect, or the day they were hired."""
    hired = assignment.employee.hire_date
    effective = assignment.version.effective_date
    return max(effective, hired) if hired else effective


def _working_time(day: datetime.date, rng: random.Random) -> datetime.datetime:
    while day.weekday() >= 5:  # people sign on working days
        day += datetime.timedelta(days=1)
    return _at(day, rng.randint(9, 17), rng.randint(0, 59)) + datetime.timedelta(minutes=30)


def _open_assignments():
    return (
        Assignment.objects.filter(state=AssignmentState.OPEN)
        .select_related("version", "employee__user")
        .order_by("version__page_id", "employee__employee_number")
    )


def _self_sign(assignment: Assignment, at: datetime.datetime, rng: random.Random) -> None:
    """The employee opened the text and signed it at ``at`` (see the module docstring)."""
    opened = at - datetime.timedelta(minutes=rng.randint(3, 25))
    Assignment.objects.filter(pk=assignment.pk).update(opened_at=opened)
    _signature_write(
        assignment=assignment,
        kind=AcknowledgementKind.SELF,
        actor=assignment.employee.user,
        signed_at=at,
    )


def scan_image(label: str) -> bytes:
    """A small grey 'scanned paper' PNG: enough to show and download, not a real scan."""
    image = Image.new("L", (240, 160), 246)
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 231, 151), outline=90)
    for y in range(28, 120, 14):
        draw.line((20, y, 220, y), fill=170)
    draw.line((140, 132, 212, 126), fill=40, width=2)  # the signature
    draw.text((20, 128), label, fill=60)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _paper_sign(assignment: Assignment, at: datetime.datetime, hr) -> None:
    version = assignment.version
    number = assignment.employee.employee_number
    name = f"paper-{number}-{version.document_number}-v{version.major}-{version.minor}.png"
    proxy_acknowledgement_record(
        assignment=assignment,
        recorded_by=hr,
        scan=ContentFile(scan_image(f"{number} {version.version}"), name=name),
        reason=PROXY_REASON,
        signed_on=at,
    )


def first_versions_sign(hr) -> None:
    """Every V1.0: signed within days of reaching its reader, a few late, one never."""
    rng = random.Random(20250301)
    with translation.override("zh-hans"):
        for assignment in _open_assignments():
            key = (assignment.version.title, assignment.employee.employee_number)
            if key in NOT_SIGNED_BEFORE_REVISION:
                continue
            day = _assigned_day(assignment)
            if key[1] in PAPER_ONLY:
                _paper_sign(assignment, _at(day + datetime.timedelta(days=1), 15, 20), hr)
                continue
            late = key in SIGNED_LATE
            offset = 9 if late else rng.choice([0, 1, 1, 2, 2, 3, 4])
            _self_sign(assignment, _working_time(day + datetime.timedelta(days=offset), rng), rng)


def later_versions_sign(hr) -> None:
    """The versions after V1.0: V1.1 for the one who missed V1.0, the two recent majors."""
    rng = random.Random(20260101)
    with translation.override("zh-hans"):
        for assignment in _open_assignments():
            title, number = assignment.version.title, assignment.employee.employee_number
            day = _assigned_day(assignment)
            if title == OPERATIONS:
                if number in PAPER_ONLY:
                    _paper_sign(assignment, _at(day + datetime.timedelta(days=4), 16, 10), hr)
                elif number in OPERATIONS_V2_OPENED:
                    Assignment.objects.filter(pk=assignment.pk).update(
                        opened_at=_at(day + datetime.timedelta(days=2), 10, 15)
                    )
                elif number not in OPERATIONS_V2_UNSIGNED:
                    offset = rng.randint(1, 5)
                    at = _at(day + datetime.timedelta(days=offset), rng.randint(9, 17))
                    _self_sign(assignment, at + datetime.timedelta(minutes=rng.randint(0, 59)), rng)
            elif title == JOB:
                if number in JOB_V2_SIGNED:
                    at = _at(day, 14) + datetime.timedelta(minutes=rng.randint(0, 120))
                    _self_sign(assignment, at, rng)
            elif title == ATTENDANCE:  # V1.1, for the one who had not signed V1.0
                _self_sign(assignment, _working_time(day + datetime.timedelta(days=2), rng), rng)


def departure_record() -> None:
    """唐诗雨 leaves: the real departure path closes her open assignment as 离职."""
    employee = Employee.objects.get(employee_number=DEPARTING)
    employee.status = Employee.Status.DEPARTED
    employee.leave_date = timezone.localdate() - datetime.timedelta(days=DEPARTED_DAYS_AGO)
    employee_login_sync(employee=employee)
    employee.save()


def dates_backfill() -> None:
    """Publishing today dated every assignment today; date each from the day its version
    reached the reader (assignments are working records, not evidence: they may change)."""
    due_days = {}
    for model in (RegulationPage, JobDescriptionPage):
        due_days.update(model.objects.values_list("pk", "acknowledgement_due_days"))
    rows = list(Assignment.objects.select_related("version", "employee"))
    for assignment in rows:
        day = _assigned_day(assignment)
        assignment.assigned_at = _at(day, 9)
        assignment.due_on = day + datetime.timedelta(days=due_days[assignment.page_id])
        if assignment.state == AssignmentState.COVERED:
            assignment.closed_at = assignment.assigned_at
        elif assignment.state == AssignmentState.SUPERSEDED:
            assignment.closed_at = _at(assignment.version.superseded_on, 0)
        elif assignment.state == AssignmentState.DEPARTED:
            assignment.closed_at = _at(assignment.employee.leave_date, 18)
    Assignment.objects.bulk_update(rows, ["assigned_at", "due_on", "closed_at"], batch_size=500)
