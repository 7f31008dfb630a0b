"""manage.py search_check: compare the search index with the database, by document.

Exits 1 when they differ (drift): entries missing from the index, entries the database no
longer has, or updates still pending from a time the index was unavailable. ``--fix``
re-indexes the drifting documents and checks again.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from search.backends.base import SearchUnavailable
from search.upkeep import drift_fix, index_drift

SHOWN_KEYS = 5


class Command(BaseCommand):
    help = _("Compare the search index with the database; exit 1 on drift.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--fix", action="store_true", help=_("Re-index the documents that drift.")
        )

    def handle(self, *args, fix=False, **options):
        try:
            drift = index_drift()
            for item in drift:
                self._report(item)
            if drift and fix:
                fixed = drift_fix(drift)
                self.stdout.write(_("Re-indexed %(count)d records.") % {"count": fixed})
                drift = index_drift()
                for item in drift:
                    self._report(item)
        except SearchUnavailable as exc:
            raise CommandError(
                _("The search index is unavailable: %(error)s") % {"error": exc}, returncode=2
            ) from exc
        if drift:
            raise CommandError(
                _("The search index differs from the database for %(count)d records.")
                % {"count": len(drift)},
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(_("The search index matches the database.")))

    def _report(self, item) -> None:
        name = f"{item.document_number} {item.title}".strip()
        if not name:
            name = _("%(record)s (no longer in the database)") % {"record": item.source}
        parts = []
        if item.missing:
            parts.append(
                _("%(count)d entries missing from the index (%(keys)s)")
                % {"count": len(item.missing), "keys": _keys(item.missing)}
            )
        if item.extra:
            parts.append(
                _("%(count)d entries in the index that the database does not have (%(keys)s)")
                % {"count": len(item.extra), "keys": _keys(item.extra)}
            )
        if item.pending:
            parts.append(_("an update is pending (the index was unavailable)"))
        self.stdout.write(
            self.style.WARNING(
                _("%(document)s: %(problems)s") % {"document": name, "problems": "; ".join(parts)}
            )
        )


def _keys(keys: set[str]) -> str:
    shown = sorted(keys)[:SHOWN_KEYS]
    return ", ".join(shown) + (" …" if len(keys) > SHOWN_KEYS else "")
