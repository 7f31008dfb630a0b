"""manage.py verify_audit_log: walk the audit chain; name the first broken entry, exit 1."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from records.audit import audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit trail: every entry's HMAC, the links between entries and the "
        "sequence. Prints the chain head when intact; otherwise names the first entry that was "
        "altered, deleted or reordered and exits with a non-zero status."
    )

    def handle(self, *args, **options):
        result = audit_verify()
        if not result.ok:
            # CommandError prints the message to stderr and exits with status 1.
            raise CommandError(result.message)
        self.stdout.write(self.style.SUCCESS(result.message))
        if result.count == 0:
            self.stdout.write(_("The audit trail is empty."))
