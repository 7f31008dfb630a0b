"""Records models, one small module per concern; import them from here."""

from .audit import AuditAction, AuditChainLock, AuditEntry, AuditEntryChanged
from .contract_ledger import ContractReminder, Obligation, ObligationKind, ObligationState
from .contracts import (
    Contract,
    ContractAmendment,
    ContractAttachment,
    ContractNumberCounter,
    ContractRegulation,
    ContractStatus,
    ContractType,
)
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
__all__ += [  # 合同
    "Contract",
    "ContractAmendment",
    "ContractAttachment",
    "ContractNumberCounter",
    "ContractRegulation",
    "ContractReminder",
    "ContractStatus",
    "ContractType",
    "Obligation",
    "ObligationKind",
    "ObligationState",
]
