"""What is searchable: every issued version (in force, scheduled, superseded, repealed) of
regulations and job descriptions, at article granularity — one entry per 第X条 (with its
clauses), one per chapter heading and preamble paragraph, and one for the version's title —
each carrying the version's 密级, need-to-know list and dates, so the backends can apply the
access policy inside their queries. Drafts are not indexed (editors find them in the admin).
"""

from django.urls import reverse

from policies_content.models import IssuedVersion, JobDescriptionPage
from policies_content.stream import display_items, parsed_from_dict

from .backends import get_backend
from .backends.base import IndexEntry


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


def entries_for_version(version: IssuedVersion) -> list[IndexEntry]:
    context = _context(version)
    base_url = reverse("version_detail", args=[version.document_number, version.url_version])
    document = parsed_from_dict(version.content)
    entries = [
        IndexEntry(
            key=f"v{version.pk}:title",
            label="",
            anchor="",
            url=base_url,
            text=version.change_summary or "",
            **context,
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
                key=f"v{version.pk}:{anchor or position}",
                label=item["label"] or "",
                anchor=anchor,
                url=f"{base_url}#{anchor}" if anchor else base_url,
                text=text,
                **context,
            )
        )
    return entries


def page_index(page_id: int) -> int:
    """(Re)index every issued version of one document; returns the number of entries."""
    backend = get_backend()
    entries = []
    for version in IssuedVersion.objects.filter(page_id=page_id).select_related("page"):
        entries += entries_for_version(version)
    backend.delete_page(page_id)
    backend.index(entries)
    return len(entries)


def expected_keys_by_page() -> dict[int, set[str]]:
    """What the index should hold, by page (for search_check)."""
    found: dict[int, set[str]] = {}
    for version in IssuedVersion.objects.select_related("page"):
        found.setdefault(version.page_id, set()).update(e.key for e in entries_for_version(version))
    return found
