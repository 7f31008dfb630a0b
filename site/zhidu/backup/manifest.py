"""What a backup says about itself (manifest.json), and the facts it records.

The manifest is written last into the archive and read first on restore. It lists every member
with its SHA-256 and size, so a restore can refuse an archive that was altered or damaged
before anything is written. It is a checksum list, not a signature: whoever holds the archive
holds the audit key too (see zhidu.backup), so the archive must be kept as secret as the server.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

FORMAT = "zhidu-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"
KEY_MEMBER = "keys/audit_key"
DATABASE_PREFIX = "database"
# Archive folders of the files: the default storage and the evidence storage (files.file_stores).
FILE_STORES = ("media", "private")
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the user (translated)."""


def counted_models() -> dict[str, list]:
    """The tables whose row counts a manifest records and a restore compares, by name."""
    from policies_content.models import Acknowledgement, Assignment, IssuedVersion
    from policies_content.models.controlled import controlled_page_models
    from records.models import ArchiveItem, AuditEntry, Contract, Department, Employee

    return {
        "users": [get_user_model()],
        "departments": [Department],
        "employees": [Employee],
        "documents": controlled_page_models(),
        "issued_versions": [IssuedVersion],
        "assignments": [Assignment],
        "acknowledgements": [Acknowledgement],
        "contracts": [Contract],
        "archive_items": [ArchiveItem],
        "audit_entries": [AuditEntry],
    }


def table_counts(*, using: str = "default") -> dict[str, int]:
    """Rows per counted table; a table that does not exist yet (no migrate) counts 0."""
    tables = set(connections[using].introspection.table_names())
    return {
        name: sum(
            model._base_manager.using(using).count()
            for model in models
            if model._meta.db_table in tables
        )
        for name, models in counted_models().items()
    }


def applied_migrations(*, using: str = "default") -> dict[str, list[str]]:
    """App label → names of its migrations applied in that database."""
    recorder = MigrationRecorder(connections[using])
    applied: dict[str, list[str]] = {}
    if recorder.has_table():
        for app, name in sorted(recorder.applied_migrations()):
            applied.setdefault(app, []).append(name)
    return applied


@dataclass
class Member:
    """One file in the archive: its name there, SHA-256 and size."""

    path: str
    sha256: str
    size: int

    def as_dict(self) -> dict:
        return {"path": self.path, "sha256": self.sha256, "size": self.size}


def manifest_text(
    *,
    created_at: str,
    engine: str,
    database: dict,
    counts: dict[str, int],
    audit: dict,
    migrations: dict,
    key: Member,
    files: Iterable[Member],
) -> str:
    files = list(files)
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at,
        "database_engine": engine,
        "database": database,
        "counts": counts,
        "audit": audit,
        "migrations": migrations,
        "keys": {"audit_key": key.as_dict()},
        "file_count": len(files),
        "file_bytes": sum(f.size for f in files),
        "files": [f.as_dict() for f in files],
    }
    return json.dumps(manifest, ensure_ascii=False, indent=1)


def manifest_parse(raw: bytes) -> dict:
    """The manifest as a dict, or BackupError when it is not one this version can read."""
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError(_("The backup's manifest.json cannot be read.")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not a Zhidu backup."))
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise BackupError(
            _("This backup has format version %(found)s; this version of Zhidu reads %(known)s.")
            % {"found": version, "known": FORMAT_VERSION}
        )
    return manifest


def expected_members(manifest: dict) -> dict[str, Member]:
    """Every member the manifest lists (database, key, files), by name in the archive."""
    try:
        listed = [manifest["database"], manifest["keys"]["audit_key"], *manifest["files"]]
        members = [Member(str(m["path"]), str(m["sha256"]), int(m["size"])) for m in listed]
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(_("The backup's manifest.json is incomplete.")) from exc
    for member in members:
        member_path_check(member.path)
    return {member.path: member for member in members}


def member_path_check(name: str) -> PurePosixPath:
    """A member name restore may write: relative, no "..", under a known folder."""
    path = PurePosixPath(name)
    known = {DATABASE_PREFIX, "keys", *FILE_STORES}
    if (
        "\\" in name
        or path.is_absolute()
        or any(part in ("", ".", "..") for part in path.parts)
        or len(path.parts) < 2
        or path.parts[0] not in known
    ):
        raise BackupError(
            _("The backup holds a file with a name restore refuses: %(name)s") % {"name": name}
        )
    return path
