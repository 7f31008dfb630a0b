"""The organisation import: CSV/XLSX staff lists into employees and their logins.

Covers the service (records.services.employees_import), the ``import_employees`` management
command and the Wagtail admin upload. Messages are checked in Chinese, the default language,
and with the row and column numbering a user sees in Excel (the header is row 1).
"""

import datetime
import io
import random
import re
import zipfile
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from records.importing.errors import ImportFileError
from records.models import Department, Employee
from records.roles import POLICY_EDITOR, STAFF
from records.services import employees_import
from tests.factories import (
    CompanyFactory,
    DepartmentFactory,
    EmployeeFactory,
    PositionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

User = get_user_model()

HEADER = "工号,姓名,部门,岗位,上级工号,密级,状态,入职日期,离职日期,邮箱,手机"
IMPORT_URL_NAME = "employee_import"
EMPLOYEE_LIST_URL_NAME = "wagtailsnippets_records_employee:list"


# --- helpers ------------------------------------------------------------------------------------


def csv_text(*lines: str) -> str:
    """A CSV file's text as Excel writes it: one line per row, CRLF line ends."""
    return "".join(line + "\r\n" for line in lines)


def import_csv(text: str, *, encoding: str = "utf-8", filename: str = "staff.csv", **options):
    return employees_import(data=text.encode(encoding), filename=filename, **options)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def snapshot():
    """Every field of every employee and login, and who is in which group."""
    return (
        list(Employee.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
        sorted(User.groups.through.objects.values_list("user_id", "group_id")),
    )


def error_lines(report) -> list[str]:
    return [str(error) for error in report.errors]


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture
def org():
    """电子商务部 (DS) › 运营组 (DS-YY) with 运营专员; 市场部 (SC) › another 运营组 (SC-YY)."""
    company = CompanyFactory()
    ds = DepartmentFactory(name="电子商务部", code="DS", parent=company)
    ds_yy = DepartmentFactory(name="运营组", code="DS-YY", kind=Department.Kind.GROUP, parent=ds)
    sc = DepartmentFactory(name="市场部", code="SC", parent=company)
    sc_yy = DepartmentFactory(name="运营组", code="SC-YY", kind=Department.Kind.GROUP, parent=sc)
    specialist = PositionFactory(name="运营专员", department=ds_yy)
    return SimpleNamespace(
        company=company, ds=ds, ds_yy=ds_yy, sc=sc, sc_yy=sc_yy, specialist=specialist
    )


@pytest.fixture
def veteran(org):
    """An employee already in the system, not necessarily in the next file."""
    return EmployeeFactory(
        employee_number="0900",
        name="老王",
        department=org.ds,
        user__email="wang@example.com",
    )


@pytest.fixture
def hr_client(client):
    """Logged in as HR (制度管理员): may open the admin and import employees."""
    client.force_login(UserFactory(username="hr", roles=[POLICY_EDITOR]))
    return client


# --- a valid file -------------------------------------------------------------------------------


def test_full_file_creates_employees_with_every_column(org):
    report = import_csv(
        csv_text(
            HEADER,
            "1001,张三,电子商务部/运营组,运营专员,,秘密,在职,2021-03-01,,zhang@example.com,13800138000",
            "1002,李四,DS,,1001,内部,离职,2019/07/15,2024年01月31日,,",
        )
    )

    assert report.ok
    assert sorted(report.created) == ["1001", "1002"]
    zhang = Employee.objects.get(employee_number="1001")
    assert zhang.name == "张三"
    assert zhang.department == org.ds_yy
    assert zhang.position == org.specialist
    assert zhang.clearance == 2
    assert zhang.status == Employee.Status.ACTIVE
    assert zhang.hire_date == datetime.date(2021, 3, 1)
    assert zhang.leave_date is None
    assert zhang.phone == "13800138000"
    assert zhang.user.email == "zhang@example.com"
    li = Employee.objects.get(employee_number="1002")
    assert li.department == org.ds
    assert li.manager == zhang
    assert li.status == Employee.Status.DEPARTED
    assert li.hire_date == datetime.date(2019, 7, 15)
    assert li.leave_date == datetime.date(2024, 1, 31)
    assert li.user.is_active is False


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("电子商务部/运营组", "DS-YY"),
        ("电子商务部／运营组", "DS-YY"),
        ("电子商务部 / 运营组", "DS-YY"),
        ("DS-YY", "DS-YY"),
        ("ds-yy", "DS-YY"),
        ("电子商务部", "DS"),
        ("市场部/运营组", "SC-YY"),
    ],
)
def test_department_may_be_a_path_a_code_or_a_unique_name(org, written, code):
    report = import_csv(csv_text("工号,姓名,部门", f"1001,张三,{written}"))

    assert error_lines(report) == []
    assert Employee.objects.get(employee_number="1001").department.code == code


