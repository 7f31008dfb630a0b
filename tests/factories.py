"""factory_boy factories for the organisation."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
