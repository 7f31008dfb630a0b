"""归档 of controlled documents: a superseded (or repealed) issued version becomes an archive
item, through the generic records.filing.archive_file.

By an action (the 'File superseded versions' admin screen of a document) or automatically
when settings.ZHIDU_AUTO_FILE includes "superseded_versions": issuing a new version or
repealing a document schedules ``superseded_versions_file`` with ``transaction.on_commit``.
After the commit, not inside the issuing transaction, on purpose: filing is record-keeping
that follows publication; a filing problem (a department without a code, say) must never undo
or block a publication, so it is logged and can be done later by the action. A version closed
on a future day is filed once that day has come (the next issue, repeal or the action).
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from records.filing import already_filed, archive_file
from records.models import ArchiveItem, CategoryCode, Department, Retention
from records.selectors import company_department

from .models import IssuedVersion

logger = logging.getLogger(__name__)
AUTO_FILE_KEY = "superseded_versions"


def version_snapshot(version: IssuedVersion) -> dict:
    """What is filed: the version's frozen text, number, version, dates and approvals."""
    return {
        "kind": "issued_version",
        "document_number": version.document_number,
        "title": version.title,
        "version": version.version,
        "change_summary": version.change_summary,
        "effective_date": version.effective_date,
        "superseded_on": version.superseded_on,
        "repealed": version.repealed,
        "text": version.canonical_text,
        "text_sha256": version.sha256,
        "approvals": version.approvals,
        "consultation": version.consultation,
        "issued_at": version.issued_at,
    }


def _filing_department(page) -> Department | None:
    """The owner department (制定部门), else the job description's, else the company."""
    for name in ("owner_department", "department"):
        department = getattr(page, name, None)
        if department is not None:
            return department
    return company_department()


def version_filable(version: IssuedVersion) -> bool:
    day = version.superseded_on
    return day is not None and day <= timezone.localdate()


@transaction.atomic
def version_file(*, version: IssuedVersion, user=None, request=None) -> ArchiveItem:
    """File one issued version that is no longer in force (once)."""
    if not version_filable(version):
        raise ValidationError(
            _(
                "%(version)s is still in force or scheduled; only a superseded or repealed "
                "version is filed."
            )
            % {"version": version}
        )
    page = Page.objects.get(pk=version.page_id).specific
    from .models import JobDescriptionPage

    is_job = isinstance(page, JobDescriptionPage)
    return archive_file(
        source=version,
        title=f"{version.title}（{version.document_number} {version.version}）",
        category_code=CategoryCode.DOCUMENTS,
        retention=Retention.THIRTY_YEARS if is_job else Retention.PERMANENT,
        department=_filing_department(page),
        classification=version.classification,
        snapshot=version_snapshot(version),
        filed_by=user,
        request=request,
    )


def versions_to_file(*, page_id: int | None = None):
    """Superseded or repealed versions not filed yet (of one document, or of all)."""
    versions = IssuedVersion.objects.filter(superseded_on__lte=timezone.localdate())
    if page_id is not None:
        versions = versions.filter(page_id=page_id)
    return [v for v in versions.order_by("page_id", "major", "minor") if already_filed(v) is None]


def superseded_versions_file(*, page_id: int | None = None, user=None) -> list[ArchiveItem]:
    """File every superseded version not yet filed; one failure does not stop the others."""
    filed = []
    for version in versions_to_file(page_id=page_id):
        try:
            filed.append(version_file(version=version, user=user))
        except ValidationError as exc:
            logger.warning("Could not file %s: %s", version, "; ".join(exc.messages))
    return filed


def auto_file_after_commit(*, page_id: int, user=None) -> None:
    """Called where versions close (issuing, repeal): file them after the commit, if configured."""
    if AUTO_FILE_KEY in getattr(settings, "ZHIDU_AUTO_FILE", []):
        transaction.on_commit(lambda: superseded_versions_file(page_id=page_id, user=user))
