"""backup_restore: check everything, stage everything, then swap — never half a restore.

Order: (1) the archive and its manifest: every member present, none extra, the database engine
and migrations this code knows, the audit key usable, the target database empty unless forced;
(2) every member extracted to staging places while its SHA-256 and size are compared with the
manifest, and the staged database checked (SQLite: integrity, row counts, chain head and the
whole chain verified with the backup's key; PostgreSQL: the dump's table of contents);
(3) the swap: the database (one transaction), the file folders (renames), the audit key file;
(4) migrations the backup lacks, the search index rebuilt, the audit chain verified and its head
compared with the manifest. A refusal in (1) or (2) leaves the instance exactly as it was.
"""

import hashlib
import os
import shutil
import time
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.models import Site

from records.audit import audit_chain_head, audit_verify
from search.upkeep import index_rebuild
from zhidu.settings.environment import AUDIT_KEY_FILE, key_file_write

from . import database as db
from .creating import Say, quiet, stamp
from .files import FilePlan, copy_with_digest, file_plan, files_swap_in
from .manifest import (
    KEY_MEMBER,
    MANIFEST_NAME,
    BackupError,
    Member,
    expected_members,
    manifest_parse,
    table_counts,
)

ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass
class RestoreResult:
    manifest: dict
    checked_only: bool = False
    kept: list[str] = field(default_factory=list)  # the previous data, kept aside
    chain_head: str = ""  # after the restore: the manifest's (checked)
    seconds: float = 0.0


def _altered(name: str) -> BackupError:
    return BackupError(
        _(
            "The backup was altered or damaged: %(name)s does not match its SHA-256 in the "
            "manifest. Nothing was restored."
        )
        % {"name": name}
    )


def _open(archive: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except FileNotFoundError as exc:
        raise BackupError(_("%(path)s does not exist.") % {"path": archive}) from exc
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError(
            _("%(path)s is not a Zhidu backup (not a readable ZIP file).") % {"path": archive}
        ) from exc


def _manifest_of(archive: zipfile.ZipFile) -> dict:
    try:
        raw = archive.read(MANIFEST_NAME)
    except KeyError as exc:
        raise BackupError(_("This file is not a Zhidu backup (no manifest.json).")) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _altered(MANIFEST_NAME) from exc
    return manifest_parse(raw)


def _members_match(archive: zipfile.ZipFile, expected: dict[str, Member]) -> None:
    names = [info.filename for info in archive.infolist() if not info.is_dir()]
    if len(names) != len(set(names)):
        raise BackupError(_("The backup holds the same file twice. Nothing was restored."))
    for name in sorted(set(expected) - set(names)):
        raise BackupError(
            _("The backup lacks %(name)s, which its manifest lists. Nothing was restored.")
            % {"name": name}
        )
    for name in sorted(set(names) - set(expected) - {MANIFEST_NAME}):
        raise BackupError(
            _("The backup holds %(name)s, which its manifest does not list. Nothing was restored.")
            % {"name": name}
        )


def _engine_matches(manifest: dict, engine: str) -> None:
    found = manifest.get("database_engine")
    if found != engine:
        raise BackupError(
            _(
                "This backup holds a %(backup)s database; this instance uses %(current)s. "
                "Restore it into an instance on %(backup)s."
            )
            % {
                "backup": ENGINE_NAMES.get(found, found),
                "current": ENGINE_NAMES.get(engine, engine),
            }
        )


def _migrations_known(manifest: dict) -> None:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if app in loader.migrated_apps and (app, name) not in loader.disk_migrations
    ]
    if unknown:
        raise BackupError(
            _(
                "This backup comes from a newer version of Zhidu (unknown migrations: "
                "%(names)s). Update Zhidu first."
            )
            % {"names": ", ".join(unknown[:5])}
        )


