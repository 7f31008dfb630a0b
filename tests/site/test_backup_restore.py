"""manage.py backup and restore: a populated instance goes through backup → wipe → restore and
comes back whole (documents, versions, signatures, the audit chain with the same head, files
byte for byte, search); an altered backup is refused in Chinese before anything is written.

The round trip runs on the suite's database: SQLite (in memory, copied with the online backup
API) always, PostgreSQL (pg_dump / pg_restore) when DATABASE_URL points there. Backups copy a
database outside any transaction, so these tests commit for real (transaction=True) and get
the roles and library made by migrations back through serialized_rollback.
"""

import datetime
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone, translation

from policies_content.acknowledging import (
    acknowledgement_sign,
    assignment_open,
    proxy_acknowledgement_record,
)
from policies_content.append_only import ensure_append_only_triggers
from policies_content.models import Acknowledgement, Assignment, IssuedVersion
from records.audit import audit_chain_head, audit_verify
from records.models import AuditEntry, Employee
from records.roles import POLICY_EDITOR
from search.backends import get_backend
from search.service import search_for_user
from tests.factories import (
    DepartmentFactory,
    EmployeeFactory,
    UserFactory,
    article,
    regulation_publish,
)
from tests.migrated_database import append_only_triggers_drop, migrated_rows_restorable
from tests.site import test_s3_storage
from zhidu.backup import BackupError, backups_prune
from zhidu.backup.database import postgres_dump, postgres_restore
from zhidu.backup.manifest import table_counts

committed = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TODAY = timezone.localdate()
PASSWORD = "pw-for-tests"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


@pytest.fixture(scope="module", autouse=True)
def the_migrated_rows(django_db_setup, django_db_blocker):
    """Before the first test here, whatever committed tests ran before (see the helper)."""
    with django_db_blocker.unblock():
        migrated_rows_restorable()


@pytest.fixture(autouse=True)
def ready_for_the_suites_cleanup(request):
    """Before: the acknowledgements' append-only triggers (dropped after the test before).
    After: the suite empties the database with DELETE on SQLite, which those triggers refuse,
    so they are dropped (PostgreSQL truncates); and it loads the migrations' rows again,
    looking content types up through Django's cache, which restore empties: it is filled
    again while the restored rows (the same as the suite's) are there."""
    committed = request.node.get_closest_marker("django_db") is not None
    if committed:
        ensure_append_only_triggers(connection)
    yield
    if committed:
        ContentType.objects.get_for_models(*apps.get_models())
        append_only_triggers_drop()


def _instance() -> dict:
    """A small company: a regulation in two versions, one signature made online, one paper
    signature with its scan (private), a media file, the audit entries all that wrote."""
    department = DepartmentFactory(name="仓储部")
    signer = EmployeeFactory(department=department, name="王签收")
    paper = EmployeeFactory(department=department, name="李纸签")
    hr = EmployeeFactory(
        department=department, user=UserFactory(username="hr-backup", roles=[POLICY_EDITOR])
    )
    EmployeeFactory(department=department, user=UserFactory(username="auditor-backup"))
    page = regulation_publish(
        title="仓库安全管理制度",
        number="HM-CK-2026-001",
        articles=["仓库内严禁吸烟。", "叉车须持证驾驶。"],
        category="安全",
        effective=TODAY - datetime.timedelta(days=10),
        classification=1,
    )
    page.body = [article("仓库内严禁吸烟和明火。"), article("叉车须持证驾驶。")]
    page.change_kind, page.change_summary, page.effective_date = "major", "增加明火", TODAY
    page.save_revision().publish()

    online = Assignment.objects.get(employee=signer, version__major=2)
    assignment_open(assignment=online, user=signer.user)
    acknowledgement_sign(assignment=online, user=signer.user, password=PASSWORD, confirmed=True)
    scan = proxy_acknowledgement_record(
        assignment=Assignment.objects.get(employee=paper, version__major=2),
        recorded_by=hr.user,
        scan=ContentFile(b"%PDF-1.4 paper signature \x00\xff", name="paper.pdf"),
        reason="仓库人员无电脑",
    ).proxy_scan
    media = default_storage.save("documents/会议纪要.txt", ContentFile("职工代表大会纪要".encode()))
    return {
        "page_id": page.pk,
        "scan": StoredFile(scan.storage, scan.name, _read(scan.storage, scan.name)),
        "media": StoredFile(default_storage, media, _read(default_storage, media)),
    }


