"""backup_create: one archive with a consistent copy of the database, the audit key, every
media and private file, and manifest.json. See the package docstring for why it is built so."""

import hashlib
import os
import shutil
import time
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from records.audit import audit_chain_head, audit_verify

from . import database as db
from .files import copy_with_digest, files_to_back_up
from .manifest import (
    KEY_MEMBER,
    MANIFEST_NAME,
    BackupError,
    Member,
    applied_migrations,
    manifest_parse,
    manifest_text,
    table_counts,
)

ARCHIVE_PREFIX = "zhidu-backup-"
ARCHIVE_SUFFIX = ".zip"
# Already compressed: stored as they are rather than deflated again.
STORED_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".zip", ".docx", ".xlsx", ".pptx",
    ".gz", ".bz2", ".xz", ".7z", ".mp4", ".pgdump",
}  # fmt: skip

FORMATS = {"sqlite": "sqlite3 online backup", "postgresql": "pg_dump --format=custom"}

Say = Callable[[str], None]


def quiet(_message: str) -> None:
    pass


def stamp() -> str:
    return timezone.localtime().strftime("%Y%m%d-%H%M%S")


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    size: int
    seconds: float
    audit_message: str


# --- backup -------------------------------------------------------------------------------


def archive_path(destination: Path) -> Path:
    """A path ending in .zip is the file to write; anything else is a folder (made if need
    be) that gets a dated file inside it."""
    if destination.suffix.lower() == ARCHIVE_SUFFIX and not destination.is_dir():
        return destination
    return destination / f"{ARCHIVE_PREFIX}{stamp()}{ARCHIVE_SUFFIX}"


@contextmanager
def _snapshot(engine: str, path: Path):
    if engine == "sqlite":
        db.sqlite_copy(path)
        with db.sqlite_alias(path) as alias:
            yield alias
    else:
        with db.postgres_dump(path) as alias:
            yield alias


def _compression(name: str) -> int:
    if Path(name).suffix.lower() in STORED_SUFFIXES:
        return zipfile.ZIP_STORED
    return zipfile.ZIP_DEFLATED


def _add_file(archive: zipfile.ZipFile, path: Path, name: str) -> Member:
    return _add_member(archive, lambda: open(path, "rb"), name)


def _add_member(archive: zipfile.ZipFile, opener, name: str) -> Member:
    """Stream one file into the archive, hashing it on the way. The source is opened before
    the member is started, so a file deleted meanwhile (FileNotFoundError) leaves nothing."""
    with opener() as source:
        info = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
        info.external_attr = 0o600 << 16
        info.compress_type = _compression(name)
        with archive.open(info, "w", force_zip64=True) as target:
            digest, size = copy_with_digest(source, target)
    return Member(name, digest, size)


def backup_create(*, destination: Path, say: Say = quiet, progress=iter) -> BackupResult:
    """Write one archive: the database copy, the audit key, every media and private file,
    and manifest.json (written last). The archive appears under its name only when complete."""
    started = time.perf_counter()
    engine = db.database_engine()
    target = archive_path(Path(destination))
    if target.exists():
        raise BackupError(_("%(path)s already exists.") % {"path": target})
    target.parent.mkdir(parents=True, exist_ok=True)
    created_at = timezone.localtime().isoformat(timespec="seconds")
    partial = target.with_name(target.name + ".partial")
    try:
        with _work_folder(target.parent) as work:
            copy = work / db.ENGINES[engine]
            with _snapshot(engine, copy) as using:
                counts = table_counts(using=using)
                chain = audit_verify(using=using)
                audit = {
                    "chain_head": audit_chain_head(using=using),
                    "verified": chain.ok,
                    "entries": chain.count,
                    "first_bad_sequence": chain.sequence,
                    "problem": chain.reason,
                }
                migrations = applied_migrations(using=using)
                audit_message = chain.message
            size = copy.stat().st_size
            say(
                _("Database (%(engine)s) copied: %(size)s, %(seconds).1f s.")
                % {
                    "engine": engine,
                    "size": filesizeformat(size),
                    "seconds": time.perf_counter() - started,
                }
            )
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
                database = _add_file(archive, copy, db.member_name(engine))
                key = _add_key(archive)
                files = []
                for name, opener in progress(list(files_to_back_up())):
                    try:
                        files.append(_add_member(archive, opener, name))
                    except FileNotFoundError:  # deleted since the folder was listed
                        say(_("%(name)s was deleted meanwhile; left out.") % {"name": name})
                text = manifest_text(
                    created_at=created_at,
                    engine=engine,
                    database={**database.as_dict(), "format": FORMATS[engine]},
                    counts=counts,
                    audit=audit,
                    migrations=migrations,
                    key=key,
                    files=files,
                )
                archive.writestr(MANIFEST_NAME, text, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return BackupResult(
        path=target,
        manifest=manifest_parse(text.encode("utf-8")),
        size=target.stat().st_size,
        seconds=time.perf_counter() - started,
        audit_message=audit_message,
    )


def _add_key(archive: zipfile.ZipFile) -> Member:
    raw = settings.ZHIDU_AUDIT_KEY.encode("utf-8")
    info = zipfile.ZipInfo(KEY_MEMBER, date_time=time.localtime()[:6])
    info.external_attr = 0o600 << 16
    archive.writestr(info, raw, compress_type=zipfile.ZIP_STORED)
    return Member(KEY_MEMBER, hashlib.sha256(raw).hexdigest(), len(raw))


@contextmanager
def _work_folder(parent: Path):
    folder = parent / f".zhidu-work-{stamp()}-{os.getpid()}"
    folder.mkdir(parents=True)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def backups_prune(folder: Path, *, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives this command wrote in ``folder``."""
    archives = sorted(folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}"))
    removed = archives[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed
