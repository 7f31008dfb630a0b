"""manage.py restore <backup.zip>: rebuild this instance from a backup, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from zhidu.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = _(
        "Restore a backup written by manage.py backup: check every file against the "
        "manifest, then replace the database, the media and private files and the audit key, "
        "rebuild the search index and verify the audit trail. Stop the web server and the "
        "task worker first."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", help=_("The backup file (.zip)."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Replace a database that is not empty (its data is kept aside)."),
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help=_("Only check the backup against its manifest; change nothing."),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("No progress bar."))

    def handle(self, *args, backup, force=False, check=False, no_progress=False, **options):
        def progress(items):
            return tqdm(items, disable=no_progress, unit="file", desc=_("Files"))

        try:
            result = backup_restore(
                archive=Path(backup),
                force=force,
                check_only=check,
                say=self.stdout.write,
                progress=progress,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.checked_only:
            self.stdout.write(
                self.style.SUCCESS(_("The backup is complete and unaltered. Nothing was changed."))
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Restored in %(seconds).1f s; the chain head matches the backup's manifest.")
                % {"seconds": result.seconds}
            )
        )