@dataclass
class StoredFile:
    """A file as the app stores it (on disk or in S3) and the bytes it held."""

    storage: object
    name: str
    content: bytes

    @property
    def member(self) -> str:  # its name in a backup
        folder = "media" if self.storage is default_storage else "private"
        return f"{folder}/{self.name}"

    def intact(self) -> bool:
        return self.storage.exists(self.name) and _read(self.storage, self.name) == self.content


def _read(storage, name) -> bytes:
    with storage.open(name, "rb") as handle:
        return handle.read()


def _state() -> dict:
    """What a user would compare before and after: versions with their hashes, signatures,
    assignments, the audit chain."""
    return {
        "versions": list(
            IssuedVersion.objects.order_by("pk").values_list(
                "document_number", "major", "minor", "sha256", "title"
            )
        ),
        "acknowledgements": list(
            Acknowledgement.objects.order_by("pk").values_list(
                "employee_number", "kind", "text_sha256", "signed_at", "proxy_scan"
            )
        ),
        "assignments": list(
            Assignment.objects.order_by("pk").values_list("employee_id", "version_id", "state")
        ),
        "employees": list(Employee.objects.order_by("pk").values_list("employee_number", "name")),
        "audit": list(
            AuditEntry.objects.order_by("sequence").values_list("sequence", "entry_hash")
        ),
        "head": audit_chain_head(),
    }


def _found(query: str) -> set[str]:
    reader = get_user_model().objects.get(username="auditor-backup")
    return {hit.entry.document_number for hit in search_for_user(user=reader, query=query).hits}


