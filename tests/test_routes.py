"""Route discovery, rate-limit detection (engine/routes.py) and fan-out detection
(engine/fanout.py), through the real analysis of one file."""

from __future__ import annotations

import textwrap

import libcst as cst
import pytest

from linter.config import Config, RateLimitConfig
from linter.engine.analyze import analyze_source


def facts(code: str, path: str = "app.py", config: Config | None = None) -> dict:
    return analyze_source(path, textwrap.dedent(code).encode(), config or Config(), ()).facts


def handlers(code: str, path: str = "app.py", config: Config | None = None) -> dict[str, dict]:
    return {h["name"]: h for h in facts(code, path, config).get("handlers", [])}


# --- discovery: positives per framework ------------------------------------------------------------

FRAMEWORK_CASES = {
    "flask": ("app.py", """
        from flask import Flask, Blueprint
        app = Flask(__name__)
        bp = Blueprint("x", __name__)
        @app.route("/chat", methods=["POST"])
        def chat(): ...
        @bp.post("/bp")
        def on_bp(): ...
        def registered(): ...
        app.add_url_rule("/reg", "registered", registered)
        def by_keyword(): ...
        app.add_url_rule("/kw", view_func=by_keyword)
    """, {"chat", "on_bp", "registered", "by_keyword"}),
    "flask-methodview": ("app.py", """
        from flask.views import MethodView
        class Chat(MethodView):
            def post(self): ...
            def _helper(self): ...
    """, {"Chat.post"}),
    "flask-factory": ("app.py", """
        from flask import Flask
        def create_app():
            app = Flask(__name__)
            @app.route("/")
            def index(): ...
            return app
    """, {"create_app.index"}),
    "fastapi": ("main.py", """
        from fastapi import FastAPI, APIRouter
        app = FastAPI()
        router = APIRouter(prefix="/v1")
        @app.post("/chat")
        async def chat(): ...
        @router.get("/items/{id}")
        async def item(id: int): ...
        @app.websocket("/ws")
        async def ws(websocket): ...
        async def added(): ...
        app.add_api_route("/added", added, methods=["POST"])
    """, {"chat", "item", "ws", "added"}),
    "starlette": ("main.py", """
        from starlette.applications import Starlette
        from starlette.routing import Route
        from starlette.endpoints import HTTPEndpoint
        async def homepage(request): ...
        class Users(HTTPEndpoint):
            async def get(self, request): ...
        routes = [Route("/", homepage), Route("/users", endpoint=Users)]
        app = Starlette(routes=routes)
    """, {"homepage", "Users.get"}),
    "django-views": ("polls/views.py", """
        from django.http import JsonResponse
        def ask(request):
            return JsonResponse({})
        def _private(request): ...
        def not_a_view(data): ...
    """, {"ask"}),
    "django-cbv-drf": ("api/endpoints.py", """
        from django.views import View
        from rest_framework.views import APIView
        from rest_framework import viewsets
        from rest_framework.decorators import api_view, action
        class Plain(View):
            def post(self, request): ...
        class Chat(APIView):
            def post(self, request): ...
        class Things(viewsets.ModelViewSet):
            def create(self, request): ...
            @action(detail=True, methods=["post"])
            def summarize(self, request, pk=None): ...
            def get_queryset(self): ...
        @api_view(["POST"])
        def completion(request): ...
    """, {"Plain.post", "Chat.post", "Things.create", "Things.summarize", "completion"}),
    "aiohttp": ("server.py", """
        from aiohttp import web
        routes = web.RouteTableDef()
        @routes.post("/chat")
        async def chat(request): ...
        async def other(request): ...
        async def listed(request): ...
        app = web.Application()
        app.router.add_post("/other", other)
        app.add_routes([web.get("/listed", listed)])
        class V(web.View):
            async def post(self): ...
    """, {"chat", "other", "listed", "V.post"}),
    "quart": ("app.py", """
        from quart import Quart
        app = Quart(__name__)
        @app.route("/chat", methods=["POST"])
        async def chat(): ...
    """, {"chat"}),
    "sanic": ("app.py", """
        from sanic import Sanic
        from sanic.views import HTTPMethodView
        app = Sanic("x")
        @app.post("/chat")
        async def chat(request): ...
        class V(HTTPMethodView):
            async def post(self, request): ...
    """, {"chat", "V.post"}),
    "litestar": ("app.py", """
        from litestar import Litestar, post, Controller
        @post("/chat")
        async def chat(data: dict) -> str: ...
        class C(Controller):
            path = "/c"
            @post()
            async def create(self, data: dict) -> str: ...
        app = Litestar([chat, C])
    """, {"chat", "C.create"}),
    "imported-app": ("routes/chat.py", """
        from ..main import app
        @app.post("/chat")
        def chat(): ...
    """, {"chat"}),
}


