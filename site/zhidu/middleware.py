"""Apply a signed-in user's chosen interface language.

Order of precedence: the user's saved preference (Wagtail's account setting, also set by the
front-end language menu), then the language cookie, then the browser's Accept-Language, then
zh-hans. LocaleMiddleware handles the last three; this runs after authentication.
"""

from django.conf import settings
from django.utils import translation
from wagtail.users.models import UserProfile

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            preferred = (
                UserProfile.objects.filter(user=user)
                .values_list("preferred_language", flat=True)
                .first()
            )
            if preferred in SUPPORTED:
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send the Permissions-Policy header (ZHIDU_PERMISSIONS_POLICY) unless a view set one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.ZHIDU_PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.ZHIDU_PERMISSIONS_POLICY)
        return response
