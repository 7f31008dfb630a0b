"""manage.py contracts_remind: bring contract statuses in line with the dates and e-mail owners
about contracts ending within ZHIDU_CONTRACT_REMIND_DAYS (default 90, 30 and 7 days).

Meant for cron, daily; running it again sends nothing twice.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from records.contract_reminders import contracts_remind


class Command(BaseCommand):
    help = (
        "Refresh contract statuses (生效/履行中/到期/终止) and e-mail each owner once "
        "per threshold of ZHIDU_CONTRACT_REMIND_DAYS before their contract ends."
    )

    def handle(self, *args, **options):
        run = contracts_remind()
        self.stdout.write(
            _("%(changed)d contract status(es) updated; %(sent)d expiry reminder(s) sent.")
            % {"changed": run.statuses_changed, "sent": run.sent}
        )
        if run.failed:
            self.stderr.write(
                _("%(failed)d e-mail(s) could not be sent; they are tried again on the next run.")
                % {"failed": run.failed}
            )
