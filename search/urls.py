"""The search pages: staff search, the auditor's advanced search, its CSV and saved searches."""

from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.staff_search, name="search"),
    path("audit/search/", views.auditor_search, name="audit_search"),
    path("audit/search.csv", views.auditor_search_csv, name="audit_search_csv"),
    path("audit/search/saved/", views.saved_search_create, name="audit_search_save"),
    path("audit/search/saved/<int:saved_id>/", views.saved_search_open, name="audit_search_open"),
    path(
        "audit/search/saved/<int:saved_id>/delete/",
        views.saved_search_delete,
        name="audit_search_delete",
    ),
]
