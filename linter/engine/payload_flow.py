"""The "ai_request" dataflow label: does a value carry (part of) the prompt or payload of an AI request?

The dataflow tracker answers backward questions ("where does this value come from?"); this
one is forward — "does this value *go to* a model?" — and is answered by meeting in the
middle. Every value is traced back to its *origins*: the binding events (`x = ...`,
`x.append(...)`, `x["k"] = ...`) and parameters/free names it is built from, each with the
access path taken into it (`data["prompt"]` is origin `data` at path `("prompt",)`). The
prompt arguments of every AI call of the file (and its whole payload: a raw HTTP request's
body, a `**params` spread) are traced once; a queried value carries the prompt when one of
its origins is also a prompt origin and one path is a prefix of the other — the value is a
part of the prompt, or contains it. Siblings do not match: logging `data["user_id"]` is not
logging `data["prompt"]`.

Propagation follows the dataflow layer's rules (containers, f-strings, `+`, `%`, `format`,
`join`, conversions, data methods, summaries of this module's functions); metrics,
digests and redacting calls stop it, as do metadata fields (`.usage`, `.id`, `.model`).
Constant strings are not carriers (a fixed system prompt in a log is not a leak).
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from linter.engine.libcst_loader import cst

from linter.engine.semantics import bind_arguments, dotted_name
from linter.knowledge import taint as K

if TYPE_CHECKING:
    from linter.engine.dataflow import DataflowTracker, Source, _Frame

_MAX_DEPTH = 60
_Origin = tuple  # (scope id, kind, key-or-position)
_Token = tuple  # (origin, path)
_NONE: frozenset = frozenset()

#: one AI request: its call, a readable callee, and the expressions that are its prompt/payload
AiRequest = tuple["cst.Call", str, list["cst.BaseExpression"]]


def _prefix(a: tuple, b: tuple) -> bool:
    return a == b[: len(a)]


class PayloadFlow:
    """Computed lazily on the first "ai_request" query; owned by the dataflow tracker."""

    def __init__(self, tracker: "DataflowTracker", requests: Callable[[], Iterable[AiRequest]]) -> None:
        # a proxy: the tracker owns this object, and a cycle would keep the tree alive for the GC
        self.tracker = weakref.proxy(tracker)
        self._requests = requests
        self._carriers: dict[_Origin, list[tuple[tuple, str, cst.BaseExpression]]] | None = None
        self._cache: dict[tuple, frozenset] = {}

    # ------------------------------------------------------------------ queries
    def sources(self, expr: cst.BaseExpression, frame: "_Frame", pos: int) -> list["Source"]:
        from linter.engine.dataflow import AI_REQUEST, Source

        carriers = self._carrier_index()
        if not carriers:
            return []
        out: list[Source] = []
        seen: set[int] = set()
        for origin, path in self._safe(expr, frame, pos):
            for carrier_path, callee, value in carriers.get(origin, ()):
                if (_prefix(carrier_path, path) or _prefix(path, carrier_path)) and id(value) not in seen:
                    seen.add(id(value))
                    out.append(Source(AI_REQUEST, value, f"the prompt of `{callee}`"))
        return out

    def _carrier_index(self) -> dict:
        if self._carriers is None:
            self._carriers = {}
            for call, callee, values in self._requests():
                where = self.tracker._call_at.get(call)
                if where is None:
                    continue
                frame, pos = where
                for value in values:
                    for origin, path in self._safe(value, frame, pos):
                        self._carriers.setdefault(origin, []).append((path, callee, value))
        return self._carriers

    def _safe(self, expr: cst.BaseExpression, frame: "_Frame", pos: int) -> frozenset:
        try:
            return self.origins(expr, frame, pos, (), 0)
        except RecursionError:
            return _NONE

    # ------------------------------------------------------------------ origins
    def origins(self, node: cst.CSTNode | None, frame: "_Frame", pos: int, path: tuple, depth: int) -> frozenset:
        if node is None or depth > _MAX_DEPTH:
            return _NONE
        depth += 1
        go = self.origins
        if isinstance(node, cst.Name):
            if node.value in ("True", "False", "None", "self", "cls"):
                return _NONE
            return self._key(node.value, frame, pos, path, depth)
        if isinstance(node, cst.Attribute):
            dotted = dotted_name(node)
            if dotted is not None and dotted in frame.by_name:
                return self._key(dotted, frame, pos, path, depth)
            if self.tracker.pii.is_metadata_name(node.attr.value):
                return _NONE  # `response.usage`, `body.user_id`, `completion.model`
            if dotted is not None and dotted.startswith(("self.", "cls.")):
                return self._key(dotted, frame, pos, path, depth)
            return go(node.value, frame, pos, (node.attr.value, *path), depth)
        if isinstance(node, cst.Subscript):
            from linter.engine.dataflow import _subscript_key

            key = _subscript_key(node)
            if key is not None and self.tracker.pii.is_metadata_name(key):
                return _NONE
            return go(node.value, frame, pos, (key, *path) if key is not None else (), depth)
        if isinstance(node, cst.Call):
            return self._call(node, frame, pos, path, depth)
        if isinstance(node, cst.Dict):
            if path:
                for element in node.elements:
                    if isinstance(element, cst.DictElement) and _literal(element.key) == path[0]:
                        return go(element.value, frame, pos, path[1:], depth)
            return self._union((e.value for e in node.elements), frame, pos, depth)
        if isinstance(node, (cst.IfExp,)):
            return go(node.body, frame, pos, path, depth) | go(node.orelse, frame, pos, path, depth)
        if isinstance(node, cst.BooleanOperation):
            return go(node.left, frame, pos, path, depth) | go(node.right, frame, pos, path, depth)
        if isinstance(node, (cst.Await, cst.NamedExpr)):
            return go(getattr(node, "expression", None) or node.value, frame, pos, path, depth)  # type: ignore[union-attr]
        if isinstance(node, cst.FormattedString):
            return self._union((p.expression for p in node.parts if isinstance(p, cst.FormattedStringExpression)),
                               frame, pos, depth)
        if isinstance(node, (cst.ConcatenatedString, cst.BinaryOperation)):
            return go(node.left, frame, pos, (), depth) | go(node.right, frame, pos, (), depth)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return self._union((e.value for e in node.elements), frame, pos, depth)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return go(node.elt, frame, pos, (), depth) | go(node.for_in.iter, frame, pos, (), depth)
        if isinstance(node, cst.DictComp):
            return go(node.value, frame, pos, (), depth) | go(node.for_in.iter, frame, pos, (), depth)
        if isinstance(node, (cst.StarredElement, cst.Element, cst.Arg, cst.DictElement, cst.StarredDictElement)):
            return go(node.value, frame, pos, (), depth)
        return _NONE

    def _union(self, nodes: Iterable[cst.CSTNode], frame: "_Frame", pos: int, depth: int) -> frozenset:
        out = _NONE
        for node in nodes:
            out = out | self.origins(node, frame, pos, (), depth)
        return out

    def _call(self, node: cst.Call, frame: "_Frame", pos: int, path: tuple, depth: int) -> frozenset:
        tracker = self.tracker
        if tracker.is_ai_request(node) or tracker._is_metric_or_sanitizer(node):
            return _NONE  # model output is a label of its own; metrics and redaction stop the prompt
        func = node.func
        qualified = tracker.semantics.qualified_name(func) or ""
        last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        target = tracker._resolve_function(func, frame)
        if target is not None:
            return self._summary_args(target, node, frame, pos, depth)
        if isinstance(func, cst.Attribute):
            if last in K.METRIC_METHODS:
                return _NONE
            if last == "get" and node.args:
                key = _literal(node.args[0].value)
                if key is not None:
                    return self.origins(func.value, frame, pos, (key, *path), depth)
            out = _NONE
            if last in K.DATA_METHODS or last in K.FORMATTING_METHODS:
                out = self.origins(func.value, frame, pos, (), depth)
            if last in K.FORMATTING_METHODS or qualified in K.PROPAGATING_CALLS or last[:1].isupper():
                out = out | self._args(node, frame, pos, depth)
            return out
        if qualified in K.PROPAGATING_CALLS or (last[:1].isupper() and not last.endswith(("Error", "Exception"))):
            return self._args(node, frame, pos, depth)
        return _NONE

    def _args(self, node: cst.Call, frame: "_Frame", pos: int, depth: int) -> frozenset:
        return self._union((a.value for a in node.args
                            if a.keyword is None or a.keyword.value not in K.CONFIG_KEYWORDS), frame, pos, depth)

    def _summary_args(self, function: cst.FunctionDef, node: cst.Call, frame: "_Frame", pos: int,
                      depth: int) -> frozenset:
        """A call to a function of this module carries the arguments that reach its `return`."""
        from linter.engine.dataflow import _ALL_LABELS, _Param

        reaching = {item.name for item in self.tracker._summary(function, depth)
                    if isinstance(item, _Param) and not _ALL_LABELS <= item.sanitize}
        if not reaching:
            return _NONE
        bound, surplus, starred = bind_arguments(function, node)
        params = function.params
        star = next((p.name.value for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)), None)
        chosen = [value for name, values in bound.items() if name in reaching for value in values]
        chosen += [*(surplus if star in reaching else ()), *starred]
        return self._union(chosen, frame, pos, depth)

    # ------------------------------------------------------------------ names
    def _key(self, key: str, frame: "_Frame", pos: int, path: tuple, depth: int) -> frozenset:
        memo = (id(frame.node), key, pos, path)
        cached = self._cache.get(memo)
        if cached is not None:
            return cached
        self._cache[memo] = _NONE  # a cycle ends here
        scope = id(frame.node)
        out: set[_Token] = set()
        indices = frame.by_name.get(key)
        killed = False
        if indices:
            from linter.engine.dataflow import _BIND

            for index in reversed(indices[: bisect.bisect_left(indices, pos)]):
                event = frame.events[index]
                value = event.value
                if event.kind == _BIND and event.part is not None and isinstance(value, (cst.Tuple, cst.List)):
                    value = value.elements[event.part].value
                if event.field is not None:  # `x["k"] = v`, `x.update(k=v)`
                    if not path or path[0] == event.field:
                        out.update(self.origins(value, frame, event.pos, path[1:], depth))
                        if value is not None and not _constant(value):
                            out.add(((scope, "event", event.pos), (event.field,)))
                else:
                    inner = path if event.kind == _BIND and not event.loop else ()
                    out.update(self.origins(value, frame, event.pos, inner, depth))
                    if value is None or not _constant(value):
                        out.add(((scope, "event", event.pos), path))
                if event.kind == _BIND and event.strong:
                    killed = True
                    break
        if not killed:
            module = frame.parent
            if key in frame.params:
                out.add(((scope, "param", key), path))
            elif key.startswith(("self.", "cls.")):
                out.add((("class", "attr", key), path))  # shared by the methods of a class
            elif "." not in key and module is not None and key in module.by_name and not indices:
                out.update(self._key(key, module, len(module.events), path, depth))
            elif not indices or "." in key:
                out.add(((scope, "free", key), path))
        result = frozenset(out)
        self._cache[memo] = result
        return result


def _literal(node: cst.BaseExpression | None) -> str | None:
    from linter.engine.semantics import literal_string

    return literal_string(node) if node is not None else None


def _constant(node: cst.BaseExpression) -> bool:
    """A value that is only text or a number: not data anyone sent."""
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary)):
        return True
    if isinstance(node, cst.FormattedString):
        return not any(isinstance(p, cst.FormattedStringExpression) for p in node.parts)
    if isinstance(node, cst.ConcatenatedString):
        return _constant(node.left) and _constant(node.right)  # type: ignore[arg-type]
    return False
