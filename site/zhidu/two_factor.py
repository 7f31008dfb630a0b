"""Second factor (TOTP, django-otp) for the roles in ZHIDU_REQUIRE_2FA_ROLES.

A signed-in user holding such a role is sent to /accounts/two-factor/ until this session is
verified with a code from an authenticator app. The first time, the page shows the secret (as
a QR code and as text) and the first correct code confirms the device. An administrator resets a
lost device in the Wagtail admin: Organisation → Account security, "Reset…" beside the login
(records/account_security.py; recorded in the audit trail). The owner then sets up a new one.
"""

import io
from base64 import b32encode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from records.roles import user_roles


def requires_second_factor(user) -> bool:
    return bool(user_roles(user) & set(settings.ZHIDU_REQUIRE_2FA_ROLES))


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: send unverified holders of the roles to the 2FA page."""

    EXEMPT_NAMES = ("two_factor", "logout", "language_choose")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and requires_second_factor(user)
            and not self._exempt(request.path)
        ):
            return redirect(f"{reverse('two_factor')}?next={request.get_full_path()}")
        return self.get_response(request)

    def _exempt(self, path: str) -> bool:
        if path.startswith((settings.STATIC_URL, "/admin/logout/")):
            return True
        return path in {reverse(name) for name in self.EXEMPT_NAMES}


@login_required
def two_factor(request):
    """Set up (first time) or enter the authenticator code for this session."""
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}):
        next_url = ""
    next_url = next_url or reverse("role_home")
    if user.is_verified():
        return redirect(next_url)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device, _created = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "Zhidu"}
        )
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(next_url)
        error = _("That code is not valid. Enter the current 6-digit code from your app.")
    context = {"setting_up": setting_up, "error": error, "next": next_url}
    if setting_up:
        svg = io.BytesIO()
        write_qrcode_image(device.config_url, svg)
        context.update(
            secret=b32encode(device.bin_key).decode(),
            config_url=device.config_url,
            qr_svg=svg.getvalue().decode(),
        )
    return render(request, "zhidu/two_factor.html", context, status=400 if error else 200)
