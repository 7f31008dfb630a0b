"""manage.py approvals_remind: e-mail whoever can decide an overdue approval step (催办).

Meant for cron (daily or more often): each person is reminded at most once a day per step.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from policies_content.approvals import approvals_remind, deadline_days


class Command(BaseCommand):
    help = (
        "E-mail the reviewers and approvers of every approval step waiting longer than "
        "ZHIDU_APPROVAL_DEADLINE_DAYS; at most one reminder per person, step and day."
    )

    def handle(self, *args, **options):
        sent = approvals_remind()
        self.stdout.write(
            _("%(count)d reminder(s) sent for approvals older than %(days)d days.")
            % {"count": sent, "days": deadline_days()}
        )
