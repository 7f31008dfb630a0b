"""Where uploaded and evidence files live: this server's disk, or S3-compatible storage.

Several app servers need one place for files. Either every server mounts the same shared
folders (MEDIA_ROOT, PRIVATE_MEDIA_ROOT on NFS or the like: nothing to configure here), or
ZHIDU_S3_BUCKET puts them in an S3-compatible bucket through django-storages (the optional
``s3`` extra). Two locations, never one inside the other:

- public media (Wagtail images and documents: MEDIA_ROOT on disk) under ZHIDU_S3_MEDIA_PREFIX.
  Unsigned URLs (images in the admin); Wagtail documents are still streamed through the app
  (WAGTAILDOCS_SERVE_METHOD), so their collection privacy applies;
- evidence (PRIVATE_MEDIA_ROOT on disk: scans of paper signatures and contracts, the seal image,
  receipt and evidence ZIPs) under ZHIDU_S3_PRIVATE_PREFIX, or in ZHIDU_S3_PRIVATE_BUCKET.
  Never an ACL and never a URL (records/storage.py): only views that ask the access policy
  read these files.

Neither storage ever overwrites an existing object (FileSystemStorage's behaviour too): a
second scan with the same name gets a new name instead of replacing someone's evidence.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .environment import env_str

S3_BACKEND = "storages.backends.s3.S3Storage"
PRIVATE_S3_BACKEND = "records.private_s3.PrivateS3Storage"


def private_disk_storage(root) -> dict:
    """STORAGES["private"] on disk: the folder, and no base URL (never served)."""
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": None},
    }


# Larger objects are spooled to a temporary file while read, not held in memory.
S3_MAX_MEMORY_BYTES = 16 * 1024 * 1024
ADDRESSING_STYLES = ("auto", "path", "virtual")


def _prefix(name: str, default: str) -> str:
    return env_str(name, default).strip().strip("/")


def _overlap(first: str, second: str) -> bool:
    """Whether one key prefix contains the other ("" contains everything)."""
    if not first or not second or first == second:
        return True
    return first.startswith(second + "/") or second.startswith(first + "/")


def _public_url(raw: str) -> dict:
    """ZHIDU_S3_PUBLIC_URL ("https://zhidu.example.com") as django-storages' custom domain."""
    if not raw:
        return {}
    parts = urlsplit(raw)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
        raise ImproperlyConfigured(
            f"ZHIDU_S3_PUBLIC_URL must be an http(s) address such as "
            f"https://zhidu.example.com, not {raw!r}"
        )
    return {
        "custom_domain": parts.netloc + parts.path.rstrip("/"),
        "url_protocol": f"{parts.scheme}:",
    }


def s3_storage_options() -> tuple[dict, dict] | None:
    """(public media options, private evidence options) for S3Storage, or None without
    ZHIDU_S3_BUCKET. Raises ImproperlyConfigured when the bucket is set but the ``s3`` extra
    is not installed, or when the two locations would overlap."""
    bucket = env_str("ZHIDU_S3_BUCKET").strip()
    if not bucket:
        return None
    try:
        import boto3  # noqa: F401
        import storages.backends.s3  # noqa: F401
    except ImportError as exc:
        raise ImproperlyConfigured(
            "ZHIDU_S3_BUCKET is set, but django-storages with boto3 is not installed. "
            "Install the s3 extra (pip install -e '.[s3]', or pip install "
            "'django-storages[s3]'), or unset ZHIDU_S3_BUCKET to keep files on disk."
        ) from exc
    private_bucket = env_str("ZHIDU_S3_PRIVATE_BUCKET").strip() or bucket
    media_prefix = _prefix("ZHIDU_S3_MEDIA_PREFIX", "media")
    private_prefix = _prefix("ZHIDU_S3_PRIVATE_PREFIX", "private")
    if private_bucket == bucket and _overlap(media_prefix, private_prefix):
        raise ImproperlyConfigured(
            "ZHIDU_S3_MEDIA_PREFIX and ZHIDU_S3_PRIVATE_PREFIX must be two different, "
            f"non-empty prefixes, neither inside the other (now {media_prefix!r} and "
            f"{private_prefix!r}): evidence files must never sit under the public media "
            "location. Or put them in ZHIDU_S3_PRIVATE_BUCKET."
        )
    addressing = env_str("ZHIDU_S3_ADDRESSING_STYLE", "auto").strip() or "auto"
    if addressing not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"ZHIDU_S3_ADDRESSING_STYLE must be one of {', '.join(ADDRESSING_STYLES)}, "
            f"not {addressing!r}"
        )
    common = {
        # None: django-storages and boto3 look further (AWS_* variables, instance roles).
        "endpoint_url": env_str("ZHIDU_S3_ENDPOINT_URL").strip() or None,
        "region_name": env_str("ZHIDU_S3_REGION").strip() or None,
        "access_key": env_str("ZHIDU_S3_ACCESS_KEY_ID").strip() or None,
        "secret_key": env_str("ZHIDU_S3_SECRET_ACCESS_KEY").strip() or None,
        "addressing_style": None if addressing == "auto" else addressing,
        "file_overwrite": False,
        "default_acl": None,  # never an ACL: the bucket's policy decides who reads what
        "max_memory_size": S3_MAX_MEMORY_BYTES,
    }
    public = {
        **common,
        "bucket_name": bucket,
        "location": media_prefix,
        "querystring_auth": False,
        **_public_url(env_str("ZHIDU_S3_PUBLIC_URL").strip()),
    }
    private = {
        **common,
        "bucket_name": private_bucket,
        "location": private_prefix,
        # records.storage.PrivateS3Storage gives no URL at all; were one ever asked for,
        # it would be signed, never a plain public address.
        "querystring_auth": True,
        "custom_domain": None,
    }
    return public, private
