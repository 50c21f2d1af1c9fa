"""Log calls, and what each one writes — the sinks AIL501–AIL504 share (`ctx.logs`).

One engine visitor in the single walk. It recognizes log calls (the sink vocabulary is data in
`linter/knowledge/logging_sinks.py`): the `logging` module and loggers, loguru, structlog,
`warnings.warn`, `print` inside a request handler or to a file, and, in a logging helper
(a function whose name says log/audit/trace), writes to a file opened for append and
`json.dump` to a file. Loggers are known by construction (`logging.getLogger(...)`,
`structlog.get_logger()`, `loguru.logger`, bound to a name or `self.x`) or by name.

Each log call's arguments are split into *logged values*: the expressions of an f-string,
the operands of `+`, the arguments of `%` and `.format`, the entries of a dict (such as
`extra={...}`), structlog's keyword arguments — so that a finding can say which part is the
problem. After the walk (handlers are known then), `calls` lists the log calls and
`sources(call)` says, once per call, which dataflow sources reach which logged value — the
four dataflow labels plus "ai_request" (`payload_flow.py`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from linter.engine.libcst_loader import cst

from linter.engine.semantics import dotted_name, keyword_arg, literal_string, positional_args
from linter.knowledge import logging_sinks as L
from linter.knowledge.credentials import is_credential_name
from linter.knowledge.pii import tokens_of


@dataclass(frozen=True)
class LoggedValue:
    """One part of what a log call writes."""

    expr: cst.BaseExpression
    #: the structlog keyword / `extra` key / dict key it is logged under, if any
    key: str | None = None


@dataclass
class LogCall:
    node: cst.Call
    #: readable sink: "logger.info", "logging.debug", "print", "warnings.warn", "f.write"
    sink: str
    kind: str  # "logging" | "loguru" | "structlog" | "print" | "warnings" | "file"
    values: tuple[LoggedValue, ...]
    #: the enclosing functions, innermost last
    functions: tuple[cst.FunctionDef, ...] = ()
    #: for "file" sinks: the logging helper's parameter names
    helper_params: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class LoggedSource:
    value: LoggedValue
    source: object  # engine.dataflow.Source


_LABELS = ("pii", "secret", "untrusted", "model_output", "ai_request")


class LogTracker:
    """The engine's log-call recognizer. Exposed to rules as `ctx.logs`."""

    def __init__(self, ctx) -> None:
        # a weak reference: ctx holds this tracker (a cycle keeps every tree alive until the GC runs)
        self._ctx = weakref.ref(ctx)
        self.semantics = ctx.semantics
        self._loggers: dict[str, str] = {}  # bound name -> kind
        self._append_files: list[set[str]] = [set()]
        self._functions: list[cst.FunctionDef] = []
        #: every recognized call in walk order; a bare `print` counts only inside a handler
        self._recorded: list[tuple[LogCall, bool]] = []
        self._calls: list[LogCall] | None = None
        self._sources: dict[int, list[LoggedSource]] = {}

    @property
    def ctx(self):
        return self._ctx()

    # ----------------------------------------------------------------- queries
    @property
    def calls(self) -> list[LogCall]:
        """The log calls of the file (complete after the walk)."""
        if self._calls is None:
            routes = self.ctx.routes if self.ctx is not None else None
            self._calls = [
                call for call, needs_handler in self._recorded
                if not needs_handler
                or routes is not None and any(routes.handler_for(f) is not None for f in call.functions)
            ]
        return self._calls

    def sources(self, call: LogCall) -> list[LoggedSource]:
        """Every unsanitized dataflow source reaching a logged value of `call` (all labels,
        "ai_request" included), computed once per call."""
        found = self._sources.get(id(call.node))
        if found is None:
            found = []
            for value in call.values:
                found.extend(LoggedSource(value, source) for source in self._value_sources(value, call.node))
            self._sources[id(call.node)] = found
        return found

    def _value_sources(self, value: LoggedValue, at: cst.Call) -> list:
        from linter.engine.dataflow import PII, SECRET, Source

        dataflow = self.ctx.dataflow
        found = dataflow.sources_of(value.expr, labels=_LABELS, include_sanitized=True, at=at)
        if value.key is not None and not found and not _is_literal(value.expr):
            # `extra={"email": row[3]}`, structlog `log.info("x", api_key=k)`: the key names the datum
            if is_credential_name(value.key):
                found = [Source(SECRET, value.expr, f"`{value.key}`")]
            elif dataflow.pii.is_pii_name(value.key):
                found = [Source(PII, value.expr, f"`{value.key}`")]
        # `api_key[:4]` (a short, bounded slice) is masked by the dataflow layer itself
        return [s for s in found if not s.sanitized]

    # ----------------------------------------------------------------- the walk
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)
        self._append_files.append(set())

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.pop()
        self._append_files.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        kind = self._made_logger(node.value)
        for target in node.targets:
            name = dotted_name(target.target)
            if name is None:
                continue
            if kind is not None:
                self._loggers[name] = kind
            elif self._opens_for_append(node.value):
                self._append_files[-1].add(name)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None and self._opens_for_append(node.item):
            name = dotted_name(node.asname.name)
            if name is not None:
                self._append_files[-1].add(name)

    def visit_Call(self, node: cst.Call) -> None:
        call = self._recognize(node)
        if call is None:
            return
        call.functions = tuple(self._functions)
        self._recorded.append((call, call.kind == "print" and keyword_arg(node, "file") is None))

    # ----------------------------------------------------------------- recognition
    def _qn(self, node: cst.BaseExpression) -> str:
        return self.semantics.qualified_name(node) or ""

    def _made_logger(self, value: cst.BaseExpression) -> str | None:
        """`logging.getLogger(...)` -> "logging", `structlog.get_logger()` -> "structlog"."""
        while isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) \
                and value.func.attr.value in ("bind", "opt", "new", "getChild", "patch", "contextualize"):
            value = value.func.value  # `structlog.get_logger().bind(x=1)`, `logger.opt(lazy=True)`
        if isinstance(value, cst.Call):
            qn = self._qn(value.func)
            if qn in L.LOGGER_FACTORIES:
                return "logging"
            if qn in L.STRUCTURED_FACTORIES or qn.startswith("structlog."):
                return "structlog"
            return None
        if self._qn(value) in L.LOGURU_LOGGERS:
            return "loguru"
        return None

    def _logger_kind(self, receiver: cst.BaseExpression) -> str | None:
        made = self._made_logger(receiver)
        if made is not None:
            return made
        if isinstance(receiver, cst.Call):
            return None
        qn = self._qn(receiver)
        if qn in L.LOGGING_MODULES:
            return "logging"
        if qn in L.LOGURU_LOGGERS:
            return "loguru"
        dotted = dotted_name(receiver)
        if dotted is None:
            return None
        if dotted in self._loggers:
            return self._loggers[dotted]
        last = dotted.rsplit(".", 1)[-1]
        if last.lower() in L.LOGGER_NAMES or L.LOGGER_NAME_RE.search(last):
            return "logging"
        return None

    def _recognize(self, node: cst.Call) -> LogCall | None:
        func = node.func
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in L.LEVEL_METHODS or method in L.LEVEL_FIRST_METHODS:
                kind = self._logger_kind(func.value)
                if kind is not None:
                    skip = 1 if method in L.LEVEL_FIRST_METHODS else 0
                    return LogCall(node, _spelling(func), kind, self._logged_args(node, kind, skip))
            if method in L.FILE_WRITE_METHODS and self._in_logging_helper():
                receiver = dotted_name(func.value)
                if receiver is not None and any(receiver in files for files in self._append_files):
                    return self._file_call(node, _spelling(func), [a.value for a in node.args[:1]])
        qn = self._qn(func)
        if qn in L.WARNING_CALLS:
            message = keyword_arg(node, "message")
            args = list(positional_args(node))
            value = message.value if message is not None else args[0].value if args else None
            if value is None:
                return None
            return LogCall(node, "warnings.warn", "warnings", tuple(_split(value)))
        if qn == "print" and isinstance(func, cst.Name):
            target = keyword_arg(node, "file")
            if target is not None and self._qn(target.value) in L.STDOUT_NAMES:
                return None
            values = [v for a in node.args if a.keyword is None and not a.star for v in _split(a.value)]
            return LogCall(node, "print", "print", tuple(values))
        if qn in L.FILE_DUMP_CALLS and self._in_logging_helper():
            args = list(positional_args(node))
            return self._file_call(node, qn, [args[0].value] if args else [])
        return None

    def _file_call(self, node: cst.Call, sink: str, values: list[cst.BaseExpression]) -> LogCall:
        function = self._functions[-1]
        params = function.params
        names = frozenset(p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params))
        return LogCall(node, sink, "file", tuple(v for value in values for v in _split(value)),
                       helper_params=names)

    def _in_logging_helper(self) -> bool:
        return bool(self._functions) and any(
            t in L.LOGGING_HELPER_WORDS for t in tokens_of(self._functions[-1].name.value)
        )

    def _opens_for_append(self, value: cst.BaseExpression) -> bool:
        if not isinstance(value, cst.Call):
            return False
        qn = self._qn(value.func)
        last = qn.rsplit(".", 1)[-1]
        if qn not in ("open", "io.open", "codecs.open") and last != "open":
            return False
        mode = keyword_arg(value, "mode")
        args = list(positional_args(value))
        position = 0 if isinstance(value.func, cst.Attribute) and qn not in ("io.open", "codecs.open") else 1
        node = mode.value if mode is not None else args[position].value if len(args) > position else None
        text = literal_string(node) if node is not None else None
        return text is not None and text.replace("t", "").replace("b", "") in ("a", "a+")

    def _logged_args(self, node: cst.Call, kind: str, skip: int) -> tuple[LoggedValue, ...]:
        values: list[LoggedValue] = []
        positional = [a for a in node.args if a.keyword is None and not a.star]
        for arg in positional[skip:]:
            values.extend(_split(arg.value))
        for arg in node.args:
            if arg.star:
                values.append(LoggedValue(arg.value))
            elif arg.keyword is not None:
                keyword = arg.keyword.value
                if keyword == "extra" or (keyword == "msg" and kind == "logging"):
                    values.extend(_split(arg.value))
                elif keyword not in L.CONTROL_KEYWORDS:
                    values.extend(_split(arg.value, keyword))
        return tuple(values)


