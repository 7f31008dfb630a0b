"""Keeping the index right: publishing, a new version, a repeal and a downgrade update the
index after commit (django-tasks, inline in tests); an unavailable index never loses an
update; search_check reports drift and exits non-zero, --fix and search_rebuild repair.

pytest-django runs each test in a transaction, so after-commit callbacks only run inside
``django_capture_on_commit_callbacks(execute=True)``.
"""

import datetime
import io
from dataclasses import replace

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from policies_content.confidentiality import classification_downgrade_due
from policies_content.issuing import document_repeal
from policies_content.library import category_page
from policies_content.models import IssuedVersion, RegulationPage
from search import upkeep
from search.backends import get_backend
from search.backends.base import Filters, SearchUnavailable
from search.indexing import expected_keys_by_source
from search.models import PendingReindex
from search.service import search_for_user
from search.tasks import pending_reindex_task, source_index_task
from search.upkeep import pending_apply
from tests.factories import EmployeeFactory
from tests.interruptions import WorkerStopped, stopping_after

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def no_catch_up_on_search():
    """A search that works also starts a catch-up of pending updates, once a minute per process
    (search.upkeep.pending_apply_soon; tested in test_search_outage.py). These tests read the
    index as a stopped task or rebuild left it, so that minute is held for them, whichever
    tests ran before."""
    cache.set(upkeep.PENDING_APPLY_KEY, True, timeout=60)
    yield
    cache.delete(upkeep.PENDING_APPLY_KEY)


