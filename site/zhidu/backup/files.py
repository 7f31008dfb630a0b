"""The files part of a backup: MEDIA_ROOT and PRIVATE_MEDIA_ROOT, walked out and swapped in.

On restore each folder is filled in a staging folder beside it (``<folder>.restore-<stamp>``,
the same file system, so the final step is a rename) and swapped in only once every file has
matched its SHA-256. The folder replaced is renamed ``<folder>.before-restore-<stamp>`` when it
held any file; nothing is deleted. A folder configured inside the other (PRIVATE_MEDIA_ROOT
under MEDIA_ROOT) is staged and swapped with its outer folder.
"""

import hashlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from .manifest import CHUNK, FILE_ROOTS, BackupError


def file_roots() -> dict[str, Path]:
    """Archive folder → folder on disk, as configured now."""
    return {name: Path(getattr(settings, setting)) for name, setting in FILE_ROOTS.items()}


def _nested_in(path: Path, others: list[Path]) -> bool:
    return any(path != other and path.is_relative_to(other) for other in others)


def files_to_back_up() -> Iterator[tuple[str, Path]]:
    """(name in the archive, path) of every regular file under the roots, in a stable order;
    a root nested in another is walked as itself, not twice."""
    roots = {name: path.resolve() for name, path in file_roots().items()}
    for name, root in roots.items():
        if not root.is_dir():
            continue
        inner = [other for other in roots.values() if _nested_in(other, [root])]
        for directory, subdirectories, filenames in os.walk(root):
            subdirectories[:] = sorted(
                d for d in subdirectories if (Path(directory) / d).resolve() not in inner
            )
            for filename in sorted(filenames):
                path = Path(directory) / filename
                if path.is_symlink() or not path.is_file():
                    continue
                yield f"{name}/{path.relative_to(root).as_posix()}", path


def has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


@dataclass
class Swap:
    """One folder to replace: its staged copy and where the old one goes."""

    target: Path
    staging: Path
    aside: Path
    kept: bool = False  # the old folder was kept (renamed aside)


@dataclass
class FilePlan:
    """Where each archive folder is extracted, and the swaps that put them in place."""

    extract_to: dict[str, Path] = field(default_factory=dict)
    swaps: list[Swap] = field(default_factory=list)

    def member_path(self, name: str) -> Path:
        folder, _sep, rest = name.partition("/")
        return self.extract_to[folder] / rest

    def discard(self) -> None:
        """Remove staging folders not swapped in (after a refusal or a failure)."""
        for swap in self.swaps:
            if swap.staging.exists():
                shutil.rmtree(swap.staging, ignore_errors=True)


def file_plan(stamp: str) -> FilePlan:
    plan = FilePlan()
    roots = {name: path.absolute() for name, path in file_roots().items()}
    outers = [p for p in roots.values() if not _nested_in(p, list(roots.values()))]
    staging_of = {}
    for outer in dict.fromkeys(outers):
        swap = Swap(
            target=outer,
            staging=outer.with_name(f"{outer.name}.restore-{stamp}"),
            aside=outer.with_name(f"{outer.name}.before-restore-{stamp}"),
        )
        plan.swaps.append(swap)
        staging_of[outer] = swap.staging
    for name, root in roots.items():
        outer = next(o for o in outers if root == o or root.is_relative_to(o))
        plan.extract_to[name] = staging_of[outer] / root.relative_to(outer)
    for swap in plan.swaps:
        if swap.staging.exists():
            raise BackupError(
                _("A restore is already under way (%(path)s exists).") % {"path": swap.staging}
            )
    for folder in plan.extract_to.values():
        folder.mkdir(parents=True, exist_ok=True)
    return plan


def files_swap_in(plan: FilePlan) -> list[Path]:
    """Put every staged folder in place; returns the old folders kept aside."""
    kept = []
    for swap in plan.swaps:
        if swap.target.exists():
            if has_files(swap.target):
                swap.target.rename(swap.aside)
                swap.kept = True
                kept.append(swap.aside)
            else:
                shutil.rmtree(swap.target)
        swap.target.parent.mkdir(parents=True, exist_ok=True)
        swap.staging.rename(swap.target)
    return kept


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
