"""What the dataflow layer treats as untrusted input, as a sanitizer, and as a dangerous sink.

Personal-data names live in `pii.py`, credential names in `credentials.py`; this module holds
the framework and standard-library facts: where request data comes from (Flask, Django,
FastAPI/Starlette, websockets, stdin), which calls make a value safe, and which calls execute,
deserialize or render what they are given.
"""

from __future__ import annotations

import re

# --- untrusted input ---------------------------------------------------------------------
#: names of the request object in Flask (imported), Django and Starlette views
REQUEST_OBJECT_NAMES = frozenset({"request", "req", "self.request", "flask.request", "quart.request"})
#: attributes (or zero-argument methods) of a request object that hold the client's data
REQUEST_DATA_ATTRS = frozenset(
    {
        "json", "get_json", "form", "args", "values", "data", "get_data", "files", "POST", "GET",
        "body", "query_params", "query_string", "stream", "text", "content", "query", "match_info",
        "path_params", "raw_post_data", "FILES", "params",
    }
)
#: methods of a websocket object that return a client's message
WEBSOCKET_RECEIVE = frozenset({"receive_text", "receive_json", "receive_bytes", "receive", "recv",
                               "iter_text", "iter_json", "iter_bytes", "receive_str"})
#: name tokens that make an object a websocket
WEBSOCKET_WORDS = frozenset({"websocket", "ws", "socket", "websockets"})
#: calls that read the terminal or standard input
INPUT_CALLS = frozenset({"input", "raw_input", "sys.stdin.read", "sys.stdin.readline", "sys.stdin.readlines",
                         "getpass.getpass"})
STDIN_NAMES = frozenset({"sys.stdin"})

#: route decorators: `@app.get(...)`, `@router.post(...)`, `@bp.route(...)`, `@app.websocket(...)`
ROUTE_DECORATOR_ATTRS = frozenset({"get", "post", "put", "patch", "delete", "route", "websocket", "api_route",
                                   "head", "options", "ws", "api_view"})
#: handler parameters that are framework objects or dependencies, not client data
ROUTE_NON_DATA_PARAMS = frozenset({"self", "cls", "request", "req", "db", "session", "background_tasks",
                                   "response", "websocket", "ws", "current_user", "settings", "app", "args",
                                   "kwargs"})
ROUTE_NON_DATA_ANNOTATIONS = frozenset({"Request", "WebSocket", "Session", "AsyncSession", "BackgroundTasks",
                                        "Response", "HTTPConnection", "SecurityScopes"})
#: parameter defaults that are injected dependencies (not client data) ...
DEPENDENCY_DEFAULTS = frozenset({"Depends", "Security"})

# --- sanitizers ----------------------------------------------------------------------------
#: a callee name token starting with one of these redacts personal data or secrets
REDACTING_STEMS = ("redact", "mask", "anonymi", "anonymis", "pseudonymi", "pseudonymis", "tokeniz", "tokenis",
                   "scrub", "deidentif", "obfuscat", "censor", "strip_pii", "sanitize_pii")
#: ...and these make a value that is no longer the text at all (every label is cleaned)
DIGEST_STEMS = ("hash", "hmac", "encrypt", "digest", "sha", "md5", "fernet", "blake")
#: builtins and methods whose result is a number, a boolean or a type: a metric, not the data
METRIC_CALLS = frozenset(
    {
        "len", "bool", "int", "float", "abs", "round", "sum", "hash", "id", "isinstance", "callable", "type",
        "hasattr", "issubclass", "ord", "any", "all", "math.ceil", "math.floor", "uuid.uuid4",
    }
)
METRIC_METHODS = frozenset(
    {
        "count", "index", "find", "rfind", "startswith", "endswith", "isdigit", "isalpha", "isalnum",
        "isnumeric", "isspace", "islower", "isupper", "isidentifier", "isdecimal", "__len__", "bit_length",
        "exists", "is_valid", "hexdigest", "digest",
    }
)
#: calls that make untrusted text or model output inert for a shell, HTML or SQL
ESCAPING_CALLS = frozenset({"shlex.quote", "pipes.quote", "html.escape", "markupsafe.escape", "flask.escape",
                            "bleach.clean", "django.utils.html.escape", "cgi.escape", "escape", "quote"})

