"""Where evidence files live: outside MEDIA_ROOT, never served by URL.

Scans of paper signatures, contract scans and archive files must only reach a user through a
view that asks the access policy. Files under MEDIA_ROOT may be served by a proxy to anyone
with the link, so evidence goes to PRIVATE_MEDIA_ROOT instead (no base URL).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
