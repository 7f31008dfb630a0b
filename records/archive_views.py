"""The staff-facing archives page: the archive items a person may see (the access policy
decides), their own loans, and a loan request for one item. HR approve and lend in the admin."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from records.archive_selectors import archive_items_for_user
from records.archive_services import loan_request
from records.models import ArchiveItem, CategoryCode, Employee, Loan


class StaffLoanForm(forms.Form):
    item = forms.IntegerField(widget=forms.HiddenInput)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=300)
    due_back_on = forms.DateField(
        label=gettext_lazy("Due back on"), widget=forms.DateInput(attrs={"type": "date"})
    )


def staff_items(user, employee):
    """What a person may browse here: items the access policy lets them see, not disposed,
    and no one else's personnel file (人事档案) whatever their clearance."""
    others_files = Q(category_code=CategoryCode.PERSONNEL) & ~Q(
        source_type=ContentType.objects.get_for_model(Employee),
        source_id=getattr(employee, "pk", 0),
    )
    return (
        archive_items_for_user(user=user)
        .exclude(status=ArchiveItem.Status.DISPOSED)
        .exclude(others_files)
    )


@login_required
def my_archives(request):
    employee = getattr(request.user, "employee", None)
    items = staff_items(request.user, employee)
    query = (request.GET.get("q") or "").strip()
    if query:
        items = items.filter(title__icontains=query) | items.filter(archival_code__icontains=query)
    form = StaffLoanForm(request.POST or None)
    if request.method == "POST":
        if employee is None:
            raise Http404
        if form.is_valid():
            item = staff_items(request.user, employee).filter(pk=form.cleaned_data["item"])
            if not item.exists():
                raise Http404
            try:
                loan_request(
                    item=item.get(),
                    borrower=employee,
                    purpose=form.cleaned_data["purpose"],
                    due_back_on=form.cleaned_data["due_back_on"],
                    user=request.user,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("Your loan request is sent to the archives."))
                return redirect("my_archives")
        else:
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
    loans = (
        Loan.objects.filter(borrower=employee).select_related("item")
        if employee is not None
        else Loan.objects.none()
    )
    return render(
        request,
        "records/my_archives.html",
        {
            "items": items.order_by("-year", "archival_code")[:100],
            "query": query,
            "loans": loans,
            "today": timezone.localdate(),
            "default_due": timezone.localdate() + datetime.timedelta(days=14),
            "can_request": employee is not None,
        },
    )
