"""Web request handlers and the rate limits around them — one fact set, found in the one walk.

A *handler* is a function the web framework calls for a request: a function under a route
decorator (`@app.post("/chat")`, `@router.get`, `@bp.route`, `@routes.post`, Litestar
`@post`), one registered by a call (`add_url_rule`, `add_api_route`, `app.router.add_post`,
`Route("/x", chat)`), an HTTP-verb method of a class-based view (Flask `MethodView`, Django
`View`, DRF `APIView`/`ViewSet`, Starlette `HTTPEndpoint`, aiohttp `web.View`, ...), or a
Django function view (a module-level function of a `views.py` whose first parameter is
`request`). Framework knowledge is data in `linter/knowledge/web.py`.

For each handler the tracker also says whether it is rate-limited *locally* — a limiter
decorator, a limiter dependency on it, its route decorator or its router, DRF throttle
classes on its view, or a call in its body to something whose name says it limits — and it
collects what limits *globally*: a limiter with default limits, rate-limit middleware on an
app, DRF `DEFAULT_THROTTLE_CLASSES`, a limiting `before_request` hook.

Facts written to `ctx.facts` (JSON, compact, omitted when empty):
  "handlers":           [{"name", "framework", "route"?, "receiver"?, "limited_by"?, "exempt"?, "drf"?}]
  "global_limiters":    [{"what", "scope", "applies_to": "all" | "drf"}]
  "limited_receivers":  [{"name", "what"}]   routers/blueprints limited as a whole
  "limited_functions":  {qualname: what}     non-handler functions that rate-limit themselves
  "imports":            {local: qualified}   module-level imports (re-exports, for the project phase)
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.engine.libcst_loader import cst

from linter.engine.semantics import Semantics, dotted_name, keyword_arg, literal_string, positional_args
from linter.engine.walker import iter_children
from linter.knowledge import web

if TYPE_CHECKING:
    from linter.engine.context import FileContext

#: how many nodes of one decorator/argument expression are searched for a limiter
_EXPR_BUDGET = 300


@dataclass
class Handler:
    """One request handler of this file."""

    framework: str
    node: cst.FunctionDef
    #: module-relative qualified name: `chat`, `ChatView.post`, `create_app.index`
    name: str
    route: str | None = None
    #: the import-resolved app/router/blueprint it is registered on (`router`, `app.main.app`)
    receiver: str | None = None
    #: what limits it locally (a short description), or None
    limited_by: str | None = None
    #: explicitly taken out of global limits (`@limiter.exempt`, DRF `throttle_classes = []`)
    exempt: bool = False
    #: a DRF view (DRF's DEFAULT_THROTTLE_CLASSES applies to it)
    drf: bool = False

    def fact(self) -> dict[str, Any]:
        data: dict[str, Any] = {"name": self.name, "framework": self.framework}
        for key in ("route", "receiver", "limited_by"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.exempt:
            data["exempt"] = True
        if self.drf:
            data["drf"] = True
        return data


@dataclass
class _Frame:
    """A function being walked."""

    name: str
    node: cst.FunctionDef
    in_body: bool = False
    limited_by: str | None = None
    #: (framework, route, receiver) when a decorator declares a route
    route: tuple[str, str | None, str | None] | None = None
    decorator_limit: str | None = None
    exempt: bool = False
    drf: bool = False
    #: receiver of a before-request hook / middleware decorator (`""` for a global one)
    hook: str | None = None
    view_class: "_ViewClass | None" = None


@dataclass
class _ViewClass:
    name: str
    framework: str
    drf: bool
    viewset: bool
    limited_by: str | None = None
    exempt: bool = False


@dataclass
class _Registration:
    target: cst.BaseExpression
    framework: str
    route: str | None
    receiver: str | None


def _small_walk(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The nodes of a small expression, breadth-first, within a budget (hostile input is deep)."""
    queue = [node]
    seen = 0
    while queue and seen < _EXPR_BUDGET:
        current = queue.pop(0)
        seen += 1
        yield current
        if not isinstance(current, (cst.Name, cst.Attribute)):
            queue.extend(iter_children(current))


def route_path(call: cst.Call) -> str | None:
    """The path pattern a route decorator or registration call declares (`"/items/{id}"`)."""
    for arg in positional_args(call):
        value = literal_string(arg.value)
        if value is not None:
            if value.startswith("/") or not value.isupper():  # skip aiohttp's ("POST", "/x")
                return value
    for key in ("path", "rule", "uri", "url"):
        arg = keyword_arg(call, key)
        if arg is not None:
            return literal_string(arg.value)
    return None


