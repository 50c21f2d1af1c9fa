"""Reading source bytes into text, and mapping offsets to lines and columns."""

from __future__ import annotations

import ast
import bisect
import codecs
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# PEP 263: a coding cookie on line 1 or 2, in a comment.
_CODING_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)")
NEWLINE_RE = re.compile(r"\r\n|\r|\n")


NOTEBOOK_SUFFIX = ".ipynb"


def is_notebook(path: str) -> bool:
    """Whether `path` names a Jupyter notebook (analyzed as the module of its code cells)."""
    return path.lower().endswith(NOTEBOOK_SUFFIX)


class DecodeError(Exception):
    """The bytes are not text in the encoding the file declares (or UTF-8)."""


def decode_source(data: bytes) -> str:
    """Decode Python source bytes as the interpreter would (PEP 263, UTF-8 BOM).

    Raises DecodeError with a reason a user can act on.
    """
    if b"\x00" in data:
        raise DecodeError("file contains NUL bytes (binary file?)")
    encoding = "utf-8"
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8) :]
    for line in data.split(b"\n", 2)[:2]:
        match = _CODING_RE.match(line)
        if match:
            encoding = match.group(1).decode("ascii", "replace")
            break
        if line.strip() and not line.lstrip().startswith(b"#"):
            break  # the cookie may only follow comment or blank lines
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r} in the coding declaration") from None
    if bom and codec.name != "utf-8":
        raise DecodeError(f"UTF-8 byte-order mark conflicts with the declared encoding {encoding!r}")
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DecodeError(f"cannot decode line {line} as {codec.name}: {exc.reason}") from None


@dataclass
class SourceText:
    """Decoded text with a line index. Lines are split the way Python's tokenizer does."""

    text: str
    _starts: list[int] = field(default_factory=list, repr=False)
    #: CPython's AST of the text, or the error compiling it raised (python_tree)
    _python: Any = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        starts = [0]
        starts.extend(m.end() for m in NEWLINE_RE.finditer(self.text))
        self._starts = starts

    def python_tree(self) -> ast.Module:
        """CPython's AST of the text (`compile_quietly`), parsed at most once per file: the
        pre-parse check, the syntax-error report and the positions of findings all ask.
        Raises, every time, what compiling raised."""
        if self._python is None:
            try:
                self._python = compile_quietly(self.text)
            except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError) as exc:
                self._python = exc
        if isinstance(self._python, BaseException):
            raise self._python
        return self._python

    @property
    def line_count(self) -> int:
        return len(self._starts)

    def line(self, number: int) -> str:
        """The text of 1-based line `number`, without its newline ('' when out of range)."""
        if number < 1 or number > len(self._starts):
            return ""
        start = self._starts[number - 1]
        end = self._starts[number] if number < len(self._starts) else len(self.text)
        return self.text[start:end].rstrip("\r\n")

    def offset(self, line: int, column: int) -> int:
        """The character offset of 1-based `line`, 0-based `column` (the inverse of position)."""
        if line > len(self._starts):
            return len(self.text)
        return min(self._starts[max(1, line) - 1] + column, len(self.text))

    def position(self, offset: int) -> tuple[int, int]:
        """(1-based line, 0-based column) of a character offset."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index + 1, offset - self._starts[index]


def compile_quietly(text: str) -> ast.Module:
    """CPython's parser, AST only, without echoing the scanned code's SyntaxWarnings
    (`1(2)`, invalid escapes) to the user's terminal. Raises what `compile` raises."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return compile(text, "<ailint>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)


def string_literals(tree: ast.AST) -> Iterator[str | None]:
    """The values of the string literals in CPython's tree of a module, as libcst's
    `semantics.literal_string` reads them: each literal (an implicit concatenation is one,
    as CPython joins it), each run of two or more literals joined by `+`, bytes read as
    latin-1. None stands for an f-string without fields, which CPython evaluates (escapes,
    `{{`) and libcst does not. A literal inside a concatenation has its value inside the
    concatenation's; the f-strings of format specs (`f"{x:>10}"`) are not literals.
    """
    joined: set[int] = set()  # `+` operations read as part of a larger one
    specs: set[int] = set()
    for node in ast.walk(tree):  # breadth first: a node comes before its children
        kind = type(node)
        if kind is ast.Constant:
            value = _string_value(node)
            if value is not None:
                yield value
        elif kind is ast.BinOp:
            if type(node.op) is ast.Add and id(node) not in joined:  # type: ignore[attr-defined]
                yield from _joined_runs(node, joined)  # type: ignore[arg-type]
        elif kind is ast.JoinedStr:
            if id(node) not in specs and all(type(part) is ast.Constant for part in node.values):  # type: ignore[attr-defined]
                yield None
        elif kind is ast.FormattedValue and node.format_spec is not None:  # type: ignore[attr-defined]
            specs.add(id(node.format_spec))  # type: ignore[attr-defined]


def _string_value(node: ast.AST) -> str | None:
    if type(node) is ast.Constant:
        value = node.value  # type: ignore[attr-defined]
        if isinstance(value, str):
            return value
        if isinstance(value, bytes):
            return value.decode("latin-1")
    return None


def _joined_runs(top: ast.BinOp, joined: set[int]) -> Iterator[str]:
    """The runs of literals among the operands of a tree of `+` operations, in order.
    Iterative: a chain of thousands of `+` cannot exhaust the stack."""
    run: list[str] = []
    stack: list[ast.AST] = [top]
    while stack:
        current = stack.pop()
        if type(current) is ast.BinOp and type(current.op) is ast.Add:  # type: ignore[attr-defined]
            joined.add(id(current))
            stack.append(current.right)  # type: ignore[attr-defined]
            stack.append(current.left)  # type: ignore[attr-defined]
            continue
        value = _string_value(current)
        if value is not None:
            run.append(value)
            continue
        if len(run) > 1:
            yield "".join(run)
        run = []
    if len(run) > 1:
        yield "".join(run)
