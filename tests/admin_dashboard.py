"""Reading the admin home's panels (records.dashboard) in tests: the page, one panel's HTML,
its text, and the queries each panel makes."""

import re

from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from records.roles import ROLES_CACHE

# What a user object caches for the rest of a request (a new request starts without them).
PER_REQUEST_CACHES = ("_zhidu_hidden_page_ids", "_zhidu_department_chain", ROLES_CACHE)


def dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def panel(html: str, name: str) -> str:
    """The HTML of one of our panels (empty when it is not shown)."""
    match = re.search(rf'<section[^>]*id="zhidu-{name}-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


def text(html: str) -> str:
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def panel_query_counts(user, panel_classes) -> dict[str, int]:
    """The queries each panel makes for ``user`` on a new request, by panel name. Each panel is
    rendered once first, so caches kept for the whole process (content types) are warm whichever
    test ran before."""
    request = RequestFactory().get("/admin/")
    request.user = user

    def new_request():
        for cached in PER_REQUEST_CACHES:
            user.__dict__.pop(cached, None)

    counts = {}
    for panel_class in panel_classes:
        new_request()
        panel_class(request).render_html({})
        new_request()
        with CaptureQueriesContext(connection) as captured:
            panel_class(request).render_html({})
        counts[panel_class.name] = len(captured)
    return counts
