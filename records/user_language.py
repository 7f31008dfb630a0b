"""The language to write to a user in when no request is there (reminders, 催办 mails)."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist


def user_language(user) -> str:
    """The language the user chose in their profile (Wagtail's account settings), else the
    site's (zh-hans): mail reaches each person in the language they read the site in."""
    try:
        profile = user.wagtail_userprofile
    except ObjectDoesNotExist:
        return settings.LANGUAGE_CODE
    return profile.preferred_language or settings.LANGUAGE_CODE
