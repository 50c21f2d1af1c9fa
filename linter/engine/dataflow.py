"""Intraprocedural taint: which labelled sources reach an expression, and were they sanitized?

Built in the single walk, lazily. During the walk the tracker only *records*: per scope (the
module, each function and class body) an ordered list of binding events — `x = e`,
`x += e`, `x.append(e)`, `x[k] = e`, `x.update(e)`, unpacking, `for`/`with`/comprehension
targets, walrus, `return e` — each a reference to nodes that are already parsed, plus
whether it happens unconditionally (top level of the scope: it kills what was there) or
under an `if`/loop/`try` (it joins: tainted if any path taints). Nothing is evaluated.

A rule asks `sources_of(expr)` at a sink. The answer is computed on demand, backwards: the
expression's parts are classified (a personal-data field, a secret, request data, an AI
request's result...), names are followed to the events that reach the current point, and
those events' values are evaluated at their own point, memoized. Calls to functions of the
same module use a summary (which parameters reach a `return`, plus what the function returns
of its own), computed once per function from its recorded events, or — if the walk has not
reached it yet — from a walk of that function's nodes alone. Files without sinks pay only the
recording.

Labels: "pii", "secret", "untrusted", "model_output". A fifth, "ai_request" (a value that is
part of — or contains — the prompt or payload of an AI request of this file), is a forward
question answered by `payload_flow.py`; it is computed only when asked for by name
(`labels=("ai_request",)`), never by default. A sanitizer keeps a source but marks it
`sanitized`: redacting calls (redact, mask, anonymize, pseudonymize, tokenize, scrub,
configured sanitizers) sanitize personal data and secrets; digests and metrics (hash, hmac,
encrypt, hashlib, len, bool, int, count-like) sanitize every label; escaping (shlex.quote,
html.escape) sanitizes untrusted input and model output.
"""

from __future__ import annotations

import bisect
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from linter.engine.libcst_loader import cst

from linter.engine.payload_flow import AiRequest, PayloadFlow
from linter.engine.semantics import Semantics, bind_arguments, dotted_name, literal_string
from linter.knowledge import taint as K
from linter.knowledge.credentials import CREDENTIAL_HEADERS, ENV_LOOKUPS, is_credential_name
from linter.knowledge.pii import PiiVocabulary, tokens_of

PII, SECRET, UNTRUSTED, MODEL_OUTPUT = "pii", "secret", "untrusted", "model_output"
LABELS = (PII, SECRET, UNTRUSTED, MODEL_OUTPUT)
#: opt-in label: the value is (part of) the prompt or payload of an AI request (payload_flow.py)
AI_REQUEST = "ai_request"
_REDACTED_LABELS = frozenset({PII, SECRET})
_ESCAPED_LABELS = frozenset({UNTRUSTED, MODEL_OUTPUT})
_ALL_LABELS = frozenset(LABELS)

#: expressions nested deeper than this are not followed (hostile input: 10,000-deep `a+a+...`)
_MAX_DEPTH = 120


@dataclass(frozen=True)
class Source:
    """A labelled origin of a value that reaches the queried expression."""

    label: str  # "pii" | "secret" | "untrusted" | "model_output"
    #: where the datum enters: `user.email`, `request.json`, the AI call, a dict key's value...
    expr: cst.CSTNode
    #: for messages: "user.email", "request.json", "client.chat.completions.create(...)"
    description: str
    #: it went through a sanitizer on the way (kept so that rules can say so, or ignore it)
    sanitized: bool = False
    #: a whole person-like object (`user`), not one of its fields
    whole_object: bool = False
    #: a route's path parameter (`/users/<name>`): part of the request's URL, which the web
    #: server's access log holds anyway
    in_url: bool = False

    @property
    def shown(self) -> str:
        """The description as a message shows it: code in backticks, prose in parentheses."""
        text = self.description
        if text.startswith("`"):
            return text
        if text.startswith(("the ", "request parameter")):
            return f"({text})"
        return f"`{text}`"


@dataclass(frozen=True)
class _Param:
    """In a function summary: the value of parameter `name` reaches here (minus `drop` labels)."""

    name: str
    drop: frozenset = frozenset()
    sanitize: frozenset = frozenset()


_EMPTY: frozenset = frozenset()

# event kinds
_BIND, _ADD, _RETURN = 0, 1, 2


@dataclass
class _Event:
    kind: int
    key: str  # the bound name or dotted attribute ("messages", "self.history"); "" for return
    value: cst.BaseExpression | None
    strong: bool
    pos: int
    part: int | None = None  # index into a tuple value being unpacked, when known
    field: str | None = None  # `x["email"] = v`: the key, a name in its own right
    target: cst.CSTNode | None = None  # the target node, for name-based fallbacks
    starred: bool = False
    loop: bool = False  # a `for`/comprehension target: one item of the iterable


class _Frame:
    """One scope's recorded events."""

    __slots__ = ("node", "parent", "events", "by_name", "depth", "params", "route_params", "url_params", "cache", "done")

    def __init__(self, node: cst.CSTNode, parent: "_Frame | None") -> None:
        self.node = node
        self.parent = parent
        self.events: list[_Event] = []
        self.by_name: dict[str, list[int]] = {}
        self.depth = 0
        self.params: dict[str, int] = {}  # name -> position (for summaries)
        self.route_params: set[str] = set()  # parameters that carry a web request's data
        self.url_params: set[str] = set()  # those of them bound from the route's URL path
        self.cache: dict[tuple, frozenset] = {}
        self.done = False

    def add(self, event: _Event) -> None:
        event.pos = len(self.events)
        self.events.append(event)
        if event.key:
            self.by_name.setdefault(event.key, []).append(event.pos)


def _code(node: cst.CSTNode, limit: int = 60) -> str:
    dotted = dotted_name(node) if isinstance(node, (cst.Name, cst.Attribute)) else None
    if dotted is not None:
        return dotted
    try:
        text = " ".join(cst.Module(body=[]).code_for_node(node).split())
    except Exception:
        return type(node).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _subscript_key(node: cst.Subscript) -> str | None:
    if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
        value = literal_string(node.slice[0].slice.value)
        if value is not None and len(value) < 80:
            return value
    return None


