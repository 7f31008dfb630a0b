"""manage.py backup <folder or file>: one ZIP with the database, files, audit key, manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from tqdm import tqdm

from zhidu.backup import BackupError, backup_create, backups_prune


class Command(BaseCommand):
    help = _(
        "Write a consistent backup of this instance (database, media and private files, the "
        "audit key, a manifest with SHA-256 checksums) into one ZIP file. Given a folder, the "
        "file is named zhidu-backup-<date>-<time>.zip inside it."
    )

    def add_arguments(self, parser):
        parser.add_argument("destination", help=_("A folder, or the path of the file to write."))
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help=_("With a folder: delete all but the newest N backups in it afterwards."),
        )
        parser.add_argument("--no-progress", action="store_true", help=_("No progress bar."))

    def handle(self, *args, destination, keep=0, no_progress=False, **options):
        def progress(items):
            return tqdm(items, disable=no_progress, unit="file", desc=_("Files"))

        try:
            result = backup_create(
                destination=Path(destination), say=self.stdout.write, progress=progress
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest = result.manifest
        self.stdout.write(result.audit_message)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Backup written: %(path)s (%(size)s, %(files)d files, "
                    "audit chain head %(head)s) in %(seconds).1f s."
                )
                % {
                    "path": result.path,
                    "size": filesizeformat(result.size),
                    "files": manifest["file_count"],
                    "head": manifest["audit"]["chain_head"],
                    "seconds": result.seconds,
                }
            )
        )
        self.stdout.write(
            _("The backup holds the audit key: keep it as safe as the server itself.")
        )
        if keep and result.path.parent == Path(destination):
            for path in backups_prune(result.path.parent, keep=keep):
                self.stdout.write(_("Deleted the older backup %(path)s.") % {"path": path})
