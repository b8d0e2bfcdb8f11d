"""Why one query failed, and whether trying again may help."""

from __future__ import annotations

from socialgov.errors import LookupFailed


class QueryFailed(LookupFailed):
    """One query to one server failed; the pool decides whether to retry or fall back."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = False,
        retry_after: float | None = None,
        server: str | None = None,
    ) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.server = server
