"""Policy pages and document numbering; import them from here."""

from .acknowledgement import (
    Acknowledgement,
    AcknowledgementChanged,
    AcknowledgementKind,
    Assignment,
    AssignmentState,
    Chase,
    ComprehensionQuestion,
    QuizAttempt,
)
from .consultation import (
    Consultation,
    ConsultationComment,
    ConsultationMethod,
    ConsultationTask,
)
from .controlled import (
    ControlledDocumentPage,
    DocumentStatus,
    Grade,
    Urgency,
    controlled_page_models,
)
from .evidence import EvidenceBundle
from .importing import DocumentImportRun, NearDuplicate
from .job_description import JobDescriptionPage
from .library import PolicyCategoryPage, PolicyLibraryPage
from .numbering import DocumentNumber, DocumentNumberScheme
from .receipt_batches import ReceiptBatch, ReceiptBatchItem
from .regulation import RegulationPage
from .versions import ChangeKind, IssuedVersion, Repeal, ReviewRecord, ReviewReminder
from .workflow import (
    ApprovalReminder,
    ApprovalRoute,
    CountersignApproval,
    CountersignTask,
    CountersignTaskState,
    ReviewTask,
)

__all__ = [
    "Acknowledgement",
    "AcknowledgementChanged",
    "AcknowledgementKind",
    "Assignment",
    "AssignmentState",
    "Chase",
    "ComprehensionQuestion",
    "QuizAttempt",
    "Consultation",
    "EvidenceBundle",
    "ConsultationComment",
    "ConsultationMethod",
    "ConsultationTask",
    "ApprovalReminder",
    "ApprovalRoute",
    "CountersignApproval",
    "CountersignTask",
    "CountersignTaskState",
    "ReviewTask",
    "ChangeKind",
    "Grade",
    "Urgency",
    "IssuedVersion",
    "Repeal",
    "ReviewRecord",
    "ReviewReminder",
    "ControlledDocumentPage",
    "controlled_page_models",
    "DocumentImportRun",
    "DocumentNumber",
    "DocumentNumberScheme",
    "DocumentStatus",
    "JobDescriptionPage",
    "NearDuplicate",
    "PolicyCategoryPage",
    "PolicyLibraryPage",
    "ReceiptBatch",
    "ReceiptBatchItem",
    "RegulationPage",
]
