"""Changes of rights are in the audit trail; administrators unlock sign-ins and reset second
factors from the admin, and nobody else can."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from records.audit import audit_verify
from records.models import AuditAction, AuditEntry
from records.roles import ADMINISTRATOR, AUDITOR, POLICY_EDITOR, REVIEWER, STAFF
from records.services import employee_login_sync
from tests.factories import EmployeeFactory, UserFactory

pytestmark = pytest.mark.django_db

SCREEN = reverse("account_security")
UNLOCK = reverse("account_security_unlock")


def reset_url(user) -> str:
    return reverse("account_security_second_factor_reset", args=[user.pk])


def changes(obj=None, *, after: int = 0) -> list[AuditEntry]:
    """The permission_change entries (about ``obj`` if given), oldest first."""
    entries = AuditEntry.objects.filter(action=AuditAction.PERMISSION_CHANGE, sequence__gt=after)
    if obj is not None:
        entries = entries.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(entries.order_by("sequence"))


def last_sequence() -> int:
    last = AuditEntry.objects.order_by("-sequence").first()
    return last.sequence if last else 0


def sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


@pytest.fixture
def administrator():
    return EmployeeFactory(name="管理甲", user__roles=[STAFF, ADMINISTRATOR]).user


@pytest.fixture
def admin_browser(administrator):
    browser = Client()
    browser.force_login(administrator)
    return browser


# --- permission and role changes --------------------------------------------------------------


def test_roles_granted_by_migrations_leave_no_entries_and_administrators_may_manage_security():
    assert changes() == []
    assert (
        Group.objects.get(name=ADMINISTRATOR)
        .permissions.filter(codename="manage_account_security")
        .exists()
    )
    assert UserFactory(roles=[ADMINISTRATOR]).has_perm("records.manage_account_security")
    assert not UserFactory(roles=[POLICY_EDITOR]).has_perm("records.manage_account_security")


def test_group_changes_through_the_orm_are_recorded_from_either_side():
    employee = EmployeeFactory(name="李明", employee_number="HM0101")
    user = employee.user
    editor, reviewer = Group.objects.get(name=POLICY_EDITOR), Group.objects.get(name=REVIEWER)

    user.groups.add(editor, reviewer)
    user.groups.add(editor)  # already held: nothing changes, nothing recorded
    user.groups.remove(reviewer)
    reviewer.user_set.add(user)
    reviewer.user_set.remove(user)
    user.groups.clear()

    entries = changes(user)
    assert [e.details for e in entries] == [
        {"kind": "groups", "added": sorted([POLICY_EDITOR, REVIEWER])},
        {"kind": "groups", "removed": [REVIEWER]},
        {"kind": "groups", "added": [REVIEWER]},
        {"kind": "groups", "removed": [REVIEWER]},
        {"kind": "groups", "removed": [POLICY_EDITOR]},
    ]
    assert all(e.object_label == "李明（HM0101）" for e in entries)
    assert all(e.actor is None for e in entries)  # no request: nobody to name
    assert audit_verify().ok


def test_clearing_a_group_records_each_member_it_loses():
    first, second = UserFactory(username="a1"), UserFactory(username="a2")
    group = Group.objects.create(name="临时组")
    group.user_set.add(first, second)
    mark = last_sequence()
    group.user_set.clear()
    assert [(e.object_label, e.details) for e in changes(after=mark)] == [
        ("a1", {"kind": "groups", "removed": ["临时组"]}),
        ("a2", {"kind": "groups", "removed": ["临时组"]}),
    ]


def test_group_permissions_and_a_logins_own_permissions_are_recorded():
    group = Group.objects.get(name=REVIEWER)
    permission = Permission.objects.get(codename="import_employees")
    group.permissions.add(permission)
    permission.group_set.remove(group)
    user = UserFactory(username="wangwu")
    user.user_permissions.add(permission)
    user.user_permissions.clear()

    assert [e.details for e in changes(group)] == [
        {"kind": "group_permissions", "added": ["records.import_employees"]},
        {"kind": "group_permissions", "removed": ["records.import_employees"]},
    ]
    assert changes(group)[0].object_label == REVIEWER
    assert [e.details for e in changes(user)] == [
        {"kind": "user_permissions", "added": ["records.import_employees"]},
        {"kind": "user_permissions", "removed": ["records.import_employees"]},
    ]


def test_flag_changes_are_recorded_with_old_and_new_values():
    user = UserFactory(username="zhaoliu")
    assert changes(user) == []  # an ordinary new login grants nothing
    user.is_superuser = True
    user.is_staff = True
    user.save()
    user.first_name = "六"
    user.save()  # no flag changed
    user.save(update_fields=["last_login"])

    assert [e.details for e in changes(user)] == [
        {"kind": "flags", "is_superuser": [False, True], "is_staff": [False, True]}
    ]
    created = UserFactory(username="root2", is_superuser=True)
    assert [e.details for e in changes(created)] == [
        {"kind": "flags", "is_superuser": [False, True]}
    ]


def test_a_departed_employees_disabled_login_is_recorded():
    employee = EmployeeFactory()
    employee.status = "departed"
    employee_login_sync(employee=employee)
    assert [e.details for e in changes(employee.user)] == [
        {"kind": "flags", "is_active": [True, False]}
    ]


def test_role_changes_in_the_wagtail_user_form_name_the_administrator(admin_browser, administrator):
    user = EmployeeFactory(name="周敏", employee_number="HM0300", user__roles=[STAFF]).user
    mark = last_sequence()
    response = admin_browser.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "username": user.username,
            "email": "zhoumin@example.com",
            "first_name": "敏",
            "last_name": "周",
            "password1": "",
            "password2": "",
            "is_active": "on",
            "groups": [Group.objects.get(name=POLICY_EDITOR).pk],  # 员工 off, 制度管理员 on
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    entries = changes(user, after=mark)
    assert [e.details for e in entries] == [
        {"kind": "groups", "removed": [STAFF]},
        {"kind": "groups", "added": [POLICY_EDITOR]},
    ]
    assert all(e.actor == administrator for e in entries)
    number = administrator.employee.employee_number
    assert all(e.actor_name == f"管理甲（{number}）" for e in entries)

    admin_browser.post(
        reverse("wagtailusers_users:edit", args=[user.pk]),
        {
            "username": user.username,
            "email": "zhoumin@example.com",
            "first_name": "敏",
            "last_name": "周",
            "groups": [Group.objects.get(name=POLICY_EDITOR).pk],
            # is_active left unticked: the login is disabled
        },
    )
    disabled = changes(user, after=mark)[-1]
    assert disabled.details == {"kind": "flags", "is_active": [True, False]}
    assert disabled.actor == administrator


# --- the account security screen ---------------------------------------------------------------


def lock_out(username: str, **extra) -> None:
    browser = Client()
    for _ in range(5):
        sign_in(browser, username, "wrong", **extra)
    assert sign_in(browser, username, "right-password", **extra).status_code == 429


def test_the_administrator_finds_the_screen_in_the_organisation_menu(admin_browser):
    assert SCREEN in admin_browser.get(reverse("wagtailadmin_home")).content.decode()
    response = admin_browser.get(SCREEN)
    assert response.status_code == 200
    body = response.content.decode()
    assert "没有被锁定的登录" in body or "No sign-in is locked" in body


def test_unlocking_a_locked_out_login_lets_them_sign_in_again(admin_browser, administrator):
    user = EmployeeFactory(name="张三", employee_number="HM0201").user
    user.username = "zhangsan"
    user.set_password("right-password")
    user.save()
    lock_out("zhangsan")

    listing = admin_browser.get(SCREEN).content.decode()
    assert "zhangsan" in listing and "张三（HM0201）" in listing and "127.0.0.1" in listing
    confirm = admin_browser.get(UNLOCK, {"username": "zhangsan"})
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    assert AccessAttempt.objects.filter(username="zhangsan").exists()  # asking changes nothing

    done = admin_browser.post(UNLOCK, {"username": "zhangsan"}, follow=True)
    assert done.redirect_chain[-1][0] == SCREEN
    assert "zhangsan" in "".join(str(m) for m in done.context["messages"])
    assert "zhangsan" not in done.content.decode().split("locked-heading")[1].split("</section>")[0]

    assert sign_in(Client(), "zhangsan", "right-password").status_code == 302
    entry = changes(user)[-1]
    assert entry.details == {
        "kind": "unlock",
        "username": "zhangsan",
        "ip_addresses": ["127.0.0.1"],
    }
    assert entry.actor == administrator and entry.ip == "127.0.0.1"
    assert audit_verify().ok


def test_a_user_name_with_no_login_can_be_unlocked_too(admin_browser):
    lock_out("root", REMOTE_ADDR="203.0.113.7")
    assert "root" in admin_browser.get(SCREEN).content.decode()
    admin_browser.post(UNLOCK, {"username": "root"})
    assert not AccessAttempt.objects.filter(username="root").exists()
    entry = changes()[-1]
    assert entry.object_label == "root" and entry.object_id == ""
    assert entry.details["ip_addresses"] == ["203.0.113.7"]


def test_unlocking_a_name_that_is_not_locked_changes_nothing(admin_browser):
    UserFactory(username="lisi", password="right-password")
    sign_in(Client(), "lisi", "wrong")  # one failure: not locked
    mark = last_sequence()
    response = admin_browser.post(UNLOCK, {"username": "lisi"}, follow=True)
    assert response.redirect_chain[-1][0] == SCREEN
    assert AccessAttempt.objects.filter(username="lisi").exists()
    assert changes(after=mark) == []
    admin_browser.post(UNLOCK, {"username": ""})
    assert AccessAttempt.objects.filter(username="lisi").exists()  # never "everyone"


@override_settings(ZHIDU_REQUIRE_2FA_ROLES=[AUDITOR])
def test_resetting_a_second_factor_makes_its_owner_set_up_a_new_one(admin_browser, administrator):
    auditor = UserFactory(username="auditor", password="right-password", roles=[AUDITOR])
    device = TOTPDevice.objects.create(user=auditor, name="Zhidu", confirmed=True)
    browser = Client()
    sign_in(browser, "auditor", "right-password")
    browser.post(reverse("two_factor"), {"token": f"{totp(device.bin_key):06d}", "next": "/audit/"})
    assert browser.get("/audit/").status_code == 200

    assert "auditor" in admin_browser.get(SCREEN).content.decode()
    confirm = admin_browser.get(reset_url(auditor))
    assert confirm.status_code == 200 and TOTPDevice.objects.filter(user=auditor).exists()
    done = admin_browser.post(reset_url(auditor), follow=True)
    assert done.redirect_chain[-1][0] == SCREEN
    assert not TOTPDevice.objects.filter(user=auditor).exists()

    entry = changes(auditor)[-1]
    assert entry.details == {"kind": "second_factor_reset", "devices": 1}
    assert entry.actor == administrator

    # The session that was verified with the lost phone no longer counts as verified.
    redirected = browser.get("/audit/")
    assert redirected.status_code == 302
    assert redirected["Location"].startswith(reverse("two_factor"))
    assert "otpauth://" in browser.get(redirected["Location"]).content.decode()


@pytest.mark.parametrize("roles", [[STAFF, POLICY_EDITOR], [STAFF, AUDITOR], [STAFF]])
def test_others_get_no_menu_item_and_are_refused(roles):
    victim = UserFactory(username="victim", password="right-password", roles=[AUDITOR])
    TOTPDevice.objects.create(user=victim, name="Zhidu", confirmed=True)
    lock_out("victim")
    browser = Client()
    browser.force_login(UserFactory(roles=roles))

    home = browser.get(reverse("wagtailadmin_home"))
    assert SCREEN not in home.content.decode()
    for response in [
        browser.get(SCREEN),
        browser.get(UNLOCK, {"username": "victim"}),
        browser.post(UNLOCK, {"username": "victim"}),
        browser.get(reset_url(victim)),
        browser.post(reset_url(victim)),
    ]:
        # Those who may use the admin get a 403; the rest are sent to sign in to it.
        assert response.status_code in (403, 302)
        if POLICY_EDITOR in roles:
            assert response.status_code == 403
        else:
            assert response["Location"].startswith(reverse("wagtailadmin_login"))
    assert AccessAttempt.objects.filter(username="victim").exists()
    assert TOTPDevice.objects.filter(user=victim).exists()
    assert not [e for e in changes(victim) if e.details.get("kind") != "groups"]


def test_the_actions_need_the_csrf_token(administrator):
    victim = UserFactory(username="victim", password="right-password")
    TOTPDevice.objects.create(user=victim, name="Zhidu", confirmed=True)
    lock_out("victim")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(administrator)
    assert browser.post(UNLOCK, {"username": "victim"}).status_code == 403
    assert browser.post(reset_url(victim)).status_code == 403
    assert AccessAttempt.objects.filter(username="victim").exists()
    assert TOTPDevice.objects.filter(user=victim).exists()

    # The confirmation page carries the token, so the real form works.
    page = browser.get(UNLOCK, {"username": "victim"}).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    browser.post(UNLOCK, {"username": "victim", "csrfmiddlewaretoken": token})
    assert not AccessAttempt.objects.filter(username="victim").exists()
