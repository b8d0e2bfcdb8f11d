"""Read an input file of `discover` as text: a missing file is a usage error, bad UTF-8 an
input error at the line of the offending byte."""

from __future__ import annotations

from pathlib import Path

from socialgov.errors import InputError, UsageError


def read_text(path: Path, *, encoding: str = "utf-8", hint: str | None = None) -> str:
    shown = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {shown}: {exc.strerror}") from None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
            file=shown,
            line=raw[: exc.start].count(b"\n") + 1,
            hint=hint,
        ) from None