def test_english_column_names_are_accepted(org):
    report = import_csv(
        csv_text(
            "Employee Number,Name,Department,Position,Manager,Clearance,Status,"
            "Hire Date,Leave Date,E-mail,Phone",
            "1001,Zhang San,DS-YY,运营专员,,Confidential,active,2021-03-01,,z@example.com,138",
        )
    )

    assert error_lines(report) == []
    zhang = Employee.objects.get(employee_number="1001")
    assert (zhang.name, zhang.position, zhang.clearance) == ("Zhang San", org.specialist, 2)
    assert zhang.hire_date == datetime.date(2021, 3, 1)
    assert zhang.user.email == "z@example.com"


def test_new_employee_gets_login_named_by_number_in_staff_group_without_password(org):
    import_csv(csv_text("工号,姓名,部门,邮箱", "1001,张三,DS,zhang@example.com"))

    employee = Employee.objects.get(employee_number="1001")
    login = employee.user
    assert login.username == "1001"
    assert login.email == "zhang@example.com"
    assert login.is_active is True
    assert not login.has_usable_password()
    assert list(login.groups.values_list("name", flat=True)) == [STAFF]


def test_manager_row_may_come_after_the_employee_row(org):
    report = import_csv(
        csv_text(
            "工号,姓名,部门,上级工号",
            "1002,李四,DS-YY,1001",
            "1003,王五,DS-YY,1002",
            "1001,张三,DS,",
        )
    )

    assert error_lines(report) == []
    managers = dict(Employee.objects.values_list("employee_number", "manager__employee_number"))
    assert managers == {"1001": None, "1002": "1001", "1003": "1002"}


def test_manager_may_be_an_employee_already_in_the_system(org, veteran):
    report = import_csv(csv_text("工号,姓名,部门,上级工号", "1001,张三,DS,0900"))

    assert error_lines(report) == []
    assert Employee.objects.get(employee_number="1001").manager == veteran


def test_leave_date_without_status_makes_a_new_employee_departed(org):
    import_csv(csv_text("工号,姓名,部门,入职日期,离职日期", "1001,张三,DS,2020-01-01,2023-06-30"))

    employee = Employee.objects.get(employee_number="1001")
    assert employee.status == Employee.Status.DEPARTED
    assert employee.user.is_active is False


def test_reimporting_the_same_file_changes_nothing(org, veteran):
    text = csv_text(
        HEADER,
        "1002,李四,DS-YY,运营专员,1001,秘密,在职,2021-03-01,,li@example.com,13900000000",
        "1001,张三,电子商务部,,0900,内部,在职,2018-05-20,,zhang@example.com,",
        "1003,王五,DS,,,,离职,2017-01-01,2020-12-31,,",
    )
    first = import_csv(text)
    assert first.ok and len(first.created) == 3
    before = snapshot()

    again = import_csv(text)

    assert again.created == [] and again.updated == [] and again.departed == []
    assert sorted(again.unchanged) == ["1001", "1002", "1003"]
    assert snapshot() == before


def test_reimporting_xlsx_changes_nothing(org):
    data = xlsx_bytes(
        [
            ["工号", "姓名", "部门", "入职日期", "上级工号"],
            [1001, "张三", "DS", datetime.date(2021, 3, 1), None],
            [1002, "李四", "DS-YY", datetime.date(2022, 4, 2), 1001],
        ]
    )
    employees_import(data=data, filename="staff.xlsx")
    before = snapshot()

    again = employees_import(data=data, filename="staff.xlsx")

    assert (again.created, again.updated) == ([], [])
    assert sorted(again.unchanged) == ["1001", "1002"]
    assert snapshot() == before


