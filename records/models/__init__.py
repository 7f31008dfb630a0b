"""Records models, one small module per concern; import them from here."""

from .audit import AuditAction, AuditChainLock, AuditEntry, AuditEntryChanged
from .organisation import Department, Employee, Position

__all__ = [
    "AuditAction",
    "AuditChainLock",
    "AuditEntry",
    "AuditEntryChanged",
    "Department",
    "Employee",
    "Position",
]
