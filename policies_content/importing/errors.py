"""Why a file could not be imported, in the user's words."""


class DocumentFileError(Exception):
    """The whole file cannot be read (damaged, encrypted, too large, empty, not text)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message
