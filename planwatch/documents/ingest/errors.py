"""A file that cannot be read at all: one clear Vietnamese message, nothing written."""


class DocumentError(Exception):
    """Raised by readers and the pipeline for a file that cannot become a draft.

    `code` is stable for tests and scripts (encrypted, scanned, corrupt, zip_bomb, too_large,
    no_table, unsupported); `message` is what the person sees."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