def _wipe() -> None:
    """Lose the instance: every table emptied, every file and the search index gone."""
    append_only_triggers_drop()
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for path in sorted(Path(root).rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    get_backend().clear()


def _backup(folder: Path) -> tuple[Path, str]:
    out = io.StringIO()
    call_command("backup", str(folder), "--no-progress", stdout=out)
    (archive,) = folder.glob("zhidu-backup-*.zip")
    return archive, out.getvalue()


@pytest.fixture
def var_dir(settings, tmp_path, monkeypatch):
    """VAR_DIR of the instance restored into (the audit key file, staging)."""
    monkeypatch.delenv("ZHIDU_AUDIT_KEY", raising=False)
    settings.VAR_DIR = tmp_path / "var"
    settings.VAR_DIR.mkdir()
    return settings.VAR_DIR


@committed
def test_backup_wipe_restore_brings_the_instance_back_whole(tmp_path, var_dir, settings):
    instance = _instance()
    before = _state()
    assert audit_verify().ok and _found("明火") == {"HM-CK-2026-001"}
    key = settings.ZHIDU_AUDIT_KEY

    archive, printed = _backup(tmp_path / "backups")
    assert "审计日志完整" in printed and before["head"] in printed
    with zipfile.ZipFile(archive) as zipped:
        names = set(zipped.namelist())
        manifest = json.loads(zipped.read("manifest.json"))
    assert manifest["database_engine"] == connection.vendor
    assert manifest["audit"] == {
        "chain_head": before["head"],
        "verified": True,
        "entries": len(before["audit"]),
        "first_bad_sequence": None,
        "problem": "",
    }
    assert manifest["counts"]["acknowledgements"] == 2
    assert manifest["counts"]["issued_versions"] == 2
    assert "keys/audit_key" in names
    scan_name = instance["scan"].member
    assert scan_name in names and scan_name in {f["path"] for f in manifest["files"]}

    _wipe()
    assert not Acknowledgement.objects.exists()
    assert not instance["scan"].storage.exists(instance["scan"].name)
    assert get_backend().keys_by_source() == {}
    settings.ZHIDU_AUDIT_KEY = "the-new-servers-own-key"  # a new server made its own key

    out = io.StringIO()
    call_command("restore", str(archive), "--no-progress", stdout=out)
    printed = out.getvalue()

    assert _state() == before
    verified = audit_verify()
    assert verified.ok and verified.head == before["head"]
    assert "审计日志完整" in printed and f"审计链头：{before['head']}" in printed
    assert (var_dir / "audit_key").read_text() == key == settings.ZHIDU_AUDIT_KEY
    assert instance["scan"].intact() and instance["media"].intact()
    assert _found("明火") == {"HM-CK-2026-001"}
    # The restored acknowledgements are append-only again (the triggers came back too).
    assert Acknowledgement.objects.count() == 2
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM policies_content_acknowledgement")


@committed
def test_an_altered_backup_is_refused_in_chinese_and_nothing_changes(tmp_path, var_dir):
    instance = _instance()
    archive, _printed = _backup(tmp_path / "backups")
    altered = tmp_path / "altered.zip"
    scan_name = instance["scan"].member
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(altered, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(
                info, data.replace(b"paper", b"forged") if info.filename == scan_name else data
            )
    before = _state()

    with pytest.raises(CommandError) as refused:
        call_command("restore", str(altered), "--force", "--no-progress", stdout=io.StringIO())
    assert str(refused.value) == (
        f"备份已被改动或损坏：{scan_name} 与清单中的 SHA-256 不符。未恢复任何内容。"
    )
    assert _state() == before
    assert instance["scan"].intact()
    assert not any(Path(settings.MEDIA_ROOT).parent.glob("*.restore-*"))
    assert not any(var_dir.iterdir())

    with pytest.raises(CommandError, match="数据库不是空的.*--force"):
        call_command("restore", str(archive), "--no-progress", stdout=io.StringIO())
    out = io.StringIO()
    call_command("restore", str(archive), "--check", "--no-progress", stdout=out)
    assert "备份完整，未被改动" in out.getvalue()


def test_keep_deletes_all_but_the_newest_backups(tmp_path):
    for stamp in ("20260101-020000", "20260102-020000", "20260103-020000"):
        (tmp_path / f"zhidu-backup-{stamp}.zip").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("not a backup")
    removed = backups_prune(tmp_path, keep=2)
    assert [p.name for p in removed] == ["zhidu-backup-20260101-020000.zip"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "notes.txt",
        "zhidu-backup-20260102-020000.zip",
        "zhidu-backup-20260103-020000.zip",
    ]


def _aside_schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'zhidu_before%'")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.postgres
@committed
def test_postgres_restore_commits_nothing_unless_the_dump_and_every_check_pass(tmp_path):
    """The dump goes into psql inside one transaction: a count or chain head that differs from
    the manifest, or a pg_restore that stops half-way, never reaches COMMIT."""
    _instance()
    before = _state()
    dump = tmp_path / "zhidu.pgdump"
    with postgres_dump(dump):
        counts = table_counts()
    wrong = {**counts, "acknowledgements": counts["acknowledgements"] + 1}
    with pytest.raises(BackupError, match="acknowledgements"):
        postgres_restore(dump, counts=wrong, head=before["head"], aside_schema="zhidu_before_t1")
    assert _state() == before and _aside_schemas() == []

    with pytest.raises(BackupError, match="chain head"):
        postgres_restore(dump, counts=counts, head="1:0123456789abcdef", aside_schema=None)
    assert _state() == before

    truncated = tmp_path / "truncated.pgdump"
    truncated.write_bytes(dump.read_bytes()[: dump.stat().st_size * 9 // 10])
    with pytest.raises(BackupError, match="pg_restore"):
        postgres_restore(truncated, counts=counts, head=before["head"], aside_schema=None)
    assert _state() == before

    postgres_restore(dump, counts=counts, head=before["head"], aside_schema="zhidu_before_t2")
    assert _state() == before and _aside_schemas() == ["zhidu_before_t2"]
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA zhidu_before_t2 CASCADE")


s3_environment = test_s3_storage.s3_environment
s3 = test_s3_storage.s3


@committed
def test_files_kept_in_s3_go_into_the_backup_and_back_into_the_bucket(tmp_path, var_dir, s3):
    """With ZHIDU_S3_BUCKET the files are read and written through the storage (moto's S3
    here): under their own names, an object with other bytes overwritten and said so, one that
    is not in the backup left alone."""
    instance = _instance()
    bucket = test_s3_storage.BUCKET
    assert test_s3_storage.keys(s3) == sorted(
        [f"media/{instance['media'].name}", f"private/{instance['scan'].name}"]
    )
    before = _state()
    archive, _printed = _backup(tmp_path / "backups")
    with zipfile.ZipFile(archive) as zipped:
        assert {instance["scan"].member, instance["media"].member} <= set(zipped.namelist())

    _wipe()
    s3.delete_object(Bucket=bucket, Key=f"media/{instance['media'].name}")
    s3.put_object(Bucket=bucket, Key=f"private/{instance['scan'].name}", Body=b"other bytes")
    s3.put_object(Bucket=bucket, Key="private/not-in-the-backup.pdf", Body=b"left alone")

    out = io.StringIO()
    call_command("restore", str(archive), "--no-progress", stdout=out)

    assert _state() == before and audit_verify().ok
    assert instance["scan"].intact() and instance["media"].intact()
    assert "1 个存储对象的内容不同，已被覆盖" in out.getvalue()
    left = s3.get_object(Bucket=bucket, Key="private/not-in-the-backup.pdf")["Body"].read()
    assert left == b"left alone"
    assert not any(Path(settings.MEDIA_ROOT).parent.glob("*.restore-*"))