def test_changed_row_updates_only_that_employee(org):
    import_csv(csv_text("工号,姓名,部门,状态", "1001,张三,DS,在职", "1002,李四,DS,在职"))

    report = import_csv(
        csv_text("工号,姓名,部门,状态", "1001,张三,DS-YY,在职", "1002,李四,DS,离职")
    )

    assert sorted(report.updated) == ["1001", "1002"]
    assert Employee.objects.get(employee_number="1001").department == org.ds_yy
    li = Employee.objects.get(employee_number="1002")
    assert li.status == Employee.Status.DEPARTED
    assert li.user.is_active is False


def test_columns_absent_from_the_file_are_left_alone(org, veteran):
    veteran.phone = "010-12345678"
    veteran.clearance = 3
    veteran.save()

    report = import_csv(csv_text("工号,姓名,部门", "0900,老王,DS-YY"))

    assert report.updated == ["0900"]
    veteran.refresh_from_db()
    assert veteran.department == org.ds_yy
    assert (veteran.phone, veteran.clearance) == ("010-12345678", 3)
    assert veteran.user.email == "wang@example.com"


def test_employees_missing_from_the_file_are_left_alone_by_default(org, veteran):
    report = import_csv(csv_text("工号,姓名,部门", "1001,张三,DS"))

    assert report.departed == []
    veteran.refresh_from_db()
    assert veteran.status == Employee.Status.ACTIVE
    assert veteran.leave_date is None
    assert veteran.user.is_active is True


def test_full_import_marks_missing_employees_departed(org, veteran):
    long_gone = EmployeeFactory(
        employee_number="0100",
        department=org.ds,
        status=Employee.Status.DEPARTED,
        leave_date=datetime.date(2020, 1, 1),
    )
    report = import_csv(csv_text("工号,姓名,部门", "1001,张三,DS"), mark_departed=True)

    assert report.departed == ["0900"]
    veteran.refresh_from_db()
    veteran.user.refresh_from_db()
    assert veteran.status == Employee.Status.DEPARTED
    assert veteran.leave_date == timezone.localdate()
    assert veteran.user.is_active is False
    long_gone.refresh_from_db()
    assert long_gone.leave_date == datetime.date(2020, 1, 1)
    assert Employee.objects.get(employee_number="1001").status == Employee.Status.ACTIVE


def test_dry_run_reports_what_would_happen_and_saves_nothing(org, veteran):
    before = snapshot()

    report = import_csv(
        csv_text("工号,姓名,部门", "1001,张三,DS", "0900,老王,DS-YY"),
        dry_run=True,
        mark_departed=True,
    )

    assert report.ok and report.dry_run
    assert (report.created, report.updated) == (["1001"], ["0900"])
    assert snapshot() == before


# --- encodings and formats ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "name"),
    [
        ("gbk", "张三丰"),
        ("gb18030", "王𠮷"),  # 𠮷 exists in GB18030 but not GBK
        ("utf-8-sig", "欧阳娜娜"),
        ("utf-8", "司马懿"),
    ],
)
def test_csv_in_each_chinese_office_encoding(org, encoding, name):
    text = csv_text("工号,姓名,部门,岗位", f"1001,{name},电子商务部/运营组,运营专员")

    report = import_csv(text, encoding=encoding)

    assert error_lines(report) == []
    employee = Employee.objects.get(employee_number="1001")
    assert employee.name == name
    assert employee.department == org.ds_yy
    assert employee.position == org.specialist


def test_utf16_tab_separated_unicode_text(org):
    text = csv_text(
        "工号\t姓名\t部门\t岗位\t入职日期",
        "1001\t张三\t电子商务部/运营组\t运营专员\t2021-03-01",
        "1002\t李四\t电子商务部\t\t2022-04-02",
    )

    report = import_csv(text, encoding="utf-16", filename="staff.txt")

    assert error_lines(report) == []
    names = dict(Employee.objects.values_list("employee_number", "name"))
    assert names == {"1001": "张三", "1002": "李四"}
    assert Employee.objects.get(employee_number="1001").position == org.specialist


