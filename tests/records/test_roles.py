"""A login's roles are read once per user object and follow changes of its groups."""

import pytest
from django.contrib.auth.models import Group

from records.roles import AUDITOR, STAFF, user_roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_roles_are_read_once_and_follow_a_change_of_groups(django_assert_num_queries):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=STAFF))
    with django_assert_num_queries(1):
        assert user_roles(user) == {STAFF}
        assert user_roles(user) == {STAFF}
    user.groups.add(Group.objects.get(name=AUDITOR))
    assert user_roles(user) == {STAFF, AUDITOR}
    user.groups.remove(Group.objects.get(name=STAFF))
    assert user_roles(user) == {AUDITOR}
    user.groups.clear()
    assert user_roles(user) == set()
