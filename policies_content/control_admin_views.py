"""Admin screens of document control: repeal, 'reviewed — no change', reviews due."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.models import Page

from records.admin_views import AdminScreenMixin

from .issuing import document_repeal, review_record_add
from .models import RegulationPage
from .selectors import reviews_due


class RepealForm(forms.Form):
    repealed_on = forms.DateField(
        label=gettext_lazy("Repealed from"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    successor = forms.ModelChoiceField(
        label=gettext_lazy("Successor document"),
        required=False,
        queryset=RegulationPage.objects.live(),
    )


class ReviewForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class _DocumentActionView(AdminScreenMixin, FormView):
    """An action on one controlled document by someone who may edit it."""

    template_name = "policies_content/admin/document_action.html"

    def dispatch(self, request, *args, **kwargs):
        self.page = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not hasattr(self.page, "document_number"):
            raise PermissionDenied
        if not self.page.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.title

    def get_context_data(self, **kwargs):
        return super().get_context_data(page=self.page, **kwargs)

    def done(self):
        return redirect("wagtailadmin_pages:edit", self.page.pk)


class RepealView(_DocumentActionView):
    form_class = RepealForm
    page_title = gettext_lazy("Repeal")
    header_icon = "cross"

    def form_valid(self, form):
        try:
            document_repeal(
                page=self.page,
                reason=form.cleaned_data["reason"],
                on=form.cleaned_data["repealed_on"],
                successor=form.cleaned_data["successor"],
                user=self.request.user,
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("“%(title)s” is repealed.") % {"title": self.page.title})
        return self.done()


class ReviewView(_DocumentActionView):
    form_class = ReviewForm
    page_title = gettext_lazy("Reviewed — no change")
    header_icon = "tick"

    def form_valid(self, form):
        try:
            review_record_add(
                page=self.page, note=form.cleaned_data["note"], user=self.request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("The review is recorded; no new version was issued."))
        return self.done()


class ReviewsDueView(AdminScreenMixin, TemplateView):
    template_name = "policies_content/admin/reviews_due.html"
    page_title = gettext_lazy("Reviews due")
    header_icon = "date"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("policies_content.import_documents"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(due=reviews_due(user=self.request.user), **kwargs)
