"""The database part of a backup: a consistent copy out, and the copy put back in one piece.

SQLite: the online backup API (``sqlite3.Connection.backup``) copies every page in one step
under a read lock, so the copy is one consistent state even while the app writes (WAL mode);
restoring copies the staged file into the live database the same way, in one write
transaction, which also keeps the WAL right. PostgreSQL: ``pg_dump --format=custom`` from a
snapshot exported by our own REPEATABLE READ transaction, so the counts and the chain head in
the manifest are read from exactly the state the dump holds; restoring pipes ``pg_restore``
into one ``psql`` transaction that first moves the old tables aside (or drops an empty schema),
then checks the row counts and the chain head against the manifest, and commits only if
``pg_restore`` finished and every check passed.
"""

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from django.db import connections, transaction
from django.db.utils import load_backend
from django.utils.translation import gettext as _

from records.audit import HEAD_DIGITS
from records.models import AuditEntry

from .manifest import DATABASE_PREFIX, BackupError, counted_models

ENGINES = {"sqlite": "zhidu.sqlite3", "postgresql": "zhidu.pgdump"}
HEAD_ZERO = "0:" + "0" * HEAD_DIGITS  # records.audit.audit_chain_head of an empty trail
TABLE_NAME = re.compile(r"^[A-Za-z0-9_]+$")


def database_engine() -> str:
    """ "sqlite" or "postgresql"; other engines are refused."""
    vendor = connections["default"].vendor
    if vendor not in ENGINES:
        raise BackupError(
            _("Backups support SQLite and PostgreSQL, not %(engine)s.") % {"engine": vendor}
        )
    return vendor


def member_name(engine: str) -> str:
    return f"{DATABASE_PREFIX}/{ENGINES[engine]}"


def _outside_transaction(connection) -> None:
    if connection.in_atomic_block:
        raise BackupError(_("Backup and restore cannot run inside a database transaction."))


# --- SQLite ---------------------------------------------------------------------------------


@contextmanager
def sqlite_alias(path: Path) -> Iterator[str]:
    """A temporary database alias for another SQLite file (a snapshot or a staged restore),
    so the ORM can count and verify it. Read only; removed again on exit. Not added to the
    DATABASES setting: a connection made on the fly, as Django allows."""
    alias = f"zhidu_backup_{uuid.uuid4().hex[:12]}"
    base = connections["default"].settings_dict
    options = {
        key: value
        for key, value in base.get("OPTIONS", {}).items()
        if key not in ("init_command", "transaction_mode")
    }
    wrapper = load_backend(base["ENGINE"]).DatabaseWrapper(
        {**base, "NAME": str(path), "OPTIONS": options}, alias
    )
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]


def sqlite_copy(path: Path) -> None:
    """Copy the live database into ``path`` in one step (one consistent state)."""
    connection = connections["default"]
    _outside_transaction(connection)
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def sqlite_integrity(path: Path) -> None:
    try:
        check = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            check.close()
    except sqlite3.DatabaseError as exc:
        result = str(exc)
    if result != "ok":
        raise BackupError(_("The database in the backup is damaged: %(error)s") % {"error": result})


def sqlite_live_path() -> Path | None:
    """The live database file, or None for an in-memory database (the test suite's)."""
    connection = connections["default"]
    if connection.is_in_memory_db():
        return None
    return Path(connection.settings_dict["NAME"])


def sqlite_restore(staged: Path, *, keep_aside: Path | None) -> None:
    """Put the staged file's contents into the live database, in one write transaction.
    With ``keep_aside``, the live contents are copied there first."""
    connection = connections["default"]
    _outside_transaction(connection)
    connection.ensure_connection()
    live = connection.connection
    if keep_aside is not None:
        aside = sqlite3.connect(keep_aside)
        try:
            live.backup(aside)
        finally:
            aside.close()
    source = sqlite3.connect(f"file:{staged}?mode=ro", uri=True)
    try:
        source.backup(live)
    except sqlite3.Error as exc:
        raise BackupError(
            _("The database could not be restored: %(error)s") % {"error": exc}
        ) from exc
    finally:
        source.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client programs "
                "(Debian: apt-get install postgresql-client)."
            )
            % {"tool": name}
        )
    return found


def _connection_arguments() -> tuple[list[str], dict[str, str]]:
    """Command-line options and environment for pg_dump / pg_restore / psql."""
    settings_dict = connections["default"].settings_dict
    args: list[str] = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args.append(f"{option}={settings_dict[key]}")
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    options = settings_dict.get("OPTIONS", {})
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    args.append(f"--dbname={settings_dict['NAME']}")
    return args, env


def _failed(tool: str, error: str) -> BackupError:
    lines = [line for line in error.strip().splitlines() if line.strip()]
    return BackupError(
        _("%(tool)s failed: %(error)s") % {"tool": tool, "error": "\n".join(lines[-8:])}
    )


