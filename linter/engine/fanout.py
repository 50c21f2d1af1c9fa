"""Loops and concurrent fan-outs, and whether something throttles them (AIL402 groundwork).

A *fan-out* is code that runs one call many times: a `for`/`while` loop, a comprehension
(`asyncio.gather(*[ask(q) for q in qs])` is one), an executor or `asyncio.gather` `map`
of a function, tasks spawned in a loop inside a `TaskGroup`. It is *throttled* when a sleep
(not `sleep(0)`), a limiter or a semaphore (`with`/`async with`, `acquire()`, `hit()`) runs in
it or around it, or when the function it fans out rate-limits itself (a rate-limit
decorator, or a sleep/semaphore/limiter in its body).

The tracker does not know what an AI request is: `unthrottled(is_ai_call, is_ai_function)`
takes that as callbacks, so the AI-call model (`ctx.ai`) plugs in from the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from linter.engine.libcst_loader import cst

from linter.engine.semantics import Semantics, dotted_name, positional_args
from linter.knowledge import web

if TYPE_CHECKING:
    from linter.engine.context import FileContext

_MAP_METHODS = frozenset({"map", "imap", "imap_unordered", "starmap", "map_async"})
_SUBMIT_METHODS = frozenset({"submit", "apply_async", "run_in_executor", "start_soon", "to_thread", "run_sync"})


@dataclass
class FanOut:
    """One loop, comprehension or map that runs calls many times."""

    kind: str
    node: cst.CSTNode
    parent: "FanOut | None"
    #: the calls each iteration makes (outside nested functions)
    calls: list[cst.Call] = field(default_factory=list)
    #: functions fanned out by reference: `executor.map(ask, qs)`, `pool.submit(ask, q)`
    mapped: list[cst.BaseExpression] = field(default_factory=list)
    #: what throttles it, if anything runs in it
    throttle: str | None = None

    def throttled_by(self) -> str | None:
        current: FanOut | None = self
        while current is not None:
            if current.throttle:
                return current.throttle
            current = current.parent
        return None


@dataclass(frozen=True)
class FanOutHit:
    """An AI request made many times with no throttle."""

    fanout: FanOut
    #: the call or the function reference that makes the request
    node: cst.CSTNode
    #: what the AI callback said it is (e.g. `client.chat.completions.create`)
    label: str


class _Barrier:
    """A function boundary: its body runs when called, not once per enclosing iteration."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.throttle: str | None = None


class _Scope:
    """A `with` block: a semaphore/limiter throttles what runs in it; a TaskGroup spawns tasks."""

    def __init__(self, throttle: str | None, task_group: bool) -> None:
        self.throttle = throttle
        self.task_group = task_group


