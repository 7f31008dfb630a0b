"""The policy library: one root page and an index page per category (管理制度, 人事, 财务 …)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page


class PolicyLibraryPage(Page):
    """The root of all controlled documents; categories hang below it.

    One root so that permissions, the approval workflow and the login requirement are set once.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["policies_content.PolicyCategoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("policy library")

    def get_context(self, request, *args, **kwargs):
        """Categories, and the same library by owner department (?department=<id>)."""
        from policies_content.selectors import library_by_department

        context = super().get_context(request, *args, **kwargs)
        context["categories"] = self.get_children().live().specific()
        try:
            chosen = int(request.GET.get("department", "")) or None
        except ValueError:
            chosen = None
        departments, documents = library_by_department(user=request.user, department_id=chosen)
        context.update(
            departments=departments,
            chosen_department=next((d for d, _n in departments if d.pk == chosen), None),
            department_documents=documents,
        )
        return context


class PolicyCategoryPage(Page):
    """A category of documents (管理制度, 人事 …), listed for staff to browse.

    A category may have its own 文件编号 scheme (e.g. 人事 numbers as HM-RS-2025-001).
    """

    intro = models.TextField(_("introduction"), blank=True)
    number_scheme = models.ForeignKey(
        "policies_content.DocumentNumberScheme",
        verbose_name=_("document number scheme"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("number_scheme")]
    parent_page_types = ["policies_content.PolicyLibraryPage"]
    subpage_types = ["policies_content.RegulationPage", "policies_content.JobDescriptionPage"]

    class Meta:
        verbose_name = _("policy category")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from policies_content.selectors import documents_in_category

        context["documents"] = documents_in_category(user=request.user, category=self)
        return context