def _extract(archive: zipfile.ZipFile, member: Member, destination: Path | None) -> None:
    """Extract one member to ``destination`` (None: only read it), comparing its SHA-256 and
    size with the manifest's."""
    try:
        with archive.open(member.path) as source:
            if destination is None:
                digest, size = copy_with_digest(source, None, limit=member.size)
            else:
                destination.parent.mkdir(parents=True, exist_ok=True)
                with open(destination, "xb") as target:
                    digest, size = copy_with_digest(source, target, limit=member.size)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _altered(member.path) from exc
    if size != member.size or digest != member.sha256:
        raise _altered(member.path)


def _key_of(archive: zipfile.ZipFile, member: Member) -> str:
    """The audit key in the backup, checked against the manifest."""
    try:
        info = archive.getinfo(member.path)
        raw = archive.read(info) if info.file_size <= 4096 else b""
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _altered(member.path) from exc
    if len(raw) != member.size or hashlib.sha256(raw).hexdigest() != member.sha256:
        raise _altered(member.path)
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError as exc:
        raise _altered(member.path) from exc


def _key_usable(key: str) -> None:
    if key == settings.ZHIDU_AUDIT_KEY:
        return
    if "ZHIDU_AUDIT_KEY" not in settings.ZHIDU_KEYS_IN_FILES:
        raise BackupError(
            _(
                "ZHIDU_AUDIT_KEY is set in the environment to another key than the backup's; "
                "the restored audit trail could not be verified. Set it to the key in the "
                "backup (keys/audit_key) or unset it. Nothing was restored."
            )
        )


def _key_install(key: str, when: str, *, keep: bool) -> Path | None:
    """Write the backup's audit key to VAR_DIR/audit_key; the old one is kept aside when the
    database it signed had data (``keep``)."""
    if key == settings.ZHIDU_AUDIT_KEY:
        return None
    path = Path(settings.VAR_DIR) / AUDIT_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = None
    if path.exists() and keep:
        kept = path.with_name(f"{AUDIT_KEY_FILE}.before-restore-{when}")
        os.replace(path, kept)
    fresh = path.with_name(f".{AUDIT_KEY_FILE}.restore-{when}")
    key_file_write(fresh, key)
    os.replace(fresh, path)
    settings.ZHIDU_AUDIT_KEY = key  # this process verifies with it from now on
    return kept


def _staged_database_check(engine: str, staged: Path, manifest: dict, key: str) -> None:
    if engine == "postgresql":
        db.postgres_dump_check(staged)
        return
    db.sqlite_integrity(staged)
    with db.sqlite_alias(staged) as alias:
        counts = table_counts(using=alias)
        head = audit_chain_head(using=alias)
        chain = audit_verify(using=alias, key=key)
    differing = sorted(k for k, v in manifest["counts"].items() if counts.get(k) != v)
    if differing or head != manifest["audit"]["chain_head"]:
        raise _altered(db.member_name(engine))
    if manifest["audit"]["verified"] and not chain.ok:
        raise _altered(db.member_name(engine))


def _database_swap(engine: str, staged: Path, manifest: dict, *, keep: bool, when: str) -> str:
    """Replace the live database with the staged one; returns where the old data was kept."""
    if engine == "postgresql":
        schema = db.postgres_aside_schema_name(when) if keep else None
        db.postgres_restore(
            staged,
            counts=manifest["counts"],
            head=manifest["audit"]["chain_head"],
            aside_schema=schema,
        )
        return _("PostgreSQL schema %(schema)s") % {"schema": schema} if schema else ""
    live = db.sqlite_live_path()
    aside = live.with_name(f"{live.name}.before-restore-{when}") if keep and live else None
    db.sqlite_restore(staged, keep_aside=aside)
    return str(aside) if aside else ""


