"""借阅: request, approval, lending, return; dates checked; overdue list; one loan at a time."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from records.archive_selectors import loans_overdue
from records.archive_services import loan_decide, loan_lend, loan_request, loan_return
from records.models import ArchiveItem, Loan
from tests.factories import EmployeeFactory

from .archive_fixtures import file_item, hr_user, in_english  # noqa: F401 (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_english")]

TODAY = timezone.localdate()


@pytest.fixture
def hr():
    return hr_user()


def lent(item, hr, *, requested, due):
    loan = loan_request(
        item=item,
        borrower=EmployeeFactory(),
        purpose="核对",
        requested_on=requested,
        due_back_on=due,
        user=hr,
    )
    loan_decide(loan=loan, approve=True, user=hr)
    return loan_lend(loan=loan, user=hr, on=requested)


def test_due_back_must_be_after_the_request_and_nothing_is_written(hr):
    item = file_item()
    with pytest.raises(ValidationError) as excinfo:
        loan_request(
            item=item,
            borrower=EmployeeFactory(),
            purpose="审计",
            requested_on=TODAY,
            due_back_on=TODAY,
            user=hr,
        )
    assert "due_back_on" in excinfo.value.message_dict
    assert not Loan.objects.exists()


def test_a_loan_runs_from_request_to_return_and_the_item_status_follows(hr):
    item = file_item()
    loan = lent(
        item,
        hr,
        requested=TODAY - datetime.timedelta(days=2),
        due=TODAY + datetime.timedelta(days=5),
    )
    item.refresh_from_db()
    assert item.status == ArchiveItem.Status.ON_LOAN
    loan_return(loan=loan, user=hr)
    item.refresh_from_db()
    loan.refresh_from_db()
    assert item.status == ArchiveItem.Status.FILED
    assert loan.status == Loan.Status.RETURNED and loan.returned_on == TODAY
    # Each status change is a revision with its reason.
    assert item.revisions.count() == 3


def test_an_item_on_loan_cannot_be_lent_again(hr):
    item = file_item()
    lent(item, hr, requested=TODAY, due=TODAY + datetime.timedelta(days=7))
    second = loan_request(
        item=item,
        borrower=EmployeeFactory(),
        purpose="复印",
        due_back_on=TODAY + datetime.timedelta(days=3),
        user=hr,
    )
    loan_decide(loan=second, approve=True, user=hr)
    with pytest.raises(ValidationError, match="already on loan"):
        loan_lend(loan=second, user=hr)
    second.refresh_from_db()
    assert second.status == Loan.Status.APPROVED


def test_only_approved_loans_are_lent_and_borrowers_do_not_approve_their_own(hr):
    item = file_item()
    borrower = EmployeeFactory()
    loan = loan_request(
        item=item,
        borrower=borrower,
        purpose="查阅",
        due_back_on=TODAY + datetime.timedelta(days=3),
        user=hr,
    )
    with pytest.raises(ValidationError, match="approved loan"):
        loan_lend(loan=loan, user=hr)
    with pytest.raises(ValidationError, match="own loan"):
        loan_decide(loan=loan, approve=True, user=borrower.user)


def test_overdue_lists_lent_items_past_their_due_date(hr):
    overdue = lent(
        file_item(title="逾期"),
        hr,
        requested=TODAY - datetime.timedelta(days=20),
        due=TODAY - datetime.timedelta(days=5),
    )
    lent(file_item(title="未逾期"), hr, requested=TODAY, due=TODAY + datetime.timedelta(days=5))
    returned = lent(
        file_item(title="已归还"),
        hr,
        requested=TODAY - datetime.timedelta(days=20),
        due=TODAY - datetime.timedelta(days=1),
    )
    loan_return(loan=returned, user=hr)
    assert list(loans_overdue(user=hr)) == [overdue]
    assert overdue.is_overdue()


def test_a_return_date_before_lending_is_refused(hr):
    loan = lent(
        file_item(),
        hr,
        requested=TODAY - datetime.timedelta(days=2),
        due=TODAY + datetime.timedelta(days=2),
    )
    with pytest.raises(ValidationError) as excinfo:
        loan_return(loan=loan, user=hr, on=TODAY - datetime.timedelta(days=5))
    assert "returned_on" in excinfo.value.message_dict
    loan.refresh_from_db()
    assert loan.status == Loan.Status.LENT
