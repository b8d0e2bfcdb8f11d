"""Files parsed as they are read, on all cores when there are many.

A cold registry of 100,000 asset files (and as many observation files) is mostly TOML to
parse, in pure Python. `ParsePool` hands each file to a parse function as the caller reads
it: past PARALLEL_MIN expected files, in chunks sent to forked worker processes as soon as
they fill, so the caller goes on reading while the workers parse. The outcomes are taken
in the order the files were added, so the result — values, errors and their order — is the
serial path's, which runs the same function in the caller's process.

A parse function is module-level (workers find it by name), takes the pool's `context` (a
picklable value: the Files the workers read through, say), a path and its bytes (None when
the function reads the file itself, in the worker), and returns a picklable value, or an
InputError as `error_fields` (its keyword-only fields do not pickle).
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

from socialgov.errors import InputError

PARALLEL_MIN = 3000
_CHUNK = 500

ErrorFields = tuple[str, str, int | None, int | None, str | None]


def error_fields(error: InputError) -> ErrorFields:
    return (error.detail, error.file, error.line, error.column, error.hint)


def error_from(fields: ErrorFields) -> InputError:
    detail, file, line, column, hint = fields
    return InputError(detail, file=file, line=line, column=column, hint=hint)


Parse = Callable[[Any, str, bytes | None], Any]


def _parse_chunk(parse: Parse, context: Any, items: list[tuple[str, bytes | None]]) -> Any:
    outcomes = [parse(context, rel, raw) for rel, raw in items]
    try:
        # Plain values (dicts, lists, text, numbers) travel back twice as fast by marshal
        # as by pickle, on both sides; marshal refuses anything else, which pickle takes.
        return _Marshalled(marshal.dumps(outcomes))
    except ValueError:
        return outcomes


class _Marshalled(bytes):
    """A chunk's outcomes as marshal bytes (made and read by this same program)."""


def _outcomes(chunk: Any) -> list[Any]:
    return marshal.loads(chunk) if isinstance(chunk, _Marshalled) else chunk


class ParsePool:
    """`parse` over the files added, in order (see the module's documentation)."""

    def __init__(self, parse: Parse, expected: int, context: Any = None) -> None:
        self.parse = parse
        self.context = context
        self.parallel = expected >= PARALLEL_MIN and min(os.cpu_count() or 1, 8) > 1
        self.added: list[tuple[str, Any]] = []  # (path, the caller's tag), in order
        self.pending: list[tuple[str, bytes | None]] = []
        self.futures: list[Any] = []
        self.pool: Any = None

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:
            self.pool.shutdown(cancel_futures=True)
            self.pool = None

    def add(self, rel: str, raw: bytes | None, tag: Any = None) -> None:
        self.added.append((rel, tag))
        self.pending.append((rel, raw))
        if self.parallel and len(self.pending) >= _CHUNK:
            self._submit()

    def _submit(self) -> None:
        if self.pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from socialgov.registry.content_cache import before_fork

            before_fork()
            workers = min(os.cpu_count() or 1, 8)
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else None)
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
        self.futures.append(self.pool.submit(_parse_chunk, self.parse, self.context, self.pending))
        self.pending = []

    def _chunks(self) -> Iterator[list[Any]]:
        """Each chunk's outcomes, in order; a chunk's future is let go once it is read (its
        marshal bytes are not kept until the last chunk is)."""
        futures, self.futures = self.futures[::-1], []
        while futures:
            yield _outcomes(futures.pop().result())

    def results(self) -> Iterator[tuple[str, Any, Any]]:
        """Each file added: its path, its tag and what `parse` made of it."""
        if self.futures and self.pending:
            self._submit()
        outcomes: Iterator[Any]
        if self.futures:
            outcomes = (o for chunk in self._chunks() for o in chunk)
        else:
            outcomes = (self.parse(self.context, rel, raw) for rel, raw in self.pending)
        for (rel, tag), outcome in zip(self.added, outcomes, strict=True):
            yield rel, tag, outcome
