"""The socialgov error family: every expected failure, with the exit code it maps to."""

from __future__ import annotations

from pathlib import Path


class SocialgovError(Exception):
    """An expected failure that the CLI reports in one paragraph, without a traceback."""

    exit_code = 2

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\nhint: {self.hint}"


class UsageError(SocialgovError):
    """Bad command-line usage: an unknown id, a malformed key=value, a bad date."""


class InputError(SocialgovError):
    """A registry, policy, waiver or input file is invalid; names file:line:col."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | str,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ) -> None:
        self.file = str(file)
        self.line = line
        self.column = column
        where = self.file
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        super().__init__(f"{where}: {message}", hint=hint)
        self.detail = message


class LookupFailed(SocialgovError):
    """A lookup that was required failed (exit 3)."""

    exit_code = 3


class GitError(SocialgovError):
    """git refused: a lock is held, a file has uncommitted edits, a revision is unknown (exit 3)."""

    exit_code = 3
