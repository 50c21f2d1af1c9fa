"""AIL402: AI requests made in a loop or a concurrent fan-out with no throttle."""

from __future__ import annotations

from linter.engine.libcst_loader import cst

from linter.engine.semantics import dotted_name
from linter.rules.base import Rule


class UnthrottledAiFanOut(Rule):
    """What it does:
    Finds AI requests made many times at once or in a tight loop — in a `for`/`while`
    loop, a comprehension, `asyncio.gather` over a comprehension, tasks spawned in a loop
    in a `TaskGroup`, or an executor's `map` — when nothing throttles them: no sleep, no
    limiter, no semaphore, and no rate-limit decorator on the helper that makes the request.

    Why is this bad:
    A fan-out over user-sized input sends requests as fast as the machine can: it hits the
    provider's rate limits (and fails half-way), and its cost grows with the input.

    Example:
        answers = await asyncio.gather(*[ask(q) for q in questions])

    Use instead:
        sem = asyncio.Semaphore(4)
        async def ask_bounded(q):
            async with sem:
                return await ask(q)
        answers = await asyncio.gather(*[ask_bounded(q) for q in questions])

    Fix:
    Bound the concurrency with a semaphore or a limiter (aiolimiter, `ratelimit`), or pace
    the loop.

    Options:
    None. Off by default: select it with `--extend-select AIL402`.

    References:
    - CWE-770: Allocation of Resources Without Limits or Throttling
    - OWASP LLM10:2025 Unbounded Consumption
    """

    code = "AIL402"
    name = "unthrottled-ai-fan-out"
    summary = "AI requests are made in a loop or fan-out with no throttle"
    default = False
    severity = "warning"
    tags = ("CWE-770", "LLM10:2025", "cost")
    security_severity = 3.0
    hint = "bound it with a semaphore or a rate limiter, or pace the loop"
    triggers = ("for ", "while ", "gather", "map(", "TaskGroup")
    uses = ("fanout",)

    def finish(self) -> None:
        ai, fanout = getattr(self.ctx, "ai", None), self.ctx.fanout
        if ai is None or fanout is None:
            return
        local_ai = set(self.ctx.facts.get("ai_functions") or ())

        def is_ai_function(expr: cst.BaseExpression) -> str | None:
            name = dotted_name(expr) or ""
            if name.startswith(("self.", "cls.")):
                short = name.split(".", 1)[1]
                return next((f for f in local_ai if f.endswith("." + short)), None)
            return name if name in local_ai else None

        def is_ai_call(call: cst.Call) -> str | None:
            found = ai.call(call)
            if found is not None:
                return found.callee
            return is_ai_function(call.func)

        for hit in fanout.unthrottled(is_ai_call, is_ai_function):
            self.report(
                hit.node,
                f"AI request `{hit.label}` made in a {hit.fanout.kind} with no throttle; "
                "bound it with a semaphore or a rate limiter",
            )
