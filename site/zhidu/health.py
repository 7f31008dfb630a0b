"""GET /healthz: whether this app server can answer, for the proxy and the orchestrator.

200 ``ok`` when the database answers a query, else 503. Answered by a middleware placed first,
so that a probe needs neither a host name from ALLOWED_HOSTS nor HTTPS, and touches no session.
Search is left out on purpose: the app keeps working while the index is unreachable (search
pages say so), so an Elasticsearch outage must not take every app server out of the proxy.
"""

import logging

from django.db import connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"


def healthz(request) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "not ready": the reason goes to the log
        logger.warning("health check: database unavailable: %s", exc)
        response = HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    else:
        response = HttpResponse("ok\n", content_type="text/plain")
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == HEALTH_PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