@pytest.mark.parametrize("case", sorted(FRAMEWORK_CASES))
def test_route_discovery(case: str) -> None:
    path, code, expected = FRAMEWORK_CASES[case]
    assert set(handlers(code, path)) == expected


def test_route_facts_carry_framework_route_and_receiver() -> None:
    found = handlers(FRAMEWORK_CASES["fastapi"][1], "main.py")
    assert found["item"] == {"name": "item", "framework": "fastapi", "route": "/items/{id}", "receiver": "router"}
    found = handlers(FRAMEWORK_CASES["imported-app"][1], "routes/chat.py")
    assert found["chat"]["receiver"] == "..main.app"
    assert handlers(FRAMEWORK_CASES["django-cbv-drf"][1], "api/endpoints.py")["Chat.post"]["drf"] is True


# --- discovery: negatives -------------------------------------------------------------------------

NEGATIVE_CASES = {
    "typer-cli": ("cli.py", """
        import typer
        app = typer.Typer()
        @app.command()
        def chat(): ...
    """),
    "requests-session-get": ("client.py", """
        import requests
        session = requests.Session()
        def fetch():
            return session.get("/api/x")
    """),
    "dict-get-decorator-lookalike": ("tool.py", """
        registry = {}
        @registry.get("name")
        def f(): ...
    """),
    "cache-get-with-path": ("tool.py", """
        from functools import lru_cache
        @lru_cache()
        def chat(): ...
    """),
    "request-param-outside-views": ("services/llm.py", """
        def ask(request):
            return request
    """),
    "non-view-class-methods": ("models.py", """
        class Client:
            def post(self, url): ...
            def get(self, url): ...
    """),
    "celery-task": ("tasks.py", """
        from celery import Celery
        app = Celery()
        @app.task
        def summarize(doc): ...
    """),
    "unknown-receiver-no-path": ("plugins.py", """
        from .registry import hooks
        @hooks.get("summarize")
        def summarize(): ...
    """),
}


@pytest.mark.parametrize("case", sorted(NEGATIVE_CASES))
def test_not_a_route(case: str) -> None:
    path, code = NEGATIVE_CASES[case]
    assert handlers(code, path) == {}


# --- local rate limits ------------------------------------------------------------------------------

LIMITED = """
    from fastapi import FastAPI, APIRouter, Depends, Request
    from fastapi_limiter.depends import RateLimiter
    from slowapi import Limiter
    from slowapi.util import get_remote_address
    from ratelimit import limits, sleep_and_retry
    from aiolimiter import AsyncLimiter
    from myapp.limits import throttled
    app = FastAPI()
    limiter = Limiter(key_func=get_remote_address)
    bucket = AsyncLimiter(10, 60)
    limited_router = APIRouter(dependencies=[Depends(RateLimiter(times=5, seconds=60))])

    @app.post("/slowapi")
    @limiter.limit("5/minute")
    async def slowapi_limited(request: Request): ...

    @app.post("/shared")
    @limiter.shared_limit("100/hour", scope="llm")
    async def shared(request: Request): ...

    @app.post("/dep", dependencies=[Depends(RateLimiter(times=2, seconds=5))])
    async def route_dependency(): ...

    @app.post("/param")
    async def param_dependency(_=Depends(RateLimiter(times=2, seconds=5))): ...

    @limited_router.post("/router")
    async def on_limited_router(): ...

    @app.post("/ratelimit")
    @sleep_and_retry
    @limits(calls=10, period=60)
    def ratelimit_lib(): ...

    @app.post("/body")
    async def body_call(request: Request):
        await check_rate_limit(request.client.host)

    @app.post("/quota")
    async def quota(user):
        enforce_quota(user)

    @app.post("/aiolimiter")
    async def aiolimited():
        async with bucket:
            ...

    @app.post("/configured")
    @throttled
    async def configured(): ...

    @app.post("/open")
    async def unlimited(): ...

    @app.post("/exempt")
    @limiter.exempt
    async def exempt(): ...

    @app.post("/getter")
    async def reads_a_limit():
        return get_rate_limit()
"""


