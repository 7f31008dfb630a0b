"""Each demo login lands on its role's home; staff and auditors never reach the admin."""

import pytest
from django.urls import reverse

from zhidu.demo.loader import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


def sign_in(client, username):
    response = client.post(
        reverse("login"), {"username": username, "password": "zhidu-demo"}, follow=True
    )
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("username", "home"),
    [
        ("staff", "/my/"),
        ("hr", "/admin/"),
        ("reviewer", "/admin/"),
        ("approver", "/admin/"),
        ("auditor", "/audit/"),
        ("admin", "/admin/"),
    ],
)
def test_each_demo_login_lands_on_its_roles_home(client, demo, username, home):
    response = sign_in(client, username)
    assert response.redirect_chain[-1][0] == home


def test_staff_home_shows_own_profile_job_description_and_regulations(client, demo):
    response = sign_in(client, "staff")
    text = response.content.decode()
    assert "我的文件" in text
    assert "HM0014" in text  # the demo staff login's 工号
    assert "运营专员岗位说明书" in text
    assert "考勤与休假管理制度" in text
    assert "待我签收" in text


def test_staff_does_not_see_regulations_above_their_clearance(client, demo):
    response = sign_in(client, "staff")  # clearance 内部(1); the 保密 rule is 秘密(2)
    assert "信息安全与保密管理制度" not in response.content.decode()
    response = client.get("/library/safety/reg-004/")
    assert response.status_code == 404


def test_staff_cannot_reach_the_admin(client, demo):
    sign_in(client, "staff")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_auditor_cannot_reach_the_admin_but_reads_the_auditor_area(client, demo):
    sign_in(client, "auditor")
    assert client.get("/admin/").status_code == 302
    response = client.get("/audit/", {"q": "王建华"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "HM0001" in text and "总经理" in text
    assert "只读" in text


def test_auditor_directory_filters_by_department_subtree(client, demo):
    from records.models import Department

    sign_in(client, "auditor")
    shop = Department.objects.get(code="DS")
    text = client.get("/audit/", {"department": shop.pk}).content.decode()
    assert "运营组" in text  # a group inside 电子商务部
    assert "HM0001" not in text  # 总经理 is in 总经办


def test_staff_cannot_open_the_auditor_area(client, demo):
    sign_in(client, "staff")
    assert client.get("/audit/").status_code == 403


def test_anonymous_visitor_sees_chinese_landing_and_is_sent_to_login(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()
    assert client.get("/my/")["Location"].startswith("/accounts/login/")
    library = client.get("/library/")
    assert library.status_code == 302
    assert library["Location"].startswith("/accounts/login/")


def test_wrong_password_is_refused_in_chinese(client, demo):
    response = client.post(reverse("login"), {"username": "staff", "password": "nope"})
    assert response.status_code == 200
    assert "工号/用户名与密码不匹配" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_departed_employee_cannot_sign_in(client, demo):
    from records.models import Employee
    from records.services import employee_login_sync

    employee = Employee.objects.get(user__username="staff")
    employee.status = Employee.Status.DEPARTED
    employee_login_sync(employee=employee)
    employee.save()
    response = client.post(reverse("login"), {"username": "staff", "password": "zhidu-demo"})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
