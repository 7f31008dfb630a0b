"""Receivers that put every change of rights into the audit trail (``permission_change``).

Rights change in more ways than any one service could catch: the Wagtail admin's user and
group forms, ``user.groups.add`` in our own services, ``group.user_set``, the shell. So the
hooks are on the relations themselves — a login's groups and own permissions, a group's
permissions, from either side — and on the login's is_superuser / is_staff / is_active flags.
Each receiver only works out what changed and hands it to ``permission_change_record``.

Connected to the real models only. Migrations work on historical models, whose signals have
other senders, so roles created and granted by migrations leave no entries; fixture loading
(``raw`` saves) is skipped too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_save, pre_save

FLAGS = ("is_superuser", "is_staff", "is_active")
# A new login is recorded only if created with these: is_active is the default, not a grant.
FLAGS_GRANTED_ON_CREATION = ("is_superuser", "is_staff")


def _group_names(pks) -> list[str]:
    return sorted(Group.objects.filter(pk__in=pks).values_list("name", flat=True))


def _permission_names(pks) -> list[str]:
    rows = Permission.objects.filter(pk__in=pks).values_list("content_type__app_label", "codename")
    return sorted(f"{app_label}.{codename}" for app_label, codename in rows)


@dataclass(frozen=True)
class Relation:
    """One many-to-many of rights: entries are about the owner (a login or a group) and name
    the things granted (groups or permissions) by ``names``."""

    kind: str
    owner_model: type
    owner_field: str  # field of the through table pointing at the owner
    granted_field: str  # field of the through table pointing at what is granted
    names: Callable[[set], list[str]]

    def stash_key(self) -> str:
        return f"_zhidu_cleared_{self.kind}"

    def changed(self, sender, instance, action, reverse, pk_set, **kwargs):
        from records.account_security import permission_change_record

        if action == "pre_clear":  # post_clear no longer knows what was there
            here, there = (
                (self.granted_field, self.owner_field)
                if reverse
                else (self.owner_field, self.granted_field)
            )
            instance.__dict__[self.stash_key()] = set(
                sender.objects.filter(**{here: instance.pk}).values_list(f"{there}_id", flat=True)
            )
            return
        if action == "post_clear":
            pk_set, change = instance.__dict__.pop(self.stash_key(), set()), "removed"
        elif action in ("post_add", "post_remove"):
            change = "added" if action == "post_add" else "removed"
        else:
            return
        if not pk_set:  # add() of what was already there sends an empty set
            return
        if not reverse:
            permission_change_record(
                obj=instance, details={"kind": self.kind, change: self.names(pk_set)}
            )
            return
        granted = self.names({instance.pk})
        for owner in self.owner_model.objects.filter(pk__in=pk_set).order_by("pk"):
            permission_change_record(obj=owner, details={"kind": self.kind, change: granted})


def flags_before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    """Note the flags as stored, for ``flags_after_save`` to compare (one query, and none at
    all for saves that cannot touch them, such as a sign-in updating last_login)."""
    if raw or (update_fields is not None and not set(update_fields) & set(FLAGS)):
        return
    if instance._state.adding:
        before = dict.fromkeys(FLAGS_GRANTED_ON_CREATION, False)
    else:
        before = sender._default_manager.filter(pk=instance.pk).values(*FLAGS).first()
    instance.__dict__["_zhidu_flags_before"] = before


def flags_after_save(sender, instance, raw=False, **kwargs):
    from records.account_security import permission_change_record

    before = instance.__dict__.pop("_zhidu_flags_before", None)
    if raw or not before:
        return
    changed = {
        flag: [old, getattr(instance, flag)]
        for flag, old in before.items()
        if old != getattr(instance, flag)
    }
    if changed:
        permission_change_record(obj=instance, details={"kind": "flags", **changed})


def connect() -> None:
    User = get_user_model()
    relations = [
        (User.groups.through, Relation("groups", User, "user", "group", _group_names)),
        (
            User.user_permissions.through,
            Relation("user_permissions", User, "user", "permission", _permission_names),
        ),
        (
            Group.permissions.through,
            Relation("group_permissions", Group, "group", "permission", _permission_names),
        ),
    ]
    for through, relation in relations:
        m2m_changed.connect(
            relation.changed,
            sender=through,
            weak=False,
            dispatch_uid=f"zhidu_permission_change_{relation.kind}",
        )
    pre_save.connect(flags_before_save, sender=User, dispatch_uid="zhidu_flags_before_save")
    post_save.connect(flags_after_save, sender=User, dispatch_uid="zhidu_flags_after_save")
