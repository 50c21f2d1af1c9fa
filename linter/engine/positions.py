"""Positions of reported nodes, paying only for the top-level statements that hold them.

libcst's PositionProvider generates the code of the whole module while recording a range
for every node — about seven times the cost of plain code generation, and for a large
file with one finding, a third of a parse. Here:

1. the reported nodes are located among the module's top-level statements (an identity
   search through the tree, stopped once every node is found);
2. the line where each statement starts is read off CPython's own AST of the text (a
   tenth of a libcst parse, and only for files with findings), less the comment and blank
   lines libcst counts as the statement's own; no code is generated for the statements
   before it. The statement's own code is checked against the text at that line;
3. PositionProvider runs on a one-statement module holding just that statement (the same
   node objects: `unsafe_skip_copy`), and its lines are shifted by where the statement
   starts. Top-level statements start at column 0, so columns need no shift.
4. A node inside a method (any member) of a top-level class goes one step further: the
   provider runs on the class holding only that member, and lines are shifted by where the
   member starts (the AST again; checked against the member's own line count and the
   class header's) — many files are one class, and a class-sized position pass for one
   finding cost almost as much as the whole file's. Members keep their indentation, so
   columns still need no shift.

If anything does not line up (the two parsers disagree, or the code does not reproduce
the text), it falls back to PositionProvider on the whole module, so results never depend
on the shortcut.
"""

from __future__ import annotations

import ast
import bisect
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from linter.engine.libcst_loader import cst

from linter.engine.source import NEWLINE_RE, SourceText
from linter.engine.walker import _child_fields

if TYPE_CHECKING:
    from libcst.metadata import CodeRange


