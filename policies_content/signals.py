"""Signal wiring: publishing a controlled document issues a version. No logic here."""

from wagtail.signals import page_published


def issue_on_publish(sender, instance, revision=None, **kwargs):
    from .issuing import version_issue
    from .models import ControlledDocumentPage

    if isinstance(instance, ControlledDocumentPage):
        version_issue(page=instance, revision=revision)


def connect() -> None:
    page_published.connect(issue_on_publish, dispatch_uid="zhidu_issue_on_publish")
