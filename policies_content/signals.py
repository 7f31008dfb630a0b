"""Signal wiring: publishing a controlled document issues a version. No logic here."""

from django.db.models.signals import post_save
from django.dispatch import Signal
from wagtail.signals import page_published

# Sent (sender=the page model, page_id=…) when what a document's issued versions say changes:
# a version issued (which closes the one before), a repeal, a 密级 downgrade. Apps that keep
# copies (the search index) listen; policies_content never imports them.
document_changed = Signal()


def issue_on_publish(sender, instance, revision=None, **kwargs):
    from .distribution import version_distribute
    from .issuing import version_issue
    from .models import ControlledDocumentPage

    if isinstance(instance, ControlledDocumentPage):
        version_distribute(version=version_issue(page=instance, revision=revision))


def sync_employee_assignments(sender, instance, raw=False, **kwargs):
    """A hire, transfer or departure changes what the employee must sign."""
    from .distribution import employee_assignments_sync

    if not raw:
        employee_assignments_sync(employee=instance)


def connect() -> None:
    from records.models import Employee

    page_published.connect(issue_on_publish, dispatch_uid="zhidu_issue_on_publish")
    post_save.connect(
        sync_employee_assignments, sender=Employee, dispatch_uid="zhidu_employee_assignments"
    )
