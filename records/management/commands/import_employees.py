"""manage.py import_employees FILE: create or update employees from a CSV or XLSX file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from records.importing.errors import ImportFileError
from records.importing.reader import check_size
from records.services import employees_import


class Command(BaseCommand):
    help = (
        "Import employees from CSV (UTF-8/GBK) or XLSX. All rows are checked first; with any "
        "error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--mark-departed",
            action="store_true",
            help="The file is the full staff list: mark active employees missing from it 离职.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file; save nothing."
        )

    def handle(self, *args, file: Path, mark_departed=False, dry_run=False, **options):
        try:
            check_size(file.stat().st_size)
            data = file.read_bytes()
        except FileNotFoundError as exc:
            raise CommandError(_("The file %(name)s does not exist.") % {"name": file}) from exc
        except ImportFileError as exc:
            raise CommandError(f"{file.name}: {exc.message}") from exc
        try:
            report = employees_import(
                data=data, filename=file.name, mark_departed=mark_departed, dry_run=dry_run
            )
        except ImportFileError as exc:
            raise CommandError(f"{file.name}: {exc.message}") from exc
        if report.errors:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(
                _("%(count)s errors in %(name)s; nothing was changed.")
                % {"count": len(report.errors), "name": file.name}
            )
        if report.ignored_columns:
            self.stdout.write(
                _("Columns not recognised and ignored:") + " " + "、".join(report.ignored_columns)
            )
        self.stdout.write(
            _(
                "Created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
                "marked departed %(departed)s."
            )
            % {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
                "departed": len(report.departed),
            }
            + (" " + _("Check only: nothing was saved.") if dry_run else "")
        )