class LazyPositions:
    def __init__(self, module: cst.Module, source: SourceText) -> None:
        self._module = module
        self._source = source
        self._top_of: dict[int, int] = {}  # id(node) -> index of its top-level statement
        self._member_of: dict[int, int] = {}  # id(node) -> index of its member of a top-level class
        self._offsets: dict[int, int | None] = {}  # statement index -> its checked start offset
        #: first line of each top-level statement, its leading lines included, and the AST
        #: statement that begins each (None: the AST could not tell)
        self._lines: tuple[list[int], list[ast.stmt]] | None = None
        self._lines_done = False
        #: statement index, or (class index, member index) -> {node: CodeRange} (shifted)
        self._ranges: dict[Any, Any] = {}
        self._whole: Any = None

    # --- where things are -----------------------------------------------------------------
    def locate(self, nodes: list[cst.CSTNode]) -> None:
        """Find the top-level statement of each node (one pass, stopped when all are found)."""
        wanted = {id(node) for node in nodes} - set(self._top_of)
        if not wanted:
            return
        for index, statement in enumerate(self._module.body):
            members = _class_members(statement)
            stack: list[Any] = [(statement, None)]
            while stack:
                node, member = stack.pop()
                if id(node) in wanted:
                    self._top_of[id(node)] = index
                    if member is not None:
                        self._member_of[id(node)] = member
                    wanted.discard(id(node))
                    if not wanted:
                        return
                if members is not None and node is statement.body:  # type: ignore[attr-defined]
                    stack.extend((child, m) for m, child in enumerate(members))
                    continue
                for name in _child_fields(type(node)):
                    value = getattr(node, name)
                    if isinstance(value, (list, tuple)):
                        stack.extend((v, member) for v in value if isinstance(v, cst.CSTNode))
                    elif isinstance(value, cst.CSTNode):
                        stack.append((value, member))
        # a node outside the body (a header comment?): the whole-module fallback finds it

    def _start_lines(self) -> tuple[list[int], list[ast.stmt]] | None:
        """(first line, AST statement) of each top-level statement; None where CPython's parser
        fails or its statements do not pair with libcst's (a line of `a; b` is one libcst
        statement and two AST ones)."""
        if not self._lines_done:
            self._lines_done = True
            self._lines = _pair_lines(self._module.body, self._source, None)
        return self._lines

    def _offset(self, index: int) -> int | None:
        """The text offset where body[index] (its leading lines included) starts, checked:
        its code is the text there, and it ends where the next statement starts."""
        if index not in self._offsets:
            found = None
            lines = self._start_lines()
            if lines is not None:
                starts = lines[0]
                source = self._source
                start = source.offset(starts[index], 0)
                code = self._module.code_for_node(self._module.body[index])
                end = start + len(code)
                if source.text[start:end] == code and (
                    index + 1 == len(starts) or source.offset(starts[index + 1], 0) == end
                ):
                    found = start
            self._offsets[index] = found
        return self._offsets[index]

    def _statement_ranges(self, index: int) -> Any:
        ranges = self._ranges.get(index)
        if ranges is None:
            start = self._offset(index)
            if start is None:
                return None
            ranges = self._alone(self._module.body[index], self._source.position(start)[0] - 1)
            self._ranges[index] = ranges
        return ranges

    def _member_ranges(self, index: int, member: int) -> Any:
        ranges = self._ranges.get((index, member))
        if ranges is None:
            statement = self._module.body[index]
            block = statement.body  # type: ignore[attr-defined]
            holder = statement.with_changes(body=block.with_changes(body=[block.body[member]], footer=[]))
            found = self._member_start(index, member)
            if found is None:
                return None
            start, header = found
            # in `holder` the member follows the class header, which starts on line 1
            ranges = self._alone(holder, start - 1 - header)
            self._ranges[(index, member)] = ranges
        return ranges

    def _member_start(self, index: int, member: int) -> tuple[int, int] | None:
        """(first line, lines of the class header) of member `member` of the class
        body[index], its leading lines included; None unless the AST and libcst agree on the
        class, on where its header ends, and on the member's length."""
        lines = self._start_lines()
        if lines is None:
            return None
        starts, firsts = lines
        statement = self._module.body[index]
        node = firsts[index]
        members = _class_members(statement)
        if members is None or not isinstance(node, ast.ClassDef) or node.name != statement.name.value:  # type: ignore[attr-defined]
            return None
        paired = _pair_lines(members, self._source, node.body)
        if paired is None:
            return None
        member_starts = paired[0]
        code = self._module.code_for_node(members[member])
        if not self._same_lines(member_starts[member], code):
            return None
        length = code.count("\n")
        header = self._header_lines(statement)
        if member_starts[0] - starts[index] != header:
            return None
        if member + 1 < len(members):
            if member_starts[member] + length != member_starts[member + 1]:
                return None
        elif index + 1 < len(starts):
            footer = len(statement.body.footer)  # type: ignore[attr-defined]
            if member_starts[member] + length + footer != starts[index + 1]:
                return None
        return member_starts[member], header

    def _same_lines(self, line: int, code: str) -> bool:
        """Whether the text from `line` on is `code`, line by line, but for indentation (a
        class member's code is generated without its block's indent)."""
        source = self._source
        code_lines = NEWLINE_RE.split(code)
        if code_lines[-1] == "":
            code_lines.pop()  # the code ends with its newline
        for offset, code_line in enumerate(code_lines):
            if source.line(line + offset).strip() != code_line.strip():
                return False
        return True

    def _header_lines(self, statement: cst.CSTNode) -> int:
        """The lines of a class statement before its first member: its leading lines,
        decorators and `class` line(s), counted on the class with one `pass` for a body."""
        block = statement.body  # type: ignore[attr-defined]
        stub = statement.with_changes(body=block.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])], footer=[]))
        return self._module.code_for_node(stub).count("\n") - 1

    def _alone(self, statement: cst.BaseStatement, shift: int) -> _Moved:
        """Positions of `statement` as the only statement of a module, `shift` lines down."""
        single = self._module.with_changes(body=[statement], header=[], footer=[])
        return _Moved(positions_of(single), shift, single)

    def _whole_module(self) -> Any:
        if self._whole is None:
            self._whole = positions_of(self._module)
        return self._whole

    # --- what findings ask --------------------------------------------------------------
    def range_of(self, node: cst.CSTNode) -> CodeRange | None:
        index = self._top_of.get(id(node))
        member = self._member_of.get(id(node))
        if index is not None and member is not None:
            ranges = self._member_ranges(index, member)
            found = ranges.get(node) if ranges is not None else None
            if found is not None:
                return found
        if index is not None:
            ranges = self._statement_ranges(index)
            found = ranges.get(node) if ranges is not None else None
            if found is not None:
                return found
        return self._whole_module().get(node)

    # a read-only mapping view (node -> CodeRange), for code written against PositionProvider
    def __contains__(self, node: object) -> bool:
        return isinstance(node, cst.CSTNode) and self.range_of(node) is not None

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        code_range = self.range_of(node)
        if code_range is None:
            raise KeyError(node)
        return code_range

    def statement_end(self, line: int) -> int:
        """The last line of the innermost simple statement that spans `line` (0 if none)."""
        lines = self._start_lines()
        if lines is None:
            return _statement_end_in(self._whole_module(), line)
        # the statement that holds `line`: the last one starting on or before it
        index = max(0, bisect.bisect_right(lines[0], line) - 1)
        if index >= len(self._module.body):
            return 0
        ranges = self._statement_ranges(index)
        if ranges is None:
            return _statement_end_in(self._whole_module(), line)
        return ranges.statement_end(line)


