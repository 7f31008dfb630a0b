"""Site-wide middleware: the client's address behind proxies, the user's interface language,
the Permissions-Policy header.

Language order of precedence: the user's saved preference (Wagtail's account setting, also set
by the front-end language menu), then the language cookie, then the browser's Accept-Language,
then zh-hans. LocaleMiddleware handles the last three; UserLanguageMiddleware runs after
authentication.
"""

import contextlib
import ipaddress

from django.conf import settings
from django.utils import translation
from wagtail.users.models import UserProfile

SUPPORTED = {code for code, _name in settings.LANGUAGES}


class ForwardedForMiddleware:
    """REMOTE_ADDR from X-Forwarded-For when ZHIDU_PROXY_COUNT trusted proxies stand in front.

    Each proxy appends the address it received the request from, so with N proxies the client
    is the N-th entry from the right; entries further left were written by the client and are
    never believed. With 0 (the default) nothing changes: a server reached directly must not
    take a header anyone can send for the client's address. The sign-in lock (django-axes) and
    the audit trail both read REMOTE_ADDR after this."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.ZHIDU_PROXY_COUNT
        if count > 0:
            hops = [
                hop.strip()
                for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
                if hop.strip()
            ]
            if len(hops) >= count:
                with contextlib.suppress(ValueError):  # not an address: keep the proxy's
                    request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(hops[-count]))
        return self.get_response(request)


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
