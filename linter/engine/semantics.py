"""What the engine knows about names in one module, built in the same walk the rules use.

This is ailint's own light replacement for libcst's ScopeProvider + QualifiedNameProvider
(which cost about ten parses per file): import aliases, the scope stack, the statement
being walked, module-level constants, and literal-string evaluation. Rules ask it, they do
not recompute it.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.engine.libcst_loader import cst


def dotted_name(node: cst.BaseExpression | cst.BaseExpression) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None."""
    # Exact type tests: every libcst node class is an ABC, so a failed `isinstance` runs
    # ABCMeta's check in Python — and this is asked of most expressions, several times.
    # libcst's Name and Attribute have no subclasses.
    name_type = cst.Name
    if type(node) is name_type:
        return node.value  # type: ignore[union-attr]
    parts: list[str] = []
    attribute_type = cst.Attribute
    while type(node) is attribute_type:
        parts.append(node.attr.value)  # type: ignore[union-attr]
        node = node.value  # type: ignore[union-attr]
    if type(node) is name_type:
        parts.append(node.value)  # type: ignore[union-attr]
        return ".".join(reversed(parts))
    return None


def _import_target(node: cst.Attribute | cst.Name) -> str:
    return dotted_name(node) or ""


def is_concatenation(node: cst.CSTNode | None) -> bool:
    """An implicit concatenation of strings or a `+`."""
    return isinstance(node, cst.ConcatenatedString) or (
        isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)
    )


def concatenation_parts(node: cst.CSTNode | None) -> list[cst.CSTNode | None]:
    """The operands of a concatenation (implicit or `+`, nested), in order; `[node]` for
    anything else. Iterative: a chain of thousands of operands cannot exhaust the stack."""
    parts: list[cst.CSTNode | None] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if is_concatenation(current):
            stack.extend((current.right, current.left))  # type: ignore[union-attr]
        else:
            parts.append(current)
    return parts


def literal_string(node: cst.CSTNode | None) -> str | None:
    """The value of a string (or bytes) literal, implicit concatenation, or `+` of literals.

    f-strings count only when they have no replacement fields. Bytes are decoded as latin-1
    so that their ASCII content — where keys live — reads unchanged.
    """
    pieces: list[str] = []
    for part in concatenation_parts(node):
        value = _literal_value(part)
        if value is None:
            return None
        pieces.append(value)
    return "".join(pieces)


def _literal_value(node: cst.CSTNode | None) -> str | None:
    """The value of one string literal, or of an f-string without fields."""
    if isinstance(node, cst.SimpleString):
        raw = node.raw_value
        if "\\" in raw or "\r" in raw:
            # escapes (and CRLF lines, which Python reads as LF): Python's own evaluation,
            # a compile per literal, so only here
            try:
                value = node.evaluated_value
            except Exception:  # an invalid escape in a literal is not our problem
                return None
            return value.decode("latin-1") if isinstance(value, bytes) else value
        return raw  # without a backslash, the text between the quotes is the value
    if isinstance(node, cst.FormattedString):
        if not all(isinstance(part, cst.FormattedStringText) for part in node.parts):
            return None
        return "".join(part.value for part in node.parts)  # type: ignore[union-attr]
    return None