def test_xlsx_with_numeric_employee_numbers_and_date_cells(org):
    data = xlsx_bytes(
        [
            ["工号", "姓名", "部门", "岗位", "入职日期", "离职日期", "上级工号", "手机"],
            [
                1001,
                "张三",
                "电子商务部/运营组",
                "运营专员",
                datetime.date(2021, 3, 1),
                None,
                None,
                13800138000,
            ],
            [1002.0, "李四", "DS", None, datetime.datetime(2022, 4, 2), None, 1001, None],
        ]
    )

    report = employees_import(data=data, filename="staff.xlsx")

    assert error_lines(report) == []
    assert sorted(report.created) == ["1001", "1002"]
    zhang = Employee.objects.get(employee_number="1001")
    assert zhang.user.username == "1001"
    assert zhang.name == "张三"
    assert zhang.position == org.specialist
    assert zhang.hire_date == datetime.date(2021, 3, 1)
    assert zhang.phone == "13800138000"
    li = Employee.objects.get(employee_number="1002")
    assert li.hire_date == datetime.date(2022, 4, 2)
    assert li.manager == zhang


def test_xlsx_errors_use_the_row_numbers_excel_shows(org):
    data = xlsx_bytes(
        [
            ["工号", "姓名", "部门", "入职日期"],
            [1001, "张三", "DS", datetime.date(2021, 3, 1)],
            [None, None, None, None],
            [1002, "李四", "DS", "昨天"],
        ]
    )

    report = employees_import(data=data, filename="staff.xlsx")

    assert error_lines(report) == [
        "第 4 行，“入职日期”列：“昨天”不是有效日期，请写成 2025-03-01 的格式。"
    ]
    assert not Employee.objects.exists()


# --- files that are refused whole ---------------------------------------------------------------


def assert_file_refused(data: bytes, filename: str, *expected: str) -> str:
    """The service refuses the file with a message containing each expected text; no change."""
    before = snapshot()
    with pytest.raises(ImportFileError) as caught:
        employees_import(data=data, filename=filename, mark_departed=True)
    for text in expected:
        assert text in caught.value.message
    assert snapshot() == before
    return caught.value.message


def test_missing_required_columns_are_named(org, veteran):
    message = assert_file_refused(
        csv_text("工号,名字,岗位", "1001,张三,运营专员").encode(), "staff.csv", "第 1 行"
    )
    assert "姓名、部门" in message


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\r\n   "], ids=["zero-bytes", "whitespace"])
def test_empty_file(org, veteran, data):
    assert assert_file_refused(data, "staff.csv") == "文件是空的。"


def test_header_only_file(org, veteran):
    message = assert_file_refused(csv_text(HEADER).encode(), "staff.csv")
    assert message == "文件只有表头，没有数据行。"


def test_file_over_the_size_limit_is_refused_before_it_is_parsed(org, veteran, monkeypatch):
    import records.importing.reader as reader

    def must_not_parse(*args, **kwargs):
        raise AssertionError("an oversized file was parsed")

    monkeypatch.setattr(reader, "decode_text", must_not_parse)
    monkeypatch.setattr(reader, "_read_xlsx", must_not_parse)
    # A valid file padded with blank lines to 50 MB: importable but for its size.
    data = csv_text("工号,姓名,部门", "1001,张三,DS").encode()
    data += b"\r\n" * ((50 * 1024 * 1024 - len(data)) // 2)
    assert len(data) >= 50 * 1024 * 1024 - 2

    message = assert_file_refused(data, "staff.csv", "50.0", "10.0")
    assert message.startswith("文件大小为")


def test_zip_of_junk_renamed_to_xlsx(org, veteran):
    rng = random.Random(1)
    data = zip_bytes({"data.bin": rng.randbytes(500), "notes/more.bin": rng.randbytes(300)})

    message = assert_file_refused(data, "staff.xlsx")

    assert message == "文件不是可读取的 Excel 工作簿（.xlsx），可能已损坏或被改了扩展名。"


def test_damaged_xlsx_whose_parts_are_junk(org, veteran):
    """A damaged workbook: the xlsx part names are there, their content is random bytes."""
    rng = random.Random(2)
    data = zip_bytes(
        {
            "[Content_Types].xml": rng.randbytes(400),
            "xl/workbook.xml": rng.randbytes(400),
            "xl/worksheets/sheet1.xml": rng.randbytes(400),
        }
    )

    message = assert_file_refused(data, "staff.xlsx")

    assert message == "文件不是可读取的 Excel 工作簿（.xlsx），可能已损坏或被改了扩展名。"


def test_xlsx_with_a_corrupted_sheet(org, veteran):
    """A real workbook whose sheet XML got damaged (e.g. a broken download)."""
    good = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["工号", "姓名", "部门"], [1001, "张三", "DS"]])))
    rng = random.Random(3)
    damaged = {
        name: rng.randbytes(200) if name == "xl/worksheets/sheet1.xml" else good.read(name)
        for name in good.namelist()
    }

    message = assert_file_refused(zip_bytes(damaged), "staff.xlsx")

    assert message == "文件不是可读取的 Excel 工作簿（.xlsx），可能已损坏或被改了扩展名。"


