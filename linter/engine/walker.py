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
should not use it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import libcst as cst

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


class Dispatcher:
    """Collects `visit_X` / `leave_X` methods of many visitors into one table per node type."""

    def __init__(self, visitors: Sequence[object]) -> None:
        self._visitors = list(visitors)
        self._visit: dict[type, tuple[Handler, ...]] = {}
        self._leave: dict[type, tuple[Handler, ...]] = {}

    def _handlers(self, node_type: type, prefix: str, table: dict[type, tuple[Handler, ...]]):
        handlers = table.get(node_type)
        if handlers is None:
            names = [prefix + klass.__name__ for klass in node_type.__mro__ if klass is not object]
            collected: list[Handler] = []
            for visitor in self._visitors:
                for name in names:
                    method = getattr(visitor, name, None)
                    if method is not None:
                        collected.append(method)
            handlers = tuple(collected)
            table[node_type] = handlers
        return handlers

    def walk(self, root: cst.CSTNode) -> None:
        # The stack holds nodes to enter, and (node,) tuples to leave.
        stack: list[Any] = [root]
        visit_table, leave_table = self._visit, self._leave
        while stack:
            item = stack.pop()
            if type(item) is tuple:
                node = item[0]
                handlers = leave_table.get(type(node))
                if handlers is None:
                    handlers = self._handlers(type(node), "leave_", leave_table)
                for handler in handlers:
                    handler(node)
                continue
            node = item
            node_type = type(node)
            handlers = visit_table.get(node_type)
            if handlers is None:
                handlers = self._handlers(node_type, "visit_", visit_table)
            descend = True
            for handler in handlers:
                if handler(node) is False:
                    descend = False
            stack.append((node,))
            if descend:
                children = list(iter_children(node))
                children.reverse()
                stack.extend(children)
