"""One walk of a libcst tree that dispatches every node to every interested visitor.

libcst's own `CSTNode.visit` rebuilds each node after visiting its children (it is shared
with transformers), which makes a read-only walk cost about as much as the parse. This
walker only reads: it follows each node type's dataclass fields, precomputed once per
type, skips pure trivia (whitespace, commas, parentheses, operator tokens — rules read
those off their parent node when they need them), and is iterative, so 10,000-deep
expressions cannot exhaust the Python stack.

Visitors are plain objects with `visit_<NodeType>(node)` and `leave_<NodeType>(node)`
methods, as in libcst and Fixit. A `visit_` method that returns False skips the node's
children for every visitor — it is reserved to the engine's own trackers, and rules
should not use it. A visitor that needs none of one method's calls in this file (it
knows from the file's text that they cannot matter) sets that name to None on itself
before the walk: the walk then neither calls it nor, for a leaf such as a Name that no
other visitor handles, visits the node at all.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from linter.engine.libcst_loader import cst

# Field names that only ever hold trivia: never a node a rule wants to see.
_TRIVIA_FIELDS = frozenset(
    {
        "lpar",
        "rpar",
        "comma",
        "semicolon",
        "colon",
        "equal",
        "dot",
        "star",
        "walrus",
        "arrow",
        "lbracket",
        "rbracket",
        "lbrace",
        "rbrace",
        "leading_lines",
        "lines_after_decorators",
        "trailing_whitespace",
        "header",
        "footer",
        "operator",
        "asynchronous",
        "whitespace_before_colon",
        "whitespace_after_at",
        "whitespace_before_params",
        "whitespace_after_def",
        "whitespace_after_class",
        "whitespace_after_import",
        "whitespace_before_import",
        "whitespace_after_from",
        "whitespace_after_as",
        "whitespace_before_as",
        "whitespace_after_await",
        "whitespace_after_in",
        "whitespace_before_in",
        "whitespace_after_for",
        "whitespace_before_for",
        "whitespace_after_if",
        "whitespace_before_if",
        "whitespace_after_lambda",
        "whitespace_after_return",
        "whitespace_after_with",
        "whitespace_after_del",
        "whitespace_after_assert",
        "whitespace_after_raise",
        "whitespace_before_from",
        "whitespace_after_global",
        "whitespace_after_nonlocal",
        "whitespace_after_while",
        "whitespace_after_elif",
        "whitespace_before_else",
        "whitespace_after_else",
        "whitespace_after_match",
        "whitespace_after_case",
        "whitespace_after_type",
        "whitespace_before_indicator",
        "whitespace_after_indicator",
        "whitespace_after_arg",
        "whitespace_after_star",
        "whitespace_after_param",
        "whitespace_after_kwarg",
        "whitespace_before_value",
        "whitespace_after_func",
        "whitespace_before_args",
        "whitespace_after_dot",
        "whitespace_before_dot",
        "whitespace_after_bracket",
        "whitespace_before_closing_bracket",
        "whitespace_after_expression",
        "whitespace_before_expression",
        "whitespace_before_conversion",
        "whitespace_before_whitespace",
        "whitespace_after_colon",
        "whitespace_before_else_expr",
    }
)

_FIELDS_CACHE: dict[type, tuple[str, ...]] = {}


def _child_fields(node_type: type) -> tuple[str, ...]:
    fields = _FIELDS_CACHE.get(node_type)
    if fields is None:
        fields = tuple(
            f.name
            for f in dataclasses.fields(node_type)
            if f.name not in _TRIVIA_FIELDS and not f.name.startswith("whitespace")
        )
        _FIELDS_CACHE[node_type] = fields
    return fields


@functools.cache
def _reversed_fields(node_type: type) -> tuple[str, ...]:
    return tuple(reversed(_child_fields(node_type)))


def iter_children(node: cst.CSTNode) -> Iterable[cst.CSTNode]:
    """The non-trivia children of `node`, in field (close to lexical) order."""
    for name in _child_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, cst.CSTNode):
            yield value
        elif isinstance(value, (list, tuple)):
            for item in value:
                if isinstance(item, cst.CSTNode):
                    yield item


Handler = Callable[[Any], Any]

@functools.cache
def _leaf_types() -> frozenset[type]:
    """Node types whose non-trivia fields never hold a node (a Name's `value` is a str).
    Built on first use, not at import: libcst is imported when a file needs it."""
    return frozenset(
        {cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString, cst.FormattedStringText, cst.Ellipsis}
    )


#: (visitor class, node type) -> the names of its visit and of its leave methods for that
#: type; shared by every file of a process, so a file only binds methods, it never searches
#: MROs, and a new combination of visitors (a file where other rules fire) only joins these
_HANDLES: dict[tuple[type, type], tuple[tuple[str, ...], tuple[str, ...]]] = {}

#: visitor class -> the names of its visit_/leave_ methods (one `dir` per class, rather
#: than a `hasattr` per node type, base class and prefix)
_HANDLER_NAMES: dict[type, frozenset[str]] = {}


def _handles(visitor_type: type, node_type: type) -> tuple[tuple[str, ...], tuple[str, ...]]:
    key = (visitor_type, node_type)
    found = _HANDLES.get(key)
    if found is None:
        handlers = _HANDLER_NAMES.get(visitor_type)
        if handlers is None:
            handlers = _HANDLER_NAMES[visitor_type] = frozenset(
                name for name in dir(visitor_type) if name.startswith(("visit_", "leave_"))
            )
        found = _HANDLES[key] = tuple(
            tuple(prefix + klass.__name__ for klass in node_type.__mro__ if prefix + klass.__name__ in handlers)
            for prefix in ("visit_", "leave_")
        )  # type: ignore[assignment]
    return found  # type: ignore[return-value]


#: visitor types -> node type -> its plan (Dispatcher._make_plan)
_PLANS: dict[tuple[type, ...], dict[type, Any]] = {}
_SEQUENCE = "sequence"  # the table value for list and tuple: look inside
_NOT_A_NODE = "not a node"  # the table value for str, None, ...: nothing to walk


class Dispatcher:
    """Collects `visit_X` / `leave_X` methods of many visitors into one table per node type.

    The walk is the hottest loop of a run, so it is written for speed: one table lookup
    per value gives its visit handlers, leave handlers and child fields (or says it is a
    sequence, or not a node — libcst's CSTNode is an ABC, so `isinstance` is slow); a node
    without leave handlers pushes no leave marker; a leaf (a Name, a number, a string) that
    nobody handles is not pushed at all. Which visitor handles which node type is worked
    out once per process for each combination of visitor types.
    """

    def __init__(self, visitors: Sequence[object]) -> None:
        self._visitors = list(visitors)
        types = tuple(type(v) for v in self._visitors)
        self._plan = _PLANS.setdefault(types, {})
        self._types = types
        self._table: dict[type, Any] = {tuple: _SEQUENCE, list: _SEQUENCE}

    def _entry(self, node_type: type) -> Any:
        """This file's table entry for `node_type`: its handlers bound to this file's
        visitors, built from the per-process plan."""
        plan = self._plan.get(node_type)
        if plan is None:
            plan = self._plan[node_type] = self._make_plan(node_type)
        if plan is _NOT_A_NODE:
            entry: Any = _NOT_A_NODE
        else:
            visit_plan, leave_plan, fields, leaf = plan
            visitors = self._visitors
            # most node types have no handler at all: no generator for them
            visit = tuple(h for i, name in visit_plan if (h := getattr(visitors[i], name)) is not None) if visit_plan else ()
            leave = tuple(h for i, name in leave_plan if (h := getattr(visitors[i], name)) is not None) if leave_plan else ()
            entry = (visit, leave, fields, bool(visit or leave) or not leaf)
        self._table[node_type] = entry
        return entry

    def _make_plan(self, node_type: type) -> Any:
        """(visit methods, leave methods, child fields in reverse, is a leaf) for `node_type`,
        the methods as (visitor index, name); or _NOT_A_NODE."""
        # the MRO, not issubclass: CSTNode is an ABC, whose check of a type that is not a
        # node (str, None, a sentinel) visits every one of its subclasses
        if cst.CSTNode not in node_type.__mro__:
            return _NOT_A_NODE
        visit: list[tuple[int, str]] = []
        leave: list[tuple[int, str]] = []
        for i, visitor_type in enumerate(self._types):
            visit_names, leave_names = _handles(visitor_type, node_type)
            if visit_names:
                visit.extend((i, name) for name in visit_names)
            if leave_names:
                leave.extend((i, name) for name in leave_names)
        return tuple(visit), tuple(leave), _reversed_fields(node_type), node_type in _leaf_types()

    def walk(self, root: cst.CSTNode) -> None:
        # The stack holds nodes to enter, and (node,) tuples to leave.
        stack: list[Any] = [root]
        pop, push = stack.pop, stack.append
        table = self._table
        get = table.get
        make_entry = self._entry
        while stack:
            node = pop()
            node_type = node.__class__
            if node_type is tuple:
                for handler in table[node[0].__class__][1]:
                    handler(node[0])
                continue
            entry = get(node_type)
            if entry is None:
                entry = make_entry(node_type)
            visit, leave, fields, _ = entry
            descend = True
            for handler in visit:
                if handler(node) is False:
                    descend = False
            if leave:
                push((node,))
            if not descend:
                continue
            # children in reverse, so that they pop in field (close to lexical) order
            for name in fields:
                value = getattr(node, name)
                kind = get(value.__class__)
                if kind is None:
                    kind = make_entry(value.__class__)
                if kind is _NOT_A_NODE:
                    continue
                if kind is _SEQUENCE:
                    for item in reversed(value):
                        item_kind = get(item.__class__)
                        if item_kind is None:
                            item_kind = make_entry(item.__class__)
                        if item_kind.__class__ is tuple and item_kind[3]:
                            push(item)
                elif kind[3]:
                    push(value)