def test_legacy_xls_is_refused_with_advice(org, veteran):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096)

    message = assert_file_refused(data, "staff.xls")

    assert message == "无法读取旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV。"


def test_text_file_named_xlsx_is_refused(org, veteran):
    data = csv_text("工号,姓名,部门", "1001,张三,DS").encode()

    message = assert_file_refused(data, "staff.xlsx")

    assert message == "文件扩展名为 .xlsx，但内容不是 Excel 工作簿。"


# --- invalid rows: every problem listed, nothing written ----------------------------------------


def import_with_errors(text: str) -> list[str]:
    """Import a file that has errors; check nothing changed; return the error lines."""
    before = snapshot()
    report = import_csv(text, mark_departed=True)
    assert not report.ok
    assert (report.created, report.updated, report.departed) == ([], [], [])
    assert snapshot() == before
    return error_lines(report)


@pytest.mark.parametrize("bad_date", ["2021-13-45", "昨天"])
def test_bad_date_names_row_and_column(org, veteran, bad_date):
    errors = import_with_errors(
        csv_text("工号,姓名,部门,入职日期", "1001,张三,DS,2021-03-01", f"1002,李四,DS,{bad_date}")
    )

    assert errors == [
        f"第 3 行，“入职日期”列：“{bad_date}”不是有效日期，请写成 2025-03-01 的格式。"
    ]


def test_unknown_department(org, veteran):
    errors = import_with_errors(csv_text("工号,姓名,部门", "1001,张三,DS", "1002,李四,财务部"))

    assert errors == ["第 3 行，“部门”列：部门“财务部”不存在。"]


def test_ambiguous_department_name_asks_for_the_full_path(org, veteran):
    errors = import_with_errors(csv_text("工号,姓名,部门", "1001,张三,运营组"))

    assert len(errors) == 1
    assert errors[0].startswith("第 2 行，“部门”列：“运营组”对应多个部门，请写完整路径")
    assert re.search("(电子商务部|市场部)/运营组", errors[0])


def test_duplicate_employee_number_names_both_rows(org, veteran):
    errors = import_with_errors(
        csv_text("工号,姓名,部门", "1001,张三,DS", "1002,李四,DS", "1001,张三丰,DS-YY")
    )

    assert errors == ["第 4 行，“工号”列：工号 1001 已在第 2 行出现。"]


def test_unknown_clearance_level(org, veteran):
    errors = import_with_errors(csv_text("工号,姓名,部门,密级", "1001,张三,DS,超级机密"))

    assert errors == ["第 2 行，“密级”列：密级“超级机密”不存在。"]


def test_position_that_does_not_exist_in_that_department(org, veteran):
    # 运营专员 exists, but in 电子商务部/运营组, not in 市场部/运营组.
    errors = import_with_errors(csv_text("工号,姓名,部门,岗位", "1001,张三,市场部/运营组,运营专员"))

    assert errors == ["第 2 行，“岗位”列：市场部/运营组 没有“运营专员”这个岗位。"]


def test_manager_number_that_nobody_has(org, veteran):
    errors = import_with_errors(
        csv_text("工号,姓名,部门,上级工号", "1001,张三,DS,0900", "1002,李四,DS,9999")
    )

    assert errors == ["第 3 行，“上级工号”列：没有工号为 9999 的员工。"]


