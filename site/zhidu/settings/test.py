"""Test profile: fast password hashing, tasks inline, nothing sent, a throw-away var/ folder."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .media import private_disk_storage

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
ZHIDU_BACKGROUND_THREADS = False  # tasks finish before the request returns
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zhidu-test-media-"))
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="zhidu-test-private-"))
SEARCH_INDEX_PATH = Path(tempfile.mkdtemp(prefix="zhidu-test-search-")) / "search.sqlite3"
# On disk whatever ZHIDU_S3_BUCKET says (tests/site/test_s3_storage.py switches to S3).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": private_disk_storage(PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# WhiteNoise serves static files from the apps' folders as in development: no collectstatic
# (and no warning about a missing STATIC_ROOT) for the tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
ZHIDU_AUDIT_KEY = "test-audit-key-not-secret"
# Tests sign auditors and administrators in directly; tests/site/test_security.py turns the
# second factor on where it is tested.
ZHIDU_REQUIRE_2FA_ROLES = []