# --- propagation ---------------------------------------------------------------------------
#: calls whose result carries every argument: conversions, serializers, text utilities
PROPAGATING_CALLS = frozenset(
    {
        "str", "repr", "ascii", "format", "list", "tuple", "set", "frozenset", "dict", "sorted", "reversed",
        "enumerate", "zip", "iter", "next", "filter", "map", "bytes", "bytearray", "memoryview",
        "json.dumps", "json.loads", "textwrap.dedent", "textwrap.indent", "textwrap.fill", "textwrap.wrap",
        "textwrap.shorten", "inspect.cleandoc", "copy.copy", "copy.deepcopy", "base64.b64encode",
        "base64.b64decode", "urllib.parse.quote", "urllib.parse.urlencode", "pprint.pformat", "yaml.dump",
        "yaml.safe_dump", "orjson.dumps", "ujson.dumps", "string.Template", "collections.OrderedDict",
        "dataclasses.asdict", "itertools.chain",
    }
)
#: methods that build text or prompts from their arguments (keyword names count as field names)
FORMATTING_METHODS = frozenset(
    {
        "format", "format_map", "format_messages", "format_prompt", "partial", "substitute", "safe_substitute",
        "render", "join", "append", "extend", "insert", "update", "add", "replace", "invoke", "from_template",
        "from_messages", "setdefault",
    }
)
#: methods whose result is (part of) their receiver's data: `text.strip()`, `resp.model_dump_json()` (not
#: `keys()`: a dict's keys are its field names, not its values);
#: any other method's result is not assumed to carry its receiver (`client.create()` does not
#: return the client's key)
DATA_METHODS = frozenset(
    {
        "strip", "lstrip", "rstrip", "lower", "upper", "title", "capitalize", "casefold", "swapcase", "split",
        "rsplit", "splitlines", "partition", "rpartition", "encode", "decode", "removeprefix", "removesuffix",
        "center", "ljust", "rjust", "zfill", "expandtabs", "translate", "items", "values", "get", "pop",
        "popitem", "copy", "model_dump", "model_dump_json", "dict", "json", "to_dict", "to_json", "as_dict",
        "asdict", "serialize", "__str__", "__repr__", "read", "readline", "readlines", "getvalue", "text",
        "to_string", "tolist", "result", "parse", "parsed", "output_text", "model_copy", "dumps",
    }
)
#: keywords of a constructor that configure it rather than give it data (`OpenAI(api_key=...)`)
CONFIG_KEYWORDS = frozenset({"api_key", "token", "password", "secret", "auth", "credentials", "base_url",
                             "organization", "project", "http_client", "timeout", "max_retries"})
#: methods that mutate their receiver with their arguments: `messages.append(x)`
MUTATING_METHODS = frozenset({"append", "extend", "insert", "update", "add", "setdefault", "appendleft",
                              "extendleft", "write", "writelines", "put", "put_nowait", "push"})

# --- dangerous sinks (AIL602) ----------------------------------------------------------------
#: qualified callee -> which arguments are dangerous ("*" every positional and keyword, or a tuple
#: of (position, keyword) pairs)
DANGEROUS_SINKS: dict[str, tuple[tuple[int, str], ...] | str] = {
    "eval": ((0, "source"),),
    "exec": ((0, "source"),),
    "compile": ((0, "source"),),
    "builtins.eval": ((0, "source"),),
    "builtins.exec": ((0, "source"),),
    "os.system": ((0, "command"),),
    "os.popen": ((0, "cmd"),),
    "os.execl": "*", "os.execlp": "*", "os.execv": "*", "os.execvp": "*", "os.spawnl": "*", "os.spawnv": "*",
    "subprocess.run": ((0, "args"),),
    "subprocess.call": ((0, "args"),),
    "subprocess.check_call": ((0, "args"),),
    "subprocess.check_output": ((0, "args"),),
    "subprocess.Popen": ((0, "args"),),
    "subprocess.getoutput": ((0, "cmd"),),
    "subprocess.getstatusoutput": ((0, "cmd"),),
    "asyncio.create_subprocess_shell": ((0, "cmd"),),
    "asyncio.create_subprocess_exec": "*",
    "pickle.loads": ((0, "data"),),
    "pickle.load": ((0, "file"),),
    "_pickle.loads": ((0, "data"),),
    "cPickle.loads": ((0, "data"),),
    "dill.loads": ((0, "str"),),
    "marshal.loads": ((0, "bytes"),),
    "shelve.open": ((0, "filename"),),
    "yaml.unsafe_load": ((0, "stream"),),
    "yaml.full_load": ((0, "stream"),),
    "flask.render_template_string": ((0, "source"),),
    "jinja2.Template": ((0, "source"),),
    "markupsafe.Markup": ((0, "base"),),
    "flask.Markup": ((0, "base"),),
    "jinja2.Markup": ((0, "base"),),
    "django.utils.safestring.mark_safe": ((0, "s"),),
    "django.utils.safestring.SafeString": ((0, "s"),),
    "importlib.import_module": ((0, "name"),),
    "__import__": ((0, "name"),),
    "runpy.run_path": ((0, "path_name"),),
    "code.interact": "*",
}
#: calls that take an argument vector, where only a shell (`shell=True`) interprets the rest
ARGV_CALLS = frozenset({"subprocess.run", "subprocess.call", "subprocess.check_call", "subprocess.check_output",
                        "subprocess.Popen"})
