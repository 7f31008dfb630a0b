"""The text of an issued version as HTML (contents list and numbered body), rendered once.

An issued version never changes (append-only in code and in the database), so its contents
list and numbered body — most of a reading page: ~10 ms of template rendering for a
100-article regulation, against ~1 ms for the rest of the page's text work — are the same
HTML for every reader in one language. It is kept in Django's cache (``settings.CACHES``;
each process's memory by default), keyed by the version, when it was issued, the SHA-256 of
its text and the language. Nothing per reader is in it: the watermark, the sign call and
the version switcher stay in the page around it.
"""

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .stream import display_items, parsed_from_dict, table_of_contents

TEMPLATE = "policies_content/includes/version_text.html"


def _key(version, contents: bool) -> str:
    issued = version.issued_at.timestamp() if version.issued_at else 0
    return (
        f"zhidu:version-text:{version.pk}:{issued}:{version.sha256[:16]}:"
        f"{get_language()}:{int(contents)}"
    )


def version_text_html(version, *, contents: bool = True) -> str:
    """The numbered body of ``version`` as safe HTML, after its contents list unless
    ``contents`` is False."""
    key = _key(version, contents)
    html = cache.get(key)
    if html is None:
        items = display_items(parsed_from_dict(version.content).blocks)
        toc = table_of_contents(items) if contents else []
        html = mark_safe(render_to_string(TEMPLATE, {"items": items, "toc": toc}))  # noqa: S308
        cache.set(key, str(html), timeout=None)
    return mark_safe(html)  # noqa: S308 — rendered by our template, every value escaped