def test_local_limits() -> None:
    config = Config(rate_limit=RateLimitConfig(("myapp.limits.throttled",)))
    found = handlers(LIMITED, "main.py", config)
    limited = {name for name, h in found.items() if h.get("limited_by")}
    assert limited == {
        "slowapi_limited", "shared", "route_dependency", "param_dependency", "on_limited_router",
        "ratelimit_lib", "body_call", "quota", "aiolimited", "configured",
    }
    assert found["exempt"].get("exempt") is True and "limited_by" not in found["exempt"]
    assert "limited_by" not in found["reads_a_limit"]
    assert "slowapi" in found["slowapi_limited"]["limited_by"]
    # without the configuration, `@throttled` still reads as a limiter by its name
    assert "limited_by" in handlers(LIMITED, "main.py")["configured"]


def test_configured_decorator_with_a_neutral_name() -> None:
    code = """
        from flask import Flask
        from myapp.guards import guarded
        app = Flask(__name__)
        @app.post("/chat")
        @guarded
        def chat(): ...
    """
    assert "limited_by" not in handlers(code)["chat"]
    config = Config(rate_limit=RateLimitConfig(("myapp.guards.guarded",)))
    assert "configured" in handlers(code, config=config)["chat"]["limited_by"]


def test_drf_throttles_on_views() -> None:
    code = """
        from rest_framework.views import APIView
        from rest_framework.decorators import api_view, throttle_classes
        from rest_framework.throttling import UserRateThrottle
        from django.utils.decorators import method_decorator
        from django_ratelimit.decorators import ratelimit
        from django.views import View
        class Throttled(APIView):
            throttle_classes = [UserRateThrottle]
            def post(self, request): ...
        class Scoped(APIView):
            throttle_scope = "llm"
            def post(self, request): ...
        class Disabled(APIView):
            throttle_classes = []
            def post(self, request): ...
        @method_decorator(ratelimit(key="ip", rate="5/m"), name="post")
        class Decorated(View):
            def post(self, request): ...
        @api_view(["POST"])
        @throttle_classes([UserRateThrottle])
        def fn(request): ...
        @ratelimit(key="user", rate="10/m")
        def plain(request): ...
    """
    found = handlers(code, "chat/views.py")
    assert {n for n, h in found.items() if h.get("limited_by")} == {
        "Throttled.post", "Scoped.post", "Decorated.post", "fn", "plain"
    }
    assert found["Disabled.post"].get("exempt") is True


def test_flask_limits() -> None:
    code = """
        from flask import Flask, Blueprint
        from flask.views import MethodView
        from flask_limiter import Limiter
        from flask_limiter.util import get_remote_address
        app = Flask(__name__)
        bp = Blueprint("api", __name__)
        limiter = Limiter(get_remote_address, app=app)
        class Chat(MethodView):
            decorators = [limiter.limit("10/minute")]
            def post(self): ...
        @bp.route("/x", methods=["POST"])
        def on_bp(): ...
        limiter.limit("1/second")(bp)
    """
    found = handlers(code)
    assert found["Chat.post"]["limited_by"] and found["on_bp"]["limited_by"]
    assert "global_limiters" not in facts(code)  # no default_limits: not global


# --- global limiters ------------------------------------------------------------------------------

