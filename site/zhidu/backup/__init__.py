"""Backup and restore of a whole Zhidu instance: ``manage.py backup`` and ``manage.py restore``.

A backup is one ZIP file:

- ``database/zhidu.sqlite3`` or ``database/zhidu.pgdump`` — the database, copied with the
  engine's own tool so that the copy is one consistent state while the app keeps running;
- ``media/…`` and ``private/…`` — every public media file and every evidence file (scans of
  paper signatures and contracts, the seal image, receipt and evidence ZIPs, Wagtail documents),
  from MEDIA_ROOT and PRIVATE_MEDIA_ROOT on disk or from S3-compatible storage (files.py);
- ``keys/audit_key`` — the audit trail's HMAC key. The chain cannot be verified without it, and
  it lives outside the database on purpose, so a backup without it would restore an audit trail
  nobody can check. With it, the archive is as secret as the server: whoever holds it can read
  every record and could recompute the chain. Django's SECRET_KEY is not included (a restored
  instance with another one only signs everybody out);
- ``manifest.json``, written last — format and version, when, the database engine, row counts
  of the key tables, the audit chain head and the result of verifying the chain at backup
  time, the applied migrations, and every member with its SHA-256 and size.

Why these formats. SQLite's online backup API and ``pg_dump --format=custom`` copy a live
database consistently, keep everything the engine knows (sequences, the append-only triggers on
acknowledgements, indexes, constraints) and stream at disk speed. Django's ``dumpdata`` was
rejected: it loads every row through the ORM (hours and gigabytes of memory at a million
assignments), loses sequences and triggers, and is not one consistent snapshot of a database
that is written meanwhile. The price is that a backup restores into the same engine it came
from (SQLite to SQLite, PostgreSQL to PostgreSQL); ``restore`` says so rather than try. ZIP
rather than tar.gz: the manifest can be read without decompressing everything first, and files
already compressed (PDF, PNG, ZIP, the custom-format dump) are stored, not deflated again.

The search index is not in the backup: it is derived from the database and rebuilt by restore.

The database is copied first and the files after it: a file written meanwhile is in the backup
without a row pointing to it (harmless); evidence files are never deleted by the app, so a row
in the copy always finds its file.
"""

from .creating import BackupResult, backup_create, backups_prune
from .manifest import BackupError
from .restoring import RestoreResult, backup_restore

__all__ = [
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "backup_create",
    "backup_restore",
    "backups_prune",
]
