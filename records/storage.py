"""Where evidence files live: apart from public media, never served by URL.

Scans of paper signatures, contract scans, the seal image and the receipt and evidence ZIPs
must only reach a user through a view that asks the access policy. Files under MEDIA_ROOT may be
served by a proxy to anyone with the link, so evidence goes to PRIVATE_MEDIA_ROOT instead (no
base URL), or, with ZHIDU_S3_BUCKET, to the private prefix or bucket of S3-compatible storage
(zhidu/settings/media.py): no ACL, no URL.

Code reads these files only through the storage API (``open()``/``read()``, ``exists()``,
``delete()``), never by a filesystem path, so both backends behave the same.
"""

from django.core.files.storage import Storage, storages


def private_storage() -> Storage:
    """The storage of every evidence file field: ``STORAGES["private"]`` (settings/base.py),
    one instance per process, as Django keeps every configured storage."""
    return storages["private"]