#: `yaml.load` is dangerous unless given a safe loader
YAML_LOAD = frozenset({"yaml.load", "yaml.load_all"})
_SAFE_LOADER_RE = re.compile(r"Safe|BaseLoader")
#: methods that run SQL given as their first argument
SQL_EXECUTE_METHODS = frozenset({"execute", "executemany", "executescript", "raw", "exec_driver_sql"})
SQL_TEXT_CALLS = frozenset({"sqlalchemy.text", "text"})


def is_safe_yaml_loader(loader_code: str | None) -> bool:
    return bool(loader_code) and bool(_SAFE_LOADER_RE.search(loader_code or ""))


def _shell_true(call) -> bool:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "shell":
            value = arg.value
            return not (getattr(value, "value", None) in ("False", "None"))
    return False


def dangerous_arguments(call, qualified: str) -> list:
    """The arguments of `call` (a libcst Call whose callee resolves to `qualified`) that it would
    execute, deserialize, import or render: what AIL602 checks for model output.

    `yaml.load` counts unless given a safe loader; a SQL `execute` counts for its query (the
    first argument), not for its bound parameters.
    """
    import libcst as cst

    def pick(position: int, keyword: str) -> list:
        out = [a.value for a in call.args if a.keyword is not None and a.keyword.value == keyword]
        positional = [a.value for a in call.args if a.keyword is None and not a.star]
        if len(positional) > position:
            out.append(positional[position])
        return out

    spec = DANGEROUS_SINKS.get(qualified)
    if spec is None and qualified.startswith("builtins."):
        spec = DANGEROUS_SINKS.get(qualified[len("builtins."):])
    if spec == "*":
        return [a.value for a in call.args]
    if spec is not None:
        values = [value for position, keyword in spec for value in pick(position, keyword)]  # type: ignore[union-attr]
        if qualified in ARGV_CALLS and not _shell_true(call):
            # an argument vector without a shell: only the program is code (`["git", "commit",
            # "-m", text]` passes the text as one argument, which nothing interprets)
            values = [v.elements[0].value if isinstance(v, (cst.List, cst.Tuple)) and v.elements else v
                      for v in values]
        return values
    if qualified in YAML_LOAD:
        loader = next((a.value for a in call.args if a.keyword is not None and a.keyword.value == "Loader"), None)
        positional = [a.value for a in call.args if a.keyword is None]
        if loader is None and len(positional) > 1:
            loader = positional[1]
        code = None
        if loader is not None:
            parts = []
            node = loader
            while isinstance(node, cst.Attribute):
                parts.append(node.attr.value)
                node = node.value
            if isinstance(node, cst.Name):
                parts.append(node.value)
            code = ".".join(reversed(parts))
        return [] if is_safe_yaml_loader(code) else pick(0, "stream")
    last = qualified.rsplit(".", 1)[-1]
    if last in SQL_EXECUTE_METHODS and "." in qualified:
        found = pick(0, "statement") + [a.value for a in call.args if a.keyword is not None
                                        and a.keyword.value in ("sql", "query")]
        return found
    return []
