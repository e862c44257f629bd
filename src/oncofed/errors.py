"""Errors a person can act on: each says what went wrong and how to fix it."""


class OncofedError(Exception):
    """Base class for errors shown to users as one clear line (no traceback)."""

    def __init__(self, message: str, *, fix: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix

    def __str__(self) -> str:
        return f"{self.message} — {self.fix}" if self.fix else self.message


class ConfigError(OncofedError):
    """A setting (environment variable, path, port) is unusable."""


class StoreError(OncofedError):
    """The database cannot be reached or is not in the expected state."""


class NotFound(OncofedError):
    """The record does not exist, or the caller is not allowed to know it exists."""


class InputError(OncofedError):
    """Bad input: names the file, the record, the field and the fix."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: str | int | None = None,
        field: str | None = None,
        fix: str | None = None,
    ) -> None:
        where = ":".join(str(p) for p in (file, record, field) if p not in (None, ""))
        super().__init__(f"{where}: {message}" if where else message, fix=fix)
        self.file = file
        self.record = record
        self.field = field
        self.reason = message
