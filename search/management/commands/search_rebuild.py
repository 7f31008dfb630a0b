"""manage.py search_rebuild: clear the search index and index every issued version again."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from search.backends.base import SearchUnavailable
from search.upkeep import index_rebuild


class Command(BaseCommand):
    help = _("Clear the search index and index every document again.")

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help=_("No progress bar."))

    def handle(self, *args, no_progress=False, **options):
        started = time.perf_counter()

        def progress(items):
            return tqdm(items, disable=no_progress, unit="doc", desc=_("Indexing"))

        try:
            result = index_rebuild(progress=progress)
        except SearchUnavailable as exc:
            message = _("The search index is unavailable: %(error)s") % {"error": exc}
            raise CommandError(message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _("Indexed %(documents)d documents (%(entries)d entries) in %(seconds).1f s.")
                % {
                    "documents": result.documents,
                    "entries": result.entries,
                    "seconds": time.perf_counter() - started,
                }
            )
        )
