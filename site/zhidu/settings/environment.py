"""Reading configuration from the environment, with safe defaults.

Kept apart from the settings modules so that each profile reads variables the same way.
"""

import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

# The two keys every app server must share (the same values everywhere: docs/deployment.md).
KEY_VARIABLES = ("SECRET_KEY", "ZHIDU_AUDIT_KEY")
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}


def env_tasks_backend(default: str) -> str:
    """TASKS_BACKEND: "immediate" (tasks run inline) or "database" (queued for db_worker)."""
    name = env_str("TASKS_BACKEND", default)
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured("TASKS_BACKEND must be 'immediate' or 'database'")
    return name


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


HANDLING_ACTIONS = ("download", "print", "export")


def level_restrictions(raw: str) -> dict[int, frozenset[str]]:
    """Parse "3:download;4:download,print,export" into {3: {...}, 4: {...}}."""
    result: dict[int, frozenset[str]] = {}
    for part in filter(None, (p.strip() for p in raw.split(";"))):
        level, _, actions = part.partition(":")
        wanted = frozenset(a.strip() for a in actions.split(",") if a.strip())
        unknown = wanted - set(HANDLING_ACTIONS)
        if not level.strip().isdigit() or unknown:
            raise ImproperlyConfigured(
                f"ZHIDU_LEVEL_RESTRICTIONS: {part!r} is not level:action,… "
                f"(actions: {', '.join(HANDLING_ACTIONS)})"
            )
        result[int(level)] = wanted
    return result


def secret_key(var_dir: Path) -> str:
    """SECRET_KEY from the environment, else from var/secret_key, generated on first run.

    No key is ever committed: a fresh checkout makes its own, kept outside version control.
    """
    return _key_from_env_or_file(
        "SECRET_KEY",
        var_dir / "secret_key",
        make=lambda: get_random_secret_key() + get_random_secret_key(),
    )


def audit_key(var_dir: Path) -> str:
    """ZHIDU_AUDIT_KEY (the audit trail's HMAC key) from the environment, else var/audit_key.

    Kept outside the database on purpose: whoever can write to the database but not read this
    key cannot rewrite the audit chain consistently. Losing it makes every entry unverifiable,
    so production should set it from a secret store and back it up apart from the database.
    """
    return _key_from_env_or_file(
        "ZHIDU_AUDIT_KEY", var_dir / AUDIT_KEY_FILE, make=lambda: secrets.token_hex(32)
    )


AUDIT_KEY_FILE = "audit_key"  # in VAR_DIR, when ZHIDU_AUDIT_KEY is not set


def key_file_write(path: Path, key: str) -> None:
    """Write a new key file, readable by its owner only (0600); FileExistsError if there is
    one already."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)


def _key_from_env_or_file(name: str, path: Path, *, make) -> str:
    """The variable ``name`` if set, else the key in ``path``, written (0600) on first use."""
    key = os.environ.get(name, "").strip()
    if key:
        return key
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = make()
    try:
        key_file_write(path, key)
    except FileExistsError:  # another process made it first
        return path.read_text(encoding="ascii").strip()
    return key
