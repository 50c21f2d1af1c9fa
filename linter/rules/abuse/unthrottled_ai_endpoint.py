"""AIL401: a web request handler that reaches an AI request with no rate limit."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from linter.findings import Finding
from linter.knowledge.web import GLOBAL_LIMITER_TRIGGERS, may_define_handler
from linter.rules.base import Rule

if TYPE_CHECKING:
    from linter.config import Config
    from linter.engine.cache import ResultCache
    from linter.findings import FileResult


class UnthrottledAiEndpoint(Rule):
    """What it does:
    Finds web request handlers — Flask, FastAPI, Starlette, Django (function and class
    views, DRF), aiohttp, Quart, Sanic, Litestar — that make an AI request, directly or
    through functions of the scanned project (other modules included), with no rate limit:
    no limiter decorator (slowapi, flask-limiter, django-ratelimit, ratelimit, limits, or
    one configured), no fastapi-limiter dependency on the route or its router, no DRF
    throttle classes on the view, no call in the handler to a function whose name says it
    limits (`check_rate_limit()`, `enforce_quota(user)`), and no global limiter anywhere in
    the project (a limiter with default limits, rate-limit middleware on the app, DRF
    `DEFAULT_THROTTLE_CLASSES`).

    Why is this bad:
    Every request to such an endpoint is a paid model call. Without a per-user or per-IP
    limit one client can run up the bill, exhaust the provider quota for everyone, and
    use the endpoint as a free proxy to the model (OWASP LLM10: unbounded consumption).

    Example:
        @app.post("/chat")
        async def chat(q: str):
            return await client.chat.completions.create(model="gpt-4o", messages=[...])

    Use instead:
        @app.post("/chat")
        @limiter.limit("10/minute")
        async def chat(request: Request, q: str):
            return await client.chat.completions.create(model="gpt-4o", messages=[...])

    Fix:
    Add a rate limit keyed by user or client IP: a limiter decorator or dependency on the
    route, throttle classes on the view, or a limiter with default limits on the app.

    Options:
    `[tool.ailint.rate-limit] extend-decorators`: more decorators that rate-limit.

    References:
    - CWE-770: Allocation of Resources Without Limits or Throttling
    - OWASP LLM10:2025 Unbounded Consumption
    """

    code = "AIL401"
    name = "unthrottled-ai-endpoint"
    summary = "A web handler calls an AI API with no rate limit"
    severity = "warning"
    tags = ("CWE-770", "LLM10:2025", "security", "cost")
    security_severity = 5.3
    hint = "add a per-user or per-IP rate limit (limiter decorator, dependency, throttle class or global limiter)"
    # A finding starts at a handler, so a file that can define none, and configures no
    # global limiter, has nothing to report here. The other facts of the project phase (which
    # functions call which, which make AI requests, re-exports) are completed on demand: the
    # project phase analyzes the files a handler's calls reach that the pre-filter skipped
    # (engine/project.py). tests/test_abuse_triggers.py checks the triggers on every fixture.
    triggers = (may_define_handler, *GLOBAL_LIMITER_TRIGGERS)
    uses = ("routes",)

    def finish(self) -> None:
        routes = self.ctx.routes
        if routes is None:
            return
        for handler in routes.handlers:
            if handler.limited_by:
                continue
            # Deferred: only the project phase knows whether it reaches an AI request and
            # whether a global limiter elsewhere covers it.
            self.report(
                handler.node.name,
                f"request handler `{handler.name}` makes an AI request with no rate limit",
                condition={"rule": self.code, "handler": handler.name},
            )

    @classmethod
    def resolve_project(cls, results: list["FileResult"], config: "Config", cache: "ResultCache | None" = None) -> None:
        from linter.engine.project import ProjectIndex, project_facts

        deferred = [
            (result, entry)
            for result in results
            for entry in result.facts.get("deferred_findings", ())
            if entry.get("condition", {}).get("rule") == cls.code
        ]
        if not deferred:
            return
        index = ProjectIndex(project_facts(results, config, cache=cache))
        verdicts = index.verdicts({result.path for result, _ in deferred})
        for result, entry in deferred:
            verdict = verdicts.get((result.path, entry["condition"]["handler"]))
            if verdict is None or verdict.covered_by:
                continue
            finding = Finding.from_dict(entry["finding"])
            path = " -> ".join(f"`{step}`" for step in verdict.chain)
            how = "directly" if len(verdict.chain) == 1 else f"via {path}"
            message = (
                f"request handler `{verdict.handler}` calls an AI API (`{verdict.ai_call}`) {how} "
                "with no rate limit; throttle it per user or IP"
            )
            result.findings.append(replace(finding, message=message))
