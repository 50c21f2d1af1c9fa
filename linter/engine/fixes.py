"""Automatic fixes, Ruff-style: a rule attaches a `Fix` to a finding; `--fix` applies it.

A fix is computed during the one walk, from libcst nodes: each edit replaces one node by
new code (a libcst node rendered with the module's own `code_for_node`, or a string),
plus the imports it needs. When the file's findings are positioned (context.findings),
the fix is resolved into plain, JSON-able text edits — line/column ranges and the new
text — so it can travel through worker processes, the cache and the JSON report. Applying
it (linter/fixer.py) splices those ranges into the file's text: every byte outside them
is left exactly as it was.

Applicability follows Ruff: "safe" fixes keep the code's behaviour and are applied by
`--fix`; "unsafe" ones may change it and need `--unsafe-fixes` as well.

For a rule, a fix is a few lines:

    self.report(node, message, fix=Fix.replace(node, "https://...", "Use https://"))
    self.report(call, message, fix=Fix.remove_argument(call, arg, "Remove `verify=False`"))

Fixes never contain a secret: they replace the literal, they do not copy it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from linter.engine.libcst_loader import cst

SAFE, UNSAFE = "safe", "unsafe"
APPLICABILITIES = (SAFE, UNSAFE)


@dataclass(frozen=True)
class Edit:
    """Replace `node` by `content` (code text, or a libcst node to render)."""

    node: cst.CSTNode
    content: str | cst.CSTNode


@dataclass(frozen=True)
class Fix:
    description: str
    applicability: str = UNSAFE
    edits: tuple[Edit, ...] = ()
    #: modules the new code needs: `import <name>` is added at the top unless already there
    imports: tuple[str, ...] = field(default=())

    @classmethod
    def replace(
        cls,
        node: cst.CSTNode,
        content: str | cst.CSTNode,
        description: str,
        *,
        applicability: str = UNSAFE,
        imports: tuple[str, ...] = (),
    ) -> "Fix":
        return cls(description, applicability, (Edit(node, content),), imports)

    @classmethod
    def remove_argument(
        cls, call: cst.Call, arg: cst.Arg, description: str, *, applicability: str = UNSAFE
    ) -> "Fix":
        """Drop one argument of a call (its comma too), keeping the rest of the call as written."""
        args, closing = _without(call.args, arg, arg.whitespace_after_arg)
        if args:
            args[-1] = args[-1].with_changes(whitespace_after_arg=closing) if arg is call.args[-1] else args[-1]
            new = call.with_changes(args=args)
        else:
            new = call.with_changes(args=(), whitespace_before_args=_emptied(call.whitespace_before_args))
        return cls(description, applicability, (Edit(call, new),))

    @classmethod
    def remove_element(
        cls, mapping: cst.Dict, element: cst.BaseDictElement, description: str, *, applicability: str = UNSAFE
    ) -> "Fix":
        """Drop one `key: value` of a dict display (its comma too), keeping the rest as written."""
        elements, closing = _without(mapping.elements, element, mapping.rbrace.whitespace_before)
        if elements:
            new = mapping.with_changes(elements=elements, rbrace=mapping.rbrace.with_changes(whitespace_before=closing))
        else:
            new = mapping.with_changes(
                elements=(),
                lbrace=mapping.lbrace.with_changes(whitespace_after=_emptied(mapping.lbrace.whitespace_after)),
                rbrace=mapping.rbrace.with_changes(whitespace_before=_emptied(mapping.rbrace.whitespace_before)),
            )
        return cls(description, applicability, (Edit(mapping, new),))


def _has_comment(whitespace: cst.BaseParenthesizableWhitespace) -> bool:
    return "#" in cst.Module(body=()).code_for_node(whitespace)


def _emptied(whitespace: Any) -> Any:
    """The whitespace inside brackets that lost their last item: none, unless it holds a comment."""
    return whitespace if _has_comment(whitespace) else cst.SimpleWhitespace("")


def _without(items: Any, item: Any, closing: Any) -> tuple[list[Any], Any]:
    """`items` (arguments or dict elements) without `item`, and the new whitespace before the
    closing bracket (`closing` is the current one). A removed item goes with its own line —
    the comment on it included — while the comments of the other lines stay where they are."""
    kept = [other for other in items if other is not item]
    if not kept or item is not items[-1]:
        return kept, closing  # the next item simply takes the removed one's place
    previous = kept[-1]
    after = previous.comma.whitespace_after if isinstance(previous.comma, cst.Comma) else None
    if not isinstance(after, cst.ParenthesizedWhitespace):
        # one line: the new last item takes the removed one's trailing comma (or lack of it)
        kept[-1] = previous.with_changes(comma=item.comma)
        return kept, closing
    # one item a line: the previous item keeps its comma and the comment of its own line; the
    # line break before the closing bracket is the one after the removed item
    end = item.comma.whitespace_after if isinstance(item.comma, cst.Comma) else None
    from_closing = not isinstance(end, cst.ParenthesizedWhitespace)
    if from_closing:
        end = closing  # no trailing comma, or a dict's: the closing bracket owns the line break
    if isinstance(end, cst.ParenthesizedWhitespace):
        after = end.with_changes(first_line=after.first_line)
        if from_closing:
            closing = cst.SimpleWhitespace("")
    else:
        after = after.with_changes(empty_lines=(), last_line=cst.SimpleWhitespace(""))
    kept[-1] = previous.with_changes(comma=previous.comma.with_changes(whitespace_after=after))
    return kept, closing


def written_bool(node: cst.CSTNode, value: bool) -> bool:
    """`True`/`False` written in place — the only shape a rule may flip or drop mechanically
    (a name bound to it may serve other uses)."""
    return isinstance(node, cst.Name) and node.value == str(value)


def flip_bool(node: cst.CSTNode, value: bool, description: str) -> Fix | None:
    """Replace a `True`/`False` written in place (`value`) by the other one."""
    return Fix.replace(node, str(not value), description) if written_bool(node, value) else None


def environ_lookup(env_var: str) -> cst.BaseExpression:
    """`os.environ["NAME"]`, built as a libcst node."""
    return cst.parse_expression(f'os.environ["{env_var}"]')


_ENV_NAME_RE = re.compile(r"[^A-Za-z0-9]+")


def env_var_name(*parts: str) -> str | None:
    """An environment-variable name from identifiers: ("openai", "api_key") -> OPENAI_API_KEY."""
    words = [w for part in parts for w in _ENV_NAME_RE.split(part) if w and w not in ("self", "cls")]
    name = "_".join(words).upper()
    if not name or name[0].isdigit():
        return None
    return name


def replace_with_env(node: cst.CSTNode, env_var: str) -> Fix | None:
    """The AIL101/AIL102 fix: a string literal becomes `os.environ["ENV_VAR"]` (unsafe: the
    program now needs that variable set). Only plain str literals are replaced (bytes and
    parts of an implicit concatenation would change type or syntax)."""
    if not isinstance(node, cst.SimpleString) or "b" in node.prefix.lower():
        return None
    return Fix.replace(
        node,
        environ_lookup(env_var),
        f'Replace the literal with `os.environ["{env_var}"]`',
        applicability=UNSAFE,
        imports=("os",),
    )


# --- resolving to text edits (needs positions) -------------------------------------------------


def _point(position: Any) -> tuple[int, int]:
    return position.line, position.column + 1


def _has_import(module: cst.Module, name: str) -> bool:
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    if alias.asname is None and (
                        (isinstance(alias.name, cst.Name) and alias.name.value == name)
                        or (isinstance(alias.name, cst.Attribute) and _root(alias.name) == name)
                    ):
                        return True
    return False


def _root(node: cst.BaseExpression) -> str:
    while isinstance(node, cst.Attribute):
        node = node.value
    return node.value if isinstance(node, cst.Name) else ""


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _is_future_import(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and any(isinstance(s, cst.ImportFrom) and _root(s.module or cst.Name("_")) == "__future__" for s in statement.body)
    )


def import_edit(module: cst.Module, positions: Any, name: str) -> dict[str, Any] | None:
    """The edit that adds `import name` before the module's first statement after its
    docstring and `from __future__` imports; None if it is imported already (or nowhere to go)."""
    if _has_import(module, name):
        return {}
    for index, statement in enumerate(module.body):
        if index == 0 and _is_docstring(statement) or _is_future_import(statement):
            continue
        line = positions[statement].start.line
        return {"line": line, "column": 1, "end_line": line, "end_column": 1, "content": f"import {name}{module.default_newline}"}
    return None


def resolve_fix(fix: Fix, module: cst.Module, positions: Any) -> dict[str, Any] | None:
    """The JSON-able form of a fix: applicability, message, and text edits (1-based,
    end-exclusive columns, as findings have). None when it cannot be placed."""
    edits: list[dict[str, Any]] = []
    for edit in fix.edits:
        if edit.node not in positions:
            return None
        code_range = positions[edit.node]
        content = edit.content if isinstance(edit.content, str) else module.code_for_node(edit.content)
        line, column = _point(code_range.start)
        end_line, end_column = _point(code_range.end)
        edits.append({"line": line, "column": column, "end_line": end_line, "end_column": end_column, "content": content})
    for name in fix.imports:
        added = import_edit(module, positions, name)
        if added is None:
            return None
        if added:
            edits.append(added)
    edits.sort(key=lambda e: (e["line"], e["column"], e["end_line"], e["end_column"]))
    return {"applicability": fix.applicability, "message": fix.description, "edits": edits}


def is_applicable(fix: dict[str, Any] | None, unsafe: bool) -> bool:
    return bool(fix) and (fix["applicability"] == SAFE or unsafe)  # type: ignore[index]


# --- credentials (AIL101/AIL102) ------------------------------------------------------------

#: credential uses whose literal must not become an environment lookup: the value given to
#: the environment itself (`os.environ[...] = ...`, getenv's default), or a header value
#: whose literal also holds the auth scheme
NO_ENV_FIX_KINDS = frozenset({"environ", "env-default", "header", ""})


def credential_env_var(use: Any) -> str | None:
    """The environment variable a hardcoded credential should come from, named after where
    it is used: `GATEWAY_TOKEN = "..."` -> GATEWAY_TOKEN, `openai.api_key = "..."` ->
    OPENAI_API_KEY, `anthropic.Anthropic(api_key="...")` -> ANTHROPIC_API_KEY."""
    if use.kind in NO_ENV_FIX_KINDS:
        return None
    if use.kind == "assignment":
        return env_var_name(use.context)
    if use.kind == "argument":
        callee = use.context.partition(" ")[2]
        root = callee.split(".", 1)[0] if "." in callee else ""
        if root and not use.name.lower().startswith(root.lower()):
            return env_var_name(root, use.name)
    return env_var_name(use.name)


# --- transport (AIL201) ---------------------------------------------------------------------


def secure_scheme(node: cst.CSTNode, scheme: str, secure: str) -> Fix | None:
    """The AIL201 fix: the literal that begins an endpoint URL gets the TLS scheme
    (`"http://gpu.corp/v1"` -> `"https://gpu.corp/v1"`; quotes, prefix and the rest kept).
    Only where the scheme is written as plain text at the start of a string literal, of the
    first piece of an implicit concatenation, or of an f-string — not through escapes,
    names or a scheme-less host (the Ollama `host="gpu:11434"` form)."""
    target = node
    while isinstance(target, cst.ConcatenatedString):
        target = target.left
    written = scheme + "://"
    if isinstance(target, cst.SimpleString):
        start = len(target.prefix) + len(target.quote)
        body = target.value[start:]
        if body[: len(written)].lower() != written:
            return None
        new: cst.CSTNode = target.with_changes(value=target.value[:start] + secure + body[len(scheme) :])
    elif (
        isinstance(target, cst.FormattedString)
        and target.parts
        and isinstance(target.parts[0], cst.FormattedStringText)
        and target.parts[0].value[: len(written)].lower() == written
    ):
        first = target.parts[0]
        new = target.with_changes(parts=(first.with_changes(value=secure + first.value[len(scheme) :]), *target.parts[1:]))
    else:
        return None
    return Fix.replace(target, new, f"Use `{secure}://` (the server must accept TLS at that address)")


# --- legacy APIs (AIL701) -------------------------------------------------------------------


def rename_callee(call: cst.Call, base: cst.BaseExpression, path: str, description: str) -> Fix:
    """Call `base.<path>` instead of what the call calls now; `base` (e.g. the name the
    module is imported as) and the arguments stay as written."""
    callee = base
    for name in path.split("."):
        callee = cst.Attribute(value=callee, attr=cst.Name(name))
    return Fix.replace(call.func, callee, description)