def _callee_last(func: cst.BaseExpression) -> str:
    if isinstance(func, cst.Attribute):
        return func.attr.value
    if isinstance(func, cst.Name):
        return func.value
    return ""


class DataflowTracker:
    """The engine's dataflow visitor (`ctx.dataflow`). See the module docstring."""

    def __init__(
        self,
        semantics: Semantics,
        module: cst.Module,
        *,
        pii: PiiVocabulary | None = None,
        sanitizers: Iterable[str] = (),
        is_ai_request: Callable[[cst.Call], bool] | None = None,
        ai_requests: "Callable[[], Iterable[AiRequest]] | None" = None,
    ) -> None:
        self.semantics = semantics
        self.module = module
        self.pii = pii or PiiVocabulary()
        self.sanitizers = frozenset(sanitizers)
        self._sanitizer_lasts = frozenset(s.rsplit(".", 1)[-1] for s in self.sanitizers)
        self.is_ai_request = is_ai_request or (lambda call: False)
        self._module_frame = _Frame(module, None)
        self._stack: list[_Frame] = [self._module_frame]
        self._frames: dict[cst.CSTNode, _Frame] = {module: self._module_frame}
        self._call_at: dict[cst.Call, tuple[_Frame, int]] = {}
        self._functions: dict[str, cst.FunctionDef] | None = None
        self._methods: dict[cst.CSTNode, dict[str, cst.FunctionDef]] = {}
        self._summaries: dict[cst.FunctionDef, frozenset | None] = {}
        self._class_of: dict[cst.FunctionDef, cst.ClassDef] = {}
        self._personal_classes: set[str] | None = None
        self._recording_only = False
        self._ai_requests = ai_requests or (lambda: ())
        self._payload_flow: PayloadFlow | None = None

    @classmethod
    def for_context(cls, ctx) -> "DataflowTracker":
        """The tracker for a file's context: configured vocabulary and sanitizers; "model output"
        is whatever the AI-call model (`ctx.ai`, when present) recognizes as an AI request."""

        # a weak reference: ctx holds the tracker, and a cycle would keep every file's tree
        # alive until the cyclic GC walks it (measured: +20% on a full run)
        ctx_ref = weakref.ref(ctx)

        def is_ai_request(call: cst.Call) -> bool:
            ai = getattr(ctx_ref(), "ai", None)
            return ai is not None and ai.call(call) is not None

        def ai_requests() -> list[AiRequest]:
            context = ctx_ref()
            ai = getattr(context, "ai", None)
            return ai_request_payloads(ai) if ai is not None else []

        pii_config = ctx.config.pii
        return cls(ctx.semantics, ctx.module, pii=PiiVocabulary(pii_config.extend_names),
                   sanitizers=pii_config.sanitizers, is_ai_request=is_ai_request, ai_requests=ai_requests)

    # =========================================================== recording (the walk) ====
    @property
    def _frame(self) -> _Frame:
        return self._stack[-1]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        frame = _Frame(node, self._module_frame)
        params = node.params
        ordered = [*params.posonly_params, *params.params]
        for index, param in enumerate(ordered):
            frame.params[param.name.value] = index
        for param in params.kwonly_params:
            frame.params[param.name.value] = -1
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                frame.params[star.name.value] = -2
        if self._is_route(node):
            in_url = _path_parameters(node)
            for param in [*ordered, *params.kwonly_params]:
                if self._is_request_data_param(param):
                    frame.route_params.add(param.name.value)
                    if param.name.value in in_url:
                        frame.url_params.add(param.name.value)
        self._frames[node] = frame
        self._stack.append(frame)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._stack.pop().done = True

    # branches and loops: assignments inside join instead of killing
    def _deeper(self, node: cst.CSTNode) -> None:
        self._frame.depth += 1

    def _shallower(self, node: cst.CSTNode) -> None:
        self._frame.depth -= 1

    visit_If = visit_While = visit_Try = visit_TryStar = visit_Match = _deeper  # visit_For: below
    leave_If = leave_For = leave_While = leave_Try = leave_TryStar = leave_Match = _shallower

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None, strong: bool,
                     part: int | None = None, starred: bool = False, loop: bool = False) -> None:
        frame = self._frame
        if isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            literal = value if isinstance(value, (cst.Tuple, cst.List)) else None
            if literal is not None and part is None and len(literal.elements) == len(elements) and not any(
                isinstance(e, cst.StarredElement) for e in (*elements, *literal.elements)
            ):
                for element, value_element in zip(elements, literal.elements):
                    self._bind_target(element.value, value_element.value, strong, loop=loop)
                return
            for element in elements:
                self._bind_target(element.value, value, strong, None, isinstance(element, cst.StarredElement), loop)
            return
        if isinstance(target, cst.StarredElement):
            self._bind_target(target.value, value, strong, None, True, loop)
            return
        if isinstance(target, cst.Subscript):
            key = dotted_name(target.value)
            if key is not None:
                frame.add(_Event(_ADD, key, value, False, 0, field=_subscript_key(target), target=target))
            return
        key = dotted_name(target)
        if key is not None:
            frame.add(_Event(_BIND, key, value, strong and frame.depth == 0, 0, part, target=target, starred=starred,
                             loop=loop))

    def leave_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value, True)

    def leave_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._bind_target(node.target, node.value, True)

    def leave_AugAssign(self, node: cst.AugAssign) -> None:
        key = dotted_name(node.target)
        if key is not None:
            self._frame.add(_Event(_ADD, key, node.value, False, 0, target=node.target))

    def leave_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, node.value, False)

    def visit_For(self, node: cst.For) -> None:
        self._frame.depth += 1
        self._bind_target(node.target, node.iter, False, loop=True)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target, node.iter, False, loop=True)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, node.item, True)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None:
            self._bind_target(node.name.name, None, True)

    def leave_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self._frame.add(_Event(_RETURN, "", node.value, False, 0))

    def visit_Call(self, node: cst.Call) -> None:
        frame = self._frame
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in K.MUTATING_METHODS:
            key = dotted_name(func.value)
            if key is not None:
                for arg in node.args:
                    if arg.keyword is None or func.attr.value == "update":
                        frame.add(_Event(_ADD, key, arg.value, False, 0,
                                         field=arg.keyword.value if arg.keyword is not None else None,
                                         target=arg.keyword))
        if not self._recording_only:
            self._call_at[node] = (frame, len(frame.events))

    # ================================================================= queries ============
    def prompt_sources(self, call: Any, label: str) -> list[Source]:
        """The `label` sources that reach any prompt argument of the AI call `call` (an
        `ai_calls.AiCall`), each source expression once, in argument order."""
        seen: set[int] = set()
        found: list[Source] = []
        for prompt in call.prompts:
            for source in self.sources_of(prompt.value, labels=(label,)):
                if id(source.expr) not in seen:
                    seen.add(id(source.expr))
                    found.append(source)
        return found

    def sources_of(
        self,
        expr: cst.BaseExpression,
        *,
        labels: Iterable[str] | None = None,
        include_sanitized: bool = False,
        at: cst.CSTNode | None = None,
    ) -> list[Source]:
        """The labelled sources that reach `expr`, deduplicated, in discovery order.

        Called during the walk (from a rule's `visit_Call`), `expr` is evaluated at the current
        point of the current scope. In `finish()`, pass `at=` the call the expression belongs
        to (or query a call expression itself). Sanitized sources are left out unless
        `include_sanitized`.
        """
        frame, pos = self._point(expr, at)
        wanted = frozenset(labels) if labels is not None else _ALL_LABELS
        try:
            found = self._eval(expr, frame, pos, None, False, 0) if wanted & _ALL_LABELS else _EMPTY
        except RecursionError:
            found = _EMPTY
        if AI_REQUEST in wanted:
            if self._payload_flow is None:
                self._payload_flow = PayloadFlow(self, self._ai_requests)
            found = found | frozenset(self._payload_flow.sources(expr, frame, pos))
        seen: set[tuple] = set()
        result: list[Source] = []
        for item in sorted((s for s in found if isinstance(s, Source)), key=_order):
            if item.label not in wanted or (item.sanitized and not include_sanitized):
                continue
            key = (item.label, item.expr, item.sanitized)
            if key not in seen:
                seen.add(key)
                result.append(item)
        return result

    def values_of(self, expr: cst.BaseExpression, *, at: cst.CSTNode | None = None) -> list[cst.BaseExpression]:
        """The expressions a name's value was built from at this point — its reaching
        assignment and what was added to it since (`+=`, `append`, `extend`, item assignment),
        in program order; `[expr]` for anything that is not a name bound in this scope."""
        frame, pos = self._point(expr, at)
        return [value for value, _, _ in self._reaching(expr, frame, pos)] or [expr]

    def elements_of(self, expr: cst.BaseExpression, *, at: cst.CSTNode | None = None) -> list[cst.BaseExpression]:
        """The items of a list as built: list literals, `+`, and names followed through their
        assignments, `append`s and `extend`s, flattened; an item that is itself a name is
        followed to what it holds (`messages = [system_message, ...]`). `(role, text)` pairs
        stay whole. Anything else (a call, a parameter) is one opaque item."""
        frame, pos = self._point(expr, at)
        out: list[cst.BaseExpression] = []
        self._elements(expr, frame, pos, out, 0, True)
        return out

    def _reaching(self, expr: cst.BaseExpression, frame: _Frame, pos: int) -> list[tuple]:
        key = dotted_name(expr)
        if key is None:
            return []
        if key not in frame.by_name and "." not in key and frame.parent is not None and key not in frame.params:
            frame, pos = frame.parent, len(frame.parent.events)
        indices = frame.by_name.get(key)
        if not indices:
            return []
        found = []
        for index in reversed(indices[: bisect.bisect_left(indices, pos)]):
            event = frame.events[index]
            if event.kind == _BIND and (event.part is not None or event.loop or event.starred):
                break  # one part of an unpacked value: nothing precise to say
            if event.value is not None and event.field is None:
                found.append((event.value, frame, event.pos))
            if event.kind == _BIND and event.strong:
                break
        found.reverse()
        return found

    def _elements(self, node: cst.BaseExpression, frame: _Frame, pos: int, out: list, depth: int,
                  whole: bool) -> None:
        if depth > 12 or len(out) > 200:
            return
        if isinstance(node, cst.List) or (isinstance(node, cst.Tuple) and whole and not _is_pair(node)):
            for element in node.elements:
                value = element.value
                if isinstance(element, cst.StarredElement) or isinstance(value, (cst.Name, cst.Attribute)):
                    self._elements(value, frame, pos, out, depth + 1, isinstance(element, cst.StarredElement))
                else:
                    out.append(value)
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            self._elements(node.left, frame, pos, out, depth + 1, True)
            self._elements(node.right, frame, pos, out, depth + 1, True)
        elif isinstance(node, (cst.Name, cst.Attribute)) and dotted_name(node) is not None:
            reaching = self._reaching(node, frame, pos)
            if not reaching:
                out.append(node)
            for value, at_frame, at_pos in reaching:
                # an added value that is not a list is one item (`append`); lists are spread
                self._elements(value, at_frame, at_pos, out, depth + 1,
                               isinstance(value, (cst.List, cst.Tuple, cst.BinaryOperation, cst.Name, cst.Attribute)))
        else:
            out.append(node)

    def is_tainted(self, expr: cst.BaseExpression, label: str, *, at: cst.CSTNode | None = None) -> bool:
        return bool(self.sources_of(expr, labels=(label,), at=at))

    def _point(self, expr: cst.CSTNode, at: cst.CSTNode | None) -> tuple[_Frame, int]:
        anchor = at if at is not None else expr
        where = self._call_at.get(anchor)  # type: ignore[arg-type]
        if where is not None:
            return where
        frame = self._stack[-1]
        return frame, len(frame.events)

    # ================================================================ evaluation ==========
    def _eval(self, node: cst.CSTNode | None, frame: _Frame, pos: int, local: dict | None, summary: bool,
              depth: int) -> frozenset:
        if node is None or depth > _MAX_DEPTH:
            return _EMPTY
        depth += 1
        ev = self._eval
        if isinstance(node, cst.Name):
            return self._eval_name(node, frame, pos, local, summary, depth)
        if isinstance(node, cst.Attribute):
            return self._eval_attribute(node, frame, pos, local, summary, depth)
        if isinstance(node, cst.Subscript):
            return self._eval_subscript(node, frame, pos, local, summary, depth)
        if isinstance(node, cst.Call):
            return self._eval_call(node, frame, pos, local, summary, depth)
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis,
                             cst.Comparison, cst.Lambda)):
            return _EMPTY
        if isinstance(node, cst.FormattedString):
            out = _EMPTY
            for part in node.parts:
                if isinstance(part, cst.FormattedStringExpression):
                    out = out | ev(part.expression, frame, pos, local, summary, depth)
            return out
        if isinstance(node, cst.ConcatenatedString):
            return ev(node.left, frame, pos, local, summary, depth) | ev(node.right, frame, pos, local, summary, depth)
        if isinstance(node, cst.BinaryOperation):
            return ev(node.left, frame, pos, local, summary, depth) | ev(node.right, frame, pos, local, summary, depth)
        if isinstance(node, cst.BooleanOperation):
            return ev(node.left, frame, pos, local, summary, depth) | ev(node.right, frame, pos, local, summary, depth)
        if isinstance(node, cst.UnaryOperation):
            if isinstance(node.operator, cst.Not):
                return _EMPTY
            return ev(node.expression, frame, pos, local, summary, depth)
        if isinstance(node, cst.IfExp):
            return ev(node.body, frame, pos, local, summary, depth) | ev(node.orelse, frame, pos, local, summary, depth)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            out = _EMPTY
            for element in node.elements:
                out = out | ev(element.value, frame, pos, local, summary, depth)
            return out
        if isinstance(node, cst.Dict):
            return self._eval_dict(node, frame, pos, local, summary, depth)
        if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp, cst.DictComp)):
            inner = dict(local or {})
            comp: cst.CompFor | None = node.for_in
            while comp is not None:
                iter_taint = ev(comp.iter, frame, pos, inner, summary, depth)
                for name in _target_names(comp.target):
                    inner[name] = iter_taint
                comp = comp.inner_for_in
            if isinstance(node, cst.DictComp):
                return ev(node.key, frame, pos, inner, summary, depth) | ev(node.value, frame, pos, inner, summary, depth)
            return ev(node.elt, frame, pos, inner, summary, depth)
        if isinstance(node, (cst.Await, cst.StarredElement, cst.Element, cst.Arg, cst.FormattedStringExpression)):
            value = getattr(node, "expression", None) or getattr(node, "value", None)
            return ev(value, frame, pos, local, summary, depth)
        if isinstance(node, cst.NamedExpr):
            return ev(node.value, frame, pos, local, summary, depth)
        if isinstance(node, cst.DictElement):
            return ev(node.value, frame, pos, local, summary, depth)
        return _EMPTY

    # --- names ---------------------------------------------------------------------------
    def _eval_name(self, node: cst.Name, frame: _Frame, pos: int, local: dict | None, summary: bool,
                   depth: int) -> frozenset:
        name = node.value
        if local and name in local:
            return local[name]
        if name in ("True", "False", "None"):
            return _EMPTY
        return self._lookup(name, node, frame, pos, summary, depth)

    def _lookup(self, key: str, node: cst.CSTNode, frame: _Frame, pos: int, summary: bool, depth: int,
                field: str | None = None) -> frozenset:
        """The taint of the name/dotted attribute `key` just before event `pos` of `frame`.

        With `field` (reading `key[field]`), stores into other constant fields of `key`
        (`values["azure_ad_token"] = ...`) are passed over: they do not reach this one."""
        cache_key = (key, pos, summary, field)
        cached = frame.cache.get(cache_key)
        if cached is not None:
            return cached
        frame.cache[cache_key] = _EMPTY  # a cycle (x = f(x) in a loop) ends here
        indices = frame.by_name.get(key)
        out = _EMPTY
        killed = False
        if indices:
            cut = bisect.bisect_left(indices, pos)
            for index in reversed(indices[:cut]):
                event = frame.events[index]
                if field is not None and event.field is not None and event.field != field:
                    continue
                out = out | self._eval_event(event, frame, summary, depth)
                if event.kind == _BIND and event.strong:
                    killed = True
                    break
        if not killed:
            out = out | self._initial(key, node, frame, bool(indices), summary, depth)
        frame.cache[cache_key] = out
        return out

    def _initial(self, key: str, node: cst.CSTNode, frame: _Frame, bound_here: bool, summary: bool,
                 depth: int) -> frozenset:
        """What a name holds before any event of this scope: a parameter, a global, or its name."""
        out = _EMPTY
        if key in frame.params:
            if summary:
                out = out | {_Param(key)}
            if key in frame.route_params:
                out = out | {Source(UNTRUSTED, node, f"request parameter `{key}`", in_url=key in frame.url_params)}
            return out | self._by_name(key, node, frame, depth)
        if "." not in key and not bound_here and frame.parent is not None:
            module = frame.parent
            if key in module.by_name:
                return self._lookup(key, node, module, len(module.events), False, depth)
        if bound_here and "." not in key:
            return _EMPTY  # a local assigned only under a branch: its assignments say it all
        if key in K.STDIN_NAMES or self.semantics.qualified_name(node) in K.STDIN_NAMES:  # type: ignore[arg-type]
            return frozenset({Source(UNTRUSTED, node, "sys.stdin")})
        return self._by_name(key, node, frame, depth)

    def _by_name(self, key: str, node: cst.CSTNode, frame: _Frame, depth: int) -> frozenset:
        """Classify a value by its own name (last component): `email`, `api_key`, `user`."""
        last = key.rsplit(".", 1)[-1]
        if last in ("self", "cls"):
            return _EMPTY
        owner = key.rsplit(".", 1)[0] if "." in key else ""
        owner_person = bool(owner) and self.pii.is_person_like(owner.rsplit(".", 1)[-1])
        if isinstance(node, (cst.Name, cst.Attribute)) and self.semantics.imports.get(key.split(".")[0]):
            return _EMPTY  # an imported module, class or function
        if is_credential_name(last):
            return frozenset({Source(SECRET, node, key)})
        if last.isupper() and len(last) > 3:
            return _EMPTY  # a constant or enum member (`Role.USER`, `EMAIL_FIELD`), not a person's data
        if self.pii.is_pii_name(last, owner_is_person=owner_person):
            return frozenset({Source(PII, node, key)})
        if self.pii.is_person_like(last) or self._annotated_personal(key, frame):
            return frozenset({Source(PII, node, key, whole_object=True)})
        return _EMPTY

    def _annotated_personal(self, key: str, frame: _Frame) -> bool:
        """A parameter annotated with a class of this module whose fields are personal data."""
        if key not in frame.params or not isinstance(frame.node, cst.FunctionDef):
            return False
        params = frame.node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.name.value == key and param.annotation is not None:
                annotation = dotted_name(param.annotation.annotation)
                return annotation is not None and annotation.rsplit(".", 1)[-1] in self._personal_class_names()
        return False

    def _personal_class_names(self) -> set[str]:
        if self._personal_classes is None:
            found: set[str] = set()
            for statement in self.module.body:
                if isinstance(statement, cst.ClassDef):
                    if self.pii.is_person_like(statement.name.value) or any(
                        isinstance(line, cst.SimpleStatementLine)
                        and any(
                            isinstance(small, cst.AnnAssign)
                            and isinstance(small.target, cst.Name)
                            and self.pii.is_pii_name(small.target.value, owner_is_person=True)
                            and small.target.value not in ("name",)
                            for small in line.body
                        )
                        for line in statement.body.body  # type: ignore[union-attr]
                    ):
                        found.add(statement.name.value)
            self._personal_classes = found
        return self._personal_classes

    # --- events --------------------------------------------------------------------------
    def _eval_event(self, event: _Event, frame: _Frame, summary: bool, depth: int) -> frozenset:
        value = event.value
        if event.kind == _BIND and event.part is not None and isinstance(value, (cst.Tuple, cst.List)):
            value = value.elements[event.part].value
        out = self._eval(value, frame, event.pos, None, summary, depth) if value is not None else _EMPTY
        if event.field is not None:
            field_node = event.target if event.target is not None else value
            if self.pii.is_pii_name(event.field) and not (out and _all_sanitized(out)) \
                    and not any(isinstance(s, Source) and s.label == PII for s in out):
                out = out | {Source(PII, field_node, f"`{event.field}`")}  # type: ignore[arg-type]
            elif is_credential_name(event.field) or event.field.lower() in CREDENTIAL_HEADERS:
                if value is not None and not _is_constant(value) and not (out and _all_sanitized(out)):
                    out = out | {Source(SECRET, field_node, f"`{event.field}`")}  # type: ignore[arg-type]
        elif event.kind == _BIND and not out and value is not None and not _is_definite(value) \
                and event.target is not None and not event.starred:
            # `email = row[3]`: an opaque value takes the meaning of the name it is given
            out = self._by_name(event.key, event.target, frame, depth)
            if out and isinstance(value, cst.Call) and self._is_metric_or_sanitizer(value):
                out = _EMPTY
            if event.loop:
                # `for token in stream:` is a piece of text, not a credential
                out = frozenset(s for s in out if s.label != SECRET)
        return out

    # --- attributes and subscripts ----------------------------------------------------------
    def _eval_attribute(self, node: cst.Attribute, frame: _Frame, pos: int, local: dict | None, summary: bool,
                        depth: int) -> frozenset:
        attr = node.attr.value
        dotted = dotted_name(node)
        if dotted is not None and self._is_request_object(node.value, frame) and attr in K.REQUEST_DATA_ATTRS:
            return frozenset({Source(UNTRUSTED, node, dotted)})
        if dotted is not None and (dotted in K.STDIN_NAMES or self.semantics.qualified_name(node) in K.STDIN_NAMES):
            return frozenset({Source(UNTRUSTED, node, dotted)})
        if dotted is not None and dotted in frame.by_name and not (local and dotted.split(".")[0] in local):
            return self._lookup(dotted, node, frame, pos, summary, depth)  # `self.history` built in this scope
        base = self._eval(node.value, frame, pos, local, summary, depth)
        return self._field(node, attr, base, node.value, dotted or attr)

    def _field(self, node: cst.CSTNode, field: str, base: frozenset, owner: cst.BaseExpression,
               description: str) -> frozenset:
        """The taint of `owner.field` / `owner["field"]` given the owner's taint."""
        if is_credential_name(field) or field.lower() in CREDENTIAL_HEADERS:
            return frozenset({Source(SECRET, node, description)}) | _without(base, {PII})
        if field.isupper() and len(field) > 3:
            return _EMPTY  # a constant or enum member: `MessagesRole.USER`, `Fields.EMAIL`
        owner_name = dotted_name(owner) or ""
        owner_person = self.pii.is_person_like(owner_name.rsplit(".", 1)[-1]) if owner_name else False
        owner_person = owner_person or any(isinstance(s, Source) and s.whole_object for s in base)
        if self.pii.is_pii_name(field, owner_is_person=owner_person):
            return frozenset({Source(PII, node, description)}) | _without(base, {PII})
        if self.pii.is_metadata_name(field):
            return _EMPTY
        if self.pii.is_person_like(field):
            return frozenset({Source(PII, node, description, whole_object=True)}) | _without(base, {PII})
        # a non-personal field of a person (`user.preferences`, `user.is_active`) is not personal data
        return frozenset(s for s in base if not (isinstance(s, Source) and s.whole_object))

    def _eval_subscript(self, node: cst.Subscript, frame: _Frame, pos: int, local: dict | None, summary: bool,
                        depth: int) -> frozenset:
        key = _subscript_key(node)
        if key is None:
            taint = self._eval(node.value, frame, pos, local, summary, depth)
            if _is_short_slice(node):
                # `key[:4]`, `key[-4:]`: the masking idiom — a few characters identify, not leak
                return _sanitize(taint, frozenset({SECRET, PII}))
            return taint
        owner = dotted_name(node.value)
        if owner in ("os.environ", "environ") or self.semantics.qualified_name(node.value) == "os.environ":
            if is_credential_name(key):
                return frozenset({Source(SECRET, node, f"os.environ[{key!r}]")})
            return _EMPTY
        element = self._dict_element(node.value, key, frame, pos, local, depth)
        owner_name = node.value.value if isinstance(node.value, cst.Name) else None
        if element is not None:
            base = self._eval(element, frame, pos, local, summary, depth)
        elif owner_name is not None and owner_name in frame.by_name and not (local and owner_name in local):
            base = self._lookup(owner_name, node.value, frame, pos, summary, depth, field=key)
        else:
            base = self._eval(node.value, frame, pos, local, summary, depth)
        return self._field(node, key, base, node.value, f"{owner or _code(node.value)}[{key!r}]")

    def _dict_element(self, owner: cst.BaseExpression, key: str, frame: _Frame, pos: int, local: dict | None,
                      depth: int) -> cst.BaseExpression | None:
        """Field sensitivity for the common case: `d = {"q": ..., "email": ...}; d["q"]`."""
        if not isinstance(owner, cst.Name) or (local and owner.value in local):
            return None
        indices = frame.by_name.get(owner.value)
        if not indices:
            return None
        cut = bisect.bisect_left(indices, pos)
        if cut == 0:
            return None
        event = frame.events[indices[cut - 1]]
        if event.kind != _BIND or not event.strong or not isinstance(event.value, cst.Dict):
            return None
        for element in event.value.elements:
            if isinstance(element, cst.StarredDictElement):
                return None
        for element in event.value.elements:
            if isinstance(element, cst.DictElement) and literal_string(element.key) == key:
                return element.value
        return None

    def _eval_dict(self, node: cst.Dict, frame: _Frame, pos: int, local: dict | None, summary: bool,
                   depth: int) -> frozenset:
        out = _EMPTY
        for element in node.elements:
            value_taint = self._eval(element.value, frame, pos, local, summary, depth)
            out = out | value_taint
            if isinstance(element, cst.DictElement):
                key = literal_string(element.key)
                if key is None or len(key) > 80 or _all_sanitized(value_taint) and value_taint:
                    continue
                if self.pii.is_pii_name(key) and not any(
                    isinstance(s, Source) and s.label == PII for s in value_taint
                ):
                    out = out | {Source(PII, element.value, f"the {key!r} entry")}
                elif (is_credential_name(key) or key.lower() in CREDENTIAL_HEADERS) and not _is_constant(element.value):
                    out = out | {Source(SECRET, element.value, f"the {key!r} entry")}
        return out

    # --- calls ---------------------------------------------------------------------------
    def _eval_call(self, node: cst.Call, frame: _Frame, pos: int, local: dict | None, summary: bool,
                   depth: int) -> frozenset:
        func = node.func
        ev = self._eval
        qualified = self.semantics.qualified_name(func) or ""
        last = _callee_last(func)
        if self.is_ai_request(node):
            return frozenset({Source(MODEL_OUTPUT, node, f"{_code(func)}(…)")})

        def args_taint(constructor: bool = False) -> frozenset:
            """Every argument's taint; a keyword named for personal data (`format(email=row[2])`)
            is a source itself when nothing else is known of its value."""
            out = _EMPTY
            for arg in node.args:
                keyword = arg.keyword.value if arg.keyword is not None else None
                if constructor and keyword in K.CONFIG_KEYWORDS:
                    continue
                taint = ev(arg.value, frame, pos, local, summary, depth)
                if not taint and keyword is not None and not _is_definite(arg.value) \
                        and self.pii.is_pii_name(keyword):
                    taint = frozenset({Source(PII, arg.value, f"`{keyword}=`")})
                out = out | taint
            return out

        # sources made by a call
        if qualified in K.INPUT_CALLS:
            return frozenset({Source(UNTRUSTED, node, f"{qualified}()")})
        if isinstance(func, cst.Attribute):
            receiver = func.value
            if last in K.REQUEST_DATA_ATTRS and self._is_request_object(receiver, frame):
                return frozenset({Source(UNTRUSTED, node, f"{_code(func)}()")})
            if last in K.WEBSOCKET_RECEIVE and self._is_websocket(receiver):
                return frozenset({Source(UNTRUSTED, node, f"{_code(func)}()")})
        if qualified in ENV_LOOKUPS or qualified.endswith(("environ.get", ".getenv")):
            env = literal_string(node.args[0].value) if node.args else None
            if env is not None and is_credential_name(env):
                return frozenset({Source(SECRET, node, f"{qualified}({env!r})")})
            return _EMPTY

        # sanitizers and metrics
        kind = self._sanitizer_kind(node, qualified, last)
        if kind is not None:
            inner = args_taint() | (ev(func.value, frame, pos, local, summary, depth)
                                    if isinstance(func, cst.Attribute) and kind == "metric" else _EMPTY)
            return _sanitize(inner, _ALL_LABELS if kind in ("metric", "digest") else
                             _ESCAPED_LABELS if kind == "escape" else _REDACTED_LABELS)

        # functions of this module: their summary
        target = self._resolve_function(func, frame)
        if target is not None:
            return self._apply_summary(target, node, frame, pos, local, summary, depth)

        out = _EMPTY
        if isinstance(func, cst.Attribute):
            receiver_taint = ev(func.value, frame, pos, local, summary, depth)
            if last in K.METRIC_METHODS:
                return _sanitize(receiver_taint, _ALL_LABELS)
            if last == "get" and node.args:
                key = literal_string(node.args[0].value)
                default = ev(node.args[1].value, frame, pos, local, summary, depth) if len(node.args) > 1 else _EMPTY
                if key is not None:
                    if dotted_name(func.value) in ("os.environ", "environ"):
                        return default
                    element = self._dict_element(func.value, key, frame, pos, local, depth)
                    owner = func.value.value if isinstance(func.value, cst.Name) else None
                    if element is not None:
                        receiver_taint = ev(element, frame, pos, local, summary, depth)
                    elif owner is not None and owner in frame.by_name and not (local and owner in local):
                        # as for `d[key]`: stores into other fields of `d` do not reach this one
                        receiver_taint = self._lookup(owner, func.value, frame, pos, summary, depth, field=key)
                    return self._field(node, key, receiver_taint, func.value,
                                       f"{_code(func.value)}.get({key!r})") | default
            if last in K.DATA_METHODS or last in K.FORMATTING_METHODS:
                out = receiver_taint
            if last in K.FORMATTING_METHODS or qualified in K.PROPAGATING_CALLS:
                out = out | args_taint()
            elif last[:1].isupper():
                out = out | args_taint(constructor=True)  # `langchain.schema.HumanMessage(content=...)`
        elif qualified in K.PROPAGATING_CALLS:
            out = args_taint()  # conversions and serializers: `str(x)`, `json.dumps(x)`
        elif last[:1].isupper() and not last.endswith(("Error", "Exception")):
            out = args_taint(constructor=True)  # constructors: `HumanMessage(content=...)`, `Prompt(**d)`
        # an accessor named for personal data or a secret: `user.get_email()`, `get_api_key()`
        if last and not out:
            owner = dotted_name(func.value) if isinstance(func, cst.Attribute) else None
            owner_person = bool(owner) and self.pii.is_person_like(owner.rsplit(".", 1)[-1])  # type: ignore[union-attr]
            if self.pii.is_pii_name(last, owner_is_person=owner_person, accessor=True) and _looks_accessor(last):
                out = frozenset({Source(PII, node, f"{_code(func)}()")})
            elif is_credential_name(last) and _looks_accessor(last):
                out = frozenset({Source(SECRET, node, f"{_code(func)}()")})
        return out

    def _sanitizer_kind(self, node: cst.Call, qualified: str, last: str) -> str | None:
        if qualified in K.METRIC_CALLS or (qualified.startswith("hashlib.") or qualified == "hmac.new"):
            return "metric" if not qualified.startswith(("hashlib", "hmac")) else "digest"
        if qualified in K.ESCAPING_CALLS or last in ("quote", "escape"):
            return "escape"
        if qualified in self.sanitizers or last in self._sanitizer_lasts:
            return "redact"
        lowered = last.lower()
        if not lowered:
            return None
        tokens = tokens_of(last) or [lowered]
        if any(t.startswith(K.DIGEST_STEMS) for t in tokens):
            return "digest"
        if any(t.startswith(K.REDACTING_STEMS) for t in tokens) or lowered.startswith(K.REDACTING_STEMS):
            return "redact"
        return None

    def _is_metric_or_sanitizer(self, node: cst.Call) -> bool:
        return self._sanitizer_kind(node, self.semantics.qualified_name(node.func) or "", _callee_last(node.func)) \
            is not None

    # --- helper functions: summaries ----------------------------------------------------------
    def _resolve_function(self, func: cst.BaseExpression, frame: _Frame) -> cst.FunctionDef | None:
        if isinstance(func, cst.Name):
            if func.value in self.semantics.imports:
                return None
            return self._module_functions().get(func.value)
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in ("self", "cls"):
            caller = frame.node
            self._module_functions()
            klass = self._class_of.get(caller) if isinstance(caller, cst.FunctionDef) else None
            if klass is None:
                return None
            methods = self._methods.get(klass)
            if methods is None:
                methods = {
                    s.name.value: s for s in klass.body.body if isinstance(s, cst.FunctionDef)  # type: ignore[union-attr]
                }
                self._methods[klass] = methods
            return methods.get(func.attr.value)
        return None

    def _module_functions(self) -> dict[str, cst.FunctionDef]:
        if self._functions is None:
            self._functions = {}
            for statement in self.module.body:
                if isinstance(statement, cst.FunctionDef):
                    self._functions[statement.name.value] = statement
                elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
                    for member in statement.body.body:
                        if isinstance(member, cst.FunctionDef):
                            self._class_of[member] = statement
        return self._functions

    def _summary(self, function: cst.FunctionDef, depth: int) -> frozenset:
        if function in self._summaries:
            return self._summaries[function] or _EMPTY  # None: being computed (recursion)
        self._summaries[function] = None
        frame = self._frames.get(function)
        if frame is None or not frame.done:
            frame = self._record_alone(function)
        out = _EMPTY
        for event in frame.events:
            if event.kind == _RETURN:
                out = out | self._eval(event.value, frame, event.pos, None, True, depth)
        self._summaries[function] = out
        return out

    def _record_alone(self, function: cst.FunctionDef) -> _Frame:
        """Record a function the walk has not reached yet, from its own nodes only."""
        from linter.engine.walker import Dispatcher

        recorder = DataflowTracker(self.semantics, self.module, pii=self.pii, sanitizers=self.sanitizers,
                                   is_ai_request=self.is_ai_request)
        recorder._recording_only = True
        recorder._module_frame = self._module_frame
        recorder._stack = [self._module_frame]
        Dispatcher([recorder]).walk(function)
        frame = recorder._frames[function]
        frame.parent = self._module_frame
        frame.done = True
        return frame

    def _apply_summary(self, function: cst.FunctionDef, node: cst.Call, frame: _Frame, pos: int,
                       local: dict | None, summary: bool, depth: int) -> frozenset:
        returned = self._summary(function, depth)
        if not returned:
            return _EMPTY
        bound, surplus, starred = bind_arguments(function, node)
        extra = surplus + starred
        out = _EMPTY
        for item in returned:
            if isinstance(item, Source):
                out = out | {item}
                continue
            values = bound.get(item.name, extra)
            for value in values:
                taint = self._eval(value, frame, pos, local, summary, depth)
                taint = frozenset(s for s in taint if not (isinstance(s, Source) and s.label in item.drop))
                out = out | (_sanitize(taint, item.sanitize) if item.sanitize else taint)
        return out

    # --- classification helpers -------------------------------------------------------------
    def _is_request_object(self, node: cst.BaseExpression, frame: "_Frame | None" = None) -> bool:
        dotted = dotted_name(node)
        if dotted is None:
            return False
        if frame is not None and isinstance(node, cst.Name) and dotted in frame.by_name and dotted not in frame.params:
            return False  # `request = requests.get(url)`: a local response, not the framework's request
        if dotted in K.REQUEST_OBJECT_NAMES:
            return True
        qualified = self.semantics.qualified_name(node)
        return qualified in K.REQUEST_OBJECT_NAMES

    def _is_websocket(self, node: cst.BaseExpression) -> bool:
        dotted = dotted_name(node)
        return dotted is not None and any(t in K.WEBSOCKET_WORDS for t in tokens_of(dotted))

    def _is_route(self, node: cst.FunctionDef) -> bool:
        for decorator in node.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Call):
                expr = expr.func
            if isinstance(expr, cst.Attribute) and expr.attr.value in K.ROUTE_DECORATOR_ATTRS:
                return True
            if isinstance(expr, cst.Name) and expr.value in ("api_view",):
                return True
        return False

    def _is_request_data_param(self, param: cst.Param) -> bool:
        name = param.name.value
        if name in ("self", "cls"):
            return False
        if param.annotation is not None:
            annotation = dotted_name(param.annotation.annotation) or ""
            if annotation.rsplit(".", 1)[-1] in K.ROUTE_NON_DATA_ANNOTATIONS:
                return False
        elif name in K.ROUTE_NON_DATA_PARAMS:
            return False
        default = param.default
        if isinstance(default, cst.Call) and _callee_last(default.func) in K.DEPENDENCY_DEFAULTS:
            return False
        return True


