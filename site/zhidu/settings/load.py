"""Load-test profile (``make load``): the production profile, served over plain HTTP on
loopback.

Everything production does stays: DEBUG off, Argon2 passwords, the manifest static storage,
the database task queue, CSP and the secure headers. Only what a browser (or the load tool)
needs to keep a session over http://127.0.0.1 is relaxed: no redirect to HTTPS, no HSTS, and
the session and CSRF cookies without the Secure flag (a client never sends a Secure cookie
over plain HTTP, so every request after sign-in would be anonymous). Never use it for a
server reachable from outside the machine.
"""

from .environment import env_list
from .production import *  # noqa: F403

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
