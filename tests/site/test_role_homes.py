"""Each demo login lands on its role's home; staff and auditors never reach the admin.

The demo company takes seconds to build, so each test builds it once and checks one role's
whole experience.
"""

import pytest
from django.urls import reverse

from records.models import Department, Employee
from records.services import employee_login_sync
from zhidu.demo.loader import demo_load

pytestmark = pytest.mark.django_db

HOMES = {
    "staff": "/my/",
    "hr": "/admin/",
    "reviewer": "/admin/",
    "approver": "/admin/",
    "auditor": "/audit/",
    "admin": "/admin/",
}


@pytest.fixture
def demo(db):
    demo_load()


def sign_in(client, username, password="zhidu-demo"):
    return client.post(reverse("login"), {"username": username, "password": password}, follow=True)


def test_each_demo_login_lands_on_its_roles_home(client, demo):
    for username, home in HOMES.items():
        response = sign_in(client, username)
        assert response.status_code == 200
        assert response.redirect_chain[-1][0] == home, username
        client.post(reverse("logout"))


def test_staff_portal_shows_what_applies_and_nothing_above_clearance(client, demo):
    text = sign_in(client, "staff").content.decode()
    assert "我的文件" in text
    assert "HM0014" in text  # the demo staff login's 工号
    assert "运营专员岗位说明书" in text
    assert "考勤与休假管理制度" in text
    assert "待我签收" in text
    # clearance 内部(1); the 保密 rule is 秘密(2): not listed, and its page does not exist for them
    assert "信息安全与保密管理制度" not in text
    assert client.get("/library/safety/reg-004/").status_code == 404
    # never the admin, never the auditor area
    admin = client.get("/admin/")
    assert admin.status_code == 302 and "/admin/login/" in admin["Location"]
    assert client.get("/audit/").status_code == 403


def test_auditor_reads_the_auditor_area_but_not_the_admin(client, demo):
    sign_in(client, "auditor")
    assert client.get("/admin/").status_code == 302
    response = client.get("/audit/", {"q": "王建华"})
    text = response.content.decode()
    assert response.status_code == 200
    assert "HM0001" in text and "总经理" in text
    assert "只读" in text
    shop = Department.objects.get(code="DS")
    text = client.get("/audit/", {"department": shop.pk}).content.decode()
    assert "运营组" in text  # a group inside 电子商务部
    assert "HM0001" not in text  # 总经理 is in 总经办


def test_visitors_see_the_chinese_landing_and_sign_in_properly(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "登录" in response.content.decode()
    assert client.get("/my/")["Location"].startswith("/accounts/login/")
    library = client.get("/library/")
    assert library.status_code == 302
    assert library["Location"].startswith("/accounts/login/")
    # a wrong password is refused in Chinese
    refused = client.post(reverse("login"), {"username": "staff", "password": "nope"})
    assert "工号/用户名与密码不匹配" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # a departed employee cannot sign in any more
    employee = Employee.objects.get(user__username="staff")
    employee.status = Employee.Status.DEPARTED
    employee_login_sync(employee=employee)
    employee.save()
    sign_in(client, "staff")
    assert "_auth_user_id" not in client.session