# ===================================================================== helpers ==============
def _path_parameters(node: cst.FunctionDef) -> frozenset[str]:
    """The parameters the route decorators of `node` bind from the URL path."""
    from linter.engine.routes import path_parameters, route_path  # with the tree, as routes is

    found: frozenset[str] = frozenset()
    for decorator in node.decorators:
        if isinstance(decorator.decorator, cst.Call):
            path = route_path(decorator.decorator)
            if path is not None:
                found = found | path_parameters(path)
    return found


def _order(source: Source) -> tuple:
    return (LABELS.index(source.label) if source.label in LABELS else len(LABELS), source.sanitized,
            source.description)


def ai_request_payloads(ai) -> list[AiRequest]:
    """For the AI-call model `ai` (engine/ai_calls.py): each AI request with the expressions that
    are its prompt or whole payload — prompt arguments, `**params` spreads, a raw request's body."""
    out: list[AiRequest] = []
    for call in ai.calls:
        values = [prompt.value for prompt in call.prompts]
        values += [arg.value for arg in call.node.args if arg.star == "**"]
        request = ai.http_request(call.node)
        if request is not None and request.body is not None:
            values.append(request.body)
        if values:
            out.append((call.node, call.callee, values))
    return out


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            names.extend(_target_names(element.value))
        return names
    if isinstance(target, cst.StarredElement):
        return _target_names(target.value)
    return []