def test_leave_date_before_hire_date(org, veteran):
    errors = import_with_errors(
        csv_text("工号,姓名,部门,入职日期,离职日期", "1001,张三,DS,2022-05-01,2021-05-01")
    )

    assert errors == ["第 2 行，“离职日期”列：离职日期早于入职日期。"]


def test_every_invalid_row_is_reported_at_once(org, veteran):
    errors = import_with_errors(
        csv_text(
            "工号,姓名,部门,状态,邮箱",
            "1001,张三,DS,在职,zhang@example.com",
            "1002,,DS,在职,",
            "1003,王五,DS,休假,",
            "1004,赵六,DS,在职,not-an-address",
        )
    )

    assert errors == [
        "第 3 行，“姓名”列：此列不能为空。",
        "第 4 行，“状态”列：请填写“在职”或“离职”，而不是“休假”。",
        "第 5 行，“邮箱”列：“not-an-address”不是有效的邮箱地址。",
    ]


def test_employee_number_already_taken_as_a_login_name_is_a_row_error(org):
    """A login named 1001 exists without an employee (e.g. its employee was deleted)."""
    UserFactory(username="1001")
    before = snapshot()

    report = import_csv(csv_text("工号,姓名,部门", "1002,李四,DS", "1001,张三,DS"))

    assert [(error.row, error.column) for error in report.errors] == [(3, "工号")]
    assert snapshot() == before


# --- the management command ---------------------------------------------------------------------


def run_command(path, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_employees", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def staff_csv(tmp_path):
    path = tmp_path / "员工名单.csv"
    path.write_bytes(
        csv_text("工号,姓名,部门,备注", "1001,张三,DS-YY", "1002,李四,DS").encode("gbk")
    )
    return path


def test_command_imports_and_prints_a_summary(org, staff_csv):
    out, _err = run_command(staff_csv)

    assert set(Employee.objects.values_list("name", flat=True)) == {"张三", "李四"}
    assert "备注" in out  # the column it did not recognise
    summary = out.strip().splitlines()[-1]
    assert re.findall(r"\d+", summary) == ["2", "0", "0", "0"]


def test_command_summary_is_in_the_default_language(org, staff_csv):
    out, _err = run_command(staff_csv)

    summary = out.strip().splitlines()[-1]
    assert re.search("[\u4e00-\u9fff]", summary), summary


def test_command_with_row_errors_writes_them_to_stderr_and_raises(org, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        csv_text("工号,姓名,部门,入职日期", "1001,张三,财务部,2021-01-01", "1002,李四,DS,昨天"),
        encoding="utf-8-sig",
    )
    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command("import_employees", str(path), stdout=io.StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "第 2 行，“部门”列：部门“财务部”不存在。",
        "第 3 行，“入职日期”列：“昨天”不是有效日期，请写成 2025-03-01 的格式。",
    ]
    assert "2" in str(caught.value) and "staff.csv" in str(caught.value)
    assert not Employee.objects.exists()


def test_command_with_unreadable_file_raises_command_error(org, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024))

    with pytest.raises(CommandError, match=r"old\.xls.*旧版 Excel"):
        run_command(path)


def test_command_refuses_an_oversized_file_with_a_command_error(org, tmp_path):
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them

    with pytest.raises(CommandError, match="文件大小为"):
        run_command(path)


def test_command_dry_run_saves_nothing(org, veteran, staff_csv):
    before = snapshot()

    out, _err = run_command(staff_csv, "--dry-run", "--mark-departed")

    assert snapshot() == before
    assert re.findall(r"\d+", out.strip().splitlines()[-1]) == ["2", "0", "0", "1"]


def test_command_mark_departed(org, veteran, staff_csv):
    run_command(staff_csv, "--mark-departed")

    veteran.refresh_from_db()
    assert veteran.status == Employee.Status.DEPARTED
    assert veteran.leave_date == timezone.localdate()
    assert User.objects.get(username="0900").is_active is False


def test_command_without_mark_departed_keeps_missing_employees(org, veteran, staff_csv):
    run_command(staff_csv)

    veteran.refresh_from_db()
    assert veteran.status == Employee.Status.ACTIVE
    assert User.objects.get(username="0900").is_active is True


# --- the admin upload ---------------------------------------------------------------------------


