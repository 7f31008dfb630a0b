"""manage.py acknowledgements_remind: e-mail staff about documents they have not signed (催办),
and their managers about long-overdue ones.

Meant for cron, daily (running it more often sends nothing new the same day): each assignment
is in at most one reminder a day and one escalation ever.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from policies_content.acknowledgement_reminders import acknowledgements_remind


class Command(BaseCommand):
    help = (
        "E-mail each employee their unsigned documents due within ZHIDU_ACK_REMIND_DAYS_BEFORE "
        "days or overdue (once a day), and each manager their reports' documents overdue for "
        "ZHIDU_ACK_ESCALATE_AFTER_DAYS days (once)."
    )

    def handle(self, *args, **options):
        run = acknowledgements_remind()
        self.stdout.write(
            _(
                "%(sent)d reminder(s) sent listing %(reminded)d document(s); "
                "%(escalated)d manager(s) told of %(overdue)d overdue document(s)."
            )
            % {
                "sent": run.sent,
                "reminded": run.reminded,
                "escalated": run.escalated,
                "overdue": run.escalated_assignments,
            }
        )
        if run.failed:
            self.stderr.write(
                _("%(failed)d e-mail(s) could not be sent; they are tried again on the next run.")
                % {"failed": run.failed}
            )