def _without(taint: frozenset, labels: set[str]) -> frozenset:
    out = set()
    for item in taint:
        if isinstance(item, Source):
            if item.label not in labels:
                out.add(item)
        else:
            out.add(_Param(item.name, item.drop | frozenset(labels), item.sanitize))
    return frozenset(out)


#: at most this many characters of a value make a masked preview, not a copy
SHORT_SLICE = 8


def _is_short_slice(node: cst.Subscript) -> bool:
    """`v[:4]`, `v[-4:]`, `v[2:6]`: a slice with constant bounds at most SHORT_SLICE wide."""
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Slice):
        return False
    part = node.slice[0].slice

    def bound(expr: cst.BaseExpression | None) -> int | None:
        if expr is None:
            return None
        if isinstance(expr, cst.Integer):
            return int(expr.value, 0)
        if isinstance(expr, cst.UnaryOperation) and isinstance(expr.operator, cst.Minus) \
                and isinstance(expr.expression, cst.Integer):
            return -int(expr.expression.value, 0)
        raise ValueError

    try:
        lower, upper = bound(part.lower), bound(part.upper)
    except ValueError:
        return False
    if part.step is not None:
        return False
    if lower is None and upper is not None:
        return 0 < upper <= SHORT_SLICE
    if upper is None and lower is not None:
        return -SHORT_SLICE <= lower < 0
    if lower is not None and upper is not None:
        return 0 <= upper - lower <= SHORT_SLICE and (lower >= 0) == (upper >= 0)
    return False


