"""Chinese by default; English by browser preference, cookie, or the user's saved choice."""

import datetime

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation
from wagtail.users.models import UserProfile

from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def test_default_language_is_simplified_chinese(client):
    response = client.get("/")
    assert response["Content-Language"] == "zh-hans"
    assert "欢迎" in response.content.decode()


def test_accept_language_english_gives_english(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "en"
    assert "Welcome" in response.content.decode()


def test_language_menu_sets_cookie_for_visitors(client):
    response = client.post("/language/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Welcome" in client.get("/").content.decode()


def test_language_menu_rejects_offsite_redirect(client):
    response = client.post("/language/", {"language": "en", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_signed_in_users_choice_is_saved_and_wins_over_browser(client):
    employee = EmployeeFactory()
    client.force_login(employee.user)
    client.post("/language/", {"language": "en", "next": "/my/"})
    assert UserProfile.get_for_user(employee.user).preferred_language == "en"
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    response = client.get("/my/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert "My documents" in response.content.decode()


def test_time_zone_is_shanghai_and_dates_are_chinese():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    moment = datetime.datetime(2025, 2, 28, 17, 30, tzinfo=datetime.UTC)
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        rendered = Template('{{ moment|date:"DATETIME_FORMAT" }}').render(
            Context({"moment": moment})
        )
    assert rendered == "2025年3月1日 01:30"


def test_every_message_has_a_chinese_translation():
    import polib

    catalog = polib.pofile(str(settings.LOCALE_PATHS[0] / "zh_Hans/LC_MESSAGES/django.po"))
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []
