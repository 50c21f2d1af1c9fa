"""What string an expression evaluates to, as far as the code says — good enough for endpoints.

`resolve_string` follows names (through a `lookup` the caller provides: local, class and
module bindings), string literals, f-strings, `+` and `%` concatenation, `str.format`,
`urljoin`, and the default of `os.getenv("X", "http://...")`. The parts it cannot know
become `HOLE`, so `f"http://{host}/v1"` reads as `http://\\uffff/v1`: the scheme is known,
the host is not. URLs are then split with `split_url`.

Pure functions over libcst nodes; the scanned code is never run.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase

from linter.engine.libcst_loader import cst

from linter.engine.semantics import literal_string

HOLE = "\uffff"
_MAX_DEPTH = 40

#: calls whose second positional argument (or `default=`) is the value when the variable is unset
ENV_DEFAULT_CALLS = frozenset({"os.getenv", "os.environ.get", "os.environ.setdefault", "getenv", "environ.get",
                               "environ.setdefault"})
URLJOIN_CALLS = frozenset({"urllib.parse.urljoin", "urlparse.urljoin", "requests.compat.urljoin", "urljoin",
                           "posixpath.join"})
#: str methods that keep a URL's scheme and host
_KEEPING_METHODS = frozenset({"strip", "rstrip", "lstrip", "lower", "removesuffix", "encode", "decode"})

_PERCENT_RE = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXoeEgGca]")
_BRACE_RE = re.compile(r"\{[^{}]*\}")

Lookup = Callable[["cst.BaseExpression"], "cst.BaseExpression | None"]
QualName = Callable[["cst.BaseExpression"], "str | None"]


@dataclass(frozen=True)
class Resolved:
    """A string value with unknown parts replaced by HOLE, and the expression that holds
    its literal beginning (where a finding about the value belongs)."""

    text: str
    origin: cst.BaseExpression


def _env_default(call: cst.Call) -> cst.BaseExpression | None:
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("default", "value"):
            return arg.value
    return positional[1].value if len(positional) > 1 else None


def resolve_string(
    expr: cst.BaseExpression, lookup: Lookup, qualname: QualName, depth: int = 0
) -> Resolved | None:
    """The string `expr` evaluates to (with HOLEs), or None if nothing of it is known."""
    if depth > _MAX_DEPTH:
        return None
    literal = literal_string(expr) if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)) else None
    if literal is not None:
        return Resolved(literal, expr)
    if isinstance(expr, (cst.Name, cst.Attribute)):
        bound = lookup(expr)
        if bound is None or bound is expr:
            return None
        return resolve_string(bound, lookup, qualname, depth + 1)
    if isinstance(expr, cst.FormattedString):
        return _resolve_parts(expr, [p for p in expr.parts], lookup, qualname, depth)
    if isinstance(expr, cst.BinaryOperation):
        if isinstance(expr.operator, cst.Add):
            return _resolve_parts(expr, [expr.left, expr.right], lookup, qualname, depth)
        if isinstance(expr.operator, cst.Modulo):
            template = resolve_string(expr.left, lookup, qualname, depth + 1)
            if template is None:
                return None
            return Resolved(_PERCENT_RE.sub(HOLE, template.text), template.origin)
        return None
    if isinstance(expr, cst.Call):
        return _resolve_call(expr, lookup, qualname, depth)
    if isinstance(expr, cst.IfExp):
        # either branch may run; the first one that is known stands for the value
        return resolve_string(expr.body, lookup, qualname, depth + 1) or resolve_string(
            expr.orelse, lookup, qualname, depth + 1
        )
    if isinstance(expr, cst.BooleanOperation) and isinstance(expr.operator, cst.Or):
        # `os.environ.get("X") or "http://default"`: the right side is the fallback
        return resolve_string(expr.right, lookup, qualname, depth + 1)
    return None


def _resolve_parts(
    whole: cst.BaseExpression, parts: list, lookup: Lookup, qualname: QualName, depth: int
) -> Resolved | None:
    pieces: list[str] = []
    known = False
    first_origin: cst.BaseExpression | None = None
    for index, part in enumerate(parts):
        if isinstance(part, cst.FormattedStringText):
            pieces.append(part.value)
            known = True
            continue
        expression = part.expression if isinstance(part, cst.FormattedStringExpression) else part
        value = resolve_string(expression, lookup, qualname, depth + 1)
        if value is None:
            pieces.append(HOLE)
            continue
        known = True
        pieces.append(value.text)
        if index == 0 and "://" in value.text:
            # `BASE_URL + "/chat"`: the scheme and host come from BASE_URL's literal
            first_origin = value.origin
    if not known:
        return None
    return Resolved("".join(pieces), first_origin or whole)


def _resolve_call(call: cst.Call, lookup: Lookup, qualname: QualName, depth: int) -> Resolved | None:
    func = call.func
    name = qualname(func) if isinstance(func, (cst.Name, cst.Attribute)) else None
    if name is not None and (name in ENV_DEFAULT_CALLS or name.endswith((".getenv", "environ.get"))):
        default = _env_default(call)
        return resolve_string(default, lookup, qualname, depth + 1) if default is not None else None
    args = [a.value for a in call.args if a.keyword is None and not a.star]
    if name is not None and name in URLJOIN_CALLS and len(args) >= 2:
        base = resolve_string(args[0], lookup, qualname, depth + 1)
        path = resolve_string(args[1], lookup, qualname, depth + 1)
        if path is not None and "://" in path.text.split("/", 1)[0] + "/":
            return path
        if base is None:
            return None
        tail = path.text if path is not None else HOLE
        return Resolved(base.text.rstrip("/") + "/" + tail.lstrip("/"), base.origin)
    if name == "str" and len(args) == 1:
        return resolve_string(args[0], lookup, qualname, depth + 1)
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method == "format":
            template = resolve_string(func.value, lookup, qualname, depth + 1)
            if template is None:
                return None
            return Resolved(_BRACE_RE.sub(HOLE, template.text), template.origin)
        if method in _KEEPING_METHODS:
            return resolve_string(func.value, lookup, qualname, depth + 1)
    return None


@dataclass(frozen=True)
class Url:
    scheme: str
    #: lower-cased host without port or brackets; None when not known statically
    host: str | None
    port: str | None
    #: everything after the host (path, query, fragment), with HOLEs
    rest: str

    @property
    def query(self) -> list[tuple[str, str]]:
        """(name, value) pairs of the query string; unknown parts are HOLE."""
        _, _, query = self.rest.partition("?")
        query = query.split("#", 1)[0]
        pairs = []
        for item in query.split("&"):
            if not item:
                continue
            name, _, value = item.partition("=")
            pairs.append((name, value))
        return pairs


_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


def split_url(text: str, default_scheme: str | None = None) -> Url | None:
    """Split a (possibly partly unknown) URL; None when its scheme is not literal."""
    text = text.strip()
    match = _SCHEME_RE.match(text)
    if match is None:
        if default_scheme is None or not text or text[0] in "/" + HOLE:
            return None
        scheme, remainder = default_scheme, text
    else:
        scheme, remainder = match.group(1).lower(), text[match.end():]
    end = len(remainder)
    for separator in "/?#":
        position = remainder.find(separator)
        if position != -1:
            end = min(end, position)
    authority, rest = remainder[:end], remainder[end:]
    authority = authority.rsplit("@", 1)[-1]
    port = None
    if authority.startswith("["):
        host, _, after = authority[1:].partition("]")
        if after.startswith(":"):
            port = after[1:]
    else:
        host, colon, port_text = authority.partition(":")
        port = port_text if colon else None
    if not host or HOLE in host:
        return Url(scheme, None, port, rest)
    return Url(scheme, host.lower().rstrip("."), port, rest)


def host_allowed(host: str, patterns: tuple[str, ...] | list[str]) -> bool:
    """Whether `host` matches one of `patterns`: exact names, `*` wildcards, IPs or CIDR blocks."""
    host = host.lower().strip("[]")
    address = None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        pass
    for pattern in patterns:
        pattern = pattern.strip().lower().strip("[]")
        if not pattern:
            continue
        if address is not None and "/" in pattern:
            try:
                if address in ipaddress.ip_network(pattern, strict=False):
                    return True
            except ValueError:
                pass
            continue
        if address is not None:
            try:
                if address == ipaddress.ip_address(pattern):
                    return True
                continue
            except ValueError:
                pass
        if host == pattern or ("*" in pattern and fnmatchcase(host, pattern)):
            return True
    return False