def backup_restore(
    *, archive: Path, force: bool = False, check_only: bool = False, say: Say = quiet, progress=iter
) -> RestoreResult:
    """Check, stage and swap in the backup ``archive`` (see the module docstring)."""
    started = time.perf_counter()
    engine = db.database_engine()
    with _open(Path(archive)) as zipped:
        manifest = _manifest_of(zipped)
        expected = expected_members(manifest)
        _members_match(zipped, expected)
        _engine_matches(manifest, engine)
        _migrations_known(manifest)
        key = _key_of(zipped, expected[KEY_MEMBER])
        result = RestoreResult(manifest=manifest, checked_only=check_only)
        keep = False
        if not check_only:
            keep = any(table_counts().values())
            if keep and not force:
                raise BackupError(
                    _(
                        "The database is not empty. Restoring would replace its data: run "
                        "restore again with --force (the current data is kept aside)."
                    )
                )
            _key_usable(key)
        say(
            _(
                "Backup of %(created)s: %(engine)s database, %(files)d files (%(size)s), "
                "audit chain head %(head)s."
            )
            % {
                "created": manifest["created_at"],
                "engine": ENGINE_NAMES[engine],
                "files": manifest["file_count"],
                "size": filesizeformat(manifest["file_bytes"]),
                "head": manifest["audit"]["chain_head"],
            }
        )
        when = stamp()
        staging = Path(settings.VAR_DIR) / f".restore-{when}"
        staging.mkdir(parents=True, exist_ok=False)
        plan: FilePlan | None = None
        try:
            staged = staging / db.ENGINES[engine]
            _extract(zipped, expected[db.member_name(engine)], staged)
            files = [expected[entry["path"]] for entry in manifest["files"]]
            plan = None if check_only else file_plan(when, staging)
            for member in progress(files):
                _extract(zipped, member, plan.member_path(member.path) if plan else None)
            _staged_database_check(engine, staged, manifest, key)
            say(
                _("Every file matches its SHA-256 in the manifest (%(count)d files).")
                % {"count": len(files) + 2}
            )
            if check_only:
                result.seconds = time.perf_counter() - started
                return result
            kept = _database_swap(engine, staged, manifest, keep=keep, when=when)
            ContentType.objects.clear_cache()
            # Wagtail's cached site roots (Django's cache: REDIS_URL may be shared with other
            # applications, so it is not emptied; nothing else cached depends on the rows).
            Site.clear_site_root_paths_cache()
            say(_("Database restored."))
            result.kept += [kept] if kept else []
            try:
                kept_folders, overwritten = files_swap_in(plan)
                old_key = _key_install(key, when, keep=keep)
            except Exception as exc:  # a disk or a storage service (S3) failing
                raise BackupError(
                    _(
                        "The database was restored, but the files could not be put in place "
                        "(%(error)s). Run the restore again with --force."
                    )
                    % {"error": exc}
                ) from exc
            result.kept += [str(path) for path in kept_folders]
            result.kept += [str(old_key)] if old_key else []
            say(_("Files restored: %(count)d.") % {"count": len(files)})
            if overwritten:
                say(
                    _(
                        "%(count)d stored objects had other contents and were overwritten; "
                        "with versioning on, the bucket keeps their previous versions."
                    )
                    % {"count": overwritten}
                )
            for where in result.kept:
                say(
                    _("The previous data was kept aside: %(where)s (delete it once you are sure).")
                    % {"where": where}
                )
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if plan is not None:
                plan.discard()
    _after_swap(result, say)
    result.seconds = time.perf_counter() - started
    return result


def _after_swap(result: RestoreResult, say: Say) -> None:
    """Migrations the backup lacks, the search index, the audit chain."""
    executor = MigrationExecutor(connections["default"])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        call_command("migrate", interactive=False, verbosity=0)
        say(_("Applied %(count)d database migrations.") % {"count": len(plan)})
    rebuilt = index_rebuild()
    say(
        _("Search index rebuilt: %(documents)d records (%(entries)d entries).")
        % {"documents": rebuilt.documents, "entries": rebuilt.entries}
    )
    chain = audit_verify()
    say(chain.message)
    result.chain_head = audit_chain_head()
    say(_("Audit chain head: %(head)s") % {"head": result.chain_head})
    expected = result.manifest["audit"]
    if result.chain_head != expected["chain_head"]:
        raise BackupError(
            _(
                "The audit chain head after the restore (%(found)s) differs from the one in "
                "the backup's manifest (%(expected)s)."
            )
            % {"found": result.chain_head, "expected": expected["chain_head"]}
        )
    if chain.ok != expected["verified"]:
        raise BackupError(_("The audit trail does not verify as it did at backup time."))
