"""Security basics: Argon2, sign-in throttling, session lifetime, CSP and secure headers."""

from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from tests.factories import UserFactory
from zhidu.settings import base as base_settings

pytestmark = pytest.mark.django_db

LOCKED_ZH = "登录失败次数过多"
LOCKED_EN = "Too many failed sign-in attempts"


def test_new_passwords_are_hashed_with_argon2_and_old_pbkdf2_hashes_still_verify():
    with override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS):
        assert make_password("秘密-password").startswith("argon2$")
        old = make_password("old-password", hasher="pbkdf2_sha256")
        assert check_password("old-password", old)


def sign_in(client, username, password, url="/accounts/login/", **extra):
    return client.post(url, {"username": username, "password": password}, **extra)


def test_five_wrong_passwords_lock_the_user_from_that_address_only(client):
    UserFactory(username="zhangsan", password="right-password")
    UserFactory(username="lisi", password="other-password")
    for _ in range(4):
        response = sign_in(client, "zhangsan", "wrong")
        assert response.status_code == 200
        assert LOCKED_ZH not in response.content.decode()
    fifth = sign_in(client, "zhangsan", "wrong")
    assert fifth.status_code == 429 and LOCKED_ZH in fifth.content.decode()

    sixth = sign_in(client, "zhangsan", "right-password")
    assert sixth.status_code == 429
    assert LOCKED_ZH in sixth.content.decode() and "15" in sixth.content.decode()
    assert "_auth_user_id" not in client.session

    # In English too, and on Wagtail's admin sign-in.
    admin = sign_in(
        client, "zhangsan", "right-password", url="/admin/login/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert admin.status_code == 429 and LOCKED_EN in admin.content.decode()

    # Another user is not affected, nor the same user from another address.
    assert sign_in(client, "lisi", "other-password").status_code == 302
    client.logout()
    elsewhere = sign_in(client, "zhangsan", "right-password", REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client):
    UserFactory(username="wangwu", password="right-password")
    for _ in range(4):
        sign_in(client, "wangwu", "wrong")
    assert sign_in(client, "wangwu", "right-password").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "wangwu", "wrong").status_code == 200
    assert sign_in(client, "wangwu", "right-password").status_code == 302


def test_the_lock_ends_after_the_cool_off(client):
    UserFactory(username="zhaoliu", password="right-password")
    for _ in range(5):
        sign_in(client, "zhaoliu", "wrong")
    assert sign_in(client, "zhaoliu", "right-password").status_code == 429
    with override_settings(AXES_COOLOFF_TIME=timedelta(seconds=0)):
        assert sign_in(client, "zhaoliu", "right-password").status_code == 302


def test_a_session_lasts_a_working_day_and_an_expired_one_is_signed_out(client):
    UserFactory(username="sunqi", password="right-password")
    assert sign_in(client, "sunqi", "right-password").status_code == 302
    session = Session.objects.get()
    lifetime = session.expire_date - timezone.now()
    assert timedelta(hours=7, minutes=59) < lifetime <= timedelta(hours=8)
    assert client.get("/my/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/my/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def csp(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {name: values for name, *values in directives}


def test_front_end_pages_get_a_strict_policy_and_secure_headers(client):
    for url in ["/", "/accounts/login/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = csp(response)
        assert policy["script-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert "camera=()" in response["Permissions-Policy"]
        assert "onchange=" not in response.content.decode()  # no inline handlers


def test_wagtail_admin_gets_the_policy_with_inline_scripts_allowed(client):
    admin = UserFactory(username="sysadmin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = Page.objects.filter(depth=2).first()
    for url in ["/admin/", f"/admin/pages/{page.pk}/edit/", "/admin/login/"]:
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        policy = csp(response)
        assert "'unsafe-inline'" in policy["script-src"], url
        assert policy["object-src"] == ["'none'"]


@override_settings(ZHIDU_REQUIRE_2FA_ROLES=["审计员", "系统管理员"])
def test_an_auditor_sets_up_a_second_factor_and_then_verifies_each_session(client):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    UserFactory(username="auditor", password="right-password", roles=["审计员"])
    assert sign_in(client, "auditor", "right-password").status_code == 302
    response = client.get("/audit/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor"))

    page = client.get(response["Location"])
    assert page.status_code == 200 and "otpauth://totp/" in page.content.decode()
    assert "<svg" in page.content.decode() and "两步验证" in page.content.decode()
    device = TOTPDevice.objects.get(user__username="auditor", confirmed=False)

    wrong = client.post(reverse("two_factor"), {"token": "000000", "next": "/audit/"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttle_reset()  # django-otp slows down retries after a wrong code
    token = f"{totp(device.bin_key):06d}"
    done = client.post(reverse("two_factor"), {"token": token, "next": "/audit/"})
    assert done.status_code == 302 and done["Location"] == "/audit/"
    assert client.get("/audit/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed

    # A new session asks for a code again, without showing the secret.
    client.logout()
    sign_in(client, "auditor", "right-password")
    ask = client.get(reverse("two_factor"))
    assert "otpauth://" not in ask.content.decode()
    assert client.get("/audit/").status_code == 302


@override_settings(ZHIDU_REQUIRE_2FA_ROLES=["审计员", "系统管理员"])
def test_staff_are_not_asked_for_a_second_factor(client):
    UserFactory(username="yuangong", password="right-password", roles=["员工"])
    sign_in(client, "yuangong", "right-password")
    assert client.get("/my/").status_code == 200


def test_password_hashes_use_the_owasp_argon2id_setting_and_older_ones_upgrade_at_sign_in(client):
    from django.contrib.auth.hashers import Argon2PasswordHasher as DjangoDefault

    with override_settings(PASSWORD_HASHERS=base_settings.PASSWORD_HASHERS):
        user = UserFactory(username="wangwu", password="x")
        # A hash from before: Django's own Argon2 parameters (100 MiB, 8 lanes).
        user.password = DjangoDefault().encode("right-password", DjangoDefault().salt())
        user.save(update_fields=["password"])
        default = DjangoDefault()
        assert f"m={default.memory_cost},t={default.time_cost},p={default.parallelism}" in (
            user.password
        )

        assert sign_in(client, "wangwu", "right-password").status_code == 302
        user.refresh_from_db()
        assert user.password.startswith("argon2$argon2id$")
        assert "m=19456,t=2,p=1" in user.password
        assert check_password("right-password", user.password)
        assert not check_password("wrong-password", user.password)
