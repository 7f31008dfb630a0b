"""manage.py acknowledgements_distribute: assign the versions that came into force today.

A version issued ahead of its effective date (待生效) is assigned to its readers on that date.
Meant for cron, daily, soon after midnight (Asia/Shanghai); it is idempotent, so a missed day
is caught up by the next run.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from policies_content.distribution import in_force_distribute


class Command(BaseCommand):
    help = (
        "Assign every version in force that has no assignments yet (versions whose effective "
        "date has arrived) to its readers."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Distribute as on this day (YYYY-MM-DD) instead of today.",
        )

    def handle(self, *args, date=None, **options):
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(
                    _("Not a date (YYYY-MM-DD): %(value)s") % {"value": date}
                ) from error
        made = in_force_distribute(today=today)
        self.stdout.write(_("%(count)d assignment(s) made.") % {"count": made})
