"""Shared fixtures. The roles (groups) come from migrations, as in production."""

import pytest
from django.db import connection


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only when the suite runs on PostgreSQL."""
    on_postgres = "postgres" in (__import__("os").environ.get("DATABASE_URL", ""))
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://…")
    for item in items:
        if "postgres" in item.keywords and not on_postgres:
            item.add_marker(skip)


@pytest.fixture
def db_vendor(db):
    return connection.vendor


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"zhidu: database engine {engine}"
