"""The AI-call model (SPEC §8): which calls send data to a model, and which argument is what.

One engine tracker, run in the single walk right after `Semantics` and `CredentialTracker`,
exposed to rules as `ctx.ai`. It answers, for every call, *is this an AI request, to which
provider, what kind, which arguments are the prompt, the end-user id and the retention
switch* (`AiModel.call(node)`), and whether an expression is an AI client
(`AiModel.is_client(expr)`). It also records the facts the transport rules share: AI client
constructions with their endpoint arguments, HTTP requests (requests, httpx, aiohttp,
urllib, urllib3, http.client, websockets) with their URLs, and endpoints set through module
settings or environment variables — each URL resolved to a string once, here.

How clients are known. A client is a value built by a constructor in the SDK catalogue
(`linter/knowledge/ai_sdks.py`), resolved through imports and aliases, and then bound to
- a variable (function-local, module global, `global` rebinding), a `with ... as` target,
  a parameter annotated with a client class;
- `self.x` / `cls.x` in any method of the class, or a class attribute;
- the return value of a function or method of this file (`def get_client(): return OpenAI()`);
- a configured copy (`client.with_options(...)`, LangChain `llm.bind_tools(...)`,
  `prompt | llm`), or a chat session (`client.chats.create(...)`, `model.start_chat()`).
Modules that are clients themselves (`openai.chat...`, `ollama.chat`, `litellm.completion`)
need no constructor.

Forward references (a factory or a global defined below its use, `self.client` set in a
method that comes later) are found by a statement-level prescan of the module, its classes
and its functions — statement lists only, not a tree walk — before the walk starts.
"""

from __future__ import annotations

import builtins
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from linter.engine.libcst_loader import cst

from linter.engine.semantics import Semantics, dotted_name, keyword_arg, literal_string, positional_args
from linter.engine.values import HOLE, Resolved, resolve_string, split_url
from linter.knowledge import ai_sdks, http

if TYPE_CHECKING:
    from linter.config import Config


# --- the public model ------------------------------------------------------------------------


@dataclass(frozen=True)
class PromptArg:
    role: str  # "messages", "system", "instructions", "prompt", "input", "contents", "history", "documents"
    value: cst.BaseExpression


@dataclass(frozen=True)
class AiCall:
    node: cst.Call
    provider: str
    #: readable source spelling of the callee, for messages: "client.chat.completions.create"
    callee: str
    kind: str  # "chat" | "completion" | "embedding" | "responses" | "image" | "audio" | "raw_http" | "other"
    prompts: tuple[PromptArg, ...]
    user_ids: tuple[cst.BaseExpression, ...]
    store: cst.BaseExpression | None
    #: the catalogue family and method path ("openai", "responses.create"); "http" for raw HTTP
    family: str = ""
    method: str = ""
    #: the provider keeps the data unless the call passes `store=False` (OpenAI Responses)
    stores_by_default: bool = False
    #: the call has `**kwargs`, which may carry any of the above
    has_star_kwargs: bool = False


@dataclass(frozen=True)
class Endpoint:
    """An expression used as the address requests are sent to."""

    #: the argument / assigned value as written at the use
    value: cst.BaseExpression
    #: what it is, for messages: "`base_url=` of the OpenAI client", "the URL of `requests.post`"
    where: str
    #: its resolved string (None if nothing of it is known); origin = the literal to report
    resolved: Resolved | None
    #: a scheme implied when the value has none (http.client, Ollama hosts)
    default_scheme: str | None = None
    #: "ai_client" | "http" | "setting" | "environment"
    source: str = "http"
    #: the call or assignment it belongs to
    node: cst.CSTNode | None = None


@dataclass(frozen=True)
class ClientConstruction:
    """An AI client (or HTTP session) built in this file."""

    node: cst.Call
    provider: str
    family: str
    callee: str
    #: (keyword, value) of arguments that take an HTTP client
    http_clients: tuple[tuple[str, cst.BaseExpression], ...] = ()
    #: (keyword, dict value) of arguments whose dict goes to an HTTP client
    http_client_kwargs: tuple[tuple[str, cst.BaseExpression], ...] = ()
    store: cst.BaseExpression | None = None
    prompts: tuple[PromptArg, ...] = ()
    ai: bool = True


@dataclass(frozen=True)
class HttpRequest:
    node: cst.Call
    library: str
    callee: str
    url: cst.BaseExpression | None
    params: cst.BaseExpression | None
    body: cst.BaseExpression | None


@dataclass(frozen=True)
class _Ref:
    """What the engine knows a value to be: an AI client or an HTTP session."""

    provider: str
    family: str
    ai: bool = True
    #: for HTTP sessions: the base URL requests are relative to
    base: Resolved | None = None


_UNKNOWN = object()


class _Frame:
    __slots__ = ("kind", "name", "refs", "values", "globals", "functions", "self_name", "node", "in_body")

    def __init__(self, kind: str, name: str, self_name: str | None = None) -> None:
        self.kind = kind  # "module" | "class" | "function"
        self.name = name
        self.refs: dict[str, _Ref | None] = {}
        self.values: dict[str, cst.BaseExpression] = {}
        self.globals: set[str] = set()
        self.functions: set[str] = set()
        self.self_name = self_name
        #: a function's node, and whether the walk is in its body (decorators, defaults
        #: and annotations run where the function is defined, not when it is called)
        self.node: cst.FunctionDef | None = None
        self.in_body = False


class _ClassInfo:
    __slots__ = ("refs", "values", "factories", "methods")

    def __init__(self) -> None:
        self.refs: dict[str, _Ref] = {}
        self.values: dict[str, cst.BaseExpression] = {}
        self.factories: dict[str, _Ref] = {}
        self.methods: set[str] = set()


def spelling(node: cst.BaseExpression, depth: int = 0) -> str:
    """A short readable spelling of a callee: `client.chat.completions.create`, `OpenAI().responses.create`."""
    if depth > 12:
        return "…"
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{spelling(node.value, depth + 1)}.{node.attr.value}"
    if isinstance(node, cst.Call):
        return f"{spelling(node.func, depth + 1)}()"
    if isinstance(node, cst.Await):
        return spelling(node.expression, depth + 1)
    if isinstance(node, cst.Subscript):
        return f"{spelling(node.value, depth + 1)}[…]"
    return "…"


