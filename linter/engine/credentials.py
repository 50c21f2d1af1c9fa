"""Where a value is used as a credential — one fact, shared by every rule that needs it.

A credential use is a value passed as `api_key=`/`token=`/…, assigned to a name such as
`OPENAI_API_KEY` or `openai.api_key`, stored under such a key in a dict or `os.environ`,
given as the default of `os.getenv("…_API_KEY", …)` or of a `def f(api_key=…)`
parameter, or sent as an `Authorization`/`x-api-key` header value.
"""

from __future__ import annotations

from dataclasses import dataclass

from linter.engine.libcst_loader import cst

from linter.engine.semantics import Semantics, dotted_name, literal_string, positional_args
from linter.knowledge.credentials import (
    CREDENTIAL_HEADERS,
    ENV_LOOKUPS,
    is_credential_name,
    strip_auth_scheme,
)


@dataclass(frozen=True)
class CredentialUse:
    #: the expression used as the credential
    value: cst.BaseExpression
    #: its literal string value (auth scheme stripped for headers), or None if not a literal
    literal: str | None
    #: how it is used, for messages: "`api_key=`", "`OPENAI_API_KEY = …`", "the `Authorization` header"
    where: str
    #: names around the use (keyword, callee, target, env var), for provider context
    context: str
    #: whether the credential name is a password (shorter values still count)
    password: bool = False
    #: the credential's own name: the keyword, target, key, parameter or env var
    name: str = ""
    #: what kind of use: argument | assignment | environ | subscript | header | entry |
    #: parameter | env-default (fixes differ: a value put into os.environ is not replaced by a lookup)
    kind: str = ""


def _string_key(node: cst.BaseExpression | None) -> str | None:
    value = literal_string(node) if node is not None else None
    return value if value is not None and len(value) < 100 else None


class CredentialTracker:
    """An engine visitor that collects credential uses during the single walk."""

    def __init__(self, semantics: Semantics) -> None:
        self.semantics = semantics
        self.uses: list[CredentialUse] = []

    def _add(
        self, value: cst.BaseExpression, where: str, context: str, name: str, header: bool = False, kind: str = ""
    ) -> None:
        # A use's literal is the whole value's, auth scheme stripped for a header: the
        # pre-filter's literal gate (`knowledge.credentials.may_be_credential_literal`)
        # counts on that. Reading literals any other way means widening that test too.
        literal = literal_string(value)
        if literal is not None and header:
            literal = strip_auth_scheme(literal)
        from linter.knowledge.credentials import is_password_name

        self.uses.append(CredentialUse(value, literal, where, context, is_password_name(name), name, kind))

    def visit_Call(self, node: cst.Call) -> None:
        callee = self.semantics.qualified_name(node.func) or ""
        for arg in node.args:
            if arg.keyword is not None and is_credential_name(arg.keyword.value):
                self._add(
                    arg.value, f"`{arg.keyword.value}=`", f"{arg.keyword.value} {callee}", arg.keyword.value, kind="argument"
                )
        if callee in ENV_LOOKUPS or callee.endswith((".getenv", "environ.get", "environ.setdefault")):
            args = list(positional_args(node))
            env_name = _string_key(args[0].value) if args else None
            default = args[1].value if len(args) > 1 else None
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in ("default", "value"):
                    default = arg.value
            if env_name and default is not None and is_credential_name(env_name):
                self._add(default, f"the default of `{callee}({env_name!r})`", env_name, env_name, kind="env-default")

    def _target(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Name, cst.Attribute)):
            name = target.value if isinstance(target, cst.Name) else target.attr.value
            if is_credential_name(name):
                dotted = dotted_name(target) or name
                self._add(value, f"`{dotted} = …`", dotted, name, kind="assignment")
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            if isinstance(index, cst.Index):
                key = _string_key(index.value)
                if key and (is_credential_name(key) or key.lower() in CREDENTIAL_HEADERS):
                    owner = dotted_name(target.value) or ""
                    header = key.lower() in CREDENTIAL_HEADERS
                    qualified = self.semantics.qualified_name(target.value) or owner
                    kind = "environ" if qualified.endswith("environ") else "header" if header else "subscript"
                    self._add(value, f"`{owner}[{key!r}] = …`", f"{owner} {key}", key, header, kind)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target, node.value)

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.DictElement):
                key = _string_key(element.key)
                if key is None:
                    continue
                if key.lower() in CREDENTIAL_HEADERS:
                    self._add(element.value, f"the `{key}` header", key, key, header=True, kind="header")
                elif is_credential_name(key):
                    self._add(element.value, f"the `{key!r}` entry", key, key, kind="entry")

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None and is_credential_name(node.name.value):
            name = node.name.value
            self._add(node.default, f"the default of parameter `{name}`", name, name, kind="parameter")
