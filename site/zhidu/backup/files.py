"""The files part of a backup: public media and evidence files, read out and put back.

Two stores, named as in the archive: ``media`` (the default storage: Wagtail documents and
images, MEDIA_ROOT on disk) and ``private`` (the evidence files' storage: PRIVATE_MEDIA_ROOT on
disk, or the private prefix or bucket in S3). Each is read through what it is:

- a folder on disk: walked, and on restore filled in a staging folder beside it
  (``<folder>.restore-<stamp>``, the same file system, so the final step is a rename) and swapped
  in only once every file matched its SHA-256; the folder replaced is renamed
  ``<folder>.before-restore-<stamp>`` when it held any file — nothing is deleted. A folder
  configured inside the other is staged and swapped with its outer folder;
- any other storage (S3-compatible, ZHIDU_S3_BUCKET): listed and read through the storage API,
  and on restore staged on this server's disk, then written object by object under exactly the
  names in the backup (``Storage._save``: ``save()`` would pick another name for a key that
  exists). An object already there with the same bytes is left alone; one with other bytes is
  overwritten — the bucket's versioning keeps the previous one (docs/deployment.md). Objects
  that are not in the backup are left as they are.

Names in the archive do not depend on the store, so a backup taken on disk restores into S3 and
the other way round.
"""

import hashlib
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils.translation import gettext as _

from .manifest import CHUNK, BackupError


@dataclass(frozen=True)
class FileStore:
    """One of the two places files live (``name``: its folder in the archive)."""

    name: str
    storage: Storage

    @property
    def folder(self) -> Path | None:
        """The folder on disk, or None for a storage that is not a local folder."""
        if isinstance(self.storage, FileSystemStorage):
            return Path(self.storage.location).absolute()
        return None


def file_stores() -> list[FileStore]:
    """The stores as configured now: the default storage and the evidence files' storage
    (STORAGES["private"], the one their fields write with)."""
    return [FileStore("media", storages["default"]), FileStore("private", storages["private"])]


def _nested_in(path: Path, others: list[Path]) -> bool:
    return any(path != other and path.is_relative_to(other) for other in others)


Opener = Callable[[], object]  # returns a binary file object


def files_to_back_up() -> Iterator[tuple[str, Opener]]:
    """(name in the archive, opener) of every file in the stores, in a stable order; a folder
    nested in the other is walked as itself, not twice."""
    stores = file_stores()
    folders = [store.folder.resolve() for store in stores if store.folder]
    for store in stores:
        if store.folder is None:
            for name in _storage_names(store.storage):
                yield f"{store.name}/{name}", _storage_opener(store.storage, name)
            continue
        root = store.folder.resolve()
        if not root.is_dir():
            continue
        inner = [other for other in folders if _nested_in(other, [root])]
        for directory, subdirectories, filenames in os.walk(root):
            subdirectories[:] = sorted(
                d for d in subdirectories if (Path(directory) / d).resolve() not in inner
            )
            for filename in sorted(filenames):
                path = Path(directory) / filename
                if path.is_symlink() or not path.is_file():
                    continue
                yield f"{store.name}/{path.relative_to(root).as_posix()}", _disk_opener(path)


def _disk_opener(path: Path) -> Opener:
    return lambda: open(path, "rb")


def _storage_opener(storage: Storage, name: str) -> Opener:
    return lambda: storage.open(name, "rb")


def _storage_names(storage: Storage, prefix: str = "") -> Iterator[str]:
    directories, files = storage.listdir(prefix)
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from _storage_names(storage, f"{prefix}{directory}/")


def has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


@dataclass
class Swap:
    """One folder to replace: its staged copy and where the old one goes."""

    target: Path
    staging: Path
    aside: Path


@dataclass
class Upload:
    """One store that is not a folder: the staged files to write into it."""

    store: FileStore
    staging: Path


@dataclass
class FilePlan:
    """Where each archive folder is extracted, and how it is put in place."""

    extract_to: dict[str, Path] = field(default_factory=dict)
    swaps: list[Swap] = field(default_factory=list)
    uploads: list[Upload] = field(default_factory=list)

    def member_path(self, name: str) -> Path:
        folder, _sep, rest = name.partition("/")
        return self.extract_to[folder] / rest

    def discard(self) -> None:
        """Remove staging folders not swapped in (after a refusal or a failure)."""
        for staging in [s.staging for s in self.swaps] + [u.staging for u in self.uploads]:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)


def file_plan(stamp: str, staging: Path) -> FilePlan:
    """Staging places for every store (``staging``: this restore's own folder, for stores that
    are not folders on disk)."""
    plan = FilePlan()
    stores = file_stores()
    roots = {store.name: store.folder for store in stores if store.folder}
    outers = [p for p in roots.values() if not _nested_in(p, list(roots.values()))]
    staging_of = {}
    for outer in dict.fromkeys(outers):
        swap = Swap(
            target=outer,
            staging=outer.with_name(f"{outer.name}.restore-{stamp}"),
            aside=outer.with_name(f"{outer.name}.before-restore-{stamp}"),
        )
        if swap.staging.exists():
            raise BackupError(
                _("A restore is already under way (%(path)s exists).") % {"path": swap.staging}
            )
        plan.swaps.append(swap)
        staging_of[outer] = swap.staging
    for name, root in roots.items():
        outer = next(o for o in outers if root == o or root.is_relative_to(o))
        plan.extract_to[name] = staging_of[outer] / root.relative_to(outer)
    for store in stores:
        if store.folder is None:
            upload = Upload(store=store, staging=staging / "files" / store.name)
            plan.uploads.append(upload)
            plan.extract_to[store.name] = upload.staging
    for folder in plan.extract_to.values():
        folder.mkdir(parents=True, exist_ok=True)
    return plan


def files_swap_in(plan: FilePlan) -> tuple[list[Path], int]:
    """Put every staged store in place; returns the old folders kept aside and how many
    objects in other storages were overwritten (their previous versions are the bucket's)."""
    kept = []
    for swap in plan.swaps:
        if swap.target.exists():
            if has_files(swap.target):
                swap.target.rename(swap.aside)
                kept.append(swap.aside)
            else:
                shutil.rmtree(swap.target)
        swap.target.parent.mkdir(parents=True, exist_ok=True)
        swap.staging.rename(swap.target)
    overwritten = sum(_upload(upload) for upload in plan.uploads)
    return kept, overwritten


def _upload(upload: Upload) -> int:
    storage, overwritten = upload.store.storage, 0
    for path in sorted(p for p in upload.staging.rglob("*") if p.is_file()):
        name = path.relative_to(upload.staging).as_posix()
        if storage.exists(name):
            if _same_bytes(storage, name, path):
                continue
            overwritten += 1
        with open(path, "rb") as handle:
            storage._save(name, File(handle, name=path.name))
    return overwritten


def _same_bytes(storage: Storage, name: str, path: Path) -> bool:
    if storage.size(name) != path.stat().st_size:
        return False
    with storage.open(name, "rb") as stored, open(path, "rb") as staged:
        return copy_with_digest(stored, None)[0] == copy_with_digest(staged, None)[0]


def copy_with_digest(source, destination, *, limit: int | None = None) -> tuple[str, int]:
    """Copy a binary stream to another (None: read only), returning SHA-256 and size; stops
    once more than ``limit`` bytes came (a member longer than its manifest says)."""
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        size += len(chunk)
        if limit is not None and size > limit:
            break
        digest.update(chunk)
        if destination is not None:
            destination.write(chunk)
    return digest.hexdigest(), size