def module_name_for(path: str) -> str:
    """`app/helpers.py` -> `app.helpers`; `pkg/__init__.py` -> `pkg`."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    if not parts:
        return "<stdin>"
    last = parts[-1]
    for suffix in (".pyi", ".py", ".ipynb"):
        if last.endswith(suffix):
            last = last[: -len(suffix)]
            break
    parts[-1] = last
    if parts[-1] == "__init__" and len(parts) > 1:
        parts.pop()
    return ".".join(parts)


def _child_blocks(statement: cst.CSTNode) -> list[Any]:
    """The suites nested in a compound statement (if/elif/else, for, while, try, with)."""
    blocks: list[Any] = []
    for attribute in ("body", "orelse", "finalbody"):
        child = getattr(statement, attribute, None)
        if isinstance(child, cst.BaseSuite):
            blocks.append(child)
        elif isinstance(child, (cst.Else, cst.Finally)):
            blocks.append(child.body)
        elif isinstance(child, cst.If):
            blocks.extend(_child_blocks(child))
    for handler in getattr(statement, "handlers", ()) or ():
        blocks.append(handler.body)
    return blocks


def _iter_statements(block: Any, depth: int = 0) -> Iterator[cst.CSTNode]:
    """The statements of a block in source order — small statements, and compound ones
    followed by their nested blocks — but not the bodies of nested functions or classes.
    Statement lists only: no expression is visited."""
    if depth > 60:
        return
    for statement in getattr(block, "body", ()):
        if isinstance(statement, cst.SimpleStatementLine):
            yield from statement.body
        elif isinstance(statement, cst.BaseSmallStatement):
            yield statement
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            continue
        else:
            yield statement
            for child in _child_blocks(statement):
                yield from _iter_statements(child, depth + 1)


# --- the tracker ------------------------------------------------------------------------------


class AiModel:
    """The engine's AI-call model for one file. See the module docstring."""

    def __init__(
        self, semantics: Semantics, module: cst.Module, path: str = "", config: "Config | None" = None,
        text: str | None = None,
    ) -> None:
        self.semantics = semantics
        self.module_name = module_name_for(path) if path else "<module>"
        self._is_package = path.replace("\\", "/").endswith(("/__init__.py", "/__init__.pyi")) or path in (
            "__init__.py",
            "__init__.pyi",
        )
        #: every AI request of the file, in walk order
        self.calls: list[AiCall] = []
        self.constructions: list[ClientConstruction] = []
        self.http_requests: list[HttpRequest] = []
        self.endpoints: list[Endpoint] = []
        #: this file's functions that make an AI request directly, by module-relative name
        #: (`ask`, `Bot.think`), with the spelling of the first such request
        self.ai_functions: dict[str, str] = {}
        #: module-relative caller -> absolute, import-resolved names of what it calls
        self.call_graph: dict[str, set[str]] = {}

        self._by_node: dict[cst.Call, AiCall] = {}
        self._http_by_node: dict[cst.Call, HttpRequest] = {}
        self._construction_by_node: dict[cst.Call, ClientConstruction] = {}
        self._module = _Frame("module", "<module>")
        self._frames: list[_Frame] = [self._module]
        self._classes: dict[str, _ClassInfo] = {}
        self._class_stack: list[str] = []
        self._module_functions: dict[str, cst.FunctionDef] = {}
        self._factories: dict[str, _Ref] = {}

        self._extend_functions: set[str] = set()
        self._extend_methods: dict[str, set[str]] = {}
        for entry in (config.ai.extend_clients if config is not None else ()):
            entry = entry.strip()
            if entry:
                self._extend_functions.add(entry)
                owner, _, method = entry.rpartition(".")
                if owner and method:
                    self._extend_methods.setdefault(owner, set()).add(method)

        #: whether a value of this file can be a client at all: every client (and HTTP session)
        #: starts at a catalogued name the file writes out, or at a configured client, so in a
        #: file that names none (`text` given), what-is-this-value lookups are skipped
        self._clients_possible = text is None or bool(self._extend_methods) or ai_sdks.mentions_any(_CLIENT_TERMS, text)
        self._class_by_last: dict[str, list[tuple[ai_sdks.ClientClass, str]]] = _CLASS_INDEX
        #: calls the walk has visited, and (built on first need) the classification of the
        #: calls it has not reached yet — see `call`
        self._seen: set[cst.Call] = set()
        self._ahead: dict[cst.Call, AiCall] | None = None
        self._module_node, self._path, self._config = module, path, config
        self._prescan(module)

    # ------------------------------------------------------------------ public queries
    def call(self, node: cst.Call) -> AiCall | None:
        """The AI request made by `node`, or None — for any call of the file.

        A call the walk has not reached yet (in a helper function further down, which the
        dataflow reads for a summary) is classified by a side walk of the whole module with a
        model of its own, made once per file and only when such a call is asked about, so
        that the main model's state and facts stay exactly those of the walk so far."""
        found = self._by_node.get(node)
        if found is not None or node in self._seen:
            return found
        if self._ahead is None:
            self._ahead = self._classify_ahead()
        return self._ahead.get(node)

    def _classify_ahead(self) -> dict[cst.Call, AiCall]:
        from linter.engine.walker import Dispatcher

        semantics = Semantics(self._module_node)
        probe = AiModel(semantics, self._module_node, self._path, self._config)
        probe._ahead = {}  # the probe never starts a side walk of its own
        try:
            Dispatcher([semantics, probe]).walk(self._module_node)
        except RecursionError:
            pass
        return probe._by_node

    def message_parts(self, prompt: PromptArg, elements_of: Callable[[cst.BaseExpression], list]
                      ) -> list[tuple[str, cst.BaseExpression]]:
        """(role, content) of what a prompt argument sends: a `system`/`instructions` argument
        is one part of that role; a messages list is split into its messages — dicts with a
        literal "role", LangChain message classes, `("system", text)` tuples, Gemini
        `Content(role=...)` — with `elements_of` (the dataflow's) following the list through
        the names and `append`s it was built from. Content of a message whose role is not
        known is reported with role "unknown"."""
        if prompt.role != "messages" and prompt.role != "history":
            return [(prompt.role, prompt.value)]
        parts: list[tuple[str, cst.BaseExpression]] = []
        for element in elements_of(prompt.value)[:200]:
            message = message_role(element)
            if message is None:
                parts.append(("unknown", element))
            else:
                parts.append(message)
        return parts

    def http_request(self, node: cst.Call) -> HttpRequest | None:
        return self._http_by_node.get(node)

    def construction(self, node: cst.Call) -> ClientConstruction | None:
        return self._construction_by_node.get(node)

    def is_client(self, expr: cst.BaseExpression) -> str | None:
        """The provider if `expr` is a known AI client (in the current scope during the walk)."""
        ref = self._ref(expr)
        return ref.provider if ref is not None and ref.ai else None

    def http_session(self, expr: cst.BaseExpression) -> str | None:
        """The library if `expr` is a known HTTP session/client object (requests.Session, httpx.Client...)."""
        ref = self._ref(expr)
        return ref.family if ref is not None and not ref.ai else None

    def resolve_bool(self, expr: cst.BaseExpression) -> bool | None:
        """`True`/`False` written directly or through a name bound to it; None if unknown."""
        value = self.resolve(expr)
        if isinstance(value, cst.Name) and value.value in ("True", "False"):
            return value.value == "True"
        return None

    def resolve(self, expr: cst.BaseExpression) -> cst.BaseExpression:
        """Follow names to the expression bound to them (locals, class attributes, module constants)."""
        seen = 0
        while isinstance(expr, (cst.Name, cst.Attribute)) and seen < 8:
            bound = self._lookup_value(expr)
            if bound is None:
                break
            expr = bound
            seen += 1
        return expr

    def resolve_string(self, expr: cst.BaseExpression) -> Resolved | None:
        """The string value of `expr` with unknown parts as `values.HOLE` (see engine/values.py)."""
        return resolve_string(expr, self._lookup_value, self._qualname)

    def facts(self) -> dict[str, Any]:
        """The facts the project phase reads (engine/project.py). One naming convention for
        the whole engine: a function *defined* in this file is named relative to its module
        (`ask`, `Bot.think`, `outer.inner` — the file's path says which module), like the
        route tracker's handlers; a name *referenced* (a callee) is absolute and
        import-resolved (`app.llm.ask`, relative imports made absolute)."""
        calls = {caller: sorted(callees) for caller, callees in sorted(self.call_graph.items()) if callees}
        if not calls and not self.ai_functions:
            return {}  # nothing for the project phase: the same as a file the pre-filter skips
        return {"module": self.module_name, "ai_functions": dict(sorted(self.ai_functions.items())), "calls": calls}

    # ------------------------------------------------------------------ name helpers
    def _qualname(self, expr: cst.BaseExpression) -> str | None:
        return self.semantics.qualified_name(expr)

    def imported(self, expr: cst.BaseExpression) -> str | None:
        """The qualified name of a Name/Attribute chain whose head is an import (and not
        shadowed by a local of the function being walked), else None."""
        dotted = dotted_name(expr)
        if dotted is None:
            return None
        head = dotted.split(".", 1)[0]
        if head not in self.semantics.imports or self._shadowed(head):
            return None
        return self.semantics.qualified_name(expr)

    def _shadowed(self, name: str) -> bool:
        for frame in reversed(self._frames):
            if frame.kind == "function" and (name in frame.refs or name in frame.values):
                return True
        return False

    def _absolute(self, name: str) -> str:
        """Resolve a relative import spelling (`.helpers.ask`) against this module."""
        if not name.startswith("."):
            return name
        dots = len(name) - len(name.lstrip("."))
        package = self.module_name.split(".")
        if not self._is_package:
            package = package[:-1]
        if dots > 1:
            package = package[: max(0, len(package) - (dots - 1))]
        rest = name[dots:]
        return ".".join([*package, rest]) if package else rest

    # ------------------------------------------------------------------ constructors
    def _constructor_ref(self, qualified: str, call: cst.Call | None) -> tuple[_Ref, ai_sdks.ClientClass | None] | None:
        last = qualified.rsplit(".", 1)[-1]
        for spec, suffix in self._class_by_last.get(last, ()):
            if qualified.startswith(spec.package + ".") and qualified.endswith("." + suffix):
                middle = qualified[len(spec.package) + 1 : len(qualified) - len(suffix)]
                # the class may sit in a submodule (`openai.lib.azure.AzureOpenAI`), but not
                # in a sibling SDK namespace (`google.genai` is not `google.cloud`)
                if middle == "" or middle.endswith("."):
                    return _Ref(spec.provider, spec.family), spec
        session = http.SESSION_CLASSES.get(qualified)
        if session is not None:
            base = None
            if call is not None:
                for keyword in http.SESSION_BASE_URL_KEYWORDS.get(session, ()):
                    arg = keyword_arg(call, keyword)
                    if arg is not None:
                        base = self.resolve_string(arg.value)
            return _Ref("http", session, ai=False, base=base), None
        absolute = self._absolute(qualified)
        if absolute in self._extend_methods or any(absolute.endswith("." + o) for o in self._extend_methods):
            return _Ref("custom", "custom:" + absolute), None
        return None

    # ------------------------------------------------------------------ what a value is
    def _ref(self, expr: cst.BaseExpression, local: dict[str, _Ref | None] | None = None, depth: int = 0) -> _Ref | None:
        if depth > 24 or not self._clients_possible:
            return None
        if isinstance(expr, cst.Await):
            return self._ref(expr.expression, local, depth + 1)
        if isinstance(expr, cst.Call):
            return self._call_ref(expr, local, depth)
        if isinstance(expr, cst.Name):
            return self._name_ref(expr.value, local)
        if isinstance(expr, cst.Attribute):
            owner = expr.value
            if isinstance(owner, cst.Name):
                info = self._class_for_owner(owner.value)
                if info is not None:
                    return info.refs.get(expr.attr.value)
            qualified = self.imported(expr)
            if qualified in ai_sdks.MODULE_CLIENTS:
                provider, family = ai_sdks.MODULE_CLIENTS[qualified]
                return _Ref(provider, family)
            return None
        if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.BitOr):
            # LangChain expression language: `prompt | llm | parser`
            for side in (expr.left, expr.right):
                ref = self._ref(side, local, depth + 1)
                if ref is not None and ref.ai and ref.family == "langchain":
                    return ref
            return None
        if isinstance(expr, cst.IfExp):
            return self._ref(expr.body, local, depth + 1) or self._ref(expr.orelse, local, depth + 1)
        if isinstance(expr, cst.BooleanOperation):
            return self._ref(expr.left, local, depth + 1) or self._ref(expr.right, local, depth + 1)
        return None

    def _name_ref(self, name: str, local: dict[str, _Ref | None] | None) -> _Ref | None:
        if local is not None and name in local:
            return local[name]
        for frame in reversed(self._frames):
            if frame.kind == "class":
                continue
            if name in frame.refs:
                return frame.refs[name]
            if frame.kind == "function" and name in frame.values:
                return None  # a local that is something else
        if name in self.semantics.imports and not self._shadowed(name):
            qualified = self.semantics.imports[name]
            if qualified in ai_sdks.MODULE_CLIENTS:
                provider, family = ai_sdks.MODULE_CLIENTS[qualified]
                return _Ref(provider, family)
        return None

    def _class_for_owner(self, owner: str) -> _ClassInfo | None:
        """The class `self`/`cls`/`ClassName` refers to."""
        if owner in self._classes and not self._shadowed(owner):
            return self._classes[owner]
        if owner in ("self", "cls") or any(f.self_name == owner for f in self._frames):
            if self._class_stack:
                return self._classes.get(self._class_stack[-1])
        return None

    def _call_ref(self, call: cst.Call, local: dict[str, _Ref | None] | None, depth: int) -> _Ref | None:
        func = call.func
        if isinstance(func, (cst.Name, cst.Attribute)):
            qualified = self.imported(func)
            if qualified is not None:
                found = self._constructor_ref(qualified, call)
                if found is not None:
                    return found[0]
                wrapped = ai_sdks.WRAPPERS.get(qualified)
                if wrapped is not None:
                    for keyword in wrapped:
                        arg = keyword_arg(call, keyword)
                        if arg is not None:
                            inner = self._ref(arg.value, local, depth + 1)
                            if inner is not None and inner.ai:
                                return _Ref(inner.provider, "langchain")
                    return None
            if isinstance(func, cst.Name) and not self._shadowed(func.value):
                if func.value in self._factories:
                    return self._factories[func.value]
                if func.value in self._classes and self._extend_methods:
                    found = self._constructor_ref(f"{self.module_name}.{func.value}", call)
                    return found[0] if found else None
        if isinstance(func, cst.Attribute):
            method = func.attr.value
            receiver = func.value
            if isinstance(receiver, cst.Name):
                info = self._class_for_owner(receiver.value)
                if info is not None and method in info.factories:
                    return info.factories[method]
            if method in ai_sdks.SELF_RETURNING:
                ref = self._ref(receiver, local, depth + 1)
                if ref is not None and ref.ai:
                    return ref
            found = self._method(func, local, depth)
            if found is not None:
                ref, path = found
                request = ai_sdks.FAMILIES.get(ref.family, {}).get(path)
                if request is not None and request.returns:
                    return _Ref(ref.provider, request.returns)
        return None

    def _method(self, func: cst.BaseExpression, local=None, depth: int = 0) -> tuple[_Ref, str] | None:
        """(client, method path) for `client.a.b.c`, trying each prefix of the chain as the client."""
        chain: list[tuple[cst.BaseExpression, list[str]]] = []
        parts: list[str] = []
        node = func
        while isinstance(node, cst.Attribute) and len(parts) < 12:
            parts.insert(0, node.attr.value)
            node = node.value
            chain.append((node, list(parts)))
        for receiver, path in reversed(chain):  # the shortest receiver first
            ref = self._ref(receiver, local, depth + 1)
            if ref is not None:
                return ref, ".".join(p for p in path if p not in ai_sdks.PASSTHROUGH_SEGMENTS)
        return None

    # ------------------------------------------------------------------ prescan
    def _prescan(self, module: cst.Module) -> None:
        classes: dict[str, cst.ClassDef] = {}
        for statement in module.body:
            if isinstance(statement, cst.FunctionDef):
                self._module_functions[statement.name.value] = statement
            elif isinstance(statement, cst.ClassDef):
                classes[statement.name.value] = statement
                info = self._classes.setdefault(statement.name.value, _ClassInfo())
                for item in _class_body(statement):
                    if isinstance(item, cst.FunctionDef):
                        info.methods.add(item.name.value)
        # two rounds: factories may return globals, globals may come from factories (a
        # round that binds nothing leaves the next one nothing new to see)
        for _ in range(2):
            if _ and not self._bound_anything():
                break
            for small in _iter_statements(module):
                if isinstance(small, (cst.Assign, cst.AnnAssign)):
                    self._bind_targets(small, self._module.refs, self._module.values, prescan=True)
            for name, function in self._module_functions.items():
                ref = self._scan_function(function, None)
                if ref is not None:
                    self._factories[name] = ref
            for class_name, class_node in classes.items():
                self._class_stack.append(class_name)
                info = self._classes[class_name]
                for item in _class_body(class_node):
                    if isinstance(item, cst.SimpleStatementLine):
                        for small in item.body:
                            if isinstance(small, (cst.Assign, cst.AnnAssign)):
                                self._bind_class_attr(small, info)
                    elif isinstance(item, cst.FunctionDef):
                        ref = self._scan_function(item, info)
                        if ref is not None:
                            if _is_property(item):
                                info.refs[item.name.value] = ref
                            else:
                                info.factories[item.name.value] = ref
                self._class_stack.pop()

    def _bound_anything(self) -> bool:
        return bool(self._module.refs or self._factories) or any(
            info.refs or info.factories for info in self._classes.values()
        )

    def _scan_function(self, function: cst.FunctionDef, info: _ClassInfo | None) -> _Ref | None:
        """Bind `self.x = <client>` into the class, and return what the function returns, if a client."""
        if not self._clients_possible:
            return None  # every binding below is a client reference (`_ref`), and there is none
        local: dict[str, _Ref | None] = {}
        for param in _params(function):
            ref = self._annotation_ref(param.annotation)
            if ref is not None:
                local[param.name.value] = ref
        returned: _Ref | None = None
        for small in _iter_statements(function.body):
            if isinstance(small, (cst.Assign, cst.AnnAssign)):
                value = small.value
                if value is None:
                    continue
                ref = self._ref(value, local)
                for target in _targets(small):
                    if isinstance(target, cst.Name):
                        local[target.value] = ref
                    elif info is not None and ref is not None and _is_self_attr(target):
                        info.refs[target.attr.value] = ref  # type: ignore[union-attr]
            elif isinstance(small, cst.Return) and small.value is not None and returned is None:
                returned = self._ref(small.value, local)
            elif isinstance(small, cst.With):
                for item in small.items:
                    if item.asname is not None and isinstance(item.asname.name, cst.Name):
                        local[item.asname.name.value] = self._ref(item.item, local)
        return returned if returned is not None and returned.ai else None

    def _annotation_ref(self, annotation: cst.Annotation | None) -> _Ref | None:
        if annotation is None or not self._clients_possible:
            return None
        node = annotation.annotation
        if isinstance(node, cst.SimpleString):
            return None
        if isinstance(node, cst.Subscript) and dotted_name(node.value) in ("Optional", "typing.Optional"):
            element = node.slice[0].slice if node.slice else None
            node = element.value if isinstance(element, cst.Index) else node
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            node = node.left
        if not isinstance(node, (cst.Name, cst.Attribute)):
            return None
        qualified = self.imported(node)
        if qualified is None:
            return None
        found = self._constructor_ref(qualified, None)
        return found[0] if found is not None else None

    def _bind_class_attr(self, small: cst.Assign | cst.AnnAssign, info: _ClassInfo) -> None:
        for target in _targets(small):
            if isinstance(target, cst.Name):
                if small.value is not None:
                    info.values[target.value] = small.value
                    ref = self._ref(small.value)
                else:
                    ref = self._annotation_ref(small.annotation) if isinstance(small, cst.AnnAssign) else None
                if ref is not None:
                    info.refs[target.value] = ref

    def _bind_targets(self, small: cst.Assign | cst.AnnAssign, refs: dict, values: dict, prescan: bool = False) -> None:
        value = small.value
        ref = self._ref(value) if value is not None else None
        if ref is None and value is None and isinstance(small, cst.AnnAssign):
            ref = self._annotation_ref(small.annotation)
        for target in _targets(small):
            if isinstance(target, cst.Name):
                if prescan:
                    # any top-level binding to a client counts, whatever order
                    if ref is not None:
                        refs[target.value] = ref
                else:
                    refs[target.value] = ref
            elif isinstance(target, (cst.Tuple, cst.List)) and not prescan:
                for element in target.elements:
                    if isinstance(element.value, cst.Name):
                        refs[element.value.value] = None

    # ------------------------------------------------------------------ lookups for values
    def _lookup_value(self, expr: cst.BaseExpression) -> cst.BaseExpression | None:
        if isinstance(expr, cst.Name):
            name = expr.value
            if self._frames[-1].kind == "class":
                info = self._classes.get(self._frames[-1].name)
                if info is not None and name in info.values:
                    return info.values[name]
            for frame in reversed(self._frames):
                if frame.kind == "class":
                    continue
                if name in frame.values:
                    return frame.values[name]
                if frame.kind == "function" and name in frame.refs:
                    return None
            return self.semantics.module_constants.get(name)
        if isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name):
            info = self._class_for_owner(expr.value.value)
            if info is not None:
                return info.values.get(expr.attr.value)
        return None

    # ------------------------------------------------------------------ walk hooks
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_stack.append(node.name.value)
        self._classes.setdefault(node.name.value, _ClassInfo())
        self._frames.append(_Frame("class", node.name.value))

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self._class_stack.pop()
        self._frames.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        parent = self._frames[-1]
        if parent.kind == "function":
            parent.functions.add(node.name.value)
        params = _params(node)
        self_name = None
        if parent.kind == "class" and params and not _is_static(node):
            self_name = params[0].name.value
        frame = _Frame("function", node.name.value, self_name)
        frame.node = node
        for param in params:
            frame.refs[param.name.value] = self._annotation_ref(param.annotation)
            if param.default is not None:
                # the value the parameter has when the caller does not pass it
                frame.values[param.name.value] = param.default
        self._frames.append(frame)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._frames.pop()

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._enter_suite(node)

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        self._enter_suite(node)

    def _enter_suite(self, node: cst.BaseSuite) -> None:
        frame = self._frames[-1]
        if frame.node is not None and frame.node.body is node:
            frame.in_body = True

    def leave_BaseSuite(self, node: cst.BaseSuite) -> None:
        frame = self._frames[-1]
        if frame.node is not None and frame.node.body is node:
            frame.in_body = False

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._frames[-1].globals.add(item.name.value)

    def _frame_for(self, name: str) -> _Frame:
        """Where an assignment to `name` binds: the current frame, or the module for `global`."""
        frame = self._frames[-1]
        if frame.kind == "function" and name in frame.globals:
            return self._module
        return frame

    def _assign(self, targets: list[cst.BaseExpression], value: cst.BaseExpression | None, annotation=None) -> None:
        ref = self._ref(value) if value is not None else self._annotation_ref(annotation)
        frame = self._frames[-1]
        for target in targets:
            if isinstance(target, cst.Name):
                if frame.kind == "class":
                    info = self._classes.get(frame.name)
                    if info is not None:
                        if value is not None:
                            info.values[target.value] = value
                        if ref is not None:
                            info.refs[target.value] = ref
                    continue
                owner = self._frame_for(target.value)
                if owner is self._module:
                    # module globals: any binding to a client counts (the prescan saw them all)
                    if ref is not None:
                        owner.refs[target.value] = ref
                else:
                    owner.refs[target.value] = ref
                    if value is not None:
                        owner.values[target.value] = value
                    else:
                        owner.values.pop(target.value, None)
            elif isinstance(target, cst.Attribute) and ref is not None and isinstance(target.value, cst.Name):
                info = self._class_for_owner(target.value.value)
                if info is not None:
                    info.refs[target.attr.value] = ref
            elif isinstance(target, (cst.Tuple, cst.List)) and frame.kind == "function":
                for element in target.elements:
                    if isinstance(element.value, cst.Name):
                        frame.refs[element.value.value] = None
                        frame.values.pop(element.value.value, None)
        if value is not None:
            for target in targets:
                self._setting(target, value)

    def visit_Assign(self, node: cst.Assign) -> None:
        self._assign([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._assign([node.target], node.value, node.annotation)

    def visit_With(self, node: cst.With) -> None:
        frame = self._frames[-1]
        for item in node.items:
            if item.asname is not None and isinstance(item.asname.name, cst.Name):
                ref = self._ref(item.item)
                name = item.asname.name.value
                if frame.kind == "module":
                    if ref is not None:
                        frame.refs[name] = ref
                elif frame.kind == "function":
                    frame.refs[name] = ref

    def visit_For(self, node: cst.For) -> None:
        frame = self._frames[-1]
        if frame.kind == "function" and isinstance(node.target, cst.Name):
            frame.refs[node.target.value] = None
            frame.values.pop(node.target.value, None)

    # endpoints set through module settings and the environment
    def _setting(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, cst.Attribute):
            qualified = self.imported(target)
            if qualified in ai_sdks.MODULE_ENDPOINT_SETTINGS:
                self.endpoints.append(
                    Endpoint(value, f"`{qualified}`", self.resolve_string(value), source="setting", node=target)
                )
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            if self.imported(target.value) == "os.environ":
                index = target.slice[0].slice
                if isinstance(index, cst.Index):
                    name = literal_string(index.value)
                    if name in ai_sdks.ENDPOINT_ENV_VARS:
                        self.endpoints.append(
                            Endpoint(value, f"`{name}`", self.resolve_string(value), source="environment", node=target)
                        )

    def visit_Call(self, node: cst.Call) -> None:
        self._seen.add(node)
        func = node.func
        qualified = self.imported(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
        ai_call = self._recognize(node, qualified)
        if ai_call is not None:
            self._by_node[node] = ai_call
            self.calls.append(ai_call)
            if self._in_function:
                self.ai_functions.setdefault(self.semantics.scope_name, ai_call.callee)
        if qualified is not None:
            self._environment_endpoint(node, qualified)
        if self._in_function and self._frames[-1].in_body:
            callee = self._callee_name(func)
            callees = [callee] if callee is not None else self._star_candidates(func)
            for callee in callees:
                if callee.split(".", 1)[0] not in _STDLIB:
                    self.call_graph.setdefault(self.semantics.scope_name, set()).add(callee)

    @property
    def _in_function(self) -> bool:
        nodes = self.semantics.scope_nodes
        return bool(nodes) and isinstance(nodes[-1], cst.FunctionDef)

    # ------------------------------------------------------------------ recognition
    def _recognize(self, node: cst.Call, qualified: str | None) -> AiCall | None:
        func = node.func
        # 1. constructors of AI clients and HTTP sessions
        construct = qualified
        if construct is None and isinstance(func, cst.Name) and func.value in self._classes and self._extend_methods:
            construct = f"{self.module_name}.{func.value}"
        if construct is not None:
            found = self._constructor_ref(construct, node)
            if found is not None:
                self._record_construction(node, found[0], found[1], construct)
                return None
        # 2. module-level request functions imported by name: `from litellm import completion`
        if isinstance(func, cst.Name) and qualified is not None:
            for module, (provider, family) in ai_sdks.MODULE_CLIENTS.items():
                if qualified.startswith(module + "."):
                    request = ai_sdks.FAMILIES[family].get(qualified[len(module) + 1 :])
                    if request is not None and not request.returns:
                        return self._ai_call(node, provider, family, qualified[len(module) + 1 :], request)
        # 3. methods of known clients (and sessions)
        found_method = self._method(func) if isinstance(func, cst.Attribute) else None
        if found_method is not None:
            ref, path = found_method
            if ref.ai:
                if ref.family.startswith("custom:"):
                    if path in self._extend_methods.get(ref.family[7:], ()) or any(
                        ref.family[7:].endswith("." + owner) and path in methods
                        for owner, methods in self._extend_methods.items()
                    ):
                        return self._custom_call(node)
                    return None
                request = ai_sdks.FAMILIES.get(ref.family, {}).get(path)
                if request is not None and not request.returns:
                    return self._ai_call(node, ref.provider, ref.family, path, request)
            else:
                spec = http.SESSION_METHODS.get(ref.family, {}).get(path)
                if spec is not None:
                    return self._http_call(node, spec, ref.base)
        # 4. calling a model object itself: `llm("...")`
        if isinstance(func, (cst.Name, cst.Attribute)) and qualified is None:
            ref = self._ref(func)
            if ref is not None and ref.ai:
                request = ai_sdks.FAMILIES.get(ref.family, {}).get("")
                if request is not None:
                    return self._ai_call(node, ref.provider, ref.family, "", request)
        # 5. configured AI functions
        if isinstance(func, (cst.Name, cst.Attribute)) and self._extend_functions:
            name = self._callee_name(func)
            if name is not None and any(name == e or name.endswith("." + e) for e in self._extend_functions):
                return self._custom_call(node)
        # 6. raw HTTP
        if qualified is not None:
            spec = http.HTTP_FUNCTIONS.get(qualified)
            if spec is not None:
                return self._http_call(node, spec, None)
        return None

    def _record_construction(self, node: cst.Call, ref: _Ref, spec: ai_sdks.ClientClass | None, qualified: str) -> None:
        callee = spelling(node.func)
        if not ref.ai:
            construction = ClientConstruction(node, ref.provider, ref.family, callee, ai=False)
            self.constructions.append(construction)
            self._construction_by_node[node] = construction
            for keyword in http.SESSION_BASE_URL_KEYWORDS.get(ref.family, ()):
                arg = keyword_arg(node, keyword)
                if arg is not None:
                    self._add_endpoint(arg.value, f"`{keyword}=` of `{callee}`", "http", node)
            return
        label = f"the `{qualified.rsplit('.', 1)[-1]}` client"
        http_clients: list[tuple[str, cst.BaseExpression]] = []
        http_kwargs: list[tuple[str, cst.BaseExpression]] = []
        prompts: list[PromptArg] = []
        store = None
        if spec is not None:
            default_scheme = "http" if spec.provider == "ollama" else None
            for keyword in spec.endpoints:
                arg = keyword_arg(node, keyword)
                if arg is not None and not isinstance(arg.value, cst.Dict):
                    self._add_endpoint(arg.value, f"`{keyword}=` of {label}", "ai_client", node, default_scheme)
            for keyword, key in spec.nested_endpoints:
                arg = keyword_arg(node, keyword)
                if arg is not None:
                    inner = _nested_value(self.resolve(arg.value), key)
                    if inner is not None:
                        self._add_endpoint(inner, f"`{keyword}` `{key}` of {label}", "ai_client", node)
            if spec.endpoint_position is not None:
                positional = list(positional_args(node))
                if len(positional) > spec.endpoint_position:
                    self._add_endpoint(positional[spec.endpoint_position].value, f"the host of {label}", "ai_client",
                                       node, default_scheme)
            for keyword in spec.http_clients:
                arg = keyword_arg(node, keyword)
                if arg is not None:
                    http_clients.append((keyword, arg.value))
            for keyword in spec.http_client_kwargs:
                arg = keyword_arg(node, keyword)
                if arg is not None:
                    http_kwargs.append((keyword, arg.value))
            for keyword, role in spec.prompts:
                arg = keyword_arg(node, keyword)
                if arg is not None:
                    prompts.append(PromptArg(role, arg.value))
            if spec.store:
                arg = keyword_arg(node, "store")
                store = arg.value if arg is not None else None
        construction = ClientConstruction(
            node, ref.provider, ref.family, callee, tuple(http_clients), tuple(http_kwargs), store, tuple(prompts)
        )
        self.constructions.append(construction)
        self._construction_by_node[node] = construction

    def _add_endpoint(self, value: cst.BaseExpression, where: str, source: str, node: cst.CSTNode | None,
                      default_scheme: str | None = None) -> None:
        self.endpoints.append(Endpoint(value, where, self.resolve_string(value), default_scheme, source, node))

    def _environment_endpoint(self, node: cst.Call, qualified: str) -> None:
        """`os.environ.setdefault("OPENAI_BASE_URL", ...)`, `os.putenv(...)`, `os.getenv("OPENAI_BASE_URL", default)`."""
        if qualified not in ("os.environ.setdefault", "os.putenv", "os.getenv", "os.environ.get"):
            return
        args = list(positional_args(node))
        if len(args) < 2:
            default = keyword_arg(node, "default")
            if not args or default is None:
                return
            value = default.value
        else:
            value = args[1].value
        name = literal_string(args[0].value)
        if name in ai_sdks.ENDPOINT_ENV_VARS:
            self.endpoints.append(Endpoint(value, f"`{name}`", self.resolve_string(value), source="environment", node=node))

    def _ai_call(self, node: cst.Call, provider: str, family: str, path: str, request: ai_sdks.Request) -> AiCall:
        prompts: list[PromptArg] = []
        for keyword, role in request.prompts:
            arg = keyword_arg(node, keyword)
            if arg is not None:
                prompts.append(PromptArg(role, arg.value))
        if request.positional:
            positional = list(positional_args(node))
            for index, role in request.positional:
                if index < len(positional):
                    prompts.append(PromptArg(role, positional[index].value))
        for keyword, key, role in request.nested_prompts:
            arg = keyword_arg(node, keyword)
            if arg is not None:
                inner = _nested_value(self.resolve(arg.value), key)
                if inner is not None:
                    prompts.append(PromptArg(role, inner))
        for keyword in request.endpoints:
            arg = keyword_arg(node, keyword)
            if arg is not None:
                self._add_endpoint(arg.value, f"`{keyword}=` of `{spelling(node.func)}`", "ai_client", node)
        user_ids = tuple(arg.value for k in request.user_ids if (arg := keyword_arg(node, k)) is not None)
        store_arg = keyword_arg(node, "store") if request.store else None
        return AiCall(
            node,
            provider,
            spelling(node.func),
            request.kind,
            tuple(prompts),
            user_ids,
            store_arg.value if store_arg is not None else None,
            family,
            path,
            request.stores_by_default,
            any(arg.star == "**" for arg in node.args),
        )

    def _custom_call(self, node: cst.Call) -> AiCall:
        prompts = []
        for arg in node.args:
            if arg.star:
                continue
            keyword = arg.keyword.value if arg.keyword is not None else None
            role = keyword if keyword in _ROLES else "input"
            prompts.append(PromptArg(role, arg.value))
        return AiCall(node, "custom", spelling(node.func), "other", tuple(prompts), (), None, "custom", "",
                      False, any(arg.star == "**" for arg in node.args))

    def _http_call(self, node: cst.Call, spec: http.HttpCall, base: Resolved | None) -> AiCall | None:
        url = _argument(node, spec.url_position, spec.url_keywords)
        params = _argument(node, None, spec.params_keywords)
        body = _argument(node, None, spec.json_keywords) or _argument(node, None, spec.data_keywords)
        callee = spelling(node.func)
        request = HttpRequest(node, spec.library, callee, url, params, body)
        self.http_requests.append(request)
        self._http_by_node[node] = request
        resolved = self.resolve_string(url) if url is not None else None
        if url is not None:
            where = f"the host of `{callee}`" if spec.scheme else f"the URL of `{callee}`"
            self.endpoints.append(Endpoint(url, where, resolved, spec.scheme, "http", node))
        text = resolved.text if resolved is not None else None
        if base is not None and (text is None or "://" not in text):
            text = base.text.rstrip("/") + "/" + (text or HOLE).lstrip("/")
        if text is None:
            return None
        parsed = split_url(text, spec.scheme)
        if parsed is None:
            return None
        match = _ai_endpoint(parsed)
        if match is None:
            return None
        provider, kind = match
        return self._raw_ai_call(node, provider, kind, callee, body)

    def _raw_ai_call(self, node: cst.Call, provider: str, kind: str, callee: str, body: cst.BaseExpression | None) -> AiCall:
        prompts: list[PromptArg] = []
        users: list[cst.BaseExpression] = []
        store = None
        payload = self._payload(body) if body is not None else None
        items = _dict_items(payload) if payload is not None else None
        if items is not None:
            for key, value in items:
                if key in ai_sdks.BODY_PROMPT_KEYS:
                    prompts.append(PromptArg(ai_sdks.BODY_PROMPT_KEYS[key], value))
                elif key in ai_sdks.BODY_USER_KEYS:
                    users.append(value)
                elif key == ai_sdks.BODY_STORE_KEY:
                    store = value
        elif body is not None:
            prompts.append(PromptArg("input", body))
        return AiCall(node, provider, callee, "raw_http", tuple(prompts), tuple(users), store, "http", kind,
                      kind == "responses" and provider in ("openai", "azure-openai"))

    def _payload(self, body: cst.BaseExpression) -> cst.BaseExpression:
        body = self.resolve(body)
        if isinstance(body, cst.Call) and self._qualname(body.func) in ("json.dumps", "orjson.dumps", "ujson.dumps"):
            args = list(positional_args(body))
            if args:
                return self.resolve(args[0].value)
        return body

    # ------------------------------------------------------------------ facts
    def _callee_name(self, func: cst.BaseExpression, depth: int = 0) -> str | None:
        """The import-resolved name of a called function of the project, or None."""
        if isinstance(func, cst.Name):
            name = func.value
            if self._shadowed(name) and not any(name in f.functions for f in self._frames):
                return None
            for depth in range(len(self._frames) - 1, 0, -1):
                if name in self._frames[depth].functions:
                    scope = ".".join(f.name for f in self._frames[1 : depth + 1])
                    return f"{self.module_name}.{scope}.{name}"
            if name in self.semantics.imports:
                return self._absolute(self.semantics.imports[name])
            if name in self._module_functions or name in self._classes:
                return f"{self.module_name}.{name}"
            return None
        if isinstance(func, cst.Attribute):
            owner = func.value
            if isinstance(owner, cst.Name):
                if owner.value in ("self", "cls") or any(f.self_name == owner.value for f in self._frames):
                    if self._class_stack:
                        return f"{self.module_name}.{self._class_stack[-1]}.{func.attr.value}"
                    return None
                if owner.value in self._classes and not self._shadowed(owner.value):
                    return f"{self.module_name}.{owner.value}.{func.attr.value}"
                # `bot = Bot(); bot.think(q)`: a method of the class the name was built from
                bound = self._lookup_value(owner) if depth < 4 else None
                if isinstance(bound, cst.Call):
                    # `x = x.copy()` binds x to a call on x: the depth bounds the chase
                    owner_class = self._class_name(bound, depth + 1)
                    if owner_class is not None:
                        return f"{owner_class}.{func.attr.value}"
            elif isinstance(owner, cst.Call) and depth < 4:
                # `Bot().think(q)`
                owner_class = self._class_name(owner, depth + 1)
                if owner_class is not None:
                    return f"{owner_class}.{func.attr.value}"
            qualified = self.imported(func)
            if qualified is not None:
                return self._absolute(qualified)
        return None

    def _star_candidates(self, func: cst.BaseExpression) -> list[str]:
        """`ask` after `from app.helpers import *`: `app.helpers.ask` — if that module defines
        it (the project phase checks). Not for builtins, locals or parameters."""
        star = self.semantics.star_imports
        if not star or not isinstance(func, cst.Name) or func.value in _BUILTINS or self._shadowed(func.value):
            return []
        return [f"{self._absolute(module)}.{func.value}" for module in star]

    def _class_name(self, call: cst.Call, depth: int = 0) -> str | None:
        """The absolute name of the project class `call` instantiates: a class of this file,
        or an imported name spelled like a class (`CapWords`); None otherwise."""
        if not isinstance(call.func, (cst.Name, cst.Attribute)):
            return None
        name = self._callee_name(call.func, depth)
        if name is None:
            return None
        last = name.rsplit(".", 1)[-1]
        local = isinstance(call.func, cst.Name) and call.func.value in self._classes
        return name if local or (last[:1].isupper() and not last.isupper()) else None


_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins"}
_BUILTINS = frozenset(dir(builtins))
_ROLES = frozenset({"messages", "system", "instructions", "prompt", "input", "contents", "history", "documents"})


def message_role(element: cst.BaseExpression) -> tuple[str, cst.BaseExpression] | None:
    """(role, content) of one chat message expression, or None when it is not a message of a
    known shape. The role is "unknown" when it is not a literal."""
    if isinstance(element, cst.Dict):
        items = {}
        for item in element.elements:
            if isinstance(item, cst.DictElement):
                key = literal_string(item.key)
                if key is not None:
                    items[key] = item.value
        if "role" not in items:
            return None
        content = next((items[k] for k in ai_sdks.MESSAGE_CONTENT_KEYS if k in items), None)
        if content is None:
            return None
        return (literal_string(items["role"]) or "unknown").lower(), content
    if isinstance(element, cst.Tuple) and len(element.elements) == 2:
        role = literal_string(element.elements[0].value)
        if role is not None and role.lower() in ai_sdks.MESSAGE_ROLES:
            return role.lower(), element.elements[1].value
        return None
    if isinstance(element, cst.Call):
        func = element.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("from_template", "from_template_file"):
            func = func.value  # `SystemMessagePromptTemplate.from_template("...")`
        last = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
        role = ai_sdks.MESSAGE_CLASSES.get(last)
        if role is None and last in ai_sdks.ROLE_KEYWORD_MESSAGES:
            role_arg = keyword_arg(element, "role")
            if role_arg is None:
                return None
            role = (literal_string(role_arg.value) or "unknown").lower()
        if role is None:
            return None
        content = next((a.value for k in ai_sdks.MESSAGE_CONTENT_KEYS if (a := keyword_arg(element, k)) is not None),
                       None)
        if content is None:
            positional = list(positional_args(element))
            content = positional[0].value if positional else None
        return (role, content) if content is not None else None
    return None


def _build_class_index() -> dict[str, list[tuple[ai_sdks.ClientClass, str]]]:
    index: dict[str, list[tuple[ai_sdks.ClientClass, str]]] = {}
    for spec in ai_sdks.CLIENT_CLASSES:
        for name in spec.classes:
            index.setdefault(name.rsplit(".", 1)[-1], []).append((spec, name))
    return index


_CLASS_INDEX = _build_class_index()
#: the names a client or an HTTP session is built from (see `AiModel._clients_possible`)
_CLIENT_TERMS = ai_sdks.AI_NAME_TERMS + tuple({tuple(name.split(".")) for name in http.SESSION_CLASSES})


def _ai_endpoint(url: "Any") -> tuple[str, str] | None:
    """(provider, kind) when a URL is a model API: a provider host, or a model API path."""
    from fnmatch import fnmatchcase

    path = url.rest.lower()
    kind = "other"
    for fragment, fragment_kind in ai_sdks.PATH_KINDS:
        if fragment in path:
            kind = fragment_kind
            break
    if url.host is not None:
        for pattern, provider in ai_sdks.PROVIDER_HOSTS:
            if url.host == pattern or ("*" in pattern and fnmatchcase(url.host, pattern)):
                return provider, kind
    for fragment, provider, fragment_kind in ai_sdks.AI_PATHS:
        if fragment in path:
            if provider == "ollama" and url.port != ai_sdks.OLLAMA_PORT:
                continue
            return provider, fragment_kind
    return None


def _argument(call: cst.Call, position: int | None, keywords: tuple[str, ...]) -> cst.BaseExpression | None:
    for keyword in keywords:
        arg = keyword_arg(call, keyword)
        if arg is not None:
            return arg.value
    if position is not None:
        positional = list(positional_args(call))
        if position < len(positional):
            return positional[position].value
    return None


def _dict_items(value: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]] | None:
    """(key, value) pairs of a dict display or a `dict(k=v)` call with literal keys."""
    if isinstance(value, cst.Dict):
        items = []
        for element in value.elements:
            if isinstance(element, cst.DictElement):
                key = literal_string(element.key)
                if key is not None:
                    items.append((key, element.value))
        return items
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value == "dict":
        return [(arg.keyword.value, arg.value) for arg in value.args if arg.keyword is not None]
    return None


def _nested_value(value: cst.BaseExpression, key: str) -> cst.BaseExpression | None:
    """`{"base_url": X}` or `HttpOptions(base_url=X)` -> X."""
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement) and literal_string(element.key) == key:
                return element.value
    if isinstance(value, cst.Call):
        arg = keyword_arg(value, key)
        if arg is not None:
            return arg.value
    return None


def _targets(small: cst.Assign | cst.AnnAssign) -> list[cst.BaseExpression]:
    if isinstance(small, cst.Assign):
        return [t.target for t in small.targets]
    return [small.target]


def _is_self_attr(target: cst.BaseExpression) -> bool:
    return isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value in ("self", "cls")


def _params(function: cst.FunctionDef) -> list[cst.Param]:
    params = function.params
    return [*params.posonly_params, *params.params, *params.kwonly_params]


def _decorator_names(function: cst.FunctionDef) -> list[str]:
    names = []
    for decorator in function.decorators:
        target = decorator.decorator
        if isinstance(target, cst.Call):
            target = target.func
        names.append(dotted_name(target) or "")
    return names


def _is_property(function: cst.FunctionDef) -> bool:
    return any(name.endswith(("property", "cached_property")) for name in _decorator_names(function))


def _is_static(function: cst.FunctionDef) -> bool:
    return any(name.endswith("staticmethod") for name in _decorator_names(function))


def _class_body(node: cst.ClassDef) -> list[cst.CSTNode]:
    body = node.body
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    return [cst.SimpleStatementLine(body=list(body.body))] if isinstance(body, cst.SimpleStatementSuite) else []