GLOBAL_CASES = {
    "flask-limiter default_limits": ("app.py", """
        from flask_limiter import Limiter
        limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day"])
    """, "all"),
    "slowapi middleware": ("main.py", """
        from slowapi.middleware import SlowAPIMiddleware
        app.add_middleware(SlowAPIMiddleware)
    """, "all"),
    "starlette Middleware list": ("main.py", """
        from starlette.middleware import Middleware
        from slowapi.middleware import SlowAPIASGIMiddleware
        from starlette.applications import Starlette
        app = Starlette(middleware=[Middleware(SlowAPIASGIMiddleware)])
    """, "all"),
    "asgi wrapper": ("main.py", """
        from ratelimit import RateLimitMiddleware
        app = RateLimitMiddleware(app, authenticate, config)
    """, "all"),
    "fastapi app dependency": ("main.py", """
        from fastapi import FastAPI, Depends
        from fastapi_limiter.depends import RateLimiter
        app = FastAPI(dependencies=[Depends(RateLimiter(times=10, seconds=60))])
    """, "all"),
    "litestar rate limit config": ("app.py", """
        from litestar import Litestar
        from litestar.middleware.rate_limit import RateLimitConfig
        rate_limit_config = RateLimitConfig(rate_limit=("minute", 10))
        app = Litestar(route_handlers=[], middleware=[rate_limit_config.middleware])
    """, "all"),
    "drf settings": ("proj/settings.py", """
        REST_FRAMEWORK = {
            "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
            "DEFAULT_THROTTLE_RATES": {"anon": "100/day"},
        }
    """, "drf"),
    "before_request hook": ("app.py", """
        from flask import Flask
        app = Flask(__name__)
        @app.before_request
        def guard():
            check_rate_limit(request.remote_addr)
    """, "all"),
    "fastapi http middleware": ("main.py", """
        from fastapi import FastAPI
        app = FastAPI()
        @app.middleware("http")
        async def rate_limit_middleware(request, call_next):
            return await call_next(request)
    """, "all"),
}


@pytest.mark.parametrize("case", sorted(GLOBAL_CASES))
def test_global_limiters(case: str) -> None:
    path, code, applies_to = GLOBAL_CASES[case]
    found = facts(code, path).get("global_limiters")
    assert found and found[0]["applies_to"] == applies_to


GLOBAL_NEGATIVES = {
    "limiter without defaults": """
        from flask_limiter import Limiter
        limiter = Limiter(get_remote_address, app=app)
    """,
    "empty default_limits": """
        from slowapi import Limiter
        limiter = Limiter(key_func=get_remote_address, default_limits=[])
    """,
    "drf settings without throttles": """
        REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": [], "PAGE_SIZE": 10}
    """,
    "django-ratelimit exception middleware": """
        MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "django_ratelimit.middleware.RatelimitMiddleware"]
    """,
    "other middleware": """
        from fastapi.middleware.cors import CORSMiddleware
        app.add_middleware(CORSMiddleware, allow_origins=["*"])
    """,
    "import only": """
        from slowapi.middleware import SlowAPIMiddleware
    """,
    "before_request that does not limit": """
        from flask import Flask
        app = Flask(__name__)
        @app.before_request
        def load_user(): ...
    """,
}


@pytest.mark.parametrize("case", sorted(GLOBAL_NEGATIVES))
def test_not_global_limiters(case: str) -> None:
    assert "global_limiters" not in facts(GLOBAL_NEGATIVES[case])


def test_router_limited_on_include_is_a_receiver_fact() -> None:
    code = """
        from fastapi import FastAPI, Depends
        from fastapi_limiter.depends import RateLimiter
        from app.routers import chat
        app = FastAPI()
        app.include_router(chat.router, dependencies=[Depends(RateLimiter(times=5, seconds=60))])
    """
    found = facts(code, "app/main.py")
    assert found["limited_receivers"][0]["name"] == "app.routers.chat.router"
    assert "global_limiters" not in found


def test_limited_helper_function_is_a_fact() -> None:
    code = """
        from ratelimit import limits, sleep_and_retry
        @sleep_and_retry
        @limits(calls=50, period=60)
        def ask(prompt): ...
        def plain(prompt): ...
    """
    assert facts(code)["limited_functions"] == {"ask": "ratelimit `@sleep_and_retry`"}


def test_facts_are_json_serializable() -> None:
    import json

    for path, code, _ in FRAMEWORK_CASES.values():
        json.dumps(facts(code, path))
    json.dumps(facts(LIMITED, "main.py"))


