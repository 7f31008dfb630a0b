"""manage.py reviews_remind: e-mail each policy editor the documents due for review that they
may see (the access policy: a 机密 document's title never reaches someone cleared below it).

Meant for cron, daily: each editor gets at most one e-mail a day, also when the command is run
again after it stopped half-way."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from policies_content.review_reminders import reviews_remind


class Command(BaseCommand):
    help = "E-mail policy editors (制度管理员) the documents due or overdue for their review."

    def handle(self, *args, **options):
        run = reviews_remind()
        if not run.due:
            self.stdout.write(_("No review is due in the next 30 days."))
            return
        self.stdout.write(
            _("%(count)s documents due for review; reminder sent to %(people)s people.")
            % {"count": run.due, "people": run.sent}
        )
        if run.failed:
            self.stderr.write(
                _("%(failed)d e-mail(s) could not be sent; they are tried again on the next run.")
                % {"failed": run.failed}
            )
