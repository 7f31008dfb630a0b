"""Several app servers behind a proxy: the health check, the client's address through the
proxy, static files from WhiteNoise, Elasticsearch with several nodes, the shared cache."""

import os

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings

from search.backends.elasticsearch import ElasticsearchBackend, es_hosts
from tests.factories import UserFactory
from tests.site.test_settings import run_manage

pytestmark = pytest.mark.django_db


def test_healthz_answers_ok_for_any_host_and_without_https(client):
    with override_settings(ALLOWED_HOSTS=["zhidu.example.com"], SECURE_SSL_REDIRECT=True):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies


def test_healthz_says_503_when_the_database_does_not_answer(client, monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_without_proxies_the_forwarded_header_is_not_believed(client, settings):
    settings.ZHIDU_PROXY_COUNT = 0
    user = UserFactory(username="lockme")
    client.post(
        "/accounts/login/",
        {"username": user.username, "password": "wrong"},
        HTTP_X_FORWARDED_FOR="203.0.113.9",
        REMOTE_ADDR="198.51.100.1",
    )
    from axes.models import AccessAttempt

    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["198.51.100.1"]


def test_behind_one_proxy_the_client_address_is_the_last_forwarded_entry(client, settings):
    """The sign-in lock counts per client, not per proxy: a spoofed entry the client put in
    front is ignored, the address the proxy appended is used."""
    from axes.models import AccessAttempt

    settings.ZHIDU_PROXY_COUNT = 1
    user = UserFactory(username="lockme")
    for client_address in ("203.0.113.9", "203.0.113.10"):
        client.post(
            "/accounts/login/",
            {"username": user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.9, {client_address}",
            REMOTE_ADDR="172.18.0.5",  # the proxy
        )
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.9", "203.0.113.10"}


def test_static_files_are_served_by_whitenoise_right_after_the_security_middleware(client):
    middleware = django_settings.MIDDLEWARE
    security = middleware.index("django.middleware.security.SecurityMiddleware")
    assert middleware[security + 1] == "whitenoise.middleware.WhiteNoiseMiddleware"
    response = client.get("/static/zhidu/zhidu.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)


def test_production_static_files_are_compressed_and_fingerprinted(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.STORAGES['staticfiles']['BACKEND']); print(s.STORAGES['default']['BACKEND']); "
        "print(s.ZHIDU_BACKGROUND_THREADS, s.STATIC_ROOT)"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "zhidu.settings.production",
        "ZHIDU_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "collected"),
    }
    result = run_manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.split("\n")
    assert lines[0] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert lines[1] == "django.core.files.storage.FileSystemStorage"
    assert lines[2] == f"False {tmp_path / 'collected'}"  # batches go to db_worker
    s3 = run_manage("shell", "--no-imports", "-c", code, ZHIDU_S3_BUCKET="zhidu", **env)
    assert s3.stdout.split("\n")[1] == "storages.backends.s3.S3Storage", s3.stderr
    inline = run_manage("shell", "--no-imports", "-c", code, TASKS_BACKEND="immediate", **env)
    assert inline.stdout.split("\n")[2].startswith("True ")


def test_elasticsearch_url_may_name_every_node_of_the_cluster():
    assert es_hosts("https://u:p@es1:9200, https://u:p@es2:9200,") == [
        "https://u:p@es1:9200",
        "https://u:p@es2:9200",
    ]
    backend = ElasticsearchBackend("http://es1:9200,http://es2:9200")
    nodes = {str(node.config.host) for node in backend.client.transport.node_pool.all()}
    assert nodes == {"es1", "es2"}
    with pytest.raises(ValueError):
        es_hosts(" , ")


def test_redis_url_without_the_redis_package_is_refused(tmp_path):
    # Whether or not redis is installed here: a module of that name that cannot be imported
    # comes first on the path.
    shadow = tmp_path / "without-redis"
    shadow.mkdir()
    (shadow / "redis.py").write_text("raise ImportError('no redis here')\n")
    refused = run_manage(
        "check",
        ZHIDU_VAR_DIR=str(tmp_path),
        REDIS_URL="redis://cache.invalid:6379/0",
        PYTHONPATH=os.pathsep.join(filter(None, [str(shadow), os.environ.get("PYTHONPATH")])),
    )
    assert refused.returncode != 0
    assert "REDIS_URL is set, but the redis package is not installed" in refused.stderr
    try:
        import redis  # noqa: F401
    except ImportError:
        return  # the accepted case needs the package (the redis extra)
    result = run_manage(
        "check", ZHIDU_VAR_DIR=str(tmp_path), REDIS_URL="redis://cache.invalid:6379/0"
    )
    assert result.returncode == 0, result.stderr