class FanOutTracker:
    """The engine's visitor for fan-outs. Exposed to rules as `ctx.fanout`."""

    def __init__(self, ctx: "FileContext") -> None:
        assert ctx.semantics is not None
        self.ctx = ctx
        self.semantics: Semantics = ctx.semantics
        self.fanouts: list[FanOut] = []
        #: functions of this file that throttle themselves: qualname -> what
        self.throttled_functions: dict[str, str] = {}
        self._stack: list[FanOut | _Barrier | _Scope] = []
        self._gather_args: dict[int, str] = {}
        self._executors: set[str] = set()

    # --- queries ------------------------------------------------------------------------
    def unthrottled(
        self,
        is_ai_call: Callable[[cst.Call], str | None],
        is_ai_function: Callable[[cst.BaseExpression], str | None] | None = None,
    ) -> list[FanOutHit]:
        """The AI requests made in a fan-out that nothing throttles (call after the walk)."""
        hits: list[FanOutHit] = []
        for fanout in self.fanouts:
            if fanout.throttled_by() is not None:
                continue
            for call in fanout.calls:
                label = is_ai_call(call)
                if label and not self._helper_throttled(call.func):
                    hits.append(FanOutHit(fanout, call, label))
            for ref in fanout.mapped:
                label = is_ai_function(ref) if is_ai_function is not None else None
                if label and not self._helper_throttled(ref):
                    hits.append(FanOutHit(fanout, ref, label))
        return hits

    def _helper_throttled(self, func: cst.BaseExpression) -> bool:
        name = dotted_name(func)
        if name is None:
            return False
        if name.startswith(("self.", "cls.")):
            name = name.split(".", 1)[1]
            return any(q.endswith("." + name) for q in self._all_throttled())
        return name in self._all_throttled()

    def _all_throttled(self) -> dict[str, str]:
        limited = getattr(self.ctx.routes, "limited_functions", None) or {}
        return {**limited, **self.throttled_functions}

    # --- helpers ------------------------------------------------------------------------
    def _innermost_fanout(self) -> FanOut | None:
        for entry in reversed(self._stack):
            if isinstance(entry, _Barrier):
                return None
            if isinstance(entry, FanOut):
                return entry
        return None

    def _innermost_barrier(self) -> _Barrier | None:
        for entry in reversed(self._stack):
            if isinstance(entry, _Barrier):
                return entry
        return None

    def _in_task_group(self) -> bool:
        for entry in reversed(self._stack):
            if isinstance(entry, _Barrier):
                return False
            if isinstance(entry, _Scope) and entry.task_group:
                return True
        return False

    def _enclosing_throttle(self) -> str | None:
        for entry in reversed(self._stack):
            if isinstance(entry, _Barrier):
                return None
            if isinstance(entry, _Scope) and entry.throttle:
                return entry.throttle
        return None

    def _push(self, kind: str, node: cst.CSTNode) -> None:
        if self._in_task_group():
            kind = f"{kind} spawning tasks in a TaskGroup"
        fanout = FanOut(kind, node, self._innermost_fanout(), throttle=self._enclosing_throttle())
        self.fanouts.append(fanout)
        self._stack.append(fanout)

    def _pop(self) -> None:
        if self._stack:
            self._stack.pop()

    def _throttle_of_call(self, node: cst.Call, qn: str) -> str | None:
        if qn in web.SLEEP_FUNCTIONS:
            args = list(positional_args(node))
            if args and isinstance(args[0].value, (cst.Integer, cst.Float)) and float(args[0].value.value) == 0:
                return None  # sleep(0) only yields
            return f"`{qn}()`"
        parts = qn.lstrip(".").split(".")
        if any(web.says_limit(part) for part in parts):
            return f"`{dotted_name(node.func) or qn}()`"
        if isinstance(node.func, cst.Attribute) and node.func.attr.value in ("acquire", "hit", "wait"):
            if self._is_bound(node.func.value):
                return f"`{dotted_name(node.func)}()`"
        return None

    def _is_bound(self, node: cst.BaseExpression) -> bool:
        """A semaphore or limiter object (by constructor, or by a name that says so)."""
        routes = self.ctx.routes
        constructor = routes.constructor_of(node) if routes is not None else None
        if constructor in web.SEMAPHORE_CONSTRUCTORS or constructor in web.LIMITER_CONSTRUCTORS:
            return True
        dotted = dotted_name(node) or ""
        last = dotted.rsplit(".", 1)[-1].lower()
        return "semaphore" in last or last in ("sem", "sema") or web.says_limit(last)

    # --- walk hooks -------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._stack.append(_Barrier(".".join(self.semantics.scope) or node.name.value))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        entry = self._stack.pop() if self._stack else None
        if isinstance(entry, _Barrier) and entry.throttle:
            self.throttled_functions[entry.name] = entry.throttle

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self._stack.append(_Barrier("<lambda>"))

    def leave_Lambda(self, node: cst.Lambda) -> None:
        self._pop()

    def visit_For(self, node: cst.For) -> None:
        self._push("async for loop" if node.asynchronous else "loop", node)

    def leave_For(self, node: cst.For) -> None:
        self._pop()

    def visit_While(self, node: cst.While) -> None:
        self._push("while loop", node)

    def leave_While(self, node: cst.While) -> None:
        self._pop()

    def visit_BaseComp(self, node: cst.BaseComp) -> None:
        self._push(self._gather_args.pop(id(node), "comprehension"), node)

    def leave_BaseComp(self, node: cst.BaseComp) -> None:
        self._pop()

    def visit_With(self, node: cst.With) -> None:
        throttle, task_group = None, False
        for item in node.items:
            expr = item.item
            func = expr.func if isinstance(expr, cst.Call) else expr
            qn = self.semantics.qualified_name(func) or ""
            if qn in web.TASK_GROUPS:
                task_group = True
            elif qn in web.SEMAPHORE_CONSTRUCTORS or qn in web.LIMITER_CONSTRUCTORS or self._is_bound(func):
                throttle = throttle or f"`with {dotted_name(func) or qn}`"
            if qn in web.EXECUTOR_CONSTRUCTORS and item.asname is not None:
                name = dotted_name(item.asname.name)  # type: ignore[arg-type]
                if name:
                    self._executors.add(name)
        if throttle:
            fanout = self._innermost_fanout()
            if fanout is not None:
                fanout.throttle = fanout.throttle or throttle
            barrier = self._innermost_barrier()
            if barrier is not None and fanout is None:
                barrier.throttle = barrier.throttle or throttle
        self._stack.append(_Scope(throttle, task_group))

    def leave_With(self, node: cst.With) -> None:
        self._pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if isinstance(node.value, cst.Call):
            qn = self.semantics.qualified_name(node.value.func) or ""
            if qn in web.EXECUTOR_CONSTRUCTORS:
                for target in node.targets:
                    name = dotted_name(target.target)
                    if name:
                        self._executors.add(name)

    def visit_Call(self, node: cst.Call) -> None:
        qn = self.semantics.qualified_name(node.func) or ""
        fanout = self._innermost_fanout()
        throttle = self._throttle_of_call(node, qn)
        if throttle:
            if fanout is not None:
                fanout.throttle = fanout.throttle or throttle
            else:
                barrier = self._innermost_barrier()
                if barrier is not None:
                    barrier.throttle = barrier.throttle or throttle
        if fanout is not None:
            fanout.calls.append(node)
        func = node.func
        if qn in web.GATHER_FUNCTIONS:
            for arg in node.args:
                value = arg.value
                if isinstance(value, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
                    self._gather_args[id(value)] = f"`{qn}` over a comprehension"
                elif isinstance(value, cst.Call) and dotted_name(value.func) == "map" and value.args:
                    self._map(f"`{qn}` over `map`", value, value.args[0].value)
        elif isinstance(func, cst.Attribute) and func.attr.value in _MAP_METHODS and node.args:
            receiver = dotted_name(func.value) or ""
            last = receiver.rsplit(".", 1)[-1].lower()
            if receiver in self._executors or "executor" in last or "pool" in last:
                self._map(f"`{receiver}.{func.attr.value}`", node, node.args[0].value)
        elif fanout is not None and isinstance(func, cst.Attribute) and func.attr.value in _SUBMIT_METHODS:
            args = list(positional_args(node))
            index = 1 if func.attr.value == "run_in_executor" else 0
            if len(args) > index and isinstance(args[index].value, (cst.Name, cst.Attribute)):
                fanout.mapped.append(args[index].value)

    def _map(self, kind: str, node: cst.Call, function: cst.BaseExpression) -> None:
        if not isinstance(function, (cst.Name, cst.Attribute)):
            return
        fanout = FanOut(kind, node, self._innermost_fanout(), throttle=self._enclosing_throttle())
        fanout.mapped.append(function)
        self.fanouts.append(fanout)