def _spelling(func: cst.BaseExpression) -> str:
    dotted = dotted_name(func)
    if dotted is not None:
        return dotted
    if isinstance(func, cst.Attribute):
        return f"….{func.attr.value}"
    return "…"


def _split(value: cst.BaseExpression, key: str | None = None, depth: int = 0) -> list[LoggedValue]:
    """The parts of a logged expression: f-string fields, `+`/`%` operands, `format` arguments,
    dict entries. Constant text is dropped."""
    if depth > 20:
        return [LoggedValue(value, key)]
    depth += 1
    if isinstance(value, (cst.SimpleString, cst.Integer, cst.Float)):
        return []
    if isinstance(value, cst.FormattedString):
        return [v for part in value.parts if isinstance(part, cst.FormattedStringExpression)
                for v in _split(part.expression, key, depth)]
    if isinstance(value, cst.ConcatenatedString):
        return _split(value.left, key, depth) + _split(value.right, key, depth)  # type: ignore[arg-type]
    if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, (cst.Add, cst.Modulo)):
        right = value.right
        if isinstance(value.operator, cst.Modulo) and isinstance(right, cst.Tuple):
            return _split(value.left, key, depth) + [v for e in right.elements for v in _split(e.value, key, depth)]
        return _split(value.left, key, depth) + _split(right, key, depth)
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "format" \
            and isinstance(value.func.value, (cst.SimpleString, cst.ConcatenatedString)):
        return [v for a in value.args for v in _split(a.value, a.keyword.value if a.keyword else key, depth)]
    if isinstance(value, cst.Dict):
        out: list[LoggedValue] = []
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                out.extend(_split(element.value, literal_string(element.key) or key, depth))
            else:
                out.append(LoggedValue(element.value, key))
        return out
    return [LoggedValue(value, key)]


def _is_literal(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.Integer, cst.Float, cst.ConcatenatedString)) or (
        isinstance(node, cst.Name) and node.value in ("True", "False", "None"))



