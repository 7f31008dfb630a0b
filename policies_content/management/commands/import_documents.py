"""manage.py import_documents FILE…: import regulations and job descriptions as drafts."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from policies_content.document_import import ImportFile, documents_import
from policies_content.import_report import report_lines
from policies_content.models import PolicyCategoryPage


class Command(BaseCommand):
    help = (
        "Import regulations and job descriptions from .txt, .md or .docx files. Each document "
        "found becomes a draft; a file that cannot be read is reported and the others go on."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)
        parser.add_argument("--category", help="Put every regulation in this category (title).")
        parser.add_argument("--user", help="Record the import as done by this login.")

    def handle(self, *args, files, category=None, user=None, **options):
        target = None
        if category:
            target = PolicyCategoryPage.objects.filter(title=category).first()
            if target is None:
                raise CommandError(_("There is no category “%(name)s”.") % {"name": category})
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(_("There is no login “%(name)s”.") % {"name": user})
        sources = []
        for path in files:
            if not path.is_file():
                raise CommandError(_("The file %(name)s does not exist.") % {"name": path})
            sources.append(_read(path))
        bar = tqdm(
            total=len(sources), unit=_("file"), disable=len(sources) < 3, file=self.stderr._out
        )
        run = documents_import(
            files=sources,
            user=importer,
            category=target,
            progress=lambda name: (bar.set_postfix_str(name), bar.update()),
        )
        bar.close()
        for line in report_lines(run):
            self.stdout.write(line)


def _read(path: Path) -> ImportFile:
    from django.conf import settings

    size = path.stat().st_size
    with path.open("rb") as handle:  # never read more than the limit of a too-large file
        data = handle.read(settings.ZHIDU_DOCUMENT_IMPORT_MAX_BYTES + 1)
    return ImportFile(name=path.name, data=data, size=size)