@contextmanager
def postgres_dump(path: Path) -> Iterator[str]:
    """pg_dump into ``path`` from a snapshot of our own REPEATABLE READ transaction; inside the
    block, queries on the yielded alias read that same state (for the manifest)."""
    pg_dump = _tool("pg_dump")
    connection = connections["default"]
    _outside_transaction(connection)
    args, env = _connection_arguments()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={path}", *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise _failed("pg_dump", done.stderr)
        yield "default"


def postgres_dump_check(path: Path) -> None:
    """pg_restore can read the dump's table of contents."""
    done = subprocess.run(
        [_tool("pg_restore"), "--list", str(path)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise _failed("pg_restore", done.stderr)


def _checks_sql(counts: dict[str, int], head: str) -> str:
    """A DO block that raises (so the transaction never commits) unless every counted table
    holds the rows the manifest lists and the audit chain ends at the manifest's head."""
    lines = ["DO $zhidu$", "DECLARE n bigint; total bigint; t text; h text;", "BEGIN"]
    for name, models in counted_models().items():
        tables = [model._meta.db_table for model in models]
        if name not in counts or not all(TABLE_NAME.match(t) for t in tables):
            continue
        array = ", ".join(f"'{t}'" for t in tables) or "''"
        lines += [
            "  total := 0;",
            f"  FOREACH t IN ARRAY ARRAY[{array}]::text[] LOOP",
            "    IF t <> '' AND to_regclass(format('public.%I', t)) IS NOT NULL THEN",
            "      EXECUTE format('SELECT count(*) FROM public.%I', t) INTO n;",
            "      total := total + n;",
            "    END IF;",
            "  END LOOP;",
            f"  IF total <> {int(counts[name])} THEN",
            f"    RAISE EXCEPTION 'zhidu restore: % rows of {name}, the manifest lists "
            f"{int(counts[name])}', total;",
            "  END IF;",
        ]
    safe_head = head if re.match(rf"^\d+:[0-9a-f]{{{HEAD_DIGITS}}}$", head) else HEAD_ZERO
    lines += [
        f"  SELECT sequence::text || ':' || left(entry_hash, {HEAD_DIGITS}) INTO h",
        f"    FROM public.{AuditEntry._meta.db_table} ORDER BY sequence DESC LIMIT 1;",
        f"  IF coalesce(h, '{HEAD_ZERO}') <> '{safe_head}' THEN",
        f"    RAISE EXCEPTION 'zhidu restore: chain head %, the manifest lists {safe_head}', h;",
        "  END IF;",
        "END $zhidu$;",
    ]
    return "\n".join(lines) + "\n"


def postgres_restore(
    staged: Path, *, counts: dict[str, int], head: str, aside_schema: str | None
) -> None:
    """Replace the public schema with the dump's, in one transaction (see the module
    docstring). ``aside_schema`` keeps the old tables under that name; None drops them."""
    pg_restore, psql = _tool("pg_restore"), _tool("psql")
    args, env = _connection_arguments()
    connections["default"].close()  # our own connection must not hold locks on the tables
    old = (
        f'ALTER SCHEMA public RENAME TO "{aside_schema}";'
        if aside_schema
        else "DROP SCHEMA IF EXISTS public CASCADE;"
    )
    with tempfile.TemporaryFile() as restore_err, tempfile.TemporaryFile() as psql_err:
        reader = subprocess.Popen(
            [pg_restore, "--no-owner", "--no-privileges", "--file=-", str(staged)],
            stdout=subprocess.PIPE,
            stderr=restore_err,
        )
        writer = subprocess.Popen(
            [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "--file=-", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=psql_err,
            env=env,
        )
        try:
            writer.stdin.write(f"BEGIN;\n{old}\nCREATE SCHEMA public;\n".encode())
            while chunk := reader.stdout.read(1024 * 1024):
                writer.stdin.write(chunk)
            if reader.wait() == 0:
                # Only now: a pg_restore that stopped half-way never reaches COMMIT.
                writer.stdin.write(("\n" + _checks_sql(counts, head) + "COMMIT;\n").encode())
        except BrokenPipeError:
            pass  # psql stopped at an error; it is reported below
        finally:
            reader.stdout.close()
            if reader.poll() is None:
                reader.kill()
            reader.wait()
            with suppress(BrokenPipeError):
                writer.stdin.close()
            writer.wait()
        if reader.returncode != 0:
            restore_err.seek(0)
            raise _failed("pg_restore", restore_err.read().decode("utf-8", "replace"))
        if writer.returncode != 0:
            psql_err.seek(0)
            raise _failed("psql", psql_err.read().decode("utf-8", "replace"))


def postgres_aside_schema_name(stamp: str) -> str:
    return f"zhidu_before_restore_{stamp.replace('-', '_')}"
