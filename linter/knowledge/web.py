"""Web frameworks and rate limiters, as data: how request handlers are declared, and what
counts as a rate limit (SPEC §7, AIL401/AIL402).

Names are fully qualified, the way `Semantics.qualified_name` resolves them. The engine's
route tracker (`linter/engine/routes.py`) reads these tables; it holds no framework names
of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from linter.knowledge.credentials import name_tokens

# --- frameworks ---------------------------------------------------------------------------

#: top-level import -> framework label
FRAMEWORK_PACKAGES: dict[str, str] = {
    "flask": "flask",
    "flask_restful": "flask",
    "flask_restx": "flask",
    "flask_smorest": "flask",
    "quart": "quart",
    "fastapi": "fastapi",
    "starlette": "starlette",
    "django": "django",
    "rest_framework": "django",
    "ninja": "django",
    "aiohttp": "aiohttp",
    "sanic": "sanic",
    "litestar": "litestar",
    "starlite": "litestar",
    "tornado": "tornado",
}

#: constructors of objects whose methods declare routes: qualified name -> framework
ROUTER_CONSTRUCTORS: dict[str, str] = {
    "flask.Flask": "flask",
    "flask.Blueprint": "flask",
    "flask.blueprints.Blueprint": "flask",
    "flask_restx.Namespace": "flask",
    "flask_restx.Api": "flask",
    "flask_smorest.Blueprint": "flask",
    "apiflask.APIFlask": "flask",
    "apiflask.APIBlueprint": "flask",
    "quart.Quart": "quart",
    "quart.Blueprint": "quart",
    "fastapi.FastAPI": "fastapi",
    "fastapi.APIRouter": "fastapi",
    "fastapi.routing.APIRouter": "fastapi",
    "starlette.applications.Starlette": "starlette",
    "starlette.routing.Router": "starlette",
    "aiohttp.web.RouteTableDef": "aiohttp",
    "aiohttp.web.Application": "aiohttp",
    "aiohttp.web_routedef.RouteTableDef": "aiohttp",
    "sanic.Sanic": "sanic",
    "sanic.Blueprint": "sanic",
    "litestar.Litestar": "litestar",
    "litestar.Router": "litestar",
    "ninja.NinjaAPI": "django",
    "ninja.Router": "django",
}

#: constructors of objects that have `.get`/`.post`/... methods but do not declare web routes
NOT_ROUTERS: frozenset[str] = frozenset(
    {"typer.Typer", "click.Group", "celery.Celery", "requests.Session", "httpx.Client", "httpx.AsyncClient"}
)

#: `@<router>.<method>(...)` methods that declare a route
ROUTE_METHODS: frozenset[str] = frozenset(
    {"route", "get", "post", "put", "patch", "delete", "head", "options", "api_route", "websocket", "view", "api"}
)

#: functions used directly as route decorators: qualified name -> framework
ROUTE_DECORATOR_FUNCTIONS: dict[str, str] = {
    **{f"litestar.{m}": "litestar" for m in ("get", "post", "put", "patch", "delete", "route", "websocket")},
    **{f"litestar.handlers.{m}": "litestar" for m in ("get", "post", "put", "patch", "delete", "route")},
    "rest_framework.decorators.api_view": "django",
    "rest_framework.decorators.action": "django",
}

#: `registrar.<method>(path, handler)` registrations: method -> index of the handler argument
REGISTRATION_METHODS: dict[str, int] = {
    "add_url_rule": 2,  # flask: (rule, endpoint, view_func)
    "add_api_route": 1,  # fastapi
    "add_api_websocket_route": 1,
    "add_route": 1,  # starlette, sanic: (handler|path...) — see the tracker
    "add_get": 1,  # aiohttp app.router.add_get(path, handler)
    "add_post": 1,
    "add_put": 1,
    "add_patch": 1,
    "add_delete": 1,
    "add_view": 1,
    "add_websocket_route": 1,
}
#: keyword names under which registrations pass the handler
HANDLER_KEYWORDS: tuple[str, ...] = ("view_func", "endpoint", "handler")

#: route objects built in lists: `Route("/x", chat)`, `web.post("/x", chat)`: qualified name -> framework
ROUTE_OBJECTS: dict[str, str] = {
    "starlette.routing.Route": "starlette",
    "starlette.routing.WebSocketRoute": "starlette",
    "fastapi.routing.APIRoute": "fastapi",
    **{f"aiohttp.web.{m}": "aiohttp" for m in ("get", "post", "put", "patch", "delete", "route", "view")},
}

#: base classes whose subclasses handle requests in HTTP-verb methods: qualified name -> framework
VIEW_BASES: dict[str, str] = {
    "flask.views.MethodView": "flask",
    "flask.views.View": "flask",
    "flask_restful.Resource": "flask",
    "flask_restx.Resource": "flask",
    "quart.views.MethodView": "quart",
    "django.views.View": "django",
    "django.views.generic.View": "django",
    "django.views.generic.base.View": "django",
    "django.views.generic.FormView": "django",
    "django.views.generic.edit.FormView": "django",
    "rest_framework.views.APIView": "django",
    "rest_framework.generics.GenericAPIView": "django",
    "rest_framework.viewsets.ViewSet": "django",
    "rest_framework.viewsets.GenericViewSet": "django",
    "rest_framework.viewsets.ModelViewSet": "django",
    "rest_framework.viewsets.ReadOnlyModelViewSet": "django",
    "starlette.endpoints.HTTPEndpoint": "starlette",
    "starlette.endpoints.WebSocketEndpoint": "starlette",
    "aiohttp.web.View": "aiohttp",
    "sanic.views.HTTPMethodView": "sanic",
    "litestar.Controller": "litestar",
    "tornado.web.RequestHandler": "tornado",
}
#: a base whose qualified name starts with one of these is a view base of that framework
VIEW_BASE_PREFIXES: dict[str, str] = {
    "rest_framework.generics.": "django",
    "rest_framework.viewsets.": "django",
    "django.views.generic.": "django",
}
#: qualified-name prefixes that make a class (or `@api_view` function) a DRF view
DRF_PREFIXES: tuple[str, ...] = ("rest_framework.",)

#: methods of class-based views that handle requests
VIEW_METHODS: frozenset[str] = frozenset(
    {"get", "post", "put", "patch", "delete", "head", "options", "dispatch_request", "on_receive", "websocket"}
)
#: DRF ViewSet actions
VIEWSET_METHODS: frozenset[str] = frozenset({"list", "create", "retrieve", "update", "partial_update", "destroy"})

#: Django function views live in modules with these file names (or under a `views/` package)
DJANGO_VIEW_MODULE_RE = re.compile(r"(^|/)(views|viewsets|api_views|[a-z0-9_]*_views)\.py$|(^|/)views/[^/]+\.py$")

# --- rate limits ---------------------------------------------------------------------------

#: decorators that rate-limit the function they decorate: qualified name -> what to call it
LIMIT_DECORATORS: dict[str, str] = {
    "django_ratelimit.decorators.ratelimit": "django-ratelimit",
    "ratelimit.decorators.ratelimit": "django-ratelimit",
    "ratelimit.limits": "ratelimit",
    "ratelimit.sleep_and_retry": "ratelimit",
    "ratelimit.RateLimitDecorator": "ratelimit",
    "ratelimit.decorators.RateLimitDecorator": "ratelimit",
    "ratelimit.decorators.sleep_and_retry": "ratelimit",
    "ratelimiter.RateLimiter": "ratelimiter",
    "rest_framework.decorators.throttle_classes": "DRF throttle_classes",
    "quart_rate_limiter.rate_limit": "quart-rate-limiter",
    "sanic_limiter.Limiter": "sanic-limiter",
    "fastapi_limiter.depends.RateLimiter": "fastapi-limiter",
}
#: limiter objects whose `.limit(...)`/`.shared_limit(...)` decorate handlers: constructor -> library
LIMITER_CONSTRUCTORS: dict[str, str] = {
    "slowapi.Limiter": "slowapi",
    "slowapi.extension.Limiter": "slowapi",
    "flask_limiter.Limiter": "flask-limiter",
    "flask_limiter.extension.Limiter": "flask-limiter",
    "quart_rate_limiter.RateLimiter": "quart-rate-limiter",
    "sanic_limiter.Limiter": "sanic-limiter",
    "aiolimiter.AsyncLimiter": "aiolimiter",
    "limits.strategies.MovingWindowRateLimiter": "limits",
    "limits.strategies.FixedWindowRateLimiter": "limits",
    "limits.strategies.SlidingWindowCounterRateLimiter": "limits",
    "limits.aio.strategies.MovingWindowRateLimiter": "limits",
    "limits.aio.strategies.FixedWindowRateLimiter": "limits",
    "pyrate_limiter.Limiter": "pyrate-limiter",
}
#: keyword arguments of a limiter constructor that make it limit every route of the app
GLOBAL_LIMIT_KEYWORDS: tuple[str, ...] = ("default_limits", "application_limits")
#: `limiter.<method>(...)` used as a decorator
LIMITER_DECORATOR_METHODS: frozenset[str] = frozenset({"limit", "shared_limit"})
#: `limiter.exempt` takes a handler out of the global limits
EXEMPT_METHODS: frozenset[str] = frozenset({"exempt"})
#: fastapi-limiter dependencies
LIMIT_DEPENDENCIES: frozenset[str] = frozenset(
    {"fastapi_limiter.depends.RateLimiter", "fastapi_limiter.depends.WebSocketRateLimiter"}
)
#: rate-limit middleware classes, by qualified name (other `*RateLimit*Middleware` match by name)
LIMIT_MIDDLEWARE: dict[str, str] = {
    "slowapi.middleware.SlowAPIMiddleware": "SlowAPIMiddleware",
    "slowapi.middleware.SlowAPIASGIMiddleware": "SlowAPIASGIMiddleware",
    "ratelimit.RateLimitMiddleware": "asgi-ratelimit RateLimitMiddleware",
    "litestar.middleware.rate_limit.RateLimitConfig": "litestar RateLimitConfig",
    "litestar.middleware.rate_limit.RateLimitMiddleware": "litestar RateLimitMiddleware",
}
#: middleware that only handles a limiter's exceptions and limits nothing itself
NOT_LIMIT_MIDDLEWARE: frozenset[str] = frozenset({"django_ratelimit.middleware.RatelimitMiddleware",
                                                  "ratelimit.middleware.RatelimitMiddleware"})
#: hook decorators whose function runs before every request of the app (or blueprint)
BEFORE_REQUEST_HOOKS: frozenset[str] = frozenset(
    {"before_request", "before_app_request", "before_serving_request", "middleware", "on_request"}
)
#: function-style middleware decorators: qualified names
MIDDLEWARE_DECORATORS: frozenset[str] = frozenset({"aiohttp.web.middleware"})
#: DRF settings
DRF_SETTINGS_NAME = "REST_FRAMEWORK"
DRF_DEFAULT_THROTTLE = "DEFAULT_THROTTLE_CLASSES"
DRF_THROTTLE_ATTRIBUTES: frozenset[str] = frozenset({"throttle_classes", "throttle_scope"})
#: Flask MethodView / flask-restful class attribute listing decorators for every method
CLASS_DECORATOR_ATTRIBUTES: frozenset[str] = frozenset({"decorators", "method_decorators"})
#: Django's wrapper that applies a function decorator to a method
METHOD_DECORATOR = "django.utils.decorators.method_decorator"

# --- throttles (AIL402) -----------------------------------------------------------------------

#: sleeps; `asyncio.sleep(0)` only yields, and does not count
SLEEP_FUNCTIONS: frozenset[str] = frozenset(
    {"time.sleep", "asyncio.sleep", "trio.sleep", "anyio.sleep", "gevent.sleep", "eventlet.sleep"}
)
#: concurrency bounds: constructors of semaphores and capacity limiters
SEMAPHORE_CONSTRUCTORS: frozenset[str] = frozenset(
    {
        "asyncio.Semaphore",
        "asyncio.BoundedSemaphore",
        "threading.Semaphore",
        "threading.BoundedSemaphore",
        "multiprocessing.Semaphore",
        "anyio.Semaphore",
        "anyio.CapacityLimiter",
        "trio.Semaphore",
        "trio.CapacityLimiter",
    }
)
#: executors whose `.map(fn, items)` fans a function out
EXECUTOR_CONSTRUCTORS: frozenset[str] = frozenset(
    {
        "concurrent.futures.ThreadPoolExecutor",
        "concurrent.futures.ProcessPoolExecutor",
        "concurrent.futures.thread.ThreadPoolExecutor",
        "multiprocessing.Pool",
        "multiprocessing.pool.ThreadPool",
        "multiprocessing.pool.Pool",
    }
)
#: calls that run many awaitables at once
GATHER_FUNCTIONS: frozenset[str] = frozenset(
    {"asyncio.gather", "asyncio.wait", "asyncio.as_completed", "trio.gather", "anyio.gather"}
)
TASK_GROUPS: frozenset[str] = frozenset({"asyncio.TaskGroup", "anyio.create_task_group", "trio.open_nursery"})

# --- names that say "this limits" ---------------------------------------------------------------

_LIMIT_WORDS = frozenset(
    {
        "ratelimit", "ratelimited", "ratelimiter", "ratelimiting", "ratelimits",
        "throttle", "throttled", "throttler", "throttling", "throttles",
        "quota", "quotas", "limiter", "limiters",
    }
)
_LIMIT_NOUNS = frozenset({"limit", "limits", "limited", "limiting"})
_RATE_WORDS = frozenset({"rate", "request", "requests", "usage", "call", "calls", "api"})
_LIMIT_VERBS = frozenset({"check", "enforce", "consume", "hit", "acquire", "within", "under"})
#: verbs of names that read or format a limit rather than enforce it
_NOT_LIMIT_VERBS = frozenset({"get", "set", "format", "parse", "log", "print", "show", "describe", "reset"})


@lru_cache(maxsize=4096)
def says_limit(name: str) -> bool:
    """Whether a function, decorator or object name says that it rate-limits.

    `check_rate_limit`, `enforce_quota`, `throttle`, `rate_limiter`, `RateLimitMiddleware`,
    `limiter` do; `limit_text`, `max_limit`, `get_rate_limit`, `page_limit` do not.
    """
    tokens = name_tokens(name)
    if not tokens or tokens[0] in _NOT_LIMIT_VERBS:
        return False
    if any(token in _LIMIT_WORDS for token in tokens):
        return True
    for index, token in enumerate(tokens):
        if token in _LIMIT_NOUNS:
            before = tokens[index - 1] if index else ""
            if before in _RATE_WORDS or any(t in _LIMIT_VERBS for t in tokens[:index]):
                return True
    return False


@lru_cache(maxsize=1024)
def says_limit_middleware(name: str) -> bool:
    """`RateLimitMiddleware`, `ThrottlingMiddleware`, `rate_limit_middleware`."""
    last = name.rsplit(".", 1)[-1]
    return "middleware" in last.lower() and says_limit(last) and name not in NOT_LIMIT_MIDDLEWARE



#: router constructors that build the application itself (their limits cover every route)
APP_CONSTRUCTORS: frozenset[str] = frozenset(
    {
        "flask.Flask", "quart.Quart", "fastapi.FastAPI", "starlette.applications.Starlette",
        "aiohttp.web.Application", "sanic.Sanic", "litestar.Litestar", "ninja.NinjaAPI",
        "apiflask.APIFlask", "flask_restx.Api",
    }
)
#: keyword arguments of routes, routers and apps that attach dependencies or middleware
ATTACH_KEYWORDS: frozenset[str] = frozenset({"dependencies", "middleware", "middlewares", "decorators"})
#: methods that mount a sub-router on an app, with keyword arguments that then apply to it
INCLUDE_METHODS: frozenset[str] = frozenset({"include_router", "register_blueprint", "include_in_schema"})


# --- the pre-filter (AIL401) ---------------------------------------------------------------

#: substrings whose absence means a file holds no global limiter and limits no router as a
#: whole (no "global_limiters", no "limited_receivers" fact)
GLOBAL_LIMITER_TRIGGERS: tuple[str, ...] = tuple(
    sorted(
        {"default_limits", "application_limits", "iddleware", "DEFAULT_THROTTLE_CLASSES", "RateLimit", ".limit("}
        | BEFORE_REQUEST_HOOKS
        | INCLUDE_METHODS
        | ATTACH_KEYWORDS
    )
)

#: the top-level packages every framework name above starts with
_FRAMEWORK_WORDS: tuple[str, ...] = tuple(
    sorted(
        {
            name.split(".", 1)[0]
            for name in (*FRAMEWORK_PACKAGES, *ROUTER_CONSTRUCTORS, *ROUTE_DECORATOR_FUNCTIONS, *ROUTE_OBJECTS,
                         *VIEW_BASES, *VIEW_BASE_PREFIXES, *DRF_PREFIXES, *APP_CONSTRUCTORS)
        }
    )
)
#: a string literal that starts with `/` (or an escape that may spell one)
_ROUTE_LITERAL_RE = re.compile(r"""['"][/\\]""")


def may_define_handler(path: str, text: str, lowered: str) -> bool:
    """Whether a file may define a request handler (a "handlers" fact), from its path and
    lowered text. A handler is declared through a framework name (a router, a view base
    class, a route object or decorator: its package is written in the file), a registration
    method (`add_url_rule`, ...), a decorator on an app imported from elsewhere with a route
    literal starting with `/`, or is a function of a Django views module."""
    if DJANGO_VIEW_MODULE_RE.search(path.replace("\\", "/")):
        return True
    if any(word in lowered for word in _FRAMEWORK_WORDS) or any(method in lowered for method in REGISTRATION_METHODS):
        return True
    return "@" in lowered and _ROUTE_LITERAL_RE.search(lowered) is not None
