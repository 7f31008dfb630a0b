"""manage.py classification_downgrade: lower documents whose 保密期限 has passed (run daily)."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from policies_content.confidentiality import classification_downgrade_due


class Command(BaseCommand):
    help = "Lower the confidentiality level of documents whose classification period has ended."

    def handle(self, *args, **options):
        count = classification_downgrade_due()
        self.stdout.write(_("%(count)s documents downgraded.") % {"count": count})