def keyword_arg(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional_args(call: cst.Call) -> Iterator[cst.Arg]:
    for arg in call.args:
        if arg.keyword is None and not arg.star:
            yield arg


class Semantics:
    """The engine's own visitor: runs first in the walk, so rules see an up-to-date state."""

    def __init__(self, module: cst.Module) -> None:
        #: local alias -> fully qualified name, e.g. {"oa": "openai", "Client": "openai.OpenAI"}
        self.imports: dict[str, str] = {}
        #: module-level NAME = <expr> bindings (the last one wins), known before the walk
        self.module_constants: dict[str, cst.BaseExpression] = {}
        #: modules imported with `from M import *`, as written (possibly relative)
        self.star_imports: list[str] = []
        #: names of enclosing classes and functions, outermost first
        self.scope: list[str] = []
        self.scope_nodes: list[cst.CSTNode] = []
        #: the innermost simple statement line being walked (suppressions may sit on its last line)
        self.statement: cst.CSTNode | None = None
        self._prescan(module)

    # --- set up from the top level, before the walk ------------------------------------
    def _prescan(self, module: cst.Module) -> None:
        for statement in module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self._record_import(small)
                    elif isinstance(small, cst.Assign) and len(small.targets) == 1:
                        target = small.targets[0].target
                        if isinstance(target, cst.Name):
                            self.module_constants[target.value] = small.value
                    elif isinstance(small, cst.AnnAssign) and small.value is not None:
                        if isinstance(small.target, cst.Name):
                            self.module_constants[small.target.value] = small.value

    def _record_import(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = _import_target(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.imports[alias.asname.name.value] = full
                else:
                    # `import a.b` binds `a`
                    head = full.split(".", 1)[0]
                    self.imports.setdefault(head, head)
            return
        module = _import_target(node.module) if node.module is not None else ""
        dots = "." * len(node.relative)
        base = f"{dots}{module}" if dots else module
        if isinstance(node.names, cst.ImportStar):
            # which names it brings is unknown without reading that module; kept for the
            # call graph (`from .helpers import *` then `ask(q)`)
            if base and base not in self.star_imports:
                self.star_imports.append(base)
            return
        for alias in node.names:
            name = _import_target(alias.name)
            full = f"{base}.{name}" if base and not base.endswith(".") else f"{base}{name}"
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.imports[local] = full

    # --- walk hooks ------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self._record_import(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._record_import(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.append(node.name.value)
        self.scope_nodes.append(node)

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scope.pop()
        self.scope_nodes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.append(node.name.value)
        self.scope_nodes.append(node)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.scope.pop()
        self.scope_nodes.pop()

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statement = node

    def leave_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statement = None

    # --- queries ---------------------------------------------------------------------
    @property
    def scope_name(self) -> str:
        return ".".join(self.scope) or "<module>"

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """The import-resolved dotted name of a Name/Attribute chain.

        `oa.OpenAI` with `import openai as oa` is `openai.OpenAI`; a name that was not
        imported keeps its own spelling.
        """
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        resolved = self.imports.get(head)
        if resolved is None:
            return dotted
        return f"{resolved}.{rest}" if rest else resolved

    def resolve_constant(self, node: cst.BaseExpression) -> cst.BaseExpression:
        """Follow a bare module-level name to the expression it was bound to (one hop at a time)."""
        seen = 0
        while isinstance(node, cst.Name) and node.value in self.module_constants and seen < 8:
            node = self.module_constants[node.value]
            seen += 1
        return node


def bind_arguments(
    function: cst.FunctionDef, call: cst.Call
) -> tuple[dict[str, list[cst.BaseExpression]], list[cst.BaseExpression], list[cst.BaseExpression]]:
    """Which argument of `call` lands in which parameter of `function`:
    ({parameter: [values]}, surplus positional values, `*`/`**` expansions).

    A method called through an attribute (`self.f(x)`, `obj.f(x)`) skips its `self`/`cls`."""
    params = function.params
    ordered = [p.name.value for p in (*params.posonly_params, *params.params)]
    if ordered and ordered[0] in ("self", "cls") and isinstance(call.func, cst.Attribute):
        ordered = ordered[1:]
    bound: dict[str, list[cst.BaseExpression]] = {}
    surplus: list[cst.BaseExpression] = []
    starred: list[cst.BaseExpression] = []
    index = 0
    for arg in call.args:
        if arg.star:
            starred.append(arg.value)
        elif arg.keyword is not None:
            bound.setdefault(arg.keyword.value, []).append(arg.value)
        else:
            if index < len(ordered):
                bound.setdefault(ordered[index], []).append(arg.value)
            else:
                surplus.append(arg.value)
            index += 1
    return bound, surplus, starred