class _Moved:
    """The ranges of a statement's nodes as PositionProvider computed them with the statement
    alone, moved `shift` lines down as they are read (a file's findings read a few of its
    nodes; moving them all cost more than the lookups)."""

    __slots__ = ("_ranges", "_shift", "_holder")

    def __init__(self, ranges: Mapping[cst.CSTNode, CodeRange], shift: int, holder: cst.CSTNode) -> None:
        self._ranges = ranges
        self._shift = shift
        self._holder = holder  # the one-statement module: not a node of the real one

    def get(self, node: cst.CSTNode) -> CodeRange | None:
        found = self._ranges.get(node)
        if found is None or node is self._holder:
            return None
        return _shifted(found, self._shift)

    def statement_end(self, line: int) -> int:
        end = _statement_end_in(self._ranges, line - self._shift)
        return end + self._shift if end else 0


def _at_line(source: SourceText, line: int) -> int:
    """The line of the `@` of a decorator whose expression starts on `line`: the same one,
    unless the `@` stands before a parenthesis or a backslash on an earlier line."""
    while line > 1 and not source.line(line).lstrip().startswith("@"):
        line -= 1
    return line


def _pair_lines(
    statements: Sequence[cst.CSTNode], source: SourceText, body: list[ast.stmt] | None
) -> tuple[list[int], list[ast.stmt]] | None:
    """(first line, first AST statement) of each libcst statement, from `body` (default: the
    AST of the whole text): a libcst line of `a; b` holds two AST statements; a decorated
    definition starts at the `@` of its first decorator; the statement's leading comment
    and blank lines (one line each) come before. None if CPython cannot parse the text or the two
    lists of statements do not pair up."""
    if body is None:
        try:
            body = source.python_tree().body
        except (SyntaxError, ValueError, OverflowError, RecursionError, MemoryError):
            return None
    lines: list[int] = []
    firsts: list[ast.stmt] = []
    position = 0
    for statement in statements:
        if position >= len(body):
            return None
        first = body[position]
        decorators = getattr(first, "decorator_list", ())
        line = _at_line(source, decorators[0].lineno) if decorators else first.lineno
        lines.append(line - len(statement.leading_lines))  # type: ignore[attr-defined]
        firsts.append(first)
        position += len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
    if position != len(body):
        return None
    return lines, firsts


def positions_of(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """PositionProvider's ranges for every node of `module`, computed by the provider itself
    rather than through MetadataWrapper: the wrapper also runs a batched visit of the whole
    tree for batchable providers even when there are none, and libcst's visit rebuilds every
    node — as costly as the positions themselves. A libcst whose internals differ gets the
    public way."""
    metadata = cst.metadata
    provider = metadata.PositionProvider()
    try:
        provider._gen_impl(module)
        return provider._computed
    except AttributeError:
        return metadata.MetadataWrapper(module, unsafe_skip_copy=True).resolve(metadata.PositionProvider)


def _class_members(statement: cst.CSTNode) -> Sequence[cst.BaseStatement] | None:
    """The members of a class statement with an indented body, else None."""
    if isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock) and statement.body.body:
        return statement.body.body
    return None


def _shifted(code_range: CodeRange, lines: int) -> CodeRange:
    if not lines:
        return code_range
    start, end = code_range.start, code_range.end
    return cst.metadata.CodeRange((start.line + lines, start.column), (end.line + lines, end.column))


def _statement_end_in(ranges: Any, line: int) -> int:
    best = 0
    for node, code_range in ranges.items():
        if isinstance(node, cst.SimpleStatementLine) and code_range.start.line <= line <= code_range.end.line:
            if best == 0 or code_range.end.line < best:
                best = code_range.end.line
    return best
