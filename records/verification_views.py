"""/verify/<code>/: anyone holding a printed or forwarded PDF checks that it is genuine and
unaltered. What the document is (type, title, number, version, date) is shown only to a
visitor the access policy lets see it; everyone may compare a file or its SHA-256 with the
digest recorded when it was issued."""

from django import forms
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from records.models import GeneratedDocument
from records.permissions import can_view
from records.verification import normalise_code, pdf_matches

MAX_UPLOAD_BYTES = 50 * 1024 * 1024


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("The PDF you hold"), required=False)
    sha256 = forms.CharField(label=_("or its SHA-256"), max_length=64, required=False)

    def clean(self):
        data = super().clean()
        upload, digest = data.get("file"), (data.get("sha256") or "").strip().lower()
        if upload is None and not digest:
            raise forms.ValidationError(_("Choose the PDF file, or paste its SHA-256."))
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than any PDF Zhidu issues."))
        if digest and (len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest)):
            raise forms.ValidationError(_("A SHA-256 is 64 hexadecimal characters."))
        return data


def verify_lookup(request):
    """The code typed by hand (from the paper) → its page."""
    code = normalise_code(request.GET.get("code", ""))
    return (
        redirect("verify_document", code=code)
        if code
        else render(request, "records/verify.html", {"record": None, "asked": False})
    )


def verify_document(request, code: str):
    record = GeneratedDocument.objects.filter(code=normalise_code(code)).exclude(sha256="").first()
    if record is None:
        response = render(request, "records/verify.html", {"record": None, "asked": True})
        response.status_code = 404
        return response
    result = None
    form = VerifyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload is not None:
            result = pdf_matches(record, upload.read())
        else:
            result = form.cleaned_data["sha256"].strip().lower() == record.sha256
    return render(
        request,
        "records/verify.html",
        {
            "record": record,
            "details": can_view(request.user, record),
            "form": form,
            "result": result,
            "asked": True,
        },
    )
