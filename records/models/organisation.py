"""The organisation: departments (company → department → group), positions and employees.

Every later feature asks these questions: which department and position is this person in, who
is their manager, what may they read (clearance), are they still employed. Employees are kept
when they leave (status 离职) because their acknowledgements and records outlive employment.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from records.confidentiality import level_choices, level_name


class Department(models.Model):
    """A node of the org chart. Three kinds, nested in one order: company → department → group.

    A plain parent link (not a materialised tree): org charts have tens to hundreds of nodes,
    and HR edit them as a list with a parent, which Wagtail's snippet admin does well.
    """

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        DEPARTMENT = "department", _("Department")
        GROUP = "group", _("Group")

    ALLOWED_PARENT = {
        Kind.COMPANY: None,
        Kind.DEPARTMENT: Kind.COMPANY,
        Kind.GROUP: Kind.DEPARTMENT,
    }

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(
        _("code"), max_length=30, unique=True, help_text=_("Short unique code, e.g. DS-YY.")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="department_unique_name"),
        ]

    def __str__(self):
        return self.path_name

    def clean(self):
        wanted = self.ALLOWED_PARENT[self.kind]
        if wanted is None and self.parent_id:
            raise ValidationError({"parent": _("A company has no parent.")})
        if wanted is not None and (self.parent is None or self.parent.kind != wanted):
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must belong to a %(parent)s.")
                    % {"kind": self.get_kind_display(), "parent": self.Kind(wanted).label}
                }
            )

    @property
    def ancestors(self) -> list["Department"]:
        """From the company down to the parent of this node."""
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    @property
    def path_name(self) -> str:
        """Name below the company, e.g. "电子商务部/运营组"; the company's own name for itself."""
        names = [d.name for d in self.ancestors if d.kind != self.Kind.COMPANY]
        return "/".join([*names, self.name])

    def descendant_ids(self) -> set[int]:
        """This department and every department below it."""
        return Department.descendants_of({self.pk})

    @staticmethod
    def descendants_of(ids) -> set[int]:
        """These departments and every department below them (one query per level)."""
        found, frontier = set(ids), list(ids)
        while frontier:
            frontier = list(
                Department.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            found.update(frontier)
        return found


class Position(models.Model):
    """岗位: a role within one department; job descriptions and distribution target it."""

    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="positions",
    )

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["department__sort_order", "department__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "name"], name="position_unique_name"),
        ]

    def __str__(self):
        return f"{self.department.path_name} · {self.name}"


class EmployeeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Employee.Status.ACTIVE)


class Employee(models.Model):
    """An employee's profile, one per login: 工号, name, place in the org chart, clearance.

    The login (django.contrib.auth User) carries the password and groups (roles); this carries
    what the company knows about the person. Departed staff keep their profile (status 离职,
    login disabled) because what they signed is evidence.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Employed")  # 在职
        DEPARTED = "departed", _("Departed")  # 离职

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.PROTECT,
        related_name="employee",
    )
    employee_number = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="staff"
    )
    position = models.ForeignKey(
        Position,
        verbose_name=_("position"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holders",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    clearance = models.PositiveSmallIntegerField(
        _("clearance"),
        default=1,
        choices=level_choices,
        help_text=_("The highest confidentiality level this person may read."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    leave_date = models.DateField(_("leave date"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["employee_number"]
        permissions = [
            ("import_employees", _("Can import employees from CSV or XLSX")),
            ("access_auditor_area", _("Can open the auditor area")),
            (
                "manage_account_security",
                _("Can unlock locked sign-ins and reset second factors"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.employee_number}）"

    @property
    def clearance_name(self) -> str:
        return level_name(self.clearance)

    def clean(self):
        errors = {}
        if (
            self.position_id
            and self.department_id
            and self.position.department_id != (self.department_id)
        ):
            errors["position"] = _("The position belongs to another department.")
        if self.manager_id and self.pk and self.manager_id == self.pk:
            errors["manager"] = _("An employee cannot be their own manager.")
        if self.leave_date and self.hire_date and self.leave_date < self.hire_date:
            errors["leave_date"] = _("The leave date is before the hire date.")
        if errors:
            raise ValidationError(errors)
