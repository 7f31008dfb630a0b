"""What every long generation job shares (a batch of receipts, an evidence bundle): who asked
and when, the state, progress that a screen can poll, the ZIP it ends in and its SHA-256.

Jobs run as background tasks (records.background) and are resumable: ``progress_at`` tells a
job that advances from one that stopped with its process (``stalled``), which its screen then
offers to continue.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A job that has not advanced for this long is taken to be stopped (a restarted process or
# worker) and may be continued from its screen.
STALLED_AFTER = datetime.timedelta(minutes=5)


class BatchState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class BackgroundBatch(models.Model):
    """Abstract: the progress and the result of one generation job."""

    State = BatchState

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=10, choices=BatchState.choices, default=BatchState.QUEUED
    )
    total = models.PositiveIntegerField(_("files"), default=0)
    done = models.PositiveIntegerField(_("files generated"), default=0)
    progress_at = models.DateTimeField(_("last progress at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the ZIP file"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        abstract = True

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def active(self) -> bool:
        return self.state in (BatchState.QUEUED, BatchState.RUNNING)

    @property
    def stalled(self) -> bool:
        return self.active and timezone.now() - self.progress_at > STALLED_AFTER

    def status(self) -> dict:
        """What a progress screen polls."""
        return {
            "state": self.state,
            "state_display": self.get_state_display(),
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
            "stalled": self.stalled,
        }