# --- fan-outs (AIL402 groundwork) -------------------------------------------------------------------


def fanout_hits(code: str) -> list[tuple[str, str]]:
    """(fan-out kind, AI call text) for each unthrottled AI call; `ai.*(...)` and the local
    functions named `ask*` stand for AI requests here."""
    from linter.engine.context import FileContext
    from linter.engine.fanout import FanOutTracker
    from linter.engine.routes import RouteTracker
    from linter.engine.semantics import dotted_name
    from linter.engine.source import SourceText
    from linter.engine.walker import Dispatcher

    source = textwrap.dedent(code)
    module = cst.parse_module(source)
    ctx = FileContext("f.py", SourceText(source), Config(), module)
    ctx.routes, ctx.fanout = RouteTracker(ctx), FanOutTracker(ctx)
    Dispatcher([ctx.semantics, ctx.routes, ctx.fanout]).walk(module)

    def is_ai_function(expr: cst.BaseExpression) -> str | None:
        name = dotted_name(expr) or ""
        return name if name.startswith("ai.") or name.split(".")[-1].startswith("ask") else None

    def is_ai_call(call: cst.Call) -> str | None:
        return is_ai_function(call.func)

    return [
        (hit.fanout.kind, module.code_for_node(hit.node))
        for hit in ctx.fanout.unthrottled(is_ai_call, is_ai_function)
    ]


def test_fanout_loops_and_comprehensions() -> None:
    hits = fanout_hits("""
        import asyncio
        def batch(qs):
            for q in qs:
                ai.create(q)
        async def gathered(qs):
            return await asyncio.gather(*[ask(q) for q in qs])
        def listed(qs):
            return [ai.create(q) for q in qs]
        def once(q):
            return ai.create(q)
    """)
    assert hits == [
        ("loop", "ai.create(q)"),
        ("`asyncio.gather` over a comprehension", "ask(q)"),
        ("comprehension", "ai.create(q)"),
    ]


def test_fanout_executor_and_taskgroup() -> None:
    hits = fanout_hits("""
        import asyncio
        from concurrent.futures import ThreadPoolExecutor
        def threaded(qs):
            with ThreadPoolExecutor() as pool:
                return list(pool.map(ask, qs))
        async def grouped(qs):
            async with asyncio.TaskGroup() as tg:
                for q in qs:
                    tg.create_task(ask(q))
        def submitted(qs, executor):
            for q in qs:
                executor.submit(ask, q)
    """)
    kinds = [kind for kind, _ in hits]
    assert kinds == ["`pool.map`", "loop spawning tasks in a TaskGroup", "loop"]


def test_fanout_throttles() -> None:
    hits = fanout_hits("""
        import asyncio, time
        from ratelimit import limits, sleep_and_retry
        sem = asyncio.Semaphore(4)
        def slept(qs):
            for q in qs:
                ai.create(q)
                time.sleep(1)
        async def semaphored(qs):
            async with sem:
                return await asyncio.gather(*[ask(q) for q in qs])
        async def bounded_helper(q):
            async with sem:
                return await ai.create(q)
        async def uses_bounded(qs):
            return await asyncio.gather(*[bounded_helper(q) for q in qs])
        @sleep_and_retry
        @limits(calls=10, period=60)
        def ask_limited(q):
            return ai.create(q)
        def uses_limited(qs):
            return [ask_limited(q) for q in qs]
        def with_limiter(qs, limiter):
            for q in qs:
                limiter.acquire()
                ai.create(q)
        def retried(q):
            for attempt in range(3):
                try:
                    return ai.create(q)
                except Exception:
                    time.sleep(2 ** attempt)
    """)
    assert hits == []


def test_sleep_zero_and_nested_defs_are_not_throttles_or_iterations() -> None:
    hits = fanout_hits("""
        import asyncio
        async def yielding(qs):
            for q in qs:
                await asyncio.sleep(0)
                await ai.create(q)
        def defines(qs):
            for q in qs:
                def later():
                    return ai.create(q)
    """)
    assert hits == [("loop", "ai.create(q)")]
