"""Shared fixtures. The roles (groups) come from migrations, as in production."""

from pathlib import Path

import pytest
from django.db import connection

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only when the suite runs on PostgreSQL. Browser tests run
    last: each leaves an emptied database behind (tests/browser/conftest.py)."""
    on_postgres = "postgres" in (__import__("os").environ.get("DATABASE_URL", ""))
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)
    items.sort(key=lambda item: "browser" in item.keywords)


@pytest.fixture
def db_vendor(db):
    return connection.vendor


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"zhidu: database engine {engine}"


@pytest.fixture
def seeds_dir() -> Path:
    """The customer's real files, beside the checkout; tests that need them skip without."""
    if not SEEDS.is_dir() or not any(SEEDS.glob("*.txt")):
        pytest.skip(f"seed files not present: {SEEDS} (see README: ../shared/seeds)")
    return SEEDS
