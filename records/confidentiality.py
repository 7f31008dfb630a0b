"""密级 levels: the configured ranks and their names.

Ranks are integers so "cleared for" is a comparison; names come from
settings.ZHIDU_CONFIDENTIALITY_LEVELS so a company can rename or add levels.
"""

from django.conf import settings
from django.utils import translation


def level_choices() -> list[tuple[int, str]]:
    return sorted(settings.ZHIDU_CONFIDENTIALITY_LEVELS.items())


def level_name(rank: int) -> str:
    return str(settings.ZHIDU_CONFIDENTIALITY_LEVELS.get(rank, rank))


def level_by_name(text: str) -> int | None:
    """The rank for a level written by name (内部) or number (1); None if unknown."""
    text = text.strip()
    if text.isdigit() and int(text) in settings.ZHIDU_CONFIDENTIALITY_LEVELS:
        return int(text)
    wanted = text.lower()
    for language, _label in settings.LANGUAGES:
        with translation.override(language):
            for rank, name in settings.ZHIDU_CONFIDENTIALITY_LEVELS.items():
                if str(name).lower() == wanted:
                    return rank
    return None


def is_confidential(rank: int) -> bool:
    """秘密 and above (configurable): views are logged, screens and files watermarked."""
    return rank >= settings.ZHIDU_CONFIDENTIAL_FROM_LEVEL


def handling_allowed(rank: int, action: str) -> bool:
    """Whether items at this level may be downloaded, printed or exported ("download",
    "print", "export"), per settings.ZHIDU_LEVEL_RESTRICTIONS. Who may *see* the item is a
    separate question (records.permissions); this only narrows what a reader may do with it."""
    return action not in settings.ZHIDU_LEVEL_RESTRICTIONS.get(rank, ())
