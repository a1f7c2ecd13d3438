"""The few exceptions the builder raises; the CLI turns each into one plain line."""

from __future__ import annotations


class WellplanError(Exception):
    """A problem the user can act on; its message is shown as it is."""

    exit_code = 1


class UsageError(WellplanError):
    """The command was called wrongly."""

    exit_code = 2


class WorkspaceError(WellplanError):
    """The folder is not a usable workspace, or a plan id is not allowed."""


class PlanError(WellplanError):
    """A plan could not be read or is not valid."""


class HistoryError(WellplanError):
    """Git history could not be read or written."""


class PdfError(WellplanError):
    """Making a PDF failed."""

    def __init__(self, message: str, returncode: int | None = None, stderr: str = "") -> None:
        super().__init__(message)
        self.returncode = returncode
        self.stderr = stderr


class BuildError(WellplanError):
    """Building the site failed."""
