"""What is searchable: every issued version (in force, scheduled, superseded, repealed) of
regulations and job descriptions, at article granularity — one entry per 第X条 (with its
clauses), one per chapter heading and preamble paragraph, and one for the version's title —
each carrying the version's 密级, need-to-know list and dates, so the backends can apply the
access policy inside their queries. A document's draft (saved, not issued) is indexed too,
marked as such: only editors find it (records.permissions.sees_drafts).
"""

from django.urls import reverse
from wagtail.models import Page

from policies_content.models import IssuedVersion, JobDescriptionPage
from policies_content.models.controlled import controlled_page_models
from policies_content.stream import display_items, page_to_parsed, parsed_from_dict

from .backends import get_backend
from .backends.base import IndexEntry, page_source


def _context(version: IssuedVersion) -> dict:
    page = version.page.specific
    parent = page.get_parent()
    return {
        "kind": "job_description" if isinstance(page, JobDescriptionPage) else "regulation",
        "page_id": version.page_id,
        "version_id": version.pk,
        "title": version.title,
        "document_number": version.document_number,
        "version": version.version,
        "level": version.classification,
        "need_to_know": tuple(sorted(version.need_to_know or [])),
        "repealed": version.repealed,
        "effective_date": version.effective_date,
        "superseded_on": version.superseded_on,
        "category": parent.title if parent else "",
        "department_id": getattr(page, "owner_department_id", None),
    }


def _entries(document, *, key: str, base_url: str, heading_text: str, context: dict):
    """One entry for the title (with ``heading_text``), then one per article, chapter heading
    and preamble paragraph of a parsed document."""
    entries = [
        IndexEntry(
            key=f"{key}:title", label="", anchor="", url=base_url, text=heading_text, **context
        )
    ]
    for position, item in enumerate(display_items(document.blocks)):
        parts = [item["text"] or ""]
        parts += [f"{c['label']}{c['text']}" for c in item["clauses"]]
        if item["kind"] == "table":
            parts += [" ".join(row) for row in item["rows"] or []]
        text = "\n".join(p for p in parts if p).strip()
        if not text:
            continue
        anchor = item["uid"] or ""
        entries.append(
            IndexEntry(
                key=f"{key}:{anchor or position}",
                label=item["label"] or "",
                anchor=anchor,
                url=f"{base_url}#{anchor}" if anchor else base_url,
                text=text,
                **context,
            )
        )
    return entries


def entries_for_version(version: IssuedVersion) -> list[IndexEntry]:
    base_url = reverse("version_detail", args=[version.document_number, version.url_version])
    return _entries(
        parsed_from_dict(version.content),
        key=f"v{version.pk}",
        base_url=base_url,
        heading_text=version.change_summary or "",
        context=_context(version),
    )


def entries_for_draft(page) -> list[IndexEntry]:
    """The document as last saved, when that is not what was issued (never published, or
    changed since): for editors only (IndexEntry.draft), opening the admin editor. It keeps
    the draft's own 密级 and the page's need-to-know list."""
    page = page.specific
    if page.live and not page.has_unpublished_changes:
        return []
    draft = page.get_latest_revision_as_object()
    parent = page.get_parent()
    context = {
        "kind": "job_description" if isinstance(page, JobDescriptionPage) else "regulation",
        "page_id": page.pk,
        "version_id": None,
        "title": draft.title,
        "document_number": draft.document_number or "",
        "version": "",
        "level": max(draft.classification, page.classification),
        "need_to_know": tuple(sorted(page.need_to_know_department_ids())),
        "repealed": False,
        "effective_date": draft.effective_date,
        "superseded_on": None,
        "category": parent.title if parent else "",
        "department_id": getattr(draft, "owner_department_id", None),
        "draft": True,
    }
    return _entries(
        page_to_parsed(draft),
        key=f"d{page.pk}",
        base_url=reverse("wagtailadmin_pages:edit", args=[page.pk]),
        heading_text=draft.change_summary or "",
        context=context,
    )


def page_entries(page_id: int) -> list[IndexEntry]:
    """Everything one document contributes to the index: its issued versions and its draft."""
    entries = []
    for version in IssuedVersion.objects.filter(page_id=page_id).select_related("page"):
        entries += entries_for_version(version)
    page = Page.objects.filter(pk=page_id).first()
    if page is not None and isinstance(page.specific, tuple(controlled_page_models())):
        entries += entries_for_draft(page)
    return entries


def source_entries(source: str) -> list[IndexEntry]:
    """Everything one record (IndexEntry.source) contributes to the index; none if gone."""
    kind, _sep, number = source.partition(":")
    if not number.isdigit():
        return []
    if kind == "page":
        return page_entries(int(number))
    from .record_indexing import RECORD_ENTRIES

    build = RECORD_ENTRIES.get(kind)
    return build(int(number)) if build else []


def source_index(source: str) -> int:
    """(Re)index one record; returns the number of entries. Its previous entries are replaced
    in one step where the backend can (the embedded index)."""
    entries = source_entries(source)
    get_backend().replace_source(source, entries)
    return len(entries)


def page_index(page_id: int) -> int:
    """(Re)index one document (issued versions and draft); returns the number of entries."""
    return source_index(page_source(page_id))


def indexed_sources() -> list[str]:
    """Every record that may have entries: documents issued or saved as a draft, contracts
    and archive items."""
    from .record_indexing import record_sources

    ids: set[int] = set()
    for model in controlled_page_models():
        ids.update(model.objects.values_list("pk", flat=True))
    return [page_source(pk) for pk in sorted(ids)] + record_sources()


def expected_keys_by_source() -> dict[str, set[str]]:
    """What the index should hold, by record (for search_check)."""
    found: dict[str, set[str]] = {}
    for source in indexed_sources():
        keys = {e.key for e in source_entries(source)}
        if keys:
            found[source] = keys
    return found
