"""Signal receivers of the records app. A failed login has no service to call the audit
trail from, so this receiver is the hook; it only records, nothing else."""

from django.contrib.auth.signals import user_login_failed


def record_failed_login(sender, credentials, request=None, **kwargs):
    from records.audit import audit_record
    from records.models import AuditAction

    username = str(credentials.get("username", ""))[:150]
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        object_type="auth.user",
        object_label=username,
        details={"username": username},
        request=request,
    )


def connect() -> None:
    user_login_failed.connect(record_failed_login, dispatch_uid="zhidu_record_failed_login")
