"""A search outage, end to end: the embedded index file unavailable (a path that cannot be
opened, a file that is not an index, a file locked by another process) and Elasticsearch
configured but unreachable (a closed port, a server that never answers).

Meanwhile the search page says so in Chinese (HTTP 200: the outage is the search's alone, so
no proxy or load balancer should take the whole site for down), answers without hanging, and
the rest of the site works — 我的文件, reading a regulation, signing it. A regulation issued
meanwhile is kept as a pending index update; once the index is back, the first search that
succeeds applies it, and ``search_check`` reports no drift.
"""

import io
import socket
import sqlite3
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

import search.backends
from policies_content.models import Acknowledgement, Assignment, IssuedVersion, RegulationPage
from search.backends import get_backend
from search.models import PendingReindex
from tests.factories import EmployeeFactory, regulation_publish
from tests.search.fake_elasticsearch import FakeCluster, fake_backend

pytestmark = pytest.mark.django_db

UNAVAILABLE = "搜索服务暂时不可用，请稍后再试。"
PASSWORD = "pw-for-tests"


@pytest.fixture(autouse=True)
def fresh_index_and_cache():
    """The index file outlives each test's rolled-back database: start and end empty. The
    cache holds the once-a-minute guard of the catch-up after an outage."""
    get_backend().clear()
    cache.clear()
    yield
    cache.clear()
    get_backend().clear()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish an all-staff regulation, running what is enqueued after commit (indexing)."""

    def publish(title, number, text):
        with django_capture_on_commit_callbacks(execute=True):
            return regulation_publish(title=title, number=number, articles=[text])

    return publish


@pytest.fixture
def reader(client):
    employee = EmployeeFactory(name="王小明")
    client.force_login(employee.user)
    return employee


def search_page(client, query):
    started = time.perf_counter()
    response = client.get(reverse("search"), {"q": query})
    return response, time.perf_counter() - started


def check() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("search_check", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


def the_rest_of_the_site_works(client, reader, rule) -> None:
    """我的文件, the reading page and signing, while search is away."""
    home = client.get(reverse("staff_home"))
    assert home.status_code == 200 and "待我签收" in home.content.decode()
    reading = client.get(rule.url)
    assert reading.status_code == 200 and "员工请假须事先申请" in reading.content.decode()
    assignment = Assignment.objects.get(page_id=rule.pk, employee=reader, state="open")
    url = reverse("acknowledgement_sign", args=[assignment.pk])
    assert client.get(url).status_code == 200
    signed = client.post(url, {"confirm": "yes", "password": PASSWORD})
    assert signed.status_code == 302
    assert signed["Location"] == reverse("acknowledgement_receipt", args=[assignment.pk])
    assert Acknowledgement.objects.filter(assignment=assignment).exists()


def during_the_outage(client, reader, rule, publish) -> RegulationPage:
    """What must hold while the index is away; returns the regulation issued meanwhile."""
    response, seconds = search_page(client, "请假")
    assert response.status_code == 200
    assert UNAVAILABLE in response.content.decode()
    assert seconds < 4.5, f"the search page took {seconds:.1f} s"
    the_rest_of_the_site_works(client, reader, rule)
    meanwhile = publish("加班管理规定", "HM-RS-2026-702", "加班须经部门负责人批准。")
    assert IssuedVersion.objects.filter(page_id=meanwhile.pk).exists(), "publishing works"
    assert PendingReindex.objects.filter(source=f"page:{meanwhile.pk}").exists()
    status, output = check()
    assert status == 2 and "不可用" in output
    return meanwhile


def after_it_returns(client, meanwhile) -> None:
    response, _seconds = search_page(client, "请假")
    assert response.status_code == 200 and UNAVAILABLE not in response.content.decode()
    assert not PendingReindex.objects.exists(), "the first search that works catches up"
    status, output = check()
    assert status == 0, output
    if get_backend().name == "embedded":  # (the fake Elasticsearch node answers no hits)
        found, _seconds = search_page(client, "加班")
        assert meanwhile.title in found.content.decode(), "what was issued meanwhile is found"


# -- the embedded index ----------------------------------------------------------------------


def test_an_index_path_that_cannot_be_opened(client, reader, publish, settings, tmp_path):
    rule = publish("考勤管理制度", "HM-RS-2026-701", "员工请假须事先申请。")
    working = settings.SEARCH_INDEX_PATH
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.SEARCH_INDEX_PATH = blocker / "search.sqlite3"
    meanwhile = during_the_outage(client, reader, rule, publish)
    settings.SEARCH_INDEX_PATH = working
    after_it_returns(client, meanwhile)
    response, _seconds = search_page(client, "加班")
    assert "加班管理规定" in response.content.decode()


def test_an_index_file_that_is_not_an_index(client, reader, publish, settings, tmp_path):
    rule = publish("考勤管理制度", "HM-RS-2026-701", "员工请假须事先申请。")
    working = settings.SEARCH_INDEX_PATH
    damaged = tmp_path / "search.sqlite3"
    damaged.write_bytes(b"\x00garbage, not an SQLite file\x00" * 200)
    settings.SEARCH_INDEX_PATH = damaged
    meanwhile = during_the_outage(client, reader, rule, publish)
    settings.SEARCH_INDEX_PATH = working
    after_it_returns(client, meanwhile)


@pytest.mark.slow
def test_an_index_file_locked_by_another_process(client, reader, publish, settings):
    """Another connection holds an exclusive lock (a stuck writer): a search gives up after
    a second instead of holding its worker; the update made meanwhile waits for the lock (the
    writers' longer wait), then is kept pending."""
    rule = publish("考勤管理制度", "HM-RS-2026-701", "员工请假须事先申请。")
    lock = sqlite3.connect(settings.SEARCH_INDEX_PATH, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        meanwhile = during_the_outage(client, reader, rule, publish)
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    after_it_returns(client, meanwhile)


# -- Elasticsearch -----------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def elasticsearch(settings, monkeypatch):
    """SEARCH_BACKEND=elasticsearch with ELASTICSEARCH_URL at a closed port: ``down()`` uses
    the real client against it; ``up()`` a node that answers (tests/search/fake_elasticsearch)."""
    settings.SEARCH_BACKEND = "elasticsearch"
    settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{closed_port()}"
    cluster = FakeCluster()
    cluster.search_response = {"hits": {"total": {"value": 0}, "hits": []}, "aggregations": {}}
    answering = fake_backend(cluster, index=settings.ZHIDU_ES_INDEX)
    real = search.backends._backend

    class Switch:
        def up(self):
            monkeypatch.setattr(search.backends, "_backend", lambda name, location: answering)

        def down(self):
            monkeypatch.setattr(search.backends, "_backend", real)

    switch = Switch()
    switch.up()
    return switch


def test_elasticsearch_configured_but_unreachable(client, reader, publish, elasticsearch):
    rule = publish("考勤管理制度", "HM-RS-2026-701", "员工请假须事先申请。")
    elasticsearch.down()
    meanwhile = during_the_outage(client, reader, rule, publish)
    elasticsearch.up()
    after_it_returns(client, meanwhile)


@pytest.mark.slow
def test_elasticsearch_that_never_answers_does_not_hold_the_page(
    client, reader, publish, settings, elasticsearch
):
    """A server that accepts the connection and never answers: the search page gives up
    after the search timeout (3 s, no retry) instead of the client's 2 × 10 s."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        accepted = []
        stop = threading.Event()

        def hold():
            silent.settimeout(0.2)
            while not stop.is_set():
                try:
                    accepted.append(silent.accept()[0])
                except OSError:
                    continue

        holder = threading.Thread(target=hold, daemon=True)
        holder.start()
        settings.ELASTICSEARCH_URL = f"http://127.0.0.1:{silent.getsockname()[1]}"
        elasticsearch.down()
        try:
            response, seconds = search_page(client, "请假")
        finally:
            stop.set()
            holder.join()
            for connection in accepted:
                connection.close()
    assert response.status_code == 200 and UNAVAILABLE in response.content.decode()
    assert seconds < 8, f"the search page took {seconds:.1f} s"
    assert accepted, "the request reached the silent server"