#: a path pattern's parameters: Flask/Werkzeug `<name>`, `<int:name>`; FastAPI, Starlette,
#: aiohttp, Litestar `{name}`, `{name:path}`
_PATH_PARAMETER = re.compile(r"<(?:[^<>:]*:)?(\w+)>|\{(\w+)(?::[^{}]*)?\}")


def path_parameters(path: str) -> frozenset[str]:
    """The names a route's path pattern binds from the URL (`/items/{item_id}` -> item_id)."""
    return frozenset(a or b for a, b in _PATH_PARAMETER.findall(path))


class RouteTracker:
    """The engine's visitor for handlers and limits. Exposed to rules as `ctx.routes`."""

    def __init__(self, ctx: "FileContext") -> None:
        assert ctx.semantics is not None
        self.ctx = ctx
        self.semantics: Semantics = ctx.semantics
        self.path = ctx.path.replace("\\", "/")
        self.extend_decorators = frozenset(ctx.config.rate_limit.extend_decorators)
        #: the handlers of this file, in source order of their `def` (complete after the walk)
        self.handlers: list[Handler] = []
        #: the global limiters found in this file
        self.global_limiters: list[dict[str, str]] = []
        #: import-resolved router/blueprint name -> what limits it as a whole
        self.limited_receivers: dict[str, str] = {}
        #: functions (not handlers) that rate-limit themselves: qualname -> what
        self.limited_functions: dict[str, str] = {}
        #: every function of the file by qualname (last definition wins)
        self.functions: dict[str, cst.FunctionDef] = {}
        self._bindings: dict[str, str] = {}  # name -> constructor's qualified name
        self._frames: list[_Frame] = []
        self._classes: list[_ViewClass | None] = []
        self._registrations: list[_Registration] = []
        self._exempt_names: set[str] = set()
        self._frameworks = {
            web.FRAMEWORK_PACKAGES[q.lstrip(".").split(".", 1)[0]]
            for q in self.semantics.imports.values()
            if q.lstrip(".").split(".", 1)[0] in web.FRAMEWORK_PACKAGES
        }
        self._django_views_module = bool(web.DJANGO_VIEW_MODULE_RE.search(self.path))
        self._by_node: dict[int, Handler] = {}

    # --- queries ----------------------------------------------------------------------
    def handler_for(self, node: cst.FunctionDef) -> Handler | None:
        return self._by_node.get(id(node))

    def constructor_of(self, node: cst.BaseExpression) -> str | None:
        """The qualified constructor a name was bound to (`app = FastAPI()` -> `fastapi.FastAPI`)."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        if dotted in self._bindings:
            return self._bindings[dotted]
        value = self.semantics.module_constants.get(dotted)
        if isinstance(value, cst.Call):
            return self.semantics.qualified_name(value.func)
        return None

    # --- classification helpers --------------------------------------------------------------
    def _qn(self, node: cst.BaseExpression) -> str:
        return self.semantics.qualified_name(node) or ""

    def _is_limiter_object(self, node: cst.BaseExpression) -> str | None:
        constructor = self.constructor_of(node)
        if constructor in web.LIMITER_CONSTRUCTORS:
            return web.LIMITER_CONSTRUCTORS[constructor]
        dotted = dotted_name(node)
        if dotted and any(web.says_limit(part) for part in dotted.split(".")):
            return f"`{dotted}`"
        return None

    def _limit_decorator(self, expr: cst.BaseExpression) -> str | None:
        func = expr.func if isinstance(expr, cst.Call) else expr
        qn = self._qn(func)
        if qn == web.METHOD_DECORATOR and isinstance(expr, cst.Call) and expr.args:
            return self._limit_decorator(expr.args[0].value)
        if qn in self.extend_decorators:
            return f"`@{qn}` (configured)"
        if qn in web.LIMIT_DECORATORS:
            return f"{web.LIMIT_DECORATORS[qn]} `@{qn.rsplit('.', 1)[-1]}`"
        if isinstance(func, cst.Attribute) and func.attr.value in web.LIMITER_DECORATOR_METHODS:
            library = self._is_limiter_object(func.value)
            if library is not None:
                return f"{library} `@{dotted_name(func) or func.attr.value}`"
        last = qn.rsplit(".", 1)[-1]
        if last and web.says_limit(last) and not self._is_route_call(expr):
            return f"`@{qn}`"
        return None

    def _is_exempt_decorator(self, expr: cst.BaseExpression) -> bool:
        func = expr.func if isinstance(expr, cst.Call) else expr
        if isinstance(func, cst.Attribute) and func.attr.value in web.EXEMPT_METHODS:
            return self._is_limiter_object(func.value) is not None
        if self._qn(func) == "rest_framework.decorators.throttle_classes" and isinstance(expr, cst.Call):
            return bool(expr.args) and _is_empty_sequence(expr.args[0].value)
        return False

    def _mentions_limit(self, expr: cst.BaseExpression) -> str | None:
        """A limiter named inside a `dependencies=[...]`/`middleware=[...]` value."""
        for node in _small_walk(expr):
            if isinstance(node, (cst.Name, cst.Attribute)):
                qn = self._qn(node)
                if qn in web.LIMIT_DEPENDENCIES:
                    return "fastapi-limiter `RateLimiter` dependency"
                if qn in web.LIMIT_MIDDLEWARE:
                    return web.LIMIT_MIDDLEWARE[qn]
                if qn in self.extend_decorators or qn in web.LIMIT_DECORATORS:
                    return f"`{qn}`"
                if self.constructor_of(node) in web.LIMITER_CONSTRUCTORS:
                    return f"`{dotted_name(node)}`"
                dotted = dotted_name(node) or ""
                if any(web.says_limit(part) for part in dotted.split(".")):
                    return f"`{dotted}`"
        return None

    def _attached_limit(self, call: cst.Call) -> str | None:
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value in web.ATTACH_KEYWORDS:
                found = self._mentions_limit(arg.value)
                if found:
                    return found
        return None

    def _router_kind(self, receiver: cst.BaseExpression) -> str | None:
        """The framework of a known router object, "" for an unknown one, None for a non-router."""
        constructor = self.constructor_of(receiver)
        if constructor is None:
            return ""
        if constructor in web.ROUTER_CONSTRUCTORS:
            return web.ROUTER_CONSTRUCTORS[constructor]
        return None

    def _guess_framework(self) -> str:
        if len(self._frameworks) == 1:
            return next(iter(self._frameworks))
        for preferred in ("fastapi", "flask", "django", "starlette", "aiohttp", "quart", "sanic", "litestar"):
            if preferred in self._frameworks:
                return preferred
        return "web"

    def _is_route_call(self, expr: cst.BaseExpression) -> bool:
        return self._route_decorator(expr) is not None

    def _route_decorator(self, expr: cst.BaseExpression) -> tuple[str, str | None, str | None] | None:
        """(framework, route, receiver) when `expr` is a route decorator."""
        call = expr if isinstance(expr, cst.Call) else None
        func = call.func if call is not None else expr
        qn = self._qn(func)
        if qn in web.ROUTE_DECORATOR_FUNCTIONS:
            return web.ROUTE_DECORATOR_FUNCTIONS[qn], route_path(call) if call else None, None
        if not isinstance(func, cst.Attribute) or func.attr.value not in web.ROUTE_METHODS:
            return None
        receiver = func.value
        # `app.router.add_post` style chains end elsewhere; `@app.router.get` is not a thing.
        kind = self._router_kind(receiver)
        if kind is None:
            return None
        route = route_path(call) if call is not None else None
        if kind == "":
            # an app/router imported from elsewhere: require the look of a route
            head = (self._qn(receiver) or "").lstrip(".").split(".", 1)[0]
            if head in ("requests", "httpx", "session", "client", "self", "cache", "redis", "os", "dict"):
                return None
            looks_routed = route is not None and route.startswith("/")
            if not looks_routed and not (func.attr.value == "route" and self._frameworks):
                return None
            kind = self._guess_framework()
        return kind, route, self._qn(receiver) or None

    # --- walk hooks ---------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if isinstance(value, cst.Call):
            constructor = self._qn(value.func)
            for target in node.targets:
                name = dotted_name(target.target)
                if name is None:
                    continue
                self._bindings[name] = constructor
                # `router = APIRouter(dependencies=[Depends(RateLimiter(...))])`
                if constructor in web.ROUTER_CONSTRUCTORS and constructor not in web.APP_CONSTRUCTORS:
                    limit = self._attached_limit(value)
                    if limit:
                        self.limited_receivers[self._qn(target.target) or name] = limit
        for target in node.targets:
            self._settings_assignment(target.target, value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._settings_assignment(node.target, node.value)

    def _settings_assignment(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        name = dotted_name(target)
        if name == web.DRF_SETTINGS_NAME and isinstance(value, cst.Dict):
            for element in value.elements:
                if isinstance(element, cst.DictElement) and literal_string(element.key) == web.DRF_DEFAULT_THROTTLE:
                    if not _is_empty_sequence(element.value):
                        self._global("DRF `DEFAULT_THROTTLE_CLASSES`", applies_to="drf")
        elif isinstance(target, cst.Subscript) and dotted_name(target.value) == web.DRF_SETTINGS_NAME:
            index = target.slice[0].slice if len(target.slice) == 1 else None
            if isinstance(index, cst.Index) and literal_string(index.value) == web.DRF_DEFAULT_THROTTLE:
                if not _is_empty_sequence(value):
                    self._global("DRF `DEFAULT_THROTTLE_CLASSES`", applies_to="drf")
        elif name in ("MIDDLEWARE", "MIDDLEWARE_CLASSES") and isinstance(value, (cst.List, cst.Tuple)):
            for element in value.elements:
                text = literal_string(element.value)
                if text and text not in web.NOT_LIMIT_MIDDLEWARE and web.says_limit_middleware(text):
                    self._global(f"Django middleware `{text.rsplit('.', 1)[-1]}`")

    def _global(self, what: str, applies_to: str = "all") -> None:
        entry = {"what": what, "scope": self.semantics.scope_name, "applies_to": applies_to}
        if entry not in self.global_limiters:
            self.global_limiters.append(entry)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        framework, drf, viewset = None, False, False
        for base in node.bases:
            qn = self._qn(base.value)
            found = web.VIEW_BASES.get(qn) or next(
                (fw for prefix, fw in web.VIEW_BASE_PREFIXES.items() if qn.startswith(prefix)), None
            )
            last = qn.rsplit(".", 1)[-1]
            if found is None and (last.endswith(("View", "ViewSet", "Resource", "Endpoint", "Handler")) and self._frameworks):
                found = self._guess_framework()  # a project base class of a framework view
            if found is not None:
                framework = framework or found
                drf = drf or qn.startswith(web.DRF_PREFIXES) or "rest_framework" in self._qualified_imports()
                viewset = viewset or "ViewSet" in last
        if framework is None:
            self._classes.append(None)
            return
        view = _ViewClass(node.name.value, framework, drf, viewset)
        for decorator in node.decorators:
            view.limited_by = view.limited_by or self._limit_decorator(decorator.decorator)
        for statement in node.body.body if isinstance(node.body, cst.IndentedBlock) else ():
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if not isinstance(small, cst.Assign) or len(small.targets) != 1:
                    continue
                target = dotted_name(small.targets[0].target)
                if target in web.DRF_THROTTLE_ATTRIBUTES:
                    if target == "throttle_classes" and _is_empty_sequence(small.value):
                        view.exempt = True
                    else:
                        view.limited_by = view.limited_by or f"DRF `{target}`"
                elif target in web.CLASS_DECORATOR_ATTRIBUTES and isinstance(small.value, (cst.List, cst.Tuple)):
                    for element in small.value.elements:
                        view.limited_by = view.limited_by or self._limit_decorator(element.value)
        self._classes.append(view)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        if self._classes:
            self._classes.pop()

    def _qualified_imports(self) -> str:
        return " ".join(self.semantics.imports.values())

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        name = ".".join(self.semantics.scope) or node.name.value
        frame = _Frame(name, node)
        self.functions[name] = node
        scope_nodes = self.semantics.scope_nodes
        if len(scope_nodes) >= 2 and isinstance(scope_nodes[-2], cst.ClassDef) and self._classes:
            frame.view_class = self._classes[-1]
        for decorator in node.decorators:
            expr = decorator.decorator
            route = self._route_decorator(expr)
            if route is not None:
                frame.route = frame.route or route
                if isinstance(expr, cst.Call):
                    frame.decorator_limit = frame.decorator_limit or self._attached_limit(expr)
                if self._qn(expr.func if isinstance(expr, cst.Call) else expr).startswith(web.DRF_PREFIXES):
                    frame.drf = True
                continue
            if self._is_exempt_decorator(expr):
                frame.exempt = True
                continue
            limit = self._limit_decorator(expr)
            if limit:
                frame.decorator_limit = frame.decorator_limit or limit
                continue
            self._hook_decorator(frame, expr)
        frame.decorator_limit = frame.decorator_limit or self._parameter_limit(node.params)
        self._frames.append(frame)

    def _hook_decorator(self, frame: _Frame, expr: cst.BaseExpression) -> None:
        func = expr.func if isinstance(expr, cst.Call) else expr
        if self._qn(func) in web.MIDDLEWARE_DECORATORS:
            frame.hook = ""
        elif isinstance(func, cst.Attribute) and func.attr.value in web.BEFORE_REQUEST_HOOKS:
            kind = self._router_kind(func.value)
            if kind is not None:
                constructor = self.constructor_of(func.value)
                is_app = constructor is None or constructor in web.APP_CONSTRUCTORS
                frame.hook = "" if is_app else (self._qn(func.value) or "")

    def _parameter_limit(self, params: cst.Parameters) -> str | None:
        for param in (*params.params, *params.kwonly_params, *params.posonly_params):
            for part in (param.default, param.annotation.annotation if param.annotation else None):
                if part is None:
                    continue
                for node in _small_walk(part):
                    if isinstance(node, cst.Call) and self._qn(node.func).rsplit(".", 1)[-1] in ("Depends", "Security"):
                        found = self._mentions_limit(node)
                        if found:
                            return found
        return None

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if self._frames and self._frames[-1].node.body is node:
            self._frames[-1].in_body = True

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        if self._frames and self._frames[-1].node.body is node:
            self._frames[-1].in_body = True

    def leave_BaseSuite(self, node: cst.BaseSuite) -> None:
        # the decorators are walked after the body: calls there are not body calls
        if self._frames and self._frames[-1].node.body is node:
            self._frames[-1].in_body = False

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        frame = self._frames.pop()
        limited = frame.decorator_limit or frame.limited_by
        if frame.hook is not None and (limited or web.says_limit(node.name.value)):
            what = f"rate-limiting hook `{frame.name}`"
            if frame.hook == "":
                self._global(what)
            else:
                self.limited_receivers[frame.hook] = what
            return
        handler = self._as_handler(frame)
        if handler is not None:
            self._add_handler(handler)
        elif limited:
            self.limited_functions[frame.name] = limited

    def _as_handler(self, frame: _Frame) -> Handler | None:
        limited = frame.decorator_limit or frame.limited_by
        if frame.route is not None:
            framework, route, receiver = frame.route
            drf = frame.drf
            view = frame.view_class
            if view is not None:
                limited = limited or view.limited_by
            return Handler(framework, frame.node, frame.name, route, receiver, limited, frame.exempt, drf)
        view = frame.view_class
        if view is not None:
            method = frame.node.name.value
            is_action = any(
                self._qn(d.decorator.func if isinstance(d.decorator, cst.Call) else d.decorator).endswith(
                    "decorators.action"
                )
                for d in frame.node.decorators
            )
            if method in web.VIEW_METHODS or (view.viewset and method in web.VIEWSET_METHODS) or is_action:
                return Handler(
                    view.framework, frame.node, frame.name, None, None,
                    limited or view.limited_by, frame.exempt or view.exempt, view.drf,
                )
            return None
        if (
            self._django_views_module
            and "." not in frame.name
            and not frame.node.name.value.startswith("_")
            and _first_param(frame.node) == "request"
        ):
            return Handler("django", frame.node, frame.name, None, None, limited, frame.exempt, frame.drf)
        return None

    def _add_handler(self, handler: Handler) -> None:
        if id(handler.node) in self._by_node:
            return
        self._by_node[id(handler.node)] = handler
        self.handlers.append(handler)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        qn = self._qn(func)
        last = qn.rsplit(".", 1)[-1]
        frame = self._frames[-1] if self._frames else None
        if frame is not None and frame.in_body and frame.limited_by is None:
            frame.limited_by = self._limit_call(node, qn)
        # global limiters
        if qn in web.LIMITER_CONSTRUCTORS:
            for key in web.GLOBAL_LIMIT_KEYWORDS:
                arg = keyword_arg(node, key)
                if arg is not None and not _is_empty_sequence(arg.value):
                    self._global(f"{web.LIMITER_CONSTRUCTORS[qn]} `{key}`")
        if (qn in web.LIMIT_MIDDLEWARE and not qn.endswith("RateLimitConfig")) or web.says_limit_middleware(qn):
            self._global(f"`{last}`")
        if last in ("add_middleware", "Middleware", "wrap", "use") or qn.endswith(".middleware.Middleware"):
            for arg in positional_args(node):
                middleware = self._qn(arg.value)
                if middleware in web.LIMIT_MIDDLEWARE or web.says_limit_middleware(middleware):
                    self._global(f"`{middleware.rsplit('.', 1)[-1]}` added to the app")
        if qn in web.APP_CONSTRUCTORS:
            limit = self._attached_limit(node)
            if limit:
                self._global(f"{limit} on the app")
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            if method in web.INCLUDE_METHODS:
                limit = self._attached_limit(node)
                args = list(positional_args(node))
                if limit and args:
                    self.limited_receivers[self._qn(args[0].value) or "?"] = limit
            elif method in web.REGISTRATION_METHODS:
                self._registration(node, self._guess_framework(), self._qn(func.value) or None)
            elif method in web.EXEMPT_METHODS and self._is_limiter_object(func.value):
                for arg in positional_args(node):
                    if isinstance(arg.value, cst.Name):
                        self._exempt_names.add(arg.value.value)
        if qn in web.ROUTE_OBJECTS:
            self._registration(node, web.ROUTE_OBJECTS[qn], None)
        # `limiter.limit("10/minute")(bp)`: a whole blueprint/router limited
        if isinstance(func, cst.Call) and node.args:
            limit = self._limit_decorator(func)
            target = node.args[0].value
            if limit and isinstance(target, (cst.Name, cst.Attribute)):
                self.limited_receivers[self._qn(target)] = limit

    def _limit_call(self, node: cst.Call, qn: str) -> str | None:
        if not qn:
            return None
        if qn in web.SLEEP_FUNCTIONS:
            return None
        parts = qn.lstrip(".").split(".")
        if any(web.says_limit(part) for part in parts):
            return f"call to `{dotted_name(node.func) or qn}()`"
        if isinstance(node.func, cst.Attribute) and self._is_limiter_object(node.func.value):
            return f"call to `{dotted_name(node.func)}()`"
        return None

    def visit_With(self, node: cst.With) -> None:
        frame = self._frames[-1] if self._frames else None
        if frame is None or not frame.in_body or frame.limited_by is not None:
            return
        for item in node.items:
            expr = item.item.func if isinstance(item.item, cst.Call) else item.item
            library = self._is_limiter_object(expr)
            if library is not None:
                frame.limited_by = f"`with {dotted_name(expr)}`"
                return

    def _registration(self, call: cst.Call, framework: str, receiver: str | None) -> None:
        route = route_path(call)
        candidates = [arg.value for arg in positional_args(call)]
        candidates += [arg.value for arg in call.args if arg.keyword is not None and arg.keyword.value in web.HANDLER_KEYWORDS]
        for value in candidates:
            if isinstance(value, cst.Name):
                self._registrations.append(_Registration(value, framework, route, receiver))

    def leave_Module(self, node: cst.Module) -> None:
        for registration in self._registrations:
            name = registration.target.value  # type: ignore[attr-defined]
            function = self.functions.get(name)
            if function is None or id(function) in self._by_node:
                continue
            limited = self.limited_functions.pop(name, None)
            self._add_handler(
                Handler(registration.framework, function, name, registration.route, registration.receiver, limited)
            )
        for handler in self.handlers:
            if handler.name in self._exempt_names:
                handler.exempt = True
            if handler.limited_by is None and handler.receiver in self.limited_receivers:
                handler.limited_by = self.limited_receivers[handler.receiver]
        self._write_facts()

    def _write_facts(self) -> None:
        facts = self.ctx.facts
        if self.handlers:
            facts["handlers"] = [h.fact() for h in self.handlers]
        if self.global_limiters:
            facts["global_limiters"] = self.global_limiters
        if self.limited_receivers:
            facts["limited_receivers"] = [{"name": k, "what": v} for k, v in sorted(self.limited_receivers.items())]
        if self.limited_functions:
            facts["limited_functions"] = dict(sorted(self.limited_functions.items()))
        imports = {k: v for k, v in self.semantics.imports.items() if "." in v}
        if imports:
            facts["imports"] = dict(sorted(imports.items()))


def _is_empty_sequence(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.List, cst.Tuple, cst.Set)) and not node.elements


def _first_param(node: cst.FunctionDef) -> str | None:
    params = [*node.params.posonly_params, *node.params.params]
    return params[0].name.value if params else None
