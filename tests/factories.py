"""factory_boy factories for the organisation, and a published regulation."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from policies_content.library import category_page
from policies_content.models import RegulationPage
from records.models import Department, Employee, Position


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "pw-for-tests")
        if create:
            self.save(update_fields=["password"])

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for name in extracted or []:
            self.groups.add(Group.objects.get(name=name))


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("code",)

    code = "CO"
    name = "测试公司"
    kind = Department.Kind.COMPANY


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n}")
    name = factory.Sequence(lambda n: f"部门{n}")
    kind = Department.Kind.DEPARTMENT
    parent = factory.SubFactory(CompanyFactory)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    name = factory.Sequence(lambda n: f"岗位{n}")
    department = factory.SubFactory(DepartmentFactory)


class EmployeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employee

    employee_number = factory.Sequence(lambda n: f"E{n:04}")
    name = factory.Sequence(lambda n: f"员工{n}")
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..employee_number"))
    department = factory.SubFactory(DepartmentFactory)
    clearance = 1


def article(text: str):
    return ("article", {"text": text, "clauses": []})


def regulation_publish(
    *,
    title: str,
    number: str,
    articles: list[str],
    category: str = "人事",
    effective: datetime.date | None = None,
    **fields,
) -> RegulationPage:
    """A regulation issued as V1.0 (for every member of staff unless told otherwise)."""
    fields.setdefault("distribution_all_staff", True)
    page = RegulationPage(
        title=title,
        document_number=number,
        body=[article(text) for text in articles],
        effective_date=effective or timezone.localdate(),
        change_summary="首次发布",
        **fields,
    )
    category_page(category).add_child(instance=page)
    page.save_revision().publish()
    return RegulationPage.objects.get(pk=page.pk)
