"""Development profile: the embedded defaults, DEBUG on. What ``make run`` uses."""

from .base import *  # noqa: F403
from .environment import env_bool, env_list

DEBUG = env_bool("DEBUG", True)

# The demo's auditor and admin logins work without an authenticator app in development; the
# production profile requires one for 审计员 and 系统管理员 (ZHIDU_REQUIRE_2FA_ROLES).
ZHIDU_REQUIRE_2FA_ROLES = env_list("ZHIDU_REQUIRE_2FA_ROLES", [])
