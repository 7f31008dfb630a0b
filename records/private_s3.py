"""The evidence files' storage in S3-compatible storage (``STORAGES["private"]`` with
ZHIDU_S3_BUCKET, zhidu/settings/media.py). Imported only then: django-storages is the s3 extra."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Evidence in S3: never an ACL (the bucket's policy keeps it private) and never a URL to
    the object — neither a public nor a signed one. The address given is the one a private
    file on disk gets (FileSystemStorage with no base URL): under MEDIA_URL, where the file is
    not, so the link leads nowhere (forms still show the file's name)."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name).lstrip("/")
