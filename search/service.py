"""The one search entry point. Views never query a backend: they call ``search_for_user``,
which turns the user into the access policy's terms (records.permissions) and hands them to
the backend with the query, so every hit, total and facet count is already trimmed.
"""

import logging
import math
from dataclasses import dataclass, field

from django.utils import timezone

from records.audit import audit_record
from records.models import AuditAction
from records.permissions import (
    bypasses_need_to_know,
    searchable_record_kinds,
    sees_drafts,
    user_clearance,
    user_department_chain,
)

from .backends import get_backend
from .backends.base import AccessFilter, BackendQuery, Filters, Hit, SearchUnavailable
from .query import parse_query
from .text import CONTROL
from .upkeep import pending_apply_soon

logger = logging.getLogger(__name__)

PER_PAGE = 20
MAX_AUDITED_CHARS = 1000


def access_filter_for(user) -> AccessFilter:
    """The access policy for one user, as data a backend applies inside its query."""
    departments = None if bypasses_need_to_know(user) else frozenset(user_department_chain(user))
    return AccessFilter(
        max_level=user_clearance(user),
        departments=departments,
        drafts=sees_drafts(user),
        record_kinds=searchable_record_kinds(user),
    )


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    unavailable: bool = False  # the index could not be reached: say so, never an error page


def search_for_user(
    *,
    user,
    query: str,
    filters: Filters | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    sort: str = "relevance",
    audit: bool = False,
    request=None,
) -> SearchResults:
    """Search what this user may see. Auditors' searches are always written to the audit
    trail (whichever page they search from); ``audit`` asks for it for anyone."""
    filters = filters or Filters()
    query = CONTROL.sub(" ", query or "")[:MAX_AUDITED_CHARS]
    parsed = parse_query(query)
    page = max(1, min(int(page or 1), 500))
    results = SearchResults(query=query, page=page)
    audited = audit or user.has_perm("records.access_auditor_area")
    if audited and (query.strip() or filters.chosen):
        audit_record(
            action=AuditAction.SEARCH,
            object_label=query[:200],
            details={"query": query, "filters": repr(filters)[:500]},
            request=request,
            actor=user,
        )
    if (parsed.empty and not filters.chosen) or user_clearance(user) < 0:
        return results
    try:
        found = get_backend().search(
            BackendQuery(
                query=parsed,
                access=access_filter_for(user),
                filters=filters,
                sort=sort if sort in ("relevance", "date") else "relevance",
                offset=(page - 1) * per_page,
                limit=per_page,
                today=timezone.localdate(),
            )
        )
    except SearchUnavailable as exc:
        # The page says so (search/results_list.html); the rest of the site is unaffected,
        # and index updates meanwhile wait in PendingReindex (search.upkeep).
        logger.warning("search unavailable: %s", exc)
        results.unavailable = True
        return results
    pending_apply_soon()
    results.hits, results.total, results.facets = found.hits, found.total, found.facets
    results.pages = math.ceil(found.total / per_page) if found.total else 0
    return results
