"""Production profile: DEBUG off, HTTPS only, HSTS, secure cookies, the database task queue,
static files compressed and fingerprinted for WhiteNoise.

Select it with DJANGO_SETTINGS_MODULE=zhidu.settings.production. Set ALLOWED_HOSTS to the site's
host names and DATABASE_URL to PostgreSQL; run ``manage.py collectstatic`` once per release and
``manage.py db_worker`` beside the web server for background tasks. docs/deployment.md says
what changes for several app servers; ``manage.py check --deploy`` warns (zhidu.W001–W003)
about what is kept per server.
"""

from .base import *  # noqa: F403
from .base import STORAGES
from .environment import TASK_BACKENDS, env_bool, env_int, env_tasks_backend

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
_tasks_backend = env_tasks_backend("database")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks_backend]}}
# Batches (receipts, evidence bundles) go to db_worker with the database queue; a web-process
# thread is only for inline tasks (records/background.py), where it stays on unless turned off.
ZHIDU_BACKGROUND_THREADS = _tasks_backend == "immediate" and env_bool(
    "ZHIDU_BACKGROUND_THREADS", True
)
STORAGES = {
    **STORAGES,  # media: this server's disk or S3 (settings/media.py)
    "staticfiles": {
        # collectstatic writes hashed names and their .gz beside them; WhiteNoise serves them
        # with far-future cache headers.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
