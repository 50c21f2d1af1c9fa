"""Positions of reported nodes, paying only for the top-level statements that hold them.

libcst's PositionProvider generates the code of the whole module while recording a range
for every node — about seven times the cost of plain code generation, and for a large
file with one finding, a third of a parse. Here:

1. the reported nodes are located among the module's top-level statements (an identity
   search through the tree, stopped once every node is found);
2. the offset of each needed statement comes from the lengths of the code of the
   statements before it (plain code generation, checked against the source text);
3. PositionProvider runs on a one-statement module holding just that statement (the same
   node objects: `unsafe_skip_copy`), and its lines are shifted by where the statement
   starts. Top-level statements start at column 0, so columns need no shift.
4. A node inside a method (any member) of a top-level class goes one step further: the
   provider runs on the class holding only that member, and lines are shifted by the lines
   of the members before it — many files are one class, and a class-sized position pass
   for one finding cost almost as much as the whole file's. Members keep their
   indentation, so columns still need no shift.

If anything does not line up (the code does not reproduce the text), it falls back to
PositionProvider on the whole module, so results never depend on the shortcut.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from linter.engine.libcst_loader import cst

from linter.engine.source import SourceText
from linter.engine.walker import _child_fields

if TYPE_CHECKING:
    from libcst.metadata import CodeRange


class LazyPositions:
    def __init__(self, module: cst.Module, source: SourceText) -> None:
        self._module = module
        self._source = source
        self._top_of: dict[int, int] = {}  # id(node) -> index of its top-level statement
        self._member_of: dict[int, int] = {}  # id(node) -> index of its member of a top-level class
        self._member_lines: dict[int, list[int] | None] = {}  # class index -> lines before each member
        self._offsets: list[int] = []  # start offsets of body[0..k]
        self._next_offset: int | None = None
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

    def _offset(self, index: int) -> int | None:
        """The text offset where body[index] (its leading lines included) starts."""
        module = self._module
        if self._next_offset is None:
            self._next_offset = sum(len(module.code_for_node(line)) for line in module.header)
        while len(self._offsets) <= index:
            position = self._next_offset
            code = module.code_for_node(module.body[len(self._offsets)])
            if self._source.text[position : position + len(code)] != code:
                return None  # not a faithful round trip: use the slow, sure path
            self._offsets.append(position)
            self._next_offset = position + len(code)
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
            lines_before = self._lines_before_members(index)
            if lines_before is None:
                return None
            statement = self._module.body[index]
            block = statement.body  # type: ignore[attr-defined]
            holder = statement.with_changes(body=block.with_changes(body=[block.body[member]], footer=[]))
            start = self._offset(index)
            assert start is not None  # checked by _lines_before_members
            ranges = self._alone(holder, self._source.position(start)[0] - 1 + lines_before[member])
            self._ranges[(index, member)] = ranges
        return ranges

    def _alone(self, statement: cst.BaseStatement, shift: int) -> dict[cst.CSTNode, CodeRange]:
        """Positions of `statement` as the only statement of a module, `shift` lines down."""
        single = self._module.with_changes(body=[statement], header=[], footer=[])
        return {node: _shifted(r, shift) for node, r in positions_of(single).items() if node is not single}

    def _lines_before_members(self, index: int) -> list[int] | None:
        """For each member of the top-level class body[index]: the lines of the members before
        it. Counted from each member's own code (its indentation does not change its line
        count), and checked: the class header, the members and the footer must add up to the
        lines of the class as it stands in the text."""
        if index in self._member_lines:
            return self._member_lines[index]
        found: list[int] | None = None
        module = self._module
        statement = module.body[index]
        members = _class_members(statement)
        if members is not None and self._offset(index) is not None:
            counts = [module.code_for_node(m).count("\n") for m in members]
            block = statement.body  # type: ignore[attr-defined]
            first = statement.with_changes(body=block.with_changes(body=[members[0]], footer=[]))
            header = module.code_for_node(first).count("\n") - counts[0]
            footer = sum(module.code_for_node(line).count("\n") for line in block.footer)
            if header + sum(counts) + footer == module.code_for_node(statement).count("\n"):
                found, total = [], 0
                for count in counts:
                    found.append(total)
                    total += count
        self._member_lines[index] = found
        return found

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
            if ranges is not None and node in ranges:
                return ranges[node]
        if index is not None:
            ranges = self._statement_ranges(index)
            if ranges is not None and node in ranges:
                return ranges[node]
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
        module = self._module
        index = 0
        while index < len(module.body):
            start = self._offset(index)
            if start is None:
                return _statement_end_in(self._whole_module(), line)
            following = self._offset(index + 1) if index + 1 < len(module.body) else len(self._source.text)
            if following is None:
                return _statement_end_in(self._whole_module(), line)
            if self._source.position(max(start, following - 1))[0] >= line:
                ranges = self._statement_ranges(index)
                if ranges is None:
                    return _statement_end_in(self._whole_module(), line)
                return _statement_end_in(ranges, line)
            index += 1
        return 0


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
