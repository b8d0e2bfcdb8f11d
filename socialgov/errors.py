"""The socialgov error family: every expected failure, with the exit code it maps to."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
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


class InvalidFiles(InputError):
    """Several registry files (or several places in one) are invalid: every error of one load.

    It is an InputError about the first, so code that reports one error still works; the
    reporters list them all.
    """

    def __init__(self, errors: list[InputError]) -> None:
        first = errors[0]
        super().__init__(first.detail, file=first.file, line=first.line, column=first.column)
        self.errors = tuple(errors)
        self.hint = first.hint
        self.message = "\n".join(str(e) for e in self.errors)
        if len(self.errors) > 1:
            self.message = f"{len(self.errors)} invalid places in the registry:\n{self.message}"

    def __str__(self) -> str:
        return self.message


def each_error(error: InputError) -> tuple[InputError, ...]:
    """The single errors an InputError stands for."""
    return error.errors if isinstance(error, InvalidFiles) else (error,)


class ErrorCollector:
    """Collects InputErrors during a load so one run reports every invalid file."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []

    @contextlib.contextmanager
    def collect(self) -> Iterator[None]:
        try:
            yield
        except InputError as exc:
            self.errors.extend(each_error(exc))

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise InvalidFiles(self.errors)
