"""Where evidence files live: apart from public media, never served by URL.

Scans of paper signatures, contract scans, the seal image and the receipt and evidence ZIPs
must only reach a user through a view that asks the access policy. Files under MEDIA_ROOT may be
served by a proxy to anyone with the link, so evidence goes to PRIVATE_MEDIA_ROOT instead (no
base URL), or, with ZHIDU_S3_BUCKET, to the private prefix or bucket of S3-compatible storage
(zhidu/settings/media.py): no ACL, no URL.

Code reads these files only through the storage API (``open()``/``read()``, ``exists()``,
``delete()``), never by a filesystem path, so both backends behave the same.
"""

import functools

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage
from django.utils.encoding import filepath_to_uri


def _nowhere(name: str) -> str:
    """The address FileSystemStorage(base_url=None) gives a private file: under MEDIA_URL,
    where the file is not, so the link leads nowhere (forms still show the file's name)."""
    return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")


@functools.cache
def _private_s3_class():
    from storages.backends.s3 import S3Storage

    class PrivateS3Storage(S3Storage):
        """Evidence in S3: never an ACL (the bucket's policy keeps it private) and never a URL
        to the object — neither a public nor a signed one."""

        def url(self, name, parameters=None, expire=None, http_method=None):
            return _nowhere(name)

    return PrivateS3Storage


def private_storage() -> Storage:
    """The storage of every evidence file field (evaluated once, when the models load)."""
    options = settings.ZHIDU_PRIVATE_S3_OPTIONS
    if options:
        return _private_s3_class()(**options)
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)
