"""Records models, one small module per concern; import them from here."""

from .archives import (
    Appraisal,
    ArchivalCodeCounter,
    ArchiveItem,
    CategoryCode,
    DestructionList,
    Loan,
    Retention,
)
from .audit import AuditAction, AuditChainLock, AuditEntry, AuditEntryChanged
from .batches import BackgroundBatch, BatchState
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
from .generated import GeneratedDocument
from .legal_holds import LegalHold
from .notice_settings import NoticeSettings
from .organisation import Department, Employee, Position

__all__ = [
    "Appraisal",
    "BackgroundBatch",
    "BatchState",
    "ArchivalCodeCounter",
    "ArchiveItem",
    "CategoryCode",
    "DestructionList",
    "GeneratedDocument",
    "LegalHold",
    "NoticeSettings",
    "Loan",
    "Retention",
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
