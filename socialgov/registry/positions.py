"""Where each key of a TOML file is defined: dotted key → line, from a scan of TOML's grammar.

A TOML parser gives values without positions, so findings and errors need a second pass. It
reads the text the way TOML does — basic, literal and multi-line strings, comments,
arrays, inline tables, dotted and quoted keys — so text that only looks like a key inside
a multi-line string (a `notes` text with a line `owners = [...]`) is never taken for one.

Most lines are a whole statement on their own (a key with a one-line value, a table
header, a comment); one regular-expression match reads such a line. Any other statement
is read token by token. The scan runs on files tomli has already accepted, so it can
be lenient: on anything unexpected it skips to the end of the statement's line.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(
    r"""
    (?P<nl>\n)
  | (?P<ws>[ \t\r]+)
  | (?P<comment>\#[^\n]*)
  | (?P<mlbasic>\"\"\"[^"\\]*(?:(?:\\[\s\S]|"(?!""))[^"\\]*)*\"\"\"\"{0,2})
  | (?P<mlliteral>'''[\s\S]*?'''(?:''|')?)
  | (?P<basic>"[^"\\\n]*(?:\\.[^"\\\n]*)*")
  | (?P<literal>'[^'\n]*')
  | (?P<punct>[\[\]{}=,.])
  | (?P<bare>[A-Za-z0-9_-]+)
  | (?P<other>.)
    """,
    re.VERBOSE,
)

# One line that is a whole statement: blank or a comment, a table header of bare keys,
# or a bare key with a one-line value (a string, a scalar, or a flat array of them).
_BASIC = r'"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
_LITERAL = r"'[^'\n]*'"
_BARE_KEY = r"[A-Za-z0-9_-]+(?:[ \t]*\.[ \t]*[A-Za-z0-9_-]+)*"
_ITEM = rf"""(?:{_BASIC}|{_LITERAL}|[^\s"'\[\]{{}}\#,=]+)"""
_SIMPLE = re.compile(
    rf"""[ \t\r]*(?:
    \[\[[ \t]*(?P<aot>{_BARE_KEY})[ \t]*\]\]
  | \[[ \t]*(?P<table>{_BARE_KEY})[ \t]*\]
  | (?P<key>{_BARE_KEY})[ \t]*=[ \t]*
    (?:{_BASIC}|{_LITERAL}
     | [^\s"'\[\]{{}}\#,=][^\n\#"'\[\]{{}},=]*
     | \[(?:[ \t]*{_ITEM}[ \t]*,)*(?:[ \t]*{_ITEM})?[ \t]*,?[ \t]*\]
    )
  )?[ \t\r]*(?:\#[^\n]*)?(?:\n|\Z)""",
    re.VERBOSE,
)
_STRINGS = ("basic", "literal", "mlbasic", "mlliteral")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


class _Token:
    __slots__ = ("end", "kind", "line", "text")

    def __init__(self, kind: str, text: str, line: int, end: int) -> None:
        self.kind = kind
        self.text = text
        self.line = line
        self.end = end


def _bare_dotted(key: str) -> str:
    return ".".join(part.strip() for part in key.split("."))


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
        self.text = text
        self.lines: dict[str, int] = {}
        self.arrays: dict[str, list[int]] = {}
        # The tokenizer's state, for statements the one-line match does not take.
        self.tokens: list[_Token] = []
        self.i = 0
        self.pos = 0
        self.line = 1
        # Where `run` stopped: the next statement, its line, and the table it is in.
        self.resume = (0, 1, "")

    @property
    def done(self) -> bool:
        return self.resume[0] >= len(self.text)

    def run(self, until: str | None = None) -> None:
        """Scan on from where the last run stopped: to the end, or until `until` is
        recorded (its first definition: the scan goes in order, and the first wins)."""
        text, size = self.text, len(self.text)
        pos, line, table = self.resume
        while pos < size and (until is None or until not in self.lines):
            m = _SIMPLE.match(text, pos)
            if m is not None and m.end() > pos:
                if (key := m.group("key")) is not None:
                    dotted = _bare_dotted(key) if "." in key else key.strip()
                    self.record(f"{table}.{dotted}" if table else dotted, line)
                elif (name := m.group("table") or m.group("aot")) is not None:
                    table = _bare_dotted(name)
                    self.record_table(table, line, array=m.group("aot") is not None)
                pos, line = m.end(), line + 1
                continue
            self.tokens, self.i, self.pos, self.line = [], 0, pos, line
            table = self.statement(table)
            end = self.peek()  # the newline that ends the statement, or the end
            pos, line = end.end, self.line
        self.resume = (pos, line, table)
        self.tokens = []

    # --- tokens ---

    def peek(self) -> _Token:
        while self.i >= len(self.tokens):
            if self.pos >= len(self.text):
                return _Token("nl", "", self.line, len(self.text))
            m = _TOKEN.match(self.text, self.pos)
            assert m is not None  # `other` matches any character
            self.pos = m.end()
            kind = m.lastgroup or "other"
            if kind == "ws":
                continue
            value = m.group()
            self.tokens.append(_Token(kind, value, self.line, self.pos))
            if kind == "nl":
                self.line += 1
            elif kind in ("mlbasic", "mlliteral"):
                self.line += value.count("\n")
        return self.tokens[self.i]

    def at_end(self) -> bool:
        return self.i >= len(self.tokens) and self.pos >= len(self.text)

    def record(self, key: str, line: int) -> None:
        self.lines.setdefault(key, line)

    def record_table(self, table: str, line: int, *, array: bool) -> None:
        self.record(table, line)
        if array:
            self.arrays.setdefault(table, []).append(line)

    # --- grammar ---

    def statement(self, table: str) -> str:
        """One statement read token by token; returns the table it leaves current."""
        token = self.peek()
        if token.text == "[" and token.kind == "punct":
            self.i += 1
            double = self.peek().text == "["
            if double:
                self.i += 1
            parts = self.key(stop="]")
            if parts is not None:
                table = ".".join(parts)
                self.record_table(table, token.line, array=double)
        elif token.kind not in ("nl", "comment"):
            parts = self.key(stop="=")
            if parts is not None and self.peek().text == "=":
                self.i += 1
                dotted = ".".join(parts)
                full = f"{table}.{dotted}" if table else dotted
                self.record(full, token.line)
                self.value(full)
        self.skip_line()
        return table

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


class KeyLines:
    """`key_lines` of a text, scanned only as far as the keys asked for need: a finding on
    `owners` in the first line of a file does not scan the rest, and one on a top-level key
    no multi-line string or table comes before is found without a scan."""

    __slots__ = ("_scanner", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._scanner: _Scanner | None = None

    def line_of(self, *keys: str) -> int:
        """The line of the first of `keys` that the text defines, else 1."""
        for key in keys:
            scanner = self._scanner
            if scanner is None or (key not in scanner.lines and not scanner.done):
                line = _top_level_line(self._text, key)
                if line is not None:
                    return line
                if scanner is None:
                    scanner = self._scanner = _Scanner(self._text)
                scanner.run(until=key)
            if key in scanner.lines:
                return scanner.lines[key]
        return 1


_BARE_NAME = re.compile(r"[A-Za-z0-9_-]+")
_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)
_DEFINITIONS: dict[str, re.Pattern[str]] = {}


def _top_level_line(text: str, key: str) -> int | None:
    """The line of a bare top-level key, found without a scan where that is certain: at the
    start of a line `key =`, with no table header and no multi-line string before it (in a
    text TOML accepts, nothing else puts such a line at the top level, and a key is defined
    once). None: the scan decides (a quoted or dotted key, a table, text before it that
    only the grammar reads)."""
    pattern = _DEFINITIONS.get(key)
    if pattern is None:
        if not _BARE_NAME.fullmatch(key) or len(_DEFINITIONS) >= 256:
            return None
        pattern = _DEFINITIONS[key] = re.compile(rf"^[ \t]*{re.escape(key)}[ \t]*=", re.MULTILINE)
    found = pattern.search(text)
    if found is None:
        return None
    start = found.start()
    if (
        _HEADER.search(text, 0, start) is not None
        or text.find('"""', 0, start) >= 0
        or text.find("'''", 0, start) >= 0
    ):
        return None
    return text.count("\n", 0, start) + 1


def key_lines(text: str) -> dict[str, int]:
    """Dotted key (`owners`, `social.mfa`) or table (`social`) → the line that defines it.

    Keys inside an array of tables (`[[waiver]]`) are indexed under the array's name, the
    first entry's line winning, as for every key defined more than once.
    """
    scanner = _Scanner(text)
    scanner.run()
    return scanner.lines


def array_table_lines(text: str, name: str) -> list[int]:
    """The line of each `[[name]]` header, in order."""
    scanner = _Scanner(text)
    scanner.run()
    return scanner.arrays.get(name, [])
