"""档号 stay unique and gap-free when items are filed at the same time."""

import threading
from unittest import mock

import pytest
from django.db import connection, transaction
from django.db.models.query import QuerySet

from records.archival_codes import archival_number_next
from records.models import ArchivalCodeCounter, ArchiveItem
from tests.factories import DepartmentFactory, EmployeeFactory

from .archive_fixtures import file_item

SERIES = {
    "fonds": "Z001",
    "category_code": "WS",
    "year": 2026,
    "retention": "D10",
    "org_code": "ZH",
}


@pytest.mark.django_db
def test_a_series_created_meanwhile_by_another_filing_is_used_not_duplicated():
    """The first filing of a series lost the race to create its counter: it takes the next
    number from the winner's row instead of failing or starting again at 1."""
    ArchivalCodeCounter.objects.create(**SERIES, last_number=4)
    with transaction.atomic(), mock.patch.object(QuerySet, "exists", return_value=False):
        number = archival_number_next(**SERIES)
    assert number == 5
    assert ArchivalCodeCounter.objects.filter(**SERIES).count() == 1


@pytest.mark.django_db(transaction=True)
def test_numbering_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        archival_number_next(**SERIES)


@pytest.mark.django_db
def test_sequential_filings_in_one_series_are_numbered_one_to_n():
    department = DepartmentFactory(code="ZH")
    items = [file_item(department=department) for _ in range(12)]
    numbers = sorted(item.item_number for item in items)
    assert numbers == list(range(1, 13))
    assert len({item.archival_code for item in items}) == 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_unique_gap_free_codes():
    department = DepartmentFactory(code="ZH")
    sources = [EmployeeFactory(department=department) for _ in range(8)]
    barrier = threading.Barrier(len(sources))
    errors = []

    def file_one(source):
        try:
            barrier.wait()
            file_item(source=source, department=department)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file_one, args=(s,)) for s in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(ArchiveItem.objects.values_list("item_number", flat=True))
    assert numbers == list(range(1, len(sources) + 1))
    assert ArchiveItem.objects.values("archival_code").distinct().count() == len(sources)
