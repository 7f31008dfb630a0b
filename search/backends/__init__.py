"""The configured search backend (settings.SEARCH_BACKEND): "embedded" (default) or
"elasticsearch"."""

import functools

from django.conf import settings


@functools.cache
def _backend(name: str, location: str):
    if name == "elasticsearch":
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(location)
    from .embedded import EmbeddedBackend

    return EmbeddedBackend(location)


def get_backend():
    if settings.SEARCH_BACKEND == "elasticsearch":
        return _backend("elasticsearch", settings.ELASTICSEARCH_URL)
    return _backend("embedded", str(settings.SEARCH_INDEX_PATH))
