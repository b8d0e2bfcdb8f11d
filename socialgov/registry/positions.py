"""Where each key of a TOML file is defined: dotted key → line, from a scan of TOML's grammar.

tomllib gives values without positions, so findings and errors need a second pass. It
tokenises the text the way TOML does — basic, literal and multi-line strings, comments,
arrays, inline tables, dotted and quoted keys — so text that only looks like a key inside
a multi-line string (a `notes` text with a line `owners = [...]`) is never taken for one. It runs
on files tomllib has already accepted, so it can be lenient: on anything unexpected it
skips to the end of the line.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
    (?P<nl>\n)
  | (?P<ws>[ \t\r]+)
  | (?P<comment>\#[^\n]*)
  | (?P<mlbasic>\"\"\"(?:[^"\\]|\\[\s\S]|"(?!""))*\"\"\"\"{0,2})
  | (?P<mlliteral>'''[\s\S]*?'''(?:''|')?)
  | (?P<basic>"(?:[^"\\\n]|\\.)*")
  | (?P<literal>'[^'\n]*')
  | (?P<punct>[\[\]{}=,.])
  | (?P<bare>[A-Za-z0-9_-]+)
  | (?P<other>.)
    """,
    re.VERBOSE,
)
_STRINGS = ("basic", "literal", "mlbasic", "mlliteral")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


class _Token:
    __slots__ = ("kind", "line", "text")

    def __init__(self, kind: str, text: str, line: int) -> None:
        self.kind = kind
        self.text = text
        self.line = line


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    line = 1
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup or "other"
        if kind == "ws":
            continue
        value = m.group()
        tokens.append(_Token(kind, value, line))
        if kind == "nl":
            line += 1
        elif kind in ("mlbasic", "mlliteral"):
            line += value.count("\n")
    tokens.append(_Token("nl", "", line))
    return tokens


def _key_part(token: _Token) -> str | None:
    if token.kind == "bare":
        return token.text
    if token.kind == "literal":
        return token.text[1:-1]
    if token.kind == "basic":
        return _ESCAPE.sub(_unescape, token.text[1:-1])
    return None


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    if code[0] in "uU":
        return chr(int(code[1:], 16))
    return _ESCAPES.get(code, code)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.i = 0
        self.lines: dict[str, int] = {}
        self.arrays: dict[str, list[int]] = {}

    def peek(self) -> _Token:
        return self.tokens[min(self.i, len(self.tokens) - 1)]

    def next(self) -> _Token:
        token = self.peek()
        self.i += 1
        return token

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def record(self, key: str, line: int) -> None:
        self.lines.setdefault(key, line)

    def run(self) -> dict[str, int]:
        table = ""
        while not self.at_end():
            token = self.peek()
            if token.kind in ("nl", "comment"):
                self.i += 1
            elif token.text == "[" and token.kind == "punct":
                self.i += 1
                double = self.peek().text == "["
                if double:
                    self.i += 1
                parts = self.key(stop="]")
                if parts is not None:
                    table = ".".join(parts)
                    self.record(table, token.line)
                    if double:
                        self.arrays.setdefault(table, []).append(token.line)
                self.skip_line()
            else:
                parts = self.key(stop="=")
                if parts is None or self.peek().text != "=":
                    self.skip_line()
                    continue
                self.i += 1
                dotted = ".".join(parts)
                full = f"{table}.{dotted}" if table else dotted
                self.record(full, token.line)
                self.value(full)
                self.skip_line()
        return self.lines

    def key(self, stop: str) -> list[str] | None:
        """A (dotted) key up to `stop` (not consumed); None when the tokens are not a key."""
        parts: list[str] = []
        while True:
            part = _key_part(self.peek())
            if part is None:
                return None
            parts.append(part)
            self.i += 1
            following = self.peek()
            if following.text == "." and following.kind == "punct":
                self.i += 1
                continue
            return parts if following.text == stop else None

    def value(self, dotted: str) -> None:
        """Skip one value; record the keys of inline tables under `dotted`."""
        token = self.peek()
        if token.kind == "punct" and token.text == "[":
            self.i += 1
            while not self.at_end():
                self.skip_blank()
                closing = self.peek()
                if closing.text == "]" and closing.kind == "punct":
                    self.i += 1
                    return
                self.value("")
                self.skip_blank()
                if self.peek().text == ",":
                    self.i += 1
            return
        if token.kind == "punct" and token.text == "{":
            self.i += 1
            while not self.at_end():
                inner = self.peek()
                if inner.text == "}" and inner.kind == "punct":
                    self.i += 1
                    return
                if inner.text == "," and inner.kind == "punct":
                    self.i += 1
                    continue
                if inner.kind == "nl":
                    return  # not valid TOML: leave it to the caller's skip
                parts = self.key(stop="=")
                if parts is None:
                    self.i += 1
                    continue
                self.i += 1
                name = ".".join(parts)
                full = f"{dotted}.{name}" if dotted else ""
                if full:
                    self.record(full, inner.line)
                self.value(full)
            return
        # A scalar: one string, or words up to the end of the value (dates with a space,
        # times with colons, signed numbers).
        while not self.at_end():
            token = self.peek()
            if token.kind in ("nl", "comment") or (token.kind == "punct" and token.text in ",]}"):
                return
            self.i += 1
            if token.kind in _STRINGS:
                return

    def skip_blank(self) -> None:
        while not self.at_end() and self.peek().kind in ("nl", "comment"):
            self.i += 1

    def skip_line(self) -> None:
        while not self.at_end() and self.peek().kind != "nl":
            self.i += 1


def key_lines(text: str) -> dict[str, int]:
    """Dotted key (`owners`, `social.mfa`) or table (`social`) → the line that defines it.

    Keys inside an array of tables (`[[waiver]]`) are indexed under the array's name, the
    first entry's line winning, as for every key defined more than once.
    """
    return _Scanner(text).run()


def array_table_lines(text: str, name: str) -> list[int]:
    """The line of each `[[name]]` header, in order."""
    scanner = _Scanner(text)
    scanner.run()
    return scanner.arrays.get(name, [])
