"""Saved searches: an auditor's named query and filters, to run again later.

Per user and private: only the owner lists, opens or deletes one (others get 404, so they
cannot even learn that it exists). The filters are kept as the search page's GET parameters
(JSON) rather than as columns, so a filter added to the page later needs no migration; they
are cleaned again by the search form each time the search is opened, so a level the auditor
is no longer cleared for is dropped, never applied.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedSearch(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.TextField(_("query"), blank=True)
    # {"kind": ["regulation"], "level": ["1"], "date_from": "2024-01-01", "sort": "date", …}
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.name

    def params(self) -> list[tuple[str, str]]:
        """The search as GET parameters for the auditor search page."""
        pairs = [("q", self.query)] if self.query else []
        for name, value in (self.filters or {}).items():
            values = value if isinstance(value, list) else [value]
            pairs += [(str(name), str(v)) for v in values]
        return pairs


class PendingReindex(models.Model):
    """A record whose index update could not be applied (the index was unavailable).

    Written by search.upkeep when an index task meets ``SearchUnavailable``, so no update is
    lost; deleted once the record is indexed again — by the next successful index task, by
    ``manage.py search_check --fix`` or by ``manage.py search_rebuild``. One row per record
    (re-indexing a record always takes all of it, e.g. every version of a document), ``since``
    the latest failure. The record as IndexEntry.source (page:12, contract:5), not a foreign
    key: it may be deleted meanwhile.
    """

    source = models.CharField(_("record"), max_length=40, unique=True)
    since = models.DateTimeField(_("since"), db_index=True)

    class Meta:
        verbose_name = _("pending index update")
        verbose_name_plural = _("pending index updates")
        ordering = ["since"]

    def __str__(self):
        return f"{self.source} @ {self.since:%Y-%m-%d %H:%M}"
