"""Production profile: DEBUG off, HTTPS only, HSTS, secure cookies, the database task queue.

Select it with DJANGO_SETTINGS_MODULE=zhidu.settings.production. ``manage.py check --deploy``
reports nothing for it. Set ALLOWED_HOSTS to the site's host names and DATABASE_URL to
PostgreSQL; run ``manage.py db_worker`` beside the web server for background tasks.
"""

from .base import *  # noqa: F403
from .base import TASK_BACKENDS
from .environment import env_bool, env_int, env_str

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
TASKS = {"default": {"BACKEND": TASK_BACKENDS[env_str("TASKS_BACKEND", "database")]}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    },
}
