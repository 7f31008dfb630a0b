"""Import problems, located in the user's terms: which file, row and column."""

from dataclasses import dataclass

from django.utils.translation import gettext as _


class ImportFileError(Exception):
    """The whole file cannot be read (too large, empty, not a table, wrong columns)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CellError:
    """One invalid cell or row. ``row`` is the row number as the spreadsheet shows it."""

    row: int
    column: str
    message: str

    def __str__(self):
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
