"""Deployment checks (``manage.py check --deploy``): what is kept per app server.

Zhidu's embedded defaults keep three things on the server itself: the search index
(var/search.sqlite3), inline background tasks, and the secret and audit keys in var/. That is
right for one server; with several behind a proxy each would have its own index, its own
batches and its own keys. Nothing here can count the servers, so these are warnings a
single-server site silences (ZHIDU_SILENCED_CHECKS); docs/deployment.md says what to set.
"""

from django.conf import settings
from django.core.checks import Warning, register
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.immediate import ImmediateBackend

W001 = "zhidu.W001"
W002 = "zhidu.W002"
W003 = "zhidu.W003"


def _inline_tasks() -> bool:
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], ImmediateBackend)


@register("deployment", deploy=True)
def per_server_state(app_configs=None, **kwargs):
    found = []
    if settings.SEARCH_BACKEND == "embedded":
        found.append(
            Warning(
                "The embedded search index is a file on this server "
                f"({settings.SEARCH_INDEX_PATH}).",
                hint=(
                    "With more than one app server (or a worker on another machine) each keeps "
                    "its own index and they drift apart: set SEARCH_BACKEND=elasticsearch and "
                    "ELASTICSEARCH_URL. On a single server with its worker beside it, silence "
                    f"this with ZHIDU_SILENCED_CHECKS={W001}."
                ),
                id=W001,
            )
        )
    if _inline_tasks():
        found.append(
            Warning(
                "Background tasks run inline, inside the web processes.",
                hint=(
                    "Index updates then slow the requests that cause them and batches "
                    "(receipts, evidence bundles) live in one web process: set "
                    "TASKS_BACKEND=database and run manage.py db_worker."
                ),
                id=W002,
            )
        )
    if settings.ZHIDU_KEYS_IN_FILES:
        names = ", ".join(settings.ZHIDU_KEYS_IN_FILES)
        found.append(
            Warning(
                f"{names} not set in the environment: read from (or generated into) files "
                "under this server's var/.",
                hint=(
                    "Every app server and worker must use the same SECRET_KEY (sessions, "
                    "CSRF) and the same ZHIDU_AUDIT_KEY (an entry signed with another key "
                    "fails verify_audit_log): set both from one secret store. On a single "
                    f"server, silence this with ZHIDU_SILENCED_CHECKS={W003} and back up var/."
                ),
                id=W003,
            )
        )
    return found
