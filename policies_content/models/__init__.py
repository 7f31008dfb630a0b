"""Policy pages; import them from here."""

from .job_description import JobDescriptionPage
from .library import PolicyCategoryPage, PolicyLibraryPage
from .regulation import RegulationPage

__all__ = ["JobDescriptionPage", "PolicyCategoryPage", "PolicyLibraryPage", "RegulationPage"]
