"""The search pages' input, cleaned leniently: whatever arrives in the address bar — a query of
5,000 characters, control characters, a level that is not a number, a date that is not a
date, a status that does not exist — the page still renders. A bad filter value is dropped,
never an error page; the query text is passed on (the service parses it safely).
"""

import unicodedata

from django import forms
from django.utils.translation import gettext_lazy as _

from policies_content.models import IssuedVersion
from records.confidentiality import level_choices
from records.models import Department
from records.permissions import user_clearance

from .backends.base import Filters

MAX_QUERY = 1000  # characters kept of a query (the service copes with more; nobody types it)
MAX_VALUES = 20  # values kept per multi-value filter
KIND_LABELS = {
    "regulation": _("Regulation"),
    "job_description": _("Job description"),
    "contract": _("Contract"),
    "archive": _("Archive item"),
}
STATUS_LABELS = {**dict(IssuedVersion.State.choices), "draft": _("Draft (editors only)")}
# The same statuses as records say them (search.record_indexing).
KIND_STATUS_LABELS = {
    "contract": {
        "in_force": _("Performing"),
        "scheduled": _("Not started"),
        "superseded": _("Expired"),
        "repealed": _("Terminated"),
        "draft": _("Draft (editors only)"),
    },
    "archive": {"in_force": _("Filed"), "repealed": _("Disposed of")},
}


def status_label(kind: str, status: str) -> str:
    return KIND_STATUS_LABELS.get(kind, {}).get(status) or STATUS_LABELS.get(status, status)


SORTS = [("relevance", _("Relevance")), ("date", _("Effective date, newest first"))]


def clean_query(text: str) -> str:
    """The query without control characters (NUL cannot even be stored in PostgreSQL text),
    whitespace collapsed, at most MAX_QUERY characters."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text or "")
    return " ".join(text.split())[:MAX_QUERY]


class LenientMultipleChoiceField(forms.TypedMultipleChoiceField):
    """Several values from a known list; unknown or malformed values are dropped, not errors."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        values = [v for v in self.to_python(value)[:MAX_VALUES] if self.valid_value(v)]
        return self._coerce(values)


class LenientTextListField(forms.Field):
    """Several free-text values (categories): stripped, control characters removed, empty and
    over-long values dropped."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            value = [value]
        kept = []
        for item in value[:MAX_VALUES]:
            text = clean_query(str(item))
            if text and len(text) <= 100 and text not in kept:
                kept.append(text)
        return kept


class StaffSearchForm(forms.Form):
    """The search box on every page (GET)."""

    q = forms.CharField(required=False, label=_("Search"))
    page = forms.IntegerField(required=False, min_value=1)

    def clean_q(self):
        return clean_query(self.cleaned_data.get("q", ""))

    def values(self) -> dict:
        """Cleaned values; an invalid field falls back to its default."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"q": data.get("q") or "", "page": data.get("page") or 1}


class AuditorSearchForm(StaffSearchForm):
    """The auditor's advanced search: facets as filters, date range, in force on a date,
    sort. Levels offered are only those the auditor is cleared for (records.permissions)."""

    kind = LenientMultipleChoiceField(
        required=False, label=_("Type"), choices=list(KIND_LABELS.items())
    )
    status = LenientMultipleChoiceField(
        required=False, label=_("Status"), choices=list(STATUS_LABELS.items())
    )
    category = LenientTextListField(required=False, label=_("Category"))
    level = LenientMultipleChoiceField(
        required=False, label=_("Confidentiality level"), coerce=int, choices=()
    )
    department = LenientMultipleChoiceField(
        required=False, label=_("Department"), coerce=int, choices=()
    )
    date_from = forms.DateField(
        required=False,
        label=_("Effective from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        required=False,
        label=_("Effective until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    in_force_on = forms.DateField(
        required=False,
        label=_("In force on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sort = forms.ChoiceField(
        required=False,
        label=_("Sort by"),
        choices=SORTS,
        widget=forms.Select(attrs={"data-submit-on-change": True}),
    )

    # The fields that narrow the results (saved with a saved search), in URL order.
    FILTER_FIELDS = (
        "kind",
        "status",
        "category",
        "level",
        "department",
        "date_from",
        "date_to",
        "in_force_on",
        "sort",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        clearance = user_clearance(user)
        self.fields["level"].choices = [
            (rank, name) for rank, name in level_choices() if rank <= clearance
        ]
        self.fields["department"].choices = list(
            Department.objects.order_by("name").values_list("pk", "name")
        )

    def values(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        values = {"q": data.get("q") or "", "page": data.get("page") or 1}
        for name in self.FILTER_FIELDS:
            values[name] = data.get(name) or ([] if name in self._LIST_FIELDS else None)
        values["sort"] = values["sort"] or "relevance"
        return values

    _LIST_FIELDS = ("kind", "status", "category", "level", "department")

    @staticmethod
    def filters_from(values: dict) -> Filters:
        return Filters(
            kinds=tuple(values["kind"]),
            statuses=tuple(values["status"]),
            categories=tuple(values["category"]),
            levels=tuple(values["level"]),
            department_ids=tuple(values["department"]),
            effective_from=values["date_from"],
            effective_to=values["date_to"],
            in_force_on=values["in_force_on"],
        )

    @classmethod
    def as_params(cls, values: dict, *, with_query: bool = True) -> list[tuple[str, str]]:
        """The cleaned values back as GET parameters (pager, CSV link, saved searches)."""
        params = [("q", values["q"])] if with_query and values["q"] else []
        for name in cls.FILTER_FIELDS:
            value = values.get(name)
            if name == "sort" and value == "relevance":
                continue
            if isinstance(value, list | tuple):
                params += [(name, str(v)) for v in value]
            elif value:
                params.append((name, value.isoformat() if hasattr(value, "isoformat") else value))
        return params


class SavedSearchForm(forms.Form):
    """The name an auditor gives the current search when saving it."""

    name = forms.CharField(label=_("Name of this search"), max_length=100)

    def clean_name(self):
        name = clean_query(self.cleaned_data["name"])
        if not name:
            raise forms.ValidationError(_("Give the search a name."))
        return name
