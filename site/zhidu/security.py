"""Sign-in throttling (django-axes) and the content security policy (django-csp), adapted.

- Five failed sign-ins for one user name from one address lock that pair for 15 minutes
  (AXES_* in settings/base.py). Our login page and Wagtail's admin login both say so, in the
  user's language, instead of the generic "did not match" message; the response is a 429.
  An administrator unlocks early in the Wagtail admin (Organisation → Account security,
  recorded in the audit trail); ``manage.py axes_reset_username <name>`` also works, unrecorded.
- The front end gets a strict policy (scripts only from our own origin); /admin/ gets the same
  policy with inline scripts and styles allowed, which Wagtail's admin needs.
"""

from axes.backends import AxesStandaloneBackend
from csp.middleware import CSPMiddleware, PolicyParts
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpResponse
from django.utils.translation import gettext, gettext_lazy
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return gettext(
        "Too many failed sign-in attempts: this account is locked for %(minutes)d minutes. "
        "Try again later or ask an administrator to unlock it."
    ) % {"minutes": minutes}


class ThrottledBackend(AxesStandaloneBackend):
    """Axes' check, for web sign-ins only.

    Axes refuses ``authenticate()`` calls without a request; those come from code (the shell,
    management commands, the test client's ``login``), not from someone guessing passwords
    over the network, so they are passed on to the next backend unthrottled.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutMessageMixin:
    """Replace the form's error by the lock message when axes has locked this sign-in."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(lockout_message(), code="locked") from None
            raise


class LoginForm(LockoutMessageMixin, AuthenticationForm):
    """The front-end sign-in form (templates/zhidu/login.html)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Your employee number / user name and password did not match. Please try again."
        ),
    }


class AdminLoginForm(LockoutMessageMixin, WagtailLoginForm):
    """Wagtail's admin sign-in form (WAGTAILADMIN_USER_LOGIN_FORM)."""


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the sign-in page as rendered, with the lock message, as a 429."""
    if original_response is None:
        original_response = HttpResponse(lockout_message(), content_type="text/plain")
    original_response.status_code = settings.AXES_HTTP_RESPONSE_CODE
    return original_response


class ZhiduCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, relaxed under ZHIDU_CSP_RELAXED_PREFIXES (Wagtail's admin)."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if parts.config is None and request.path.startswith(
            tuple(settings.ZHIDU_CSP_RELAXED_PREFIXES)
        ):
            parts.update = {**settings.ZHIDU_CSP_RELAXED_UPDATE, **(parts.update or {})}
        return parts