def upload(client, content: bytes, name: str = "staff.csv", **fields):
    return client.post(
        reverse(IMPORT_URL_NAME),
        {"file": SimpleUploadedFile(name, content), **fields},
    )


def test_hr_uploads_a_file_and_sees_the_created_count(org, hr_client):
    data = csv_text("工号,姓名,部门", "1001,张三,DS", "1002,李四,DS-YY").encode("gbk")

    response = upload(hr_client, data)

    assert response.status_code == 200
    assert set(Employee.objects.values_list("employee_number", flat=True)) == {"1001", "1002"}
    page = response.content.decode()
    assert "导入完成。" in page
    assert "新建员工 2 人" in page


def test_hr_dry_run_upload_saves_nothing(org, hr_client):
    data = csv_text("工号,姓名,部门", "1001,张三,DS").encode()

    response = upload(hr_client, data, dry_run="on")

    assert "文件校验通过。仅校验，未保存任何内容。" in response.content.decode()
    assert not Employee.objects.exists()


def test_hr_sees_row_errors_as_a_table(org, hr_client):
    data = csv_text(
        "工号,姓名,部门,入职日期", "1001,张三,DS,2021-13-45", "1002,李四,财务部,"
    ).encode()

    response = upload(hr_client, data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "文件有 2 处错误，没有做任何更改。" in page
    rows = re.findall(
        r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>",
        page.split('class="listing import-errors"')[1],
    )
    assert rows == [
        ("2", "入职日期", "“2021-13-45”不是有效日期，请写成 2025-03-01 的格式。"),
        ("3", "部门", "部门“财务部”不存在。"),
    ]
    assert not Employee.objects.exists()


def test_hr_sees_why_a_file_cannot_be_read(org, hr_client):
    response = upload(hr_client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old.xls")

    page = response.content.decode()
    assert "文件未导入，没有做任何更改。" in page
    assert "无法读取旧版 Excel（.xls）文件，请另存为 .xlsx 或 CSV。" in page


def test_staff_member_cannot_import(org, client):
    client.force_login(UserFactory(username="clerk", roles=[STAFF]))
    data = csv_text("工号,姓名,部门", "1001,张三,DS").encode()

    assert client.get(reverse(IMPORT_URL_NAME)).status_code in (302, 403)
    assert upload(client, data).status_code in (302, 403)
    assert not Employee.objects.exists()


def test_admin_user_without_import_permission_cannot_import(org, client):
    """A reviewer may open the admin but not the import."""
    reviewer = UserFactory(username="reviewer")
    reviewer.groups.add(Group.objects.get(name="审核人"))
    client.force_login(reviewer)

    response = upload(client, csv_text("工号,姓名,部门", "1001,张三,DS").encode())

    assert response.status_code != 200
    assert not Employee.objects.exists()


def test_employee_list_offers_the_import_to_hr(org, hr_client):
    response = hr_client.get(reverse(EMPLOYEE_LIST_URL_NAME))

    assert response.status_code == 200
    import_url = reverse(IMPORT_URL_NAME)
    links = re.findall(r'<a\b[^>]*href="([^"]+)"[^>]*>(.*?)</a>', response.content.decode(), re.S)
    assert any(href == import_url and "从文件导入" in label for href, label in links)


def test_leave_date_without_status_column_makes_an_existing_employee_departed(org, veteran):
    import_csv(csv_text("工号,姓名,部门,离职日期", "0900,老王,DS,2025-06-30"))

    veteran.refresh_from_db()
    veteran.user.refresh_from_db()
    assert veteran.status == Employee.Status.DEPARTED
    assert veteran.leave_date == datetime.date(2025, 6, 30)
    assert veteran.user.is_active is False


def test_duplicate_number_is_reported_even_when_its_first_row_is_invalid(org):
    before = snapshot()
    report = import_csv(
        csv_text("工号,姓名,部门,入职日期", "1001,张三,DS,不是日期", "1001,李四,DS,2021-01-01")
    )

    lines = error_lines(report)
    assert any(line.startswith("第 2 行，“入职日期”列") for line in lines)
    assert "第 3 行，“工号”列：工号 1001 已在第 2 行出现。" in lines
    assert snapshot() == before