def _sanitize(taint: frozenset, labels: frozenset) -> frozenset:
    out = set()
    for item in taint:
        if isinstance(item, Source):
            if item.label in labels and not item.sanitized:
                item = Source(item.label, item.expr, item.description, True, item.whole_object)
            out.add(item)
        else:
            out.add(_Param(item.name, item.drop, item.sanitize | labels))
    return frozenset(out)


def _all_sanitized(taint: frozenset) -> bool:
    return all(isinstance(s, Source) and s.sanitized for s in taint)


def _is_constant(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary)):
        return True
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return True
    return literal_string(node) is not None


def _is_definite(node: cst.BaseExpression) -> bool:
    """A value whose content the dataflow fully knows (so the name it is given adds nothing)."""
    return _is_constant(node) or isinstance(
        node, (cst.FormattedString, cst.ConcatenatedString, cst.List, cst.Tuple, cst.Dict, cst.Set, cst.ListComp,
               cst.DictComp, cst.SetComp, cst.GeneratorExp, cst.Comparison, cst.BinaryOperation,
               cst.BooleanOperation, cst.Lambda, cst.UnaryOperation)
    )


def _is_pair(node: cst.Tuple) -> bool:
    """A `(role, text)` chat message: two items, the first a literal word."""
    if len(node.elements) != 2:
        return False
    first = literal_string(node.elements[0].value)
    return first is not None and first.isidentifier()


def _looks_accessor(name: str) -> bool:
    tokens = tokens_of(name)
    return bool(tokens) and tokens[0] in ("get", "fetch", "load", "read", "lookup", "find", "retrieve", "extract")