@pytest.fixture(autouse=True)
def empty_index():
    get_backend().clear()
    yield
    get_backend().clear()


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a regulation as an editor would, running what is enqueued after commit."""

    def publish(title, number, texts, *, level=1, **fields):
        page = RegulationPage(
            title=title,
            document_number=number,
            classification=level,
            body=[("article", {"text": t, "clauses": []}) for t in texts],
            effective_date=TODAY - datetime.timedelta(days=3),
            change_summary="首次发布",
            **fields,
        )
        with django_capture_on_commit_callbacks(execute=True):
            category_page("人事").add_child(instance=page)
            page.save_revision().publish()
        return RegulationPage.objects.get(pk=page.pk)

    return publish


@pytest.fixture
def revise(django_capture_on_commit_callbacks):
    def revise(page, texts, *, summary="修订", **fields):
        page.body = [("article", {"text": t, "clauses": []}) for t in texts]
        page.change_kind, page.change_summary = "major", summary
        for name, value in fields.items():
            setattr(page, name, value)
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()
        return RegulationPage.objects.get(pk=page.pk)

    return revise


def reader(clearance=1):
    return EmployeeFactory(clearance=clearance).user


def found(query, clearance=1) -> set[str]:
    """The document numbers a reader finds."""
    results = search_for_user(user=reader(clearance), query=query)
    return {hit.entry.document_number for hit in results.hits}


def auditor_view(query, **filters):
    """What a fully cleared reader finds (statuses etc. as filters)."""
    return search_for_user(user=reader(clearance=4), query=query, filters=Filters(**filters))


def check(*args):
    """search_check's exit status and output (CommandError carries the status)."""
    out = io.StringIO()
    try:
        call_command("search_check", *args, stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + str(exc)
    return 0, out.getvalue()


# Publishing, revising, repealing, downgrading ------------------------------------------------


def test_publishing_makes_the_document_findable_after_commit(publish):
    publish("考勤管理制度", "HM-RS-101", ["员工请假须事先书面申请。"])
    results = search_for_user(user=reader(), query="请假")
    assert [hit.entry.document_number for hit in results.hits] == ["HM-RS-101"]
    assert not PendingReindex.objects.exists()


def test_nothing_is_indexed_before_the_transaction_commits():
    """Without the commit, the index is untouched: a rolled-back publish never shows up."""
    page = RegulationPage(
        title="未提交制度",
        document_number="HM-RS-102",
        classification=1,
        body=[("article", {"text": "出差须事先审批。", "clauses": []})],
        effective_date=TODAY,
        change_summary="首次发布",
    )
    category_page("人事").add_child(instance=page)
    page.save_revision().publish()
    assert IssuedVersion.objects.filter(page_id=page.pk).exists()
    assert search_for_user(user=reader(), query="出差").total == 0


def test_new_version_supersedes_the_old_one_in_the_index(publish, revise):
    page = publish("考勤管理制度", "HM-RS-103", ["员工请假须事先申请。"])
    revise(page, ["员工请假须提前三天申请。"], summary="修订请假规定")
    in_force = auditor_view("请假", statuses=("in_force",))
    superseded = auditor_view("请假", statuses=("superseded",))
    assert {hit.entry.version for hit in in_force.hits} == {"V2.0"}
    assert {hit.entry.version for hit in superseded.hits} == {"V1.0"}
    assert any("提前三天" in hit.entry.text for hit in in_force.hits)
    assert not any("提前三天" in hit.entry.text for hit in superseded.hits)


def test_a_level_raised_in_a_new_version_hides_it_from_lower_readers(publish, revise):
    page = publish("薪酬管理制度", "HM-RS-104", ["薪酬按月发放。"], level=1)
    revise(page, ["薪酬按月发放，薪酬数据属于保密信息。"], classification=3)
    low = search_for_user(user=reader(clearance=1), query="薪酬")
    assert {hit.entry.version for hit in low.hits} == {"V1.0"}
    assert low.facets["level"] == {"1": low.total}
    high = search_for_user(user=reader(clearance=3), query="保密信息")
    assert {hit.entry.version for hit in high.hits} == {"V2.0"}


def test_repeal_shows_as_repealed_in_the_index(publish, django_capture_on_commit_callbacks):
    page = publish("差旅费报销办法", "HM-RS-105", ["差旅费按实报销。"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document_repeal(page=page, reason="并入财务制度", on=TODAY - datetime.timedelta(days=1))
    assert callbacks, "the repeal enqueues an index update"
    assert auditor_view("差旅费", statuses=("in_force",)).total == 0
    repealed = auditor_view("差旅费", statuses=("repealed",))
    assert repealed.total >= 1
    assert all(hit.entry.repealed for hit in repealed.hits)


def test_downgrade_reindexes_and_the_index_keeps_matching_the_database(
    publish, django_capture_on_commit_callbacks
):
    """The 保密期限 downgrade lowers the page; issued versions keep their level (they are
    evidence), and so does the index, which follows the issued versions."""
    page = publish(
        "机密采购制度",
        "HM-RS-106",
        ["采购底价属于机密。"],
        level=3,
        classified_until=TODAY - datetime.timedelta(days=1),
        downgrade_to=1,
    )
    get_backend().delete_source(f"page:{page.pk}")  # stale: the downgrade's re-index shows
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert classification_downgrade_due() == 1
    assert len(callbacks) == 1
    source = f"page:{page.pk}"
    assert get_backend().keys_by_source()[source] == expected_keys_by_source()[source]
    assert found("底价", clearance=3) == {"HM-RS-106"}
    assert found("底价", clearance=1) == set()


def test_the_task_tolerates_a_page_deleted_meanwhile():
    result = source_index_task.enqueue("page:987654")
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 0
    assert "page:987654" not in get_backend().keys_by_source()


# An unavailable index ------------------------------------------------------------------------


@pytest.fixture
def index_down(monkeypatch):
    """The index cannot be reached until ``restore()``."""
    backend_class = type(get_backend())
    writes = ("index", "delete_source", "replace_source")
    originals = {name: getattr(backend_class, name) for name in writes}

    def down(*args, **kwargs):
        raise SearchUnavailable("database is locked")

    for name in originals:
        monkeypatch.setattr(backend_class, name, down)

    def restore():
        for name, original in originals.items():
            monkeypatch.setattr(backend_class, name, original)

    return restore


def test_publishing_while_the_index_is_down_keeps_the_update_for_the_next_task(publish, index_down):
    page = publish("保密管理制度", "HM-RS-107", ["员工须遵守保密义务。"])
    assert IssuedVersion.objects.filter(page_id=page.pk).exists(), "publishing still works"
    assert list(PendingReindex.objects.values_list("source", flat=True)) == [f"page:{page.pk}"]
    index_down()  # restored
    publish("考勤管理制度", "HM-RS-108", ["员工请假须事先申请。"])
    assert not PendingReindex.objects.exists()
    assert found("保密") == {"HM-RS-107"}


def test_pending_updates_are_reported_and_applied_by_search_check_fix(publish, index_down):
    page = publish("保密管理制度", "HM-RS-109", ["员工须遵守保密义务。"])
    index_down()
    status, output = check()
    assert status == 1
    assert "HM-RS-109" in output
    assert check("--fix")[0] == 0
    assert not PendingReindex.objects.filter(source=f"page:{page.pk}").exists()
    assert found("保密") == {"HM-RS-109"}


# search_check and search_rebuild ---------------------------------------------------------


def test_search_check_reports_drift_exits_non_zero_and_fix_repairs(publish):
    kept = publish("考勤管理制度", "HM-RS-110", ["员工请假须事先申请。", "迟到按规定处理。"])
    lost = publish("报销管理办法", "HM-RS-111", ["报销须事先申请。"])
    assert check()[0] == 0
    backend = get_backend()
    backend.delete_source(f"page:{lost.pk}")
    entry = next(h.entry for h in auditor_view("请假").hits if h.entry.page_id == kept.pk)
    backend.index([replace(entry, key=f"v{entry.version_id}:stale")])

    status, output = check()
    assert status == 1
    assert "HM-RS-111" in output and "HM-RS-110" in output
    assert "stale" in output
    assert found("报销") == set()

    status, output = check("--fix")
    assert status == 0
    assert check()[0] == 0
    assert found("报销") == {"HM-RS-111"}
    assert backend.keys_by_source() == expected_keys_by_source()


def test_search_rebuild_restores_a_cleared_index(publish):
    publish("考勤管理制度", "HM-RS-112", ["员工请假须事先申请。"])
    publish("員工守則", "HM-RS-113", ["員工應遵守運(yùn)營規範。"])
    expected = expected_keys_by_source()
    get_backend().clear()
    assert found("运营") == set()

    out = io.StringIO()
    call_command("search_rebuild", "--no-progress", stdout=out)

    assert get_backend().keys_by_source() == expected
    assert found("运营") == {"HM-RS-113"}
    assert "2" in out.getvalue()
    assert check()[0] == 0


def test_search_rebuild_uses_a_backend_rebuild_when_there_is_one(publish, monkeypatch):
    """Elasticsearch rebuilds into a new index and switches the alias: it gets every entry
    as one stream instead of a clear."""
    publish("考勤管理制度", "HM-RS-114", ["员工请假须事先申请。"])
    backend_class = type(get_backend())
    received, cleared = [], []
    monkeypatch.setattr(
        backend_class, "rebuild", lambda self, entries: received.extend(entries), raising=False
    )
    monkeypatch.setattr(backend_class, "clear", lambda self: cleared.append(True))
    call_command("search_rebuild", "--no-progress", stdout=io.StringIO())
    assert {e.key for e in received} == set().union(*expected_keys_by_source().values())
    assert not cleared


# A worker stopped half-way ---------------------------------------------------------------------


def test_an_index_task_stopped_half_way_keeps_the_old_entries_and_the_update(
    publish, revise, monkeypatch
):
    """The record's entries are replaced in one transaction and the update stays pending: until
    the next run the previous text is found, never half of the new one, and nothing is lost."""
    page = publish("考勤管理制度", "HM-RS-120", ["员工请假须事先申请。", "迟到按规定处理。"])
    backend_class = type(get_backend())
    monkeypatch.setattr(backend_class, "_row", staticmethod(stopping_after(1, backend_class._row)))
    revise(page, ["员工请假须提前三天申请。", "迟到按规定处理。"])  # its index task stops
    monkeypatch.undo()
    assert {hit.entry.version for hit in auditor_view("请假").hits} == {"V1.0"}
    assert found("提前三天") == set()
    assert list(PendingReindex.objects.values_list("source", flat=True)) == [f"page:{page.pk}"]

    assert pending_reindex_task.enqueue().return_value == 1  # the worker again
    assert found("提前三天") == {"HM-RS-120"}
    assert not PendingReindex.objects.exists()
    assert check()[0] == 0


def test_pending_updates_stopped_after_two_are_each_applied_once(publish, index_down, monkeypatch):
    pages = [publish(f"管理制度{n}", f"HM-RS-13{n}", [f"第{n}项规定。"]) for n in range(5)]
    index_down()  # the index is back; five updates wait
    applied = []
    real = upkeep.source_index

    def counting(source):
        applied.append(source)
        return real(source)

    monkeypatch.setattr(upkeep, "source_index", stopping_after(2, counting))
    with pytest.raises(WorkerStopped):
        pending_apply(limit=None)
    assert PendingReindex.objects.count() == 3

    monkeypatch.setattr(upkeep, "source_index", counting)
    assert pending_apply(limit=None) == 3
    assert sorted(applied) == sorted(f"page:{page.pk}" for page in pages)  # each exactly once
    assert not PendingReindex.objects.exists()
    assert found("规定") == {page.document_number for page in pages}


def test_a_rebuild_stopped_half_way_leaves_exactly_the_rest_to_search_check_fix(
    publish, monkeypatch
):
    pages = [publish(f"管理办法{n}", f"HM-RS-14{n}", [f"第{n}项办法。"]) for n in range(4)]
    backend_class = type(get_backend())
    monkeypatch.setattr(backend_class, "index", stopping_after(2, backend_class.index))
    with pytest.raises(WorkerStopped):
        call_command("search_rebuild", "--no-progress", stdout=io.StringIO())
    monkeypatch.undo()
    pending = set(PendingReindex.objects.values_list("source", flat=True))
    assert len(pending) == 2
    assert len(found("办法")) == 2  # the records done are searchable again
    status, output = check()
    waiting = [page.document_number for page in pages if f"page:{page.pk}" in pending]
    assert status == 1 and all(number in output for number in waiting)

    applied = []
    real = upkeep.source_index
    monkeypatch.setattr(upkeep, "source_index", lambda s: applied.append(s) or real(s))
    assert check("--fix")[0] == 0
    assert sorted(applied) == sorted(pending)  # only the rest, once each
    assert found("办法") == {page.document_number for page in pages}
