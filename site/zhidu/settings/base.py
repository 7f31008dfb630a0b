"""Settings shared by every profile. Machine-specific values come from the environment.

Variables (all optional): DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS, SEARCH_BACKEND,
ELASTICSEARCH_URL, TASKS_BACKEND, EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/EMAIL_HOST_PASSWORD/
EMAIL_USE_TLS, DEFAULT_FROM_EMAIL, ZHIDU_VAR_DIR, MEDIA_ROOT, PRIVATE_MEDIA_ROOT, ZHIDU_AUDIT_KEY,
SESSION_COOKIE_AGE,
ZHIDU_LOGIN_FAILURE_LIMIT, ZHIDU_LOGIN_LOCKOUT_MINUTES, ZHIDU_REQUIRE_2FA_ROLES,
ZHIDU_CONFIDENTIAL_FROM_LEVEL, ZHIDU_LEVEL_RESTRICTIONS, STATIC_ROOT, ZHIDU_S3_* (media.py),
REDIS_URL, ZHIDU_PROXY_COUNT, ZHIDU_SILENCED_CHECKS.
README.md lists them; docs/deployment.md says which change for several app servers.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .environment import (
    KEY_VARIABLES,
    TASK_BACKENDS,
    audit_key,
    env_bool,
    env_int,
    env_list,
    env_str,
    env_tasks_backend,
    level_restrictions,
    secret_key,
)
from .media import PRIVATE_S3_BACKEND, S3_BACKEND, private_disk_storage, s3_storage_options

# /…/zhidu-checkout: the folder holding manage.py, records/, templates/ …
PROJECT_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("ZHIDU_VAR_DIR", str(PROJECT_DIR / "var")))

SECRET_KEY = secret_key(VAR_DIR)
# The audit trail's HMAC key: never stored in the database (see records/models/audit.py).
ZHIDU_AUDIT_KEY = audit_key(VAR_DIR)
# Keys read from (or generated into) this server's var/ rather than the environment: fine on
# one server, wrong on several (each would make its own; zhidu.W003 under check --deploy).
ZHIDU_KEYS_IN_FILES = [name for name in KEY_VARIABLES if not env_str(name).strip()]
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
# The address printed on generated PDFs (verification links and QR codes).
ZHIDU_PUBLIC_URL = env_str("ZHIDU_PUBLIC_URL", "http://127.0.0.1:8000")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Zhidu, in dependency order: records ← policies_content ← search ← site (zhidu)
    "records",
    "policies_content",
    "search",
    "zhidu",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    # /healthz answers before host checks and the HTTPS redirect (probes use plain addresses).
    "zhidu.health.HealthCheckMiddleware",
    # The client's address from X-Forwarded-For when ZHIDU_PROXY_COUNT proxies stand in front.
    "zhidu.middleware.ForwardedForMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (from the apps' folders with DEBUG): no proxy rule needed.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "zhidu.two_factor.SecondFactorMiddleware",
    "policies_content.admin_access.AdminPageAccessMiddleware",
    "zhidu.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "zhidu.security.ZhiduCSPMiddleware",
    "zhidu.middleware.PermissionsPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, so that it sees the sign-in views' responses (see zhidu/security.py).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "zhidu.urls"
WSGI_APPLICATION = "zhidu.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhidu.context_processors.zhidu",
            ],
        },
    },
]

# --- Database: SQLite under var/ unless DATABASE_URL says otherwise -------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'zhidu.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers wait for each other instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Passwords, sign-in and sessions ----------------------------------------------------------
# Argon2id at OWASP's 19 MiB / 2 passes / 1 lane (zhidu/passwords.py says why) for new and
# changed passwords; the others still verify older hashes, upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "zhidu.passwords.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "role_home"
LOGOUT_REDIRECT_URL = "landing"
# Throttling (django-axes): N failures for one user name from one address lock that pair.
AUTHENTICATION_BACKENDS = [
    "zhidu.security.ThrottledBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("ZHIDU_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("ZHIDU_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The lock runs from the last counted failure; attempts while locked do not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "zhidu.security.lockout_response"
AXES_VERBOSE = False
# Behind reverse proxies REMOTE_ADDR is the proxy's: with ZHIDU_PROXY_COUNT proxies that append
# to X-Forwarded-For, the client's address is taken from there (zhidu.middleware), so that the
# lock and the audit trail see the real client, not one address for everybody.
ZHIDU_PROXY_COUNT = env_int("ZHIDU_PROXY_COUNT", 0)
WAGTAILADMIN_USER_LOGIN_FORM = "zhidu.security.AdminLoginForm"
# Sessions end when the browser closes, and at the latest SESSION_COOKIE_AGE seconds (8 hours,
# a working day) after sign-in: an absolute limit, not an idle timeout, so that no request
# has to write the session (SESSION_SAVE_EVERY_REQUEST stays off).
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Second factor (TOTP, django-otp): holders of these roles verify each session with a code.
ZHIDU_REQUIRE_2FA_ROLES = env_list("ZHIDU_REQUIRE_2FA_ROLES", ["审计员", "系统管理员"])
OTP_TOTP_ISSUER = "Zhidu 制度"

# --- Secure headers -----------------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content security policy (django-csp): strict on the front end (our own scripts only, no
# inline script); Wagtail's admin needs inline scripts, so /admin/ also allows those.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # style attributes (e.g. indentation depth) are used in templates; no inline script is.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
ZHIDU_CSP_RELAXED_PREFIXES = ["/admin/"]
ZHIDU_CSP_RELAXED_UPDATE = {"script-src": ["'unsafe-inline'"]}
# Browser features nobody here needs (zhidu.middleware.PermissionsPolicyMiddleware).
ZHIDU_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
# Wagtail's admin would fetch avatars from gravatar.com: no third-party requests.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Language and time ------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PROJECT_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["zhidu.formats"]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False

# --- Static and media ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATICFILES_DIRS = [PROJECT_DIR / "site" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Evidence files (signature scans, contract scans): never served by URL, only through views
# that ask the access policy (records/storage.py).
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
# Or both in S3-compatible storage (ZHIDU_S3_BUCKET; settings/media.py): the public options
# for the default storage, the private ones for "private" (records.storage.private_storage).
_s3 = s3_storage_options()
STORAGES = {
    "default": (
        {"BACKEND": S3_BACKEND, "OPTIONS": _s3[0]}
        if _s3
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "private": private_disk_storage(PRIVATE_MEDIA_ROOT)
    if not _s3
    else {"BACKEND": PRIVATE_S3_BACKEND, "OPTIONS": _s3[1]},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- Wagtail ------------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Zhidu 制度"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "csv", "txt", "png", "jpg", "jpeg"]
# Documents (regulations' attachments) always pass through Wagtail's serve view and its checks,
# also from S3: never a redirect to the bucket's address.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Search (Zhidu's own index; see search/) ----------------------------------------------------
SEARCH_BACKEND = env_str("SEARCH_BACKEND", "embedded")
if SEARCH_BACKEND not in {"embedded", "elasticsearch"}:
    raise ImproperlyConfigured("SEARCH_BACKEND must be 'embedded' or 'elasticsearch'")
# One node's address, or the cluster's nodes separated by commas (search/backends/elasticsearch.py)
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
# PEM file of the CA that signed the cluster's certificates, when it is not a public one
ELASTICSEARCH_CA_CERTS = env_str("ELASTICSEARCH_CA_CERTS", "")
# The alias searched and written; rebuilds fill "<alias>-<timestamp>" and switch it over.
ZHIDU_ES_INDEX = env_str("ZHIDU_ES_INDEX", "zhidu-entries").lower()
if SEARCH_BACKEND == "elasticsearch" and not ELASTICSEARCH_URL:
    raise ImproperlyConfigured("SEARCH_BACKEND=elasticsearch needs ELASTICSEARCH_URL")
SEARCH_INDEX_PATH = VAR_DIR / "search.sqlite3"

# --- Background tasks: inline by default, the database queue + worker in production ------------
_tasks_backend = env_tasks_backend("immediate")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks_backend]}}
# With inline tasks, long batches (receipts) run in a thread of the web process (records.background)
ZHIDU_BACKGROUND_THREADS = env_bool("ZHIDU_BACKGROUND_THREADS", True)

# --- Cache: each process its own, or one Redis for every app server (REDIS_URL) -------------
# Zhidu caches only what never goes stale (an issued version's rendered text, keyed by its
# SHA-256) and a once-a-minute search catch-up flag; Wagtail caches its sites' root paths for an
# hour, so with several app servers and no shared cache a change under Settings → Sites reaches
# the others after at most an hour (or a restart). Sessions and the sign-in lock are in the
# database.
REDIS_URL = env_str("REDIS_URL").strip()
if REDIS_URL:
    try:
        import redis  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured(
            "REDIS_URL is set, but the redis package is not installed: install the redis extra "
            "(pip install -e '.[redis]', or pip install redis), or unset REDIS_URL."
        ) from exc
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "zhidu",
        }
    }

# --- E-mail: printed to the console unless an SMTP host is configured --------------------------
if env_str("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env_str("EMAIL_HOST")
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "zhidu@localhost")

# --- Zhidu --------------------------------------------------------------------------------------
# 密级: rank → name. Clearance and document levels are ranks; names are what users see.
ZHIDU_CONFIDENTIALITY_LEVELS = {
    0: _("Public"),  # 公开
    1: _("Internal"),  # 内部
    2: _("Confidential"),  # 秘密
    3: _("Secret"),  # 机密
    4: _("Top secret"),  # 绝密
}
# From this level up (秘密) every view is logged and screens and exports carry a watermark.
ZHIDU_CONFIDENTIAL_FROM_LEVEL = env_int("ZHIDU_CONFIDENTIAL_FROM_LEVEL", 2)
# Per level, what readers may not do with an item: download (Word/PDF of a document), print
# (from the screen) and export (editors' exports, bulk exports). Format of the variable:
# "3:download,print;4:download,print,export".
ZHIDU_LEVEL_RESTRICTIONS = level_restrictions(
    env_str("ZHIDU_LEVEL_RESTRICTIONS", "3:download;4:download,print,export")
)
# Organisation import: files above this size are refused before they are read.
ZHIDU_IMPORT_MAX_BYTES = env_int("ZHIDU_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
ZHIDU_IMPORT_MAX_ROWS = env_int("ZHIDU_IMPORT_MAX_ROWS", 50_000)
# Regulation import (text, Markdown, Word): larger files are refused unread.
ZHIDU_DOCUMENT_IMPORT_MAX_BYTES = env_int("ZHIDU_DOCUMENT_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
ZHIDU_DOCUMENT_IMPORT_MAX_FILES = env_int("ZHIDU_DOCUMENT_IMPORT_MAX_FILES", 50)
# Approval steps must be decided within this many days (seed rule 一周内批示); then reminders.
ZHIDU_APPROVAL_DEADLINE_DAYS = env_int("ZHIDU_APPROVAL_DEADLINE_DAYS", 7)
# 签收 reminders (manage.py acknowledgements_remind): staff are e-mailed this many days before
# the due date and daily while overdue; their manager once it is this many days overdue.
ZHIDU_ACK_REMIND_DAYS_BEFORE = env_int("ZHIDU_ACK_REMIND_DAYS_BEFORE", 2)
ZHIDU_ACK_ESCALATE_AFTER_DAYS = env_int("ZHIDU_ACK_ESCALATE_AFTER_DAYS", 3)
# 催办: the same document (or department of it) may be chased again only after this many hours.
ZHIDU_CHASE_MIN_HOURS = env_int("ZHIDU_CHASE_MIN_HOURS", 24)
# 合同: number scheme ({year}, {seq:04d}, {type}), expiry reminders (days before the end), scans.
ZHIDU_CONTRACT_NUMBER_FORMAT = env_str("ZHIDU_CONTRACT_NUMBER_FORMAT", "HM-HT-{year}-{seq:04d}")
ZHIDU_CONTRACT_REMIND_DAYS = env_str("ZHIDU_CONTRACT_REMIND_DAYS", "90,30,7")
ZHIDU_CONTRACT_ATTACHMENT_MAX_BYTES = env_int("ZHIDU_CONTRACT_ATTACHMENT_MAX_BYTES", 20 * 1024**2)
# 档案: 全宗号 in every 档号 (DA/T 22-2015); personnel files' default level (秘密) and 保管期限;
# what is filed automatically ("superseded_versions": a regulation or job description version
# once superseded or repealed; off unless listed).
ZHIDU_ARCHIVE_FONDS = env_str("ZHIDU_ARCHIVE_FONDS", "Z001")
ZHIDU_ARCHIVE_PERSONNEL_CLASSIFICATION = env_int("ZHIDU_ARCHIVE_PERSONNEL_CLASSIFICATION", 2)
ZHIDU_ARCHIVE_PERSONNEL_RETENTION = env_str("ZHIDU_ARCHIVE_PERSONNEL_RETENTION", "D30")
ZHIDU_AUTO_FILE = env_list("ZHIDU_AUTO_FILE", [])
# A completed approval workflow publishes, though approvers hold no page "publish" right.
WAGTAIL_FINISH_WORKFLOW_ACTION = "policies_content.workflow_finish.publish_approved_revision"

# Deployment warnings a site has decided to accept, e.g. "zhidu.W001,zhidu.W003" on one server.
SILENCED_SYSTEM_CHECKS = env_list("ZHIDU_SILENCED_CHECKS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
